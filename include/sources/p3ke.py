"""P3KE individual export (Kemenko PMK): one row per person, grouped by family."""

from __future__ import annotations

from typing import TYPE_CHECKING

from include.sources.spec import Kind, SourceSpec

if TYPE_CHECKING:
    import pandas as pd

SPEC = SourceSpec(
    name="p3ke",
    folder="p3ke",
    required=(
        "id_keluarga_p3ke",
        "id_individu",
        "nama",
        "nik",
        "jenis_kelamin",
        "tanggal_lahir",
        "kode_kemdagri",
        "desil_kesejahteraan",
        "pekerjaan",
    ),
    optional=(
        "provinsi",
        "kabupaten_kota",
        "kecamatan",
        "desa_kelurahan",
        "alamat",
        "padan_dukcapil",
        "hubungan_dengan_kepala_keluarga",
        "status_kawin",
        "pendidikan",
        "penerima_pkh",
        "penerima_bpnt",
        "penerima_sembako",
    ),
)
COLUMNS = {
    "id_keluarga_p3ke": Kind.TEXT,
    "id_individu": Kind.TEXT,
    "nama": Kind.TEXT,
    "nik": Kind.NIK,
    "jenis_kelamin": Kind.JENIS_KELAMIN,
    "tanggal_lahir": Kind.DATE,
    "kode_kemdagri": Kind.KODE,
    "desil_kesejahteraan": Kind.DESIL,
    "pekerjaan": Kind.TEXT,
}


def normalise(raw: pd.DataFrame, berkas: str, sha256: str) -> pd.DataFrame:
    """Raw P3KE cells -> the normalised p3ke frame; optional and unknown columns kept as text."""
    from include.sources.frame import build_frame

    return build_frame(raw, berkas, sha256, COLUMNS)
