"""BPJS Ketenagakerjaan roster snapshot: one row per KPJ, its current spell."""

from __future__ import annotations

from typing import TYPE_CHECKING

from include.sources.spec import Kind, SourceSpec

if TYPE_CHECKING:
    import pandas as pd

SPEC = SourceSpec(
    name="peserta",
    folder="bpjs/peserta",
    required=(
        "kpj",
        "nik",
        "nama",
        "tanggal_lahir",
        "jenis_kelamin",
        "kode_kemdagri",
        "tanggal_kepesertaan",
        "status_kepesertaan",
        "sumber_dana",
        "upah_dilaporkan",
    ),
    optional=("tanggal_nonaktif", "alasan_nonaktif"),
    latest_only=True,
)
COLUMNS = {
    "kpj": Kind.KPJ,
    "nik": Kind.NIK,
    "nama": Kind.TEXT,
    "tanggal_lahir": Kind.DATE,
    "jenis_kelamin": Kind.JENIS_KELAMIN,
    "kode_kemdagri": Kind.KODE,
    "tanggal_kepesertaan": Kind.DATE,
    "status_kepesertaan": Kind.UPPER,
    "sumber_dana": Kind.UPPER,
    "upah_dilaporkan": Kind.RUPIAH,
    "tanggal_nonaktif": Kind.DATE,
    "alasan_nonaktif": Kind.UPPER,
}


def normalise(raw: pd.DataFrame, berkas: str, sha256: str) -> pd.DataFrame:
    """Raw roster cells -> the normalised peserta frame (tanggal_nonaktif, alasan_nonaktif always present)."""
    from include.sources.frame import build_frame

    return build_frame(raw, berkas, sha256, COLUMNS)
