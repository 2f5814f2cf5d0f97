"""Failing corpus files dropped into a landed month, one at a time: each run fails at ingest naming the
file and the reason, and the warehouse and the month's report stay as they were."""

from __future__ import annotations

import shutil

import pytest

from tests.corpus import build
from tests.corpus.cases import CASES, Fails
from tests.e2e.landing_kecil import P3KE_ROWS, write_landing
from tests.e2e.test_chain_landing_kecil import business_rows, digest

pytestmark = pytest.mark.e2e
FAILING = ["p3ke/enam_persen.csv", "p3ke/acak.xlsx", "p3ke/kolom_hilang.csv"]
ERRORS = {f: case.outcome.error for case in CASES if isinstance(case.outcome, Fails) for f in case.files}


def test_failing_files_fail_the_run_and_change_nothing(rentan):
    write_landing(rentan.landing)
    first = rentan.run("2025-07")
    assert first.returncode == 0, first.stdout[-3000:] + first.stderr[-3000:]
    report = rentan.reports / "2025-07"
    url = rentan.env["RENTAN_WAREHOUSE_URL"]
    files, rows = digest(report), business_rows(url)
    assert rows["fact_iuran"], "the warehouse holds the month's bills"
    build.build()
    personal = {value for row in P3KE_ROWS for value in row[2:4]} | {p.nama for p in build.PEOPLE.values()}
    assert build.PEOPLE, "the corpus people are known"

    for relative in FAILING:
        dropped = rentan.landing / relative
        shutil.copyfile(build.CORPUS / relative, dropped)
        result = rentan.run("2025-07")
        dropped.unlink()

        assert result.returncode != 0, relative
        last = result.stdout.strip().splitlines()[-1]
        assert last.startswith("rentan: GAGAL: rentan_ingest failed ("), last
        assert last.endswith(f"): {ERRORS[relative]}"), last
        assert "[rentan] rentan_match" not in result.stdout
        assert not [value for value in personal if value in last]
        assert digest(report) == files, relative
        assert business_rows(url) == rows, relative
