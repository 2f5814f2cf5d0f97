"""Anchors of issue 5: COPY against psql \\copy and pandas.to_sql, GX validation against plain pandas.

Not a test: one run measures, on the same machine and in the same process,
1. loading the same N fact_iuran rows into PostgreSQL by pandas.to_sql (default executemany, chunks
   of TO_SQL_CHUNK rows), by the warehouse's COPY path (PostgresDialect.bulk_insert on the rows of
   include.warehouse.tables.rows_of; also with that conversion from the frame counted), and by
   `psql \\copy` of a CSV of the same rows written beforehand (the psql process alone is timed); into
   fact_iuran (its primary key and index) and into a table of the same columns without them;
2. Great Expectations validation (validate_rows, the pipeline's path, without Data Docs) against the
   same checks as plain vectorised pandas (include.validation.plain on check_frame) on the same
   normalised P3KE frame; both must give every row the same codes.
Each figure is the median of --repeat runs (wall time; CPU time of this process alongside for the
validation, less disturbed by other work on a shared machine). A PostgreSQL database is created on
127.0.0.1:5432 (user postgres) for the run and dropped afterwards.

    PYTHONPATH=. .venv/bin/python -m benchmarks.anchors --rows 1000000 [--repeat 3] [--to-sql-rows N] [--only load|validation]

`load_anchor(rows, repeat)` and `validation_anchor(rows, repeat)` return the figures as dicts.
"""

from __future__ import annotations

import argparse
import csv
import os
import statistics
import subprocess
import tempfile
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
import psycopg
from psycopg import sql
from sqlalchemy import Engine, text

from benchmarks.warehouse_load import PERIODE, PG_ADMIN, pandas_to_sql, synthetic_rincian
from include.warehouse import create_schema, get_engine
from include.warehouse.engine import dialect_of
from include.warehouse.tables import FACT_IURAN, rows_of

TO_SQL_CHUNK = 10_000
PLAIN_TABLE = "bench_iuran_tanpa_indeks"


# ---------------------------------------------------------------- load: COPY, psql \copy, to_sql


def _median_seconds(run: Callable[[], None], before: Callable[[], None], repeat: int) -> float:
    seconds = []
    for _ in range(repeat):
        before()
        start = time.perf_counter()
        run()
        seconds.append(time.perf_counter() - start)
    return statistics.median(seconds)


def _fingerprint(engine: Engine, table: str) -> tuple:
    """What every load method must leave in the table: the same rows."""
    query = (f"SELECT COUNT(*), COUNT(DISTINCT kpj), SUM(total_iuran), SUM(baris), "  # noqa: S608 - constant names
             f"SUM(CASE WHEN dari_p3ke THEN 1 ELSE 0 END), MD5(STRING_AGG(nama || nik, ',' ORDER BY kpj)) FROM {table}")
    with engine.connect() as conn:
        return tuple(conn.execute(text(query)).one())


def _write_csv(rows: list[tuple], path: Path) -> None:
    """CSV for psql: text quoted, numbers and booleans bare, NULL as an unquoted empty field."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, quoting=csv.QUOTE_NONNUMERIC).writerows(
            tuple(("t" if v else "f") if isinstance(v, bool) else v for v in row) for row in rows
        )


def _psql_copy(database: str, table: str, columns: list[str], path: Path) -> None:
    command = f"\\copy {table} ({', '.join(columns)}) FROM '{path}' WITH (FORMAT csv)"
    subprocess.run(
        ["psql", "-h", "127.0.0.1", "-p", "5432", "-U", "postgres", "-d", database, "-X", "-q", "-v", "ON_ERROR_STOP=1",
         "-c", command],
        check=True,
        env={**os.environ, "PGCONNECT_TIMEOUT": "10"},
    )


def load_anchor(n: int, repeat: int = 3, to_sql_rows: int | None = None) -> dict:
    """Rows/s of each load method for n fact_iuran rows, per target table, and COPY / psql.

    to_sql_rows: pandas.to_sql loads the first that many rows only (all n by default, 0 = left out).
    """
    rincian = synthetic_rincian(n)
    columns = FACT_IURAN.insert_columns()
    name = f"rentan_anchors_{uuid.uuid4().hex[:8]}"
    figures: dict = {"rows": n, "repeat": repeat, "tables": {}}
    with psycopg.connect(PG_ADMIN, autocommit=True) as admin, tempfile.TemporaryDirectory() as tmp:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        engine = get_engine(f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}")
        try:
            create_schema(engine)
            with engine.begin() as conn:
                conn.execute(text(f"CREATE TABLE {PLAIN_TABLE} (LIKE fact_iuran INCLUDING DEFAULTS)"))
            start = time.perf_counter()
            rows = rows_of(rincian, FACT_IURAN, "rincian", "bench", PERIODE)
            figures["rows_of_seconds"] = time.perf_counter() - start
            csv_path = Path(tmp) / "fact_iuran.csv"
            _write_csv(rows, csv_path)
            dialect = dialect_of(engine)

            for table in ("fact_iuran", PLAIN_TABLE):
                def empty(table: str = table) -> None:
                    with engine.begin() as conn:
                        conn.execute(text(f"TRUNCATE {table}"))

                def copy(table: str = table, convert: bool = False) -> None:
                    data = rows_of(rincian, FACT_IURAN, "rincian", "bench", PERIODE) if convert else rows
                    with engine.begin() as conn:
                        dialect.bulk_insert(conn, table, columns, data)

                cases: dict[str, Callable[[], None]] = {
                    "COPY path (rows ready)": copy,
                    "COPY path (frame -> rows -> COPY)": lambda table=table: copy(table, convert=True),
                    "psql \\copy (CSV ready)": lambda table=table: _psql_copy(name, table, columns, csv_path),
                }
                results, prints = {}, set()
                for label, run in cases.items():
                    seconds = _median_seconds(run, empty, repeat)
                    prints.add(_fingerprint(engine, table))
                    results[label] = {"seconds": seconds, "rows_per_s": n / seconds}
                k = n if to_sql_rows is None else min(to_sql_rows, n)
                if k and table == "fact_iuran":
                    part = rincian.head(k)
                    seconds = _median_seconds(lambda part=part: pandas_to_sql(engine, part, TO_SQL_CHUNK), empty, 1)
                    if k == n:
                        prints.add(_fingerprint(engine, table))
                    elif _fingerprint(engine, table)[0] != k:
                        raise AssertionError(f"pandas.to_sql left other than {k} rows")
                    label = f"pandas.to_sql (chunksize {TO_SQL_CHUNK:,}{'' if k == n else f'; first {k:,} rows'})"
                    results[label] = {"seconds": seconds, "rows_per_s": k / seconds}
                if len(prints) != 1:
                    raise AssertionError(f"{table}: the load methods left different rows: {prints}")
                copy_rate = results["COPY path (rows ready)"]["rows_per_s"]
                psql_rate = results["psql \\copy (CSV ready)"]["rows_per_s"]
                figures["tables"][table] = {"methods": results, "copy_over_psql": copy_rate / psql_rate}
        finally:
            engine.dispose()
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
    return figures


# ---------------------------------------------------------------- validation: GX against plain pandas


def synthetic_p3ke(n: int, seed: int = 5) -> pd.DataFrame:
    """n normalised P3KE rows (include.sources.p3ke.normalise of invented raw cells), about 3 % of them
    breaking one hard rule each, every rule about equally often."""
    from include.sources import p3ke
    from include.wilayah import load_wilayah

    rng = np.random.default_rng(seed)
    wilayah = load_wilayah()
    desa = np.array(wilayah.desa_codes("13.03"))
    luar = wilayah.desa_codes("11.01")[0]
    i = np.arange(n)
    day, month, year = rng.integers(1, 29, n), rng.integers(1, 13, n), rng.integers(50, 100, n)
    female = rng.random(n) < 0.5
    raw = pd.DataFrame({
        "id_keluarga_p3ke": [f"KEL{k:08d}" for k in i // 4],
        "id_individu": [f"IND{k:09d}" for k in i],
        "nama": [f"Nama Orang {k}" for k in i],
        "nik": [f"130304{d:02d}{m:02d}{y:02d}{s:04d}"
                for d, m, y, s in zip(np.where(female, day + 40, day), month, year, i % 10_000, strict=True)],
        "jenis_kelamin": np.where(female, "P", "L").astype(object),
        "tanggal_lahir": [f"19{y:02d}-{m:02d}-{d:02d}" for d, m, y in zip(day, month, year, strict=True)],
        "kode_kemdagri": desa[rng.integers(0, len(desa), n)].astype(object),
        "desil_kesejahteraan": rng.integers(1, 5, n).astype(str).astype(object),
        "pekerjaan": rng.choice(["PETANI", "BURUH TANI", "PEDAGANG"], n).astype(object),
    }).astype(object)
    broken = np.flatnonzero(rng.random(n) < 0.03)
    defects = [("nik", None), ("nik", "12345"), ("nik", "1.30304E+15"), ("nik", "1303043206900001"), ("nama", None),
               ("tanggal_lahir", "bukan tanggal"), ("jenis_kelamin", "X"), ("desil_kesejahteraan", "7"),
               ("kode_kemdagri", "13.03.99.2999"), ("kode_kemdagri", luar), ("id_individu", None)]
    kinds = rng.integers(0, len(defects), len(broken))
    for k, (column, value) in enumerate(defects):
        raw.loc[broken[kinds == k], column] = value
    return p3ke.normalise(raw, "p3ke_anchors.csv", "ab" * 32)


def _plain_codes(frame: pd.DataFrame, region: str) -> np.ndarray:
    """The same checks as plain vectorised pandas: derived columns, the suite's rules, codes joined per row."""
    from include.validation.checks import check_frame
    from include.validation.plain import plain_failures
    from include.validation.runner import _join_codes

    checks = check_frame("p3ke", frame, region=region, known_kpj=None)
    masks = plain_failures("p3ke", checks)
    return _join_codes({code: mask for (severity, code), mask in masks.items() if severity == "critical"}, len(checks))


def validation_anchor(n: int, repeat: int = 3, region: str = "13.03") -> dict:
    """Rows/s of GX validation (validate_rows) and of plain pandas on the same P3KE frame, and GX / plain."""
    from include.validation import validate_rows

    frame = synthetic_p3ke(n)
    validate_rows("p3ke", frame.head(100), region=region, run_name="anchors", docs_dir=None)  # GX imported, context up
    timings: dict[str, dict[str, list[float]]] = {"gx": {"wall": [], "cpu": []}, "plain": {"wall": [], "cpu": []}}
    gx_codes = plain_codes = None
    for _ in range(repeat):  # alternating, so both see the same machine
        for side in ("gx", "plain"):
            wall, cpu = time.perf_counter(), time.process_time()
            if side == "gx":
                gx_codes = validate_rows("p3ke", frame, region=region, run_name="anchors", docs_dir=None).alasan.to_numpy()
            else:
                plain_codes = _plain_codes(frame, region)
            timings[side]["wall"].append(time.perf_counter() - wall)
            timings[side]["cpu"].append(time.process_time() - cpu)
    if not np.array_equal(gx_codes, plain_codes):
        raise AssertionError("GX and plain pandas gave different codes")
    figures: dict = {"rows": n, "repeat": repeat, "quarantined": int((gx_codes != "").sum())}
    for side, series in timings.items():
        wall, cpu = statistics.median(series["wall"]), statistics.median(series["cpu"])
        figures[side] = {"seconds": wall, "cpu_seconds": cpu, "rows_per_s": n / wall, "all_wall": series["wall"]}
    figures["gx_over_plain"] = figures["gx"]["seconds"] / figures["plain"]["seconds"]
    figures["gx_over_plain_cpu"] = figures["gx"]["cpu_seconds"] / figures["plain"]["cpu_seconds"]
    return figures


# ---------------------------------------------------------------- report


def markdown(load: dict | None, validation: dict | None) -> str:
    lines = []
    if load:
        lines += [f"Load of {load['rows']:,} fact_iuran rows into PostgreSQL (median of {load['repeat']}; to_sql once; "
                  f"frame -> rows alone {load['rows_of_seconds']:.2f} s)", "",
                  "| table | method | seconds | rows/s |", "| --- | --- | ---: | ---: |"]
        for table, result in load["tables"].items():
            for label, m in result["methods"].items():
                lines.append(f"| {table} | {label} | {m['seconds']:.2f} | {m['rows_per_s']:,.0f} |")
            lines.append(f"| {table} | **COPY / psql \\copy** | | **{result['copy_over_psql']:.2f}** |")
        lines.append("")
    if validation:
        v = validation
        lines += [f"Validation of {v['rows']:,} P3KE rows ({v['quarantined']:,} quarantined; median of {v['repeat']})", "",
                  "| path | seconds | CPU seconds | rows/s |", "| --- | ---: | ---: | ---: |"]
        for side, label in (("gx", "Great Expectations (validate_rows)"), ("plain", "plain vectorised pandas")):
            lines.append(f"| {label} | {v[side]['seconds']:.2f} | {v[side]['cpu_seconds']:.2f} | {v[side]['rows_per_s']:,.0f} |")
        lines.append(f"| **GX / plain** | **{v['gx_over_plain']:.2f}** | **{v['gx_over_plain_cpu']:.2f}** | |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--to-sql-rows", type=int, help="pandas.to_sql loads only the first that many rows (0: none)")
    parser.add_argument("--only", choices=("load", "validation"))
    args = parser.parse_args()
    validation = validation_anchor(args.rows, args.repeat) if args.only != "load" else None
    load = load_anchor(args.rows, args.repeat, args.to_sql_rows) if args.only != "validation" else None
    print(markdown(load, validation))


if __name__ == "__main__":
    main()
