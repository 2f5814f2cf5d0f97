"""The audit trail: runs, and the way back from a bill to its file, row and run."""

from __future__ import annotations

import pytest

from include.warehouse import load_period, load_snapshot, read_jejak_kpj, record_run

ROSTER = "peserta_2025_07.csv"  # the synthetic roster file of conftest.py


def test_record_run_keeps_start_and_sets_finish(engine, table_rows):
    record_run(engine, "manual__1", "rentan_load", ["2025-07", "2025-05", "2025-06"], "running")
    [started] = table_rows(engine, "audit_run", business_only=False)
    record_run(engine, "manual__1", "rentan_load", [], "success")
    record_run(engine, "manual__1", "rentan_report", ["2025-07"], "failed")

    runs = {r[1]: r for r in table_rows(engine, "audit_run", business_only=False)}
    run_id, dag_id, dari, sampai, status, started_at, finished_at = runs["rentan_load"]
    assert (run_id, dari, sampai, status) == ("manual__1", "2025-05", "2025-07", "success")
    assert started_at == started[5] and started[6] is None and finished_at is not None
    assert runs["rentan_report"][2:5] == ("2025-07", "2025-07", "failed")


def test_record_run_refuses_unknown_status_and_months(engine):
    with pytest.raises(ValueError, match="not one of running, success, failed"):
        record_run(engine, "manual__1", "rentan_load", ["2025-07"], "done")
    with pytest.raises(ValueError, match="YYYY-MM"):
        record_run(engine, "manual__1", "rentan_load", ["2025-13"], "running")


def test_jejak_kpj_lists_every_billed_month_with_file_row_and_run(engine, make_result, make_snapshot):
    load_snapshot(engine, make_snapshot(), "run-1")
    load_period(engine, make_result("2025-06"), "run-1")
    load_snapshot(engine, make_snapshot(), "run-2")
    load_period(engine, make_result("2025-07"), "run-2")

    jejak = read_jejak_kpj(engine, "00000000011")

    assert list(jejak["periode"]) == ["2025-06", "2025-07"]
    assert list(jejak["berkas"]) == [ROSTER, ROSTER] and list(jejak["baris"]) == [2, 2]
    assert list(jejak["run_id"]) == ["run-1", "run-2"]
    assert list(jejak["sha256"]) == ["a" * 64, "a" * 64]
    assert list(jejak["total_iuran"]) == [16_800, 16_800]
    assert jejak["loaded_at"].str.match(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$").all()
    assert read_jejak_kpj(engine, "00000000011' OR '1'='1").empty
