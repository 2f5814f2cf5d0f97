"""What differs between the warehouse backends, one small class per dialect.

Everything else (schema, loads, report queries) is the same portable SQL on both.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import URL, Connection, Engine, event, text

from include.settings import PROJECT_ROOT

BUSY_TIMEOUT_SECONDS = 30


class SQLiteDialect:
    """The embedded default: one file, WAL, foreign keys on, real transactions."""

    name = "sqlite"
    driver_errors: tuple[type[Exception], ...] = (sqlite3.Error,)

    def prepare_url(self, url: URL) -> URL:
        """An absolute file path (relative paths are taken from the project root); creates its folder, and
        the file readable by its owner alone (it holds full NIKs; SQLite gives its -wal and -shm files the
        same mode)."""
        database = url.database or ""
        if database in ("", ":memory:") or database.startswith("file:"):
            raise ValueError(
                f"warehouse URL {url.render_as_string()} names no database file; "
                "use sqlite:////absolute/path/warehouse.sqlite"
            )
        path = Path(database)
        path = path if path.is_absolute() else PROJECT_ROOT / path
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists():
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT, 0o600))
        return url.set(database=str(path))

    def engine_options(self) -> dict[str, Any]:
        return {"connect_args": {"timeout": BUSY_TIMEOUT_SECONDS}}

    def configure(self, engine: Engine) -> None:
        """Pragmas on every connection; BEGIN issued by us so that DDL and reads are transactional too."""

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
            dbapi_connection.isolation_level = None  # the driver must not BEGIN/COMMIT on its own
            # PostgreSQL's "C" collation (byte order) under the same name, so ORDER BY ... COLLATE "C"
            # runs unchanged; Python compares str by code point, which is UTF-8 byte order.
            dbapi_connection.create_collation("C", lambda a, b: (a > b) - (a < b))
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
            cursor.execute("PRAGMA foreign_keys = ON")
            cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_SECONDS * 1000}")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _on_begin(connection: Connection) -> None:
            connection.exec_driver_sql("BEGIN")

    def bulk_insert(self, conn: Connection, table: str, columns: Sequence[str], rows: list[tuple]) -> None:
        """executemany of one parameterised INSERT (identifiers come from include.warehouse.tables)."""
        if not rows:
            return
        quote = conn.dialect.identifier_preparer.quote
        names = ", ".join(quote(c) for c in columns)
        marks = ", ".join("?" for _ in columns)
        conn.exec_driver_sql(f"INSERT INTO {quote(table)} ({names}) VALUES ({marks})", rows)

    def snapshot_options(self) -> dict[str, Any]:
        """A deferred transaction already reads one consistent snapshot (WAL)."""
        return {}

    def lock_schema(self, conn: Connection) -> None:
        """The first DDL statement takes SQLite's single write lock."""

    def is_transient(self, exc: BaseException) -> bool:
        """Worth running the transaction again: SQLITE_BUSY (another writer held the file's write lock past
        the busy timeout) or a connection SQLAlchemy found unusable; never a constraint or value error."""
        if getattr(exc, "connection_invalidated", False):
            return True
        code = getattr(getattr(exc, "orig", None) or exc, "sqlite_errorcode", None)
        return code is not None and code & 0xFF == sqlite3.SQLITE_BUSY  # extended codes keep it in the low byte

    def describe_error(self, exc: BaseException) -> str:
        """SQLite's messages name the constraint and columns, never the values."""
        orig = getattr(exc, "orig", None) or exc
        return str(orig).splitlines()[0] if str(orig) else type(orig).__name__


class PostgresDialect:
    """The production target: psycopg 3, bulk loads through COPY."""

    name = "postgresql"
    _SCHEMA_LOCK = 7_240_513  # pg_advisory_xact_lock key: one create_schema at a time
    _SHUTDOWN_SQLSTATES = ("57P01", "57P02", "57P03")  # admin shutdown (pg_terminate_backend), crash, starting up

    @property
    def driver_errors(self) -> tuple[type[Exception], ...]:
        import psycopg

        return (psycopg.Error,)

    def prepare_url(self, url: URL) -> URL:
        if url.drivername in ("postgresql", "postgres"):
            return url.set(drivername="postgresql+psycopg")
        if url.drivername != "postgresql+psycopg":
            raise ValueError(
                f"warehouse URL uses {url.drivername}; use postgresql+psycopg://... (bulk loads need psycopg 3 COPY)"
            )
        return url

    def engine_options(self) -> dict[str, Any]:
        return {"pool_pre_ping": True}

    def configure(self, engine: Engine) -> None:
        """Nothing per connection."""

    def bulk_insert(self, conn: Connection, table: str, columns: Sequence[str], rows: list[tuple]) -> None:
        """COPY FROM STDIN on the raw psycopg connection of the SQLAlchemy transaction."""
        if not rows:
            return
        from psycopg import sql

        statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
            sql.Identifier(table), sql.SQL(", ").join(sql.Identifier(c) for c in columns)
        )
        with conn.connection.driver_connection.cursor() as cursor, cursor.copy(statement) as copy:
            for row in rows:
                copy.write_row(row)

    def snapshot_options(self) -> dict[str, Any]:
        """Every report query of a month sees the same committed state."""
        return {"isolation_level": "REPEATABLE READ"}

    def lock_schema(self, conn: Connection) -> None:
        """Two runs creating the schema at once would race on CREATE TABLE IF NOT EXISTS."""
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": self._SCHEMA_LOCK})

    def is_transient(self, exc: BaseException) -> bool:
        """Worth running the transaction again: the connection was lost or could not be made (a client-side
        OperationalError, SQLSTATE class 08) or the server ended the session (57P01-03); never a data error."""
        if getattr(exc, "connection_invalidated", False):
            return True
        import psycopg

        orig = getattr(exc, "orig", None) or exc
        if not isinstance(orig, psycopg.OperationalError):
            return False
        sqlstate = orig.sqlstate
        return sqlstate is None or sqlstate.startswith("08") or sqlstate in self._SHUTDOWN_SQLSTATES

    def describe_error(self, exc: BaseException) -> str:
        """The primary message and SQLSTATE only: DETAIL and CONTEXT quote row values (personal data).
        A client-side connection error (no SQLSTATE) carries no row values: its first line is kept."""
        import psycopg

        orig = getattr(exc, "orig", None) or exc
        if isinstance(orig, psycopg.OperationalError) and orig.sqlstate is None and str(orig).strip():
            return str(orig).strip().splitlines()[0]
        diag = getattr(orig, "diag", None)
        primary = getattr(diag, "message_primary", None)
        if primary:
            return f"{primary} (SQLSTATE {getattr(orig, 'sqlstate', None) or '?'})"
        return type(orig).__name__


Dialect = SQLiteDialect | PostgresDialect
DIALECTS: dict[str, type[SQLiteDialect] | type[PostgresDialect]] = {
    "sqlite": SQLiteDialect,
    "postgresql": PostgresDialect,
}
