"""What a NIK says about its holder: region of first registration, birth date, sex, serial.

NIK = provinsi(2) kabupaten(2) kecamatan(2) DDMMYY serial(4); women have day + 40.
The century is not in the NIK, so a birth date has up to two candidates (19YY, 20YY).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np
import pandas as pd

LAKI_LAKI = "LAKI-LAKI"
PEREMPUAN = "PEREMPUAN"


@dataclass(frozen=True)
class NikParts:
    provinsi: str  # '13'
    kabupaten: str  # '13.03'
    kecamatan: str  # '13.03.04'
    tanggal_lahir: tuple[dt.date, ...]  # valid candidates, 19YY first; empty when DDMMYY is no date
    jenis_kelamin: str  # PEREMPUAN when the day is above 40
    serial: str  # last four digits


def _is_nik(nik: object) -> bool:
    return isinstance(nik, str) and len(nik) == 16 and nik.isascii() and nik.isdigit()


def _date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def parse_nik(nik: object) -> NikParts | None:
    """The parts of a 16-digit NIK; None when it is not 16 digits."""
    if not _is_nik(nik):
        return None
    day, month, year = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    female = day > 40
    day = day - 40 if female else day
    candidates = tuple(d for d in (_date(1900 + year, month, day), _date(2000 + year, month, day)) if d)
    return NikParts(
        provinsi=nik[:2],
        kabupaten=f"{nik[:2]}.{nik[2:4]}",
        kecamatan=f"{nik[:2]}.{nik[2:4]}.{nik[4:6]}",
        tanggal_lahir=candidates,
        jenis_kelamin=PEREMPUAN if female else LAKI_LAKI,
        serial=nik[12:],
    )


def nik_birth_date_valid(nik: object) -> bool:
    """True when the NIK's DDMMYY (women: day - 40) is a real date in the 1900s or the 2000s."""
    parts = parse_nik(nik)
    return parts is not None and bool(parts.tanggal_lahir)


_DAYS_IN_MONTH = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])


def _digits(niks: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(is a 16-digit NIK, the NIK or sixteen zeros) as aligned Series."""
    text = niks.astype(object).where(niks.notna(), None)
    ok = text.str.fullmatch(r"[0-9]{16}").fillna(False).astype(bool)
    return ok, text.where(ok, "0" * 16).astype(str)


def digit_matrix(niks: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(is a 16-digit NIK, an n x 16 array of its digit values 0-9, zeros where it is not) for a column.
    In Arrow: the 16-digit texts, the others replaced by sixteen zeros, lie back to back in one buffer,
    which is the matrix (no Python string is touched)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    values = niks.to_numpy(dtype=object)
    try:
        text = pa.array(values, pa.string(), from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):  # values that are not all text are never a NIK
        text = pa.array([v if isinstance(v, str) else None for v in values], pa.string())
    ok = pc.fill_null(pc.match_substring_regex(text, "^[0-9]{16}$"), False)
    filled = pc.if_else(ok, text, pa.scalar("0" * 16, pa.string()))
    start = int(np.frombuffer(filled.buffers()[1], dtype=np.int32, count=1, offset=4 * filled.offset)[0])
    data = np.frombuffer(filled.buffers()[2], dtype=np.uint8, count=16 * len(filled), offset=start)
    return ok.to_numpy(zero_copy_only=False), data.reshape(-1, 16) - ord("0")


def nik_facts(niks: pd.Series, born: np.ndarray, jenis_kelamin: pd.Series) -> dict[str, np.ndarray]:
    """Per row, in numpy (what a national month counts): `nik` a 16-digit NIK; `tanggal_beda` its DDMMYY
    (women: day + 40) names neither century of the birth date `born` (datetime64[D], NaT when missing);
    `jenis_kelamin_beda` its sex marker differs from the column (a missing sex differs); `kabupaten` the
    'PP.KK' prefix ('' without a NIK). The same facts as parse_nik row by row."""
    ok, d = digit_matrix(niks)
    d = d.astype(np.int64)
    day = d[:, 6] * 10 + d[:, 7]
    female = day > 40
    day = np.where(female, day - 40, day)
    month, yy = d[:, 8] * 10 + d[:, 9], d[:, 10] * 10 + d[:, 11]
    known = ~np.isnat(born)
    years = born.astype("datetime64[Y]").astype("int64") + 1970
    months = born.astype("datetime64[M]").astype("int64") % 12 + 1
    days = (born - born.astype("datetime64[M]")).astype("int64") + 1
    same = known & (days == day) & (months == month) & (years % 100 == yy) & (years >= 1900) & (years <= 2099)
    sex = np.where(female, PEREMPUAN, LAKI_LAKI).astype(object)
    codes = (d[:, 0] * 10 + d[:, 1]) * 100 + d[:, 2] * 10 + d[:, 3]
    uniques, at = np.unique(codes, return_inverse=True)
    names = np.array([f"{code // 100:02d}.{code % 100:02d}" for code in uniques], dtype=object)
    return {"nik": ok, "tanggal_beda": ok & known & ~same,
            "jenis_kelamin_beda": ok & (sex != jenis_kelamin.to_numpy(dtype=object)),
            "kabupaten": np.where(ok, names[at], "")}


def _date_parts(digits: pd.Series) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    day = digits.str[6:8].astype(int).to_numpy()
    female = day > 40
    day = np.where(female, day - 40, day)
    return day, digits.str[8:10].astype(int).to_numpy(), digits.str[10:12].astype(int).to_numpy(), female


def _valid_dates(day: np.ndarray, month: np.ndarray, year: np.ndarray) -> np.ndarray:
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    month_ok = (month >= 1) & (month <= 12)
    days = _DAYS_IN_MONTH[np.clip(month, 0, 12)] + ((month == 2) & leap)
    return month_ok & (day >= 1) & (day <= days)


def _as_dates(day: np.ndarray, month: np.ndarray, year: np.ndarray, valid: np.ndarray, index) -> pd.Series:
    stamps = pd.to_datetime(
        pd.DataFrame(
            {"year": np.where(valid, year, 2000), "month": np.where(valid, month, 1), "day": np.where(valid, day, 1)}
        )
    )
    return pd.Series(stamps.dt.date.to_numpy(), index=index, dtype=object).where(valid, None)


def parse_nik_series(niks: pd.Series) -> pd.DataFrame:
    """Vectorised parse_nik, aligned with `niks`; object columns, None where not a NIK or not a date.

    Columns: nik_provinsi ('13'), nik_kabupaten ('13.03'), nik_kecamatan ('13.03.04'),
    nik_jenis_kelamin, nik_serial, nik_tanggal_lahir_1900, nik_tanggal_lahir_2000 (datetime.date).
    """
    ok, digits = _digits(niks)
    day, month, year, female = _date_parts(digits)
    valid_ok = ok.to_numpy()

    def part(values: pd.Series) -> pd.Series:
        return values.astype(object).where(ok, None)

    dates = {
        f"nik_tanggal_lahir_{century}": _as_dates(
            day, month, year + century, valid_ok & _valid_dates(day, month, year + century), niks.index
        )
        for century in (1900, 2000)
    }
    sex = pd.Series(np.where(female, PEREMPUAN, LAKI_LAKI), index=niks.index)
    return pd.DataFrame(
        {
            "nik_provinsi": part(digits.str[:2]),
            "nik_kabupaten": part(digits.str[:2] + "." + digits.str[2:4]),
            "nik_kecamatan": part(digits.str[:2] + "." + digits.str[2:4] + "." + digits.str[4:6]),
            "nik_jenis_kelamin": part(sex),
            "nik_serial": part(digits.str[12:]),
            **dates,
        },
        index=niks.index,
    )


def nik_birth_date_valid_series(niks: pd.Series) -> pd.Series:
    """Vectorised nik_birth_date_valid: bool Series aligned with `niks`."""
    ok, digits = _digits(niks)
    day, month, year, _ = _date_parts(digits)
    valid = _valid_dates(day, month, year + 1900) | _valid_dates(day, month, year + 2000)
    return pd.Series(ok.to_numpy() & valid, index=niks.index, dtype=bool)


def nik_near(left: pd.Series, right: pd.Series) -> np.ndarray:
    """Whether two aligned NIK columns could be one person's NIK typed twice: 16 digits each and equal,
    one digit apart, two adjacent digits swapped, or differing only in the serial (last four digits).
    Missing or malformed NIKs are never near."""
    return near_digits(*digit_matrix(left), *digit_matrix(right))


def number_digits(niks: np.ndarray, present: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """digit_matrix of NIKs held as numbers (int64; `present` False where there is none)."""
    values = np.where(present, niks, 0).astype(np.int64)
    digits = np.empty((len(values), 16), dtype=np.uint8)
    for column in range(15, -1, -1):
        values, digits[:, column] = np.divmod(values, 10)
    return present.astype(bool), digits


def near_digits(ok_l: np.ndarray, a: np.ndarray, ok_r: np.ndarray, b: np.ndarray) -> np.ndarray:
    """nik_near over two aligned digit matrices (digit_matrix) and their 16-digit flags."""
    differ = a != b
    count = differ.sum(axis=1)
    first = differ.argmax(axis=1)
    second = np.minimum(first + 1, 15)
    rows = np.arange(len(a))
    swapped = ((count == 2) & differ[rows, second] & (a[rows, first] == b[rows, second])
               & (a[rows, second] == b[rows, first]))
    serial_only = ~differ[:, :12].any(axis=1)
    return ok_l & ok_r & ((count <= 1) | swapped | serial_only)
