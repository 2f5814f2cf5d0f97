"""kill -9 of the real load task of a real Airflow run: nothing of its month is kept, the next run completes.

The chain (include.run_chain: ingest, match, load, report through Airflow) runs on the small hand-written
landing zone in a child process, paused by tests/faults/chain_child.py once rentan_load's load_month
task has written fact_iuran inside the month's transaction, and killed there with SIGKILL. Then the
user's next `make run` must give the month exactly as an undisturbed run does.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import subprocess
import sys
import uuid

import pytest
import sqlalchemy as sa
from psycopg import sql

from include.warehouse import get_engine
from include.warehouse.tables import PERIOD_TABLES
from tests.conftest import admin_connection
from tests.e2e.conftest import ROOT, Rentan, airflow_home, rentan  # noqa: F401 - the e2e fixtures, used here
from tests.e2e.landing_kecil import EXPECTED_2025_07, P3KE_ROWS, write_landing
from tests.faults.conftest import CHILD_TIMEOUT, Warehouse, wait_for_file, write_lock_is_free
from tests.faults.test_kill_load import _wait_until_backend_gone

pytestmark = pytest.mark.e2e
CHAIN_CHILD = ROOT / "tests" / "faults" / "chain_child.py"
PERIOD = [t.name for t in PERIOD_TABLES.values()] + ["ringkasan"]


def digests(folder) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


@pytest.fixture
def twin(rentan, tmp_path):  # noqa: F811
    """A second Rentan on the same landing files and Airflow home, with its own warehouse and reports."""
    root = tmp_path / "twin"
    env = {
        **rentan.env,
        "RENTAN_LANDING": str(root / "landing"),
        "RENTAN_REPORTS": str(root / "reports"),
        "RENTAN_DATA": str(root / "data"),
    }
    if rentan.env["RENTAN_WAREHOUSE_URL"].startswith("sqlite"):
        yield Rentan(root, {**env, "RENTAN_WAREHOUSE_URL": f"sqlite:///{root / 'data' / 'warehouse.sqlite'}"})
        return
    admin = admin_connection()
    name = f"rentan_twin_{uuid.uuid4().hex[:12]}"
    admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield Rentan(root, {**env, "RENTAN_WAREHOUSE_URL": f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"})
    finally:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        admin.close()


def _business(rows: dict[str, list[tuple]]) -> dict[str, list[tuple]]:
    """The audit tables record every run, the killed one too; the rest must match the undisturbed run."""
    return {t: r for t, r in rows.items() if not t.startswith("audit_")}


def test_the_load_task_killed_mid_month_leaves_nothing_and_the_next_run_completes(rentan, twin, tmp_path):  # noqa: F811
    write_landing(rentan.landing)
    write_landing(twin.landing)
    undisturbed = twin.run("2025-07")
    assert undisturbed.returncode == 0, undisturbed.stdout[-3000:]
    url = rentan.env["RENTAN_WAREHOUSE_URL"]
    marker, log = tmp_path / "paused", tmp_path / "killed_run.log"
    with open(log, "wb") as output:  # a file, not a pipe: Airflow's task logs would fill a pipe and block
        chain = subprocess.Popen(
            [sys.executable, str(CHAIN_CHILD), str(marker), "--from", "2025-07", "--to", "2025-07"],
            env=rentan.env,
            cwd=ROOT,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_for_file(marker, chain, f"rentan_load pausing inside the month's transaction (see {log})", bound=300)
        pid = int(marker.read_text(encoding="utf-8").split()[0])
        os.killpg(chain.pid, signal.SIGKILL)
        assert chain.wait(timeout=CHILD_TIMEOUT) == -signal.SIGKILL
    finally:
        if chain.poll() is None:
            os.killpg(chain.pid, signal.SIGKILL)
            chain.wait()

    warehouse = Warehouse(url, get_engine(url), "sqlite" if url.startswith("sqlite") else "postgres")
    try:
        if warehouse.kind == "postgres":
            _wait_until_backend_gone(pid)
        assert write_lock_is_free(warehouse, "fact_iuran")
        killed = warehouse.rows()
        assert {t: killed[t] for t in PERIOD} == {t: [] for t in PERIOD}  # nothing of the month
        twin_engine = get_engine(twin.env["RENTAN_WAREHOUSE_URL"])
        try:
            whole = len(Warehouse("", twin_engine, "").rows()["dim_peserta"])
        finally:
            twin_engine.dispose()
        # The snapshot loads beside the month in a transaction of its own: whole, or not yet begun when the
        # month's task was killed first.
        assert whole > 0 and len(killed["dim_peserta"]) in (0, whole)
        assert not (rentan.reports / "2025-07").exists()

        retry = rentan.run("2025-07")

        assert retry.returncode == 0, retry.stdout[-3000:] + retry.stderr[-3000:]
        after = warehouse.rows()
        with warehouse.engine.connect() as conn:
            audit = sorted(conn.execute(sa.text("SELECT status FROM audit_run WHERE dag_id = 'rentan_load'")).scalars())
    finally:
        warehouse.engine.dispose()
    twin_warehouse = get_engine(twin.env["RENTAN_WAREHOUSE_URL"])
    try:
        assert _business(after) == _business(Warehouse("", twin_warehouse, "").rows())
    finally:
        twin_warehouse.dispose()
    assert audit == ["running", "success"]  # the killed run stays recorded as never finished
    assert digests(rentan.reports / "2025-07") == digests(twin.reports / "2025-07")
    summary = json.loads((rentan.reports / "2025-07" / "ringkasan.json").read_text(encoding="utf-8"))
    for section, expected in EXPECTED_2025_07.items():
        assert summary[section] == expected, section
    assert len(after["fact_iuran"]) == EXPECTED_2025_07["peserta"]["ditagih"]
    assert len(after["fact_hasil_p3ke"]) == len(P3KE_ROWS)
    assert after["riwayat_hasil_p3ke"] == []  # the killed load archived nothing that stayed
