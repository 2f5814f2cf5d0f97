"""Build a normalised frame from raw cells, column by column, by the kind of value each holds.

A source module declares `{column: kind}`; this module turns the raw frame of
`common.read_table` into the frame of COMMON.md: `berkas, baris, sha256`, the
declared columns (with their companion columns), then every other input column
as trimmed text.
"""

from __future__ import annotations

import pandas as pd

from include.sources import values
from include.sources.spec import Kind


def _column(raw: pd.DataFrame, name: str) -> pd.Series:
    if name in raw.columns:
        return raw[name]
    return pd.Series([None] * len(raw), index=raw.index, dtype=object)


def _parse(out: dict[str, pd.Series], name: str, kind: Kind, cells: pd.Series, xlsx: bool) -> None:
    if kind is Kind.TEXT:
        out[name] = values.clean_text(cells)
    elif kind is Kind.UPPER:
        out[name] = values.upper_text(cells)
    elif kind is Kind.NIK:
        out[name] = values.id_text(cells)
        out["nik_rusak_excel"] = values.nik_damaged(cells)
    elif kind is Kind.KPJ:
        out[name] = values.id_text(cells)
    elif kind is Kind.DATE:
        out[name], out[f"{name}_tidak_terbaca"] = values.parse_dates(cells, allow_serial=xlsx)
    elif kind is Kind.JENIS_KELAMIN:
        out[name] = values.jenis_kelamin(cells)
    elif kind is Kind.KODE:
        out[name] = values.kode_kemdagri(cells)
    elif kind is Kind.DESIL:
        out[name], out[f"{name}_mentah"] = values.desil(cells)
    elif kind is Kind.RUPIAH:
        out[name], out[f"{name}_mentah"] = values.rupiah(cells)
    else:  # pragma: no cover - every Kind is handled above
        raise ValueError(f"unknown column kind {kind}")


def build_frame(raw: pd.DataFrame, berkas: str, sha256: str, columns: dict[str, Kind]) -> pd.DataFrame:
    """The normalised frame of one file: berkas, baris, sha256, declared columns, other columns as text."""
    raw = raw.reset_index(drop=True)
    xlsx = berkas.lower().endswith(".xlsx")
    out: dict[str, pd.Series] = {
        "berkas": pd.Series([berkas] * len(raw), index=raw.index, dtype=object),
        "baris": raw["baris"].astype("int64")
        if "baris" in raw.columns
        else pd.Series(range(2, len(raw) + 2), index=raw.index, dtype="int64"),
        "sha256": pd.Series([sha256] * len(raw), index=raw.index, dtype=object),
    }
    for name, kind in columns.items():
        _parse(out, name, kind, _column(raw, name), xlsx)
    for name in raw.columns:
        if name not in out and name not in columns:
            out[name] = values.clean_text(raw[name])
    return pd.DataFrame(out, index=pd.RangeIndex(len(raw)))
