"""Read the report data of a month back from the warehouse with the queries of include/sql/."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
from sqlalchemy import Connection, Engine, text

from include.model import (
    BOBOT_COLUMNS,
    CALON_COLUMNS,
    IURAN_BULANAN_COLUMNS,
    KARANTINA_COLUMNS,
    KUALITAS_COLUMNS,
    REKAP_COLUMNS,
    RINCIAN_COLUMNS,
    TINJAUAN_COLUMNS,
    ReportData,
)
from include.periods import parse_period
from include.warehouse.engine import dialect_of
from include.warehouse.sqlfiles import query
from include.warehouse.tables import DATE, FLOAT, INT, KIND_OF_COLUMN, TEXT, TIMESTAMP

KEPUTUSAN_COLUMNS = ["id_individu", "kandidat_kpj", "keputusan", "berkas", "baris"]
# ReportData field -> (query file, the report's columns in order)
REPORT_QUERIES: dict[str, tuple[str, list[str]]] = {
    "rincian": ("select_rincian_iuran", RINCIAN_COLUMNS),
    "rekap": ("select_rekap_iuran", REKAP_COLUMNS),
    "calon": ("select_calon_peserta", CALON_COLUMNS),
    "tinjauan": ("select_perlu_tinjauan", TINJAUAN_COLUMNS),
    "karantina": ("select_karantina", KARANTINA_COLUMNS),
    "kualitas": ("select_kualitas_data", KUALITAS_COLUMNS),
    "iuran_bulanan": ("select_iuran_bulanan", IURAN_BULANAN_COLUMNS),
    "bobot": ("select_distribusi_bobot", BOBOT_COLUMNS),
}
JEJAK_COLUMNS = [
    "periode", "kpj", "status_tagihan", "sumber_dana", "upah_dilaporkan", "iuran_jkk", "iuran_jkm",
    "total_iuran", "berkas", "baris", "sha256", "run_id", "loaded_at",
]


def read_report_data(engine: Engine, periode: str) -> ReportData:
    """Every frame the reports of `periode` are written from, sorted, from one consistent snapshot.

    Frames carry exactly the report columns of include.model: whole numbers as int64, dates as
    'YYYY-MM-DD' text, probabilitas and the bobot bin edges as float64, other text as str (missing = NaN).
    """
    parse_period(periode)
    params = {"periode": periode}
    with engine.connect() as conn:
        conn = conn.execution_options(**dialect_of(engine).snapshot_options())
        with conn.begin():
            isi = conn.execute(text(query("select_ringkasan")), params).scalar_one_or_none()
            if isi is None:
                raise LookupError(f"the warehouse holds nothing for periode {periode}; run the load for {periode} first")
            frames = {field: _read(conn, name, columns, params) for field, (name, columns) in REPORT_QUERIES.items()}
    return ReportData(periode=periode, ringkasan=json.loads(isi), **frames)


def read_jejak_kpj(engine: Engine, kpj: str) -> pd.DataFrame:
    """The audit trail of one KPJ (select_jejak_kpj.sql): every billed month with file, row and run."""
    with engine.connect() as conn:
        return _read(conn, "select_jejak_kpj", JEJAK_COLUMNS, {"kpj": kpj})


def read_keputusan_tinjauan(engine: Engine) -> pd.DataFrame:
    """The review decisions remembered by earlier runs (empty when the warehouse has none yet)."""
    from sqlalchemy import inspect

    if not inspect(engine).has_table("keputusan_tinjauan"):
        return pd.DataFrame(columns=KEPUTUSAN_COLUMNS)
    with engine.connect() as conn:
        return _read(conn, "select_keputusan_tinjauan", KEPUTUSAN_COLUMNS, {})


def _read(conn: Connection, name: str, columns: list[str], params: dict) -> pd.DataFrame:
    kinds = [KIND_OF_COLUMN.get(c, TEXT) for c in columns]
    if conn.dialect.name == "postgresql" and set(kinds) <= COPY_KINDS:
        return _read_by_copy(conn, name, columns, kinds, params)
    result = conn.execute(text(query(name)), params)
    if list(result.keys()) != columns:
        raise RuntimeError(f"include/sql/{name}.sql returns {list(result.keys())}; the report needs {columns}")
    rows = result.all()
    values = list(zip(*rows, strict=True)) if rows else [()] * len(columns)
    return pd.DataFrame({c: _series(list(v), KIND_OF_COLUMN.get(c, TEXT)) for c, v in zip(columns, values, strict=True)})


COPY_KINDS = {TEXT, INT, FLOAT, DATE}  # what COPY's CSV gives back as _series would (dates: ISO text)


def _read_by_copy(conn: Connection, name: str, columns: list[str], kinds: list[str], params: dict) -> pd.DataFrame:
    """PostgreSQL: the query's rows through COPY ... TO STDOUT as CSV, parsed by Arrow, in the transaction of
    `conn`. A month's list of bills is hundreds of thousands of rows: fetched as Python rows and built into
    columns, reading it costs more than writing its CSV; through COPY it costs a fraction. An unquoted empty
    field is NULL, a quoted one the empty string, as COPY writes them."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    statement = text(query(name)).bindparams(**{k: v for k, v in params.items() if f":{k}" in query(name)})
    compiled = statement.compile(dialect=conn.dialect)
    select = compiled.string.strip().rstrip(";")
    chunks = []
    with conn.connection.driver_connection.cursor() as cursor, cursor.copy(
            f"COPY ({select}) TO STDOUT (FORMAT csv, HEADER true)", compiled.params) as copy:
        for block in copy:
            chunks.append(bytes(block))
    types = {c: pa.int64() if k == INT else pa.float64() if k == FLOAT else pa.string()
             for c, k in zip(columns, kinds, strict=True)}
    table = pacsv.read_csv(
        pa.py_buffer(b"".join(chunks)),
        parse_options=pacsv.ParseOptions(newlines_in_values=True),
        convert_options=pacsv.ConvertOptions(column_types=types, null_values=[""], strings_can_be_null=True,
                                             quoted_strings_can_be_null=False),
    )
    if table.column_names != columns:
        raise RuntimeError(f"include/sql/{name}.sql returns {table.column_names}; the report needs {columns}")
    frame = table.to_pandas()
    for column, kind in zip(columns, kinds, strict=True):
        if kind in (TEXT, DATE):
            frame[column] = frame[column].astype("str")
    return frame


def _series(values: list, kind: str) -> pd.Series:
    """One column, typed the same whichever backend returned it."""
    if kind == INT:
        return pd.Series(values, dtype="int64")
    if kind == FLOAT:
        return pd.Series(values, dtype="float64")
    if kind == DATE:
        values = [v.isoformat() if isinstance(v, dt.date) else v for v in values]
    elif kind == TIMESTAMP:  # PostgreSQL gives datetimes, SQLite 'YYYY-MM-DD HH:MM:SS' text (UTC)
        values = [_utc_text(v) if isinstance(v, dt.datetime) else v for v in values]
    return pd.Series(values, dtype="str")


def _utc_text(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S")
