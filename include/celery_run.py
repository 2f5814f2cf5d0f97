"""Run the chain for a range of months under CeleryExecutor on this machine (`make celery`).

    python -m include.celery_run --from 2025-06 --to 2025-07 --workers 2

Airflow's components start as separate processes, as on servers: api-server, dag-processor,
scheduler and N Celery workers (`airflow celery worker --concurrency 1`), with Redis as the broker
and PostgreSQL as the metadata database, the Celery result backend and (RENTAN_WAREHOUSE_URL) the
warehouse. One run of `rentan_ingest` is triggered with params `periode_dari`/`periode_sampai`; the
other DAGs follow through their Assets, their tasks executed by whichever worker is free. The
command ends when every run has finished, prints which worker ran how many task instances, and
stops the components. A failed run exits non-zero and its last line says why.

`Deployment` is also what the end-to-end tests start (LocalExecutor or CeleryExecutor). Nothing here
runs a DAG itself: runs are created by the CLI and executed by the scheduler and its executor.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

AIRFLOW = str(Path(sys.executable).with_name("airflow"))
CHAIN = ("rentan_ingest", "rentan_match", "rentan_load", "rentan_report")
FINISHED = {"success", "failed"}
WORKER_ENV = "RENTAN_CELERY_WORKER"
HOSTNAME_CALLABLE = "include.celery_run.worker_hostname"  # this module's name also under python -m
DEFAULT_METADATA_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/rentan_airflow"
DEFAULT_BROKER_URL = "redis://127.0.0.1:6379/5"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def worker_hostname() -> str:
    """`[core] hostname_callable` of the workers: several workers on one machine share its name, so
    each reports its Celery node name (task_instance.hostname then says which worker ran a task)."""
    return os.environ.get(WORKER_ENV) or socket.getfqdn()


def _dsn(url: str) -> str:
    """A SQLAlchemy PostgreSQL URL as libpq takes it."""
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


def ensure_database(url: str) -> None:
    """Create the PostgreSQL database of `url` when missing (its server's `postgres` database is the way in)."""
    import psycopg
    from psycopg import sql
    from psycopg.conninfo import conninfo_to_dict, make_conninfo

    params = conninfo_to_dict(_dsn(url))
    name = params["dbname"]
    with psycopg.connect(make_conninfo(**{**params, "dbname": "postgres"}), autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def check_broker(broker_url: str, flush: bool = False) -> None:
    """Fail with one line when Redis does not answer; `flush` empties the broker's database."""
    import redis

    client = redis.Redis.from_url(broker_url, socket_connect_timeout=5)
    try:
        client.ping()
        if flush:
            client.flushdb()
    except redis.RedisError as error:
        raise ConnectionError(f"the Celery broker {broker_url} does not answer ({error}): start Redis "
                              "(redis-server) or pass another broker URL") from error
    finally:
        client.close()


class Deployment:
    """Airflow's components as separate processes, as on a server; stopped on exit.

    executor "LocalExecutor" (tasks run by the scheduler's own processes) or "CeleryExecutor" with
    `workers` Celery workers of concurrency 1 on `broker_url` (a Redis database of the deployment's
    own: flushed at start and stop); the Celery results go to the metadata database.
    """

    def __init__(self, home: Path, env: dict[str, str], metadata_url: str, parallelism: int = 2,
                 executor: str = "LocalExecutor", workers: int = 0, broker_url: str | None = None):
        if executor == "CeleryExecutor" and (workers < 1 or not broker_url):
            raise ValueError("CeleryExecutor needs workers >= 1 and a broker_url")
        self.home = home
        self.executor = executor
        self.worker_names = [f"rentan{i}@{socket.gethostname()}" for i in range(1, workers + 1)]
        self.broker_url = broker_url
        self.port = free_port()
        self.env = {
            **env,
            "AIRFLOW_HOME": str(home),
            "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": metadata_url,
            "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN_ASYNC": metadata_url,
            "AIRFLOW__CORE__EXECUTOR": executor,
            "AIRFLOW__CORE__PARALLELISM": str(parallelism),
            "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"http://127.0.0.1:{self.port}/execution/",
            "AIRFLOW__API__HOST": "127.0.0.1",
            "AIRFLOW__API__PORT": str(self.port),
            "AIRFLOW__API__WORKERS": "1",
            "AIRFLOW__API_AUTH__JWT_SECRET": secrets.token_hex(32),
            "AIRFLOW__SCHEDULER__SCHEDULER_HEARTBEAT_SEC": "2",
            "AIRFLOW__DAG_PROCESSOR__REFRESH_INTERVAL": "5",
            # The DAGs are serialized before the components start (prepare); parsed again every 10
            # minutes rather than every 30 s, the few cores of one machine go to the tasks.
            "AIRFLOW__DAG_PROCESSOR__MIN_FILE_PROCESS_INTERVAL": "600",
        }
        if executor == "CeleryExecutor":
            self.env |= {
                "AIRFLOW__CELERY__BROKER_URL": broker_url,
                "AIRFLOW__CELERY__RESULT_BACKEND": f"db+{metadata_url}",
            }
        self.metadata_dsn = _dsn(metadata_url)
        self.processes: dict[str, subprocess.Popen] = {}
        self.prepared = False

    def cli(self, *args: str, timeout: float = 300) -> str:
        result = subprocess.run([AIRFLOW, *args], env=self.env, capture_output=True, text=True, timeout=timeout)
        if result.returncode != 0:
            raise RuntimeError(f"airflow {' '.join(args)} exited {result.returncode}: {result.stderr[-2000:]}")
        return result.stdout

    def prepare(self) -> None:
        """Migrate the metadata database and serialize the DAGs (before any component starts)."""
        self.home.mkdir(parents=True, exist_ok=True)
        if self.broker_url:
            check_broker(self.broker_url, flush=True)
        self.cli("db", "migrate")
        self.cli("dags", "reserialize")
        self.prepared = True

    def __enter__(self) -> Deployment:
        self.start()
        self.wait_ready()
        return self

    def start(self) -> None:
        """Start the components (migrating first when not prepared); `wait_ready` waits for them."""
        if not self.prepared:
            self.prepare()
        try:
            for name in ("api-server", "dag-processor", "scheduler"):
                self._start(name, [name])
            for name in self.worker_names:
                # Log serving is skipped: every component here writes to and reads from one logs folder.
                self._start(name.split("@")[0], ["celery", "worker", "--concurrency", "1", "-H", name,
                                                 "--skip-serve-logs"], {WORKER_ENV: name,
                            "AIRFLOW__CORE__HOSTNAME_CALLABLE": HOSTNAME_CALLABLE})
        except BaseException:
            self.__exit__()
            raise

    def wait_ready(self) -> None:
        """Until the API server answers and every Celery worker answers a ping; stops all on failure."""
        try:
            self._wait_for_api()
            if self.worker_names:
                self._wait_for_workers()
        except BaseException:
            self.__exit__()
            raise

    def _start(self, name: str, args: list[str], env: dict[str, str] | None = None) -> None:
        log = open(self.home / f"{name}.out", "wb")  # noqa: SIM115 - closed with the process
        self.processes[name] = subprocess.Popen([AIRFLOW, *args], env={**self.env, **(env or {})}, stdout=log,
                                                stderr=subprocess.STDOUT, start_new_session=True)
        log.close()

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
        if self.broker_url:
            check_broker(self.broker_url, flush=True)

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

    def _wait_for_workers(self, timeout: float = 180) -> None:
        """Until every Celery worker answers a ping through the broker."""
        from celery import Celery

        app = Celery(broker=self.broker_url)
        deadline = time.monotonic() + timeout
        try:
            while time.monotonic() < deadline:
                self._check_alive()
                answered = {name for reply in app.control.ping(timeout=2) or [] for name in reply}
                if answered >= set(self.worker_names):
                    return
                time.sleep(1)
        finally:
            app.close()
        raise TimeoutError(f"the Celery workers did not answer within {timeout:.0f} s; see {self.home}/rentan*.out")

    def _check_alive(self) -> None:
        for name, process in self.processes.items():
            if process.poll() is not None:
                raise RuntimeError(f"airflow {name} exited {process.returncode}; see {self.home / name}.out")

    def _query(self, query: str, params: tuple = ()) -> list[tuple]:
        import psycopg

        with psycopg.connect(self.metadata_dsn, autocommit=True) as conn:
            return conn.execute(query, params).fetchall()

    def runs(self, dag_id: str, after: int = 0) -> list[dict]:
        """The DAG's runs as the metadata database holds them (those with id > `after`)."""
        rows = self._query("SELECT run_id, state, run_type FROM dag_run WHERE dag_id = %s AND id > %s ORDER BY id",
                           (dag_id, after))
        return [{"run_id": r[0], "state": r[1], "run_type": r[2]} for r in rows]

    def last_run_id(self) -> int:
        """The highest dag_run id so far (0 for none): runs created later have higher ids."""
        return self._query("SELECT coalesce(max(id), 0) FROM dag_run")[0][0]

    def task_hosts(self, after: int = 0) -> dict[str, int]:
        """Task instances per reporting host, of the runs with id > `after` (a task that never ran has none)."""
        rows = self._query(
            "SELECT coalesce(ti.hostname, ''), count(*) FROM task_instance ti JOIN dag_run r"
            " ON r.dag_id = ti.dag_id AND r.run_id = ti.run_id WHERE r.id > %s GROUP BY 1 ORDER BY 1", (after,))
        return dict(rows)

    def is_paused(self, dag_id: str) -> bool:
        return bool(self._query("SELECT is_paused FROM dag WHERE dag_id = %s", (dag_id,))[0][0])

    def due_tick(self, dag_id: str) -> dt.datetime | None:
        """The logical date of the DAG's next scheduled run when it is due now and no run holds it yet."""
        rows = self._query(
            "SELECT d.next_dagrun FROM dag d WHERE d.dag_id = %s AND d.next_dagrun_create_after <= now()"
            " AND NOT EXISTS (SELECT 1 FROM dag_run r WHERE r.dag_id = d.dag_id AND r.logical_date = d.next_dagrun)",
            (dag_id,))
        return rows[0][0] if rows else None

    def wait_idle(self, dag_ids: tuple[str, ...], settle: float = 20, timeout: float = 1800,
                  after: int = 0) -> dict[str, list[dict]]:
        """Wait until every DAG's runs have finished and no new run appeared for `settle` seconds."""
        deadline = time.monotonic() + timeout
        quiet_since = None
        last = None
        while time.monotonic() < deadline:
            self._check_alive()
            runs = {dag_id: self.runs(dag_id, after) for dag_id in dag_ids}
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


@dataclass
class ChainRun:
    runs: dict[str, list[dict]]
    task_hosts: dict[str, int]
    seconds: float

    @property
    def failed(self) -> list[tuple[str, str, str]]:
        return [(d, r["run_id"], r["state"]) for d, rs in self.runs.items() for r in rs if r["state"] != "success"]


def run_range(airflow: Deployment, start: str, end: str) -> ChainRun:
    """Start the deployment, trigger one `rentan_ingest` run for the months start .. end, wait until
    it and every run its Assets start have finished, and stop the deployment.

    `rentan_ingest` is paused before the components start and unpaused once its run exists: a cron
    DAG starts the run of its latest tick when unpaused (catchup=False), so the range run takes that
    tick's logical date when it is due; the scheduler then counts the tick as run and starts no
    second, scheduled run of another month. The run's months come from its params, never from its
    logical date.
    """
    ingest = CHAIN[0]
    began = time.monotonic()
    if not airflow.prepared:
        airflow.prepare()
    if not airflow.is_paused(ingest):
        airflow.cli("dags", "pause", ingest)
    after = airflow.last_run_id()
    airflow.start()
    try:
        tick = airflow.due_tick(ingest)
        conf = json.dumps({"periode_dari": start, "periode_sampai": end})
        logical_date = ["--logical-date", tick.isoformat()] if tick else []
        airflow.cli("dags", "trigger", ingest, "--conf", conf, *logical_date)
        airflow.cli("dags", "unpause", "--treat-dag-id-as-regex", "--yes", "^(" + "|".join(CHAIN) + ")$")
        airflow.wait_ready()
        print(f"[rentan] components up, {ingest} triggered: {time.monotonic() - began:.0f} s", flush=True)
        runs = airflow.wait_idle(CHAIN, settle=10, after=after)
        hosts = airflow.task_hosts(after)
    finally:
        airflow.__exit__()
    return ChainRun(runs=runs, task_hosts=hosts, seconds=time.monotonic() - began)


def celery_deployment(home: Path, env: dict[str, str], metadata_url: str, broker_url: str,
                      workers: int = 2) -> Deployment:
    """The CeleryExecutor deployment of this machine: `workers` workers of one task each."""
    return Deployment(home, env, metadata_url, parallelism=workers, executor="CeleryExecutor", workers=workers,
                      broker_url=broker_url)


def main(argv: list[str] | None = None) -> int:
    from include.run_chain import month_parser, months_of, summary_lines

    parser = month_parser(__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=2, help="Celery worker processes (default 2)")
    parser.add_argument("--home", default=".airflow/celery", help="AIRFLOW_HOME of the deployment")
    parser.add_argument("--metadata-url", default=DEFAULT_METADATA_URL,
                        help="PostgreSQL metadata database (created when missing)")
    parser.add_argument("--broker-url", default=DEFAULT_BROKER_URL,
                        help="Redis database of Rentan's own: flushed at start and stop")
    args = parser.parse_args(argv)
    from include.runs import error_file
    from include.settings import load_settings

    months = months_of(args)
    if months is None:
        return 2
    start, end = months
    settings = load_settings()
    try:
        check_broker(args.broker_url)
        ensure_database(args.metadata_url)
        if settings.warehouse_url.startswith("postgresql"):
            ensure_database(settings.warehouse_url)
    except Exception as error:  # noqa: BLE001 - one line for the command line
        print(f"rentan: GAGAL: {error}", flush=True)
        return 1
    error_file(settings).unlink(missing_ok=True)
    home = Path(args.home).resolve()
    print(f"[rentan] CeleryExecutor, {args.workers} workers, broker {args.broker_url}; logs in {home}", flush=True)
    result = run_range(celery_deployment(home, dict(os.environ), args.metadata_url, args.broker_url, args.workers),
                       start, end)
    for dag_id, runs in result.runs.items():
        print(f"[rentan] {dag_id}: " + ", ".join(f"{r['run_id']} {r['state']}" for r in runs), flush=True)
    print("[rentan] task instances per worker: "
          + ", ".join(f"{host or '(not run)'} {count}" for host, count in result.task_hosts.items()), flush=True)
    if result.failed or not all(result.runs.values()):
        errors = error_file(settings)
        reason = errors.read_text(encoding="utf-8").strip() if errors.exists() else f"see the task logs in {home}/logs"
        failed = result.failed[0] if result.failed else ("rentan_chain", "-", "not started")
        print(f"rentan: GAGAL: {failed[0]} {failed[2]} ({failed[1]}): {reason}", flush=True)
        return 1
    for line in summary_lines(end):
        print(line)
    print(f"Selesai dalam {result.seconds:.0f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
