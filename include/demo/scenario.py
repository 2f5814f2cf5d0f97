"""The insurance history of the demo: enrolment curve, spells, claims.

Two groups of participants, all APBD-funded at the lowest BPU income bracket:
- group A, the regency's original program: 1.333 enrolled in 2022-03, growing
  fast in 2022 then slowly, with churn every month, 11.416 billed in 2025-07;
- group B, the 5.174 desil 1-2 P3KE workers enrolled in 2025-06, all still active.
The A curve is a saturating exponential whose steepness is solved so that all
participant-months of 2022-03 .. 2025-07 add up to the seed figure; the rounding
residue is spread over the inner months.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
import random
from dataclasses import dataclass

from include.periods import first_day, last_day, month_range


@dataclass(frozen=True)
class SeedFigures:
    """The published figures the demo reproduces (PRODUCT.md, Domain facts)."""

    mulai: str = "2022-03"
    akhir: str = "2025-07"
    peserta_awal: int = 1333
    ditagih_akhir: int = 16590
    dari_p3ke: int = 5174
    bulan_p3ke: str = "2025-06"
    bulan_peserta: int = 326184
    kasus_klaim: int = 119
    nilai_manfaat: int = 5806253890
    kasus_jkm: int = 95
    manfaat_jkm: int = 42_000_000
    upah: int = 1_000_000


@dataclass(frozen=True)
class Curve:
    """Group A per month: billed, newly enrolled (BARU), leaving after the month, of them deaths."""

    months: tuple[str, ...]
    billed: tuple[int, ...]
    new: tuple[int, ...]
    exits: tuple[int, ...]
    deaths: tuple[int, ...]


@dataclass
class Spell:
    """One participant's coverage: tanggal_kepesertaan .. tanggal_nonaktif (last covered day)."""

    mulai: dt.date
    akhir: dt.date | None = None
    alasan: str | None = None
    kelompok: str = "A"

    def billed_in(self, periode: str) -> bool:
        return self.mulai <= last_day(periode) and (self.akhir is None or self.akhir >= first_day(periode))


def _shape(n: int, k: float) -> list[float]:
    return [(1 - math.exp(-k * i / (n - 1))) / (1 - math.exp(-k)) for i in range(n)]


def solve_curve(fig: SeedFigures, rng: random.Random) -> Curve:
    """Monthly A counts hitting the first month, the last month and the participant-month total exactly."""
    months = tuple(month_range(fig.mulai, fig.akhir))
    n = len(months)
    first, last = fig.peserta_awal, fig.ditagih_akhir - fig.dari_p3ke
    target = fig.bulan_peserta - fig.dari_p3ke * (n - months.index(fig.bulan_p3ke))
    wobble = [0.0] + [rng.uniform(-0.01, 0.01) for _ in range(n - 2)] + [0.0]

    def counts(k: float) -> list[float]:
        return [first + (last - first) * g * (1 + w) for g, w in zip(_shape(n, k), wobble, strict=True)]

    lo, hi = 0.01, 12.0
    if not sum(counts(lo)) <= target <= sum(counts(hi)):
        raise ValueError(f"seed figures out of reach: {target} participant-months for group A")
    for _ in range(100):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if sum(counts(mid)) < target else (lo, mid)
    billed = [round(c) for c in counts((lo + hi) / 2)]
    billed[0], billed[-1] = first, last
    residue = target - sum(billed)
    inner = list(range(1, n - 1))
    step = 1 if residue > 0 else -1
    for j in range(abs(residue)):
        billed[inner[(j * 7) % len(inner)]] += step
    deaths = [0] * n
    for i in rng.choices(range(1, n), weights=billed[1:], k=fig.kasus_jkm):
        deaths[i] += 1
    exits = [0] + [deaths[i] + round(billed[i] * rng.uniform(0.0035, 0.0065)) for i in range(1, n)]
    new = [billed[0]] + [billed[i] - billed[i - 1] + exits[i - 1] for i in range(1, n)]
    if min(new) < 0 or sum(billed) != target:
        raise ValueError("enrolment curve solver failed: negative enrolment or total missed")
    return Curve(months, tuple(billed), tuple(new), tuple(exits), tuple(deaths))


def _day_in(rng: random.Random, periode: str, max_day: int = 31) -> dt.date:
    start = first_day(periode)
    days = min(calendar.monthrange(start.year, start.month)[1], max_day)
    return start + dt.timedelta(days=rng.randrange(days))


def _exit_date(rng: random.Random, periode: str, alasan: str, final: bool) -> dt.date:
    if alasan == "MENINGGAL":
        return _day_in(rng, periode, 15 if final else 31)
    if alasan == "USIA":
        return last_day(periode)
    roll = rng.random()
    if roll < 0.55:
        return last_day(periode)
    return first_day(periode) if roll < 0.65 else _day_in(rng, periode)


_ALASAN = ("USIA", "PINDAH", "MENGUNDURKAN_DIRI", "BEKERJA_FORMAL", "LAINNYA")
_ALASAN_BOBOT = (18, 30, 25, 20, 7)


def simulate_spells(curve: Curve, fig: SeedFigures, rng: random.Random) -> list[Spell]:
    """Group A spells following the curve month by month, then the group B spells."""
    spells: list[Spell] = []
    active: list[int] = []
    n = len(curve.months)
    for i, periode in enumerate(curve.months):
        leaving = sorted(rng.sample(active, curve.exits[i]))
        reasons = ["MENINGGAL"] * curve.deaths[i] + rng.choices(
            _ALASAN, weights=_ALASAN_BOBOT, k=curve.exits[i] - curve.deaths[i]
        )
        rng.shuffle(reasons)
        for idx, alasan in zip(leaving, reasons, strict=True):
            spells[idx].alasan = alasan
            spells[idx].akhir = _exit_date(rng, periode, alasan, i == n - 1)
        gone = set(leaving)
        active = [idx for idx in active if idx not in gone]
        for _ in range(curve.new[i]):
            mulai = last_day(periode) if rng.random() < 0.04 else _day_in(rng, periode)
            active.append(len(spells))
            spells.append(Spell(mulai))
    batches = [dt.date(2025, 6, d) for d in (2, 10, 16, 23)]
    for _ in range(fig.dari_p3ke):
        spells.append(Spell(rng.choices(batches, weights=(40, 30, 20, 10))[0], kelompok="B"))
    return spells


def billed_counts(spells: list[Spell], months: tuple[str, ...]) -> tuple[list[int], list[int]]:
    """Self-check of the curve: billed and BARU per month from the spells themselves."""
    billed, baru = [], []
    for periode in months:
        start, end = first_day(periode), last_day(periode)
        billed.append(sum(1 for s in spells if s.mulai <= end and (s.akhir is None or s.akhir >= start)))
        baru.append(sum(1 for s in spells if start <= s.mulai <= end))
    return billed, baru


@dataclass
class Claim:
    kpj: str
    nik: str
    jenis_klaim: str
    tanggal_kejadian: dt.date
    tanggal_bayar: dt.date
    nilai_manfaat: int


def jkk_amounts(rng: random.Random, count: int, total: int) -> list[int]:
    """Work-accident benefits (medical bills, disability), not round, summing to the total exactly."""
    while True:
        raw = [rng.lognormvariate(0, 0.8) for _ in range(count)]
        scale = total / sum(raw)
        amounts = [int(r * scale) for r in raw]
        amounts[raw.index(max(raw))] += total - sum(amounts)
        if all(1_500_000 <= a <= 300_000_000 for a in amounts):
            return amounts


def plan_claims(
    spells: list[Spell], fig: SeedFigures, rng: random.Random
) -> list[tuple[int, str, dt.date, dt.date, int]]:
    """(spell index, jenis, kejadian, bayar, nilai): a JKM claim for every death, JKK for the rest."""
    horizon = last_day(fig.akhir)
    claims = []
    for idx, spell in enumerate(spells):
        if spell.alasan == "MENINGGAL":
            bayar = min(spell.akhir + dt.timedelta(days=rng.randint(12, 60)), horizon)
            claims.append((idx, "JKM", spell.akhir, bayar, fig.manfaat_jkm))
    jkk_total = fig.nilai_manfaat - fig.manfaat_jkm * len(claims)
    jkk_count = fig.kasus_klaim - len(claims)
    if jkk_count <= 0 or jkk_total <= 0:
        raise ValueError("claims: the seed figures leave no room for JKK claims")
    cutoff = horizon - dt.timedelta(days=45)
    eligible = [i for i, s in enumerate(spells) if s.kelompok == "A" and s.alasan != "MENINGGAL" and s.mulai < cutoff]
    for idx, nilai in zip(sorted(rng.sample(eligible, jkk_count)), jkk_amounts(rng, jkk_count, jkk_total), strict=True):
        spell = spells[idx]
        end = min(spell.akhir or cutoff, cutoff)
        kejadian = spell.mulai + dt.timedelta(days=rng.randrange(max(1, (end - spell.mulai).days + 1)))
        bayar = min(kejadian + dt.timedelta(days=rng.randint(14, 75)), horizon)
        claims.append((idx, "JKK", kejadian, bayar, nilai))
    return sorted(claims, key=lambda c: (c[3], c[0]))
