"""The derived figures that the workbook and the HTML page both show (charts and summary tables).

Pure functions over ReportData parts; they return plain lists so both writers draw the same numbers.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from include.model import OUTCOMES
from include.periods import parse_period
from include.policy import Policy
from include.reports.formatting import OUTCOME_LABELS, desimal, is_missing

KECAMATAN_TIDAK_DIKETAHUI = "TIDAK DIKETAHUI"


@dataclass(frozen=True)
class Bar:
    """One bar of a chart: its category key, display label and value."""

    key: str
    label: str
    value: int


@dataclass(frozen=True)
class Bin:
    """One bin of a histogram: the values from `dari` up to `sampai`, and how many fall in it."""

    dari: float
    sampai: float
    jumlah: int


@dataclass(frozen=True)
class Marker:
    """A labelled vertical line of a histogram at `value` (x-axis units)."""

    label: str
    value: float


def as_int(value: object) -> int | None:
    """A whole number from an int, an integral float or digits; None when missing."""
    if is_missing(value) or isinstance(value, bool):
        return None
    return int(round(float(value)))


def section(ringkasan: dict, name: str) -> dict:
    """A part of ringkasan.json, {} when absent (the page still renders)."""
    value = (ringkasan or {}).get(name)
    return value if isinstance(value, dict) else {}


def iuran_per_bulan(iuran_bulanan: pd.DataFrame) -> list[dict]:
    """Rows of iuran_bulanan in month order: periode, jumlah_peserta, total_iuran, iuran_apbd."""
    if iuran_bulanan is None or iuran_bulanan.empty:
        return []
    rows = []
    for record in iuran_bulanan.sort_values("periode", kind="stable").to_dict("records"):
        rows.append(
            {
                "periode": str(record["periode"]),
                "jumlah_peserta": as_int(record.get("jumlah_peserta")) or 0,
                "total_iuran": as_int(record.get("total_iuran")) or 0,
                "iuran_apbd": as_int(record.get("iuran_apbd")) or 0,
            }
        )
    return rows


def realisasi_anggaran(iuran_bulanan: pd.DataFrame, periode: str) -> list[dict]:
    """The months of the periode's year through the periode: periode, iuran_apbd, kumulatif."""
    year, _ = parse_period(periode)
    rows, total = [], 0
    for row in iuran_per_bulan(iuran_bulanan):
        if row["periode"].startswith(f"{year:04d}-") and row["periode"] <= periode:
            total += row["iuran_apbd"]
            rows.append({"periode": row["periode"], "iuran_apbd": row["iuran_apbd"], "kumulatif": total})
    return rows


def peserta_per_kecamatan(rekap: pd.DataFrame) -> list[Bar]:
    """Participants billed per kecamatan (all funding sources), in kode order, unknown area last."""
    if rekap is None or rekap.empty:
        return []
    totals: dict[str, list] = {}
    for record in rekap.to_dict("records"):
        kode = "" if is_missing(record.get("kode_kecamatan")) else str(record["kode_kecamatan"])
        nama = "" if is_missing(record.get("kecamatan")) else str(record["kecamatan"])
        entry = totals.setdefault(kode, [nama or KECAMATAN_TIDAK_DIKETAHUI, 0])
        entry[1] += as_int(record.get("jumlah_peserta")) or 0
    order = sorted(totals, key=lambda kode: (kode == "", kode))
    return [Bar(kode, totals[kode][0], totals[kode][1]) for kode in order]


def hasil_p3ke(ringkasan: dict) -> list[Bar]:
    """The six P3KE outcome counts in rule order."""
    p3ke = section(ringkasan, "p3ke")
    return [Bar(name, OUTCOME_LABELS[name], as_int(p3ke.get(name)) or 0) for name in OUTCOMES]


def hasil_p3ke_cocok(ringkasan: dict) -> bool:
    """Whether the outcome counts add up to baris_masuk, as the contract requires."""
    baris = as_int(section(ringkasan, "p3ke").get("baris_masuk")) or 0
    return sum(bar.value for bar in hasil_p3ke(ringkasan)) == baris


def rekap_total(rekap: pd.DataFrame) -> dict[str, int]:
    """Column totals of the recap (shown under the table in the page and the workbook)."""
    columns = ("jumlah_peserta", "peserta_baru", "iuran_jkk", "iuran_jkm", "total_iuran")
    if rekap is None or rekap.empty:
        return dict.fromkeys(columns, 0)
    return {column: sum(as_int(v) or 0 for v in rekap[column]) for column in columns}


def distribusi_bobot(bobot: pd.DataFrame | None) -> list[Bin]:
    """The match-weight histogram in weight order; [] when the run scored no candidate pair."""
    if bobot is None or bobot.empty:
        return []
    bins = [
        Bin(float(record["bobot_dari"]), float(record["bobot_sampai"]), as_int(record.get("jumlah")) or 0)
        for record in bobot.to_dict("records")
    ]
    bins.sort(key=lambda b: (b.dari, b.sampai))
    return bins if any(b.jumlah > 0 for b in bins) else []


def bobot_dari_probabilitas(p: float) -> float:
    """A match probability as a Splink match weight: w = log2(p / (1 - p)) (0.5 -> 0, 0.95 -> 4.25)."""
    if not 0 < p < 1:
        raise ValueError(
            f"include/policy.yaml: threshold {p} under 'pencocokan' is not a probability between 0 and 1; "
            "set atas and bawah to values such as 0.95 and 0.50"
        )
    return math.log2(p / (1 - p))


def ambang_bobot(policy: Policy) -> list[Marker]:
    """The matching thresholds of the policy as match weights: review (bawah) first, then match (atas)."""
    return [
        Marker(
            f"ambang tinjauan (p = {desimal(policy.ambang_bawah, 2)})", bobot_dari_probabilitas(policy.ambang_bawah)
        ),
        Marker(f"ambang cocok (p = {desimal(policy.ambang_atas, 2)})", bobot_dari_probabilitas(policy.ambang_atas)),
    ]
