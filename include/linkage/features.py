"""The identities of P3KE rows and roster rows in DuckDB: matching features for Splink and integer keys.

Linking works on a national dataset without holding its text in Python: the identity columns are read by
DuckDB (from the staged Parquet files, or from frames registered as Arrow), names are normalised in Python
once per distinct name (include.names), and everything else is derived in SQL. Two source views feed it:

    SOURCE_P3KE_VIEW:   urut, id_individu, keluarga, nama, nik, nik_rusak_excel, jenis_kelamin, tanggal_lahir,
                        kode_kemdagri (the P3KE rows to match: not quarantined)
    SOURCE_ROSTER_VIEW: pos (0.., the row's position among the valid roster rows), kpj and the same identity

`create_identities` builds from them:

- IDENTITY_TABLE, one row per record: sumber, unique_id (P3KE `urut`; roster: roster_offset + pos), and the
  integer keys the decisive rules compare (NULL where a part is missing): nik_id (the usable NIK: 16 digits,
  not damaged by Excel, as a number), kunci_orang (one id per normalised name, birth date, sex and desa
  code), kunci_dekat (per normalised name, birth date and sex), desa_id (per desa code as written);
- INPUT_TABLE, the Splink features: sumber, unique_id, nama (normalised), nama_padat (without spaces),
  nama_fonetik (spelling variants folded), nama_awal (first 3 letters of nama_padat), tanggal_lahir (ISO
  text), tahun_lahir / bulan_lahir / hari_lahir (int), jenis_kelamin (LAKI-LAKI | PEREMPUAN), kode_desa
  (dotted desa code), kode_kecamatan (its first 8 characters), kode_kabupaten (its first 5), keluarga
  (P3KE id_keluarga_p3ke when given; NULL for the roster), nik (the usable NIK), nik_awal (its first 12
  digits: kecamatan of registration + DDMMYY, women's day + 40), nik_serial (its last 4). Values that
  cannot be used are NULL, which Splink scores as the neutral 'kosong' level;
- KPJ_TABLE: roster unique_id -> kpj.
"""

from __future__ import annotations

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from include.linkage.model import SOURCE_P3KE, SOURCE_ROSTER
from include.names import name_keys

INPUT_TABLE = "rentan_orang"
KPJ_TABLE = "rentan_kpj"
IDENTITY_TABLE = "rentan_identitas"
SOURCE_P3KE_VIEW = "rentan_sumber_p3ke"
SOURCE_ROSTER_VIEW = "rentan_sumber_peserta"
IDENTITY_COLUMNS = ("nama", "nik", "jenis_kelamin", "tanggal_lahir", "kode_kemdagri")
KEY_COLUMNS = ("nik_id", "kunci_orang", "kunci_dekat", "desa_id")
_DESA = "regexp_full_match(kode_kemdagri, '[0-9]{2}\\.[0-9]{2}\\.[0-9]{2}\\.[0-9]{4}')"

_RECORDS_SQL = f"""
select '{SOURCE_P3KE}' as sumber, urut as unique_id, keluarga, nama, nik, nik_rusak_excel, jenis_kelamin,
       tanggal_lahir, kode_kemdagri
from {SOURCE_P3KE_VIEW}
union all
select '{SOURCE_ROSTER}', (select coalesce(max(urut) + 1, 0) from {SOURCE_P3KE_VIEW}) + pos, null, nama, nik, nik_rusak_excel, jenis_kelamin, tanggal_lahir,
       kode_kemdagri
from {SOURCE_ROSTER_VIEW}
"""

_RECORDS_TABLE_SQL = f"""
create or replace temp table rentan_rekaman as
select r.*, coalesce(k.nama_normal, '') as nama_normal, coalesce(k.nama_fonetik, '') as nama_fonetik,
       case when regexp_full_match(r.nik, '[0-9]{{16}}') and not coalesce(r.nik_rusak_excel, false)
            then r.nik end as nik_kunci
from ({_RECORDS_SQL}) as r
left join rentan_nama_kunci as k on k.nama = r.nama
"""
# The keys compared for equality: each exists where every part is present; its id is a 63-bit hash of the
# parts (parallel, no sort), or, when two different values of a key were seen to share a hash, a rank (one
# thread, a sort of every record). kunci_orang: name, birth date, sex, desa; kunci_dekat: name, birth date,
# sex; desa_id: the desa code as written.
_ORANG = "nama_normal <> '' and tanggal_lahir is not null and jenis_kelamin is not null and kode_kemdagri is not null"
_DEKAT = "nama_normal <> '' and tanggal_lahir is not null and jenis_kelamin is not null"
_IDENTITY_HASHED_SQL = f"""
create or replace table {IDENTITY_TABLE} as
select *, cast(nik_kunci as bigint) as nik_id,
    case when {_ORANG} then cast(hash(nama_normal, tanggal_lahir, jenis_kelamin, kode_kemdagri) >> 1 as bigint)
        end as kunci_orang,
    case when {_DEKAT} then cast(hash(nama_normal, tanggal_lahir, jenis_kelamin) >> 1 as bigint) end as kunci_dekat,
    case when kode_kemdagri is not null then cast(hash(kode_kemdagri) >> 1 as bigint) end as desa_id
from rentan_rekaman
"""
_IDENTITY_RANKED_SQL = f"""
create or replace table {IDENTITY_TABLE} as
select *, cast(nik_kunci as bigint) as nik_id,
    case when {_ORANG} then dense_rank() over (order by nama_normal, tanggal_lahir, jenis_kelamin, kode_kemdagri)
        end as kunci_orang,
    case when {_DEKAT} then dense_rank() over (order by nama_normal, tanggal_lahir, jenis_kelamin) end as kunci_dekat,
    case when kode_kemdagri is not null then dense_rank() over (order by kode_kemdagri) end as desa_id
from rentan_rekaman
"""
_COLLISIONS_SQL = f"""
select
    (select count(*) <> count(distinct h) from (
        select distinct nama_normal, tanggal_lahir, jenis_kelamin, kode_kemdagri,
            hash(nama_normal, tanggal_lahir, jenis_kelamin, kode_kemdagri) >> 1 as h
        from rentan_rekaman where {_ORANG})),
    (select count(*) <> count(distinct h) from (
        select distinct nama_normal, tanggal_lahir, jenis_kelamin,
            hash(nama_normal, tanggal_lahir, jenis_kelamin) >> 1 as h
        from rentan_rekaman where {_DEKAT})),
    (select count(*) <> count(distinct h) from (
        select distinct kode_kemdagri, hash(kode_kemdagri) >> 1 as h from rentan_rekaman
        where kode_kemdagri is not null))
"""


_FEATURES_SQL = f"""
create or replace table {INPUT_TABLE} as
select
    sumber,
    unique_id,
    nullif(nama_normal, '') as nama,
    nullif(replace(nama_normal, ' ', ''), '') as nama_padat,
    nullif(nama_fonetik, '') as nama_fonetik,
    nullif(left(replace(nama_normal, ' ', ''), 3), '') as nama_awal,
    strftime(tanggal_lahir, '%Y-%m-%d') as tanggal_lahir,
    year(tanggal_lahir) as tahun_lahir,
    month(tanggal_lahir) as bulan_lahir,
    day(tanggal_lahir) as hari_lahir,
    case when jenis_kelamin in ('LAKI-LAKI', 'PEREMPUAN') then jenis_kelamin end as jenis_kelamin,
    case when {_DESA} then kode_kemdagri end as kode_desa,
    case when {_DESA} then left(kode_kemdagri, 8) end as kode_kecamatan,
    case when {_DESA} then left(kode_kemdagri, 5) end as kode_kabupaten,
    keluarga,
    nik_kunci as nik,
    left(nik_kunci, 12) as nik_awal,
    right(nik_kunci, 4) as nik_serial
from {IDENTITY_TABLE}
"""


def register_frames(con: duckdb.DuckDBPyConnection, p3ke: pd.DataFrame, roster: pd.DataFrame) -> None:
    """The two source views over frames: p3ke with urut and IDENTITY_COLUMNS (optional id_individu,
    id_keluarga_p3ke, nik_rusak_excel), roster with kpj and IDENTITY_COLUMNS (optional nik_rusak_excel),
    roster positions in frame order."""
    tables = {
        SOURCE_P3KE_VIEW: {"urut": pa.array(p3ke["urut"].to_numpy(dtype="int64")),
                           "id_individu": _optional_text(p3ke, "id_individu"),
                           "keluarga": _optional_text(p3ke, "id_keluarga_p3ke"), **_identity(p3ke)},
        SOURCE_ROSTER_VIEW: {"pos": pa.array(np.arange(len(roster), dtype="int64")), "kpj": _text(roster["kpj"]),
                             **_identity(roster)},
    }
    con.register("rentan_sumber_p3ke_arrow", pa.table(tables[SOURCE_P3KE_VIEW]))
    con.register("rentan_sumber_peserta_arrow", pa.table(tables[SOURCE_ROSTER_VIEW]))
    con.execute(f"create or replace view {SOURCE_P3KE_VIEW} as select * from rentan_sumber_p3ke_arrow")
    con.execute(f"create or replace view {SOURCE_ROSTER_VIEW} as select * from rentan_sumber_peserta_arrow")


def register_staged(con: duckdb.DuckDBPyConnection, p3ke_path: str, roster_path: str) -> None:
    """The two source views over the staged dataset files: the rows not quarantined (alasan empty); roster
    positions in file order, as read_staged(...)[alasan == ''] would number them."""
    p3ke_columns = {name for (name,) in con.execute("select name from parquet_schema(?)", [p3ke_path]).fetchall()}
    keluarga = "id_keluarga_p3ke" if "id_keluarga_p3ke" in p3ke_columns else "cast(null as varchar)"
    identity = "nama, nik, coalesce(nik_rusak_excel, false) as nik_rusak_excel, jenis_kelamin, tanggal_lahir, kode_kemdagri"
    con.read_parquet(str(p3ke_path)).create_view("rentan_p3ke_parquet")
    con.read_parquet(str(roster_path), file_row_number=True).create_view("rentan_peserta_parquet")
    con.execute(f"""
        create or replace view {SOURCE_P3KE_VIEW} as
        select urut, id_individu, {keluarga} as keluarga, {identity}
        from rentan_p3ke_parquet where alasan = ''
    """)
    con.execute(f"""
        create or replace view {SOURCE_ROSTER_VIEW} as
        select row_number() over (order by file_row_number) - 1 as pos, kpj, {identity}
        from rentan_peserta_parquet where alasan = ''
    """)


def create_identities(con: duckdb.DuckDBPyConnection) -> int:
    """IDENTITY_TABLE, INPUT_TABLE and KPJ_TABLE from the two source views; the roster offset (the
    unique_id of roster position 0, above every urut)."""
    offset = int(con.execute(f"select coalesce(max(urut) + 1, 0) from {SOURCE_P3KE_VIEW}").fetchall()[0][0])
    _normalise_names(con)
    con.execute(_RECORDS_TABLE_SQL)
    con.execute(_IDENTITY_RANKED_SQL if _hash_collides(con) else _IDENTITY_HASHED_SQL)
    con.execute("drop table rentan_rekaman")
    con.execute(_FEATURES_SQL)
    con.execute(f"create or replace table {KPJ_TABLE} as select {offset} + pos as unique_id, kpj "
                f"from {SOURCE_ROSTER_VIEW}")
    con.execute("drop table rentan_nama_kunci")
    return offset


def _hash_collides(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether two different values of a key share a hash in rentan_rekaman (then ids are ranks)."""
    return any(con.execute(_COLLISIONS_SQL).fetchall()[0])


def _normalise_names(con: duckdb.DuckDBPyConnection) -> None:
    """rentan_nama_kunci: each distinct name of both sources with its normalised and phonetic keys."""
    distinct = con.sql(f"""
        select distinct nama from (select nama from {SOURCE_P3KE_VIEW} union all select nama from {SOURCE_ROSTER_VIEW})
        where nama is not null
    """).to_arrow_table()
    names = pd.Series(distinct.column("nama").to_pandas(), dtype="str")
    keys = name_keys(names)
    table = pa.table({"nama": _text(names), "nama_normal": _text(keys["nama_normal"]),
                      "nama_fonetik": _text(keys["nama_fonetik"])})
    del names, keys, distinct
    con.register("rentan_nama_arrow", table)
    con.execute("create or replace table rentan_nama_kunci as select * from rentan_nama_arrow")
    con.unregister("rentan_nama_arrow")


def _identity(frame: pd.DataFrame) -> dict[str, pa.Array]:
    dates = frame["tanggal_lahir"].astype(object).where(frame["tanggal_lahir"].notna(), None)
    rusak = frame["nik_rusak_excel"].fillna(False).astype(bool) if "nik_rusak_excel" in frame else None
    return {
        "nama": _text(frame["nama"]),
        "nik": _text(frame["nik"]),
        "nik_rusak_excel": pa.array(rusak.to_numpy() if rusak is not None else np.zeros(len(frame), bool)),
        "jenis_kelamin": _text(frame["jenis_kelamin"]),
        "tanggal_lahir": pa.array(dates.tolist(), pa.date32()),
        "kode_kemdagri": _text(frame["kode_kemdagri"]),
    }


def _optional_text(frame: pd.DataFrame, column: str) -> pa.Array:
    return _text(frame[column]) if column in frame else pa.nulls(len(frame), pa.string())


def _text(values: pd.Series) -> pa.Array:
    """A text column as Arrow strings, missing values null (no copy for pandas' Arrow-backed str)."""
    try:
        return pa.array(values, pa.string(), from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # values that are not all text
        return pa.array(values.astype("string"), pa.string(), from_pandas=True)
