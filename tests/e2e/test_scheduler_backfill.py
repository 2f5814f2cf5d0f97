"""The demo backfilled by Airflow's scheduler, not by `dags test`: the DAGs chain through their Assets.

First Airflow's own backfill (`airflow backfill create`, one ingest run per month) for three months,
then the whole program 2022-03 .. 2025-07 as one triggered range run. Both must reproduce the
generator's figures, and the months they share must be byte-identical.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import time

import pytest

from tests.e2e.conftest import ROOT
from tests.e2e.scheduler import Deployment

pytestmark = pytest.mark.e2e
CHAIN = ("rentan_ingest", "rentan_match", "rentan_load", "rentan_report")
FIRST, LAST = "2022-03", "2025-07"
NATIVE = ("2025-05", "2025-06", "2025-07")


def ringkasan(reports, periode) -> dict:
    return json.loads((reports / periode / "ringkasan.json").read_text(encoding="utf-8"))


def digests(folder) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def personal_data(staging) -> dict[str, set[str]]:
    """Every NIK, name (lower case) and birth date (three written forms) of the staged P3KE and roster."""
    import pandas as pd

    frames = [pd.read_parquet(staging / f"{name}.parquet") for name in ("p3ke", "peserta")]
    people = pd.concat([f[["nik", "nama", "tanggal_lahir"]] for f in frames], ignore_index=True)
    dates = set()
    for day in pd.to_datetime(people["tanggal_lahir"].dropna()).dt.date:
        dates |= {day.strftime("%Y-%m-%d"), day.strftime("%d-%m-%Y"), day.strftime("%d/%m/%Y")}
    return {"nik": set(people["nik"].dropna()), "nama": set(people["nama"].dropna().str.strip().str.lower()),
            "tanggal_lahir": dates}


def found(text: str, personal: dict[str, set[str]]) -> dict[str, set[str]]:
    """Which of the personal values a text holds: 16-digit runs, dates not part of a timestamp, and
    runs of one to four whole words, each compared with the sets."""
    words = re.findall(r"[\w']+", text.lower())
    grams = {" ".join(words[i:i + n]) for n in range(1, 5) for i in range(len(words) - n + 1)}
    return {
        "nik": set(re.findall(r"(?<!\d)\d{16}(?!\d)", text)) & personal["nik"],
        "nama": grams & personal["nama"],
        "tanggal_lahir": set(re.findall(r"(?<![\d-])(\d{4}-\d\d-\d\d|\d\d[-/]\d\d[-/]\d{4})(?![\dT])", text))
        & personal["tanggal_lahir"],
    }


def assert_all_succeeded(runs: dict[str, list[dict]]) -> None:
    failed = [(d, r["run_id"], r["state"]) for d, rs in runs.items() for r in rs if r["state"] != "success"]
    assert not failed, failed
    assert all(runs[d] for d in CHAIN), {d: len(rs) for d, rs in runs.items()}


def test_the_scheduler_backfills_the_demo(tmp_path, postgres_url):
    from include.demo import generate

    truth = generate(tmp_path / "landing", tmp_path / "truth.json", 20250701)
    reports = tmp_path / "reports"
    env = {**os.environ, "AIRFLOW__CORE__DAGS_FOLDER": str(ROOT / "dags"),
           "AIRFLOW__CORE__PLUGINS_FOLDER": str(ROOT / "plugins"), "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
           "PYTHONPATH": str(ROOT), "RENTAN_LANDING": str(tmp_path / "landing"), "RENTAN_REPORTS": str(reports),
           "RENTAN_DATA": str(tmp_path / "data"), "RENTAN_REGION": "13.03",
           "RENTAN_WAREHOUSE_URL": f"sqlite:///{tmp_path / 'data' / 'warehouse.sqlite'}"}

    with Deployment(tmp_path / "airflow", env, postgres_url) as airflow:
        for dag_id in CHAIN:
            airflow.cli("dags", "unpause", dag_id)

        began = time.monotonic()
        # Runs at 01:00 WIB on the 1st of 2025-05, -06 and -07: one ingest run per month.
        airflow.cli("backfill", "create", "--dag-id", "rentan_ingest", "--from-date", "2025-05-01T00:00:00+07:00",
                    "--to-date", "2025-07-01T02:00:00+07:00")
        runs = airflow.wait_idle(CHAIN)
        print(f"airflow backfill create, {len(NATIVE)} months: {time.monotonic() - began:.0f} s, "
              + ", ".join(f"{d} {len(rs)} runs" for d, rs in runs.items()))
        assert_all_succeeded(runs)
        # Unpausing also starts the run of the latest cron tick (this month), as in production.
        assert sorted(r["run_type"] for r in runs["rentan_ingest"]) == ["backfill"] * len(NATIVE) + ["scheduled"]
        native = {periode: digests(reports / periode) for periode in NATIVE}
        assert set(NATIVE) <= {p.name for p in reports.iterdir()}

        began = time.monotonic()
        conf = json.dumps({"periode_dari": FIRST, "periode_sampai": LAST})
        airflow.cli("dags", "trigger", "rentan_ingest", "--conf", conf)
        runs = airflow.wait_idle(CHAIN)
        print(f"one triggered run {FIRST} .. {LAST}: {time.monotonic() - began:.0f} s, "
              + ", ".join(f"{d} {len(rs)} runs" for d, rs in runs.items()))
        assert_all_succeeded(runs)

    for month in truth["bulanan"]:
        summary = ringkasan(reports, month["periode"])
        got = {"ditagih": summary["peserta"]["ditagih"], "baru": summary["peserta"]["baru"],
               "dari_p3ke": summary["peserta"]["dari_p3ke"], "total_iuran": summary["iuran"]["total_iuran"]}
        assert got == {k: month[k] for k in got}, month["periode"]
    assert len(truth["bulanan"]) == 41
    assert ringkasan(reports, LAST) == truth["ringkasan"]
    assert ringkasan(reports, LAST)["kumulatif"]["total_iuran"] == 5_479_891_200
    for periode, files in native.items():
        assert digests(reports / periode) == files, periode

    # Task logs written by real task processes, and the components' own output: no personal data.
    personal = personal_data(tmp_path / "data" / "staging" / "dataset")
    logs = sorted((tmp_path / "airflow" / "logs").rglob("*.log")) + sorted((tmp_path / "airflow").glob("*.out"))
    text = "\n".join(path.read_text(encoding="utf-8", errors="replace") for path in logs)
    assert len(logs) > 100 and "ingested p3ke:" in text, (len(logs), len(text))
    assert found(text, personal) == {"nik": set(), "nama": set(), "tanggal_lahir": set()}
    control = found((reports / LAST / "calon_peserta.csv").read_text(encoding="utf-8"), personal)
    assert all(len(values) > 100 for values in control.values()), "the search finds what the internal list holds"
