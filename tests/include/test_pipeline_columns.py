"""The stages read only some columns of the staged dataset: what they give must equal what the whole
dataset gives, on the demo's files (every source, quarantined rows, review decisions)."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pandas as pd
import pytest

from include import pipeline
from include.decide import decide_period
from include.matching import Links, link
from include.model import PeriodResult
from include.policy import default_policy
from include.wilayah import load_wilayah
from tests.include.demo_dataset import staged_demo

PERIODE = "2025-07"


@pytest.fixture(scope="module")
def staged(tmp_path_factory):
    return staged_demo(tmp_path_factory.mktemp("columns"), PERIODE)


def test_each_stage_asks_only_for_columns_the_staged_files_hold(staged):
    import pyarrow.parquet as pq

    for columns in (pipeline.LINK_COLUMNS, pipeline.SNAPSHOT_COLUMNS, pipeline.DECIDE_COLUMNS):
        for name, wanted in columns.items():
            held = set(pq.read_schema(pipeline._dataset_dir(staged) / f"{name}.parquet").names)
            assert not set(wanted or []) - held, (name, set(wanted or []) - held)


def test_the_month_decided_from_the_decide_columns_equals_the_month_decided_from_every_column(staged, tmp_path):
    pipeline.decide(staged, PERIODE)  # reads DECIDE_COLUMNS
    pruned = PeriodResult.load(Path(staged.staging) / "keputusan" / PERIODE, PERIODE)
    decide_period(pipeline.load_validated(staged), Links.load(Path(staged.staging) / "links"), PERIODE,
                  default_policy(), load_wilayah(), staged.region).save(tmp_path / "whole")
    whole = PeriodResult.load(tmp_path / "whole", PERIODE)  # the same way to disk and back
    assert len(whole.hasil) > 10_000 and len(whole.rincian) > 1_000 and len(whole.karantina) > 0
    for field in dataclasses.fields(whole):
        mine, theirs = getattr(pruned, field.name), getattr(whole, field.name)
        if isinstance(theirs, pd.DataFrame):
            pd.testing.assert_frame_equal(mine.reset_index(drop=True), theirs.reset_index(drop=True),
                                          check_dtype=False, obj=field.name)
        else:
            assert mine == theirs, field.name


def test_the_links_from_the_link_columns_equal_the_links_from_every_column(staged):
    data = pipeline.load_validated(staged)
    roster = data.peserta[data.peserta["alasan"] == ""]
    whole = link(data.p3ke, roster, data.tinjauan, default_policy())
    kept = Links.load(Path(staged.staging) / "links")
    for field in ("orang", "peserta", "ragu", "bobot"):
        mine, theirs = getattr(kept, field), getattr(whole, field)
        if isinstance(theirs, pd.Series):
            pd.testing.assert_series_equal(mine, theirs, check_dtype=False, check_names=False, obj=field)
        else:
            pd.testing.assert_frame_equal(mine.reset_index(drop=True), theirs.reset_index(drop=True),
                                          check_dtype=False, obj=field)


def test_keys_ranked_give_the_links_of_keys_hashed(staged, monkeypatch):
    """Key ids are hashes unless two key values were seen to share one; then they are ranks. Both must
    give the same links (ranks are exact by construction)."""
    from include.linkage import features

    hashed = Links.load(Path(staged.staging) / "links")
    monkeypatch.setattr(features, "_hash_collides", lambda con: True)
    data = pipeline.load_validated(staged, pipeline.LINK_COLUMNS)
    ranked = link(data.p3ke, data.peserta[data.peserta["alasan"] == ""], data.tinjauan, default_policy())
    assert len(ranked.peserta) > 1_000 and len(ranked.ragu) > 0
    pd.testing.assert_series_equal(ranked.orang, hashed.orang, check_dtype=False, check_names=False)
    for field in ("peserta", "ragu", "bobot"):
        pd.testing.assert_frame_equal(getattr(ranked, field).reset_index(drop=True),
                                      getattr(hashed, field).reset_index(drop=True), check_dtype=False, obj=field)


def test_an_optional_column_no_file_had_is_not_asked_of_the_staged_file(staged, tmp_path):
    import pyarrow.parquet as pq

    folder = tmp_path / "data" / "staging" / "dataset"
    folder.mkdir(parents=True)
    source = pipeline._dataset_dir(staged)
    for path in source.iterdir():
        if path.name == "p3ke.parquet":
            table = pq.read_table(path)
            pq.write_table(table.drop_columns(["padan_dukcapil"]), folder / path.name)
        else:
            (folder / path.name).write_bytes(path.read_bytes())
    settings = dataclasses.replace(staged, data_dir=str(tmp_path / "data"))
    data = pipeline.load_validated(settings, pipeline.DECIDE_COLUMNS)
    assert "padan_dukcapil" not in data.p3ke and "desil_kesejahteraan" in data.p3ke
    missing = {**pipeline.DECIDE_COLUMNS, "p3ke": [*pipeline.DECIDE_COLUMNS["p3ke"], "bukan_kolom"]}
    with pytest.raises(Exception, match="bukan_kolom"):
        pipeline.load_validated(settings, missing)
