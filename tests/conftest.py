"""Fixtures shared by every test folder: a fresh PostgreSQL database per test.

PostgreSQL: 127.0.0.1:5432, user postgres, trust auth. Each test gets its own
database, dropped afterwards. An unreachable server skips the PostgreSQL cases,
except under CI (env CI set), where it fails them.
"""

from __future__ import annotations

import os
import uuid

import pytest

PG_ADMIN = "host=127.0.0.1 port=5432 user=postgres dbname=postgres connect_timeout=5"


def admin_connection():
    import psycopg

    try:
        return psycopg.connect(PG_ADMIN, autocommit=True)
    except psycopg.OperationalError as exc:
        reason = f"PostgreSQL at 127.0.0.1:5432 (user postgres) is unreachable: {str(exc).strip().splitlines()[0]}"
        if os.environ.get("CI"):
            pytest.fail(f"{reason}; CI must run a PostgreSQL server for the postgres-marked tests")
        pytest.skip(reason)


@pytest.fixture
def postgres_url():
    from psycopg import sql

    admin = admin_connection()
    name = f"rentan_test_{uuid.uuid4().hex[:12]}"
    admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    finally:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        admin.close()


@pytest.fixture
def sqlite_url(tmp_path):
    return f"sqlite:///{tmp_path / 'warehouse' / 'warehouse.sqlite'}"


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def warehouse_url(request):
    return request.getfixturevalue(f"{request.param}_url")
