"""Run settings read from the environment (see the settings table in README.md).

One place resolves every path, so tasks, tests and commands agree on where the
landing zone, the staging area, the reports and the warehouse are.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _project_path(value: str) -> str:
    """A relative local path is taken from the project root; URLs pass unchanged."""
    if "://" in value:
        return value
    path = Path(value)
    return str(path if path.is_absolute() else PROJECT_ROOT / path)


@dataclass(frozen=True)
class Settings:
    landing: str
    reports: str
    warehouse_url: str
    region: str
    data_dir: str
    ingest_workers: int = 2  # batches of landing files staged side by side (mapped tasks)
    part_rows: int = 400_000  # P3KE and roster rows per part a month is decided in (include.partitions)

    @property
    def staging(self) -> str:
        return str(Path(self.data_dir) / "staging")

    @property
    def data_docs(self) -> str:
        return str(Path(self.data_dir) / "data_docs")


def load_settings(env: dict[str, str] | None = None) -> Settings:
    """Read RENTAN_* settings; defaults are the embedded, serverless setup."""
    env = os.environ if env is None else env
    data_dir = _project_path(env.get("RENTAN_DATA", "data"))
    default_warehouse = f"sqlite:///{Path(data_dir) / 'warehouse.sqlite'}"
    return Settings(
        landing=_project_path(env.get("RENTAN_LANDING", "data/landing")),
        reports=_project_path(env.get("RENTAN_REPORTS", "data/reports")),
        warehouse_url=env.get("RENTAN_WAREHOUSE_URL") or default_warehouse,
        region=env.get("RENTAN_REGION", "13.03").strip(),
        data_dir=data_dir,
        ingest_workers=_positive_int(env, "RENTAN_INGEST_WORKERS", 2),
        part_rows=_positive_int(env, "RENTAN_PART_ROWS", 400_000),
    )


def _positive_int(env, name: str, default: int) -> int:
    value = env.get(name, "").strip()
    if not value:
        return default
    if not value.isdigit() or int(value) < 1:
        raise ValueError(f"{name}={value!r}: give a whole number of at least 1 (default {default})")
    return int(value)
