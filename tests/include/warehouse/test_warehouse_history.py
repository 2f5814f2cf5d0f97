"""A month re-decided on new files keeps its old decisions in riwayat_hasil_p3ke; a reload adds none."""

from __future__ import annotations

import sqlalchemy as sa

from include.warehouse import load_period
from include.warehouse.sqlfiles import query

HISTORY = "riwayat_hasil_p3ke"


def _history(engine) -> list[tuple]:
    with engine.connect() as conn:
        return sorted(conn.execute(sa.text(
            f"SELECT periode, berkas, baris, id_individu, hasil, kpj, run_id, diganti_oleh_run FROM {HISTORY}"
        )).all())


def _redecided(make_result):
    """The month after a new roster file: P-0004 is now insured, P-0005's row is gone."""
    result = make_result()
    hasil = result.hasil
    hasil.loc[hasil["id_individu"] == "P-0004", ["hasil", "kpj"]] = ["terdaftar_aktif", "00000000055"]
    result.hasil = hasil[hasil["id_individu"] != "P-0005"]
    return result


def test_identical_reloads_keep_no_history(engine, make_result, table_rows):
    for run_id in ("run-1", "run-2", "run-3"):
        load_period(engine, make_result(), run_id)

    assert _history(engine) == []
    assert len(table_rows(engine, "fact_hasil_p3ke")) == 6


def test_a_redecided_month_keeps_the_replaced_and_dropped_decisions(engine, make_result):
    load_period(engine, make_result(), "run-1")
    load_period(engine, _redecided(make_result), "run-2")

    assert _history(engine) == [
        ("2025-07", "Kec_A.xlsx", 4, "P-0004", "calon_peserta", None, "run-1", "run-2"),
        ("2025-07", "Kec_A.xlsx", 5, "P-0005", "calon_peserta", None, "run-1", "run-2"),
    ]
    load_period(engine, _redecided(make_result), "run-3")
    assert len(_history(engine)) == 2, "a reload of the same decisions must not add history"


def test_history_of_another_month_is_left_alone(engine, make_result):
    load_period(engine, make_result("2025-06"), "run-1")
    load_period(engine, _redecided(make_result), "run-1")
    load_period(engine, make_result(), "run-2")

    assert [(row[0], row[3], row[6], row[7]) for row in _history(engine)] == [
        ("2025-07", "P-0004", "run-1", "run-2")]


def test_the_trail_of_one_person_lists_the_decision_in_force_first(engine, make_result):
    load_period(engine, make_result(), "run-1")
    load_period(engine, _redecided(make_result), "run-2")

    with engine.connect() as conn:
        trail = conn.execute(sa.text(query("select_riwayat_hasil_p3ke")), {"id_individu": "P-0004"}).all()

    assert [(r.periode, r.hasil, r.kpj, r.run_id, r.diganti_oleh_run) for r in trail] == [
        ("2025-07", "terdaftar_aktif", "00000000055", "run-2", None),
        ("2025-07", "calon_peserta", None, "run-1", "run-2"),
    ]
    assert (trail[0].berkas, trail[0].baris) == ("Kec_A.xlsx", 4)
