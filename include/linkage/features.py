"""Matching features of P3KE rows and roster rows, as one DuckDB table.

Names are normalised in Python (include.names, once per distinct name); everything else is derived in
DuckDB, which is much faster than pandas string handling at a million rows. Columns:

sumber ('p3ke' | 'peserta'), unique_id (P3KE `urut`; roster: an offset + row position), nama (normalised),
nama_padat (without spaces), nama_fonetik (spelling variants folded), nama_awal (first 3 letters of
nama_padat), tanggal_lahir (ISO text), tahun_lahir / bulan_lahir / hari_lahir (int), jenis_kelamin
(LAKI-LAKI | PEREMPUAN), kode_desa (dotted desa code), kode_kecamatan (its first 8 characters),
kode_kabupaten (its first 5), keluarga
(P3KE id_keluarga_p3ke when given; NULL for the roster), nik
(16 digits), nik_awal (its first 12 digits: kecamatan of registration + DDMMYY, women's day + 40),
nik_serial (its last 4).
Values that cannot be used are NULL, which Splink scores as the neutral 'kosong' level.
"""

from __future__ import annotations

import duckdb
import pandas as pd
import pyarrow as pa

from include.linkage.model import SOURCE_P3KE, SOURCE_ROSTER
from include.names import name_keys

INPUT_TABLE = "rentan_orang"
KPJ_TABLE = "rentan_kpj"
IDENTITY_COLUMNS = ("nama", "nik", "jenis_kelamin", "tanggal_lahir", "kode_kemdagri")

_FEATURES_SQL = """
select
    sumber,
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
    case when regexp_full_match(kode_kemdagri, '[0-9]{2}\\.[0-9]{2}\\.[0-9]{2}\\.[0-9]{4}')
        then left(kode_kemdagri, 5) end as kode_kabupaten,
    keluarga,
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
            "sumber": pa.array([source] * len(frame), pa.string()),
            "unique_id": pa.array(ids.to_numpy(dtype="int64")),
            "nama": _text(keys["nama_normal"]),
            "nama_fonetik": _text(keys["nama_fonetik"]),
            "jenis_kelamin": _text(frame["jenis_kelamin"]),
            "tanggal_lahir": pa.array(dates.tolist(), pa.date32()),
            "kode_kemdagri": _text(frame["kode_kemdagri"]),
            "nik": _text(frame["nik"]),
            "keluarga": _text(frame["id_keluarga_p3ke"])
            if "id_keluarga_p3ke" in frame
            else pa.nulls(len(frame), pa.string()),
        }
    )


def _text(values: pd.Series) -> pa.Array:
    """A text column as Arrow strings, missing values null (no copy for pandas' Arrow-backed str)."""
    try:
        return pa.array(values, pa.string(), from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # values that are not all text
        return pa.array(values.astype("string"), pa.string(), from_pandas=True)


def create_input_table(con: duckdb.DuckDBPyConnection, p3ke: pd.DataFrame, roster: pd.DataFrame) -> None:
    """Table INPUT_TABLE (P3KE rows, unique_id = urut; then roster rows, unique_id = roster_offset + row
    position, above every urut) and KPJ_TABLE (roster unique_id -> kpj) in `con`."""
    offset = roster_offset(p3ke)
    roster_ids = pd.Series(range(offset, offset + len(roster)), dtype="int64")
    for position, (frame, source, ids) in enumerate(
        ((p3ke, SOURCE_P3KE, p3ke["urut"]), (roster, SOURCE_ROSTER, roster_ids))
    ):
        con.register("rentan_raw", _raw(frame, source, ids))
        select = _FEATURES_SQL.replace("{raw}", "rentan_raw")
        con.execute(
            f"create or replace table {INPUT_TABLE} as {select}"
            if position == 0
            else f"insert into {INPUT_TABLE} {select}"
        )
        con.unregister("rentan_raw")
    kpj = pa.table({"unique_id": pa.array(roster_ids.to_numpy()), "kpj": _text(roster["kpj"])})
    con.register("rentan_raw", kpj)
    con.execute(f"create or replace table {KPJ_TABLE} as select * from rentan_raw")
    con.unregister("rentan_raw")


def roster_offset(p3ke: pd.DataFrame) -> int:
    """The unique_id of the first roster row: above every P3KE urut, so a P3KE row sorts first in a pair."""
    return int(p3ke["urut"].max()) + 1 if len(p3ke) else 0
