"""Monthly contributions (iuran) from the roster snapshot, by the billing rule.

A roster participant is billed for month M when tanggal_kepesertaan <= last day
of M and (status AKTIF, or tanggal_nonaktif >= first day of M). JKK is a share
of upah_dilaporkan rounded half up, JKM a flat amount: both from the
effective-dated rate table in policy.yaml.
"""

from __future__ import annotations

import pandas as pd

from include.periods import first_day, last_day, month_range, period_of
from include.policy import Policy


def _days(dates: pd.Series) -> pd.Series:
    """datetime.date objects (None when missing) as datetime64, for vectorised comparisons."""
    return pd.to_datetime(dates, errors="coerce")


def billed_mask(peserta: pd.DataFrame, periode: str) -> pd.Series:
    """Which (valid) roster rows are billed in the month."""
    start, end = pd.Timestamp(first_day(periode)), pd.Timestamp(last_day(periode))
    joined = (_days(peserta["tanggal_kepesertaan"]) <= end).fillna(False).astype(bool)
    aktif = peserta["status_kepesertaan"] == "AKTIF"
    covered = (_days(peserta["tanggal_nonaktif"]) >= start).fillna(False).astype(bool)
    return joined & (aktif | covered)


def started_by(peserta: pd.DataFrame, periode: str) -> pd.Series:
    """Participants whose spell has started by the end of the month (later ones count as not linked)."""
    return (_days(peserta["tanggal_kepesertaan"]) <= pd.Timestamp(last_day(periode))).fillna(False).astype(bool)


def amounts(peserta: pd.DataFrame, periode: str, policy: Policy) -> pd.DataFrame:
    """iuran_jkk, iuran_jkm, total_iuran and status_tagihan for the given rows in the month."""
    rate = policy.rate_for(first_day(periode))
    upah = peserta["upah_dilaporkan"].astype("int64")
    jkk = upah.map({u: rate.jkk(int(u)) for u in upah.unique()}).astype("int64")
    jkm = pd.Series(rate.jkm_rupiah, index=peserta.index, dtype="int64")
    baru = peserta["tanggal_kepesertaan"].map(lambda d: period_of(d) == periode)
    return pd.DataFrame(
        {
            "iuran_jkk": jkk,
            "iuran_jkm": jkm,
            "total_iuran": jkk + jkm,
            "status_tagihan": baru.map({True: "BARU", False: "LANJUTAN"}),
        },
        index=peserta.index,
    )


def monthly_totals(peserta: pd.DataFrame, start: str, end: str, policy: Policy) -> pd.DataFrame:
    """Billed count, total and APBD total for every month start..end (the iuran_bulanan series)."""
    rows = []
    for periode in month_range(start, end):
        billed = peserta[billed_mask(peserta, periode)]
        total = amounts(billed, periode, policy)["total_iuran"] if len(billed) else pd.Series(dtype="int64")
        apbd = int(total[billed["sumber_dana"] == "APBD"].sum()) if len(billed) else 0
        rows.append({"periode": periode, "jumlah_peserta": len(billed), "total_iuran": int(total.sum()),
                     "iuran_apbd": apbd})
    return pd.DataFrame(rows, columns=["periode", "jumlah_peserta", "total_iuran", "iuran_apbd"])
