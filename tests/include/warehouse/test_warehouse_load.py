"""Loads: idempotent per month, one transaction each, nothing but bind parameters."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from include.warehouse import WarehouseLoadError, load_period, load_snapshot, read_report_data
from include.warehouse.tables import PERIOD_TABLES

PER_PERIOD = [t.name for t in PERIOD_TABLES.values()] + ["ringkasan"]


def _period_rows(table_rows, engine) -> dict[str, list[tuple]]:
    return {name: table_rows(engine, name) for name in PER_PERIOD}


def _run_ids(engine, table: str) -> set[str]:
    with engine.connect() as conn:
        return set(conn.execute(sa.text(f"SELECT DISTINCT run_id FROM {table}")).scalars())


def test_loading_a_period_twice_leaves_the_same_business_rows(engine, make_result, table_rows):
    load_period(engine, make_result(), "run-1")
    first = _period_rows(table_rows, engine)
    load_period(engine, make_result(), "run-2")

    assert _period_rows(table_rows, engine) == first
    assert len(first["fact_iuran"]) == 5 and len(first["karantina"]) == 6 and len(first["ringkasan"]) == 1
    assert _run_ids(engine, "fact_iuran") == {"run-2"}


def test_loading_a_changed_period_replaces_its_rows(engine, make_result):
    load_period(engine, make_result(bump=10_000), "run-1")
    smaller = make_result()
    smaller.rincian = smaller.rincian.iloc[1:]
    load_period(engine, smaller, "run-2")

    data = read_report_data(engine, "2025-07")

    assert sorted(data.rincian["kpj"]) == sorted(smaller.rincian["kpj"])
    assert sorted(data.rincian["upah_dilaporkan"]) == sorted(smaller.rincian["upah_dilaporkan"])
    assert data.kualitas["jumlah"].sum() == smaller.kualitas["jumlah"].sum()


def test_loading_period_b_leaves_period_a_alone(engine, make_result, table_rows):
    load_period(engine, make_result("2025-06"), "run-1")
    june = _period_rows(table_rows, engine)

    load_period(engine, make_result("2025-07", bump=5_000), "run-2")
    load_period(engine, make_result("2025-07", bump=7_000), "run-3")

    everything = _period_rows(table_rows, engine)
    for name, rows in june.items():
        assert [r for r in everything[name] if r[0] == "2025-06"] == rows, name  # periode comes first
    assert _run_ids(engine, "fact_iuran") == {"run-1", "run-3"}
    assert read_report_data(engine, "2025-06").rincian["upah_dilaporkan"].min() == 1_000_000


def test_a_failure_in_the_middle_of_a_load_keeps_the_previous_rows(engine, make_result, table_rows):
    load_period(engine, make_result(), "run-1")
    before = _period_rows(table_rows, engine)
    broken = make_result(bump=50_000)  # fact_iuran changes, then kualitas_data refuses a NULL
    broken.kualitas.loc[0, "jumlah"] = None

    with pytest.raises(WarehouseLoadError) as failure:
        load_period(engine, broken, "run-2")

    assert _period_rows(table_rows, engine) == before
    assert _run_ids(engine, "fact_iuran") == {"run-1"}
    message = str(failure.value)
    assert "kualitas_data" in message and "PeriodResult.kualitas" in message and "jumlah" in message
    assert "\n" not in message and failure.value.__cause__ is None and failure.value.__suppress_context__
    for personal in ("Budi", "Siti", "1303040101850001", "Dewi"):
        assert personal not in message


def test_a_duplicate_key_fails_the_load_without_row_values(engine, make_result, table_rows):
    load_period(engine, make_result(), "run-1")
    before = _period_rows(table_rows, engine)
    broken = make_result(bump=1)
    broken.rincian.loc[1, "kpj"] = broken.rincian.loc[0, "kpj"]

    with pytest.raises(WarehouseLoadError, match="fact_iuran") as failure:
        load_period(engine, broken, "run-2")

    assert _period_rows(table_rows, engine) == before
    assert "00000000055" not in str(failure.value) and "Yusuf" not in str(failure.value)


def test_bad_values_are_refused_before_the_database_is_touched(engine, make_result, table_rows):
    load_period(engine, make_result(), "run-1")
    before = _period_rows(table_rows, engine)
    fraction = make_result(bump=1)
    fraction.rincian["iuran_jkk"] = fraction.rincian["iuran_jkk"].astype("float64") + 0.5
    other_month = make_result(bump=1)
    other_month.calon.loc[0, "periode"] = "2025-06"
    no_column = make_result(bump=1)
    no_column.hasil = no_column.hasil.drop(columns="orang")

    with pytest.raises(ValueError, match=r"PeriodResult.rincian.iuran_jkk: frame row 0 \(0-based\) is not a whole number"):
        load_period(engine, fraction, "run-2")
    with pytest.raises(ValueError, match="PeriodResult.calon: column periode holds months other than 2025-07"):
        load_period(engine, other_month, "run-2")
    with pytest.raises(ValueError, match="PeriodResult.hasil: no column orang"):
        load_period(engine, no_column, "run-2")
    assert _period_rows(table_rows, engine) == before


def test_text_that_looks_like_sql_is_stored_as_data(engine, make_result):
    load_period(engine, make_result(), "run-1")

    data = read_report_data(engine, "2025-07")

    assert "x'); DROP TABLE fact_iuran; --" in set(data.karantina["nama"])
    assert "Nur'aini" in set(data.rincian["nama"])
    assert len(data.rincian) == 5


def test_load_snapshot_replaces_the_roster_and_records_its_files(engine, make_snapshot, table_rows):
    snapshot = make_snapshot()
    load_snapshot(engine, snapshot, "run-1")
    load_snapshot(engine, snapshot, "run-1")  # a retried task
    smaller = make_snapshot(snapshot.peserta.iloc[:4])
    load_snapshot(engine, smaller, "run-2")

    assert [r[0] for r in table_rows(engine, "dim_peserta")] == sorted(smaller.peserta["kpj"])
    spells = table_rows(engine, "fact_kepesertaan")
    assert [(r[0], r[-2], r[-1]) for r in spells] == sorted(
        zip(smaller.peserta["kpj"], smaller.peserta["berkas"], smaller.peserta["baris"], strict=True)
    )
    assert len(table_rows(engine, "fact_klaim")) == 2
    files = table_rows(engine, "audit_berkas", business_only=False)
    assert sorted((r[0], r[1], r[2]) for r in files) == sorted(
        (run, s, b) for run in ("run-1", "run-2") for s, b in zip(snapshot.berkas["sumber"], snapshot.berkas["berkas"],
                                                                   strict=True)
    )


def test_a_failed_snapshot_load_keeps_the_previous_snapshot(engine, make_snapshot, table_rows):
    load_snapshot(engine, make_snapshot(), "run-1")
    tables = ("dim_peserta", "fact_kepesertaan", "fact_klaim", "keputusan_tinjauan", "audit_berkas")
    before = {t: table_rows(engine, t) for t in tables}
    broken = make_snapshot()
    broken.peserta.loc[3, "tanggal_kepesertaan"] = None

    with pytest.raises(WarehouseLoadError, match="fact_kepesertaan"):
        load_snapshot(engine, broken, "run-2")

    assert {t: table_rows(engine, t) for t in before} == before
