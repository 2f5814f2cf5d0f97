"""Run the whole chain through Airflow for a range of months, as one run per DAG.

    python -m include.run_chain --from 2022-03 --to 2025-07

Each DAG (ingest, match, load, report) runs once with the months as params, via
Airflow's own `dag.test()` (what `airflow dags test` calls), in one process so
the interpreter and Airflow start once. The months are mapped tasks inside each
DAG: a 41-month backfill is four DAG runs, not 41 chains. With a scheduler, the
same DAGs chain themselves through their Assets.
A failed run exits non-zero and its last line says why.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

CHAIN = ("rentan_ingest", "rentan_match", "rentan_load", "rentan_report")


def run_chain(start: str, end: str) -> tuple[bool, str]:
    from airflow._shared.timezones import timezone
    from airflow.utils.cli import get_bagged_dag

    from include.runs import error_file
    from include.settings import load_settings

    settings = load_settings()
    errors = error_file(settings)
    errors.unlink(missing_ok=True)
    conf = {"periode_dari": start, "periode_sampai": end}
    for dag_id in CHAIN:
        began = time.monotonic()
        run = get_bagged_dag(None, dag_id).test(logical_date=timezone.utcnow(), run_conf=conf)
        print(f"[rentan] {dag_id}: {run.state} in {time.monotonic() - began:.1f} s", flush=True)
        if str(run.state) != "success":
            reason = errors.read_text(encoding="utf-8").strip() if errors.exists() else "see the task log above"
            return False, f"{dag_id} failed ({run.run_id}): {reason}"
    return True, ""


def summary_lines(end: str) -> list[str]:
    from include.reports.formatting import angka, rupiah
    from include.settings import load_settings

    folder = Path(load_settings().reports) / end
    ringkasan = json.loads((folder / "ringkasan.json").read_text(encoding="utf-8"))
    return [
        f"Laporan: {folder.parent}/<YYYY-MM>/ (terakhir: {folder})",
        f"{end}: {angka(ringkasan['peserta']['ditagih'])} peserta ditagih, "
        f"total iuran {rupiah(ringkasan['iuran']['total_iuran'])}",
        f"Kumulatif {ringkasan['kumulatif']['periode_awal']} .. {end}: {rupiah(ringkasan['kumulatif']['total_iuran'])}; "
        f"klaim {angka(ringkasan['kumulatif']['kasus_klaim'])} kasus, "
        f"{rupiah(ringkasan['kumulatif']['nilai_manfaat'])}",
    ]


def month_parser(description: str) -> argparse.ArgumentParser:
    """A command line with --from YYYY-MM and --to YYYY-MM (default: the first month)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--from", dest="start", required=True, help="first month, YYYY-MM")
    parser.add_argument("--to", dest="end", help="last month, YYYY-MM (default: the first)")
    return parser


def months_of(args: argparse.Namespace) -> tuple[str, str] | None:
    """(first, last) month of the parsed --from/--to; None after printing why they are no month range."""
    from include.periods import month_range

    end = args.end or args.start
    try:
        month_range(args.start, end)
    except ValueError as error:
        print(f"rentan: {error}", file=sys.stderr)
        return None
    return args.start, end


def main(argv: list[str] | None = None) -> int:
    months = months_of(month_parser(__doc__.splitlines()[0]).parse_args(argv))
    if months is None:
        return 2
    start, end = months
    began = time.monotonic()
    ok, reason = run_chain(start, end)
    if not ok:
        print(f"rentan: GAGAL: {reason}", flush=True)
        return 1
    for line in summary_lines(end):
        print(line)
    print(f"Selesai dalam {time.monotonic() - began:.0f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
