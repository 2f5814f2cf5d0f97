"""Clerical review decisions: SAMA or BEDA for a (P3KE row, roster candidate) pair."""

from __future__ import annotations

from typing import TYPE_CHECKING

from include.sources.spec import Kind, SourceSpec

if TYPE_CHECKING:
    import pandas as pd

SPEC = SourceSpec(
    name="tinjauan",
    folder="tinjauan",
    required=("id_individu", "kandidat_kpj", "keputusan"),
)
COLUMNS = {
    "id_individu": Kind.TEXT,
    "kandidat_kpj": Kind.KPJ,
    "keputusan": Kind.UPPER,
}


def normalise(raw: pd.DataFrame, berkas: str, sha256: str) -> pd.DataFrame:
    """Raw review cells -> the normalised tinjauan frame."""
    from include.sources.frame import build_frame

    return build_frame(raw, berkas, sha256, COLUMNS)
