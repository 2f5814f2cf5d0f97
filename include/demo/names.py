"""Minangkabau / Indonesian names for the demo population (synthetic; no real person is meant).

Given names as Sijunjung's civil registry writes them (upper case, no Datuak or
other adat titles), an optional second part, Muhammad / Siti prefixes, and the
spelling variants clerks produce when they retype a name (SY -> S, final I -> Y,
MUHAMMAD -> MUHAMAD, ...).
"""

from __future__ import annotations

import random
import re

LAKI = (
    "SYAFRIZAL AFRIZAL YUSRIZAL ERIZAL ASRIZAL MASRIZAL AMRIZAL NOVRIZAL DAFRIZAL ZULKIFLI ZULHENDRI "
    "YUHENDRI HENDRI EFENDI JASMAN NASRUL DARMAWAN RUDI DEDI JONI IRWAN SYAMSUL RIDWAN HARMEN JUNAIDI "
    "ALFIAN ANDI FADLI RAHMAT HIDAYAT ARIF BUDIMAN SUHERMAN YULIANTO ZULFAHMI ROZALI DONI FERI HENDRA "
    "ADRIANTO SAIFUL SYAHRIAL JAMALUDDIN NURDIN BASRI ARMAN DASRIL YASRIL ZULKARNAIN MARDANIS ARDI WENDRI "
    "ELFIZAR JUFRI ASWIR SYAFRUDDIN ISMAIL YUSUF ANWAR KAMARUDDIN BAHARUDDIN DASMAN MUSLIM ZAINAL ERMAN "
    "NASRIL ROSMAN SUDIRMAN ZAINUDDIN YUNALDI AZWAR MUSTAFA ZULFADLI SYAFRIL EDWARDI YONDRI ARISMAN"
).split()
PEREMPUAN = (
    "YUSNIMAR NURHAYATI ROSMAINI FITRI YUSNIDAR ERNAWATI NURLELA ROSMIATI DESI YENI LISNAWATI MARNI RATNA "
    "SYAMSIDAR ASMANIAR NURBAITI YULIA RAHMI WIRDA ELFI YUSNITA DARNELIS ERNI ROSNI MARDIANA NOVIA SILVIA "
    "RINA YULIANI HASNAH NURSIAH JUSNIAR ZURAIDA ASNIMAR DELFI ELVINA FEBRIANTI YUSMANIDAR ROSLAINI NURMALA "
    "ASMIDAR NURSIMAH JUSMANIAR ERMAWATI YURNALIS NURAINI SUSI SUSANTI HERLINA MELDA NELDAWATI YUSNELI "
    "ROSDIANA FATIMAH AMINAH MAIMUNAH RAHMAWATI SYAFRIDA WARNI ZULMIATI YENNI DEWI YUSLINDA NELVI ARMIATI"
).split()
LAKI_MUDA = (
    "RAFI AKBAR FAJRI ILHAM RIZKI FIKRI HABIBI DIMAS GILANG ARYA RAFIQ ZIKRI FARHAN AZKA ALIF REZA "
    "RAMADHAN HAFIZ NAUFAL ALDI FAREL RAIHAN DAFFA YOGA"
).split()
PEREMPUAN_MUDA = (
    "NAILA ZAHRA AISYAH ANISA PUTRI SINTA RAHMA NADIA SALSABILA KEISHA AULIA ADINDA DINDA NAJWA HAFIZAH "
    "SYIFA TIARA FADILA NABILA AZZAHRA KHAIRUNNISA WULAN INTAN"
).split()
BELAKANG_LAKI = (
    "EFENDI PUTRA SAPUTRA SYAHPUTRA HIDAYAT RAHMAN ZAINAL HASAN YUNUS ANWAR IDRIS ILYAS KASIM SYAM AZWAR "
    "AMIN JAMIL HAMZAH SALEH KARIM FAUZI RIZAL HENDRA PRATAMA RAMADHAN FIRDAUS HAKIM"
).split()
BELAKANG_PEREMPUAN = (
    "SARI YANTI PUTRI HAYATI DEWI MARLINA SUSANTI NOVITA YULIANA RAHMAYANI HANDAYANI FITRIANI AMELIA "
    "OKTAVIA ANGGRAINI RAMADHANI SAFITRI WAHYUNI"
).split()
AWALAN_LAKI = ("MUHAMMAD", "MUHAMAD", "MOHAMMAD", "M.")
AWALAN_PEREMPUAN = ("SITI", "NUR")

# Clerks' retyping variants, tried in order; the first that changes the name is used.
_VARIANTS = (
    (r"\bMUHAMMAD\b", "MUHAMAD"),
    (r"\bMUHAMAD\b", "MUHAMMAD"),
    (r"\bMOHAMMAD\b", "MUHAMMAD"),
    (r"\bM\. ", "MUHAMMAD "),
    (r"\bSY", "S"),
    (r"EFENDI\b", "EFFENDI"),
    (r"DDIN\b", "DIN"),
    (r"\bY(?=[AEIOU])", "J"),
    (r"\bJ(?=[AEIOU])", "Y"),
    (r"NN", "N"),
    (r"I\b", "Y"),
    (r"AT\b", "AD"),
)


def make_name(rng: random.Random, laki: bool, tahun_lahir: int) -> str:
    """A name for a person of that sex born in that year."""
    muda = tahun_lahir >= 1995 and rng.random() < 0.6
    if laki:
        given = rng.choice(LAKI_MUDA if muda else LAKI)
        second, prefix = BELAKANG_LAKI, AWALAN_LAKI
    else:
        given = rng.choice(PEREMPUAN_MUDA if muda else PEREMPUAN)
        second, prefix = BELAKANG_PEREMPUAN, AWALAN_PEREMPUAN
    roll = rng.random()
    if roll < 0.42:
        return given
    if roll < 0.88:
        last = rng.choice(second)
        return given if last == given else f"{given} {last}"
    return f"{rng.choice(prefix)} {given}"


def spelling_variant(nama: str) -> str | None:
    """The name as a clerk might retype it; None when no rule applies."""
    for pattern, replacement in _VARIANTS:
        variant = re.sub(pattern, replacement, nama, count=1)
        if variant != nama:
            return variant
    return None


def name_key(nama: str) -> str:
    """Upper case, whitespace runs collapsed: the matcher's name key."""
    return " ".join(nama.upper().split())
