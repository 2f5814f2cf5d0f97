"""The one place that creates the warehouse engine (SQLite file by default, PostgreSQL in production)."""

from __future__ import annotations

from sqlalchemy import Engine, create_engine, make_url

from include.warehouse.dialects import DIALECTS, Dialect


def get_engine(url: str) -> Engine:
    """An Engine for a warehouse URL: sqlite:///<file> or postgresql+psycopg://user@host/db.

    SQLite: the file path is made absolute (relative to the project root) and its folder created;
    every connection runs WAL, foreign keys and a busy timeout. PostgreSQL: psycopg 3 (COPY loads).
    """
    parsed = make_url(url)
    dialect_class = DIALECTS.get(parsed.get_backend_name())
    if dialect_class is None:
        raise ValueError(
            f"warehouse URL {parsed.render_as_string()} is neither SQLite nor PostgreSQL; "
            "set RENTAN_WAREHOUSE_URL to sqlite:///<file> or postgresql+psycopg://<user>@<host>/<database>"
        )
    dialect = dialect_class()
    engine = create_engine(dialect.prepare_url(parsed), **dialect.engine_options())
    dialect.configure(engine)
    return engine


def dialect_of(engine: Engine) -> Dialect:
    """The dialect class instance for an engine made by get_engine."""
    dialect_class = DIALECTS.get(engine.dialect.name)
    if dialect_class is None:
        raise ValueError(f"the warehouse does not support {engine.dialect.name}; make the engine with get_engine")
    return dialect_class()
