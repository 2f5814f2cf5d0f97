"""Load the warehouse: a roster snapshot per run, then each month, each in one transaction.

Loads are idempotent: a month's rows are deleted and inserted again in the same transaction,
so a retried or repeated load leaves the same business rows, and a failed one leaves the
previous rows untouched. Values always travel as bind parameters or COPY data, never as SQL.

Retries come in two layers. Here, a transient failure of the database (the connection dropped, the
server restarted, SQLite's write lock held by another writer past the busy timeout) runs the whole
transaction again, LOAD_ATTEMPTS times in all, a second or two apart; a data error never does. Around
that, the Airflow task retries (include.runs.DAG_DEFAULTS: 2 more tries, 30 s apart) cover longer
outages and a killed worker.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable, Iterable, Sequence

import pandas as pd
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from include.model import PeriodResult, Snapshot
from include.periods import parse_period
from include.warehouse.engine import dialect_of
from include.warehouse.sqlfiles import statements
from include.warehouse.tables import AUDIT_BERKAS, PERIOD_TABLES, RINGKASAN, SNAPSHOT_TABLES, Table, rows_of


class WarehouseLoadError(RuntimeError):
    """A load the database refused, or could not be reached for in LOAD_ATTEMPTS tries; nothing of it was kept.
    The message holds no row values."""


# (frame label, the tables it fills, its pieces): the frame comes in pieces, from a callable so that a
# retried transaction reads them again (a month decided in parts is loaded one part at a time); each piece
# goes into every table of the batch before the next is read (the roster fills two tables, read once).
Batch = tuple[str, tuple[Table, ...], Callable[[], Iterable[pd.DataFrame]]]

LOAD_ATTEMPTS = 3  # transactions tried per load, on transient failures only
RETRY_BACKOFF_SECONDS = 1.0  # before the second attempt; doubled before each later one

log = logging.getLogger(__name__)


def load_snapshot(engine: Engine, snapshot: Snapshot, run_id: str) -> None:
    """Replace dim_peserta, fact_kepesertaan and fact_klaim with the snapshot and record its files."""
    load_snapshot_frames(engine, lambda name: [getattr(snapshot, name)], run_id)


def load_snapshot_frames(engine: Engine, frames: Callable[[str], Iterable[pd.DataFrame]], run_id: str) -> None:
    """load_snapshot for a snapshot whose frames come in pieces: frames(name) yields the pieces of the
    Snapshot frame `name` (a national roster a batch of rows at a time), read once per attempt."""
    tables: dict[str, tuple[Table, ...]] = {}
    for field, table in [*SNAPSHOT_TABLES, ("berkas", AUDIT_BERKAS)]:
        tables[field] = (*tables.get(field, ()), table)
    batches = [(f"Snapshot.{field}", targets, _pieces(frames, field)) for field, targets in tables.items()]
    deletes = [*statements("delete_snapshot"), *statements("delete_audit_berkas")]
    _load(engine, "the roster snapshot", deletes, {"run_id": run_id}, batches)


def _pieces(frames: Callable[[str], Iterable[pd.DataFrame]], field: str) -> Callable[[], Iterable[pd.DataFrame]]:
    return lambda: frames(field)


def load_period(engine: Engine, result: PeriodResult, run_id: str) -> None:
    """Replace every row of result.periode in the per-period tables with the result.

    Outcomes of P3KE rows that the new result changes or drops move to riwayat_hasil_p3ke first, so a
    month re-decided on new files keeps its old decisions; an identical reload adds no history.
    """
    load_period_frames(engine, result.periode, result.ringkasan, lambda name: [getattr(result, name)], run_id)


def load_period_frames(engine: Engine, periode: str, ringkasan: dict,
                       frames: Callable[[str], Iterable[pd.DataFrame]], run_id: str) -> None:
    """load_period for a month whose frames come in pieces: frames(name) yields the pieces of the
    PeriodResult frame `name` (include.model.period_frames: one part at a time), read once per attempt."""
    parse_period(periode)
    isi = json.dumps(ringkasan, sort_keys=True, ensure_ascii=False)

    batches: list[Batch] = [(f"PeriodResult.{field}", (table,), _pieces(frames, field))
                            for field, table in PERIOD_TABLES.items()]
    batches.append(("PeriodResult.ringkasan", (RINGKASAN,), lambda: [pd.DataFrame({"isi": [isi]})]))
    before = [*statements("archive_hasil_p3ke"), *statements("delete_periode")]
    _load(engine, f"periode {periode}", before, {"periode": periode, "run_id": run_id}, batches,
          after=statements("prune_riwayat_hasil_p3ke"))


def _load(engine: Engine, what: str, deletes: Sequence[str], params: dict, batches: list[Batch],
          after: Sequence[str] = ()) -> None:
    """Run the deletes, the bulk inserts, then the after statements, in one transaction; a database error
    rolls all back.

    A transient failure (see the dialect's is_transient) is logged, without row values, and the whole
    transaction runs again, up to LOAD_ATTEMPTS in all with a short backoff: nothing of a failed attempt
    was kept, and the load is idempotent even if the connection dropped during COMMIT. A data error (a
    duplicate key, a NULL where none may be) fails at once. The Airflow task retries are the outer layer.
    """
    dialect = dialect_of(engine)
    for attempt in range(1, LOAD_ATTEMPTS + 1):
        step = "delete"
        try:
            with engine.begin() as conn:
                for statement in deletes:
                    conn.execute(text(statement), params)
                for label, tables, pieces in batches:
                    for frame in pieces():
                        for table in tables:
                            step = f"{table.name} (from {label})"
                            rows = rows_of(frame, table, label, params["run_id"], params.get("periode"))
                            dialect.bulk_insert(conn, table.name, table.insert_columns(), rows)
                step = "after the inserts"
                for statement in after:
                    conn.execute(text(statement), params)
            return
        except (DBAPIError, *dialect.driver_errors) as exc:
            # `from None` below: the driver's own message quotes the offending row (NIK, names).
            failure = f"warehouse ({dialect.name}): loading {what} failed at {step}: {dialect.describe_error(exc)}"
            if not dialect.is_transient(exc):
                raise WarehouseLoadError(
                    f"{failure}; nothing of this load was kept - fix the frame the message names and run the load again"
                ) from None
            if attempt == LOAD_ATTEMPTS:
                raise WarehouseLoadError(
                    f"{failure}, attempt {attempt} of {attempt}; nothing of this load was kept - check that the "
                    "warehouse (RENTAN_WAREHOUSE_URL) is up and reachable and run the load again"
                ) from None
            pause = RETRY_BACKOFF_SECONDS * 2 ** (attempt - 1)
            log.warning("%s, attempt %d of %d; nothing of it was kept, running the whole transaction again in %.0f s",
                        failure, attempt, LOAD_ATTEMPTS, pause)
            time.sleep(pause)
