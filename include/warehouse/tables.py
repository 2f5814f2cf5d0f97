"""The warehouse tables a load writes: which frame column goes where, as which kind of value.

The types and constraints live in include/sql/create_schema.sql; this module maps the frames
of `PeriodResult` and `Snapshot` onto those tables and turns their cells into plain Python
values (str, int, bool, float, ISO date text, None) that both drivers bind the same way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import repeat

import numpy as np
import pandas as pd

TEXT, INT, DATE, BOOL, FLOAT = "text", "int", "date", "bool", "float"
TIMESTAMP = "timestamp"  # audit columns only, set by the database


@dataclass(frozen=True)
class Table:
    """A warehouse table filled from a frame.

    columns: the frame columns copied, in insert order, with their kind.
    key: the column set to the period being loaded (None for the run-wide tables).
    Every table also gets run_id; loaded_at comes from the column default.
    """

    name: str
    columns: Mapping[str, str]
    key: str | None = "periode"

    def insert_columns(self) -> list[str]:
        return ([self.key] if self.key else []) + list(self.columns) + ["run_id"]


def _kinds(spec: str) -> dict[str, str]:
    """'kpj nik baris:int' -> {'kpj': 'text', 'nik': 'text', 'baris': 'int'}."""
    pairs = (item.partition(":") for item in spec.split())
    return {name: kind or TEXT for name, _, kind in pairs}


FACT_IURAN = Table("fact_iuran", _kinds(
    "kpj nik nama kode_kemdagri kode_kecamatan kecamatan desa_kelurahan sumber_dana upah_dilaporkan:int "
    "iuran_jkk:int iuran_jkm:int total_iuran:int status_tagihan dari_p3ke:bool berkas baris:int"
))
FACT_HASIL_P3KE = Table("fact_hasil_p3ke", _kinds("berkas baris:int id_individu hasil alasan kpj orang:int"))
CALON_PESERTA = Table("calon_peserta", _kinds(
    "id_individu id_keluarga_p3ke nik nama jenis_kelamin tanggal_lahir:date kode_kemdagri kecamatan "
    "desa_kelurahan desil_kesejahteraan:int pekerjaan jenis kpj_lama prioritas:int berkas baris:int"
))
PERLU_TINJAUAN = Table("perlu_tinjauan", _kinds(
    "id_individu nik nama tanggal_lahir:date kode_kemdagri kandidat_kpj kandidat_nik kandidat_nama "
    "kandidat_tanggal_lahir:date probabilitas:float alasan"
))
KARANTINA = Table("karantina", _kinds("sumber berkas baris:int alasan id nik nama"))
KUALITAS_DATA = Table("kualitas_data", _kinds("sumber temuan jumlah:int"))
IURAN_BULANAN = Table(
    "iuran_bulanan", _kinds("periode jumlah_peserta:int total_iuran:int iuran_apbd:int"), key="periode_laporan"
)
DISTRIBUSI_BOBOT = Table("distribusi_bobot", _kinds("bobot_dari:float bobot_sampai:float jumlah:int"))
RINGKASAN = Table("ringkasan", _kinds("isi"))

DIM_PESERTA = Table("dim_peserta", _kinds("kpj nik nama tanggal_lahir:date jenis_kelamin kode_kemdagri"), key=None)
FACT_KEPESERTAAN = Table("fact_kepesertaan", _kinds(
    "kpj tanggal_kepesertaan:date status_kepesertaan tanggal_nonaktif:date alasan_nonaktif sumber_dana "
    "upah_dilaporkan:int berkas baris:int"
), key=None)
FACT_KLAIM = Table("fact_klaim", _kinds(
    "berkas baris:int kpj nik jenis_klaim tanggal_kejadian:date tanggal_bayar:date nilai_manfaat:int"
), key=None)
KEPUTUSAN_TINJAUAN = Table("keputusan_tinjauan", _kinds("id_individu kandidat_kpj keputusan berkas baris:int"), key=None)
AUDIT_BERKAS = Table("audit_berkas", _kinds("sumber berkas sha256 baris:int karantina:int status"), key=None)

# PeriodResult field -> table, in load order (delete_periode.sql clears the same tables).
PERIOD_TABLES: dict[str, Table] = {
    "rincian": FACT_IURAN,
    "hasil": FACT_HASIL_P3KE,
    "calon": CALON_PESERTA,
    "tinjauan": PERLU_TINJAUAN,
    "karantina": KARANTINA,
    "kualitas": KUALITAS_DATA,
    "iuran_bulanan": IURAN_BULANAN,
    "bobot": DISTRIBUSI_BOBOT,
}
# (Snapshot field, table), in load order: workers before the spells that reference them.
SNAPSHOT_TABLES: tuple[tuple[str, Table], ...] = (
    ("peserta", DIM_PESERTA),
    ("peserta", FACT_KEPESERTAAN),
    ("klaim", FACT_KLAIM),
    ("tinjauan", KEPUTUSAN_TINJAUAN),
)


def rows_of(frame: pd.DataFrame, table: Table, label: str, run_id: str, periode: str | None = None) -> list[tuple]:
    """The frame as insert rows for `table` (see Table.insert_columns); label names the frame in errors."""
    if len(frame) == 0:
        return []
    missing = [c for c in table.columns if c not in frame.columns]
    if missing:
        raise ValueError(f"{label}: no column {', '.join(missing)}; the frame must carry {', '.join(table.columns)}")
    if table.key == "periode" and "periode" in frame.columns and (frame["periode"] != periode).any():
        raise ValueError(f"{label}: column periode holds months other than {periode}; decide must fill it with {periode}")
    values = [python_values(frame[c], kind, f"{label}.{c}") for c, kind in table.columns.items()]
    head = [repeat(periode)] if table.key else []
    return list(zip(*head, *values, repeat(run_id)))


def python_values(series: pd.Series, kind: str, label: str) -> list:
    """A column as a list of plain Python values of `kind`, missing cells as None."""
    if kind == INT:
        return _ints(series, label)
    if kind == DATE:
        return _dates(series, label)
    if kind == BOOL:
        return _bools(series, label)
    if kind == FLOAT:
        return _objects(series.astype("float64"))
    values = _objects(series)
    if isinstance(series.dtype, pd.StringDtype):
        return values
    return [v if v is None or type(v) is str else str(v) for v in values]


def _objects(series: pd.Series) -> list:
    values = series.to_numpy(dtype=object, copy=True)
    values[pd.isna(values)] = None
    return values.tolist()


def _ints(series: pd.Series, label: str) -> list:
    if pd.api.types.is_integer_dtype(series.dtype):
        return series.to_numpy(dtype=object, na_value=None).tolist()
    out = _objects(series)
    for i, v in enumerate(out):
        if v is None or type(v) is int:
            continue
        try:
            whole = None if isinstance(v, bool | np.bool_ | str | bytes) else int(v)
        except (TypeError, ValueError):
            whole = None
        if whole is None or whole != v:
            raise ValueError(f"{label}: frame row {i} (0-based) is not a whole number; amounts and counts must be integers (Int64)")
        out[i] = whole
    return out


def _dates(series: pd.Series, label: str) -> list:
    out = _objects(series)
    for i, v in enumerate(out):
        if v is None:
            continue
        if isinstance(v, dt.datetime):
            out[i] = v.date().isoformat()
        elif isinstance(v, dt.date):
            out[i] = v.isoformat()
        else:
            try:
                out[i] = dt.date.fromisoformat(str(v)).isoformat()
            except ValueError:
                raise ValueError(f"{label}: frame row {i} (0-based) is not a date; dates must be 'YYYY-MM-DD' text or dates") from None
    return out


def _bools(series: pd.Series, label: str) -> list:
    if pd.api.types.is_bool_dtype(series.dtype):
        return series.to_numpy(dtype=object, na_value=None).tolist()
    out = _objects(series)
    for i, v in enumerate(out):
        if v is not None and v not in (True, False):
            raise ValueError(f"{label}: frame row {i} (0-based) is not true/false; the frame must hold booleans")
        out[i] = None if v is None else bool(v)
    return out


def _kind_of_columns() -> dict[str, str]:
    """Column name -> kind over every table; a name means the same kind everywhere."""
    kinds = {"periode": TEXT, "periode_laporan": TEXT, "run_id": TEXT, "loaded_at": TIMESTAMP, "peserta_baru": INT}
    for table in [*PERIOD_TABLES.values(), RINGKASAN, *(t for _, t in SNAPSHOT_TABLES), AUDIT_BERKAS]:
        for name, kind in table.columns.items():
            if kinds.setdefault(name, kind) != kind:
                raise AssertionError(f"column {name} is {kinds[name]} in one table and {kind} in {table.name}")
    return kinds


KIND_OF_COLUMN = _kind_of_columns()
