"""End-to-end fixtures: an Airflow home of the test's own and the chain run as a user runs it."""

from __future__ import annotations

import email
import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def migrated_airflow_home(home: Path) -> Path:
    """An Airflow home with a migrated SQLite metadata DB."""
    env = {**os.environ, **_airflow_env(home)}
    subprocess.run([str(Path(sys.executable).with_name("airflow")), "db", "migrate"], env=env, check=True,
                   capture_output=True, timeout=300)
    return home


@pytest.fixture(scope="session")
def airflow_home(tmp_path_factory) -> Path:
    """A migrated SQLite metadata DB for the session's DAG runs."""
    return migrated_airflow_home(tmp_path_factory.mktemp("airflow_home"))


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


def make_rentan(root: Path, airflow_home: Path, warehouse_url: str, **extra: str) -> Rentan:
    env = {
        **os.environ,
        **_airflow_env(airflow_home),
        "RENTAN_LANDING": str(root / "landing"),
        "RENTAN_REPORTS": str(root / "reports"),
        "RENTAN_DATA": str(root / "data"),
        "RENTAN_WAREHOUSE_URL": warehouse_url,
        "RENTAN_REGION": "13.03",
        **extra,
    }
    return Rentan(root=root, env=env)


@pytest.fixture
def rentan(tmp_path, airflow_home, warehouse_url) -> Rentan:
    return make_rentan(tmp_path, airflow_home, warehouse_url)


class Inbox:
    """An SMTP handler that keeps every message exactly as it arrived."""

    def __init__(self):
        self.raw: list[bytes] = []

    @property
    def messages(self) -> list[email.message.Message]:
        return [email.message_from_bytes(raw) for raw in self.raw]

    async def handle_DATA(self, server, session, envelope) -> str:
        self.raw.append(bytes(envelope.content))
        return "250 OK"


@contextmanager
def smtp_server(rentan: Rentan) -> Iterator[Inbox]:
    """A real SMTP server on localhost that the run's alert connection points at."""
    from aiosmtpd.controller import Controller

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    rentan.env["AIRFLOW_CONN_RENTAN_SMTP"] = (
        f"smtp://127.0.0.1:{port}?disable_tls=true&disable_ssl=true&from_email=rentan%40localhost&timeout=5")
    rentan.env["RENTAN_ALERT_EMAIL"] = "data-engineering@dinas.test"
    try:
        yield handler
    finally:
        controller.stop()
