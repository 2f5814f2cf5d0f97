"""Soft findings: data-quality counts that never quarantine a row (CONTRACTS.md "Rules")."""

from __future__ import annotations

import pandas as pd

from include.model import KUALITAS_COLUMNS
from include.sources.nik import parse_nik_series
from include.wilayah import in_region


def soft_findings(p3ke: pd.DataFrame, region: str) -> pd.DataFrame:
    """Counts over the P3KE rows that pass the hard rules: NIK birth date or sex marker disagreeing with
    the columns, NIK prefix outside the region, padan_dukcapil TIDAK."""
    rows = p3ke[p3ke["alasan"] == ""]
    parts = parse_nik_series(rows["nik"])
    born = rows["tanggal_lahir"]
    same_date = (parts["nik_tanggal_lahir_1900"] == born) | (parts["nik_tanggal_lahir_2000"] == born)
    has_nik = parts["nik_provinsi"].notna()
    prefix = parts["nik_kabupaten"].where(has_nik, "")
    counts = {
        "NIK_TANGGAL_BEDA_DENGAN_TANGGAL_LAHIR": int((has_nik & born.notna() & ~same_date).sum()),
        "NIK_JENIS_KELAMIN_BEDA": int((has_nik & (parts["nik_jenis_kelamin"] != rows["jenis_kelamin"])).sum()),
        "NIK_DI_LUAR_WILAYAH": int((has_nik & ~prefix.map(lambda k: in_region(k, region) or
                                                          in_region(region, k))).sum()),
    }
    if "padan_dukcapil" in rows:
        counts["PADAN_DUKCAPIL_TIDAK"] = int((rows["padan_dukcapil"].astype("string").str.upper() == "TIDAK").sum())
    return pd.DataFrame({"sumber": "p3ke", "temuan": list(counts), "jumlah": list(counts.values())})[KUALITAS_COLUMNS]
