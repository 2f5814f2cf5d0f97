"""Read the report data of a month back from the warehouse with the queries of include/sql/."""

from __future__ import annotations

import datetime as dt
import io
import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager

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
    with _month(engine, periode) as (conn, params, ringkasan):
        frames = {field: _read(conn, name, columns, params) for field, (name, columns) in REPORT_QUERIES.items()}
    return ReportData(periode=periode, ringkasan=ringkasan, **frames)


@contextmanager
def _month(engine: Engine, periode: str) -> Iterator[tuple[Connection, dict, dict]]:
    """A connection in one consistent snapshot of the warehouse, the query parameters and the month's
    ringkasan (LookupError when the month was never loaded)."""
    parse_period(periode)
    params = {"periode": periode}
    with engine.connect() as conn:
        conn = conn.execution_options(**dialect_of(engine).snapshot_options())
        with conn.begin():
            isi = conn.execute(text(query("select_ringkasan")), params).scalar_one_or_none()
            if isi is None:
                raise LookupError(f"the warehouse holds nothing for periode {periode}; run the load for {periode} first")
            yield conn, params, json.loads(isi)


# The report lists that can hold a row per P3KE or roster row: streamed to their CSV a piece at a time.
STREAMED = ("rincian", "calon", "tinjauan", "karantina")
CHUNK_ROWS = 100_000  # rows fetched at a time on SQLite; PostgreSQL's COPY comes in blocks of BLOCK_BYTES
BLOCK_BYTES = 4 << 20


@contextmanager
def report_reader(engine: Engine, periode: str) -> Iterator[tuple[ReportData, dict[str, Callable[[], Iterator[pd.DataFrame]]]]]:
    """The month's report data for a national month, from one consistent snapshot: the small frames read,
    the STREAMED lists left empty in the ReportData and given as streams instead (field -> a callable
    yielding the list's frames in order, a piece at a time, at least one), readable while the context
    is open. include.reports.writer.write_reports takes both."""
    with _month(engine, periode) as (conn, params, ringkasan):
        frames = {field: _read(conn, name, columns, params) if field not in STREAMED else _empty(columns)
                  for field, (name, columns) in REPORT_QUERIES.items()}

        def stream(field: str) -> Callable[[], Iterator[pd.DataFrame]]:
            name, columns = REPORT_QUERIES[field]
            return lambda: _read_pieces(conn, name, columns, params)

        yield ReportData(periode=periode, ringkasan=ringkasan, **frames), {f: stream(f) for f in STREAMED}


def _empty(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame({c: _series([], KIND_OF_COLUMN.get(c, TEXT)) for c in columns})


def _read_pieces(conn: Connection, name: str, columns: list[str], params: dict) -> Iterator[pd.DataFrame]:
    """The rows of include/sql/<name>.sql a piece at a time (at least one piece), typed as the report
    frames are (read_report_data's docstring)."""
    kinds = [KIND_OF_COLUMN.get(c, TEXT) for c in columns]
    if conn.dialect.name == "postgresql" and set(kinds) <= COPY_KINDS:
        yield from _read_by_copy_pieces(conn, name, columns, kinds, params)
        return
    result = conn.execute(text(query(name)), params)
    if list(result.keys()) != columns:
        raise RuntimeError(f"include/sql/{name}.sql returns {list(result.keys())}; the report needs {columns}")
    pieces = 0
    while rows := result.fetchmany(CHUNK_ROWS):
        values = list(zip(*rows, strict=True))
        yield pd.DataFrame({c: _series(list(v), KIND_OF_COLUMN.get(c, TEXT))
                            for c, v in zip(columns, values, strict=True)})
        pieces += 1
    if not pieces:
        yield _empty(columns)


class _CopyStream(io.RawIOBase):
    """The blocks of a psycopg COPY TO STDOUT as a readable byte stream (for Arrow's streaming CSV reader)."""

    def __init__(self, copy) -> None:
        self._blocks = iter(copy)
        self._block = memoryview(b"")

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        """Fill the buffer as far as the stream goes: COPY sends a row per message, and a short read would
        make Arrow parse a block (and the writer a piece) per row."""
        filled = 0
        while filled < len(buffer):
            if not len(self._block):
                block = next(self._blocks, None)
                if block is None:
                    break
                self._block = memoryview(bytes(block))
            size = min(len(buffer) - filled, len(self._block))
            buffer[filled:filled + size] = self._block[:size]
            self._block = self._block[size:]
            filled += size
        return filled


def _read_by_copy_pieces(conn: Connection, name: str, columns: list[str], kinds: list[str], params: dict):
    """PostgreSQL: the query's rows through COPY ... TO STDOUT as CSV, parsed by Arrow as the stream
    arrives, a block at a time, in the transaction of `conn`. A month's list of bills is hundreds of
    thousands of rows: fetched as Python rows and built into columns, reading it costs more than writing
    its CSV; through COPY it costs a fraction. An unquoted empty field is NULL, a quoted one the empty
    string, as COPY writes them."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    select, bound = _copy_select(conn, name, params)
    with conn.connection.driver_connection.cursor() as cursor, cursor.copy(
            f"COPY ({select}) TO STDOUT (FORMAT csv, HEADER true)", bound) as copy:
        reader = pacsv.open_csv(_CopyStream(copy), read_options=pacsv.ReadOptions(block_size=BLOCK_BYTES),
                                parse_options=_copy_parse(), convert_options=_copy_convert(columns, kinds))
        if reader.schema.names != columns:
            raise RuntimeError(f"include/sql/{name}.sql returns {reader.schema.names}; the report needs {columns}")
        pieces = 0
        for batch in reader:
            yield _copied_frame(pa.Table.from_batches([batch], schema=reader.schema), columns, kinds)
            pieces += 1
        if not pieces:
            yield _copied_frame(reader.schema.empty_table(), columns, kinds)


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
    """The query's rows as one frame (_read_pieces put together)."""
    pieces = list(_read_pieces(conn, name, columns, params))
    return pieces[0] if len(pieces) == 1 else pd.concat(pieces, ignore_index=True)


COPY_KINDS = {TEXT, INT, FLOAT, DATE}  # what COPY's CSV gives back as _series would (dates: ISO text)


def _copy_select(conn: Connection, name: str, params: dict) -> tuple[str, dict]:
    """The query of include/sql/<name>.sql compiled for COPY (...) TO STDOUT, and its bound values."""
    statement = text(query(name)).bindparams(**{k: v for k, v in params.items() if f":{k}" in query(name)})
    compiled = statement.compile(dialect=conn.dialect)
    return compiled.string.strip().rstrip(";"), compiled.params


def _copy_parse():
    import pyarrow.csv as pacsv

    return pacsv.ParseOptions(newlines_in_values=True)


def _copy_convert(columns: list[str], kinds: list[str]):
    import pyarrow as pa
    import pyarrow.csv as pacsv

    types = {c: pa.int64() if k == INT else pa.float64() if k == FLOAT else pa.string()
             for c, k in zip(columns, kinds, strict=True)}
    return pacsv.ConvertOptions(column_types=types, null_values=[""], strings_can_be_null=True,
                                quoted_strings_can_be_null=False)


def _copied_frame(table, columns: list[str], kinds: list[str]) -> pd.DataFrame:
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
