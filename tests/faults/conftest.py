"""Fault fixtures: a warehouse and an undisturbed twin of the same kind, on SQLite and on PostgreSQL.

The twin receives the same loads without the fault; at the end both must hold the same business rows.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
import sqlalchemy as sa
from psycopg import sql

from include.warehouse import create_schema, get_engine
from tests.conftest import admin_connection

ROOT = Path(__file__).resolve().parents[2]
CHILD = Path(__file__).resolve().with_name("load_child.py")
AUDIT_COLUMNS = ("run_id", "loaded_at")  # which load wrote a row and when: differ by design
CHILD_TIMEOUT = 180  # seconds: a child that neither finishes nor pauses by then fails the test
POLL = 0.05  # seconds between looks at a marker file or at the server; never a synchronisation by itself


@dataclass
class Warehouse:
    url: str
    engine: sa.Engine
    kind: str  # "sqlite" or "postgres"

    @property
    def sqlite_file(self) -> Path:
        return Path(self.engine.url.database)

    def rows(self) -> dict[str, list[tuple]]:
        """Every table's business rows (audit columns left out), sorted; empty tables included."""
        inspector = sa.inspect(self.engine)
        out = {}
        with self.engine.connect() as conn:
            for name in sorted(inspector.get_table_names()):
                columns = [sa.column(c["name"]) for c in inspector.get_columns(name) if c["name"] not in AUDIT_COLUMNS]
                rows = conn.execute(sa.select(*columns).select_from(sa.table(name)))
                out[name] = sorted((tuple(r) for r in rows), key=repr)
        return out

    def column(self, table: str, column: str) -> list:
        with self.engine.connect() as conn:
            return sorted(conn.execute(sa.select(sa.column(column)).select_from(sa.table(table))).scalars())

    def run_ids(self, table: str) -> set[str]:
        with self.engine.connect() as conn:
            return set(conn.execute(sa.text(f"SELECT DISTINCT run_id FROM {table}")).scalars())


def _sqlite(tmp_path: Path, name: str) -> str:
    return f"sqlite:///{tmp_path / name / 'warehouse.sqlite'}"


@contextmanager
def _pair(kind: str, tmp_path: Path) -> Iterator[tuple[Warehouse, Warehouse]]:
    made: list[str] = []
    admin = admin_connection() if kind == "postgres" else None
    pair = []
    try:
        for role in ("warehouse", "twin"):
            if admin is None:
                url = _sqlite(tmp_path, role)
            else:
                name = f"rentan_fault_{uuid.uuid4().hex[:12]}"
                admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
                made.append(name)
                url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
            engine = get_engine(url)
            create_schema(engine)
            pair.append(Warehouse(url, engine, kind))
        yield pair[0], pair[1]
    finally:
        for warehouse in pair:
            warehouse.engine.dispose()
        for name in made:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        if admin is not None:
            admin.close()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def warehouses(request, tmp_path) -> Iterator[tuple[Warehouse, Warehouse]]:
    """(warehouse, twin): two fresh warehouses of one kind with the schema created."""
    with _pair(request.param, tmp_path) as pair:
        yield pair


@pytest.fixture
def postgres_warehouses(tmp_path) -> Iterator[tuple[Warehouse, Warehouse]]:
    with _pair("postgres", tmp_path) as pair:
        yield pair


@pytest.fixture
def sqlite_warehouses(tmp_path) -> Iterator[tuple[Warehouse, Warehouse]]:
    with _pair("sqlite", tmp_path) as pair:
        yield pair


def wait_for_file(path: Path, process: subprocess.Popen, what: str, bound: float = CHILD_TIMEOUT) -> None:
    """Bounded polling until `process` has created `path`; fails when it ends first or takes too long."""
    deadline = time.monotonic() + bound
    while not path.exists():
        if process.poll() is not None:
            output = process.stdout.read() if process.stdout else ""
            pytest.fail(f"{what}: the process ended (exit {process.returncode}) first: {output}")
        if time.monotonic() > deadline:
            pytest.fail(f"{what}: not within {bound} s")
        time.sleep(POLL)


def write_lock_is_free(warehouse: Warehouse, table: str) -> bool:
    """Can another connection write at once, without waiting? SQLite: the file's write lock;
    PostgreSQL: the row locks on `table` that a load's DELETE takes."""
    if warehouse.kind == "sqlite":
        conn = sqlite3.connect(warehouse.sqlite_file, timeout=0, isolation_level=None)
        try:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("ROLLBACK")
            return True
        except sqlite3.OperationalError as exc:
            assert "locked" in str(exc)
            return False
        finally:
            conn.close()
    dsn = f"host=127.0.0.1 port=5432 user=postgres dbname={warehouse.engine.url.database}"
    with psycopg.connect(dsn) as conn:
        try:
            conn.execute(sql.SQL("SELECT 1 FROM {} FOR UPDATE NOWAIT").format(sql.Identifier(table))).fetchall()
            return True
        except psycopg.errors.LockNotAvailable:
            return False
        finally:
            conn.rollback()


def child_env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT)}


def start_child(url: str, what: str, version: int, run_id: str, marker: Path) -> subprocess.Popen:
    """A load in a child process that pauses inside its transaction once the marker file exists."""
    return subprocess.Popen(
        [sys.executable, str(CHILD), url, what, str(version), run_id, str(marker)],
        env=child_env(),
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def run_child(url: str, what: str, version: int, run_id: str) -> subprocess.CompletedProcess:
    """The same load, undisturbed, in a fresh process: how an Airflow task retry runs it."""
    return subprocess.run(
        [sys.executable, str(CHILD), url, what, str(version), run_id],
        env=child_env(),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=CHILD_TIMEOUT,
    )
