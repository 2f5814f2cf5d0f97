"""Ingest reads, validates and writes a dataset a group of files at a time (pipeline.ingest_groups): the
staged dataset, the file audit and the summary equal those of the dataset ingested at once, on the demo's
files (CSV and Excel side by side, quarantined rows, a quarantine-share failure)."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from include import pipeline
from include.settings import load_settings
from include.sources.staging import read_staged

PERIODE = "2025-07"
SOURCES = ("peserta", "klaim", "p3ke", "tinjauan")


def _settings(root: Path, landing: Path, part_rows: int):
    return load_settings({"RENTAN_LANDING": str(landing), "RENTAN_DATA": str(root / "data"),
                          "RENTAN_REPORTS": str(root / "reports"), "RENTAN_REGION": "13.03",
                          "RENTAN_PART_ROWS": str(part_rows), "RENTAN_WAREHOUSE_URL": f"sqlite:///{root / 'w.db'}"})


@pytest.fixture(scope="module")
def ingested(tmp_path_factory):
    from include.demo import generate

    root = tmp_path_factory.mktemp("groups")
    generate(root / "landing", root / "truth.json", 20250701)
    out = {}
    for way, part_rows in (("whole", 10_000_000), ("groups", 2_000)):  # eight P3KE files of ~2,500 rows
        settings = _settings(root / way, root / "landing", part_rows)
        out[way] = settings, {name: pipeline.ingest(name, settings, [PERIODE], "run-1") for name in SOURCES}
    return out


def test_a_dataset_ingested_in_groups_equals_the_dataset_ingested_at_once(ingested):
    (whole, at_once), (grouped, in_groups) = ingested["whole"], ingested["groups"]
    assert in_groups["p3ke"]["kelompok"] >= 4
    assert "kelompok" not in at_once["p3ke"]
    for name in SOURCES:
        mine = read_staged(pipeline._dataset_dir(grouped) / f"{name}.parquet")
        theirs = read_staged(pipeline._dataset_dir(whole) / f"{name}.parquet")
        assert len(theirs) > 0 or name == "tinjauan", name
        pd.testing.assert_frame_equal(mine, theirs, obj=name)
        for file_name in (f"{name}_berkas.json",):
            assert (json.loads((pipeline._dataset_dir(grouped) / file_name).read_text(encoding="utf-8"))
                    == json.loads((pipeline._dataset_dir(whole) / file_name).read_text(encoding="utf-8")))
        keep = {k: v for k, v in in_groups[name].items() if k not in ("data_docs", "kelompok")}
        assert keep == {k: v for k, v in at_once[name].items() if k != "data_docs"}, name
    assert at_once["p3ke"]["karantina"] > 0


def test_every_group_is_in_the_data_docs(ingested):
    grouped, in_groups = ingested["groups"]
    results = list((Path(grouped.data_docs) / "run-1" / "hasil").glob("p3ke__*.json"))
    assert len(results) == in_groups["p3ke"]["kelompok"]


def test_a_file_over_the_quarantine_limit_fails_the_grouped_ingest_as_it_fails_the_whole(ingested, tmp_path):
    """The last P3KE file gets a broken NIK in every row: the same file named, the same message."""
    import shutil

    (whole, _), _ = ingested["whole"], None
    landing = tmp_path / "landing"
    shutil.copytree(whole.landing, landing)
    last = sorted((landing / "p3ke").glob("*.csv"))[-1]
    frame = pd.read_csv(last, dtype=str, keep_default_na=False)
    frame["nik"] = "12345"
    frame.to_csv(last, index=False)
    messages = []
    for way, part_rows in (("whole", 10_000_000), ("groups", 2_000)):
        settings = _settings(tmp_path / way, landing, part_rows)
        with pytest.raises(pipeline.ValidationFailed) as failed:
            pipeline.ingest("p3ke", settings, [PERIODE], "run-1")
        messages.append(str(failed.value))
    assert messages[0] == messages[1] and last.name in messages[0]
