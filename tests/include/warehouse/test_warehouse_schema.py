"""The schema: created idempotently, the region dimension filled once, the load specs matching the DDL."""

from __future__ import annotations

import re

import sqlalchemy as sa

from include.warehouse import create_schema
from include.warehouse.schema import wilayah_rows
from include.warehouse.sqlfiles import statements
from include.warehouse.tables import AUDIT_BERKAS, PERIOD_TABLES, RINGKASAN, SNAPSHOT_TABLES

TABLES = {
    "dim_wilayah", "dim_peserta", "fact_kepesertaan", "fact_iuran", "fact_klaim", "fact_hasil_p3ke", "calon_peserta",
    "perlu_tinjauan", "karantina", "kualitas_data", "iuran_bulanan", "distribusi_bobot", "ringkasan",
    "audit_run", "audit_berkas",
}


def _scalar(engine, sql: str, **params):
    with engine.connect() as conn:
        return conn.execute(sa.text(sql), params).scalar_one()


def test_create_schema_twice_creates_every_table_and_fills_regions_once(bare_engine):
    create_schema(bare_engine)
    create_schema(bare_engine)

    assert TABLES <= set(sa.inspect(bare_engine).get_table_names())
    assert _scalar(bare_engine, "SELECT COUNT(*) FROM dim_wilayah") == len(wilayah_rows()) == 91_599
    assert _scalar(bare_engine, "SELECT nama FROM dim_wilayah WHERE kode = :k", k="13.03.04.2001") == "Muaro"
    assert _scalar(bare_engine, "SELECT kode_kecamatan FROM dim_wilayah WHERE kode = :k", k="13.03.04.2001") == "13.03.04"
    assert _scalar(bare_engine, "SELECT COUNT(kode_kecamatan) FROM dim_wilayah WHERE kode = :k", k="13.03") == 0


def test_every_loaded_column_exists_in_its_table(engine):
    inspector = sa.inspect(engine)
    tables = [*PERIOD_TABLES.values(), RINGKASAN, *(t for _, t in SNAPSHOT_TABLES), AUDIT_BERKAS]
    for table in tables:
        columns = {c["name"] for c in inspector.get_columns(table.name)}
        assert set(table.insert_columns()) | {"loaded_at"} == columns, table.name


def test_delete_periode_clears_exactly_the_per_period_tables():
    deleted = {re.match(r"DELETE FROM (\w+) WHERE", s).group(1) for s in statements("delete_periode")}

    assert deleted == {t.name for t in PERIOD_TABLES.values()} | {"ringkasan"}

