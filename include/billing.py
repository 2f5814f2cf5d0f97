"""Monthly contributions (iuran) from the roster snapshot, by the billing rule.

A roster participant is billed for month M when tanggal_kepesertaan <= last day
of M and (status AKTIF, or tanggal_nonaktif >= first day of M). JKK is a share
of upah_dilaporkan rounded half up, JKM a flat amount: both from the
effective-dated rate table in policy.yaml.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from include.periods import day_array, first_day, last_day, month_range
from include.policy import Policy


def _days(dates: pd.Series) -> pd.Series:
    """datetime.date objects (None when missing) as datetime64 (NaT when missing), for vectorised comparisons."""
    return pd.Series(day_array(dates), index=dates.index)


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
    joined = _days(peserta["tanggal_kepesertaan"])
    baru = (joined >= pd.Timestamp(first_day(periode))) & (joined <= pd.Timestamp(last_day(periode)))
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
    """Billed count, total and APBD total for every month start..end (the iuran_bulanan series).

    The billing rule of billed_mask, with the dates converted once for all months: a roster of
    millions over the whole programme costs a few vector operations per month.
    """
    joined = day_array(peserta["tanggal_kepesertaan"])
    ended = day_array(peserta["tanggal_nonaktif"])
    aktif = (peserta["status_kepesertaan"] == "AKTIF").to_numpy(dtype=bool, na_value=False)
    apbd = (peserta["sumber_dana"] == "APBD").to_numpy(dtype=bool, na_value=False)
    upah = peserta["upah_dilaporkan"].to_numpy(dtype="int64") if len(peserta) else np.zeros(0, dtype="int64")
    levels, upah_index = np.unique(upah, return_inverse=True)
    jkk_by_rate: dict[int, np.ndarray] = {}
    rows = []
    for periode in month_range(start, end):
        month_start, month_end = np.datetime64(first_day(periode)), np.datetime64(last_day(periode))
        billed = (joined <= month_end) & (aktif | (ended >= month_start))
        rate = policy.rate_for(first_day(periode))
        if id(rate) not in jkk_by_rate:
            jkk_by_rate[id(rate)] = np.array([rate.jkk(int(u)) for u in levels], dtype="int64")
        total = jkk_by_rate[id(rate)][upah_index] + np.int64(rate.jkm_rupiah)
        rows.append({"periode": periode, "jumlah_peserta": int(billed.sum()), "total_iuran": int(total[billed].sum()),
                     "iuran_apbd": int(total[billed & apbd].sum())})
    return pd.DataFrame(rows, columns=["periode", "jumlah_peserta", "total_iuran", "iuran_apbd"])
