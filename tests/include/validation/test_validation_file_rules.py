"""The quarantine share of a file (CONTRACTS.md "Failing files")."""

from __future__ import annotations

import pandas as pd
import pytest

from include.validation import quarantine_share_exceeded


def codes(fine: int, bad: int, di_luar: int = 0, di_luar_and_bad: int = 0) -> pd.Series:
    return pd.Series(
        [""] * fine
        + ["NAMA_KOSONG"] * bad
        + ["WILAYAH_DI_LUAR"] * di_luar
        + ["NAMA_KOSONG|WILAYAH_DI_LUAR"] * di_luar_and_bad
    )


def test_more_than_the_limit_fails_and_exactly_the_limit_passes():
    assert quarantine_share_exceeded(codes(95, 5), 5) == (False, 5.0)
    exceeded, share = quarantine_share_exceeded(codes(94, 6), 5)
    assert exceeded and share == pytest.approx(6.0)


def test_rows_only_outside_the_region_do_not_count():
    # 900 rows of another kabupaten in a province-wide export: judged on the 100 rows of the region.
    assert quarantine_share_exceeded(codes(96, 4, di_luar=900), 5) == (False, 4.0)
    exceeded, share = quarantine_share_exceeded(codes(90, 10, di_luar=900), 5)
    assert exceeded and share == pytest.approx(10.0)


def test_outside_the_region_with_another_problem_counts():
    exceeded, share = quarantine_share_exceeded(codes(90, 0, di_luar_and_bad=10), 5)
    assert exceeded and share == pytest.approx(10.0)


def test_nothing_left_to_judge():
    assert quarantine_share_exceeded(codes(0, 0, di_luar=3), 5) == (False, 0.0)
    assert quarantine_share_exceeded(pd.Series([], dtype=object), 5) == (False, 0.0)
