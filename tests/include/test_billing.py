import datetime as dt
from decimal import Decimal

import pandas as pd

from include import billing
from include.policy import Rate, default_policy


def roster(rows):
    columns = ["kpj", "tanggal_kepesertaan", "status_kepesertaan", "tanggal_nonaktif", "sumber_dana",
               "upah_dilaporkan"]
    return pd.DataFrame(rows, columns=columns)


D = dt.date
ROWS = [
    ("A", D(2025, 7, 31), "AKTIF", None, "APBD", 1_000_000),       # joins on the last day: billed, BARU
    ("B", D(2025, 8, 1), "AKTIF", None, "APBD", 1_000_000),        # starts after July: not billed
    ("C", D(2022, 3, 1), "NONAKTIF", D(2025, 7, 1), "CSR", 1_000_000),   # covered on the 1st: billed
    ("D", D(2022, 3, 1), "NONAKTIF", D(2025, 6, 30), "APBD", 1_000_000),  # ended in June: not billed
    ("E", D(2024, 1, 1), "AKTIF", None, "MANDIRI", 1_234_550),     # JKK 12.345,5 rounds half up to 12.346
]


def test_billing_rule_edges():
    billed = billing.billed_mask(roster(ROWS), "2025-07")
    assert list(roster(ROWS)["kpj"][billed]) == ["A", "C", "E"]


def test_amounts_round_half_up_and_status():
    frame = roster(ROWS)
    out = billing.amounts(frame[billing.billed_mask(frame, "2025-07")], "2025-07", default_policy())
    assert list(out["iuran_jkk"]) == [10_000, 10_000, 12_346]
    assert list(out["iuran_jkm"]) == [6_800, 6_800, 6_800]
    assert list(out["total_iuran"]) == [16_800, 16_800, 19_146]
    assert list(out["status_tagihan"]) == ["BARU", "LANJUTAN", "LANJUTAN"]


def test_rates_are_effective_dated():
    policy = default_policy()
    assert policy.rate_for(D(2020, 9, 1)).jkm_rupiah == 68          # the 99 % discount
    assert policy.rate_for(D(2021, 2, 1)).jkk(1_000_000) == 10_000
    assert Rate(D(2000, 1, 1), Decimal("1"), 6800).jkk(1_000_050) == 10_001  # 10.000,5 -> 10.001


def test_monthly_totals_count_each_month_by_the_rule():
    frame = roster(ROWS)
    totals = billing.monthly_totals(frame, "2025-06", "2025-08", default_policy())
    assert list(totals["jumlah_peserta"]) == [3, 3, 3]    # June: C, D, E; July: A, C, E; August: A, B, E
    assert totals.loc[1, "total_iuran"] == 16_800 + 16_800 + 19_146
    assert totals.loc[1, "iuran_apbd"] == 16_800
