"""The national generator (python -m include.demo --mode nasional): real landing files the readers accept.

One P3KE CSV per kabupaten/kota of the region, one roster CSV of rows // 2 participants, a manifest
without personal data; only the planted defects are quarantined; the same seed gives the same bytes.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter

import pandas as pd
import pytest

from include.billing import billed_mask
from include.demo.__main__ import main
from include.demo.national import kabupaten_in, plan, write_national
from include.sources import SOURCES
from include.sources.common import ALIASES, normalise_header
from include.sources.landing import list_files
from include.sources.staging import load_dataset
from include.validation.runner import validate_rows
from include.wilayah import load_wilayah, normalise_kode

SEED = 20250701


def snapshot(folder) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def sumbar(tmp_path_factory):
    """Sumatera Barat (19 kabupaten/kota), 20 000 rows, through the command line."""
    landing = tmp_path_factory.mktemp("sumbar")
    assert main(["--mode", "nasional", "--rows", "20000", "--landing", str(landing), "--region", "13",
                 "--seed", str(SEED)]) == 0
    return landing


@pytest.fixture(scope="module")
def sumbar_data(sumbar, tmp_path_factory):
    """The P3KE and roster datasets as the pipeline reads them, with their GX reason codes."""
    staging = tmp_path_factory.mktemp("staging")
    out = {}
    for name in ("p3ke", "peserta"):
        spec = SOURCES[name].SPEC
        files = list_files(str(sumbar), spec)
        frame = load_dataset(staging, spec, files)
        result = validate_rows(name, frame, region="13", run_name="nasional", docs_dir=None)
        out[name] = (files, frame.assign(alasan=result.alasan.to_numpy(), peringatan=result.peringatan.to_numpy()))
    return out


@pytest.fixture(scope="module")
def indonesia(tmp_path_factory):
    """All Indonesia at 100 000 rows (province chunks) and its manifest."""
    landing = tmp_path_factory.mktemp("indonesia")
    return landing, write_national(landing, 100_000, SEED, "", progress=False)


def test_one_p3ke_file_per_kabupaten_of_the_region(sumbar, sumbar_data):
    files, p3ke = sumbar_data["p3ke"]
    kabupaten = kabupaten_in("13")
    assert len(kabupaten) == 19
    assert len(files) == 19 and all(f.name.endswith(".csv") for f in files)
    assert sorted(p3ke["kode_kemdagri"].str.slice(0, 5).unique()) == [k.kode for k in kabupaten]
    for f in files:  # each file holds its own kabupaten only
        kode = f.name.split("_")[2]
        assert set(p3ke.loc[p3ke["berkas"] == f.name, "kode_kemdagri"].str.replace(".", "").str[:4]) == {kode}
    desa = set(load_wilayah().desa_codes("13"))
    assert p3ke["kode_kemdagri"].isin(desa).all()


def test_row_totals_roster_half_and_manifest(sumbar, sumbar_data):
    manifest = json.loads((sumbar / "manifest_nasional.json").read_text(encoding="utf-8"))
    _, p3ke = sumbar_data["p3ke"]
    roster_files, roster = sumbar_data["peserta"]
    assert len(p3ke) == manifest["p3ke"]["baris"] == 20_000
    assert len(roster) == manifest["peserta"]["baris"] == 10_000
    assert [f.name for f in roster_files] == [manifest["peserta"]["berkas"].rsplit("/", 1)[1]]
    assert len(list((sumbar / "bpjs" / "peserta").iterdir())) == 1  # only the last-sorting roster file is read
    per_file = p3ke.groupby("berkas").size().to_dict()
    assert per_file == {f["berkas"].rsplit("/", 1)[1]: f["baris"] for f in manifest["p3ke"]["files"]}
    assert roster["kpj"].is_unique and roster["kpj"].str.fullmatch(r"\d{11}").all()
    assert p3ke["id_individu"].is_unique
    text = json.dumps(manifest)  # no personal data: no NIK, name or KPJ of any row
    assert not any(nik in text for nik in p3ke["nik"].head(200))
    assert not any(kpj in text for kpj in roster["kpj"].head(200))


def test_only_the_planted_defects_are_quarantined(sumbar, sumbar_data):
    manifest = json.loads((sumbar / "manifest_nasional.json").read_text(encoding="utf-8"))
    for name in ("p3ke", "peserta"):
        frame = sumbar_data[name][1]
        found = Counter(frame.loc[frame["alasan"] != "", "alasan"])
        planted = {k: v for k, v in manifest[name]["karantina"].items() if v}
        assert dict(found) == planted, name
    _, p3ke = sumbar_data["p3ke"]
    assert 0.002 < manifest["p3ke"]["karantina"]["NIK_RUSAK_EXCEL"] / len(p3ke) < 0.01
    for f in manifest["p3ke"]["files"]:  # far below the 5 % that fails a file
        assert f["karantina"].get("NIK_RUSAK_EXCEL", 0) <= 0.02 * f["baris"]
    assert (p3ke["desil_kesejahteraan"].isin([1, 2, 3, 4])).all()
    assert p3ke["pekerjaan"].notna().all() and p3ke["nama"].notna().all()


def test_a_recent_month_is_billed_and_matching_has_work(sumbar, sumbar_data):
    manifest = json.loads((sumbar / "manifest_nasional.json").read_text(encoding="utf-8"))
    _, p3ke = sumbar_data["p3ke"]
    _, roster = sumbar_data["peserta"]
    valid = roster[roster["alasan"] == ""]
    billed = billed_mask(valid, "2025-07")
    assert billed.sum() == manifest["peserta"]["ditagih_2025_07"]
    assert 0.5 * len(roster) < billed.sum() < len(roster)
    assert (valid.loc[billed, "tanggal_kepesertaan"] >= pd.Timestamp("2025-07-01").date()).sum() > 0  # BARU
    assert set(valid["status_kepesertaan"]) == {"AKTIF", "NONAKTIF"}
    assert set(valid["sumber_dana"]) == {"APBD", "APB_NAGARI", "CSR", "MANDIRI"}
    clean = p3ke[p3ke["alasan"] == ""]
    by_nik = roster["nik"].isin(set(clean["nik"]))
    key = clean["nama"].str.upper() + "|" + clean["tanggal_lahir"].astype(str)
    by_name = ~by_nik & (roster["nama"].str.upper() + "|" + roster["tanggal_lahir"].astype(str)).isin(set(key))
    assert by_nik.mean() > 0.4  # most insured P3KE people carry the same NIK
    assert by_name.sum() > 20  # others only by name and birth date (mistyped, damaged or missing NIK)
    assert (~by_nik & ~by_name).sum() > 0.2 * len(roster)  # and participants outside P3KE
    eligible = clean[clean["desil_kesejahteraan"].isin([1, 2])]
    assert len(eligible) > 0.3 * len(clean)


def test_all_indonesia_has_every_kabupaten_and_only_real_desa_codes(indonesia):
    landing, manifest = indonesia
    files = sorted((landing / "p3ke").iterdir())
    assert len(files) == manifest["p3ke"]["berkas"] == len(kabupaten_in("")) == 514
    assert manifest["p3ke"]["baris"] == sum(f["baris"] for f in manifest["p3ke"]["files"]) == 100_000
    assert manifest["peserta"]["baris"] == 50_000
    assert all(f["baris"] >= 1 for f in manifest["p3ke"]["files"])
    desa = set(load_wilayah().desa_codes(""))
    seen = set()
    for f in files:  # the code column, read by the rules of CONTRACTS (BOM or cp1252, ';' or ',')
        data = f.read_bytes()
        text = data.decode("utf-8-sig") if data.startswith(b"\xef\xbb\xbf") else data.decode("cp1252")
        header = text.split("\n", 1)[0]
        rows = list(csv.reader(io.StringIO(text), delimiter=";" if header.count(";") > header.count(",") else ","))
        column = [normalise_header(h, ALIASES) for h in rows[0]].index("kode_kemdagri")
        codes = {normalise_kode(r[column]) for r in rows[1:]}
        assert codes <= desa, f.name
        assert {c[:5].replace(".", "") for c in codes} == {f.name.split("_")[2]}
        seen |= {c[:5] for c in codes}
    assert len(seen) == 514


def test_same_seed_same_bytes_other_seed_other_people(tmp_path):
    first, second, other = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    for folder, seed in ((first, SEED), (second, SEED), (other, 7)):
        write_national(folder, 3_000, seed, "13.03", progress=False)
    assert snapshot(first) == snapshot(second)
    assert len(list((first / "p3ke").iterdir())) == 1
    assert snapshot(first / "p3ke") != snapshot(other / "p3ke")


def test_small_sizes_go_kabupaten_by_kabupaten_and_still_cover_every_one(tmp_path):
    manifest = write_national(tmp_path, 1_000, SEED, "13", progress=False)
    assert manifest["p3ke"]["berkas"] == 19 and manifest["p3ke"]["baris"] == 1_000
    assert manifest["peserta"]["baris"] == 500
    assert all(f["baris"] >= 1 for f in manifest["p3ke"]["files"])


def test_replaces_its_own_folders_only(tmp_path):
    (tmp_path / "p3ke").mkdir()
    (tmp_path / "p3ke" / "lama.xlsx").write_bytes(b"stale")
    (tmp_path / "lain").mkdir()
    (tmp_path / "lain" / "catatan.txt").write_text("bukan milik generator", encoding="utf-8")
    write_national(tmp_path, 200, SEED, "13.03", progress=False)
    assert not (tmp_path / "p3ke" / "lama.xlsx").exists()
    assert (tmp_path / "lain" / "catatan.txt").read_text(encoding="utf-8") == "bukan milik generator"


def test_bad_arguments_fail_before_writing(tmp_path, capsys):
    assert main(["--mode", "nasional", "--rows", "10", "--landing", str(tmp_path / "x"), "--region", "13"]) == 1
    assert "at least 19 rows" in capsys.readouterr().err
    assert not (tmp_path / "x").exists()
    with pytest.raises(ValueError, match="region"):
        write_national(tmp_path, 1_000, SEED, "99")
    with pytest.raises(ValueError, match="region"):
        write_national(tmp_path, 1_000, SEED, "13.03.04")
    assert len(plan(10_000_000, "")) >= 38  # big provinces split into kabupaten chunks
    assert max(c.rows for c in plan(10_000_000, "")) <= 200_000
