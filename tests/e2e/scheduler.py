"""A real Airflow deployment for a test: scheduler, DAG processor and API server, LocalExecutor,
PostgreSQL as the metadata database, the project's DAGs chained by their Assets.

    with Deployment(home, env) as airflow:
        airflow.cli("backfill", "create", "--dag-id", "rentan_ingest", ...)
        airflow.wait_idle(CHAIN)

Nothing here runs a DAG itself: runs are created by the CLI and executed by the scheduler.
"""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

AIRFLOW = str(Path(sys.executable).with_name("airflow"))
FINISHED = {"success", "failed"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Deployment:
    """Airflow's components as separate processes, as on a server; stopped on exit."""

    def __init__(self, home: Path, env: dict[str, str], metadata_url: str, parallelism: int = 2):
        self.home = home
        port = free_port()
        self.port = port
        self.env = {
            **env,
            "AIRFLOW_HOME": str(home),
            "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": metadata_url,
            "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN_ASYNC": metadata_url,
            "AIRFLOW__CORE__EXECUTOR": "LocalExecutor",
            "AIRFLOW__CORE__PARALLELISM": str(parallelism),
            "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"http://127.0.0.1:{port}/execution/",
            "AIRFLOW__API__HOST": "127.0.0.1",
            "AIRFLOW__API__PORT": str(port),
            "AIRFLOW__API__WORKERS": "1",
            "AIRFLOW__API_AUTH__JWT_SECRET": secrets.token_hex(32),
            "AIRFLOW__SCHEDULER__SCHEDULER_HEARTBEAT_SEC": "2",
            "AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL": "5",
        }
        self.metadata_dsn = metadata_url.replace("postgresql+psycopg://", "postgresql://")
        self.processes: dict[str, subprocess.Popen] = {}

    def cli(self, *args: str, timeout: float = 300) -> str:
        result = subprocess.run([AIRFLOW, *args], env=self.env, capture_output=True, text=True, timeout=timeout)
        if result.returncode != 0:
            raise RuntimeError(f"airflow {' '.join(args)} exited {result.returncode}: {result.stderr[-2000:]}")
        return result.stdout

    def __enter__(self) -> Deployment:
        self.home.mkdir(parents=True, exist_ok=True)
        self.cli("db", "migrate")
        self.cli("dags", "reserialize")
        for name in ("api-server", "dag-processor", "scheduler"):
            log = open(self.home / f"{name}.out", "wb")  # noqa: SIM115 - closed with the process
            self.processes[name] = subprocess.Popen([AIRFLOW, name], env=self.env, stdout=log,
                                                    stderr=subprocess.STDOUT, start_new_session=True)
        self._wait_for_api()
        return self

    def __exit__(self, *exc) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + 60
        for process in self.processes.values():
            try:
                process.wait(timeout=max(1.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()

    def _wait_for_api(self, timeout: float = 180) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            self._check_alive()
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/api/v2/monitor/health", timeout=5):
                    return
            except OSError:
                time.sleep(1)
        raise TimeoutError(f"the API server did not answer within {timeout:.0f} s; see {self.home}/api-server.out")

    def _check_alive(self) -> None:
        for name, process in self.processes.items():
            if process.poll() is not None:
                raise RuntimeError(f"airflow {name} exited {process.returncode}; see {self.home / name}.out")

    def runs(self, dag_id: str) -> list[dict]:
        """The DAG's runs as the metadata database holds them (read-only; the CLI prints logs on stdout)."""
        import psycopg

        with psycopg.connect(self.metadata_dsn, autocommit=True) as conn:
            rows = conn.execute("SELECT run_id, state, run_type FROM dag_run WHERE dag_id = %s ORDER BY id",
                                (dag_id,)).fetchall()
        return [{"run_id": r[0], "state": r[1], "run_type": r[2]} for r in rows]

    def wait_idle(self, dag_ids: tuple[str, ...], settle: float = 20, timeout: float = 1800) -> dict[str, list[dict]]:
        """Wait until every DAG's runs have finished and no new run appeared for `settle` seconds."""
        deadline = time.monotonic() + timeout
        quiet_since = None
        last = None
        while time.monotonic() < deadline:
            self._check_alive()
            runs = {dag_id: self.runs(dag_id) for dag_id in dag_ids}
            states = {(d, r["run_id"], r["state"]) for d, rs in runs.items() for r in rs}
            busy = any(r["state"] not in FINISHED for rs in runs.values() for r in rs)
            if busy or states != last:
                quiet_since, last = None, states
            elif quiet_since is None:
                quiet_since = time.monotonic()
            elif time.monotonic() - quiet_since >= settle:
                return runs
            time.sleep(3)
        raise TimeoutError(f"the DAG runs did not finish within {timeout:.0f} s; see {self.home}")
