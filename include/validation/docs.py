"""GX Data Docs for a run, without personal data.

Validation results are stripped to counts and percentages before anything is
written: `result` keeps only the COUNT_KEYS, every value list (unexpected_list,
partial_unexpected_*, unexpected_index_*, unexpected_rows, observed_value,
details, ...) is removed, exception texts are dropped and the data fingerprint is
removed from the batch markers. The stripped results of a run are kept as JSON
under <docs_dir>/<run>/hasil/ (one file per suite and batch), and every build
renders the whole run from them with GX's own SiteBuilder into <docs_dir>/<run>/,
so sources validated in separate task processes end up on one index page.
"""

from __future__ import annotations

import datetime as dt
import json
import numbers
import re
from pathlib import Path
from typing import Any

COUNT_KEYS = frozenset(
    {
        "element_count",
        "unexpected_count",
        "unexpected_percent",
        "unexpected_percent_total",
        "unexpected_percent_nonmissing",
        "missing_count",
        "missing_percent",
    }
)
VALUE_KEYS = frozenset(
    {
        "unexpected_list",
        "partial_unexpected_list",
        "partial_unexpected_counts",
        "partial_unexpected_index_list",
        "unexpected_index_list",
        "unexpected_index_query",
        "unexpected_index_column_names",
        "unexpected_rows",
        "partial_unexpected_rows",
        "unexpected_values",
        "observed_value",
        "details",
        "pandas_data_fingerprint",
    }
)
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def safe_name(text: str) -> str:
    """A file-system-safe name: every run of other characters becomes '_'."""
    return _UNSAFE.sub("_", str(text)).strip("_") or "_"


def _drop_value_keys(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _drop_value_keys(v) for k, v in value.items() if k not in VALUE_KEYS}
    if isinstance(value, list):
        return [_drop_value_keys(v) for v in value]
    return value


def _number(value: Any) -> int | float | None:
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        return float(value)
    return None


def strip_result(result: Any, *, run_name: str, run_time: dt.datetime, batch: str = "") -> dict:
    """An ExpectationSuiteValidationResult as a JSON dict with counts and percentages only.

    `batch` (the file name) is shown as the page's data asset.
    """
    rows = []
    for item in result.results:
        counts = item.result or {}
        rows.append(
            {
                "success": bool(item.success),
                "expectation_config": item.expectation_config.to_json_dict(),
                "result": {k: n for k, v in counts.items() if k in COUNT_KEYS and (n := _number(v)) is not None},
                "meta": {},
                "exception_info": {
                    "raised_exception": bool((item.exception_info or {}).get("raised_exception")),
                    "exception_message": None,
                    "exception_traceback": None,
                },
            }
        )
    meta = json.loads(json.dumps(dict(result.meta), default=str))
    meta["run_id"] = {"run_name": run_name, "run_time": run_time.isoformat()}
    if batch:
        meta["batch_kwargs"] = {"data_asset_name": batch}
    stripped = {
        "success": bool(result.success),
        "results": rows,
        "suite_name": result.suite_name,
        "suite_parameters": json.loads(json.dumps(dict(result.suite_parameters or {}), default=str)),
        "statistics": json.loads(json.dumps(dict(result.statistics), default=float)),
        "meta": meta,
    }
    return _drop_value_keys(stripped)


def save_result(stripped: dict, *, docs_dir: str | Path, run_name: str, batch: str) -> Path:
    """Keep a stripped result for the run's site: <docs_dir>/<run>/hasil/<suite>__<batch>.json."""
    folder = Path(docs_dir) / safe_name(run_name) / "hasil"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{safe_name(stripped['suite_name'])}__{safe_name(batch)}.json"
    payload = {"batch": safe_name(batch), "hasil": stripped}
    path.write_text(json.dumps(payload, indent=1, sort_keys=True), encoding="utf-8")
    return path


def build_site(*, docs_dir: str | Path, run_name: str, suites: dict[str, dict]) -> str:
    """Render the run's site with GX's SiteBuilder from its stripped results; returns index.html's path."""
    import great_expectations as gx
    from great_expectations.core.expectation_validation_result import expectationSuiteValidationResultSchema
    from great_expectations.core.run_identifier import RunIdentifier
    from great_expectations.data_context.types.base import (
        DataContextConfig,
        InMemoryStoreBackendDefaults,
        ProgressBarsConfig,
    )
    from great_expectations.data_context.types.resource_identifiers import (
        ExpectationSuiteIdentifier,
        ValidationResultIdentifier,
    )

    site_dir = Path(docs_dir) / safe_name(run_name)
    config = DataContextConfig(
        store_backend_defaults=InMemoryStoreBackendDefaults(),
        analytics_enabled=False,
        progress_bars=ProgressBarsConfig(globally=False),
        data_docs_sites={
            "rentan": {
                "class_name": "SiteBuilder",
                "show_how_to_buttons": False,
                "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(site_dir)},
                "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
            }
        },
    )
    context = gx.get_context(mode="ephemeral", project_config=config)
    for suite in suites.values():
        context.suites.add(gx.ExpectationSuite(**suite))
    for path in sorted((site_dir / "hasil").glob("*.json")):
        payload = json.loads(path.read_text(encoding="utf-8"))
        stripped = payload["hasil"]
        run_id = stripped["meta"]["run_id"]
        key = ValidationResultIdentifier(
            expectation_suite_identifier=ExpectationSuiteIdentifier(name=stripped["suite_name"]),
            run_id=RunIdentifier(run_name=run_id["run_name"], run_time=run_id["run_time"]),
            batch_identifier=payload["batch"],
        )
        context.validation_results_store.set(key, expectationSuiteValidationResultSchema.load(stripped))
    context.build_data_docs(site_names=["rentan"])
    return str(site_dir / "index.html")
