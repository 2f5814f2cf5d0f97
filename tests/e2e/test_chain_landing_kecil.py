"""The whole chain through Airflow on hand-written landing files, on SQLite and on PostgreSQL.

Every P3KE row must end in its expected outcome, the bills and totals must be
exact, a rerun must change nothing, and a bad file must fail the run with a
reason naming it while nothing is reported for the month.
"""

from __future__ import annotations

import csv
import hashlib
import json

import pytest
import sqlalchemy as sa

from include.warehouse.sqlfiles import query
from tests.e2e.conftest import smtp_server
from tests.e2e.landing_kecil import CALON, EXPECTED_2025_07, P3KE_HEADER, P3KE_ROWS, PESERTA_ROWS, write_landing

pytestmark = pytest.mark.e2e


def read_csv(path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def ringkasan(rentan, periode) -> dict:
    return json.loads((rentan.reports / periode / "ringkasan.json").read_text(encoding="utf-8"))


def digest(folder) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def business_rows(url: str) -> dict[str, list[tuple]]:
    """Every warehouse table's rows without the audit columns (run ids, load times)."""
    engine = sa.create_engine(url)
    rows = {}
    with engine.connect() as connection:
        inspector = sa.inspect(connection)
        for table in sorted(inspector.get_table_names()):
            if table.startswith("audit"):
                continue
            columns = [c["name"] for c in inspector.get_columns(table) if c["name"] not in ("run_id", "loaded_at")]
            select = sa.text(f'SELECT {", ".join(columns)} FROM {table}')  # names come from the schema
            rows[table] = sorted(tuple(map(str, r)) for r in connection.execute(select))
    engine.dispose()
    return rows


def test_backfill_gives_every_outcome_bill_and_total(rentan):
    write_landing(rentan.landing)
    result = rentan.run("2025-06", "2025-07")
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "Rp 99.000" in result.stdout.splitlines()[-3]

    summary = ringkasan(rentan, "2025-07")
    for section, expected in EXPECTED_2025_07.items():
        assert summary[section] == expected, section
    assert sum(v for k, v in summary["p3ke"].items() if k != "baris_masuk") == summary["p3ke"]["baris_masuk"]
    assert summary["anggaran"]["pagu"] == 3_053_299_200
    assert ringkasan(rentan, "2025-06")["peserta"]["ditagih"] == 4

    folder = rentan.reports / "2025-07"
    assert sorted(p.name for p in folder.iterdir()) == sorted([
        "rincian_iuran.csv", "rekap_iuran.csv", "calon_peserta.csv", "perlu_tinjauan.csv", "karantina.csv",
        "ringkasan.json", "laporan.xlsx", "laporan.html"])
    calon = read_csv(folder / "calon_peserta.csv")
    assert {r["id_individu"]: r["jenis"] for r in calon} == CALON
    assert [r["prioritas"] for r in calon] == ["1", "2"]
    assert next(r for r in calon if r["jenis"] == "REAKTIVASI")["kpj_lama"] == "01234567892"

    tinjauan = read_csv(folder / "perlu_tinjauan.csv")
    assert [(r["id_individu"], r["kandidat_kpj"]) for r in tinjauan] == [("P009", "01234567894")]

    karantina = read_csv(folder / "karantina.csv")
    assert [(r["sumber"], r["baris"], r["alasan"]) for r in karantina] == [
        ("p3ke", "6", "NIK_FORMAT"), ("p3ke", "13", "WILAYAH_DI_LUAR"), ("peserta", "9", "KPJ_FORMAT")]

    rincian = read_csv(folder / "rincian_iuran.csv")
    assert [r["kpj"] for r in rincian] == ["01234567890", "01234567891", "01234567894", "01234567895",
                                           "01234567896"]
    assert {r["kpj"]: r["status_tagihan"] for r in rincian}["01234567891"] == "BARU"
    rekap = read_csv(folder / "rekap_iuran.csv")
    assert sum(int(r["total_iuran"]) for r in rekap) == 99_000
    assert any(r["kecamatan"] == "TIDAK DIKETAHUI" and r["sumber_dana"] == "MANDIRI" for r in rekap)


def test_three_runs_of_a_month_change_no_row_and_no_byte(rentan):
    write_landing(rentan.landing)
    assert rentan.run("2025-07").returncode == 0
    first_files = digest(rentan.reports / "2025-07")
    first_rows = business_rows(rentan.env["RENTAN_WAREHOUSE_URL"])
    for attempt in (2, 3):
        again = rentan.run("2025-07")
        assert again.returncode == 0, again.stdout[-2000:]
        assert digest(rentan.reports / "2025-07") == first_files, f"run {attempt}"
        assert business_rows(rentan.env["RENTAN_WAREHOUSE_URL"]) == first_rows, f"run {attempt}"
    assert first_rows["fact_iuran"], "the warehouse holds the month's bills"
    assert first_rows["riwayat_hasil_p3ke"] == [], "identical runs leave no replaced decision"


def test_a_new_p3ke_file_redecides_the_month_and_keeps_the_old_decision(rentan):
    write_landing(rentan.landing)
    assert rentan.run("2025-07").returncode == 0
    before = ringkasan(rentan, "2025-07")["p3ke"]

    # A file that sorts first: Yusnimar (P002) again under a new id, and one new eligible worker.
    yusnimar = next(r for r in P3KE_ROWS if r[1] == "P002")
    new_rows = [("K01", "P201", *yusnimar[2:9], "YA"),
                ("K20", "P202", "Elfina", "1303046101920021", "P", "21-01-1992", "13.03.04.2001", "1", "PEDAGANG", "YA")]
    with open(rentan.landing / "p3ke" / "p3ke_a_susulan.csv", "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([P3KE_HEADER, *new_rows])
    result = rentan.run("2025-07")
    assert result.returncode == 0, result.stdout[-2000:]

    after = ringkasan(rentan, "2025-07")["p3ke"]
    assert after["baris_masuk"] == before["baris_masuk"] + 2
    assert after["duplikat_p3ke"] == before["duplikat_p3ke"] + 1
    assert after["calon_peserta"] == before["calon_peserta"] + 1
    calon = {r["id_individu"] for r in read_csv(rentan.reports / "2025-07" / "calon_peserta.csv")}
    assert {"P201", "P202"} <= calon and "P002" not in calon

    engine = sa.create_engine(rentan.env["RENTAN_WAREHOUSE_URL"])
    with engine.connect() as conn:
        trail = conn.execute(sa.text(query("select_riwayat_hasil_p3ke")), {"id_individu": "P002"}).all()
        runs = conn.execute(sa.text("SELECT DISTINCT run_id FROM fact_hasil_p3ke")).scalars().all()
    engine.dispose()
    assert [(r.periode, r.berkas, r.hasil) for r in trail] == [
        ("2025-07", "p3ke_sijunjung.csv", "duplikat_p3ke"), ("2025-07", "p3ke_sijunjung.csv", "calon_peserta")]
    assert trail[1].diganti_oleh_run == trail[0].run_id == runs[0] != trail[1].run_id


@pytest.fixture
def inbox(rentan):
    with smtp_server(rentan) as handler:
        yield handler


def test_a_file_over_the_quarantine_limit_fails_the_run_alerts_and_reports_nothing(rentan, inbox):
    write_landing(rentan.landing)
    bad = rentan.landing / "p3ke" / "p3ke_tambahan.csv"
    with open(bad, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(P3KE_HEADER)
        for i, row in enumerate(P3KE_ROWS[:20]):
            nik = "12345" if i % 2 else row[3]          # half of the rows broken, plus P005's own bad NIK
            writer.writerow([row[0], f"X{i}", row[2], nik, *row[4:9], "YA"])
    result = rentan.run("2025-07")
    assert result.returncode != 0
    last = result.stdout.strip().splitlines()[-1]
    assert "p3ke/p3ke_tambahan.csv" in last and "NIK_FORMAT=11" in last and "> 5 %" in last
    assert not (rentan.reports / "2025-07").exists()
    assert "1303041203800001" not in result.stdout + result.stderr

    assert len(inbox.messages) == 1
    alert = inbox.messages[0]
    body = alert.get_payload(decode=True).decode() if not alert.is_multipart() else "".join(
        part.get_payload(decode=True).decode() for part in alert.walk() if part.get_content_maintype() == "text")
    assert "rentan_ingest" in alert["Subject"]
    for expected in ("ingest_p3ke", "p3ke/p3ke_tambahan.csv", "NIK_FORMAT=11", "55.0 %"):
        assert expected in body
    for personal in ("1303041203800001", "Syafrizal", "Yusnimar", "1980-03-12"):
        assert personal not in body


def test_review_decision_is_applied_and_remembered_after_its_file_leaves(rentan):
    write_landing(rentan.landing)
    decisions = rentan.landing / "tinjauan" / "tinjauan_2025-07.csv"
    decisions.write_text("id_individu,kandidat_kpj,keputusan\nP009,01234567894,SAMA\n", encoding="utf-8")
    assert rentan.run("2025-07").returncode == 0
    first = ringkasan(rentan, "2025-07")
    assert first["p3ke"]["perlu_tinjauan"] == 0 and first["p3ke"]["terdaftar_aktif"] == 3
    assert first["peserta"]["dari_p3ke"] == 3

    decisions.unlink()
    assert rentan.run("2025-07").returncode == 0
    assert ringkasan(rentan, "2025-07")["p3ke"] == first["p3ke"]
    assert read_csv(rentan.reports / "2025-07" / "perlu_tinjauan.csv") == []


def test_every_reported_bill_and_outcome_traces_to_its_file_row_and_run(rentan):
    from include.warehouse import get_engine, read_jejak_kpj

    landing = write_landing(rentan.landing)
    assert rentan.run("2025-07").returncode == 0
    roster = landing / "bpjs" / "peserta" / "peserta_2025-07-31.csv"
    roster_row = {row[0]: number + 2 for number, row in enumerate(PESERTA_ROWS)}  # the header is row 1
    p3ke_row = {row[1]: number + 2 for number, row in enumerate(P3KE_ROWS)}
    engine = get_engine(rentan.env["RENTAN_WAREHOUSE_URL"])
    with engine.connect() as conn:
        load_run = conn.execute(sa.text(
            "SELECT run_id FROM audit_run WHERE dag_id = 'rentan_load' AND status = 'success'")).scalar_one()
        hasil = {r.id_individu: r for r in conn.execute(sa.text(
            "SELECT id_individu, berkas, baris, hasil, run_id FROM fact_hasil_p3ke WHERE periode = '2025-07'"))}

    rincian = read_csv(rentan.reports / "2025-07" / "rincian_iuran.csv")
    traced = 0
    for bill in rincian:
        trail = read_jejak_kpj(engine, bill["kpj"])
        month = trail[trail["periode"] == "2025-07"].iloc[0]
        assert (month["berkas"], int(month["baris"])) == (roster.name, roster_row[bill["kpj"]])
        assert month["sha256"] == hashlib.sha256(roster.read_bytes()).hexdigest()
        assert month["run_id"] == load_run and int(month["total_iuran"]) == int(bill["total_iuran"])
        traced += int(month["total_iuran"])
    assert traced == ringkasan(rentan, "2025-07")["iuran"]["total_iuran"] == 99_000

    expected = {row[1]: row[9] for row in P3KE_ROWS}
    assert set(hasil) == set(expected)
    for id_individu, row in hasil.items():
        assert (row.berkas, row.baris, row.hasil) == ("p3ke_sijunjung.csv", p3ke_row[id_individu],
                                                      expected[id_individu])
        assert row.run_id == load_run
    engine.dispose()
