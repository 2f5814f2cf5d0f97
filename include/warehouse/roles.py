"""The reporting role: a PostgreSQL role that reads the masked reporting views and nothing else.

    setup_reporting(engine)   # create_schema calls it on PostgreSQL; safe to run again

Settings (read from the environment):
- ``RENTAN_REPORTING_ROLE`` (default ``rentan_laporan``): the role's name.
- ``RENTAN_REPORTING_PASSWORD``: when set, the role is made LOGIN with this password; when unset,
  a new role is NOLOGIN (use it through ``SET ROLE``, or grant it to a login role) and an existing
  role keeps its login and password. The password comes from the environment only, never from a
  file of the repository.

The views (include/sql/create_reporting_views.sql) show NIK masked, birth years only and names as
the shareable reports do; the grants (include/sql/grant_reporting_role.sql) are set from scratch
on every run, so a stray grant on a table is revoked. Creating the role needs a user with
CREATEROLE; without it, an existing role still gets its grants and a missing one is reported in
the log with the statement an administrator can run.

SQLite has no roles: the embedded warehouse file is created readable by its owner alone (mode
0600, include/warehouse/dialects.py), which is its protection; setup_reporting does nothing there.
"""

from __future__ import annotations

import logging
import os

from sqlalchemy import Connection, Engine, text

from include.warehouse.engine import dialect_of
from include.warehouse.sqlfiles import query, statements

log = logging.getLogger(__name__)

ROLE_ENV = "RENTAN_REPORTING_ROLE"
PASSWORD_ENV = "RENTAN_REPORTING_PASSWORD"
DEFAULT_ROLE = "rentan_laporan"
REPORTING_VIEWS = (
    "v_rincian_iuran_masked",
    "v_calon_peserta_masked",
    "v_perlu_tinjauan_masked",
    "v_karantina_masked",
    "v_rekap_iuran",
    "v_hasil_p3ke",
    "v_ringkasan",
    "v_kualitas_data",
    "v_iuran_bulanan",
    "v_distribusi_bobot",
    "v_wilayah",
)


def reporting_role(env: dict[str, str] | None = None) -> str:
    """The reporting role's name: RENTAN_REPORTING_ROLE, else rentan_laporan."""
    env = os.environ if env is None else env
    return (env.get(ROLE_ENV) or "").strip() or DEFAULT_ROLE


def setup_reporting(engine: Engine, role: str | None = None, password: str | None = None) -> str | None:
    """Create or replace the reporting views, create the role when missing and set its grants.

    One transaction; idempotent. Returns the role's name, or None on SQLite (no roles).
    `password` defaults to RENTAN_REPORTING_PASSWORD.
    """
    if engine.dialect.name != "postgresql":
        return None
    role = role or reporting_role()
    password = password if password is not None else os.environ.get(PASSWORD_ENV) or None
    with engine.begin() as conn:
        dialect_of(engine).lock_schema(conn)  # one create_schema at a time per database
        for statement in statements("create_reporting_views"):
            conn.execute(text(statement))
        if not _ensure_role(conn, role, password):
            return role
        schema = conn.execute(text(query("select_current_schema"))).scalar_one()
        for statement in statements("grant_reporting_role"):
            _execute_composed(conn, statement, role=role, schema=schema)
    return role


def _ensure_role(conn: Connection, role: str, password: str | None) -> bool:
    """Create the role when missing, set its password when one is given; False if it cannot exist."""
    found = conn.execute(text(query("select_role")), {"role": role}).one_or_none()
    may_create = conn.execute(text(query("select_may_create_role"))).scalar_one()
    if found is None and not may_create:
        log.warning(
            "the reporting role %s does not exist and this user may not create it; an administrator can run "
            "CREATE ROLE %s NOLOGIN, and the next create_schema grants it the reporting views", role, role)
        return False
    login = "LOGIN PASSWORD {password}" if password else "NOLOGIN"
    if found is None:
        try:
            with conn.begin_nested():  # another database's run may create the same role at the same moment
                _execute_composed(conn, f"CREATE ROLE {{role}} {login}", role=role, password=password)
        except Exception as error:
            if _sqlstate(error) not in ("42710", "23505"):  # duplicate_object, unique_violation
                raise
    elif password:
        try:
            with conn.begin_nested():
                _execute_composed(conn, "ALTER ROLE {role} LOGIN PASSWORD {password}", role=role, password=password)
        except Exception as error:
            if _sqlstate(error) != "42501":  # insufficient_privilege: not this user's role to change
                raise
            log.warning("may not set the password of the reporting role %s; its login is left as it is", role)
    return True


def _sqlstate(error: BaseException) -> str | None:
    return getattr(error, "sqlstate", None) or getattr(getattr(error, "orig", None), "sqlstate", None)


def _execute_composed(conn: Connection, statement: str, role: str, schema: str | None = None,
                      password: str | None = None) -> None:
    """Run a statement whose {role}, {schema} and {views} are identifiers and {password} a literal,
    each quoted by psycopg.sql (role names and passwords come from the environment, not from data)."""
    from psycopg import sql

    parts = {"role": sql.Identifier(role), "views": sql.SQL(", ").join(map(sql.Identifier, REPORTING_VIEWS))}
    if schema is not None:
        parts["schema"] = sql.Identifier(schema)
    if password is not None:
        parts["password"] = sql.Literal(password)
    with conn.connection.driver_connection.cursor() as cursor:  # no parameters: a '%' in a password stays literal
        cursor.execute(sql.SQL(statement).format(**parts))
