"""The distributed path: the same DAGs under CeleryExecutor give the same reports as the local run.

Two months of the Sijunjung demo (2025-06 .. 2025-07) run twice on one landing zone, each with its
own staging folder, reports folder and PostgreSQL warehouse:
- the local reference: `python -m include.run_chain` (what `make backfill` runs: the four DAGs
  through Airflow's `dag.test()` in one process);
- the deployment `make celery` starts (include/celery_run.py): api-server, dag-processor,
  scheduler and two `airflow celery worker --concurrency 1` processes, Redis as the broker (a
  database of this test's own, flushed at start and stop), PostgreSQL as the metadata database and
  the Celery result backend; one triggered `rentan_ingest` run, the rest chained by Assets.
Every report file of both months must be byte-identical (no report carries a run timestamp: the
workbook's created/modified date is the first day of its month), both workers must have executed
task instances, and no task log or component output may hold a NIK, name or birth date.
"""

from __future__ import annotations

import hashlib
import os
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.conftest import admin_connection
from tests.e2e.conftest import make_rentan
from tests.e2e.scheduler import CHAIN, celery_deployment, run_range
from tests.e2e.test_scheduler_backfill import found, personal_data

pytestmark = pytest.mark.e2e
FIRST, LAST = "2025-06", "2025-07"
MONTHS = (FIRST, LAST)
REPORT_FILES = {"rincian_iuran.csv", "rekap_iuran.csv", "calon_peserta.csv", "perlu_tinjauan.csv", "karantina.csv",
                "ringkasan.json", "laporan.xlsx", "laporan.html"}
BROKER_URL = os.environ.get("RENTAN_TEST_BROKER_URL", "redis://127.0.0.1:6379/7")


@pytest.fixture
def warehouses():
    """Two PostgreSQL warehouses of this test's own (the local run's, the Celery run's), dropped afterwards."""
    from psycopg import sql

    admin = admin_connection()
    names = [f"rentan_test_{uuid.uuid4().hex[:12]}" for _ in range(2)]
    for name in names:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield [f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}" for name in names]
    finally:
        for name in names:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        admin.close()


@pytest.fixture
def broker():
    """The Redis database of this test; CI runs Redis, so an unreachable one fails the test."""
    from include.celery_run import check_broker

    try:
        check_broker(BROKER_URL)
    except ConnectionError as error:
        pytest.fail(f"{error}; the CeleryExecutor test needs Redis at {BROKER_URL} (RENTAN_TEST_BROKER_URL)")
    return BROKER_URL


def digests(folder) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def metadata(url: str, query: str) -> list[tuple]:
    import psycopg

    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://"), autocommit=True) as conn:
        return conn.execute(query).fetchall()


def test_celery_workers_give_the_reports_of_the_local_run(tmp_path, airflow_home, postgres_url, warehouses, broker):
    from include.demo import generate

    began = time.monotonic()
    landing = tmp_path / "landing"
    local_wh, celery_wh = warehouses
    local = make_rentan(tmp_path / "local", airflow_home, local_wh, RENTAN_LANDING=str(landing))
    celery = make_rentan(tmp_path / "celery", airflow_home, celery_wh, RENTAN_LANDING=str(landing))
    deployment = celery_deployment(tmp_path / "airflow", celery.env, postgres_url, broker, workers=2)
    # Side by side, to keep the test short: the deployment's migration while the demo is generated, and
    # the local run while the deployment starts and runs (the seconds printed are those of a shared
    # machine). The two runs share nothing but the landing zone, which they only read.
    with ThreadPoolExecutor(1) as pool:
        prepared = pool.submit(deployment.prepare)
        generate(landing, tmp_path / "truth.json", 20250701)
        prepared.result()
    with ThreadPoolExecutor(1) as pool:
        reference = pool.submit(local.run, FIRST, LAST)
        chain = run_range(deployment, FIRST, LAST)
        result = reference.result()
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    print(f"CeleryExecutor chain {FIRST} .. {LAST}: {chain.seconds:.0f} s; "
          + ", ".join(f"{d} {len(rs)} runs" for d, rs in chain.runs.items())
          + "; task instances per worker: " + str(chain.task_hosts))

    assert chain.failed == []
    assert all(chain.runs[d] for d in CHAIN), chain.runs
    # One run of rentan_ingest, the triggered one: unpausing started no run of this month's cron tick.
    assert [r["run_type"] for r in chain.runs["rentan_ingest"]] == ["manual"]

    # Both workers executed task instances, and every task instance was executed by one of them.
    assert set(chain.task_hosts) == set(deployment.worker_names), chain.task_hosts
    assert all(count > 0 for count in chain.task_hosts.values())
    tasks = metadata(postgres_url, "SELECT count(*), count(*) FILTER (WHERE state = 'success') FROM task_instance")[0]
    assert tasks[0] == tasks[1] == sum(chain.task_hosts.values()) > 10, tasks
    # ... through Celery: its result backend (the metadata database) holds a result per task instance.
    celery_results = metadata(postgres_url, "SELECT count(*) FROM celery_taskmeta WHERE status = 'SUCCESS'")[0][0]
    assert celery_results >= tasks[0], (celery_results, tasks)

    # The same reports, byte for byte, and only of the months asked for.
    assert sorted(p.name for p in celery.reports.iterdir()) == list(MONTHS)
    assert sorted(p.name for p in local.reports.iterdir()) == list(MONTHS)
    for periode in MONTHS:
        files = digests(celery.reports / periode)
        assert set(files) == REPORT_FILES, periode
        assert files == digests(local.reports / periode), periode

    # Task logs of the workers' task processes and every component's output: no personal data.
    personal = personal_data(tmp_path / "celery" / "data" / "staging" / "dataset")
    logs = sorted((tmp_path / "airflow" / "logs").rglob("*.log")) + sorted((tmp_path / "airflow").glob("*.out"))
    text = "\n".join(path.read_text(encoding="utf-8", errors="replace") for path in logs)
    assert {p.stem for p in logs} >= {"api-server", "scheduler", "rentan1", "rentan2"}
    assert "ingested p3ke:" in text, len(text)
    assert found(text, personal) == {"nik": set(), "nama": set(), "tanggal_lahir": set()}
    control = found((celery.reports / LAST / "calon_peserta.csv").read_text(encoding="utf-8"), personal)
    assert all(len(values) > 100 for values in control.values()), "the search finds what the internal list holds"
    print(f"test wall time {time.monotonic() - began:.0f} s")
