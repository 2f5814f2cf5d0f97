"""Derived check columns: the rules GX cannot state directly on the normalised columns.

Each function is pure and vectorised over a Series; the suites in expectations/
then check the derived column with an ordinary column map expectation:
`nik_tanggal_valid` (NIK_TANGGAL), `wilayah_status` (WILAYAH_TIDAK_VALID,
WILAYAH_DI_LUAR), `kpj_ke` (KPJ_GANDA), `kpj_dikenal` (KLAIM_KPJ_TIDAK_DIKENAL).
`check_frame` assembles the frame a suite runs on.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from functools import lru_cache

import numpy as np
import pandas as pd

from include.wilayah import Wilayah, in_region, load_wilayah, normalise_kode

DI_REGION = "DI_REGION"
DI_LUAR = "DI_LUAR"
TIDAK_DIKENAL = "TIDAK_DIKENAL"
USIA_MAKS = 120

# Columns each suite reads from the normalised frame; optional ones are added empty when absent.
REQUIRED = {
    "p3ke": ("id_individu", "nama", "nik", "jenis_kelamin", "tanggal_lahir", "kode_kemdagri", "desil_kesejahteraan"),
    "peserta": (
        "kpj",
        "nik",
        "kode_kemdagri",
        "tanggal_kepesertaan",
        "status_kepesertaan",
        "sumber_dana",
        "upah_dilaporkan",
    ),
    "klaim": ("kpj", "jenis_klaim", "tanggal_kejadian", "tanggal_bayar", "nilai_manfaat"),
    "tinjauan": ("id_individu", "kandidat_kpj", "keputusan"),
}
OPTIONAL = {"peserta": ("tanggal_nonaktif",)}


@lru_cache(maxsize=4096)
def _ddmmyy_valid(ddmmyy: str) -> bool:
    """A valid date in 19YY or 20YY from DDMMYY, women's day minus 40."""
    day, month, year = int(ddmmyy[:2]), int(ddmmyy[2:4]), int(ddmmyy[4:])
    if 41 <= day <= 71:
        day -= 40
    for century in (1900, 2000):
        try:
            dt.date(century + year, month, day)
            return True
        except ValueError:
            continue
    return False


_DAYS_IN_MONTH = np.array([0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])  # February: 29, leap checked apart


def _ddmmyy_valid_vectorised(ddmmyy: np.ndarray) -> np.ndarray:
    """_ddmmyy_valid over DDMMYY integers: 29 February is valid when 19YY or 20YY is a leap year (YY % 4 == 0)."""
    day, month, year = ddmmyy // 10_000, ddmmyy // 100 % 100, ddmmyy % 100
    day = np.where((day >= 41) & (day <= 71), day - 40, day)
    month_ok = (month >= 1) & (month <= 12)
    last = _DAYS_IN_MONTH[np.where(month_ok, month, 0)]
    last = np.where((month == 2) & (year % 4 != 0), 28, last)
    return month_ok & (day >= 1) & (day <= last)


def nik_tanggal_valid(nik: pd.Series) -> pd.Series:
    """True/False whether a 16-digit NIK carries a valid DDMMYY date; None when not 16 digits.

    Vectorised on the DDMMYY digits as integers; a NIK of 16 digits that are not all ASCII is judged
    by _ddmmyy_valid itself.
    """
    text = nik.astype("string")
    is16 = text.str.fullmatch(r"\d{16}").fillna(False).astype(bool).to_numpy()
    ascii16 = text.str.fullmatch(r"[0-9]{16}").fillna(False).astype(bool).to_numpy()
    out = np.full(len(nik), None, dtype=object)
    if ascii16.any():
        ddmmyy = text[ascii16].str.slice(6, 12).astype("int64[pyarrow]").to_numpy(dtype="int64")
        out[ascii16] = _ddmmyy_valid_vectorised(ddmmyy).astype(object)
    other = is16 & ~ascii16
    if other.any():
        out[other] = [_ddmmyy_valid(v) for v in text[other].str.slice(6, 12)]
    return pd.Series(out, index=nik.index, dtype=object)


def wilayah_status(kode: pd.Series, region: str, wilayah: Wilayah | None = None) -> pd.Series:
    """DI_REGION | DI_LUAR (a known desa code outside the region) | TIDAK_DIKENAL (missing or unknown), as a category."""
    wilayah = wilayah or load_wilayah()

    def status(value: object) -> str:
        code = normalise_kode(value)
        if not wilayah.is_desa(code):
            return TIDAK_DIKENAL
        return DI_REGION if in_region(code, region) else DI_LUAR

    codes, distinct = pd.factorize(kode, use_na_sentinel=True)
    categories = [DI_REGION, DI_LUAR, TIDAK_DIKENAL]
    per_distinct = np.array([categories.index(status(value)) for value in distinct] + [2], dtype="int8")
    statuses = pd.Categorical.from_codes(per_distinct[codes], categories=categories)  # code -1 (missing) takes the last
    return pd.Series(statuses, index=kode.index)


def kpj_ke(kpj: pd.Series, berkas: pd.Series | None = None) -> pd.Series:
    """Occurrence number (1, 2, ...) of each KPJ within its file; NA where the KPJ is empty."""
    keys = pd.DataFrame({"kpj": kpj.astype("string"), "berkas": berkas.astype("string") if berkas is not None else ""})
    count = keys.groupby(["berkas", "kpj"], dropna=True, sort=False).cumcount() + 1
    return count.reindex(kpj.index).astype("Int64")


def kpj_ke_in_file(kpj) -> pd.Series:
    """kpj_ke of one whole file's KPJs given as Arrow text (pa.Array or ChunkedArray), without making
    them Python strings (a national roster holds millions): for validating the file a part at a time,
    each part given its slice (check_frame's kpj_ke), a KPJ seen in an earlier part is seen before."""
    import pyarrow as pa
    import pyarrow.compute as pc

    values = kpj.combine_chunks() if isinstance(kpj, pa.ChunkedArray) else kpj
    codes = pc.dictionary_encode(values).indices.fill_null(-1).to_numpy(zero_copy_only=False)
    del values
    order = np.argsort(codes, kind="stable")  # each value's rows together, in file order
    ranked = codes[order]
    starts = np.flatnonzero(np.r_[True, ranked[1:] != ranked[:-1]])
    del ranked
    number = np.empty(len(codes), dtype="int64")
    number[order] = np.arange(len(codes)) - np.repeat(starts, np.diff(np.r_[starts, len(codes)])) + 1
    return pd.Series(pd.arrays.IntegerArray(number, codes < 0))


def kpj_dikenal(kpj: pd.Series, known_kpj: Iterable[str]) -> pd.Series:
    """True when the claim's KPJ is one of the roster's valid KPJs (an empty KPJ is not known). Looked up
    in an Arrow hash set: a national roster holds millions of KPJs."""
    import pyarrow as pa
    import pyarrow.compute as pc

    pool = known_kpj.to_numpy(dtype=object) if isinstance(known_kpj, pd.Series | pd.Index) else list(known_kpj)
    known = pa.array([str(k) for k in pool], pa.string())
    values = pa.array(kpj.astype("string").to_numpy(dtype=object, na_value=None), pa.string(), from_pandas=True)
    found = pc.is_in(values, value_set=known, skip_nulls=True).fill_null(False)
    return pd.Series(found.to_numpy(zero_copy_only=False), index=kpj.index, dtype=bool)


def _as_date(value: object) -> dt.date | None:
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def birth_date_window_reasons(tanggal_lahir: pd.Series, reference_date: dt.date) -> pd.Series:
    """True where a birth date lies after the reference date or gives an age over 120 on it.

    The month-dependent part of TANGGAL_LAHIR_TIDAK_VALID (missing or unreadable dates are caught
    by the suite). Missing values give False.
    """
    ref = reference_date
    flags = []
    for value in tanggal_lahir.to_numpy(dtype=object):
        born = _as_date(value)
        if born is None:
            flags.append(False)
            continue
        age = ref.year - born.year - ((ref.month, ref.day) < (born.month, born.day))
        flags.append(born > ref or age > USIA_MAKS)
    return pd.Series(np.array(flags, dtype=bool), index=tanggal_lahir.index)


def _missing_columns(source: str, frame: pd.DataFrame) -> list[str]:
    return [c for c in REQUIRED[source] if c not in frame.columns]


def check_frame(
    source: str,
    frame: pd.DataFrame,
    *,
    region: str,
    known_kpj: Iterable[str] | None,
    kpj_ke_file: pd.Series | None = None,
) -> pd.DataFrame:
    """The frame a suite runs on: the columns it reads and the derived check columns, on a positional index.

    kpj_ke_file: when the frame is a part of one roster file, the kpj_ke of its rows counted over the
    whole file (kpj_ke_in_file), positionally aligned; else kpj_ke is counted in the frame."""
    if source not in REQUIRED:
        raise ValueError(f"validate_rows: unknown source {source!r}; use one of {', '.join(REQUIRED)}")
    missing = _missing_columns(source, frame)
    if missing:
        where = ", ".join(sorted({str(b) for b in frame["berkas"].dropna().unique()})) if "berkas" in frame else ""
        raise ValueError(
            f"{where or source}: column {missing[0]!r} missing from the normalised {source} frame; "
            f"normalise the file with include.sources before validating"
        )
    data = frame.reset_index(drop=True)
    out = pd.DataFrame(index=pd.RangeIndex(len(data)))
    for column in REQUIRED[source] + OPTIONAL.get(source, ()):
        out[column] = data[column] if column in data.columns else pd.Series(None, index=data.index, dtype=object)
    if source in ("p3ke", "peserta"):
        rusak = data["nik_rusak_excel"] if "nik_rusak_excel" in data.columns else pd.Series(False, index=data.index)
        out["nik_rusak_excel"] = rusak.fillna(False).astype(bool)
        out["nik"] = data["nik"].astype("str")  # text with NaN for missing: what GX matches a regex on
        out["nik_tanggal_valid"] = nik_tanggal_valid(data["nik"]).astype("boolean")
        out["wilayah_status"] = wilayah_status(data["kode_kemdagri"], region)
    if source == "peserta":
        if kpj_ke_file is not None:
            if len(kpj_ke_file) != len(data):
                raise ValueError(
                    f"validate_rows(peserta): kpj_ke_file has {len(kpj_ke_file)} rows, the frame {len(data)}"
                )
            out["kpj_ke"] = pd.Series(kpj_ke_file.astype("Int64").array, index=out.index)
        else:
            out["kpj_ke"] = kpj_ke(data["kpj"], data["berkas"] if "berkas" in data.columns else None)
    if source == "klaim":
        if known_kpj is None:
            raise ValueError(
                "validate_rows(klaim): known_kpj is required (the valid KPJs of the roster), validate the roster first"
            )
        out["kpj_dikenal"] = kpj_dikenal(data["kpj"], known_kpj)
    return out
