"""Create the warehouse schema (include/sql/create_schema.sql), fill the region dimension and, on
PostgreSQL, set up the masked reporting views and the reporting role (include/warehouse/roles.py)."""

from __future__ import annotations

import csv
from pathlib import Path

from sqlalchemy import Engine, text

from include.warehouse.engine import dialect_of
from include.warehouse.roles import setup_reporting
from include.warehouse.sqlfiles import query, statements
from include.wilayah import REFERENCE

WILAYAH_COLUMNS = ["kode", "nama", "tingkat", "kode_kecamatan"]


def create_schema(engine: Engine) -> None:
    """Create every table and index when missing and fill dim_wilayah when empty; safe to run again.

    On PostgreSQL also the reporting views and the reporting role's grants (setup_reporting).
    """
    dialect = dialect_of(engine)
    with engine.begin() as conn:
        dialect.lock_schema(conn)
        for statement in statements("create_schema"):
            conn.execute(text(statement))
        if conn.execute(text(query("count_dim_wilayah"))).scalar_one() == 0:
            dialect.bulk_insert(conn, "dim_wilayah", WILAYAH_COLUMNS, wilayah_rows())
    setup_reporting(engine)


def wilayah_rows(path: Path | str = REFERENCE) -> list[tuple[str, str, str, str | None]]:
    """(kode, nama, tingkat, kode_kecamatan) of every code in the Kemendagri reference file."""
    with open(path, encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        kode, nama, tingkat = (header.index(c) for c in WILAYAH_COLUMNS[:3])
        return [(r[kode], r[nama], r[tingkat], _kode_kecamatan(r[kode])) for r in reader]


def _kode_kecamatan(kode: str) -> str | None:
    """'13.03.04.2001' and '13.03.04' -> '13.03.04'; provinces and kabupaten have none."""
    return kode[:8] if kode.count(".") >= 2 else None
