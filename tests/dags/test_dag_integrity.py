"""DAG integrity: the DAG files parse without errors, fast, without heavy imports, and are well formed."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
DAG_IDS = ["rentan_ingest", "rentan_load", "rentan_match", "rentan_report"]
HEAVY = ["pandas", "great_expectations", "splink", "duckdb", "sqlalchemy", "psycopg", "openpyxl", "xlsxwriter",
         "pyarrow", "numpy"]

PROBE = """
import importlib.util, json, sys, time
import airflow.sdk
before = set(sys.modules)
times = {}
for path in sys.argv[1:]:
    began = time.perf_counter()
    spec = importlib.util.spec_from_file_location(path.rsplit('/', 1)[-1][:-3], path)
    spec.loader.exec_module(importlib.util.module_from_spec(spec))
    times[path.rsplit('/', 1)[-1]] = time.perf_counter() - began
new = sorted({m.split('.')[0] for m in set(sys.modules) - before})
print(json.dumps({"times": times, "new": new}))
"""


@pytest.fixture(scope="module")
def dag_bag():
    from airflow.dag_processing.dagbag import DagBag

    return DagBag(dag_folder=str(ROOT / "dags"), include_examples=False) if "include_examples" in \
        DagBag.__init__.__code__.co_varnames else DagBag(dag_folder=str(ROOT / "dags"))


def test_no_import_errors_and_all_dags_present(dag_bag):
    assert dag_bag.import_errors == {}
    assert sorted(dag_bag.dag_ids) == DAG_IDS


@pytest.mark.parametrize("dag_id", DAG_IDS)
def test_dag_is_documented_tagged_owned_and_retried(dag_bag, dag_id):
    dag = dag_bag.dags[dag_id]
    assert dag.doc_md and dag.doc_md.strip().startswith("### Rentan")
    assert "rentan" in dag.tags and len(dag.tags) >= 2
    assert dag.max_active_runs == 1
    for task in dag.tasks:
        assert task.owner == "rentan-data", task.task_id
        assert task.retries >= 1, task.task_id
        assert task.on_failure_callback, f"{task.task_id} must alert on failure"


def test_monthly_schedule_in_jakarta_time(dag_bag):
    timetable = dag_bag.dags["rentan_ingest"].timetable
    assert type(timetable).__name__ == "CronTriggerTimetable"
    assert timetable.expression == "0 1 1 * *"
    assert str(timetable.timezone) == "Asia/Jakarta"


def test_chain_is_connected_by_assets(dag_bag):
    ingest = dag_bag.dags["rentan_ingest"]
    outlets = {a.name for t in ingest.tasks for a in t.outlets}
    assert outlets == {"rentan_staging_p3ke", "rentan_staging_peserta", "rentan_staging_klaim",
                       "rentan_staging_tinjauan"}
    for downstream, upstream in (("rentan_match", "rentan_staging_p3ke"), ("rentan_load", "rentan_keputusan"),
                                 ("rentan_report", "rentan_warehouse")):
        condition = dag_bag.dags[downstream].timetable.asset_condition
        assert upstream in {a.name for a in condition.objects}


def test_months_and_parts_are_mapped_tasks(dag_bag):
    for dag_id, task_id in (("rentan_match", "decide_part"), ("rentan_load", "load_month"),
                            ("rentan_report", "write_month_report")):
        assert type(dag_bag.dags[dag_id].get_task(task_id)).__name__.endswith("MappedOperator")


def test_months_are_put_together_after_every_part_is_decided(dag_bag):
    match = dag_bag.dags["rentan_match"]
    upstream = {t.task_id: t.upstream_task_ids for t in match.tasks}
    assert upstream["list_parts"] == {"match_people"}
    assert upstream["decide_part"] == {"list_parts", "resolve_months"}
    assert "decide_part" in upstream["finish_months"]
    assert "finish_months" in upstream["publish_decisions"] and "decide_part" not in upstream["publish_decisions"]


def test_snapshot_and_months_load_side_by_side_after_the_schema(dag_bag):
    load = dag_bag.dags["rentan_load"]
    upstream = {t.task_id: t.upstream_task_ids for t in load.tasks}
    assert upstream["load_snapshot"] == {"prepare_warehouse"}
    assert "prepare_warehouse" in upstream["load_month"] and "load_snapshot" not in upstream["load_month"]
    assert {"load_snapshot", "load_month"} <= upstream["publish_warehouse"]
    assert upstream["prepare_warehouse"] == {"resolve_months"}


def test_p3ke_path_goes_first_when_workers_are_scarce(dag_bag):
    """With two workers, the roster's ingest must not take the slot of P3KE's second staging task."""
    from types import SimpleNamespace

    from airflow.serialization.serialized_objects import DagSerialization

    # The weights the scheduler orders queued tasks by: each task's weight rule on the serialized DAG.
    ingest = DagSerialization.from_dict(DagSerialization.to_dict(dag_bag.dags["rentan_ingest"]))
    weight = {t.task_id: t.weight_rule.get_weight(SimpleNamespace(task=t)) for t in ingest.tasks}
    for p3ke, roster in (("stage_p3ke", "ingest_peserta"), ("stage_p3ke", "stage_peserta"),
                         ("ingest_p3ke", "stage_peserta"), ("ingest_p3ke", "ingest_klaim")):
        assert weight[p3ke] > weight[roster], (p3ke, roster, weight)
    # The plans (a second each) open both paths: first of all, before the months are even resolved.
    for plan in ("plan_p3ke", "plan_peserta"):
        assert weight[plan] > max(w for task, w in weight.items() if not task.startswith("plan_")), weight


def test_dag_files_import_nothing_heavy_and_parse_fast():
    files = [str(ROOT / "dags" / f"{d}.py") for d in DAG_IDS]
    probe = subprocess.run([sys.executable, "-c", PROBE, *files], capture_output=True, text=True, timeout=120,
                           cwd=ROOT, env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"})
    assert probe.returncode == 0, probe.stderr[-2000:]
    report = json.loads(probe.stdout.strip().splitlines()[-1])
    print("DAG parse times (s, after airflow.sdk):", {k: round(v, 4) for k, v in report["times"].items()})
    assert not set(report["new"]) & set(HEAVY), report["new"]
