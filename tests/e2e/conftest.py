"""End-to-end fixtures: an Airflow home of the test's own and the chain run as a user runs it."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def airflow_home(tmp_path_factory) -> Path:
    """A migrated SQLite metadata DB for the session's DAG runs."""
    home = tmp_path_factory.mktemp("airflow_home")
    env = {**os.environ, **_airflow_env(home)}
    subprocess.run([str(Path(sys.executable).with_name("airflow")), "db", "migrate"], env=env, check=True,
                   capture_output=True, timeout=300)
    return home


def _airflow_env(home: Path) -> dict[str, str]:
    return {
        "AIRFLOW_HOME": str(home),
        "AIRFLOW__CORE__DAGS_FOLDER": str(ROOT / "dags"),
        "AIRFLOW__CORE__PLUGINS_FOLDER": str(ROOT / "plugins"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{home / 'airflow.db'}",
        "PYTHONPATH": str(ROOT),
    }


@dataclass
class Rentan:
    """One user's Rentan: landing, reports, data folder and warehouse, run through Airflow."""

    root: Path
    env: dict[str, str]

    @property
    def landing(self) -> Path:
        return self.root / "landing"

    @property
    def reports(self) -> Path:
        return self.root / "reports"

    def run(self, start: str, end: str | None = None) -> subprocess.CompletedProcess:
        command = [sys.executable, "-m", "include.run_chain", "--from", start, "--to", end or start]
        return subprocess.run(command, env=self.env, cwd=ROOT, capture_output=True, text=True, timeout=1800)


@pytest.fixture
def rentan(tmp_path, airflow_home, warehouse_url) -> Rentan:
    env = {
        **os.environ,
        **_airflow_env(airflow_home),
        "RENTAN_LANDING": str(tmp_path / "landing"),
        "RENTAN_REPORTS": str(tmp_path / "reports"),
        "RENTAN_DATA": str(tmp_path / "data"),
        "RENTAN_WAREHOUSE_URL": warehouse_url,
        "RENTAN_REGION": "13.03",
    }
    return Rentan(root=tmp_path, env=env)
