"""Builds the whole demo scenario in memory, writes the landing files, and the truth file."""

from __future__ import annotations

import datetime as dt
import json
import random
import shutil
from dataclasses import dataclass, replace
from pathlib import Path

from include.demo import bpjs, defects
from include.demo.layout import (
    CLAIM_SPECS,
    P3KE_SPECS,
    ROSTER_SPEC,
    Row,
    Spec,
    household_rows,
    p3ke_file_name,
    write_rows,
)
from include.demo.people import Household, HouseholdMaker, Person, Registry, age_on, jorong_of
from include.demo.roles import JUNE_FIRST, Caster, Participant, Quotas, eligible
from include.demo.scenario import Curve, SeedFigures, billed_counts, plan_claims, simulate_spells, solve_curve
from include.demo.truth import build_truth, claims_of
from include.policy import Policy, default_policy
from include.wilayah import REFERENCE, load_wilayah

SIJUNJUNG = REFERENCE.with_name("wilayah_sijunjung.csv")
REGION = "13.03"
CALON_BARU = 330  # eligible desil 1-2 workers left uninsured, roughly
P3KE_ROWS = 19_760  # households are added until the export holds about this many rows
OUTSIDE_DESA = ("13.10.01.2003", "13.04.06.2002")  # Dharmasraya, Tanah Datar: WILAYAH_DI_LUAR
OUTSIDE_KEC = ("13.04.06", "13.10.02", "13.73.01", "14.09.01")  # NIK prefixes of people who moved in
OWN_FOLDERS = ("p3ke", "bpjs", "tinjauan")


@dataclass
class Demo:
    seed: int
    fig: SeedFigures
    curve: Curve
    participants: list[Participant]
    p3ke: dict[str, list[list[Row]]]  # file name -> families (blocks of rows), in file order
    p3ke_specs: dict[str, Spec]
    roster: list[Row]
    claims: dict[str, list[Row]]
    claim_plan: list


def _rng(seed: int, stream: str) -> random.Random:
    return random.Random(f"rentan-demo:{seed}:{stream}")


def _population(
    rng: random.Random, maker: HouseholdMaker, desa: list[str], need: int, policy: Policy
) -> list[Household]:
    weights = [rng.uniform(0.6, 1.4) for _ in desa]
    households = _edge_households(maker, desa)
    ready, rows = 0, sum(len(h.members) for h in households)
    while ready < need:
        hh = maker.household(rng.choices(desa, weights)[0], 1 if rng.random() < 0.45 else 2)
        ready += sum(1 for m in hh.members if eligible(m, policy) and age_on(m.tanggal_lahir, JUNE_FIRST) >= 22)
        rows += len(hh.members)
        households.append(hh)
    while rows < P3KE_ROWS:
        hh = maker.household(rng.choices(desa, weights)[0], 3 if rng.random() < 0.55 else 4)
        rows += len(hh.members)
        households.append(hh)
    return households


def _edge_households(maker: HouseholdMaker, desa: list[str]) -> list[Household]:
    """Age and job edges on the first day of 2025-07 (18 and 65 inclusive; an empty or oddly spelled job)."""
    d = dt.date
    return [
        maker.edge_household(
            desa[5],
            [
                (True, d(1959, 7, 2), "PETANI/PEKEBUN", "KEPALA KELUARGA"),
                (False, d(1962, 11, 20), "MENGURUS RUMAH TANGGA", "ISTRI"),
                (True, d(2007, 7, 1), "BURUH HARIAN LEPAS", "ANAK"),
            ],
        ),
        maker.edge_household(
            desa[40],
            [
                (True, d(1959, 7, 1), "PETANI/PEKEBUN", "KEPALA KELUARGA"),
                (False, d(1966, 4, 4), "PEDAGANG", "ISTRI"),
                (True, d(2007, 7, 2), "BURUH HARIAN LEPAS", "ANAK"),
                (False, d(1995, 1, 15), None, "ANAK"),
            ],
        ),
        maker.edge_household(
            desa[25],
            [
                (False, d(1980, 2, 29), "PEDAGANG", "KEPALA KELUARGA"),
                (True, d(2004, 6, 30), "TIDAK/BELUM BEKERJA", "ANAK"),
            ],
        ),
    ]


def _files(
    households: list[Household], rng: random.Random, names: dict[str, str], kec_order: list[str]
) -> tuple[dict[str, list[list[Row]]], dict[str, Spec]]:
    """One file per kecamatan: families by desa, shuffled within a desa, ids given in that order."""
    files, specs = {}, {}
    for i, kec in enumerate(kec_order):
        mine = sorted((h for h in households if h.desa.startswith(kec + ".")), key=lambda h: (h.desa, h.hid))
        blocks: list[list[Row]] = []
        for desa in sorted({h.desa for h in mine}):
            group = [h for h in mine if h.desa == desa]
            rng.shuffle(group)
            for seq, hh in enumerate(group, start=1):
                hh.id_keluarga = f"P{desa.replace('.', '')}{seq:05d}"
                blocks.append(household_rows(hh, names))
        spec = P3KE_SPECS[i]
        if spec.kind == "xlsx":
            spec = replace(
                spec,
                titles=(
                    "DATA P3KE INDIVIDU",
                    "Provinsi: SUMATERA BARAT",
                    "Kabupaten/Kota: SIJUNJUNG",
                    f"Kecamatan: {names[kec].upper()}",
                    "Sumber: Kemenko PMK, P3KE 2022 (individu, desil 1-4)",
                ),
            )
        name = p3ke_file_name(kec, names[kec], spec)
        files[name], specs[name] = blocks, spec
    return files, specs


def _outside_people(reg: Registry, kec_desa: str) -> list[Person]:
    d = dt.date
    people = []
    for laki, born, kerja, hub, status in (
        (True, d(1980, 3, 14), "PETANI/PEKEBUN", "KEPALA KELUARGA", "KAWIN"),
        (False, d(1984, 9, 2), "MENGURUS RUMAH TANGGA", "ISTRI", "KAWIN"),
        (True, d(2005, 12, 20), "BURUH HARIAN LEPAS", "ANAK", "BELUM KAWIN"),
    ):
        people.append(
            reg.person(
                laki,
                born,
                kec_desa,
                pekerjaan=kerja,
                hubungan=hub,
                status_kawin=status,
                pendidikan="TAMAT SD/SEDERAJAT",
                role="LUAR",
            )
        )
    return people


def build(seed: int, policy: Policy | None = None) -> Demo:
    """The whole scenario, in memory (nothing written)."""
    policy = policy or default_policy()
    fig, q = SeedFigures(), Quotas()
    wilayah = load_wilayah()
    names = wilayah.names
    desa = load_wilayah(SIJUNJUNG).desa_codes(REGION)
    kec_order = sorted({d[:8] for d in desa})
    reg = Registry(_rng(seed, "registry"))
    hh_rng = _rng(seed, "households")
    maker = HouseholdMaker(hh_rng, reg, names, jorong_of(hh_rng, desa))
    need = fig.dari_p3ke + q.reaktivasi + q.mati12 + 2 * q.pairs + q.z + CALON_BARU
    households = _population(hh_rng, maker, desa, need, policy)

    curve = solve_curve(fig, _rng(seed, "curve"))
    spells = simulate_spells(curve, fig, _rng(seed, "spells"))
    participants = Caster(_rng(seed, "cast"), reg, policy, desa, kec_order).cast(households, spells, fig, q)
    files, specs = _files(households, _rng(seed, "files"), names, kec_order)

    noise, used = _rng(seed, "noise"), set()
    names_sorted = sorted(files)
    defects.soft_findings(files, reg, noise, used, list(OUTSIDE_KEC))
    rows_of = {r.person.pid: r for blocks in files.values() for b in blocks for r in b}
    defects.retyped(participants, rows_of, reg, noise)
    defects.duplicates(files, noise, used)
    defects.touches_cp1252(files[names_sorted[4]], reg, noise, used)
    defects.apostrophes(files[names_sorted[2]], noise, used, 5)
    defects.apostrophes(files[names_sorted[4]], noise, used, 3)
    defects.p3ke_defects(files, reg, noise, used)
    kamang, kupitan = names_sorted[3], names_sorted[7]
    defects.outside_rows(
        files[kamang], _outside_people(reg, kec_order[3] + ".2001"), OUTSIDE_DESA[0], names, len(files[kamang]) // 2
    )
    lone = reg.person(
        False,
        dt.date(1973, 5, 9),
        kec_order[7] + ".2001",
        pekerjaan="PEDAGANG",
        hubungan="KEPALA KELUARGA",
        status_kawin="CERAI MATI",
        pendidikan="SLTP/SEDERAJAT",
        role="LUAR",
    )
    defects.outside_rows(files[kupitan], [lone], OUTSIDE_DESA[1], names, len(files[kupitan]) - 3)

    bpjs_rng = _rng(seed, "bpjs")
    roster = bpjs.roster_rows(participants, fig, bpjs_rng)
    bpjs.roster_defects(roster, reg, bpjs_rng, desa, fig)
    plan = plan_claims(spells, fig, _rng(seed, "claims"))
    claims = bpjs.split_claims(bpjs.claim_rows(plan, participants))
    bpjs.claim_defects(claims, participants, reg, bpjs_rng)
    return Demo(seed, fig, curve, participants, files, specs, roster, claims, plan)


def write_landing(demo: Demo, landing: Path) -> None:
    """Replace the generator's own landing folders (p3ke/, bpjs/, tinjauan/) with the demo files."""
    landing = Path(landing)
    for folder in OWN_FOLDERS:
        if (landing / folder).exists():
            shutil.rmtree(landing / folder)
    for folder in ("p3ke", "bpjs/peserta", "bpjs/klaim"):
        (landing / folder).mkdir(parents=True, exist_ok=True)
    for name in sorted(demo.p3ke):
        rows = [r for block in demo.p3ke[name] for r in block]
        write_rows(landing / "p3ke" / name, rows, demo.p3ke_specs[name])
    write_rows(landing / "bpjs" / "peserta" / "peserta_2025-07-31.xlsx", demo.roster, ROSTER_SPEC)
    for name in sorted(demo.claims):
        write_rows(landing / "bpjs" / "klaim" / name, demo.claims[name], CLAIM_SPECS[name])


def truth_of(demo: Demo, policy: Policy | None = None) -> dict:
    """The expected results; call after write_landing (rows know their file row numbers then)."""
    from include.demo import ASSUMPTIONS

    policy = policy or default_policy()
    spells = [p.spell for p in demo.participants]
    billed, baru = billed_counts(spells, demo.curve.months)
    p3ke = {name: [r for b in blocks for r in b] for name, blocks in demo.p3ke.items()}
    truth = build_truth(
        seed=demo.seed,
        fig=demo.fig,
        policy=policy,
        curve=demo.curve,
        participants=demo.participants,
        p3ke=p3ke,
        roster=demo.roster,
        claims=demo.claims,
        claim_list=claims_of(demo.claim_plan, demo.participants),
        assumptions=ASSUMPTIONS,
    )
    _check(demo, truth, billed, baru, policy)
    return truth


def _check(demo: Demo, truth: dict, billed: list[int], baru: list[int], policy: Policy) -> None:
    """Refuse to hand out a truth file that misses a seed figure or breaks a file's quarantine limit."""
    fig, r = demo.fig, truth["ringkasan"]
    problems = []
    if [m["ditagih"] for m in truth["bulanan"]] != billed or [m["baru"] for m in truth["bulanan"]] != baru:
        problems.append("monthly billed/BARU counts of the curve differ from the spells")
    if billed[0] != fig.peserta_awal or baru[0] != fig.peserta_awal or billed[-1] != fig.ditagih_akhir:
        problems.append("first or last month count")
    if sum(billed) != fig.bulan_peserta or r["peserta"]["dari_p3ke"] != fig.dari_p3ke:
        problems.append("participant-months or dari_p3ke")
    if (r["kumulatif"]["kasus_klaim"], r["kumulatif"]["nilai_manfaat"]) != (fig.kasus_klaim, fig.nilai_manfaat):
        problems.append("claims")
    if sum(r["p3ke"][k] for k in r["p3ke"] if k != "baris_masuk") != r["p3ke"]["baris_masuk"]:
        problems.append("P3KE outcomes do not add up")
    limit = policy.karantina_maks_persen
    problems += [f"{f['berkas']} quarantines {f['persen']} %" for f in truth["berkas"] if f["persen"] >= limit]
    if problems:
        raise RuntimeError("demo scenario inconsistent: " + "; ".join(problems))


def generate(landing: Path | str, truth_path: Path | str, seed: int) -> dict:
    """Build, write the landing files and the truth JSON; return the truth."""
    demo = build(seed)
    write_landing(demo, Path(landing))
    truth = truth_of(demo)
    path = Path(truth_path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(truth, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return truth
