"""The expectation suites in expectations/<source>.json: loading and what each rule means.

Every expectation carries `meta.alasan` (the reason code it gives a failing row)
and a `severity`: `critical` rules quarantine the row (RowValidation.alasan),
`warning` rules only warn (RowValidation.peringatan). Policy values enter as
suite parameters (`{"$PARAMETER": "upah_minimum"}`), filled from include.policy.
"""

from __future__ import annotations

import json
from pathlib import Path

from include.policy import Policy, default_policy
from include.settings import PROJECT_ROOT

SUITES_DIR = PROJECT_ROOT / "expectations"
SOURCES = ("p3ke", "peserta", "klaim", "tinjauan")


def suite_path(source: str) -> Path:
    if source not in SOURCES:
        raise ValueError(f"validate_rows: unknown source {source!r}; use one of {', '.join(SOURCES)}")
    return SUITES_DIR / f"{source}.json"


def load_suite_json(source: str) -> dict:
    """The suite of a source as its JSON dict (GX 1.x ExpectationSuite serialisation)."""
    path = suite_path(source)
    suite = json.loads(path.read_text(encoding="utf-8"))
    for i, expectation in enumerate(suite["expectations"]):
        if not (expectation.get("meta") or {}).get("alasan"):
            raise ValueError(f"{path}: expectation {i} ({expectation['type']}) has no meta.alasan; add its reason code")
    return suite


def reason_codes(source: str) -> dict[str, str]:
    """Reason code -> 'critical' | 'warning' for every rule of a source's suite."""
    codes: dict[str, str] = {}
    for expectation in load_suite_json(source)["expectations"]:
        codes[expectation["meta"]["alasan"]] = expectation.get("severity", "critical")
    return codes


def suite_parameters(policy: Policy | None = None) -> dict[str, object]:
    """Values for the suites' `$PARAMETER` placeholders, from policy.yaml."""
    policy = policy or default_policy()
    return {"upah_minimum": policy.upah_minimum}
