"""The people in the files: NIKs consistent with birth date, sex and kecamatan; real families; names."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from include.demo.names import name_key, spelling_variant
from include.demo.people import age_on, nik_digits
from tests.include.demo.landing_files import as_date, as_jk, as_text, folder_rows


def clean_rows(demo_run) -> list[tuple[str, int, dict]]:
    """P3KE rows the generator left plain (no defect, soft finding or duplicate), read from the files."""
    demo, landing, _ = demo_run
    plain = {(r.berkas, r.baris) for blocks in demo.p3ke.values() for b in blocks for r in b
             if not r.codes and r.note in ("", "variant", "nik_typo")}
    return [(f, n, row) for f, n, row in folder_rows(landing / "p3ke") if (f, n) in plain]


def namesakes(demo_run) -> tuple[set[str], set[str]]:
    """(id_individu, kpj) of the planted review pairs' later sides: registered in another person's kecamatan
    on the same birth date, so their NIK differs from that person's only in the serial."""
    _, _, truth = demo_run
    pairs = truth["perlu_tinjauan"]
    return ({p["id_individu"] for p in pairs if not p["kandidat_kpj"]},
            {p["kandidat_kpj"] for p in pairs if p["kandidat_kpj"]})


def test_clean_p3ke_niks_carry_birth_date_sex_and_kecamatan(demo_run):
    rows = clean_rows(demo_run)
    assert len(rows) > 19_000
    elsewhere, _ = namesakes(demo_run)
    assert len(elsewhere) == 3
    for berkas, baris, row in rows:
        nik, born, jk = as_text(row["nik"]), as_date(row["tanggal_lahir"]), as_jk(row["jenis_kelamin"])
        kode = as_text(row["kode_kemdagri"]).replace(".", "")
        assert len(nik) == 16 and nik.isdigit(), (berkas, baris)
        day = int(nik[6:8])
        assert (day > 40) == (jk == "PEREMPUAN"), (berkas, baris)
        assert (day - 40 if day > 40 else day, int(nik[8:10]), int(nik[10:12])) == \
            (born.day, born.month, born.year % 100), (berkas, baris)
        if as_text(row["id_individu"]) in elsewhere:
            assert nik[:4] == kode[:4] and nik[:6] != kode[:6], (berkas, baris)
        else:
            assert nik[:6] == kode[:6], (berkas, baris)


def test_niks_are_unique_per_person(demo_run):
    rows = clean_rows(demo_run)
    niks = [as_text(row["nik"]) for _, _, row in rows]
    assert len(set(niks)) == len(niks)


def test_families_start_with_their_head_and_share_an_address(demo_run):
    _, landing, _ = demo_run
    families: dict[str, list[dict]] = defaultdict(list)
    for _, _, row in folder_rows(landing / "p3ke"):
        families[as_text(row["id_keluarga_p3ke"])].append(row)
    assert 4_500 < len(families) < 7_000
    for rows in families.values():
        assert as_text(rows[0]["hubungan_dengan_kepala_keluarga"]) == "KEPALA KELUARGA"
        assert len({as_text(r["alamat"]) for r in rows if as_text(r["hubungan_dengan_kepala_keluarga"]) !=
                    "FAMILI LAIN"}) == 1
        assert as_text(rows[0]["alamat"]).startswith("JORONG ")


def test_children_are_not_workers_and_everyone_is_born_by_2021(demo_run):
    _, landing, _ = demo_run
    for _, _, row in folder_rows(landing / "p3ke"):
        born = as_date(row["tanggal_lahir"])
        if born is None or born.year < 1900 or born > dt.date(2025, 7, 31):
            continue  # the TANGGAL_LAHIR_TIDAK_VALID defects
        assert born <= dt.date(2021, 12, 31)
        if age_on(born, dt.date(2025, 7, 1)) < 15:
            kerja = "".join(as_text(row["pekerjaan"]).upper().split())
            assert kerja in ("PELAJAR/MAHASISWA", "BELUM/TIDAKBEKERJA")


def test_names_are_minang_style_without_titles(demo_run):
    _, landing, _ = demo_run
    names = [as_text(row["nama"]).upper() for _, _, row in folder_rows(landing / "p3ke") if as_text(row["nama"])]
    assert not [n for n in names if "DATUAK" in n or "DATUK" in n]
    assert sum(1 for n in names if n.startswith(("MUHAMMAD", "MUHAMAD", "MOHAMMAD", "M. "))) > 100
    assert {"SYAFRIZAL", "YUSNIMAR", "NURHAYATI"} & {n.split()[0] for n in names}


def test_spelling_variants_and_nik_digits():
    assert spelling_variant("SYAFRIZAL") == "SAFRIZAL"
    assert spelling_variant("MUHAMMAD RIDWAN") == "MUHAMAD RIDWAN"
    assert spelling_variant("NURHAYATI") == "NURHAYATY"
    assert name_key("  Syafrizal   Efendi ") == "SYAFRIZAL EFENDI"
    assert nik_digits("130304", dt.date(1985, 3, 12), True, 1) == "1303045203850001"
    assert age_on(dt.date(2007, 7, 1), dt.date(2025, 7, 1)) == 18
    assert age_on(dt.date(2007, 7, 2), dt.date(2025, 7, 1)) == 17


def test_roster_niks_carry_birth_date_sex_and_kecamatan(demo_run):
    _, landing, _ = demo_run
    _, elsewhere = namesakes(demo_run)
    damaged = 0
    for _, baris, row in folder_rows(landing / "bpjs" / "peserta"):
        nik = row["nik"]
        if not isinstance(nik, str):
            damaged += 1  # typed as an Excel number: a warning, still billed
            continue
        born, jk = as_date(row["tanggal_lahir"]), as_jk(row["jenis_kelamin"])
        perempuan = jk == "PEREMPUAN"
        kecamatan = nik[:6] if as_text(row["kpj"]) in elsewhere else as_text(row["kode_kemdagri"])[:6]
        assert nik.startswith("1303"), baris
        assert nik == nik_digits(kecamatan, born, perempuan, int(nik[12:])), baris
    assert damaged == 2
