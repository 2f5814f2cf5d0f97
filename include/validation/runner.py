"""Row-level validation: run a source's GX suite on a normalised frame, turn failures into reason codes.

    result = validate_rows("p3ke", frame, region="13.03", run_name=run_id, docs_dir=settings.data_docs)
    result.alasan        # '' or 'NAMA_KOSONG|NIK_FORMAT' per row, aligned to frame.index

GX validates the suite on the check frame (include.validation.checks), group by
group on narrow, compactly typed batches (include.validation.batches), and its
results decide: each failed expectation's unexpected rows (result_format
COMPLETE, `unexpected_index_list` of the positional index, values excluded) get
its `meta.alasan`: `critical` rules go to `alasan` (quarantine), `warning` rules
to `peringatan`. Great Expectations is imported on first use only; its ephemeral
context and the suites are cached per process. GX's batch fingerprint (a hash of
every cell, which Data Docs drop anyway) is switched off.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from include.validation.batches import compact_frame, plan
from include.validation.checks import check_frame
from include.validation.suites import SOURCES, load_suite_json, reason_codes, suite_parameters

log = logging.getLogger(__name__)
_CACHE: dict[str, Any] = {}
RESULT_FORMAT = {
    "result_format": "COMPLETE",
    "partial_unexpected_count": 0,
    "exclude_unexpected_values": True,
    "return_unexpected_index_query": False,
}


@dataclass
class RowValidation:
    """Outcome of validate_rows; Series are aligned to the input frame's index.

    alasan: hard-rule reason codes per row, sorted and joined by '|', '' when fine (row is quarantined
      when not '').  peringatan: warning codes the same way (roster NIK and region problems).
    rule_counts: reason code -> rows carrying it, for every code of the suite (0 included).
    docs_index: path of the run's Data Docs index.html, None when no docs_dir was given.
    """

    alasan: pd.Series
    peringatan: pd.Series
    rule_counts: dict[str, int]
    docs_index: str | None

    @property
    def karantina(self) -> pd.Series:
        """True for rows that fail a hard rule."""
        return self.alasan != ""


def _gx() -> dict[str, Any]:
    """The process-wide ephemeral GX context, pandas datasource and parsed suites."""
    if not _CACHE:
        import great_expectations as gx
        from great_expectations.data_context.types.base import (
            DataContextConfig,
            InMemoryStoreBackendDefaults,
            ProgressBarsConfig,
        )
        from great_expectations.execution_engine import pandas_execution_engine

        # GX hashes every cell of a batch under 1 GB into batch_markers.pandas_data_fingerprint (5 s per
        # million P3KE rows, twice per validation); docs.strip_result removes it, so it is not computed.
        pandas_execution_engine.HASH_THRESHOLD = 0
        config = DataContextConfig(
            store_backend_defaults=InMemoryStoreBackendDefaults(),
            analytics_enabled=False,
            progress_bars=ProgressBarsConfig(globally=False),
        )
        context = gx.get_context(mode="ephemeral", project_config=config)
        _CACHE.update(
            gx=gx, context=context, datasource=context.data_sources.add_pandas("rentan"), batches={}, suites={}
        )
    return _CACHE


def _batch_and_suite(source: str) -> tuple[Any, list[dict]]:
    """The source's batch definition and the expectations (JSON) of its suite."""
    cache = _gx()
    if source not in cache["batches"]:
        asset = cache["datasource"].add_dataframe_asset(source)
        cache["batches"][source] = asset.add_batch_definition_whole_dataframe("seluruh_baris")
        cache["suites"][source] = load_suite_json(source)["expectations"]
    return cache["batches"][source], cache["suites"][source]


def _part_suite(source: str, expectations: list[dict], positions: tuple[int, ...]) -> Any:
    """The suite's expectations at `positions` as a GX ExpectationSuite of the same name (cached)."""
    cache = _gx()
    key = (source, positions)
    if key not in cache["suites"]:
        cache["suites"][key] = cache["gx"].ExpectationSuite(name=source, expectations=[expectations[i] for i in positions])
    return cache["suites"][key]


def _run_suite(source: str, checks: pd.DataFrame) -> Any:
    """GX validates the suite batch by batch (include.validation.batches); one suite result, in suite order."""
    from great_expectations.core.expectation_validation_result import ExpectationSuiteValidationResult
    from great_expectations.validator.validation_statistics import calc_validation_statistics

    batch_definition, expectations = _batch_and_suite(source)
    frame = compact_frame(checks, expectations)
    results: list[Any] = [None] * len(expectations)
    meta: dict = {}
    for columns, positions in plan(expectations):
        batch = batch_definition.get_batch(batch_parameters={"dataframe": frame[list(columns)]})
        part = batch.validate(
            _part_suite(source, expectations, positions),
            result_format=RESULT_FORMAT,
            expectation_parameters=suite_parameters(),
        )
        for position, item in zip(positions, part.results, strict=True):
            results[position] = item
        meta = meta or dict(part.meta)
    statistics = calc_validation_statistics(results)
    return ExpectationSuiteValidationResult(
        success=statistics.success,
        results=results,
        suite_name=source,
        statistics={
            "evaluated_expectations": statistics.evaluated_expectations,
            "successful_expectations": statistics.successful_expectations,
            "unsuccessful_expectations": statistics.unsuccessful_expectations,
            "success_percent": statistics.success_percent,
        },
        meta=meta,
    )


def _rule_column(config: Any) -> str:
    kwargs = config.kwargs
    return kwargs.get("column") or f"{kwargs.get('column_A')}, {kwargs.get('column_B')}"


def _failed_rows(source: str, result: Any, n: int) -> dict[tuple[str, str], np.ndarray]:
    """(severity, reason code) -> boolean row mask of the rows failing any rule with that code."""
    masks: dict[tuple[str, str], np.ndarray] = {}
    for item in result.results:
        config = item.expectation_config
        if (item.exception_info or {}).get("raised_exception"):
            # The exception text may quote data values: name the rule only.
            raise RuntimeError(
                f"validate_rows({source}): rule {config.type} on column {_rule_column(config)} "
                f"could not run; check the column's type in the normalised frame"
            )
        if item.success:
            continue
        unexpected = item.result.get("unexpected_index_list")
        if unexpected is None or len(unexpected) != item.result.get("unexpected_count"):
            raise RuntimeError(f"validate_rows({source}): rule {config.type} returned no row ids")
        key = (str(getattr(config.severity, "value", config.severity)), config.meta["alasan"])
        mask = masks.setdefault(key, np.zeros(n, dtype=bool))
        mask[np.asarray(unexpected, dtype="int64")] = True
    return masks


def _join_codes(masks: dict[str, np.ndarray], n: int) -> np.ndarray:
    out = np.full(n, "", dtype=object)
    for code in sorted(masks):
        hit = masks[code]
        out[hit] = np.where(out[hit] == "", code, out[hit] + "|" + code)
    return out


def _batch_name(frame: pd.DataFrame, source: str) -> str:
    files = sorted({str(b) for b in frame["berkas"].dropna().unique()}) if "berkas" in frame.columns else []
    if len(files) == 1:
        return files[0]
    return f"{source}_{len(files)}_berkas" if files else source


def build_docs(*, docs_dir: str, run_name: str) -> str:
    """Build the run's Data Docs site from the results saved so far; the path of its index.html."""
    from include.validation.docs import build_site

    return build_site(docs_dir=docs_dir, run_name=run_name, suites={s: load_suite_json(s) for s in SOURCES})


def validate_rows(
    source: str,
    frame: pd.DataFrame,
    *,
    region: str,
    known_kpj: Iterable[str] | None = None,
    run_name: str,
    docs_dir: str | None,
    batch: str | None = None,
    kpj_ke_file: pd.Series | None = None,
    site: bool = True,
) -> RowValidation:
    """Run the suite of `source` (p3ke|peserta|klaim|tinjauan) on a normalised frame.

    region: Kemendagri prefix served ('' = all Indonesia), for WILAYAH_DI_LUAR.
    known_kpj: the roster's valid KPJs, required for klaim (KLAIM_KPJ_TIDAK_DIKENAL).
    run_name / docs_dir: when docs_dir is given, the stripped results join the run's Data Docs site
      at <docs_dir>/<run_name>/. batch: the data asset named on the page (default: the file, or
      '<source>_<n>_berkas'); one per call of a run, or a later result replaces an earlier one.
      site False: the result is saved, the site is not rebuilt (docs_index None): a caller validating a
      dataset in many batches builds it once, after the last (build_docs), not once per batch.
    kpj_ke_file: for a frame that is a part of one roster file, its rows' KPJ occurrence numbers counted
      over the whole file (checks.kpj_ke_in_file): KPJ_GANDA for a KPJ seen in an earlier part.
    """
    if source not in SOURCES:
        raise ValueError(f"validate_rows: unknown source {source!r}; use one of {', '.join(SOURCES)}")
    checks = check_frame(source, frame, region=region, known_kpj=known_kpj, kpj_ke_file=kpj_ke_file)
    result = _run_suite(source, checks)
    n = len(checks)
    masks = _failed_rows(source, result, n)
    by_severity: dict[str, dict[str, np.ndarray]] = {"critical": {}, "warning": {}}
    for (severity, code), mask in masks.items():
        by_severity.setdefault(severity, {})[code] = mask
    alasan = pd.Series(_join_codes(by_severity["critical"], n), index=frame.index, dtype=object)
    peringatan = pd.Series(_join_codes(by_severity["warning"], n), index=frame.index, dtype=object)
    rule_counts = {code: 0 for code in reason_codes(source)}
    for (_, code), mask in masks.items():
        rule_counts[code] = int(mask.sum())

    docs_index = None
    if docs_dir:
        from include.validation.docs import save_result, strip_result

        batch = batch or _batch_name(frame, source)
        stripped = strip_result(result, run_name=run_name, run_time=dt.datetime.now(dt.UTC), batch=batch)
        save_result(stripped, docs_dir=docs_dir, run_name=run_name, batch=batch)
        docs_index = build_docs(docs_dir=docs_dir, run_name=run_name) if site else None
    log.info(
        "validate_rows %s: %d rows, %d quarantined, %d with warnings",
        source,
        n,
        int((alasan != "").sum()),
        int((peringatan != "").sum()),
    )
    return RowValidation(alasan=alasan, peringatan=peringatan, rule_counts=rule_counts, docs_index=docs_index)
