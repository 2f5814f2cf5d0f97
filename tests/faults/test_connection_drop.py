"""The warehouse connection lost in the middle of a load: the load runs its transaction again and completes.

PostgreSQL: the load pauses (a wrapped bulk_insert, in this test only) once the first table of its
transaction is written, and the test ends its backend with pg_terminate_backend. SQLite has no
connection to drop; its transient failure is another process holding the write lock past the busy
timeout, then letting go. A data error is never retried.
"""

from __future__ import annotations

import logging
import subprocess
import sys

import psycopg
import pytest
import sqlalchemy as sa

from include.warehouse import WarehouseLoadError, get_engine, load_period
from include.warehouse import load as load_module
from include.warehouse.dialects import PostgresDialect
from tests.conftest import PG_ADMIN
from tests.faults import synthetic
from tests.faults.conftest import wait_for_file, write_lock_is_free

LOAD_LOGGER = "include.warehouse.load"
# values of the synthetic rows that must never reach a log line or an error message
PERSONAL = ("Peserta ", "Calon ", synthetic.nik(150), synthetic.kpj(150))


def _retries(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == LOAD_LOGGER and r.levelno == logging.WARNING]


class BackendKiller:
    """Wraps PostgresDialect.bulk_insert: after the first table of an attempt is written, the test ends that
    attempt's backend (pg_terminate_backend, waiting until it is gone); `times` attempts are cut so."""

    def __init__(self, monkeypatch, times: int):
        self.times = times
        self.terminated: list[int] = []
        self.backends: list[int] = []  # the backend of every bulk insert, in order
        original = PostgresDialect.bulk_insert
        killer = self

        def bulk_insert(dialect, conn, table, columns, rows):
            original(dialect, conn, table, columns, rows)
            pid = conn.connection.driver_connection.info.backend_pid
            killer.backends.append(pid)
            if rows and len(killer.terminated) < killer.times and pid not in killer.terminated:
                with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
                    ended = admin.execute("SELECT pg_terminate_backend(%s, 30000)", (pid,)).fetchone()[0]
                assert ended, f"backend {pid} still runs"
                killer.terminated.append(pid)

        monkeypatch.setattr(PostgresDialect, "bulk_insert", bulk_insert)


@pytest.mark.postgres
def test_a_backend_terminated_mid_load_is_retried_and_the_load_completes(postgres_warehouses, monkeypatch, caplog):
    warehouse, twin = postgres_warehouses
    for target in (warehouse, twin):
        load_period(target.engine, synthetic.period_result(1), "run-1")
    load_period(twin.engine, synthetic.period_result(2), "run-2")  # the undisturbed run
    killer = BackendKiller(monkeypatch, times=1)
    caplog.set_level(logging.WARNING, logger=LOAD_LOGGER)

    load_period(warehouse.engine, synthetic.period_result(2), "run-2")

    assert len(killer.terminated) == 1
    assert killer.backends[0] == killer.terminated[0]  # cut after fact_iuran, the first table
    assert killer.terminated[0] not in killer.backends[1:]  # the retry ran on a new connection
    assert warehouse.rows() == twin.rows()
    assert warehouse.run_ids("fact_iuran") == {"run-2"}
    assert warehouse.column("fact_iuran", "kpj") == sorted(synthetic.period_result(2).rincian["kpj"])
    [retry] = _retries(caplog)
    assert "periode 2025-07" in retry and "fact_hasil_p3ke" in retry and "attempt 1 of 3" in retry
    assert not any(value in retry for value in PERSONAL)


@pytest.mark.postgres
def test_a_connection_lost_on_every_attempt_fails_after_three_keeping_the_previous_rows(
    postgres_warehouses, monkeypatch, caplog
):
    warehouse, _ = postgres_warehouses
    load_period(warehouse.engine, synthetic.period_result(1), "run-1")
    before = warehouse.rows()
    killer = BackendKiller(monkeypatch, times=3)
    monkeypatch.setattr(load_module, "RETRY_BACKOFF_SECONDS", 0.1)
    caplog.set_level(logging.WARNING, logger=LOAD_LOGGER)

    with pytest.raises(WarehouseLoadError) as failure:
        load_period(warehouse.engine, synthetic.period_result(2), "run-2")

    assert len(killer.terminated) == 3
    assert [m.split(", attempt ")[1][:6] for m in _retries(caplog)] == ["1 of 3", "2 of 3"]
    message = str(failure.value)
    assert "attempt 3 of 3" in message and "RENTAN_WAREHOUSE_URL" in message and "\n" not in message
    assert not any(value in message for value in PERSONAL)
    assert warehouse.rows() == before


def test_a_duplicate_key_fails_at_once_without_a_retry(warehouses, monkeypatch, caplog):
    warehouse, _ = warehouses
    load_period(warehouse.engine, synthetic.period_result(1), "run-1")
    before = warehouse.rows()
    broken = synthetic.period_result(2)
    broken.rincian.loc[1, "kpj"] = broken.rincian.loc[0, "kpj"]
    transactions = []
    sa.event.listen(warehouse.engine, "begin", lambda conn: transactions.append(conn))
    caplog.set_level(logging.WARNING, logger=LOAD_LOGGER)

    with pytest.raises(WarehouseLoadError, match="fact_iuran") as failure:
        load_period(warehouse.engine, broken, "run-2")

    assert len(transactions) == 1
    assert _retries(caplog) == []
    assert "attempt" not in str(failure.value)
    assert warehouse.rows() == before


LOCK_HOLDER = """
import pathlib, sqlite3, sys, time
database, locked, release = sys.argv[1:4]
conn = sqlite3.connect(database, isolation_level=None)
conn.execute("BEGIN IMMEDIATE")  # SQLite's one write lock, as a long write by another program holds it
pathlib.Path(locked).touch()
deadline = time.monotonic() + 120
while not pathlib.Path(release).exists() and time.monotonic() < deadline:
    time.sleep(0.05)
conn.execute("COMMIT")
"""


def test_sqlite_locked_by_another_process_past_the_busy_timeout_is_retried(
    sqlite_warehouses, monkeypatch, tmp_path, caplog
):
    warehouse, twin = sqlite_warehouses
    for target in (warehouse, twin):
        load_period(target.engine, synthetic.period_result(1), "run-1")
    load_period(twin.engine, synthetic.period_result(2), "run-2")
    monkeypatch.setattr("include.warehouse.dialects.BUSY_TIMEOUT_SECONDS", 1)  # 30 s in production
    engine = get_engine(warehouse.url)
    locked, release = tmp_path / "locked", tmp_path / "release"
    holder = subprocess.Popen(
        [sys.executable, "-c", LOCK_HOLDER, str(warehouse.sqlite_file), str(locked), str(release)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )

    class ReleaseOnRetry(logging.Handler):
        """The holder lets go once the load has given up its first attempt, and is gone before the second."""

        def emit(self, record):
            release.touch()
            assert holder.wait(timeout=60) == 0

    handler = ReleaseOnRetry(logging.WARNING)
    logging.getLogger(LOAD_LOGGER).addHandler(handler)
    caplog.set_level(logging.WARNING, logger=LOAD_LOGGER)
    try:
        wait_for_file(locked, holder, "the other process taking the write lock")
        assert not write_lock_is_free(warehouse, "fact_iuran")

        load_period(engine, synthetic.period_result(2), "run-2")
    finally:
        logging.getLogger(LOAD_LOGGER).removeHandler(handler)
        release.touch()
        holder.wait(timeout=60)
        holder.stdout.close()
        engine.dispose()

    [retry] = _retries(caplog)
    assert "database is locked" in retry and "attempt 1 of 3" in retry and "periode 2025-07" in retry
    assert warehouse.rows() == twin.rows()
    assert warehouse.run_ids("fact_iuran") == {"run-2"}
    assert holder.returncode == 0
