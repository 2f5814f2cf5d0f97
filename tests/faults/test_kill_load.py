"""kill -9 in the middle of a load: nothing of it is kept, no lock is left, and its retry completes.

A child process loads version 2 of a synthetic month (or roster snapshot) over version 1 and is
killed with SIGKILL once the first table of its transaction is written. The warehouse must then
hold exactly version 1, take a write at once, and after the same load run again in a fresh process
(an Airflow task retry) hold what an undisturbed twin holds.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import time
from pathlib import Path

import psycopg
import pytest

from include.warehouse import load_period, load_snapshot
from tests.conftest import PG_ADMIN
from tests.faults import synthetic
from tests.faults.conftest import CHILD_TIMEOUT, POLL, run_child, start_child, wait_for_file, write_lock_is_free

# what -> (production load, synthetic data, first table of its transaction, its key column)
LOADS = {
    "period": (load_period, synthetic.period_result, "fact_iuran", "kpj"),
    "snapshot": (load_snapshot, synthetic.snapshot, "dim_peserta", "kpj"),
}
WAL_HEADER, WAL_FRAME = 32, 24 + 4096  # bytes: SQLite's WAL header and one frame of a 4 KiB page


def _wait_for_marker(child, marker: Path) -> tuple[int, str]:
    """(PostgreSQL backend pid or 0, table written) once the child pauses inside its transaction."""
    wait_for_file(marker, child, "the load pausing inside its transaction")
    pid, table = marker.read_text(encoding="utf-8").split()
    return int(pid), table


def _backend_state(pid: int) -> str | None:
    with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
        row = admin.execute("SELECT state FROM pg_stat_activity WHERE pid = %s", (pid,)).fetchone()
    return row[0] if row else None


def _wait_until_backend_gone(pid: int, bound: float = 30.0) -> None:
    """The server ends a dead client's backend when its socket closes; bounded wait for it."""
    deadline = time.monotonic() + bound
    with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
        while admin.execute(
            "SELECT (SELECT count(*) FROM pg_stat_activity WHERE pid = %s) + (SELECT count(*) FROM pg_locks WHERE pid = %s)",
            (pid, pid),
        ).fetchone()[0]:
            if time.monotonic() > deadline:
                pytest.fail(f"PostgreSQL still runs backend {pid} of the killed load after {bound} s")
            time.sleep(POLL)


@pytest.mark.parametrize("what", LOADS)
def test_a_load_killed_mid_transaction_keeps_the_previous_rows_and_its_retry_completes(warehouses, what, tmp_path):
    warehouse, twin = warehouses
    load, data, first_table, key = LOADS[what]
    for target in (warehouse, twin):
        load(target.engine, data(1), "run-1")
    load(twin.engine, data(2), "run-2")  # the undisturbed run
    before = warehouse.rows()
    warehouse.engine.dispose()  # SQLite: the WAL is checkpointed away, so what it holds next is the child's
    marker = tmp_path / "paused"

    child = start_child(warehouse.url, what, 2, "run-2", marker)
    try:
        pid, table = _wait_for_marker(child, marker)
        assert table == first_table
        assert not write_lock_is_free(warehouse, first_table)  # the transaction is open and holds the lock
        if warehouse.kind == "sqlite":  # its pages reached the disk, uncommitted
            assert Path(f"{warehouse.sqlite_file}-wal").stat().st_size > WAL_HEADER + WAL_FRAME
        else:
            assert _backend_state(pid) == "idle in transaction"
        os.kill(child.pid, signal.SIGKILL)
        assert child.wait(timeout=CHILD_TIMEOUT) == -signal.SIGKILL
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
        child.stdout.close()

    if warehouse.kind == "postgres":
        _wait_until_backend_gone(pid)
    assert write_lock_is_free(warehouse, first_table)
    assert warehouse.rows() == before  # no partial rows: version 1, exactly
    assert warehouse.run_ids(first_table) == {"run-1"}
    if warehouse.kind == "sqlite":
        with sqlite3.connect(warehouse.sqlite_file) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]

    retry = run_child(warehouse.url, what, 2, "run-2")

    assert retry.returncode == 0, retry.stdout + retry.stderr
    after = warehouse.rows()
    assert after == twin.rows()
    assert after != before
    frame = data(2).rincian if what == "period" else data(2).peserta
    assert warehouse.column(first_table, key) == sorted(frame[key])  # version 2's rows, none of version 1's own
    assert len(after[first_table]) == synthetic.ROWS
    assert warehouse.run_ids(first_table) == {"run-2"}
