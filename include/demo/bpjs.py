"""The BPJS side of the demo: roster snapshot rows, claim rows, and their quarantined extras.

Every quarantined roster or claim row is an extra row (a fresh KPJ, or a second
copy of a KPJ for KPJ_GANDA), so it bills nothing and pays nothing and the seed
figures come only from the clean rows.
"""

from __future__ import annotations

import datetime as dt
import random

from include.demo.layout import Row
from include.demo.people import Registry
from include.demo.roles import Participant
from include.demo.scenario import SeedFigures
from include.demo.writers import Raw, XlNumber

KANTOR = "KCP MUARO SIJUNJUNG"

ROSTER_DEFECTS = (
    ("KPJ_FORMAT", "short"),
    ("KPJ_FORMAT", "letter"),
    ("KPJ_GANDA", ""),
    ("KPJ_GANDA", ""),
    ("TANGGAL_KEPESERTAAN_TIDAK_VALID", "31-06-2023"),
    ("TANGGAL_KEPESERTAAN_TIDAK_VALID", ""),
    ("STATUS_TIDAK_VALID", "SUSPEND"),
    ("STATUS_TIDAK_VALID", "BLOKIR"),
    ("SUMBER_DANA_TIDAK_VALID", "APBN"),
    ("SUMBER_DANA_TIDAK_VALID", "PEMPROV"),
    ("UPAH_TIDAK_VALID", "Rp 950.000"),
    ("UPAH_TIDAK_VALID", "Rp 500.000"),
    ("NONAKTIF_TANPA_TANGGAL", ""),
    ("NONAKTIF_TANPA_TANGGAL", ""),
)


def roster_cells(part: Participant, upah: int) -> dict[str, object]:
    who, spell = part.identity, part.spell
    return {
        "kpj": part.kpj,
        "nik": who.nik,
        "nama": part.nama,
        "tanggal_lahir": who.tanggal_lahir,
        "jenis_kelamin": who.jenis_kelamin,
        "kode_kemdagri": who.kode_desa,
        "tanggal_kepesertaan": spell.mulai,
        "status_kepesertaan": "NONAKTIF" if spell.akhir else "AKTIF",
        "sumber_dana": "APBD",
        "upah_dilaporkan": upah,
        "tanggal_nonaktif": spell.akhir,
        "alasan_nonaktif": spell.alasan,
        "segmen": "BPU",
        "kantor_cabang": KANTOR,
    }


def roster_rows(participants: list[Participant], fig: SeedFigures, rng: random.Random) -> list[Row]:
    """One row per KPJ in registration order; two roster-only NIKs typed as Excel numbers (a warning)."""
    ordered = sorted(participants, key=lambda p: (p.spell.mulai, p.kpj))
    rows = [Row(roster_cells(p, fig.upah), p.identity, note=p.note) for p in ordered]
    plain = [r for r, p in zip(rows, ordered, strict=True) if p.linked is None and p.spell.akhir is None and not r.note]
    for row in rng.sample(plain, 2):
        row.cells["nik"] = XlNumber(int(row.cells["nik"][:15] + "0"))
        row.note = "nik_rusak_excel"
    return rows


def roster_defects(rows: list[Row], reg: Registry, rng: random.Random, desa_codes: list[str], fig: SeedFigures) -> None:
    """Insert the quarantined extra rows at spread positions (a KPJ_GANDA copy always after its original)."""
    for code, how in ROSTER_DEFECTS:
        if code == "KPJ_GANDA":
            pos = rng.randrange(len(rows) // 4, len(rows) // 2)
            original = rows[pos]
            while original.note or original.cells["status_kepesertaan"] != "AKTIF":
                pos += 1
                original = rows[pos]
            copy = Row(dict(original.cells), original.person, codes=[code], note="karantina")
            rows.insert(rng.randrange(pos + 1, len(rows)), copy)
            continue
        born = dt.date(rng.randint(1968, 2000), rng.randint(1, 12), rng.randint(1, 28))
        person = reg.person(rng.random() < 0.6, born, rng.choice(desa_codes))
        mulai = dt.date(2024, rng.randint(1, 12), rng.randint(1, 28))
        cells = {
            "kpj": reg.kpj(mulai.year),
            "nik": person.nik,
            "nama": person.nama,
            "tanggal_lahir": born,
            "jenis_kelamin": person.jenis_kelamin,
            "kode_kemdagri": person.kode_desa,
            "tanggal_kepesertaan": mulai,
            "status_kepesertaan": "AKTIF",
            "sumber_dana": "APBD",
            "upah_dilaporkan": fig.upah,
            "tanggal_nonaktif": None,
            "alasan_nonaktif": None,
            "segmen": "BPU",
            "kantor_cabang": KANTOR,
        }
        if code == "KPJ_FORMAT":
            kpj = cells["kpj"]
            cells["kpj"] = kpj[:10] if how == "short" else kpj[:4] + "O" + kpj[5:]
        elif code == "TANGGAL_KEPESERTAAN_TIDAK_VALID":
            cells["tanggal_kepesertaan"] = Raw(how) if how else None
        elif code == "STATUS_TIDAK_VALID":
            cells["status_kepesertaan"] = how
        elif code == "SUMBER_DANA_TIDAK_VALID":
            cells["sumber_dana"] = how
        elif code == "UPAH_TIDAK_VALID":
            cells["upah_dilaporkan"] = Raw(how)
        elif code == "NONAKTIF_TANPA_TANGGAL":
            cells["status_kepesertaan"], cells["alasan_nonaktif"] = "NONAKTIF", "PINDAH"
        rows.insert(rng.randrange(1, len(rows)), Row(cells, person, codes=[code], note="karantina"))


def claim_rows(plan: list[tuple[int, str, dt.date, dt.date, int]], participants: list[Participant]) -> list[Row]:
    rows = []
    for idx, jenis, kejadian, bayar, nilai in plan:
        part = participants[idx]
        rows.append(
            Row(
                {
                    "kpj": part.kpj,
                    "nik": part.identity.nik,
                    "jenis_klaim": jenis,
                    "tanggal_kejadian": kejadian,
                    "tanggal_bayar": bayar,
                    "nilai_manfaat": nilai,
                },
                part.identity,
            )
        )
    return rows


def split_claims(rows: list[Row]) -> dict[str, list[Row]]:
    """Claims paid 2022-2024 in one CSV, 2025 in one XLSX."""
    return {
        "klaim_jkk_jkm_2022_2024.csv": [r for r in rows if r.cells["tanggal_bayar"].year <= 2024],
        "klaim_jkk_jkm_2025.xlsx": [r for r in rows if r.cells["tanggal_bayar"].year == 2025],
    }


def claim_defects(
    files: dict[str, list[Row]], participants: list[Participant], reg: Registry, rng: random.Random
) -> None:
    """One quarantined extra row per claim reason code."""
    plan = (
        ("klaim_jkk_jkm_2022_2024.csv", "KLAIM_KPJ_TIDAK_DIKENAL"),
        ("klaim_jkk_jkm_2022_2024.csv", "KLAIM_JENIS_TIDAK_VALID"),
        ("klaim_jkk_jkm_2022_2024.csv", "KLAIM_NILAI_TIDAK_VALID"),
        ("klaim_jkk_jkm_2025.xlsx", "KLAIM_TANGGAL_TIDAK_VALID"),
    )
    actives = [p for p in participants if p.spell.kelompok == "A" and p.spell.akhir is None]
    for name, code in plan:
        rows = files[name]
        template = rows[len(rows) // 2].cells
        part = rng.choice(actives)
        cells = {
            "kpj": part.kpj,
            "nik": part.identity.nik,
            "jenis_klaim": "JKK",
            "tanggal_kejadian": template["tanggal_kejadian"],
            "tanggal_bayar": template["tanggal_bayar"],
            "nilai_manfaat": rng.randint(2_000_000, 9_000_000),
        }
        if code == "KLAIM_KPJ_TIDAK_DIKENAL":
            cells["kpj"] = reg.kpj(2023)
        elif code == "KLAIM_JENIS_TIDAK_VALID":
            cells["jenis_klaim"] = "JHT"
        elif code == "KLAIM_NILAI_TIDAK_VALID":
            cells["nilai_manfaat"] = Raw("-")
        else:
            cells["tanggal_bayar"] = Raw("31-06-2025")
        rows.insert(len(rows) // 2 + 1, Row(cells, part.identity, codes=[code], note="karantina"))
