import datetime as dt

import pytest

from include.periods import bulan_tahun, first_day, last_day, month_range, period_of_logical_date, resolve_periods


def test_month_range_crosses_years_and_counts_the_program_span():
    months = month_range("2022-03", "2025-07")
    assert months[0] == "2022-03" and months[-1] == "2025-07"
    assert len(months) == 41
    assert month_range("2024-12", "2025-01") == ["2024-12", "2025-01"]


def test_days_of_a_month_include_leap_february():
    assert first_day("2024-02") == dt.date(2024, 2, 1)
    assert last_day("2024-02") == dt.date(2024, 2, 29)
    assert last_day("2025-02") == dt.date(2025, 2, 28)


def test_indonesian_month_names():
    assert bulan_tahun("2025-07") == "Juli 2025"
    assert bulan_tahun("2022-03") == "Maret 2022"


@pytest.mark.parametrize("text", ["2025-13", "2025-7", "Juli 2025", ""])
def test_bad_period_is_rejected_with_the_expected_form(text):
    with pytest.raises(ValueError, match="YYYY-MM"):
        first_day(text)


def test_scheduled_run_is_for_its_month_in_jakarta_time():
    # 1 July 01:00 WIB is 30 June 18:00 UTC: the run is for July, not June.
    logical = dt.datetime(2025, 6, 30, 18, 0, tzinfo=dt.UTC)
    assert period_of_logical_date(logical) == "2025-07"
    assert resolve_periods({}, logical) == ["2025-07"]


def test_params_win_over_the_logical_date_and_asset_events():
    logical = dt.datetime(2025, 6, 30, 18, 0, tzinfo=dt.UTC)
    params = {"periode_dari": "2025-05", "periode_sampai": "2025-07"}
    assert resolve_periods(params, logical, [{"periode": ["2024-01"]}]) == ["2025-05", "2025-06", "2025-07"]
    assert resolve_periods({"periode_dari": "2025-05"}, None) == ["2025-05"]


def test_asset_triggered_run_takes_the_months_of_its_events():
    extras = [{"periode": ["2025-07", "2025-06"]}, {"periode": ["2025-07"]}, {}]
    assert resolve_periods({"periode_dari": None, "periode_sampai": None}, None, extras) == ["2025-06", "2025-07"]


def test_no_period_at_all_is_an_error():
    with pytest.raises(ValueError, match="periode_dari"):
        resolve_periods({}, None, [])
