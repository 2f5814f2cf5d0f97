"""CLI: python -m include.demo --landing data/landing --truth data/demo_truth.json --seed 20250701

Hard-matching data (include.demo.hard) as parquet files instead:
python -m include.demo --mode hard --rows 20000 --out data/hard [--seed 20250701]

National-scale landing files (include.demo.national): one P3KE CSV per kabupaten/kota, one roster CSV:
python -m include.demo --mode nasional --rows 1000000 --landing DIR [--seed 20250701] [--region 13]
"""

from __future__ import annotations

import argparse
import sys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m include.demo",
        description="Generate the synthetic Sijunjung demo scenario (landing files + truth).",
    )
    parser.add_argument(
        "--landing", default="data/landing", help="landing root (its p3ke/, bpjs/, tinjauan/ are replaced)"
    )
    parser.add_argument("--truth", default="data/demo_truth.json", help="where the expected results are written")
    parser.add_argument("--seed", type=int, default=20250701, help="same seed, byte-identical files")
    parser.add_argument("--mode", choices=["demo", "hard", "nasional"], default="demo",
                        help="demo: the Sijunjung scenario; hard: hard-matching data with ground truth; "
                             "nasional: national-scale landing files, one P3KE file per kabupaten/kota")
    parser.add_argument("--rows", type=int, default=20_000,
                        help="hard and nasional modes: P3KE rows (the roster has half)")
    parser.add_argument("--out", default="data/hard", help="hard mode: folder for the parquet files")
    parser.add_argument("--region", default="",
                        help="nasional mode: a province (13) or kabupaten (13.03) code; empty = all Indonesia")
    args = parser.parse_args(argv)
    if args.mode == "hard":
        return _hard(args.rows, args.seed, args.out)
    if args.mode == "nasional":
        return _nasional(args.rows, args.seed, args.landing, args.region)
    from include.demo import generate

    try:
        truth = generate(args.landing, args.truth, args.seed)
    except (OSError, ValueError, RuntimeError) as exc:
        print(f"demo generation failed: {exc}", file=sys.stderr)
        return 1
    r = truth["ringkasan"]
    print(f"demo written to {args.landing}; truth in {args.truth}")
    total = f"{r['kumulatif']['total_iuran']:,}".replace(",", ".")
    print(
        f"P3KE rows {r['p3ke']['baris_masuk']}; billed 2025-07 {r['peserta']['ditagih']} "
        f"(dari_p3ke {r['peserta']['dari_p3ke']}); cumulative Rp {total}"
    )
    return 0


def _hard(rows: int, seed: int, out: str) -> int:
    from include.demo.hard import generate_hard

    try:
        data = generate_hard(rows, seed)
        data.save(out)
    except (OSError, ValueError) as exc:
        print(f"hard-matching generation failed: {exc}", file=sys.stderr)
        return 1
    print(f"hard-matching data in {out}: {len(data.p3ke)} P3KE rows, {len(data.roster)} roster rows, "
          f"{len(data.kembar)} twin pairs")
    return 0


def _nasional(rows: int, seed: int, landing: str, region: str) -> int:
    from include.demo.national import write_national

    try:
        manifest = write_national(landing, rows, seed, region)
    except (OSError, ValueError) as exc:
        print(f"national generation failed: {exc}", file=sys.stderr)
        return 1
    p3ke, peserta = manifest["p3ke"], manifest["peserta"]
    print(f"national landing files in {landing}: {p3ke['baris']} P3KE rows in {p3ke['berkas']} files, "
          f"{peserta['baris']} roster rows in {peserta['berkas']}; billed 2025-07 {peserta['ditagih_2025_07']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
