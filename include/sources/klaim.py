"""BPJS claims paid (JKK work accident, JKM death); a claim belongs to the month it was paid."""

from __future__ import annotations

from typing import TYPE_CHECKING

from include.sources.spec import Kind, SourceSpec

if TYPE_CHECKING:
    import pandas as pd

SPEC = SourceSpec(
    name="klaim",
    folder="bpjs/klaim",
    required=("kpj", "nik", "jenis_klaim", "tanggal_kejadian", "tanggal_bayar", "nilai_manfaat"),
)
COLUMNS = {
    "kpj": Kind.KPJ,
    "nik": Kind.KPJ,  # an id text; claims are keyed by KPJ, so no Excel-damage flag here
    "jenis_klaim": Kind.UPPER,
    "tanggal_kejadian": Kind.DATE,
    "tanggal_bayar": Kind.DATE,
    "nilai_manfaat": Kind.RUPIAH,
}


def normalise(raw: pd.DataFrame, berkas: str, sha256: str) -> pd.DataFrame:
    """Raw claim cells -> the normalised klaim frame."""
    from include.sources.frame import build_frame

    return build_frame(raw, berkas, sha256, COLUMNS)
