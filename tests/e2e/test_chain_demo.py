"""The demo scenario through Airflow, 2022-03 .. 2025-07 as one backfill, against the generator's truth.

The truth file is written by the generator from how it built the data (not by
running the pipeline): the seed figures of the program, every month's bills,
the 2025-07 summary, the quarantine list, the candidates and the review list.
Runs once per warehouse (SQLite file and a fresh PostgreSQL database).
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import uuid
from pathlib import Path

import pytest
import sqlalchemy as sa

from tests.conftest import admin_connection
from tests.e2e.conftest import Rentan, _airflow_env

pytestmark = pytest.mark.e2e
FIRST, LAST = "2022-03", "2025-07"


@pytest.fixture(scope="module", params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def demo(request, tmp_path_factory, airflow_home):
    root = tmp_path_factory.mktemp(f"demo_{request.param}")
    database = None
    if request.param == "postgres":
        from psycopg import sql

        admin = admin_connection()
        database = f"rentan_test_{uuid.uuid4().hex[:12]}"
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))
        url = f"postgresql+psycopg://postgres@127.0.0.1:5432/{database}"
    else:
        url = f"sqlite:///{root / 'warehouse.sqlite'}"
    env = {**os.environ, **_airflow_env(airflow_home), "RENTAN_LANDING": str(root / "landing"),
           "RENTAN_REPORTS": str(root / "reports"), "RENTAN_DATA": str(root / "data"),
           "RENTAN_WAREHOUSE_URL": url, "RENTAN_REGION": "13.03"}
    from include.demo import generate

    truth = generate(root / "landing", root / "truth.json", 20250701)
    rentan = Rentan(root=root, env=env)
    backfill = rentan.run(FIRST, LAST)
    assert backfill.returncode == 0, backfill.stdout[-3000:] + backfill.stderr[-3000:]
    yield rentan, truth, backfill, url
    if database:
        from psycopg import sql

        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(database)))
        admin.close()


def ringkasan(rentan, periode) -> dict:
    return json.loads((rentan.reports / periode / "ringkasan.json").read_text(encoding="utf-8"))


def read_csv(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_backfill_reproduces_the_seed_figures(demo):
    rentan, truth, backfill, _ = demo
    lines = backfill.stdout.strip().splitlines()
    assert any("Rp 5.479.891.200" in line for line in lines[-4:])
    last = ringkasan(rentan, LAST)
    assert ringkasan(rentan, FIRST)["peserta"]["ditagih"] == 1_333
    assert last["peserta"]["ditagih"] == 16_590 and last["iuran"]["total_iuran"] == 278_712_000
    assert last["peserta"]["dari_p3ke"] == 5_174
    assert last["kumulatif"] == {"periode_awal": "2022-03", "total_iuran": 5_479_891_200, "kasus_klaim": 119,
                                 "nilai_manfaat": 5_806_253_890}
    assert last["anggaran"]["pagu"] == 3_053_299_200
    assert last == truth["ringkasan"]


def test_every_month_bills_what_the_generator_built(demo):
    rentan, truth, _, _ = demo
    for month in truth["bulanan"]:
        summary = ringkasan(rentan, month["periode"])
        got = {"ditagih": summary["peserta"]["ditagih"], "baru": summary["peserta"]["baru"],
               "dari_p3ke": summary["peserta"]["dari_p3ke"], "total_iuran": summary["iuran"]["total_iuran"]}
        assert got == {k: month[k] for k in got}, month["periode"]
        assert sum(int(r["total_iuran"]) for r in read_csv(rentan.reports / month["periode"] / "rincian_iuran.csv")) \
            == month["total_iuran"]


def test_every_p3ke_row_is_accounted_for_and_lists_match_the_truth(demo):
    rentan, truth, _, _ = demo
    folder = rentan.reports / LAST
    p3ke = ringkasan(rentan, LAST)["p3ke"]
    rows_in_files = sum(f["baris"] for f in truth["berkas"] if f["sumber"] == "p3ke")
    assert p3ke["baris_masuk"] == rows_in_files
    assert sum(v for k, v in p3ke.items() if k != "baris_masuk") == rows_in_files

    karantina = [{k: r[k] for k in ("sumber", "berkas", "baris", "alasan")} for r in read_csv(folder / "karantina.csv")]
    assert karantina == [{**r, "baris": str(r["baris"])} for r in truth["karantina"]]
    calon = read_csv(folder / "calon_peserta.csv")
    assert {j: sum(r["jenis"] == j for r in calon) for j in ("BARU", "REAKTIVASI")} == truth["calon_peserta"]
    assert sorted((r["id_individu"], r["kpj_lama"]) for r in calon if r["jenis"] == "REAKTIVASI") == sorted(
        (r["id_individu"], r["kpj_lama"]) for r in truth["reaktivasi"])
    tinjauan = read_csv(folder / "perlu_tinjauan.csv")
    assert sorted((r["id_individu"], r["kandidat_kpj"]) for r in tinjauan) == sorted(
        (r["id_individu"], r["kandidat_kpj"]) for r in truth["perlu_tinjauan"])


def test_data_quality_counts_match_the_truth(demo):
    _, truth, _, url = demo
    engine = sa.create_engine(url)
    with engine.connect() as connection:
        rows = connection.execute(sa.text("SELECT sumber, temuan, jumlah FROM kualitas_data WHERE periode = :p"),
                                  {"p": LAST}).all()
    engine.dispose()
    found = {(s, t): int(n) for s, t, n in rows}
    for sumber, codes in truth["alasan"].items():
        for code, count in codes.items():
            assert found[(sumber, code)] == count, (sumber, code)
    for sumber, findings in truth["temuan_lunak"].items():
        for name, count in findings.items():
            assert found[(sumber, name)] == count, (sumber, name)


def test_one_month_rerun_after_the_backfill_gives_the_same_bytes(demo):
    rentan, _, _, _ = demo
    folder = rentan.reports / LAST

    def digest():
        return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}

    before = digest()
    rerun = rentan.run(LAST)
    assert rerun.returncode == 0, rerun.stdout[-3000:]
    assert digest() == before
