"""Parallel staging: the landing files dealt into batches for mapped tasks, then found staged by ingest."""

from __future__ import annotations

import pytest

from include import pipeline
from include.settings import load_settings
from include.sources import SOURCES
from include.sources.landing import list_files
from include.sources.staging import is_staged, load_dataset

HEADER = ("ID Keluarga P3KE,ID Individu,NIK,Nama,JK,Tgl Lahir,Kode Kemendagri,Desil,Pekerjaan,Kecamatan,"
          "Desa/Kelurahan,Alamat\n")


def _p3ke_file(path, rows: int, start: int) -> None:
    lines = [HEADER]
    for i in range(start, start + rows):
        lines.append(f"K{i:06d},I{i:08d},13030{(i % 9) + 1}4506{(i % 90) + 10:02d}{i % 10000:04d},ORANG {i},P,"
                     f"05-06-19{(i % 90) + 10:02d},1303052001,1,PETANI/PEKEBUN,IV NAGARI,PALANGKI,JORONG {i}\n")
    path.write_text("".join(lines), encoding="utf-8")


@pytest.fixture
def settings(tmp_path):
    folder = tmp_path / "landing" / "p3ke"
    folder.mkdir(parents=True)
    for number, rows in enumerate((400, 50, 300, 120, 10)):
        _p3ke_file(folder / f"kab_{number}.csv", rows, number * 1000)
    (folder / "kab_copy.csv").write_bytes((folder / "kab_0.csv").read_bytes())  # the same bytes twice
    return load_settings({"RENTAN_LANDING": str(tmp_path / "landing"), "RENTAN_DATA": str(tmp_path / "data"),
                          "RENTAN_REPORTS": str(tmp_path / "reports")})


def test_files_are_dealt_into_batches_of_about_equal_bytes_each_file_once(settings):
    pipeline._landing_files(settings, SOURCES["p3ke"].SPEC)  # fingerprints remembered (any earlier listing)
    batches = pipeline.staging_batches("p3ke", settings, workers=2)
    assert len(batches) == 2
    names = [name for batch in batches for name in batch]
    assert sorted(names) == ["kab_0.csv", "kab_1.csv", "kab_2.csv", "kab_3.csv", "kab_4.csv"]  # the copy is skipped
    assert batches[0][0] == "kab_0.csv" and batches[1][0] == "kab_2.csv"  # the largest first, one per batch
    sizes = {f.name: f.size for f in list_files(settings.landing, SOURCES["p3ke"].SPEC)}
    loads = [sum(sizes[name] for name in batch) for batch in batches]
    assert max(loads) - min(loads) <= max(sizes.values())


def test_planning_reads_no_file_and_each_staging_task_reads_its_own(settings, monkeypatch):
    """A national dataset's files are read by the tasks that stage them, once, not first by the plan too."""
    from include.sources import landing

    hashed: list[str] = []
    real = landing._sha256
    monkeypatch.setattr(landing, "_sha256", lambda fs, path: hashed.append(path.rsplit("/", 1)[-1]) or real(fs, path))
    batches = pipeline.staging_batches("p3ke", settings, workers=2)
    assert hashed == []
    assert sorted(name for batch in batches for name in batch) == [  # the copy is not known to be one yet
        "kab_0.csv", "kab_1.csv", "kab_2.csv", "kab_3.csv", "kab_4.csv", "kab_copy.csv"]
    for batch in batches:
        hashed.clear()
        pipeline.stage_batch("p3ke", settings, batch)
        assert sorted(hashed) == sorted(batch)
    hashed.clear()
    files = pipeline._landing_files(settings, SOURCES["p3ke"].SPEC)  # ingest: every fingerprint remembered
    assert hashed == [] and [f.name for f in files if f.is_duplicate] == ["kab_copy.csv"]
    assert pipeline.staging_batches("p3ke", settings) == [[]]


def test_staged_batches_leave_nothing_to_parse_and_ingest_reads_the_same_rows(settings):
    spec = SOURCES["p3ke"].SPEC
    for batch in pipeline.staging_batches("p3ke", settings, workers=3):
        assert pipeline.stage_batch("p3ke", settings, batch)["ditinggal"] == 0
    files = list_files(settings.landing, spec)
    assert all(is_staged(settings.staging, spec, f) for f in files if not f.is_duplicate)
    assert pipeline.staging_batches("p3ke", settings) == [[]]  # one empty batch: the mapped task still runs
    frame = load_dataset(settings.staging, spec, files)
    assert len(frame) == 400 + 50 + 300 + 120 + 10
    assert frame.groupby("berkas", sort=True).size().to_dict() == {
        "kab_0.csv": 400, "kab_1.csv": 50, "kab_2.csv": 300, "kab_3.csv": 120, "kab_4.csv": 10}


def test_a_file_that_cannot_be_read_is_left_for_ingest_to_fail_on(settings):
    broken = settings.landing + "/p3ke/kab_9.csv"
    with open(broken, "wb") as handle:
        handle.write(b"\x00\x01 not a table")
    [batch] = pipeline.staging_batches("p3ke", settings, workers=1)
    assert pipeline.stage_batch("p3ke", settings, batch) == {"sumber": "p3ke", "berkas": 5, "ditinggal": 1}
    with pytest.raises(Exception, match="kab_9.csv"):
        pipeline.ingest("p3ke", settings, ["2025-07"], "test")


def test_the_number_of_batches_is_a_setting(settings, tmp_path):
    env = {"RENTAN_LANDING": settings.landing, "RENTAN_DATA": settings.data_dir, "RENTAN_REPORTS": settings.reports}
    assert load_settings(env).ingest_workers == 2
    three = load_settings({**env, "RENTAN_INGEST_WORKERS": "3"})
    assert len(pipeline.staging_batches("p3ke", three)) == 3
    for bad in ("0", "two", "-1", "1.5"):
        with pytest.raises(ValueError, match="RENTAN_INGEST_WORKERS"):
            load_settings({**env, "RENTAN_INGEST_WORKERS": bad})
