"""The written roster and claims reproduce the published seed figures (read back from the files)."""

from __future__ import annotations

import calendar
import datetime as dt
import random

import pytest

from include.demo.scenario import SeedFigures, solve_curve
from tests.include.demo.landing_files import as_date, as_rupiah, as_text, folder_rows, person_key, read_table


def months(start: str, end: str) -> list[tuple[dt.date, dt.date]]:
    y, m = map(int, start.split("-"))
    out = []
    while f"{y:04d}-{m:02d}" <= end:
        out.append((dt.date(y, m, 1), dt.date(y, m, calendar.monthrange(y, m)[1])))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def valid_roster(landing) -> list[dict]:
    """Roster rows that pass the hard rules, as plain dicts with parsed dates."""
    (path,) = sorted((landing / "bpjs" / "peserta").iterdir())
    seen, out = set(), []
    for _, row in read_table(path):
        kpj = as_text(row["kpj"])
        status = as_text(row["status_kepesertaan"]).upper()
        mulai, akhir = as_date(row["tanggal_kepesertaan"]), as_date(row["tanggal_nonaktif"])
        upah = as_rupiah(row["upah_dilaporkan"])
        ok = (len(kpj) == 11 and kpj.isdigit() and kpj not in seen and mulai is not None
              and status in ("AKTIF", "NONAKTIF") and as_text(row["sumber_dana"]) in ("APBD", "APB_NAGARI", "CSR", "MANDIRI")
              and upah is not None and upah >= 1_000_000 and (status == "AKTIF" or akhir is not None))
        seen.add(kpj)
        if ok:
            out.append({"kpj": kpj, "nik": as_text(row["nik"]), "mulai": mulai, "akhir": akhir if status == "NONAKTIF"
                        else None, "upah": upah, "sumber": as_text(row["sumber_dana"]), "key": person_key(row)})
    return out


def billing(roster: list[dict], first: dt.date, last: dt.date) -> tuple[int, int]:
    """(billed, BARU) in a month by the billing rule of CONTRACTS.md."""
    billed = [r for r in roster if r["mulai"] <= last and (r["akhir"] is None or r["akhir"] >= first)]
    return len(billed), sum(1 for r in billed if first <= r["mulai"] <= last)


def test_roster_bills_the_seed_figures(demo_run):
    _, landing, truth = demo_run
    roster = valid_roster(landing)
    counts = [billing(roster, a, b) for a, b in months("2022-03", "2025-07")]
    assert counts[0] == (1333, 1333)
    assert counts[-1][0] == 16590
    assert sum(billed for billed, _ in counts) == 326184
    assert sum(billed for billed, _ in counts) * 16800 == 5_479_891_200
    assert {r["upah"] for r in roster} == {1_000_000} and {r["sumber"] for r in roster} == {"APBD"}
    assert [[m["ditagih"], m["baru"]] for m in truth["bulanan"]] == [list(c) for c in counts]
    assert not [r for r in roster if r["mulai"] < dt.date(2022, 3, 1)]


def test_june_2025_p3ke_participants_are_the_desil_1_2_ones(demo_run):
    """MATCHING.md links (equal 16-digit NIK, or equal person key) from the files: exactly the 5.174 June
    2025 participants are linked to desil 1-2 P3KE rows; no other participant billed in 2025-07 is."""
    _, landing, truth = demo_run
    niks, keys = set(), set()
    for _, _, row in folder_rows(landing / "p3ke"):
        if as_text(row["desil_kesejahteraan"]).removeprefix("Desil ") in ("1", "2"):
            niks.add(as_text(row["nik"]))
            keys.add(person_key(row))
    roster = valid_roster(landing)
    july = [r for r in roster if r["akhir"] is None or r["akhir"] >= dt.date(2025, 7, 1)]
    linked = [r for r in july if r["nik"] in niks or r["key"] in keys]
    assert len(july) == 16590
    assert len(linked) == 5174
    assert all((r["mulai"].year, r["mulai"].month) == (2025, 6) for r in linked)
    assert sum(1 for r in july if (r["mulai"].year, r["mulai"].month) == (2025, 6)) >= 5174
    assert sum(1 for r in linked if r["nik"] not in niks) > 0  # some link only by name + birth date (NIK typos)
    assert truth["ringkasan"]["peserta"]["dari_p3ke"] == 5174
    assert truth["ringkasan"]["iuran"]["total_iuran"] == 278_712_000


def test_claims_total_and_count(demo_run):
    _, landing, truth = demo_run
    known = {r["kpj"] for r in valid_roster(landing)}
    paid = []
    for path in sorted((landing / "bpjs" / "klaim").iterdir()):
        for _, row in read_table(path):
            bayar, nilai = as_date(row["tanggal_bayar"]), as_rupiah(row["nilai_manfaat"])
            if as_text(row["kpj"]) in known and as_text(row["jenis_klaim"]) in ("JKK", "JKM") and bayar and nilai:
                paid.append((as_text(row["jenis_klaim"]), bayar, nilai))
    assert len(paid) == 119
    assert sum(n for _, _, n in paid) == 5_806_253_890
    assert all(dt.date(2022, 3, 1) <= b <= dt.date(2025, 7, 31) for _, b, _ in paid)
    assert {n for j, _, n in paid if j == "JKM"} == {42_000_000}
    assert truth["ringkasan"]["kumulatif"] == {"periode_awal": "2022-03", "total_iuran": 5_479_891_200,
                                               "kasus_klaim": 119, "nilai_manfaat": 5_806_253_890}


def test_claimed_deaths_end_their_spell():
    from include.demo.scenario import plan_claims, simulate_spells

    fig = SeedFigures()
    spells = simulate_spells(solve_curve(fig, random.Random(1)), fig, random.Random(2))
    plan = plan_claims(spells, fig, random.Random(3))
    for idx, jenis, kejadian, bayar, _ in plan:
        spell = spells[idx]
        assert spell.mulai <= kejadian <= bayar
        if jenis == "JKM":
            assert spell.alasan == "MENINGGAL" and spell.akhir == kejadian


@pytest.mark.parametrize("seed", [1, 2, 3, 20250701])
def test_curve_solver_hits_the_figures_for_any_seed(seed):
    fig = SeedFigures()
    curve = solve_curve(fig, random.Random(seed))
    totals = [b + (fig.dari_p3ke if m >= fig.bulan_p3ke else 0) for b, m in zip(curve.billed, curve.months, strict=True)]
    assert totals[0] == 1333 and totals[-1] == 16590 and sum(totals) == 326184
    assert min(curve.new) >= 0 and sum(curve.deaths) == fig.kasus_jkm
    assert sum(totals[:10]) > sum(1333 + (16590 - 5174 - 1333) * i / 40 for i in range(10))  # growth comes early


def test_curve_solver_refuses_unreachable_figures():
    with pytest.raises(ValueError, match="out of reach"):
        solve_curve(SeedFigures(bulan_peserta=10_000), random.Random(1))
