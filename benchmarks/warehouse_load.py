"""Measure bulk loading of fact_iuran: the warehouse's COPY path against pandas.to_sql.

Not a test: prints rows/s for 200k synthetic bills loaded into a throw-away PostgreSQL
database (created on 127.0.0.1:5432 as user postgres and dropped afterwards).

    cd <project root> && .venv/bin/python -m benchmarks.warehouse_load [--rows 200000] [--repeat 3]
"""

from __future__ import annotations

import argparse
import statistics
import time
import uuid
from collections.abc import Callable

import numpy as np
import pandas as pd
import psycopg
from psycopg import sql
from sqlalchemy import Engine, text

from include.model import PeriodResult
from include.warehouse import create_schema, get_engine, load_period
from include.warehouse.engine import dialect_of
from include.warehouse.tables import FACT_IURAN, rows_of

PG_ADMIN = "host=127.0.0.1 port=5432 user=postgres dbname=postgres"
PERIODE = "2025-07"


def synthetic_rincian(n: int, seed: int = 7) -> pd.DataFrame:
    """n bills shaped like PeriodResult.rincian (invented values)."""
    rng = np.random.default_rng(seed)
    upah = rng.integers(10, 50, n) * 100_000
    jkk = upah // 100
    desa = rng.integers(2001, 2010, n)
    return pd.DataFrame({
        "periode": PERIODE,
        "kpj": [f"{i:011d}" for i in range(n)],
        "nik": [f"130304{i % 999_999:06d}{i % 9999:04d}" for i in range(n)],
        "nama": [f"Peserta {i}" for i in range(n)],
        "kode_kemdagri": [f"13.03.04.{d}" for d in desa],
        "kecamatan": "Sijunjung",
        "desa_kelurahan": [f"Desa {d}" for d in desa],
        "sumber_dana": rng.choice(["APBD", "APB_NAGARI", "CSR", "MANDIRI"], n),
        "upah_dilaporkan": upah,
        "iuran_jkk": jkk,
        "iuran_jkm": 6800,
        "total_iuran": jkk + 6800,
        "status_tagihan": rng.choice(["BARU", "LANJUTAN"], n),
        "kode_kecamatan": "13.03.04",
        "dari_p3ke": rng.random(n) < 0.3,
        "berkas": "peserta_2025_07.csv",
        "baris": np.arange(2, n + 2),
    })


def period_result(rincian: pd.DataFrame) -> PeriodResult:
    empty = pd.DataFrame()
    return PeriodResult(periode=PERIODE, rincian=rincian, calon=empty, tinjauan=empty, karantina=empty,
                        hasil=empty, kualitas=empty, iuran_bulanan=empty, bobot=empty,
                        ringkasan={"periode": PERIODE})


def clear(engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM fact_iuran"))


def copy_path(engine: Engine, rincian: pd.DataFrame) -> None:
    """Frame -> plain rows (include.warehouse.tables) -> COPY, in one transaction."""
    rows = rows_of(rincian, FACT_IURAN, "rincian", "bench", PERIODE)
    with engine.begin() as conn:
        dialect_of(engine).bulk_insert(conn, FACT_IURAN.name, FACT_IURAN.insert_columns(), rows)


def pandas_to_sql(engine: Engine, rincian: pd.DataFrame, chunksize: int | None = None) -> None:
    """pandas' own path (executemany through SQLAlchemy, `chunksize` rows at a time), one transaction.

    method="multi" was measured too: about 2,300 rows/s, so it is left out to keep this script short.
    """
    frame = rincian[[c for c in FACT_IURAN.insert_columns() if c != "run_id"]].assign(run_id="bench")
    with engine.begin() as conn:
        frame.to_sql("fact_iuran", conn, if_exists="append", index=False, chunksize=chunksize)


def measure(engine: Engine, rincian: pd.DataFrame, load: Callable[[Engine, pd.DataFrame], None], repeat: int) -> float:
    """Median seconds of `repeat` loads into an empty fact_iuran."""
    seconds = []
    for _ in range(repeat):
        clear(engine)
        start = time.perf_counter()
        load(engine, rincian)
        seconds.append(time.perf_counter() - start)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM fact_iuran")).scalar_one() == len(rincian)
    return statistics.median(seconds)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    rincian = synthetic_rincian(args.rows)
    name = f"rentan_bench_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(PG_ADMIN, autocommit=True) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        engine = get_engine(f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}")
        try:
            create_schema(engine)
            start = time.perf_counter()
            rows_of(rincian, FACT_IURAN, "rincian", "bench", PERIODE)
            convert = time.perf_counter() - start
            cases = {
                "COPY path (convert + COPY)": copy_path,
                "load_period (delete + COPY, 1 tx)": lambda e, r: load_period(e, period_result(r), "bench"),
                "pandas to_sql (default)": pandas_to_sql,
            }
            print(f"{args.rows:,} fact_iuran rows into PostgreSQL, median of {args.repeat}")
            print(f"  frame -> plain rows alone: {convert:.2f} s")
            for label, load in cases.items():
                seconds = measure(engine, rincian, load, args.repeat)
                print(f"  {label:<36} {seconds:6.2f} s  {args.rows / seconds:>10,.0f} rows/s")
        finally:
            engine.dispose()
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


if __name__ == "__main__":
    main()
