"""File-level rules on the row reason codes (CONTRACTS.md "Failing files")."""

from __future__ import annotations

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
