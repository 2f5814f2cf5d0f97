"""The audit trail: which DAG run touched the warehouse, for which months, with what outcome."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Engine, text

from include.periods import parse_period
from include.warehouse.sqlfiles import query

RUN_STATUSES = ("running", "success", "failed")


def record_run(engine: Engine, run_id: str, dag_id: str, periods: Sequence[str], status: str) -> None:
    """Insert or update the audit_run row of (run_id, dag_id).

    The first call sets started_at; a status other than 'running' sets finished_at. An empty
    `periods` keeps the months recorded before.
    """
    if status not in RUN_STATUSES:
        raise ValueError(f"run status {status!r} is not one of {', '.join(RUN_STATUSES)}")
    for periode in periods:
        parse_period(periode)
    params = {
        "run_id": run_id,
        "dag_id": dag_id,
        "periode_dari": min(periods, default=None),
        "periode_sampai": max(periods, default=None),
        "status": status,
    }
    with engine.begin() as conn:
        conn.execute(text(query("upsert_audit_run")), params)
