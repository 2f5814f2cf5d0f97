"""Soft findings: data-quality counts that never quarantine a row (CONTRACTS.md "Rules")."""

from __future__ import annotations

import numpy as np
import pandas as pd

from include.model import KUALITAS_COLUMNS
from include.periods import day_array
from include.sources.nik import nik_facts
from include.wilayah import in_region


def soft_findings(p3ke: pd.DataFrame, region: str) -> pd.DataFrame:
    """Counts over the P3KE rows that pass the hard rules: NIK birth date or sex marker disagreeing with
    the columns, NIK prefix outside the region, padan_dukcapil TIDAK."""
    rows = p3ke[p3ke["alasan"] == ""]
    facts = nik_facts(rows["nik"], day_array(rows["tanggal_lahir"]), rows["jenis_kelamin"])
    prefixes, at = np.unique(facts["kabupaten"][facts["nik"]], return_inverse=True)
    outside = np.array([not (in_region(k, region) or in_region(region, k)) for k in prefixes], dtype=bool)
    counts = {
        "NIK_TANGGAL_BEDA_DENGAN_TANGGAL_LAHIR": int(facts["tanggal_beda"].sum()),
        "NIK_JENIS_KELAMIN_BEDA": int(facts["jenis_kelamin_beda"].sum()),
        "NIK_DI_LUAR_WILAYAH": int(outside[at].sum()),
    }
    if "padan_dukcapil" in rows:
        counts["PADAN_DUKCAPIL_TIDAK"] = int((rows["padan_dukcapil"].astype("string").str.upper() == "TIDAK").sum())
    return pd.DataFrame({"sumber": "p3ke", "temuan": list(counts), "jumlah": list(counts.values())})[KUALITAS_COLUMNS]
