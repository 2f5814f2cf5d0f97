"""Months ('periode', YYYY-MM): parsing, ranges, their days, Indonesian names.

A monthly DAG run is for the month in which it starts, in Asia/Jakarta time.
Airflow 3's cron timetables give a zero-length data interval, so the period is
derived here, explicitly, from the run's logical date or from its parameters.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

if TYPE_CHECKING:  # DAG files import this module: numpy and pandas load only where dates are computed
    import numpy as np
    import pandas as pd

JAKARTA = ZoneInfo("Asia/Jakarta")
_PERIOD = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
BULAN = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)


def parse_period(text: str) -> tuple[int, int]:
    match = _PERIOD.match(str(text).strip())
    if not match:
        raise ValueError(f"periode {text!r} is not a month in the form YYYY-MM, e.g. 2025-07")
    return int(match.group(1)), int(match.group(2))


def first_day(periode: str) -> dt.date:
    year, month = parse_period(periode)
    return dt.date(year, month, 1)


def last_day(periode: str) -> dt.date:
    year, month = parse_period(periode)
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def period_of(day: dt.date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def day_array(days: pd.Series) -> np.ndarray:
    """A column of datetime.date (None or NaN when missing) as datetime64[D] with NaT, converted in C.

    NaT compares False with everything, so a missing date never passes a date rule.
    """
    import pandas as pd
    import pyarrow as pa

    if isinstance(days.dtype, pd.DatetimeTZDtype) or pd.api.types.is_datetime64_any_dtype(days.dtype):
        return days.to_numpy(dtype="datetime64[D]")
    values = pa.array(days.to_numpy(dtype=object), type=pa.date32(), from_pandas=True)
    return values.to_numpy(zero_copy_only=False).astype("datetime64[D]")


def completed_years_array(born: np.ndarray, on: dt.date) -> np.ndarray:
    """Age in completed years on a day from datetime64[D] birth dates (NaN where missing)."""
    import numpy as np

    year = born.astype("datetime64[Y]").astype("int64") + 1970
    month_start = born.astype("datetime64[M]")
    month = month_start.astype("int64") % 12 + 1
    day = (born - month_start.astype("datetime64[D]")).astype("int64") + 1
    before_birthday = (month > on.month) | ((month == on.month) & (day > on.day))
    age = (on.year - year - before_birthday).astype("float64")
    age[np.isnat(born)] = np.nan
    return age


def month_range(start: str, end: str) -> list[str]:
    """Every month from start to end inclusive."""
    y, m = parse_period(start)
    end_y, end_m = parse_period(end)
    if (y, m) > (end_y, end_m):
        raise ValueError(f"periode range {start} .. {end} is empty: the first month is after the last")
    months = []
    while (y, m) <= (end_y, end_m):
        months.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return months


def bulan_tahun(periode: str) -> str:
    """'2025-07' -> 'Juli 2025'."""
    year, month = parse_period(periode)
    return f"{BULAN[month - 1]} {year}"


def period_of_logical_date(logical_date: dt.datetime) -> str:
    """The month, in Asia/Jakarta, in which a scheduled run starts."""
    if logical_date.tzinfo is None:
        logical_date = logical_date.replace(tzinfo=dt.UTC)
    return period_of(logical_date.astimezone(JAKARTA).date())


def resolve_periods(params: dict | None, logical_date: dt.datetime | None, asset_extras: list[dict] | None = None) -> list[str]:
    """The months a run covers.

    In order: explicit `periode_dari`/`periode_sampai` params (a manual run or a
    backfill); the months carried by the asset events that triggered the run;
    the month of the scheduled run's logical date in Asia/Jakarta.
    """
    params = params or {}
    start, end = params.get("periode_dari"), params.get("periode_sampai")
    if start or end:
        return month_range(start or end, end or start)
    months: set[str] = set()
    for extra in asset_extras or []:
        months.update(extra.get("periode", []))
    if months:
        return sorted(months)
    if logical_date is None:
        raise ValueError("no periode given and the run has no logical date: pass periode_dari/periode_sampai")
    return [period_of_logical_date(logical_date)]
