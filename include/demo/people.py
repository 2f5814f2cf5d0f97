"""People of the demo: identities with consistent NIKs, and P3KE households.

Every identity is unique on NIK and on (name key, tanggal_lahir, jenis_kelamin),
so no two generated people can be linked or put in review by accident; the
deliberate pairs are made in defects.py.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from include.demo.names import make_name, name_key

AGE_REF = dt.date(2025, 7, 1)  # first day of the month the truth is for
LAST_BIRTH = dt.date(2021, 12, 31)  # P3KE 2022 data: nobody born later
LAKI, PEREMPUAN = "LAKI-LAKI", "PEREMPUAN"

KERJA_MISKIN = (
    ("PETANI/PEKEBUN", 40),
    ("BURUH HARIAN LEPAS", 18),
    ("BURUH TANI/PERKEBUNAN", 10),
    ("PEDAGANG", 8),
    ("PETERNAK", 4),
    ("NELAYAN/PERIKANAN", 4),
    ("TUKANG BATU", 3),
    ("TUKANG KAYU", 3),
    ("SOPIR", 3),
    ("WIRASWASTA", 7),
)
KERJA_MAMPU = (
    ("PETANI/PEKEBUN", 30),
    ("WIRASWASTA", 16),
    ("PEDAGANG", 14),
    ("BURUH HARIAN LEPAS", 8),
    ("SOPIR", 5),
    ("PETERNAK", 4),
    ("TUKANG KAYU", 3),
    ("KARYAWAN SWASTA", 8),
    ("PNS", 2),
    ("NELAYAN/PERIKANAN", 2),
)
KERJA_ISTRI = (("PETANI/PEKEBUN", 55), ("PEDAGANG", 20), ("BURUH TANI/PERKEBUNAN", 15), ("BURUH HARIAN LEPAS", 10))
BELUM_KERJA = "BELUM/TIDAK BEKERJA"
JORONG = (
    "KOTO",
    "PASA",
    "KAMPUANG TANGAH",
    "BALAI",
    "SAWAH LIEK",
    "PADANG",
    "BUKIK",
    "KAMPUANG BARU",
    "LUBUAK",
    "AUA DURI",
    "TANJUANG",
    "KOTO TUO",
    "PARIK",
    "TALAO",
    "RANAH",
    "SIMPANG",
    "PULAU",
    "SUNGAI DAREH",
    "BATANG",
    "KOTO GADANG",
    "LURAH",
    "KAPALO KOTO",
)


@dataclass
class Person:
    """One human being. P3KE fields stay empty for roster-only people."""

    pid: int
    nama: str
    jenis_kelamin: str
    tanggal_lahir: dt.date
    kode_desa: str
    nik: str
    pekerjaan: str | None = None
    desil: int | None = None
    hid: int | None = None
    hubungan: str = ""
    status_kawin: str = ""
    pendidikan: str = ""
    role: str = ""  # construction role (B, A34, REAKTIVASI, ...), '' = none
    kpj: str | None = None  # the participant this person is linked to, by construction


@dataclass
class Household:
    hid: int
    desa: str
    desil: int
    alamat: str
    bantuan: tuple[str, str, str]  # penerima PKH, BPNT, sembako
    members: list[Person] = field(default_factory=list)
    id_keluarga: str = ""


def age_on(born: dt.date, day: dt.date) -> int:
    """Completed years on a day."""
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def dob_for_age(rng: random.Random, age: int, ref: dt.date = AGE_REF) -> dt.date:
    """A birth date giving exactly that age on the reference day."""
    hi = ref.replace(year=ref.year - age)
    lo = ref.replace(year=ref.year - age - 1) + dt.timedelta(days=1)
    return lo + dt.timedelta(days=rng.randrange((hi - lo).days + 1))


def nik_digits(prefix6: str, born: dt.date, perempuan: bool, serial: int) -> str:
    day = born.day + (40 if perempuan else 0)
    return f"{prefix6}{day:02d}{born.month:02d}{born.year % 100:02d}{serial:04d}"


class Registry:
    """Hands out unique NIKs, KPJs, person ids and identity keys."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.niks: set[str] = set()
        self.keys: set[tuple[str, dt.date, str]] = set()
        self.kpjs: set[str] = set()
        self.next_pid = 1

    def nik(self, prefix6: str, born: dt.date, perempuan: bool) -> str:
        serial = self.rng.randint(1, 40)
        while (nik := nik_digits(prefix6, born, perempuan, serial)) in self.niks:
            serial += 1
        self.niks.add(nik)
        return nik

    def claim_nik(self, nik: str) -> bool:
        """Reserve a hand-made NIK; False when it is taken."""
        if nik in self.niks:
            return False
        self.niks.add(nik)
        return True

    def claim_key(self, nama: str, born: dt.date, jk: str) -> bool:
        key = (name_key(nama), born, jk)
        if key in self.keys:
            return False
        self.keys.add(key)
        return True

    def name(self, laki: bool, born: dt.date) -> str:
        jk = LAKI if laki else PEREMPUAN
        while True:
            nama = make_name(self.rng, laki, born.year)
            if self.claim_key(nama, born, jk):
                return nama

    def kpj(self, tahun: int) -> str:
        while True:
            if self.rng.random() < 0.1:
                kpj = "0" + "".join(str(self.rng.randrange(10)) for _ in range(10))
            else:
                kpj = f"{tahun % 100:02d}" + "".join(str(self.rng.randrange(10)) for _ in range(9))
            if kpj not in self.kpjs:
                self.kpjs.add(kpj)
                return kpj

    def person(self, laki: bool, born: dt.date, desa: str, **extra) -> Person:
        """A new identity living in a desa, NIK registered in its kecamatan."""
        nik = self.nik(desa.replace(".", "")[:6], born, not laki)
        person = Person(self.next_pid, self.name(laki, born), LAKI if laki else PEREMPUAN, born, desa, nik, **extra)
        self.next_pid += 1
        return person


def _pick(rng: random.Random, weighted: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([w[0] for w in weighted], weights=[w[1] for w in weighted])[0]


def pendidikan(rng: random.Random, age: int, desil: int) -> str:
    if age < 7:
        return "TIDAK/BELUM SEKOLAH"
    if age < 13:
        return "BELUM TAMAT SD/SEDERAJAT"
    if age < 16:
        return "TAMAT SD/SEDERAJAT"
    options = ["TAMAT SD/SEDERAJAT", "SLTP/SEDERAJAT", "SLTA/SEDERAJAT", "DIPLOMA IV/STRATA I"]
    weights = [5, 3, 2, 0] if desil <= 2 else [3, 3, 4, 1]
    if age < 19:
        options, weights = options[:2], weights[:2]
    if age > 55:
        weights = [8] + weights[1:2] + [1, 0]
    return rng.choices(options, weights=weights[: len(options)])[0]


def pekerjaan(rng: random.Random, age: int, laki: bool, desil: int, hubungan: str) -> str:
    miskin = desil <= 2
    if age < 6:
        return BELUM_KERJA
    if age < 18:
        return "PELAJAR/MAHASISWA" if rng.random() < 0.92 else BELUM_KERJA
    if age > 70:
        return _pick(rng, ((BELUM_KERJA, 70), ("PETANI/PEKEBUN", 26), ("PENSIUNAN", 4)))
    if age > 65:
        return _pick(rng, ((BELUM_KERJA, 42), ("PETANI/PEKEBUN", 52), ("PENSIUNAN", 6)))
    if hubungan == "ANAK" and age <= 22:
        roll = rng.random()
        if roll < 0.42:
            return "PELAJAR/MAHASISWA"
        if roll < 0.70:
            return BELUM_KERJA
    if not laki and hubungan in ("ISTRI", "ANAK", "MENANTU") and rng.random() < 0.5:
        return "MENGURUS RUMAH TANGGA"
    if hubungan == "ANAK" and rng.random() < 0.25:
        return BELUM_KERJA
    if miskin and rng.random() < 0.015:
        return "KARYAWAN SWASTA"
    if not laki:
        return _pick(rng, KERJA_ISTRI)
    return _pick(rng, KERJA_MISKIN if miskin else KERJA_MAMPU)


def jorong_of(rng: random.Random, desa_codes: list[str]) -> dict[str, list[str]]:
    """Three to five jorong (hamlets) per nagari."""
    return {kode: sorted(rng.sample(JORONG, rng.randint(3, 5))) for kode in desa_codes}


class HouseholdMaker:
    """Builds realistic P3KE families: head first, spouse, children, an elderly parent."""

    def __init__(self, rng: random.Random, reg: Registry, desa_names: dict[str, str], jorong: dict[str, list[str]]):
        self.rng, self.reg, self.desa_names, self.jorong = rng, reg, desa_names, jorong
        self.next_hid = 1

    def _member(self, hh: Household, laki: bool, age: int, hubungan: str, status: str) -> Person | None:
        born = dob_for_age(self.rng, age)
        if born > LAST_BIRTH:
            return None
        person = self.reg.person(
            laki, born, hh.desa, desil=hh.desil, hid=hh.hid, hubungan=hubungan, status_kawin=status
        )
        person.pekerjaan = pekerjaan(self.rng, age, laki, hh.desil, hubungan)
        person.pendidikan = pendidikan(self.rng, age, hh.desil)
        hh.members.append(person)
        return person

    def household(self, desa: str, desil: int) -> Household:
        rng = self.rng
        nagari = self.desa_names[desa].upper().removeprefix("DESA ")
        alamat = f"JORONG {rng.choice(self.jorong[desa])}, NAGARI {nagari}"
        p = {1: 0.55, 2: 0.35, 3: 0.12, 4: 0.04}[desil]
        bantuan = tuple("YA" if rng.random() < p + d else "TIDAK" for d in (0.0, 0.10, 0.05))
        hh = Household(self.next_hid, desa, desil, alamat, bantuan)
        self.next_hid += 1
        kind = rng.choices(["inti", "tiga", "janda", "lansia", "tunggal"], weights=[58, 15, 13, 8, 6])[0]
        if kind == "tunggal":
            self._member(hh, rng.random() < 0.4, rng.randint(60, 88), "KEPALA KELUARGA", "CERAI MATI")
            return hh
        if kind == "lansia":
            age = rng.randint(60, 82)
            self._member(hh, True, age, "KEPALA KELUARGA", "KAWIN")
            self._member(hh, False, max(55, age - rng.randint(0, 7)), "ISTRI", "KAWIN")
            return hh
        head_age = rng.randint(24, 64)
        mother_age = head_age - rng.randint(0, 6) if kind != "janda" else head_age
        if kind == "janda":
            self._member(hh, False, head_age, "KEPALA KELUARGA", "CERAI MATI")
        else:
            self._member(hh, True, head_age, "KEPALA KELUARGA", "KAWIN")
            self._member(hh, False, max(19, mother_age), "ISTRI", "KAWIN")
        child_age = mother_age - rng.randint(19, 30)
        for _ in range(rng.choices([0, 1, 2, 3, 4], weights=[6, 22, 34, 26, 12])[0]):
            if child_age < 0:
                break
            if child_age <= 34:
                self._member(hh, rng.random() < 0.5, child_age, "ANAK", "BELUM KAWIN")
            child_age -= rng.randint(2, 6)
        if kind == "tiga":
            laki = rng.random() < 0.3
            self._member(
                hh, laki, min(92, head_age + rng.randint(22, 32)), "ORANG TUA" if laki else "MERTUA", "CERAI MATI"
            )
        return hh

    def edge_household(self, desa: str, members: list[tuple[bool, dt.date, str | None, str]]) -> Household:
        """A desil 1 household whose members have hand-picked birth dates and jobs (age-rule edges)."""
        nagari = self.desa_names[desa].upper().removeprefix("DESA ")
        hh = Household(self.next_hid, desa, 1, f"JORONG {self.jorong[desa][0]}, NAGARI {nagari}", ("YA", "YA", "YA"))
        self.next_hid += 1
        for laki, born, kerja, hubungan in members:
            status = "BELUM KAWIN" if hubungan == "ANAK" else "KAWIN"
            person = self.reg.person(
                laki, born, desa, desil=1, hid=hh.hid, hubungan=hubungan, status_kawin=status, role="EDGE"
            )
            person.pekerjaan = kerja
            person.pendidikan = pendidikan(self.rng, age_on(born, AGE_REF), 1)
            hh.members.append(person)
        return hh
