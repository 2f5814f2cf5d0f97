"""The batches GX validates a suite on: one narrow frame per set of columns its expectations read.

GX's pandas engine takes the rows of an expectation's domain (its row_condition, the non-null
values a map rule judges, the unexpected rows) from the whole batch frame, once per metric: every
column of the frame is copied each time. So the suite is validated in parts (`plan`): the
expectations reading the same columns (their row_condition's included) on a frame of just those
columns. The columns are held in compact dtypes that give the same values: text a regex reads as
pandas `str` (which GX casts it to before matching), text an in-set rule reads as `category`.
The values, the nulls and the rules are unchanged; the results of
the parts are put back together as one suite result, in suite order, for Data Docs.

Measured on a million P3KE rows (benchmarks/anchors.py): a batch per set of columns beats one
batch for the whole suite by about 3x, and beats putting all compactly typed columns in one batch.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import pandas as pd

_SET_RULES = ("expect_column_values_to_be_in_set", "expect_column_values_to_not_be_in_set")
_REGEX_RULES = ("expect_column_values_to_match_regex", "expect_column_values_to_not_match_regex")


def _condition_columns(condition: Any) -> list[str]:
    if not condition:
        return []
    if isinstance(condition, dict) and condition.get("type") == "comparison":
        return [condition["column"]["name"]]
    if isinstance(condition, dict) and condition.get("type") in ("and", "or"):
        return [c for part in condition["conditions"] for c in _condition_columns(part)]
    raise ValueError(f"row_condition {condition!r}: only comparisons and their and/or are grouped")


def expectation_columns(expectation: dict) -> tuple[str, ...]:
    """The columns one expectation (suite JSON) reads, its row_condition's included."""
    kwargs = expectation["kwargs"]
    names = [kwargs.get(k) for k in ("column", "column_A", "column_B")] + list(kwargs.get("column_list") or [])
    names += _condition_columns(kwargs.get("row_condition"))
    return tuple(dict.fromkeys(n for n in names if n))


def plan(expectations: list[dict]) -> list[tuple[tuple[str, ...], tuple[int, ...]]]:
    """(columns, positions in the suite) of each batch: the expectations reading the same columns, in order of first use."""
    found: dict[tuple[str, ...], list[int]] = {}
    for position, expectation in enumerate(expectations):
        found.setdefault(expectation_columns(expectation), []).append(position)
    return [(columns, tuple(positions)) for columns, positions in found.items()]


def compact_column(column: pd.Series, rules: Iterable[str]) -> pd.Series:
    """The column in a dtype GX reads faster, with the same values and nulls.

    Object columns only: a regex column becomes `str` (GX's own cast before matching, done once), an
    in-set column of text alone becomes `category` (a set test on its few distinct values).
    """
    rules = set(rules)
    if column.dtype != object:
        return column
    if rules & set(_REGEX_RULES):
        return column.astype("str")
    if rules & set(_SET_RULES) and pd.api.types.infer_dtype(column, skipna=True) == "string":
        return column.astype("category")
    return column


def compact_frame(checks: pd.DataFrame, expectations: list[dict]) -> pd.DataFrame:
    """The columns the suite reads, each in its compact dtype, on the positional index of `checks`."""
    rules: dict[str, set[str]] = {}
    for expectation in expectations:
        for name in expectation_columns(expectation):
            rules.setdefault(name, set()).add(expectation["type"])
    return pd.DataFrame({name: compact_column(checks[name], used) for name, used in rules.items()}, index=checks.index)
