"""File-level rules on the row reason codes (CONTRACTS.md "Failing files")."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

DI_LUAR_CODE = "WILAYAH_DI_LUAR"


def quarantine_share_exceeded(alasan: pd.Series, limit_persen: float) -> tuple[bool, float]:
    """(exceeded, share in percent) of a file's quarantined rows; exceeded when share > limit_persen.

    Rows whose only code is WILAYAH_DI_LUAR (outside the served region, otherwise fine) do not
    count toward the share: they leave both the numerator and the denominator, so a province-wide
    export is judged on the rows of the region alone. A row with WILAYAH_DI_LUAR and another code
    counts. No rows left -> (False, 0.0).
    """
    codes = alasan.fillna("").astype(str)
    di_luar_only = codes == DI_LUAR_CODE
    counted = codes[~di_luar_only]
    if counted.empty:
        return False, 0.0
    share = 100.0 * float((counted != "").sum()) / len(counted)
    return share > float(limit_persen), share


ROWS_NAMED = 5  # the rows the failing message names per reason code
LATE_CODE = "TANGGAL_LAHIR_TIDAK_VALID"


@dataclass
class Failing:
    """A file over the quarantine limit: its share (percent) and, per reason code, the text naming its rows."""

    berkas: str
    share: float
    codes: str


@dataclass
class _Tally:
    counted: np.ndarray  # per variant: rows that count toward the share
    bad: np.ndarray  # per variant: of them, quarantined
    codes: dict[str, list]  # reason code -> [rows carrying it, its first ROWS_NAMED + 1 distinct row numbers]
    late: dict[int, list]  # variant -> [rows it adds LATE_CODE to, their first row numbers]


def _merge(kept: list, count: int, rows: Iterable[int]) -> None:
    kept[0] += count
    kept[1] = sorted(set(kept[1]).union(rows))[: ROWS_NAMED + 1]


def _first_rows(berkas: pd.Series, keys: pd.Series | None, baris: pd.Series) -> dict:
    """(file, key) or file -> (number of rows, their first ROWS_NAMED + 1 distinct row numbers)."""
    frame = pd.DataFrame({"berkas": np.asarray(berkas, dtype=object), "baris": np.asarray(baris, dtype="int64")})
    by = ["berkas"]
    if keys is not None:
        frame["code"], by = np.asarray(keys, dtype=object), ["berkas", "code"]
    counts = frame.groupby(by, sort=False).size()
    first = frame.drop_duplicates().sort_values("baris", kind="stable").groupby(by, sort=False).head(ROWS_NAMED + 1)
    rows = first.groupby(by, sort=False)["baris"].agg(list)
    return {key: (int(counts[key]), rows[key]) for key in counts.index}


class QuarantineShares:
    """The quarantined share of each file's rows, counted over the parts of a file as they are validated one
    after another (a national roster file is validated a part at a time); `failure` judges the files whose
    rows are all in. What the failing message names, per reason code its rows and first row numbers, is
    kept as it goes: the share and the message are those of the whole file.

    `late`: p3ke's rows are judged once more per month of the run, with LATE_CODE added to the rows whose
    birth date lies outside that month's window (a variant of the codes per month, in month order).
    """

    def __init__(self, limit_persen: float) -> None:
        self.limit = float(limit_persen)
        self._files: dict[str, _Tally] = {}

    def add(self, berkas: pd.Series, baris: pd.Series, alasan: pd.Series, late: Sequence[pd.Series] = ()) -> None:
        """The rows of a part: file name, row number, reason codes ('' = fine) and the rows each variant makes late."""
        codes = alasan.fillna("").astype(str).str.strip("|")
        counted = (codes != DI_LUAR_CODE).to_numpy()
        bad = counted & (codes != "").to_numpy()
        columns = {"berkas": berkas.to_numpy()}
        for variant, rows in enumerate([None, *late]):
            extra = np.zeros(len(codes), dtype=bool) if rows is None else rows.to_numpy(dtype=bool)
            columns[f"counted_{variant}"], columns[f"bad_{variant}"] = counted | extra, bad | extra
        per_file = pd.DataFrame(columns).groupby("berkas", sort=False).sum()
        variants = len(late) + 1
        for name, sums in per_file.iterrows():
            tally = self._files.setdefault(
                name, _Tally(np.zeros(variants, "int64"), np.zeros(variants, "int64"), {}, {})
            )
            tally.counted += sums[[f"counted_{v}" for v in range(variants)]].to_numpy(dtype="int64")
            tally.bad += sums[[f"bad_{v}" for v in range(variants)]].to_numpy(dtype="int64")
        quarantined = alasan.fillna("") != ""
        exploded = pd.DataFrame(
            {"berkas": berkas[quarantined], "code": codes[quarantined].str.split("|"), "baris": baris[quarantined]}
        ).explode("code")
        exploded = exploded[exploded["code"] != DI_LUAR_CODE]
        for (name, code), (count, rows) in _first_rows(exploded["berkas"], exploded["code"], exploded["baris"]).items():
            _merge(self._files[name].codes.setdefault(code, [0, []]), count, rows)
        for variant, rows in enumerate(late, start=1):
            hit = rows.to_numpy(dtype=bool)
            if hit.any():
                for name, (count, first) in _first_rows(berkas[hit], None, baris[hit]).items():
                    _merge(self._files[name].late.setdefault(variant, [0, []]), count, first)

    def failure(self, files: Iterable[str]) -> Failing | None:
        """The first of `files` (name order) over the limit, judged on the first variant over it; else None.
        The files are forgotten."""
        failing = None
        for name in sorted(set(files)):
            tally = self._files.pop(name, None)
            if tally is None or failing is not None:
                continue
            for variant in range(len(tally.counted)):
                counted, bad = int(tally.counted[variant]), int(tally.bad[variant])
                if counted > 0 and 100.0 * bad / counted > self.limit:
                    failing = Failing(name, 100.0 * bad / counted, _describe(tally, variant))
                    break
        return failing


def _describe(tally: _Tally, variant: int) -> str:
    """'NIK_FORMAT=3 (rows 4, 9, 12), NAMA_KOSONG=7 (rows 2, 5, 6, 8, 10, ...)' in code order."""
    codes = {code: list(kept) for code, kept in tally.codes.items()}
    if variant in tally.late:
        merged = list(codes.get(LATE_CODE, [0, []]))
        _merge(merged, *tally.late[variant])
        codes[LATE_CODE] = merged
    parts = []
    for code in sorted(codes):
        count, rows = codes[code]
        named = ", ".join(map(str, rows[:ROWS_NAMED])) + (", ..." if len(rows) > ROWS_NAMED else "")
        parts.append(f"{code}={count} (rows {named})")
    return ", ".join(parts)
