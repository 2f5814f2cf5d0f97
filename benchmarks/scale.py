"""Per-stage time and peak memory of one monthly run at national scale, run on demand:

    PYTHONPATH=. .venv/bin/python -m benchmarks.scale --rows 20000 1000000 [10000000] [--write]

For each size: the national generator writes a landing zone (P3KE sharded per
kabupaten/kota, the roster half that size), then every stage a task calls runs
in a process of its own, as an Airflow worker runs it, against a PostgreSQL
warehouse created on 127.0.0.1:5432 for the run and dropped afterwards:
the mapped staging tasks (two processes side by side, as on a pool of two
workers), ingest of each source, matching, the dataset dealt into parts, the month's decisions (the mapped
parts, two processes side by side) and the month put together, the snapshot
and month loads, the reports. Time is the process's wall time and peak memory its
own ru_maxrss (os.wait4), so one stage's peak is not hidden by another's.
`end to end` adds the stages up (the Airflow overhead of a run is measured by
benchmarks/chain.py). With --write the table is appended to benchmarks/RESULTS.md
with the machine and date. Run it on a quiet machine: two cores are shared.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PG_ADMIN = "host=127.0.0.1 port=5432 user=postgres dbname=postgres"
PERIODE = "2025-07"
STAGES = ("stage:peserta", "ingest:peserta", "ingest:klaim", "stage:p3ke", "ingest:p3ke", "ingest:tinjauan", "link",
          "deal", "decide", "finish", "load_snapshot", "load_period", "report")
WORKERS = 2  # mapped staging tasks run side by side, as on a pool of two workers


@dataclass
class Measured:
    step: str
    seconds: float
    peak_mb: float
    detail: str = ""


def run_measured(step: str, commands: list[list[str]], env: dict[str, str], logs: Path) -> Measured:
    """Run commands side by side to their end: the wall time of the group and the largest peak RSS of
    one of them (os.wait4 per process, so a stage's peak is its own, not a sibling's)."""
    began = time.perf_counter()
    running = {}
    for number, command in enumerate(commands):
        stem = f"{step.replace(':', '_')}.{number}"
        out, err = (logs / f"{stem}.out").open("wb"), (logs / f"{stem}.err").open("wb")
        process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=out, stderr=err)
        running[process.pid] = (stem, out, err)
    peak, failures, last = 0.0, [], ""
    while running:
        pid, status, usage = os.wait4(-1, 0)
        if pid not in running:
            continue
        stem, out, err = running.pop(pid)
        out.close()
        err.close()
        peak = max(peak, usage.ru_maxrss / 1024)
        if os.waitstatus_to_exitcode(status) != 0:
            failures.append((logs / f"{stem}.err").read_text(encoding="utf-8", errors="replace")[-1500:])
        lines = (logs / f"{stem}.out").read_text(encoding="utf-8", errors="replace").strip().splitlines()
        last = lines[-1] if lines else last
    if failures:
        raise SystemExit(f"{step} failed: {failures[0]}")
    return Measured(step, time.perf_counter() - began, peak, last)


def stage_main(stage: str) -> None:
    """One stage in this process (called by the benchmark through `--stage`); prints its summary as JSON."""
    from include import pipeline
    from include.settings import load_settings

    settings = load_settings()
    run_id = "benchmark"
    if stage.startswith("batch:"):
        _, name, index = stage.split(":")
        batches = pipeline.staging_batches(name, settings, WORKERS)
        summary = pipeline.stage_batch(name, settings, batches[int(index)] if int(index) < len(batches) else [])
    elif stage.startswith("ingest:"):
        summary = pipeline.ingest(stage.split(":", 1)[1], settings, [PERIODE], run_id)
        summary = {k: summary[k] for k in ("sumber", "berkas", "baris", "karantina")}
    elif stage == "link":
        summary = pipeline.link_people(settings, deal=False)  # as match_people: the parts are list_parts'
        summary = {k: summary[k] for k in ("orang", "tertaut", "ragu")}
    elif stage == "deal":
        summary = {"bagian": pipeline.deal_parts(settings)}
    elif stage.startswith("parts:"):  # the mapped decide_part tasks one worker of WORKERS would take
        from include.partitions import read_plan

        worker = int(stage.split(":")[1])
        parts = range(worker, len(read_plan(pipeline._parts_dir(settings))["bagian"]), WORKERS)
        summary = {"bagian": [pipeline.decide_part(settings, part, [PERIODE])["bagian"] for part in parts]}
    elif stage == "finish":
        summary = pipeline.finish_month(settings, PERIODE)
    elif stage == "load_snapshot":
        pipeline.prepare_load(settings, run_id, [PERIODE])
        summary = pipeline.load_snapshot(settings, run_id)
    elif stage == "load_period":
        summary = pipeline.load_period(settings, PERIODE, run_id)
        pipeline.finish_load(settings, run_id, [PERIODE])
    elif stage == "report":
        summary = pipeline.write_report(settings, PERIODE)
        summary.pop("folder", None)
    else:
        raise SystemExit(f"unknown stage {stage}")
    print(json.dumps(summary, default=str))


def _create_database() -> tuple[str, str]:
    import psycopg

    name = f"rentan_scale_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    return name, f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"


def _drop_database(name: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def measure_size(rows: int, work: Path, seed: int, landing: Path | None = None) -> list[Measured]:
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    landing = landing or work / "landing"
    database, url = _create_database()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "RENTAN_LANDING": str(landing),
           "RENTAN_REPORTS": str(work / "reports"), "RENTAN_DATA": str(work / "data"),
           "RENTAN_WAREHOUSE_URL": url, "RENTAN_REGION": ""}
    python = sys.executable
    measured = []
    logs = work / "logs"
    logs.mkdir()
    try:
        if not (landing / "p3ke").is_dir():
            measured.append(run_measured("generate (national mode)", [[
                python, "-m", "include.demo", "--mode", "nasional", "--rows", str(rows), "--landing", str(landing),
                "--seed", str(seed)]], env, logs))
        for stage in STAGES:
            if stage.startswith("stage:"):
                commands = [[python, "-m", "benchmarks.scale", "--stage", f"batch:{stage[6:]}:{i}"] for i in range(WORKERS)]
                label = f"{stage} ({WORKERS} mapped tasks side by side)"
            elif stage == "decide":
                commands = [[python, "-m", "benchmarks.scale", "--stage", f"parts:{i}"] for i in range(WORKERS)]
                label = f"decide (the parts on {WORKERS} workers side by side)"
            else:
                commands, label = [[python, "-m", "benchmarks.scale", "--stage", stage]], stage
            measured.append(run_measured(label, commands, env, logs))
            print(f"  {rows:,} {label}: {measured[-1].seconds:.1f} s, {measured[-1].peak_mb:,.0f} MB", flush=True)
    finally:
        _drop_database(database)
    return measured


def table(results: dict[int, list[Measured]]) -> list[str]:
    sizes = sorted(results)
    lines = ["| stage | " + " | ".join(f"{n:,} rows: s | peak MB" for n in sizes) + " |",
             "| --- | " + " | ".join("---: | ---:" for _ in sizes) + " |"]
    steps = [m.step for m in results[sizes[0]]]
    for i, step in enumerate(steps):
        cells = " | ".join(f"{results[n][i].seconds:,.1f} | {results[n][i].peak_mb:,.0f}" for n in sizes)
        lines.append(f"| {step} | {cells} |")
    totals = []
    for n in sizes:
        stages = [m for m in results[n] if not m.step.startswith("generate")]
        totals.append(f"**{sum(m.seconds for m in stages):,.1f}** | **{max(m.peak_mb for m in stages):,.0f}**")
    lines.append("| end to end (stages, generation aside) | " + " | ".join(totals) + " |")
    return lines


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, nargs="+", default=[20_000, 1_000_000])
    parser.add_argument("--workdir", default="/tmp/rentan_scale")
    parser.add_argument("--seed", type=int, default=20250701)
    parser.add_argument("--write", action="store_true", help="append the table to benchmarks/RESULTS.md")
    parser.add_argument("--landing", type=Path, help="use this generated landing zone (one size) instead of generating")
    parser.add_argument("--stage", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.stage:
        stage_main(args.stage)
        return
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                            text=True).stdout.strip()
    results = {}
    for rows in args.rows:
        results[rows] = measure_size(rows, Path(args.workdir) / str(rows), args.seed, args.landing)
        shutil.rmtree(Path(args.workdir) / str(rows), ignore_errors=True)
    stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M+00:00")
    ram = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    lines = [f"## National scale, one month (benchmarks/scale.py), {stamp}", "",
             f"Machine: {platform.machine()}, {os.cpu_count()} cores, {ram:.0f} GB RAM; Python "
             f"{platform.python_version()}; commit {commit}. Month {PERIODE}, RENTAN_REGION empty (all Indonesia), "
             "PostgreSQL warehouse on 127.0.0.1. Each stage is a process of its own: wall time and its own peak "
             "RSS.", "", *table(results), ""]
    print("\n".join(lines))
    if args.write:
        with (ROOT / "benchmarks" / "RESULTS.md").open("a", encoding="utf-8") as out:
            out.write("\n" + "\n".join(lines))


if __name__ == "__main__":
    main()
