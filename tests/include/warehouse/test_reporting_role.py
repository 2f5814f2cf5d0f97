"""The reporting role reads the masked views and nothing else (PostgreSQL); SQLite relies on its file mode.

Roles are cluster-wide: every test makes its own role (a unique name through RENTAN_REPORTING_ROLE,
as production names it) and drops it afterwards. create_schema sets the role up, as a load run does.
"""

from __future__ import annotations

import datetime as dt
import re
import stat
import uuid
from pathlib import Path

import psycopg
import pytest
import sqlalchemy as sa
from psycopg import sql

from include.reports.formatting import mask_nik
from include.warehouse import create_schema, get_engine, load_period, load_snapshot
from include.warehouse.roles import REPORTING_VIEWS, setup_reporting
from tests.conftest import admin_connection

MASKED_VIEWS = ("v_rincian_iuran_masked", "v_calon_peserta_masked", "v_perlu_tinjauan_masked", "v_karantina_masked")
FULL_NIK = re.compile(r"(?<!\d)\d{16}(?!\d)")


def _conninfo(url: str) -> str:
    parsed = sa.make_url(url)
    return f"host={parsed.host} port={parsed.port} user={parsed.username} dbname={parsed.database}"


@pytest.fixture
def role(monkeypatch, postgres_url):
    name = f"rentan_laporan_test_{uuid.uuid4().hex[:10]}"
    monkeypatch.setenv("RENTAN_REPORTING_ROLE", name)
    monkeypatch.delenv("RENTAN_REPORTING_PASSWORD", raising=False)
    yield name
    ident = sql.Identifier(name)
    with psycopg.connect(_conninfo(postgres_url), autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [name]).fetchone():
            conn.execute(sql.SQL("DROP OWNED BY {}").format(ident))  # its grants in this database
    admin = admin_connection()
    try:
        admin.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(ident))
    finally:
        admin.close()


@pytest.fixture
def loaded(postgres_url, role, make_result, make_snapshot):
    """The warehouse of a load run: schema (with the reporting setup), a snapshot and a month."""
    engine = get_engine(postgres_url)
    create_schema(engine)
    load_snapshot(engine, make_snapshot(), "run-1")
    load_period(engine, make_result(), "run-1")
    yield engine
    engine.dispose()


@pytest.fixture
def as_admin(postgres_url):
    with psycopg.connect(_conninfo(postgres_url), autocommit=True) as conn:
        yield conn


@pytest.fixture
def as_role(postgres_url, role, loaded):
    """A connection of the superuser switched to the reporting role (SET ROLE): its rights only."""
    with psycopg.connect(_conninfo(postgres_url), autocommit=True) as conn:
        conn.execute(sql.SQL("SET ROLE {}").format(sql.Identifier(role)))
        assert conn.execute("SELECT current_user").fetchone()[0] == role
        yield conn


def _relations(conn, kind: str) -> set[str]:
    catalog = {"table": "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()",
               "view": "SELECT viewname FROM pg_views WHERE schemaname = current_schema()"}[kind]
    return {name for (name,) in conn.execute(catalog)}


def _select_all(conn, relation: str) -> tuple[list[str], list[tuple]]:
    cursor = conn.execute(sql.SQL("SELECT * FROM {}").format(sql.Identifier(relation)))
    return [c.name for c in cursor.description], cursor.fetchall()


def _denied(conn, statement: sql.Composable) -> bool:
    try:
        conn.execute(statement)
    except psycopg.errors.InsufficientPrivilege:
        return True
    return False


def _by_key(conn, relation: str, key: list[str], column: str) -> dict[tuple, object]:
    select = sql.SQL("SELECT {}, {} FROM {}").format(
        sql.SQL(", ").join(map(sql.Identifier, key)), sql.Identifier(column), sql.Identifier(relation))
    return {row[:-1]: row[-1] for row in conn.execute(select)}


def _birth_dates(make_result, make_snapshot) -> set[str]:
    result, snapshot = make_result(), make_snapshot()
    dates = [*snapshot.peserta["tanggal_lahir"], *result.calon["tanggal_lahir"],
             *result.tinjauan["tanggal_lahir"], *result.tinjauan["kandidat_tanggal_lahir"]]
    return {str(d)[:10] for d in dates if d is not None}


@pytest.mark.postgres
def test_the_role_reads_every_masked_view_and_no_table(as_role, as_admin, make_result, make_snapshot):
    assert _relations(as_admin, "view") == set(REPORTING_VIEWS)
    tables = _relations(as_admin, "table")
    assert {"fact_iuran", "calon_peserta", "perlu_tinjauan", "karantina", "dim_peserta", "fact_hasil_p3ke",
            "fact_klaim", "ringkasan"} <= tables and len(tables) >= 15

    birth_dates = _birth_dates(make_result, make_snapshot)
    for view in REPORTING_VIEWS:
        columns, rows = _select_all(as_role, view)
        assert rows, f"{view} is readable and holds the loaded month"
        values = [v for row in rows for v in row if v is not None]
        assert not [v for v in values if FULL_NIK.search(str(v))], f"{view} shows a full NIK"
        assert not [v for v in values if isinstance(v, dt.date)], f"{view} shows a date"
        assert not [v for v in values if str(v)[:10] in birth_dates], f"{view} shows a birth date"
        assert "tanggal_lahir" not in columns and "kandidat_tanggal_lahir" not in columns

    for table in sorted(tables):
        assert _denied(as_role, sql.SQL("SELECT 1 FROM {} LIMIT 1").format(sql.Identifier(table))), table
    assert _denied(as_role, sql.SQL("DELETE FROM {}").format(sql.Identifier("v_ringkasan")))
    assert _denied(as_role, sql.SQL("CREATE TABLE {} (x INTEGER)").format(sql.Identifier("salinan")))


@pytest.mark.postgres
def test_masked_niks_are_the_reports_masks(as_role, as_admin):
    """Every NIK in the views is what laporan.xlsx shows for it (mask_nik), row by row."""
    checks = [
        ("v_rincian_iuran_masked", "fact_iuran", ["periode", "kpj"], "nik"),
        ("v_calon_peserta_masked", "calon_peserta", ["periode", "id_individu"], "nik"),
        ("v_karantina_masked", "karantina", ["periode", "sumber", "berkas", "baris"], "nik"),
        ("v_perlu_tinjauan_masked", "perlu_tinjauan", ["periode", "id_individu", "kandidat_kpj", "kandidat_nama"],
         "kandidat_nik"),
    ]
    seen = set()
    for view, table, key, column in checks:
        raw, shown = _by_key(as_admin, table, key, column), _by_key(as_role, view, key, column)
        assert raw.keys() == shown.keys() and raw, view
        for row_key, nik in raw.items():
            assert (shown[row_key] or "") == mask_nik(nik), (view, row_key)
            seen.add(shown[row_key])
    assert {"130304******0001", "130304******0009", "****************"} <= seen


@pytest.mark.postgres
def test_setup_again_takes_back_stray_grants_and_keeps_the_role_nologin(loaded, role, as_admin, postgres_url):
    ident = sql.Identifier(role)
    as_admin.execute(sql.SQL("GRANT SELECT ON fact_iuran TO {}").format(ident))
    as_admin.execute("GRANT SELECT ON calon_peserta TO PUBLIC")
    create_schema(loaded)
    create_schema(loaded)

    with psycopg.connect(_conninfo(postgres_url), autocommit=True) as conn:
        conn.execute(sql.SQL("SET ROLE {}").format(ident))
        assert _denied(conn, "SELECT 1 FROM fact_iuran")
        assert _denied(conn, "SELECT 1 FROM calon_peserta")
        assert conn.execute("SELECT COUNT(*) FROM v_calon_peserta_masked").fetchone()[0] == 3
    assert as_admin.execute("SELECT rolcanlogin FROM pg_roles WHERE rolname = %s", [role]).fetchone() == (False,)


@pytest.mark.postgres
def test_a_password_from_the_environment_makes_a_login_role(postgres_url, role, monkeypatch):
    password = f"pw-{uuid.uuid4().hex}-%s-'quoted'"  # made at run time: no password is kept in the repository
    monkeypatch.setenv("RENTAN_REPORTING_PASSWORD", password)
    engine = get_engine(postgres_url)
    try:
        create_schema(engine)
        assert setup_reporting(engine) == role
    finally:
        engine.dispose()
    with psycopg.connect(_conninfo(postgres_url), autocommit=True) as admin:
        login, stored = admin.execute(
            "SELECT rolcanlogin, rolpassword FROM pg_authid WHERE rolname = %s", [role]).fetchone()
    assert login and stored and password not in stored  # stored as a SCRAM verifier, not as text
    info = _conninfo(postgres_url).replace("user=postgres", f"user={role}")
    with psycopg.connect(info, password=password, autocommit=True) as conn:
        assert conn.execute("SELECT COUNT(*) FROM v_wilayah").fetchone()[0] > 90_000
        assert _denied(conn, "SELECT 1 FROM dim_peserta")


def test_sqlite_has_no_roles_its_file_is_its_owners_alone(sqlite_url):
    engine = get_engine(sqlite_url)
    try:
        create_schema(engine)
        assert setup_reporting(engine) is None
        path = Path(sa.make_url(sqlite_url).database)
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    finally:
        engine.dispose()


@pytest.fixture
def owner(postgres_url):
    """A warehouse owner like production's `rentan`: LOGIN, owner of the database, no CREATEROLE."""
    name = f"rentan_pemilik_test_{uuid.uuid4().hex[:10]}"
    database = sa.make_url(postgres_url).database
    admin = admin_connection()
    admin.execute(sql.SQL("CREATE ROLE {} LOGIN NOCREATEROLE").format(sql.Identifier(name)))
    admin.execute(sql.SQL("ALTER DATABASE {} OWNER TO {}").format(sql.Identifier(database), sql.Identifier(name)))
    try:
        yield name
    finally:
        with psycopg.connect(_conninfo(postgres_url), autocommit=True) as conn:
            conn.execute(sql.SQL("REASSIGN OWNED BY {} TO postgres").format(sql.Identifier(name)))
            conn.execute(sql.SQL("DROP OWNED BY {}").format(sql.Identifier(name)))
        admin.execute(sql.SQL("ALTER DATABASE {} OWNER TO postgres").format(sql.Identifier(database)))
        admin.execute(sql.SQL("DROP ROLE IF EXISTS {}").format(sql.Identifier(name)))
        admin.close()


@pytest.mark.postgres
def test_an_owner_without_createrole_grants_the_role_once_an_administrator_made_it(
        postgres_url, owner, role, make_result, caplog):
    engine = get_engine(str(sa.make_url(postgres_url).set(username=owner)))
    try:
        create_schema(engine)  # the role is missing and this user may not create it: logged, not fatal
        load_period(engine, make_result(), "run-1")
        assert any(role in r.getMessage() and "CREATE ROLE" in r.getMessage() for r in caplog.records)
        with psycopg.connect(_conninfo(postgres_url), autocommit=True) as admin:
            assert admin.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role]).fetchone() is None
            admin.execute(sql.SQL("CREATE ROLE {} NOLOGIN").format(sql.Identifier(role)))
        create_schema(engine)  # the next load run grants it the views
    finally:
        engine.dispose()
    with psycopg.connect(_conninfo(postgres_url), autocommit=True) as conn:
        conn.execute(sql.SQL("SET ROLE {}").format(sql.Identifier(role)))
        assert conn.execute("SELECT COUNT(*) FROM v_rincian_iuran_masked").fetchone()[0] == 5
        assert _denied(conn, "SELECT 1 FROM fact_iuran")
