"""Casting: which P3KE person holds which roster spell, and who stays uninsured.

Roles given to P3KE persons (Person.role), in this order, from disjoint pools:
- PAIR_X / PAIR_Y: two eligible desil 1-2 persons in different kecamatan files;
  Y takes X's name and birth date and a NIK one serial away (uncertain pair inside P3KE,
  Y -> perlu_tinjauan).
- Z: eligible desil 1-2, never insured; a roster-only participant who left with
  PINDAH/MENGUNDURKAN_DIRI carries Z's name, birth date and sex in another desa, and a NIK
  that differs from Z's only in the serial.
- REAKTIVASI: eligible desil 1-2, linked to a participant who left with PINDAH or
  MENGUNDURKAN_DIRI before 2025-07 -> calon_peserta REAKTIVASI.
- MATI12 / MATI34: linked to a participant who died (MENINGGAL) before 2025-07.
- B: the 5.174 eligible desil 1-2 workers enrolled in 2025-06.
- A34: desil 3-4 workers linked to group A participants billed in 2025-07.
- A34X: desil 3-4 workers linked to A participants who left (PINDAH/MENGUNDURKAN_DIRI).
- USIA: elderly linked to A participants who left at 66 (USIA).
- FORMAL: desil 1-2 KARYAWAN SWASTA linked to A participants who left for formal work.
- EDGE: hand-made age and job edge cases, never linked.
Every other A spell gets a roster-only identity (not in P3KE).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from include.demo.people import AGE_REF, LAKI, Household, Person, Registry, age_on, nik_digits
from include.demo.scenario import SeedFigures, Spell
from include.policy import Policy, normalise_pekerjaan

JUNE_FIRST = dt.date(2025, 6, 1)


@dataclass(frozen=True)
class Quotas:
    pairs: int = 3
    z: int = 4
    reaktivasi: int = 45
    mati12: int = 10
    a34_aktif: int = 1650
    a34_keluar: int = 30
    mati34: int = 5
    usia: int = 12
    formal: int = 12


@dataclass
class Participant:
    """One roster row: a KPJ, the identity BPJS holds, its spell, and its P3KE person (by construction)."""

    kpj: str
    identity: Person
    spell: Spell
    nama: str
    linked: Person | None = None
    note: str = ""


def working(person: Person, policy: Policy) -> bool:
    kerja = person.pekerjaan
    return bool(kerja) and normalise_pekerjaan(kerja) not in policy.pekerjaan_dikecualikan


def eligible(person: Person, policy: Policy, day: dt.date = AGE_REF) -> bool:
    """The eligibility rule on a person as built (desil, age on the day, job)."""
    age = age_on(person.tanggal_lahir, day)
    return person.desil in policy.desil_layak and policy.usia_min <= age <= policy.usia_max and working(person, policy)


def years_before(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def _take(rng: random.Random, pool: list[Person], count: int, role: str) -> list[Person]:
    free = [p for p in pool if not p.role]
    if len(free) < count:
        raise ValueError(f"demo population too small: {len(free)} persons for role {role}, {count} needed")
    chosen = rng.sample(free, count)
    for person in chosen:
        person.role = role
    return chosen


class Caster:
    def __init__(self, rng: random.Random, reg: Registry, policy: Policy, desa_codes: list[str], kec_order: list[str]):
        self.rng, self.reg, self.policy = rng, reg, policy
        self.desa_codes, self.kec_order = desa_codes, kec_order

    def file_index(self, person: Person) -> int:
        return self.kec_order.index(person.kode_desa[:8])

    def roster_only(self, spell: Spell) -> Person:
        rng = self.rng
        laki = rng.random() < 0.62
        if spell.alasan == "USIA":
            born = dt.date(spell.akhir.year - 66, spell.akhir.month, rng.randint(2, 28))
        else:
            # 18 or older when enrolled, at most 64 on 2025-07-01 (so nobody reaches 66 while insured);
            # most are younger than 55, the dead a little older on average
            earliest = (
                dt.date(1970, 1, 1) if spell.alasan != "MENINGGAL" and rng.random() < 0.6 else dt.date(1960, 7, 2)
            )
            latest = years_before(spell.mulai, 18)
            born = earliest + dt.timedelta(days=rng.randrange((latest - earliest).days + 1))
        return self.reg.person(laki, born, rng.choice(self.desa_codes))

    def namesake_nik(self, original: Person) -> str:
        """A new NIK that differs from the original's only in the serial: registered in the same kecamatan
        on the same birth date, so nothing in the NIK tells the two apart (a reviewer must)."""
        return self.reg.nik(original.nik[:6], original.tanggal_lahir, original.jenis_kelamin != LAKI)

    def twin_elsewhere(self, original: Person) -> Person:
        """A namesake: the same name, birth date and sex, living in another desa, with a NIK that
        differs only in the serial."""
        desa = self.rng.choice([d for d in self.desa_codes if d != original.kode_desa])
        nik = self.namesake_nik(original)
        twin = Person(self.reg.next_pid, original.nama, original.jenis_kelamin, original.tanggal_lahir, desa, nik)
        self.reg.next_pid += 1
        return twin

    def pairs(self, elig: list[Person], count: int) -> list[tuple[Person, Person]]:
        """Y (a later file) takes X's name and birth date, and a NIK that differs from X's only in the serial."""
        out = []
        early = [p for p in elig if self.file_index(p) <= 3]
        for x in _take(self.rng, early, count, "PAIR_X"):
            late = [p for p in elig if not p.role and self.file_index(p) >= 4 and p.jenis_kelamin == x.jenis_kelamin]
            if not late:
                raise ValueError("demo population too small: no partner for an uncertain P3KE pair")
            y = min(late, key=lambda p: (abs((p.tanggal_lahir - x.tanggal_lahir).days), p.pid))
            y.role = "PAIR_Y"
            y.nama, y.tanggal_lahir = x.nama, x.tanggal_lahir
            y.nik = self.namesake_nik(x)
            out.append((x, y))
        return out

    def cast(self, households: list[Household], spells: list[Spell], fig: SeedFigures, q: Quotas) -> list[Participant]:
        rng, policy = self.rng, self.policy
        persons = [m for hh in households for m in hh.members]
        elig = [p for p in persons if not p.role and eligible(p, policy)]
        self.pairs(elig, q.pairs)
        z_persons = _take(rng, elig, q.z, "Z")
        grown = [p for p in elig if age_on(p.tanggal_lahir, AGE_REF) >= 22]
        reakt = _take(rng, grown, q.reaktivasi, "REAKTIVASI")
        mati12 = _take(rng, grown, q.mati12, "MATI12")
        b_pool = [p for p in elig if age_on(p.tanggal_lahir, JUNE_FIRST) >= 18]
        b_persons = _take(rng, b_pool, fig.dari_p3ke, "B")
        w34 = [
            p
            for p in persons
            if p.desil in (3, 4) and working(p, policy) and 22 <= age_on(p.tanggal_lahir, AGE_REF) <= 64
        ]
        a34 = _take(rng, w34, q.a34_aktif, "A34")
        a34x = _take(rng, w34, q.a34_keluar, "A34X")
        mati34 = _take(rng, w34, q.mati34, "MATI34")
        formal = [
            p
            for p in persons
            if not p.role
            and p.desil in (1, 2)
            and p.pekerjaan == "KARYAWAN SWASTA"
            and 22 <= age_on(p.tanggal_lahir, AGE_REF) <= 64
        ][: q.formal]

        july = AGE_REF
        by_group: dict[str, list[int]] = {"aktif": [], "keluar": [], "MENINGGAL": [], "BEKERJA_FORMAL": [], "USIA": []}
        for idx, s in enumerate(spells):
            if s.kelompok != "A":
                continue
            if s.akhir is None:
                by_group["aktif"].append(idx)
            elif s.akhir < july and s.alasan in ("PINDAH", "MENGUNDURKAN_DIRI"):
                by_group["keluar"].append(idx)
            elif s.akhir < july and s.alasan in ("MENINGGAL", "BEKERJA_FORMAL", "USIA"):
                by_group[s.alasan].append(idx)
        holder: dict[int, tuple[Person, Person | None]] = {}

        def link(indices: list[int], people: list[Person]) -> None:
            for idx, person in zip(rng.sample(indices, len(people)), people, strict=True):
                holder[idx] = (person, person)

        link(by_group["aktif"], a34)
        keluar = rng.sample(by_group["keluar"], q.reaktivasi + q.a34_keluar + q.z)
        link(keluar[: q.reaktivasi], reakt)
        link(keluar[q.reaktivasi : q.reaktivasi + q.a34_keluar], a34x)
        for idx, z in zip(keluar[q.reaktivasi + q.a34_keluar :], z_persons, strict=True):
            holder[idx] = (self.twin_elsewhere(z), None)
        link(rng.sample(by_group["MENINGGAL"], q.mati12 + q.mati34), mati12 + mati34)
        formal = formal[: len(by_group["BEKERJA_FORMAL"])]
        for person in formal:
            person.role = "FORMAL"
        link(by_group["BEKERJA_FORMAL"], formal)
        usia_pool = [p for p in persons if not p.role and p.tanggal_lahir.day >= 2]
        used_usia = 0
        for idx in by_group["USIA"]:
            end = spells[idx].akhir
            match = next(
                (
                    p
                    for p in usia_pool
                    if not p.role and p.tanggal_lahir.year == end.year - 66 and p.tanggal_lahir.month == end.month
                ),
                None,
            )
            if match is not None and used_usia < q.usia:
                match.role = "USIA"
                holder[idx] = (match, match)
                used_usia += 1

        participants: list[Participant] = []
        b_iter = iter(b_persons)
        for idx, spell in enumerate(spells):
            if spell.kelompok == "B":
                person = next(b_iter)
                identity, linked = person, person
            else:
                identity, linked = holder.get(idx) or (self.roster_only(spell), None)
            kpj = self.reg.kpj(spell.mulai.year)
            nama = identity.nama.title() if rng.random() < 0.3 else identity.nama
            if linked is not None:
                linked.kpj = kpj
            participants.append(Participant(kpj, identity, spell, nama, linked))
        return participants


def check_nik(person: Person) -> bool:
    """True when a built identity's NIK carries its birth date, sex and kecamatan."""
    nik = person.nik
    serial = int(nik[12:])
    return nik == nik_digits(
        person.kode_desa.replace(".", "")[:6], person.tanggal_lahir, person.jenis_kelamin != LAKI, serial
    )
