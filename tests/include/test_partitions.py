"""A month decided in closed parts equals the month decided whole (include.partitions, pipeline.decide),
on the demo's files (every source, quarantined rows, review pairs, duplicates); and so do the warehouse
rows it loads, part by part, and the report data read back."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from include import pipeline
from include.decide import decide_period
from include.matching import Links
from include.model import PeriodResult, part_folders
from include.partitions import plan_parts, read_plan
from include.policy import default_policy
from include.wilayah import load_wilayah
from tests.include.demo_dataset import staged_demo

PERIODE = "2025-07"
PART_ROWS = 3_000  # the demo's ~32,000 P3KE and roster rows in about ten parts
# Natural keys: a part's rows come in its own order, the warehouse sorts on read.
KEYS = {"hasil": ["berkas", "baris"], "rincian": ["kpj"], "calon": ["prioritas"],
        "tinjauan": ["id_individu", "kandidat_kpj", "kandidat_nik"], "karantina": ["sumber", "berkas", "baris"]}


@pytest.fixture(scope="module")
def staged(tmp_path_factory):
    return staged_demo(tmp_path_factory.mktemp("parts"), PERIODE, RENTAN_PART_ROWS=str(PART_ROWS))


@pytest.fixture(scope="module")
def whole(staged, tmp_path_factory):
    """The month decided over the whole dataset at once, through disk like the parts."""
    folder = tmp_path_factory.mktemp("whole")
    decide_period(pipeline.load_validated(staged, pipeline.DECIDE_COLUMNS), Links.load(Path(staged.staging) / "links"),
                  PERIODE, default_policy(), load_wilayah(), staged.region).save(folder)
    return PeriodResult.load(folder, PERIODE)


def _sorted(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    return frame.sort_values(KEYS[name]).reset_index(drop=True) if name in KEYS else frame.reset_index(drop=True)


def test_the_parts_are_closed_and_hold_every_row_once(staged):
    import pyarrow.parquet as pq

    plan = read_plan(Path(staged.staging) / "bagian")
    parts = len(plan["bagian"])
    assert parts >= 8
    folder = Path(staged.staging) / "bagian"
    p3ke = pd.concat([pd.read_parquet(folder / str(k) / "p3ke.parquet", columns=["urut"]).assign(bagian=k)
                      for k in range(parts)], ignore_index=True)
    roster = pd.concat([pd.read_parquet(folder / str(k) / "peserta.parquet", columns=["kpj", "alasan"]).assign(bagian=k)
                        for k in range(parts)], ignore_index=True)
    for name in ("p3ke", "peserta", "klaim"):
        staged_rows = pq.read_metadata(pipeline._dataset_dir(staged) / f"{name}.parquet").num_rows
        assert sum(p[name] for p in plan["bagian"]) == staged_rows, name
    assert sorted(p3ke["urut"]) == list(range(len(p3ke)))  # every P3KE row once
    assert not roster.loc[roster["alasan"] == "", "kpj"].duplicated().any()
    part_of_row = p3ke.set_index("urut")["bagian"]
    part_of_kpj = roster[roster["alasan"] == ""].set_index("kpj")["bagian"]
    links = Links.load(Path(staged.staging) / "links")
    # A person's rows, its participants and both sides of its review pairs are in one part.
    persons = links.orang.rename("orang").reset_index()
    assert (part_of_row[persons["urut"]].to_numpy() == part_of_row[persons["orang"]].to_numpy()).all()
    assert len(links.peserta) > 1_000
    assert (part_of_row[links.peserta["orang"]].to_numpy() == part_of_kpj[links.peserta["kpj"]].to_numpy()).all()
    ragu = links.ragu
    to_kpj, to_row = ragu[ragu["kandidat_kpj"] != ""], ragu[ragu["kandidat_urut"].notna()]
    assert len(to_kpj) and len(to_row)
    assert (part_of_row[to_kpj["urut"]].to_numpy() == part_of_kpj[to_kpj["kandidat_kpj"]].to_numpy()).all()
    assert (part_of_row[to_row["urut"]].to_numpy()
            == part_of_row[to_row["kandidat_urut"].astype("int64")].to_numpy()).all()


def test_the_month_decided_in_parts_equals_the_month_decided_whole(staged, whole):
    summary = pipeline.decide(staged, PERIODE)
    folder = Path(staged.staging) / "keputusan" / PERIODE
    assert summary["bagian"] == len(part_folders(folder)) >= 8
    parts = PeriodResult.load(folder, PERIODE)
    assert len(whole.hasil) > 10_000 and len(whole.rincian) > 1_000 and len(whole.calon) > 100
    assert len(whole.karantina) > 0 and len(whole.tinjauan) > 0
    for field in dataclasses.fields(whole):
        mine, theirs = getattr(parts, field.name), getattr(whole, field.name)
        if isinstance(theirs, pd.DataFrame):
            pd.testing.assert_frame_equal(_sorted(mine, field.name), _sorted(theirs, field.name),
                                          check_dtype=False, obj=field.name)
        else:
            assert mine == theirs, field.name
    # The candidates' priorities run 1.. over the month, not per part.
    assert sorted(parts.calon["prioritas"]) == list(range(1, len(whole.calon) + 1))


def test_a_month_loaded_part_by_part_reads_back_as_the_month_loaded_whole(staged, whole, warehouse_url, tmp_path):
    """SQLite (executemany per part) and PostgreSQL (a COPY per part), against the whole month loaded into
    SQLite at once."""
    from include.warehouse import create_schema, get_engine, load_period, read_report_data

    settings = dataclasses.replace(staged, warehouse_url=warehouse_url)
    pipeline.decide(settings, PERIODE)
    pipeline.prepare_load(settings, "run-parts", [PERIODE])
    loaded = pipeline.load_period(settings, PERIODE, "run-parts")
    assert loaded == {"periode": PERIODE, "rincian": len(whole.rincian), "hasil": len(whole.hasil)}
    engine = get_engine(f"sqlite:///{tmp_path / 'whole.db'}")
    create_schema(engine)
    load_period(engine, whole, "run-parts")
    mine, theirs = read_report_data(get_engine(warehouse_url), PERIODE), read_report_data(engine, PERIODE)
    for field in dataclasses.fields(theirs):
        a, b = getattr(mine, field.name), getattr(theirs, field.name)
        if isinstance(b, pd.DataFrame):
            pd.testing.assert_frame_equal(a, b, obj=field.name)
        else:
            assert a == b, field.name


def test_a_split_is_kept_while_nothing_changed_and_redone_when_the_part_size_changes(staged):
    folder = Path(staged.staging) / "bagian"
    before = (folder / "rencana.json").stat().st_mtime_ns
    links = Links.load(Path(staged.staging) / "links")
    fingerprint = (Path(staged.staging) / "links" / "fingerprint.txt").read_text(encoding="utf-8").strip()
    assert pipeline.split_for_decide(staged, links, fingerprint) == len(read_plan(folder)["bagian"])
    assert (folder / "rencana.json").stat().st_mtime_ns == before
    one = dataclasses.replace(staged, part_rows=10_000_000)
    assert pipeline.split_for_decide(one, links, fingerprint) == 1
    assert json.loads((folder / "rencana.json").read_text(encoding="utf-8"))["baris_per_bagian"] == 10_000_000
    assert pipeline.split_for_decide(staged, links, fingerprint) >= 8  # back as the other tests expect


def test_a_component_larger_than_a_part_leaves_no_empty_part():
    # Six P3KE rows of one person (0..5), two of another, one quarantined row; two roster rows.
    orang = pd.Series([0, 0, 0, 0, 0, 0, 6, 6], index=range(8))
    linked = pd.DataFrame({"orang": [0, 6], "kpj": ["K1", "K2"]})
    ragu = pd.DataFrame({"urut": [6], "kandidat_kpj": ["K1"], "kandidat_urut": pd.array([pd.NA], dtype="Int64")})
    plan = plan_parts(9, orang, linked, ragu, ["K1", "K2", "K3"], np.array([True, True, False]), klaim_rows=5,
                      part_rows=2)
    # Everything but the quarantined P3KE row and roster row is one component (the review pair joins
    # them): ten of twelve rows, so of the six parts of two rows planned only the first and the last hold any.
    assert plan.p3ke.tolist()[:8] == [plan.p3ke[0]] * 8 and plan.peserta[0] == plan.peserta[1] == plan.p3ke[0]
    assert sorted(set(plan.p3ke) | set(plan.peserta) | set(plan.klaim)) == list(range(plan.parts))
    assert plan.parts == 2 and plan.p3ke[8] == plan.peserta[2] == 1 and plan.klaim.tolist() == [0, 0, 0, 1, 1]


def test_the_snapshot_loaded_a_batch_at_a_time_equals_the_snapshot_loaded_whole(staged, tmp_path, monkeypatch):
    from include.warehouse import create_schema, get_engine, load_snapshot
    from include.warehouse.tables import AUDIT_BERKAS, SNAPSHOT_TABLES

    monkeypatch.setattr(pipeline, "SNAPSHOT_BATCH_ROWS", 1_000)  # the demo roster in about twenty batches
    engines = {}
    for way in ("batches", "whole"):
        settings = dataclasses.replace(staged, warehouse_url=f"sqlite:///{tmp_path / way}.db")
        engines[way] = engine = get_engine(settings.warehouse_url)
        pipeline.prepare_load(settings, "run-1", [PERIODE])
        if way == "batches":
            assert pipeline.load_snapshot(settings, "run-1")["peserta"] > 10_000
        else:
            create_schema(engine)
            load_snapshot(engine, pipeline.snapshot(settings), "run-1")
    for table in [t for _, t in SNAPSHOT_TABLES] + [AUDIT_BERKAS]:
        columns = ", ".join(table.columns)
        read = {way: pd.read_sql(f"SELECT {columns} FROM {table.name} ORDER BY {columns}", engine)
                for way, engine in engines.items()}
        assert len(read["whole"]) > 0 or table.name == "keputusan_tinjauan", table.name  # the demo has no reviews
        pd.testing.assert_frame_equal(read["batches"], read["whole"], obj=table.name)
