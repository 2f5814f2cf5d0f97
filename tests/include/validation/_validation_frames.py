"""Hand-built normalised frames (COMMON.md column contract) for the validation tests; synthetic data only."""

from __future__ import annotations

import datetime as dt

import pandas as pd

# A woman born 15-06-1990 (day 15 + 40 = 55), registered in Sijunjung.
NIK_OK = "1303045506900001"
DESA_OK = "13.03.03.2001"  # Timbulun, Sijunjung
DESA_LUAR = "11.01.01.2001"  # Keude Bakongan, Aceh: a known desa outside 13.03


def p3ke_row(**overrides: object) -> dict:
    row = {
        "berkas": "kec_tanjung_gadang.xlsx",
        "sha256": "ab" * 32,
        "id_keluarga_p3ke": "KEL001",
        "id_individu": "IND001",
        "nama": "Rina Marlina",
        "nik": NIK_OK,
        "nik_rusak_excel": False,
        "jenis_kelamin": "PEREMPUAN",
        "tanggal_lahir": dt.date(1990, 6, 15),
        "tanggal_lahir_tidak_terbaca": False,
        "kode_kemdagri": DESA_OK,
        "desil_kesejahteraan": 1,
        "desil_kesejahteraan_mentah": "1",
        "pekerjaan": "PETANI",
    }
    row.update(overrides)
    return row


def peserta_row(**overrides: object) -> dict:
    row = {
        "berkas": "peserta_2025_07.xlsx",
        "sha256": "cd" * 32,
        "kpj": "12345678901",
        "nik": NIK_OK,
        "nik_rusak_excel": False,
        "nama": "Rina Marlina",
        "tanggal_lahir": dt.date(1990, 6, 15),
        "jenis_kelamin": "PEREMPUAN",
        "kode_kemdagri": DESA_OK,
        "tanggal_kepesertaan": dt.date(2022, 3, 1),
        "status_kepesertaan": "AKTIF",
        "sumber_dana": "APBD",
        "upah_dilaporkan": 1_000_000,
        "upah_dilaporkan_mentah": "Rp 1.000.000",
        "tanggal_nonaktif": None,
        "alasan_nonaktif": None,
    }
    row.update(overrides)
    return row


def klaim_row(**overrides: object) -> dict:
    row = {
        "berkas": "klaim_2025.csv",
        "sha256": "ef" * 32,
        "kpj": "12345678901",
        "nik": NIK_OK,
        "jenis_klaim": "JKK",
        "tanggal_kejadian": dt.date(2025, 6, 2),
        "tanggal_bayar": dt.date(2025, 7, 10),
        "nilai_manfaat": 2_500_000,
        "nilai_manfaat_mentah": "2500000",
    }
    row.update(overrides)
    return row


def tinjauan_row(**overrides: object) -> dict:
    row = {
        "berkas": "tinjauan_01.csv",
        "sha256": "01" * 32,
        "id_individu": "IND001",
        "kandidat_kpj": "12345678901",
        "keputusan": "SAMA",
    }
    row.update(overrides)
    return row


def frame(rows: list[dict]) -> pd.DataFrame:
    """Rows -> a normalised frame: baris from 2, Int64 amounts/desil, None for empty text."""
    data = pd.DataFrame(rows)
    data.insert(1, "baris", range(2, len(data) + 2))
    for column in ("desil_kesejahteraan", "upah_dilaporkan", "nilai_manfaat"):
        if column in data.columns:
            data[column] = pd.array([None if pd.isna(v) else int(v) for v in data[column]], dtype="Int64")
    for column in data.columns:
        if data[column].dtype == object or str(data[column].dtype) == "str":
            data[column] = data[column].astype(object).where(data[column].notna(), None)
    return data
