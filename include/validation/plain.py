"""The suites in expectations/ evaluated with plain pandas: the yardstick and cross-check of the GX run.

Not used by the pipeline (Great Expectations decides there, see runner.py). It reads the same suite
JSON and applies each expectation as the one vectorised pandas operation GX's pandas engine applies
(`isin`, `isnull`, `astype(str).str.contains(regex)`, comparisons), with GX's rules for nulls (a map
expectation skips null values, except the null expectations themselves) and for `row_condition`
(rows outside the condition are not judged). benchmarks/anchors.py times it against validate_rows on
the same frame; tests check that both give every row the same codes.

    masks = plain_failures("p3ke", checks)   # checks = check_frame(...); {(severity, code): bool array}
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from include.validation.suites import load_suite_json, suite_parameters

_COMPARE = {"==": "eq", "!=": "ne", "<": "lt", "<=": "le", ">": "gt", ">=": "ge"}


def _value(value: Any, parameters: Mapping[str, Any]) -> Any:
    if isinstance(value, dict) and "$PARAMETER" in value:
        return parameters[value["$PARAMETER"]]
    return value


def _condition(frame: pd.DataFrame, condition: Mapping[str, Any] | None) -> np.ndarray:
    """Rows a GX 1.x row_condition (comparison, and/or of comparisons) keeps."""
    n = len(frame)
    if not condition:
        return np.ones(n, dtype=bool)
    kind = condition.get("type")
    if kind in ("and", "or"):
        parts = [_condition(frame, c) for c in condition["conditions"]]
        return np.logical_and.reduce(parts) if kind == "and" else np.logical_or.reduce(parts)
    if kind != "comparison" or condition.get("operator") not in _COMPARE:
        raise NotImplementedError(f"plain_failures: row_condition {condition!r} is not supported")
    column = frame[condition["column"]["name"]]
    kept = getattr(column, _COMPARE[condition["operator"]])(condition["parameter"])
    return kept.fillna(False).to_numpy(dtype=bool)


def _unexpected(
    frame: pd.DataFrame, kind: str, kwargs: Mapping[str, Any], parameters: Mapping[str, Any], nulls: dict
) -> np.ndarray:
    """Rows one expectation finds unexpected, before its row_condition; `nulls` caches isna per column."""

    def isna(name: str) -> np.ndarray:
        if name not in nulls:
            nulls[name] = frame[name].isna().to_numpy()
        return nulls[name]

    if kind == "expect_column_pair_values_a_to_be_greater_than_b":
        a, b = frame[kwargs["column_A"]], frame[kwargs["column_B"]]
        if kwargs.get("ignore_row_if", "both_values_are_missing") != "either_value_is_missing":
            raise NotImplementedError(f"plain_failures: {kind} with ignore_row_if={kwargs.get('ignore_row_if')}")
        judged = ~isna(kwargs["column_A"]) & ~isna(kwargs["column_B"])
        good = np.zeros(len(frame), dtype=bool)
        good[judged] = ((a[judged] >= b[judged]) if kwargs.get("or_equal") else (a[judged] > b[judged])).to_numpy(dtype=bool)
        return judged & ~good
    column = frame[kwargs["column"]]
    if kind == "expect_column_values_to_not_be_null":
        return isna(kwargs["column"])
    present = ~isna(kwargs["column"])
    values = column[present]
    if kind == "expect_column_values_to_be_in_set":
        good = values.isin(_value(kwargs["value_set"], parameters))
    elif kind == "expect_column_values_to_not_be_in_set":
        good = ~values.isin(_value(kwargs["value_set"], parameters))
    elif kind == "expect_column_values_to_match_regex":
        good = values.astype(str).str.contains(_value(kwargs["regex"], parameters))
    elif kind == "expect_column_values_to_be_between":
        if kwargs.get("strict_min") or kwargs.get("strict_max"):
            raise NotImplementedError(f"plain_failures: {kind} with strict bounds")
        good = pd.Series(True, index=values.index)
        low, high = _value(kwargs.get("min_value"), parameters), _value(kwargs.get("max_value"), parameters)
        if low is not None:
            good &= values >= low
        if high is not None:
            good &= values <= high
    else:
        raise NotImplementedError(f"plain_failures: expectation {kind} is not supported; add it here")
    out = np.zeros(len(frame), dtype=bool)
    out[present] = ~good.to_numpy(dtype=bool)
    return out


def plain_failures(
    source: str, checks: pd.DataFrame, parameters: Mapping[str, Any] | None = None
) -> dict[tuple[str, str], np.ndarray]:
    """(severity, reason code) -> rows of `checks` failing any expectation with that code."""
    parameters = suite_parameters() if parameters is None else parameters
    masks: dict[tuple[str, str], np.ndarray] = {}
    nulls: dict[str, np.ndarray] = {}
    for expectation in load_suite_json(source)["expectations"]:
        kwargs = expectation["kwargs"]
        failed = _unexpected(checks, expectation["type"], kwargs, parameters, nulls)
        failed = failed & _condition(checks, kwargs.get("row_condition"))
        key = (expectation.get("severity", "critical"), expectation["meta"]["alasan"])
        if failed.any():
            masks[key] = masks[key] | failed if key in masks else failed
    return masks
