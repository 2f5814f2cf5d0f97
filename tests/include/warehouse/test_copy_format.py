"""The PostgreSQL COPY path (bulk_insert, psycopg write_row per row) reads back tricky values exactly."""

from __future__ import annotations

import math

import pytest
import sqlalchemy as sa

from include.warehouse import get_engine
from include.warehouse.dialects import PostgresDialect

COLUMNS = ["t", "i", "b", "f", "d"]
TRICKY = [
    ("plain", 0, True, 0.1, "2025-07-31"),
    ("tab\there", -1, False, 1e-300, "1900-01-01"),
    ("new\nline and \r return", 9_223_372_036_854_775_807, None, -0.0, None),
    ("back\\slash \\N \\t", -9_223_372_036_854_775_808, True, float("inf"), "2000-02-29"),
    ("\\N", 42, False, float("-inf"), "1999-12-31"),
    ("", 7, True, float("nan"), "2025-01-01"),
    (None, None, None, None, None),
    ("Ñoño 日本 😀 ' \" ,;", 1, False, 123456789.123456789, "2024-02-29"),
    ("ends with backslash\\", 2, True, 5e-324, "2025-12-31"),
]


def _read_back(engine, rows, bulk) -> list[tuple]:
    with engine.begin() as conn:
        conn.execute(sa.text("DROP TABLE IF EXISTS copy_uji"))
        conn.execute(sa.text("CREATE TABLE copy_uji (n serial, t text, i bigint, b boolean, f double precision, d date)"))
        if bulk:
            PostgresDialect().bulk_insert(conn, "copy_uji", COLUMNS, rows)
        else:
            with conn.connection.driver_connection.cursor() as cursor, cursor.copy(
                "COPY copy_uji (t, i, b, f, d) FROM STDIN"
            ) as copy:
                for row in rows:
                    copy.write_row(row)
        return [tuple(r) for r in conn.execute(sa.text("SELECT t, i, b, f, d::text FROM copy_uji ORDER BY n"))]


def _same(a: tuple, b: tuple) -> bool:
    return all(
        (isinstance(x, float) and isinstance(y, float) and math.isnan(x) and math.isnan(y))
        or (x == y and type(x) is type(y) and (not isinstance(x, float) or math.copysign(1, x) == math.copysign(1, y)))
        for x, y in zip(a, b, strict=True)
    )


@pytest.mark.postgres
def test_bulk_copy_round_trips_tricky_values_exactly_like_write_row(postgres_url):
    engine = get_engine(postgres_url)
    try:
        bulk = _read_back(engine, TRICKY, bulk=True)
        reference = _read_back(engine, TRICKY, bulk=False)
        assert len(bulk) == len(TRICKY)
        assert all(_same(a, b) for a, b in zip(bulk, reference, strict=True)), (bulk, reference)
        assert _same(bulk[5], ("", 7, True, float("nan"), "2025-01-01")) and bulk[6] == (None,) * 5
        assert bulk[3][0] == "back\\slash \\N \\t" and bulk[4][0] == "\\N" and bulk[5][0] == "" and bulk[6][0] is None
        assert bulk[1][3] == 1e-300 and bulk[8][3] == 5e-324 and bulk[7][3] == 123456789.123456789
        assert bulk[2][1] == 2**63 - 1 and bulk[3][1] == -(2**63)
    finally:
        engine.dispose()


@pytest.mark.postgres
def test_dates_and_decimals_are_adapted_by_psycopg(postgres_url):
    import datetime as dt
    import decimal

    rows = [("a", 1, True, 0.5, dt.date(2025, 7, 31)), ("b", 2, None, decimal.Decimal("0.25"), "2025-07-01")]
    engine = get_engine(postgres_url)
    try:
        assert _read_back(engine, rows, bulk=True) == [("a", 1, True, 0.5, "2025-07-31"), ("b", 2, None, 0.25, "2025-07-01")]
    finally:
        engine.dispose()
