"""Time and peak memory of the demo chain through Airflow, run on demand:

    PYTHONPATH=. .venv/bin/python -m benchmarks.chain [--workdir /tmp/rentan_bench]

Generates the demo scenario, runs the 41-month backfill (four DAG runs), then
one month again (cached ingest), and prints one table row per step. Uses the
project's Airflow settings (AIRFLOW_HOME etc.) from the environment, as `make`
sets them. Results are written down in benchmarks/RESULTS.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import resource
import subprocess
import sys
import time
from pathlib import Path


def _run(command: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    began = time.perf_counter()
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - began
    peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed: {result.stdout[-500:]}")
    return elapsed, peak_mb, result.stdout


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workdir", default="/tmp/rentan_bench")
    args = parser.parse_args()
    work = Path(args.workdir)
    env = {**os.environ, "RENTAN_LANDING": str(work / "landing"), "RENTAN_REPORTS": str(work / "reports"),
           "RENTAN_DATA": str(work / "data")}
    python = sys.executable
    print(f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} cores; python {platform.python_version()}")
    print("| step | seconds | peak RSS of a child so far (MB) |")
    print("| --- | ---: | ---: |")
    seconds, peak, _ = _run([python, "-m", "include.demo", "--landing", str(work / "landing"), "--truth",
                             str(work / "truth.json")], env)
    print(f"| generate demo scenario | {seconds:.1f} | {peak:.0f} |")
    seconds, peak, out = _run([python, "-m", "include.run_chain", "--from", "2022-03", "--to", "2025-07"], env)
    print(f"| backfill 2022-03 .. 2025-07 (4 DAG runs) | {seconds:.1f} | {peak:.0f} |")
    for dag_id, took in re.findall(r"\[rentan\] (\w+): success in ([\d.]+) s", out):
        print(f"| &nbsp; {dag_id} | {float(took):.1f} | |")
    seconds, peak, _ = _run([python, "-m", "include.run_chain", "--from", "2025-07"], env)
    print(f"| one month 2025-07 again (files already staged) | {seconds:.1f} | {peak:.0f} |")


if __name__ == "__main__":
    main()
