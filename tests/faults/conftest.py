"""Fault fixtures: a warehouse and an undisturbed twin of the same kind, on SQLite and on PostgreSQL.

The twin receives the same loads without the fault; at the end both must hold the same business rows.
"""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa
from psycopg import sql

from include.warehouse import create_schema, get_engine
from tests.conftest import admin_connection

ROOT = Path(__file__).resolve().parents[2]
CHILD = Path(__file__).resolve().with_name("load_child.py")
AUDIT_COLUMNS = ("run_id", "loaded_at")  # which load wrote a row and when: differ by design
CHILD_TIMEOUT = 180  # seconds: a child that neither finishes nor pauses by then fails the test


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


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def warehouses(request, tmp_path) -> Iterator[tuple[Warehouse, Warehouse]]:
    """(warehouse, twin): two fresh warehouses of one kind with the schema created."""
    made: list[str] = []
    admin = admin_connection() if request.param == "postgres" else None
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
            pair.append(Warehouse(url, engine, request.param))
        yield pair[0], pair[1]
    finally:
        for warehouse in pair:
            warehouse.engine.dispose()
        for name in made:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        if admin is not None:
            admin.close()


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
