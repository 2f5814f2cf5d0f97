"""Matching features of P3KE rows and roster rows, as two DuckDB tables with the same columns.

Names are normalised in Python (include.names, once per distinct name); everything else is derived in
DuckDB, which is much faster than pandas string handling at a million rows. Columns:

source_dataset ('p3ke' | 'peserta'), unique_id (P3KE `urut`; roster: row position), nama (normalised),
nama_padat (without spaces), nama_fonetik (spelling variants folded), nama_awal (first 3 letters of
nama_padat), tanggal_lahir (ISO text), tahun_lahir / bulan_lahir / hari_lahir (int), jenis_kelamin
(LAKI-LAKI | PEREMPUAN), kode_desa (dotted desa code), kode_kecamatan (its first 8 characters), nik
(16 digits), nik_awal (first 12 digits: region + DDMMYY), nik_serial (last 4).
Values that cannot be used are NULL, which Splink scores as the neutral 'kosong' level.
"""

from __future__ import annotations

import duckdb
import pandas as pd
import pyarrow as pa

from include.linkage.model import SOURCE_P3KE, SOURCE_ROSTER
from include.names import name_keys

P3KE_TABLE = "rentan_p3ke"
ROSTER_TABLE = "rentan_peserta"
IDENTITY_COLUMNS = ("nama", "nik", "jenis_kelamin", "tanggal_lahir", "kode_kemdagri")

_FEATURES_SQL = """
select
    source_dataset,
    unique_id,
    nullif(nama, '') as nama,
    nullif(replace(nama, ' ', ''), '') as nama_padat,
    nullif(nama_fonetik, '') as nama_fonetik,
    nullif(left(replace(nama, ' ', ''), 3), '') as nama_awal,
    strftime(tanggal_lahir, '%Y-%m-%d') as tanggal_lahir,
    year(tanggal_lahir) as tahun_lahir,
    month(tanggal_lahir) as bulan_lahir,
    day(tanggal_lahir) as hari_lahir,
    case when jenis_kelamin in ('LAKI-LAKI', 'PEREMPUAN') then jenis_kelamin end as jenis_kelamin,
    case when regexp_full_match(kode_kemdagri, '[0-9]{2}\\.[0-9]{2}\\.[0-9]{2}\\.[0-9]{4}')
        then kode_kemdagri end as kode_desa,
    case when regexp_full_match(kode_kemdagri, '[0-9]{2}\\.[0-9]{2}\\.[0-9]{2}\\.[0-9]{4}')
        then left(kode_kemdagri, 8) end as kode_kecamatan,
    nik_ok as nik,
    left(nik_ok, 12) as nik_awal,
    right(nik_ok, 4) as nik_serial
from (
    select *, case when regexp_full_match(nik, '[0-9]{16}') then nik end as nik_ok
    from {raw}
)
"""


def _raw(frame: pd.DataFrame, source: str, ids: pd.Series) -> pa.Table:
    """The identity columns as Arrow, names normalised; dates as date32."""
    keys = name_keys(frame["nama"])
    dates = frame["tanggal_lahir"].astype(object).where(frame["tanggal_lahir"].notna(), None)
    return pa.table(
        {
            "source_dataset": pa.array([source] * len(frame), pa.string()),
            "unique_id": pa.array(ids.to_numpy(dtype="int64")),
            "nama": pa.array(keys["nama_normal"].to_numpy(dtype=object), pa.string()),
            "nama_fonetik": pa.array(keys["nama_fonetik"].to_numpy(dtype=object), pa.string()),
            "jenis_kelamin": _text(frame["jenis_kelamin"]),
            "tanggal_lahir": pa.array(dates.tolist(), pa.date32()),
            "kode_kemdagri": _text(frame["kode_kemdagri"]),
            "nik": _text(frame["nik"]),
        }
    )


def _text(values: pd.Series) -> pa.Array:
    return pa.array(values.astype("string").to_numpy(dtype=object, na_value=None), pa.string())


def create_input_tables(con: duckdb.DuckDBPyConnection, p3ke: pd.DataFrame, roster: pd.DataFrame) -> None:
    """Tables P3KE_TABLE (unique_id = urut) and ROSTER_TABLE (unique_id = row position) in `con`."""
    for table, frame, source, ids in (
        (P3KE_TABLE, p3ke, SOURCE_P3KE, p3ke["urut"]),
        (ROSTER_TABLE, roster, SOURCE_ROSTER, pd.Series(range(len(roster)), dtype="int64")),
    ):
        con.register("rentan_raw", _raw(frame, source, ids))
        con.execute(f"create or replace table {table} as {_FEATURES_SQL.replace('{raw}', 'rentan_raw')}")
        con.unregister("rentan_raw")
