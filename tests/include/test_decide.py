"""Outcome precedence, eligibility and linking on hand-built frames (no files, no Airflow)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from include.decide import Dataset, decide_period, eligible
from include.matching import Links, link
from include.model import KUALITAS_COLUMNS
from include.policy import default_policy
from include.wilayah import load_wilayah

D = dt.date
DESA = "13.03.04.2001"
P3KE_COLUMNS = ["id_individu", "id_keluarga_p3ke", "nama", "nik", "nik_rusak_excel", "jenis_kelamin",
                "tanggal_lahir", "kode_kemdagri", "desil_kesejahteraan", "pekerjaan", "alasan"]
PESERTA_COLUMNS = ["kpj", "nik", "nik_rusak_excel", "nama", "tanggal_lahir", "jenis_kelamin", "kode_kemdagri",
                   "tanggal_kepesertaan", "status_kepesertaan", "tanggal_nonaktif", "alasan_nonaktif",
                   "sumber_dana", "upah_dilaporkan", "alasan", "peringatan"]


def p3ke(rows) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=P3KE_COLUMNS)
    frame["desil_kesejahteraan"] = frame["desil_kesejahteraan"].astype("Int64")
    frame["berkas"] = "a.csv"
    frame["baris"] = range(2, len(frame) + 2)
    frame["urut"] = range(len(frame))
    return frame


def peserta(rows) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=PESERTA_COLUMNS)
    frame["upah_dilaporkan"] = frame["upah_dilaporkan"].astype("Int64")
    frame["berkas"] = "peserta.csv"
    frame["baris"] = range(2, len(frame) + 2)
    return frame


def person(id_, nama, nik, born, desil=1, kerja="PETANI/PEKEBUN", jk="LAKI-LAKI", kode=DESA, alasan=""):
    return (id_, "K1", nama, nik, False, jk, born, kode, desil, kerja, alasan)


def participant(kpj, nama, nik, born, start, status="AKTIF", end=None, why=None, jk="LAKI-LAKI", kode=DESA):
    return (kpj, nik, False, nama, born, jk, kode, start, status, end, why, "APBD", 1_000_000, "", "")


def decide(p3ke_rows, peserta_rows, periode="2025-07", tinjauan=None):
    frame, roster = p3ke(p3ke_rows), peserta(peserta_rows)
    reviews = tinjauan if tinjauan is not None else pd.DataFrame(columns=["id_individu", "kandidat_kpj", "keputusan"])
    policy = default_policy()
    links = link(frame, roster, reviews, policy)
    data = Dataset(p3ke=frame, peserta=roster, klaim=pd.DataFrame(columns=[
        "kpj", "nik", "jenis_klaim", "tanggal_kejadian", "tanggal_bayar", "nilai_manfaat", "alasan", "berkas",
        "baris"]), tinjauan=reviews, kualitas=pd.DataFrame(columns=KUALITAS_COLUMNS))
    result = decide_period(data, links, periode, policy, load_wilayah(), "13.03")
    return dict(zip(frame["id_individu"], result.hasil["hasil"], strict=True)), result


def test_quarantine_beats_everything_and_duplicates_follow_the_first_row():
    outcome, _ = decide(
        [person("A", "Andi", "1303040101800001", D(1980, 1, 1), alasan="NAMA_KOSONG"),
         person("B", "Andi", "1303040101800001", D(1980, 1, 1)),
         person("C", "ANDI ", "1303040101800001", D(1980, 1, 1))],
        [participant("00000000001", "Andi", "1303040101800001", D(1980, 1, 1), D(2024, 1, 1))])
    assert outcome == {"A": "karantina", "B": "terdaftar_aktif", "C": "duplikat_p3ke"}


def test_active_link_beats_ineligibility_and_ended_for_good_beats_review():
    outcome, _ = decide(
        [person("A", "Ani", "1303044101500002", D(1950, 1, 1), desil=4, jk="PEREMPUAN"),
         person("B", "Budi", "1303040202900003", D(1990, 2, 2))],
        [participant("00000000001", "Ani", "1303044101500002", D(1950, 1, 1), D(2024, 1, 1), jk="PEREMPUAN"),
         participant("00000000002", "Budi", "1303040202900003", D(1990, 2, 2), D(2022, 3, 1), "NONAKTIF",
                     D(2025, 1, 31), "MENINGGAL"),
         participant("00000000003", "Budi", "1303040202900099", D(1990, 2, 2), D(2022, 3, 1),
                     kode="13.03.03.2001")])
    assert outcome == {"A": "terdaftar_aktif", "B": "tidak_memenuhi_syarat"}


def test_spell_starting_after_the_month_counts_as_not_linked():
    rows = [person("A", "Ani", "1303044101900002", D(1990, 1, 1), jk="PEREMPUAN")]
    roster = [participant("00000000001", "Ani", "1303044101900002", D(1990, 1, 1), D(2025, 8, 1), jk="PEREMPUAN")]
    assert decide(rows, roster, "2025-07")[0] == {"A": "calon_peserta"}
    assert decide(rows, roster, "2025-08")[0] == {"A": "terdaftar_aktif"}


def test_review_decisions_override_the_matcher_exact_nik_included():
    rows = [person("A", "Andi", "1303040101800001", D(1980, 1, 1)),
            person("B", "Budi", "1303040202900003", D(1990, 2, 2))]
    roster = [participant("00000000001", "Andi", "1303040101800001", D(1980, 1, 1), D(2024, 1, 1)),
              participant("00000000002", "Budi Santoso", "1303040202900077", D(1991, 2, 2), D(2024, 1, 1))]
    reviews = pd.DataFrame([("A", "00000000001", "BEDA"), ("B", "00000000002", "SAMA")],
                           columns=["id_individu", "kandidat_kpj", "keputusan"])
    outcome, result = decide(rows, roster, tinjauan=reviews)
    assert outcome == {"A": "calon_peserta", "B": "terdaftar_aktif"}
    assert result.ringkasan["peserta"]["dari_p3ke"] == 1


def test_uncertain_pair_goes_to_review_with_a_probability():
    outcome, result = decide(
        [person("A", "Andi", "1303040101800001", D(1980, 1, 1))],
        [participant("00000000009", "ANDI", "1303040101800099", D(1980, 1, 1), D(2024, 1, 1),
                     kode="13.03.03.2001")])
    assert outcome == {"A": "perlu_tinjauan"}
    row = result.tinjauan.iloc[0]
    assert row["kandidat_kpj"] == "00000000009" and 0 < row["probabilitas"] < 0.95
    assert "wilayah beda" in row["alasan"] and "NIK mirip" in row["alasan"] and "nama sama" in row["alasan"]


@pytest.mark.parametrize(("nik_roster", "kode_roster", "expected"), [
    ("1303040101800010", "13.03.03.2001", "perlu_tinjauan"),  # one digit of the serial off
    ("1303041001800001", "13.03.03.2001", "perlu_tinjauan"),  # two adjacent digits swapped
    (None, "13.03.03.2001", "perlu_tinjauan"),                # no NIK to tell them apart
    ("1371020101800004", DESA, "terdaftar_aktif"),            # another NIK, but the same desa: decisive
    ("1371020101800004", "13.03.03.2001", "calon_peserta"),   # another NIK and another desa: two people
])
def test_same_name_and_birthday_is_reviewed_only_while_it_could_be_one_person(nik_roster, kode_roster, expected):
    outcome, result = decide(
        [person("A", "Andi", "1303040101800001", D(1980, 1, 1))],
        [participant("00000000009", "ANDI", nik_roster, D(1980, 1, 1), D(2024, 1, 1), kode=kode_roster)])
    assert outcome == {"A": expected}
    assert len(result.tinjauan) == (expected == "perlu_tinjauan")


@pytest.mark.parametrize(("born", "desil", "kerja", "expected"), [
    (D(2007, 7, 1), 1, "PETANI/PEKEBUN", True),       # 18 on the first day of July 2025
    (D(2007, 7, 2), 1, "PETANI/PEKEBUN", False),      # 18 only on 2 July
    (D(1959, 7, 1), 2, "PETANI/PEKEBUN", False),      # 66
    (D(1960, 7, 1), 2, "PETANI/PEKEBUN", True),       # 65 inclusive
    (D(1980, 1, 1), 3, "PETANI/PEKEBUN", False),      # desil 3
    (D(1980, 1, 1), 1, "Belum / Tidak Bekerja", False),
    (D(1980, 1, 1), 1, "karyawan  swasta", False),
    (D(1980, 1, 1), 1, None, False),
])
def test_eligibility(born, desil, kerja, expected):
    frame = p3ke([person("A", "X", "1303040101800001", born, desil=desil, kerja=kerja)])
    assert bool(eligible(frame, "2025-07", default_policy()).iloc[0]) is expected


def test_saved_links_round_trip_in_a_folder_only_their_owner_reads(tmp_path):
    frame = p3ke([person("A", "Andi", "1303040101800001", D(1980, 1, 1))])
    roster = peserta([participant("00000000009", "ANDI", "1303040101800010", D(1980, 1, 1), D(2024, 1, 1),
                                  kode="13.03.03.2001")])
    links = link(frame, roster, pd.DataFrame(columns=["id_individu", "kandidat_kpj", "keputusan"]), default_policy())
    links.save(tmp_path / "links")
    assert (tmp_path / "links").stat().st_mode & 0o777 == 0o700  # the review pairs carry full NIKs
    loaded = Links.load(tmp_path / "links")
    assert loaded.ragu["kandidat_kpj"].tolist() == links.ragu["kandidat_kpj"].tolist() == ["00000000009"]
    assert loaded.orang.to_dict() == links.orang.to_dict()
