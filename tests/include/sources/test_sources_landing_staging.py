"""landing + staging: which files form a dataset, parsed once per content, loaded in name order."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from pathlib import Path

import fsspec
import pandas as pd
import pytest

from include.sources import SOURCES, staging
from include.sources import landing as landing_module
from include.sources.common import SourceFileError
from include.sources.landing import list_files, read_bytes
from include.sources.staging import fingerprint_dir, load_dataset, read_staged, stage, staged_path

P3KE = SOURCES["p3ke"].SPEC
PESERTA = SOURCES["peserta"].SPEC
HEADER = "id_keluarga_p3ke,id_individu,nama,nik,jenis_kelamin,tanggal_lahir,kode_kemdagri,desil_kesejahteraan,pekerjaan"
ROSTER_HEADER = (
    "kpj,nik,nama,tanggal_lahir,jenis_kelamin,kode_kemdagri,tanggal_kepesertaan,status_kepesertaan,"
    "sumber_dana,upah_dilaporkan"
)


def p3ke_csv(*ids: str) -> bytes:
    rows = [f"K{i},{i},Nama {i},1303045506900001,P,15-06-1990,1303042001,1,PETANI" for i in ids]
    return ("\n".join([HEADER, *rows]) + "\n").encode()


@pytest.fixture
def landing(tmp_path: Path) -> Path:
    folder = tmp_path / "landing"
    (folder / "p3ke").mkdir(parents=True)
    return folder


def put(landing: Path, folder: str, name: str, data: bytes) -> None:
    (landing / folder).mkdir(parents=True, exist_ok=True)
    (landing / folder / name).write_bytes(data)


def test_list_files_in_name_order_xlsx_and_csv_only(landing, make_xlsx):
    put(landing, "p3ke", "kec_b.CSV", p3ke_csv("I2"))
    put(landing, "p3ke", "kec_a.xlsx", make_xlsx([HEADER.split(","), ["K1", "I1"]]))
    put(landing, "p3ke", "catatan.txt", b"not data")
    put(landing, "p3ke", "~$kec_a.xlsx", b"excel lock file")
    (landing / "p3ke" / "arsip").mkdir()

    files = list_files(str(landing), P3KE)

    assert [f.name for f in files] == ["kec_a.xlsx", "kec_b.CSV"]
    assert files[1].size == len(p3ke_csv("I2")) and files[1].display == "p3ke/kec_b.CSV"
    assert read_bytes(files[1]) == p3ke_csv("I2")


def test_missing_source_folder_is_an_empty_dataset(landing, tmp_path):
    assert list_files(str(landing), SOURCES["klaim"].SPEC) == []
    frame = load_dataset(tmp_path / "staging", SOURCES["klaim"].SPEC, [])
    assert len(frame) == 0 and "nilai_manfaat" in frame.columns and str(frame["nilai_manfaat"].dtype) == "Int64"


def test_roster_reads_only_the_file_whose_name_sorts_last(landing):
    for name in ("peserta_2025_06.csv", "peserta_2025_07.csv", "peserta_2025_05.xlsx"):
        put(landing, "bpjs/peserta", name, f"{ROSTER_HEADER}\n{name},,,,,,,,,\n".encode())

    files = list_files(str(landing), PESERTA)

    assert [f.name for f in files] == ["peserta_2025_07.csv"]
    assert files[0].display == "bpjs/peserta/peserta_2025_07.csv"


def test_identical_content_counts_once(landing, tmp_path):
    put(landing, "p3ke", "a.csv", p3ke_csv("I1", "I2"))
    put(landing, "p3ke", "b.csv", p3ke_csv("I3"))
    put(landing, "p3ke", "c_copy_of_a.csv", p3ke_csv("I1", "I2"))

    files = list_files(str(landing), P3KE)
    frame = load_dataset(tmp_path / "staging", P3KE, files)

    assert [f.duplicate_of for f in files] == [None, None, "a.csv"]
    assert frame["id_individu"].tolist() == ["I1", "I2", "I3"]
    assert frame["berkas"].tolist() == ["a.csv", "a.csv", "b.csv"]
    assert frame["baris"].tolist() == [2, 3, 2]


def test_stage_parses_each_content_once(landing, tmp_path, monkeypatch):
    put(landing, "p3ke", "a.csv", p3ke_csv("I1"))
    parsed: list[str] = []
    real_parse = staging.parse_blocks
    monkeypatch.setattr(staging, "parse_blocks",
                        lambda f, spec, *args, **kw: parsed.append(f.name) or real_parse(f, spec, *args, **kw))
    [landing_file] = list_files(str(landing), P3KE)

    first = stage(landing_file, P3KE, tmp_path / "staging")
    second = stage(landing_file, P3KE, tmp_path / "staging")

    assert first == second == staged_path(tmp_path / "staging", P3KE, landing_file.sha256)
    assert first == tmp_path / "staging" / "p3ke" / f"{landing_file.sha256}.parquet"
    assert parsed == ["a.csv"]
    assert [p.name for p in first.parent.iterdir()] == [first.name]  # no temporary file left behind
    assert first.stat().st_mode & 0o777 == 0o600  # staged rows carry full NIKs: the owner alone reads them


def test_renamed_file_reuses_staging_and_carries_its_new_name(landing, tmp_path, monkeypatch):
    put(landing, "p3ke", "a.csv", p3ke_csv("I1"))
    load_dataset(tmp_path / "staging", P3KE, list_files(str(landing), P3KE))
    (landing / "p3ke" / "a.csv").rename(landing / "p3ke" / "z.csv")
    monkeypatch.setattr(staging, "parse_blocks", lambda *args, **kw: pytest.fail("content already staged was parsed again"))

    frame = load_dataset(tmp_path / "staging", P3KE, list_files(str(landing), P3KE))

    assert frame["berkas"].tolist() == ["z.csv"]


def test_parser_version_change_stages_again(landing, tmp_path, monkeypatch):
    put(landing, "p3ke", "a.csv", p3ke_csv("I1"))
    [landing_file] = list_files(str(landing), P3KE)
    stage(landing_file, P3KE, tmp_path / "staging")
    parsed: list[str] = []
    real_parse = staging.parse_blocks
    monkeypatch.setattr(staging, "parse_blocks",
                        lambda f, spec, *args, **kw: parsed.append(f.name) or real_parse(f, spec, *args, **kw))
    monkeypatch.setattr(staging, "PARSER_VERSION", staging.PARSER_VERSION + "-next")

    stage(landing_file, P3KE, tmp_path / "staging")
    stage(landing_file, P3KE, tmp_path / "staging")

    assert parsed == ["a.csv"]


def test_a_failing_file_fails_every_time(landing, tmp_path):
    put(landing, "p3ke", "rusak.xlsx", b"PK\x03\x04 not really a workbook")
    [landing_file] = list_files(str(landing), P3KE)

    for _ in range(2):
        with pytest.raises(SourceFileError, match="p3ke/rusak.xlsx: cannot be opened as an Excel workbook"):
            stage(landing_file, P3KE, tmp_path / "staging")
    assert not (tmp_path / "staging" / "p3ke").exists() or not any((tmp_path / "staging" / "p3ke").iterdir())


def test_file_changed_after_listing_is_refused(landing, tmp_path):
    put(landing, "p3ke", "a.csv", p3ke_csv("I1"))
    [landing_file] = list_files(str(landing), P3KE)
    put(landing, "p3ke", "a.csv", p3ke_csv("I1", "I2"))

    with pytest.raises(SourceFileError, match="p3ke/a.csv: changed while it was being read"):
        stage(landing_file, P3KE, tmp_path / "staging")


def _counting_hashes(monkeypatch) -> list[str]:
    hashed: list[str] = []
    real = landing_module._sha256
    monkeypatch.setattr(landing_module, "_sha256", lambda fs, path: hashed.append(Path(path).name) or real(fs, path))
    return hashed


def test_unchanged_files_are_not_read_again_to_be_listed(landing, tmp_path, monkeypatch):
    put(landing, "p3ke", "a.csv", p3ke_csv("I1"))
    put(landing, "p3ke", "b.csv", p3ke_csv("I2"))
    memo = fingerprint_dir(tmp_path / "staging")
    hashed = _counting_hashes(monkeypatch)

    first = list_files(str(landing), P3KE, memo_dir=memo)
    again = list_files(str(landing), P3KE, memo_dir=memo)

    assert hashed == ["a.csv", "b.csv"]
    assert again == first
    assert [f.sha256 for f in again] == [hashlib.sha256(p3ke_csv(i)).hexdigest() for i in ("I1", "I2")]


def test_a_rewritten_file_is_fingerprinted_again(landing, tmp_path, monkeypatch):
    put(landing, "p3ke", "a.csv", p3ke_csv("I1"))
    put(landing, "p3ke", "b.csv", p3ke_csv("I2"))
    memo = fingerprint_dir(tmp_path / "staging")
    list_files(str(landing), P3KE, memo_dir=memo)
    hashed = _counting_hashes(monkeypatch)
    put(landing, "p3ke", "a.csv", p3ke_csv("I1", "I3"))
    (landing / "p3ke" / "b.csv").unlink()
    put(landing, "p3ke", "c.csv", p3ke_csv("I2"))

    files = list_files(str(landing), P3KE, memo_dir=memo)

    assert hashed == ["a.csv", "c.csv"]
    assert files[0].sha256 == hashlib.sha256(p3ke_csv("I1", "I3")).hexdigest()
    assert files[1].name == "c.csv" and files[1].sha256 == hashlib.sha256(p3ke_csv("I2")).hexdigest()


def test_a_file_rewritten_with_its_old_size_and_time_is_refused_once_then_read(landing, tmp_path):
    """Content changed but size and modification time kept (a copy that preserves times): the remembered
    fingerprint is wrong. Staging notices (the bytes do not match it), refuses, and forgets it, so the
    next run fingerprints the file again and stages what it holds now."""
    put(landing, "p3ke", "a.csv", p3ke_csv("I1"))
    staging_dir = tmp_path / "staging"
    memo = fingerprint_dir(staging_dir)
    [before] = list_files(str(landing), P3KE, memo_dir=memo)
    times = os.stat(landing / "p3ke" / "a.csv")
    put(landing, "p3ke", "a.csv", p3ke_csv("I9"))  # same length
    os.utime(landing / "p3ke" / "a.csv", ns=(times.st_atime_ns, times.st_mtime_ns))

    [stale] = list_files(str(landing), P3KE, memo_dir=memo)
    assert stale.sha256 == before.sha256
    with pytest.raises(SourceFileError, match="p3ke/a.csv: changed while it was being read"):
        stage(stale, P3KE, staging_dir)

    [now] = list_files(str(landing), P3KE, memo_dir=memo)
    assert now.sha256 == hashlib.sha256(p3ke_csv("I9")).hexdigest()
    assert read_staged(stage(now, P3KE, staging_dir))["id_individu"].tolist() == ["I9"]


def test_staged_frames_round_trip_their_dtypes(landing, tmp_path, make_xlsx):
    header = ROSTER_HEADER.split(",") + ["tanggal_nonaktif", "catatan"]
    rows = [
        [
            "00012345678",
            1303045506900001,
            "Siti",
            dt.datetime(1990, 6, 15),
            "P",
            "1303042001",
            "2022-03-01",
            "AKTIF",
            "APBD",
            "Rp 1.000.000",
            None,
            None,
        ],
        [
            "00012345679",
            "1303045506900002",
            None,
            "x",
            "L",
            "1303042001",
            44621,
            "NONAKTIF",
            "CSR",
            "abc",
            "2024-12-31",
            "pindah",
        ],
    ]
    put(landing, "bpjs/peserta", "peserta.xlsx", make_xlsx([header, *rows]))
    [landing_file] = list_files(str(landing), PESERTA)
    direct = staging.parse(read_bytes(landing_file), landing_file, PESERTA)

    loaded = load_dataset(tmp_path / "staging", PESERTA, [landing_file])

    pd.testing.assert_frame_equal(loaded, direct)
    assert loaded["tanggal_lahir"].tolist() == [dt.date(1990, 6, 15), None]
    assert loaded["nama"].tolist() == ["Siti", None]
    assert loaded["upah_dilaporkan"].tolist() == [1_000_000, pd.NA]
    assert loaded["catatan"].tolist() == [None, "pindah"]
    assert read_staged(staged_path(tmp_path / "staging", PESERTA, landing_file.sha256))["kpj"].dtype == object


def test_files_with_different_extra_columns_concatenate_with_none(landing, tmp_path):
    put(landing, "p3ke", "a.csv", p3ke_csv("I1"))
    put(landing, "p3ke", "b.csv", (HEADER + ",alamat\nK2,I2,N,1,P,1990-01-01,1,1,PETANI,Jl. Lintas\n").encode())

    frame = load_dataset(tmp_path / "staging", P3KE, list_files(str(landing), P3KE))

    assert frame["alamat"].tolist() == [None, "Jl. Lintas"]
    assert isinstance(frame.index, pd.RangeIndex)


def test_fsspec_url_landing_zone(tmp_path):
    fs = fsspec.filesystem("memory")
    fs.pipe("/rentan_test_landing/p3ke/a.csv", p3ke_csv("I1", "I2"))
    try:
        files = list_files("memory://rentan_test_landing", P3KE)
        frame = load_dataset(tmp_path / "staging", P3KE, files)
    finally:
        fs.rm("/rentan_test_landing", recursive=True)

    assert [f.name for f in files] == ["a.csv"] and files[0].url.startswith("memory://")
    assert frame["id_individu"].tolist() == ["I1", "I2"]
