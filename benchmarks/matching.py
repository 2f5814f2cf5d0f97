"""Accuracy, review queue, time and memory of the matcher on hard-matching data, run on demand:

    PYTHONPATH=. .venv/bin/python -m benchmarks.matching --rows 20000 1000000 [--seed 20250701] [--no-save]

For each size: include.demo.hard.generate_hard(rows, seed) (P3KE rows, a roster of rows // 2, truth), then
(a) exact NIK only (equal usable NIK: same person; P3KE row -> KPJ on equal NIK) and (b) Rentan's matcher,
include.matching.link(p3ke, roster, tinjauan, policy). Scores are pairwise, over the P3KE rows the matcher
sees (rows with an Excel-damaged NIK are quarantined upstream, alasan NIK_RUSAK_EXCEL, and left out):
"already insured" compares the (P3KE row, KPJ) pairs linked with the true ones; "duplicates" compares the
pairs of P3KE rows put in one person with the pairs of rows of one true person. A link or a merge counts only
when confident: uncertain pairs (Links.ragu) are the review queue, counted as distinct P3KE rows (persons)
and as % of P3KE rows. A twin pair is merged when the twins' rows share a person or one twin's row is
linked to the other's KPJ.

The matcher runs in a subprocess that unpickles the inputs, then calls link(): time is the wall time of
that call; peak RSS is the subprocess's ru_maxrss, so it includes the loaded inputs (their RSS before the
call is printed too). The table is printed and appended to benchmarks/RESULTS.md with machine and date.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from include.demo.hard import SEED, HardData, generate_hard

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).with_name("RESULTS.md")
HEADER = "# Benchmark results\n\nFigures written by the scripts in benchmarks/ (machine and date with each run).\n"
COLUMNS = ["P3KE rows", "roster rows", "matcher", "insured P", "insured R", "insured F1", "duplicates P",
           "duplicates R", "duplicates F1", "review queue (% of rows)", "twin pairs merged", "time (s)",
           "peak RSS (MB)"]


@dataclass(frozen=True)
class Scores:
    """Pairwise counts: true positives, predicted pairs, true pairs. Precision (recall) is 1.0 when nothing
    is predicted (nothing is true)."""

    tp: int
    predicted: int
    actual: int

    @property
    def precision(self) -> float:
        return self.tp / self.predicted if self.predicted else 1.0

    @property
    def recall(self) -> float:
        return self.tp / self.actual if self.actual else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def pair_scores(truth: pd.DataFrame, predicted: pd.DataFrame) -> Scores:
    """Scores of predicted pairs against true pairs: frames with the same two columns, duplicates counted once."""
    truth, predicted = truth.drop_duplicates(), predicted[list(truth.columns)].drop_duplicates()
    tp = len(truth.merge(predicted, on=list(truth.columns)))
    return Scores(tp=tp, predicted=len(predicted), actual=len(truth))


def _pairs_within(*labels: pd.Series) -> int:
    sizes = pd.concat(labels, axis=1).value_counts().to_numpy()
    return int((sizes * (sizes - 1) // 2).sum())


def cluster_scores(truth: pd.Series, predicted: pd.Series) -> Scores:
    """Pairwise scores of a clustering against the true one: labels of the same items, aligned by index."""
    predicted = predicted.reindex(truth.index)
    return Scores(tp=_pairs_within(truth.rename("t"), predicted.rename("p")), predicted=_pairs_within(predicted),
                  actual=_pairs_within(truth))


def exact_nik(p3ke: pd.DataFrame, roster: pd.DataFrame) -> tuple[pd.Series, pd.DataFrame]:
    """The exact-NIK baseline: (person label per P3KE urut, (urut, kpj) links) on equal usable NIKs."""
    rows = p3ke[p3ke["alasan"] == ""]
    nik = _usable(rows)
    label = nik.where(nik.notna(), "urut:" + rows["urut"].astype(str))
    orang = pd.Series(label.to_numpy(), index=rows["urut"].to_numpy())
    links = pd.DataFrame({"urut": rows["urut"], "nik": nik}).dropna().merge(
        pd.DataFrame({"kpj": roster["kpj"], "nik": _usable(roster)}).dropna(), on="nik")
    return orang, links[["urut", "kpj"]]


def _usable(frame: pd.DataFrame) -> pd.Series:
    nik = frame["nik"].astype("string")
    return nik.where(nik.str.fullmatch(r"\d{16}").fillna(False) & ~frame["nik_rusak_excel"].astype(bool))


def matcher_output(orang: pd.Series, peserta: pd.DataFrame) -> tuple[pd.Series, pd.DataFrame]:
    """Links.orang / Links.peserta as (person label per urut, (urut, kpj) links)."""
    rows = orang.rename("orang").rename_axis("urut").reset_index()
    return orang, rows.merge(peserta[["orang", "kpj"]], on="orang")[["urut", "kpj"]]


def evaluate(data: HardData, orang: pd.Series, links: pd.DataFrame) -> dict[str, object]:
    """Insured and duplicate scores and merged twin pairs of one matcher's output on the hard data."""
    rows = data.p3ke_truth[(data.p3ke["alasan"] == "").to_numpy()]
    truth_orang = pd.Series(rows["orang"].to_numpy(), index=rows["urut"].to_numpy())
    predicted = orang.reindex(truth_orang.index)
    predicted = predicted.astype(object).where(predicted.notna(), ("alone:" + predicted.index.astype(str)).to_numpy())
    true_links = rows.merge(data.roster_truth[["kpj", "orang"]], on="orang")[["urut", "kpj"]]
    links = links[links["urut"].isin(truth_orang.index)]
    return {"insured": pair_scores(true_links, links), "duplicates": cluster_scores(truth_orang, predicted),
            "twins": twins_merged(data, truth_orang, predicted, links)}


def twins_merged(data: HardData, truth_orang: pd.Series, predicted: pd.Series, links: pd.DataFrame) -> int:
    """Twin pairs whose rows share a predicted person, or where one twin's row is linked to the other's KPJ."""
    label = pd.DataFrame({"orang": truth_orang.to_numpy(), "label": predicted.to_numpy()}).drop_duplicates()
    same = data.kembar.merge(label.rename(columns={"orang": "orang_a"}), on="orang_a").merge(
        label.rename(columns={"orang": "orang_b"}), on=["orang_b", "label"])
    linked = links.assign(orang_a=links["urut"].map(truth_orang)).merge(
        data.roster_truth[["kpj", "orang"]].rename(columns={"orang": "orang_b"}), on="kpj")
    crossed = pd.concat([linked[["orang_a", "orang_b"]],
                         linked[["orang_a", "orang_b"]].set_axis(["orang_b", "orang_a"], axis=1)])
    crossed = data.kembar.merge(crossed, on=["orang_a", "orang_b"])
    return len(pd.concat([same[["orang_a", "orang_b"]], crossed]).drop_duplicates())


def run_matcher(data: HardData, metode: str) -> tuple[object, float, float, float]:
    """include.matching.link in a subprocess: (Links, seconds of the call, peak RSS MB, RSS MB before the call)."""
    from include.matching import Links

    with tempfile.TemporaryDirectory(prefix="rentan_match_bench_") as folder:
        pd.to_pickle((data.p3ke, data.roster, data.tinjauan), Path(folder) / "input.pkl")
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
        done = subprocess.run([sys.executable, "-m", "benchmarks.matching", "--worker", folder, "--metode", metode],
                              cwd=ROOT, env=env,
                              capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise SystemExit(f"benchmarks.matching: the matcher failed: {done.stderr.strip()[-2000:]}")
        measured = json.loads(Path(folder, "measured.json").read_text(encoding="utf-8"))
        links = Links.load(Path(folder) / "links")
    return links, measured["seconds"], measured["peak_mb"], measured["before_mb"]


def _worker(folder: str, metode: str) -> None:
    import dataclasses

    from include.matching import link
    from include.policy import default_policy

    p3ke, roster, tinjauan = pd.read_pickle(Path(folder) / "input.pkl")
    policy = dataclasses.replace(default_policy(), metode=metode)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    began = time.perf_counter()
    links = link(p3ke, roster, tinjauan, policy)
    seconds = time.perf_counter() - began
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    links.save(Path(folder) / "links")
    Path(folder, "measured.json").write_text(json.dumps({"seconds": seconds, "peak_mb": peak, "before_mb": before}))


def _row(data: HardData, name: str, result: dict, queue: int, seconds: float, peak: str) -> list[str]:
    rows, ins, dup = len(data.p3ke), result["insured"], result["duplicates"]
    return [f"{rows:,}", f"{len(data.roster):,}", name, f"{ins.precision:.4f}", f"{ins.recall:.4f}", f"{ins.f1:.4f}",
            f"{dup.precision:.4f}", f"{dup.recall:.4f}", f"{dup.f1:.4f}", f"{queue:,} ({100 * queue / rows:.2f} %)",
            f"{result['twins']} of {len(data.kembar)}", f"{seconds:.1f}", peak]


def bench(rows: int, seed: int, metodes: list[str]) -> tuple[list[list[str]], str]:
    """Table rows (exact NIK, matcher) for one size, and a note line."""
    began = time.perf_counter()
    data = generate_hard(rows, seed)
    generated = time.perf_counter() - began
    began = time.perf_counter()
    orang, links = exact_nik(data.p3ke, data.roster)
    exact_seconds = time.perf_counter() - began
    table = [_row(data, "exact NIK", evaluate(data, orang, links), 0, exact_seconds, "(in process)")]
    for metode in metodes:
        result, seconds, peak, before = run_matcher(data, metode)
        queue = int(result.ragu["urut"].nunique()) if len(result.ragu) else 0
        table.append(_row(data, f"include.matching.link ({metode})",
                          evaluate(data, *matcher_output(result.orang, result.peserta)), queue, seconds, f"{peak:,.0f}"))
    left_out = int((data.p3ke["alasan"] != "").sum())
    note = (f"{rows:,} rows: generated in {generated:.1f} s; {left_out:,} P3KE rows with an Excel-damaged NIK left "
            f"out (quarantined); matcher process RSS with inputs loaded {before:,.0f} MB; review pairs "
            f"{len(result.ragu):,}")
    return table, note


def _version() -> str:
    """The commit of the tree and whether the matcher's files differ from it."""
    def git(*args: str) -> str:
        done = subprocess.run(["git", "-C", str(ROOT), *args], capture_output=True, text=True, check=False)
        return done.stdout.strip() if done.returncode == 0 else ""

    commit = git("rev-parse", "--short", "HEAD") or "no git commit"
    dirty = git("status", "--porcelain", "--", "include/matching.py", "include/linkage", "include/names.py")
    return commit + (" with uncommitted changes to the matcher" if dirty else "")


def _machine() -> str:
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, {memory:.0f} GB RAM; "
            f"Python {platform.python_version()}")


def markdown(table: list[list[str]]) -> str:
    lines = ["| " + " | ".join(COLUMNS) + " |", "| " + " | ".join(["---"] * 3 + ["---:"] * (len(COLUMNS) - 3)) + " |"]
    return "\n".join(lines + ["| " + " | ".join(row) + " |" for row in table])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.matching")
    parser.add_argument("--rows", type=int, nargs="+", default=[20_000], help="P3KE row counts, one run each")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--no-save", action="store_true", help="print only; do not append to benchmarks/RESULTS.md")
    parser.add_argument("--metode", nargs="+", default=["sederhana", "splink"], choices=["sederhana", "splink"],
                        help="matching methods (policy.yaml pencocokan.metode) to measure")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        _worker(args.worker, args.metode[0])
        return
    import include.matching

    matcher = (include.matching.__doc__ or "").strip().splitlines()[0]
    table, notes = [], []
    for rows in args.rows:
        part, note = bench(rows, args.seed, args.metode)
        table += part
        notes.append(note)
        print(markdown(part), flush=True)
    when = dt.datetime.now().astimezone().isoformat(timespec="minutes")
    text = (f"\n## Matching accuracy (benchmarks/matching.py), {when}\n\nMachine: {_machine()}. Seed {args.seed}. "
            f"Matcher: include/matching.py at {_version()}, \"{matcher}\". Time: wall time of link() in a "
            f"subprocess; peak RSS: that subprocess's ru_maxrss, inputs included.\n\n{markdown(table)}\n\n"
            + "\n".join(f"- {n}" for n in notes) + "\n")
    print(text)
    if not args.no_save:
        new = not RESULTS.exists() or not RESULTS.read_text(encoding="utf-8").strip()
        with RESULTS.open("a", encoding="utf-8") as handle:
            handle.write((HEADER if new else "") + text)


if __name__ == "__main__":
    main()
