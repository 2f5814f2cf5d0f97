"""Pure parsers from raw cells (CSV text or XLSX Python values) to normalised values.

Every function takes a Series of raw cells and returns Series aligned with it.
Text conventions: trimmed str, None when empty (object dtype). Parsing is done
once per distinct value, so million-row files with repeating values stay fast.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from include.wilayah import normalise_kode

_EXCEL_EPOCH = dt.date(1899, 12, 30)  # serial 1 = 1900-01-01 (with Excel's 1900 leap-year bug from 61 on)
_MAX_SERIAL = 2958465  # 9999-12-31
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_DMY = re.compile(r"^(\d{1,2})([-/])(\d{1,2})\2(\d{4})$")
_SCIENTIFIC = r"\d+(?:[.,]\d+)?[eE][+-]?\d+"
_DOT_ZERO = r"\d+\.0"
_DESIL = re.compile(r"^(?:desil\s*)?([1-4])$", re.IGNORECASE)
_RUPIAH = re.compile(r"^(?:rp\.?)?(\d{1,3}(?:\.\d{3})+|\d+)$", re.IGNORECASE)
_WHITESPACE = r"\s+"
JENIS_KELAMIN = {"L": "LAKI-LAKI", "LAKI-LAKI": "LAKI-LAKI", "P": "PEREMPUAN", "PEREMPUAN": "PEREMPUAN"}
INT64_MAX = 2**63 - 1


def is_number_cell(value: object) -> bool:
    """True for an XLSX number cell (int or float, not bool)."""
    return isinstance(value, int | float) and not isinstance(value, bool)


def cell_text(value: object) -> str | None:
    """A raw cell as trimmed text, None when empty; numbers without float noise, dates as ISO."""
    if value is None:
        return None
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if math.isnan(value):
            return None
        if value.is_integer():
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time(0) else value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if value is pd.NA or value is pd.NaT:
        return None
    return str(value).strip() or None


def _all_text(raw: pd.Series) -> bool:
    if isinstance(raw.dtype, pd.StringDtype):
        return True
    return pd.api.types.infer_dtype(raw, skipna=True) in ("string", "empty")


def _arrow_text(raw: pd.Series) -> pd.Series:
    """An all-text column as pandas' Arrow-backed str dtype, where string functions run in C."""
    return raw if isinstance(raw.dtype, pd.StringDtype) else raw.astype("str")


def _none_for_na(raw: pd.Series) -> pd.Series:
    return pd.Series(raw.to_numpy(dtype=object, na_value=None), index=raw.index, dtype=object)


def _text_result(text: pd.Series) -> pd.Series:
    """Empty text -> None, as an object column (one pass in C: national files have millions of cells)."""
    values = text.to_numpy(dtype=object, na_value=None)
    values[values == ""] = None
    return pd.Series(values, index=text.index, dtype=object)


def map_distinct(raw: pd.Series, func: Callable[[Any], Any]) -> pd.Series:
    """`func` applied once per distinct raw value (a missing cell is passed as None); an object column."""
    if _all_text(raw):
        codes, uniques = pd.factorize(_arrow_text(raw))
    else:  # keep 1, 1.0 and True apart: in a cell they mean different things
        keys = _none_for_na(raw).map(lambda v: (type(v).__name__, v))
        codes, uniques = pd.factorize(keys)
        uniques = [None if key[0] == "NoneType" else key[1] for key in uniques]
    results = np.empty(len(uniques) + 1, dtype=object)
    results[:-1] = [func(value) for value in uniques]
    results[-1] = func(None)  # code -1 = missing
    return pd.Series(results[codes], index=raw.index, dtype=object)


def clean_text(raw: pd.Series) -> pd.Series:
    """Trimmed text, None when empty; XLSX numbers and dates become text (see cell_text)."""
    if _all_text(raw):
        return _text_result(_arrow_text(raw).str.strip())
    return map_distinct(raw, cell_text)


def upper_text(raw: pd.Series) -> pd.Series:
    """Trimmed, upper-cased text, None when empty (status, sumber_dana, jenis_klaim, keputusan)."""
    if _all_text(raw):
        return _text_result(_arrow_text(raw).str.strip().str.upper())
    return map_distinct(raw, lambda v: None if (text := cell_text(v)) is None else text.upper())


def _id_cell(value: object) -> str | None:
    if is_number_cell(value):
        return cell_text(value)
    text = cell_text(value)
    if text is None:
        return None
    text = re.sub(_WHITESPACE, "", text).removeprefix("'")
    return text or None


def id_text(raw: pd.Series) -> pd.Series:
    """NIK/KPJ text: spaces and a leading apostrophe stripped, number cells as digits; None when empty."""
    if _all_text(raw):
        return _text_result(_arrow_text(raw).str.replace(_WHITESPACE, "", regex=True).str.removeprefix("'"))
    return map_distinct(raw, _id_cell)


def nik_damaged(raw: pd.Series) -> pd.Series:
    """True where Excel damaged the NIK: a number cell, scientific-notation text or digits ending in '.0'."""
    if _all_text(raw):
        number = pd.Series(False, index=raw.index)
        text = _arrow_text(raw)
    else:
        number = raw.map(is_number_cell).astype(bool)
        text = _arrow_text(raw.where(~number & raw.map(lambda v: isinstance(v, str)), None))
    text = text.str.replace(_WHITESPACE, "", regex=True).str.removeprefix("'")
    damaged_text = text.str.fullmatch(f"(?:{_SCIENTIFIC})|(?:{_DOT_ZERO})").fillna(False).astype(bool)
    return (number | damaged_text).astype(bool)


def _parse_date_text(text: str, allow_serial: bool) -> dt.date | None:
    match = _ISO.match(text)
    if match:
        year, month, day = (int(g) for g in match.groups())
    else:
        match = _DMY.match(text)
        if match:
            day, month, year = int(match.group(1)), int(match.group(3)), int(match.group(4))
        elif allow_serial and text.isdigit():
            return _serial_date(int(text))
        else:
            return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _serial_date(serial: float) -> dt.date | None:
    """Excel 1900-system serial -> date; the fraction (time of day) is dropped."""
    if math.isnan(serial) or serial < 1 or serial > _MAX_SERIAL:
        return None
    days = int(serial)
    if days == 60:  # Excel's 29 February 1900, a day that never was
        return None
    if days < 60:
        days += 1
    return _EXCEL_EPOCH + dt.timedelta(days=days)


def date_cell(value: object, allow_serial: bool) -> tuple[dt.date | None, bool]:
    """(date, unreadable) of one raw cell. allow_serial: XLSX, where numbers and digit text are serials."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None, False
    if isinstance(value, dt.datetime):
        return value.date(), False
    if isinstance(value, dt.date):
        return value, False
    if is_number_cell(value):
        parsed = _serial_date(float(value)) if allow_serial else None
        return parsed, parsed is None
    parsed = _parse_date_text(str(value).strip(), allow_serial)
    return parsed, parsed is None


def parse_dates(raw: pd.Series, allow_serial: bool) -> tuple[pd.Series, pd.Series]:
    """(dates as datetime.date or None, unreadable bool) for a column of raw date cells."""
    pairs = map_distinct(raw, lambda v: date_cell(v, allow_serial))
    dates = pd.Series([p[0] for p in pairs], index=raw.index, dtype=object)
    unreadable = pd.Series([p[1] for p in pairs], index=raw.index, dtype=bool)
    return dates, unreadable


def jenis_kelamin(raw: pd.Series) -> pd.Series:
    """'LAKI-LAKI' | 'PEREMPUAN' for LAKI-LAKI/PEREMPUAN/L/P in any case; else the upper-cased text."""
    text = upper_text(raw)
    return map_distinct(text, lambda v: JENIS_KELAMIN.get(v, v) if v is not None else None)


def kode_kemdagri(raw: pd.Series) -> pd.Series:
    """Dotted Kemendagri code when it parses, else the trimmed source text; None when empty."""
    return map_distinct(clean_text(raw), lambda v: None if v is None else (normalise_kode(v) or v))


def _desil(text: str | None) -> int | None:
    match = _DESIL.match(text) if text is not None else None
    return int(match.group(1)) if match else None


def desil(raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(desil Int64 1..4 or NA, source text) from '3' or 'Desil 3'."""
    text = clean_text(raw)
    values = map_distinct(text, _desil)
    return pd.Series(pd.array(values.tolist(), dtype="Int64"), index=raw.index), text


def rupiah_cell(value: object) -> int | None:
    """A whole, non-negative Rupiah amount from '1000000', 'Rp 1.000.000', or a number cell; else None."""
    if is_number_cell(value):
        if isinstance(value, float) and (math.isnan(value) or not value.is_integer()):
            return None
        amount = int(value)
    else:
        text = cell_text(value)
        if text is None:
            return None
        match = _RUPIAH.match(re.sub(_WHITESPACE, "", text))
        if not match:
            return None
        amount = int(match.group(1).replace(".", ""))
    return amount if 0 <= amount <= INT64_MAX else None


def rupiah(raw: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(amount Int64 or NA, source text) for a column of Rupiah cells."""
    amounts = map_distinct(raw, rupiah_cell)
    return pd.Series(pd.array(amounts.tolist(), dtype="Int64"), index=raw.index), clean_text(raw)
