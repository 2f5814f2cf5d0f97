"""The expected results, from what was built (roles, spells, defects), not from re-running the pipeline.

Each P3KE row's expected outcome in the truth month follows from construction
facts: its reason codes, whether it is a deliberate duplicate, the spell of the
participant its person was built to hold, the person's built eligibility, and its
review-pair role.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import ROUND_HALF_UP, Decimal

from include.demo.layout import Row
from include.demo.people import Person
from include.demo.roles import Participant, eligible
from include.demo.scenario import Claim, Curve, SeedFigures, Spell
from include.periods import first_day, last_day
from include.policy import Policy

OUTCOMES = ("karantina", "duplikat_p3ke", "terdaftar_aktif", "tidak_memenuhi_syarat", "perlu_tinjauan", "calon_peserta")
SUMBER = ("APBD", "APB_NAGARI", "CSR", "MANDIRI")
TEMUAN = {  # construction note -> the data-quality finding (named as include/quality.py names them)
    "soft:nik_tanggal": "NIK_TANGGAL_BEDA_DENGAN_TANGGAL_LAHIR",
    "soft:nik_jenis_kelamin": "NIK_JENIS_KELAMIN_BEDA",
    "soft:nik_luar_wilayah": "NIK_DI_LUAR_WILAYAH",
    "soft:padan_tidak": "PADAN_DUKCAPIL_TIDAK",
}


def p3ke_outcome(row: Row, spell_of: dict[str, Spell], periode: str, policy: Policy) -> tuple[str, str | None]:
    """(outcome, jenis for calon_peserta) of one P3KE row as built."""
    if row.codes:
        return "karantina", None
    if row.note == "duplikat":
        return "duplikat_p3ke", None
    person: Person = row.person
    spell = spell_of.get(person.kpj) if person.kpj else None
    if spell is not None and spell.billed_in(periode):
        return "terdaftar_aktif", None
    ended_for_good = spell is not None and spell.alasan in ("MENINGGAL", "USIA")
    if ended_for_good or not eligible(person, policy, first_day(periode)):
        return "tidak_memenuhi_syarat", None
    if person.role in ("PAIR_Y", "Z"):
        return "perlu_tinjauan", None
    return "calon_peserta", "REAKTIVASI" if spell is not None else "BARU"


def percent(part: int, whole: int) -> float:
    return float((Decimal(100 * part) / Decimal(whole)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


def monthly(curve: Curve, fig: SeedFigures, participants: list[Participant], policy: Policy) -> list[dict]:
    """Billed, BARU, dari_p3ke and contributions for every month of the program."""
    b_index = curve.months.index(fig.bulan_p3ke)
    desil12 = [p.spell for p in participants if p.linked is not None and p.linked.desil in (1, 2)]
    out = []
    for i, periode in enumerate(curve.months):
        billed = curve.billed[i] + (fig.dari_p3ke if i >= b_index else 0)
        baru = curve.new[i] + (fig.dari_p3ke if i == b_index else 0)
        rate = policy.rate_for(first_day(periode))
        jkk, jkm = rate.jkk(fig.upah), rate.jkm_rupiah
        out.append(
            {
                "periode": periode,
                "ditagih": billed,
                "baru": baru,
                "dari_p3ke": sum(1 for s in desil12 if s.billed_in(periode)),
                "iuran_jkk": billed * jkk,
                "iuran_jkm": billed * jkm,
                "total_iuran": billed * (jkk + jkm),
            }
        )
    return out


def reason_counts(rows: list[Row]) -> dict[str, int]:
    return dict(sorted(Counter(code for r in rows for code in r.codes).items()))


def file_shares(files: dict[str, list[Row]], sumber: str) -> list[dict]:
    out = []
    for name in sorted(files):
        rows = files[name]
        counted = sum(1 for r in rows if r.codes and r.codes != ["WILAYAH_DI_LUAR"])
        out.append(
            {
                "sumber": sumber,
                "berkas": name,
                "baris": len(rows),
                "karantina": sum(1 for r in rows if r.codes),
                "karantina_dihitung": counted,
                "persen": percent(counted, len(rows)),
            }
        )
    return out


def build_truth(
    *,
    seed: int,
    fig: SeedFigures,
    policy: Policy,
    curve: Curve,
    participants: list[Participant],
    p3ke: dict[str, list[Row]],
    roster: list[Row],
    claims: dict[str, list[Row]],
    claim_list: list[Claim],
    assumptions: list[str],
) -> dict:
    periode = fig.akhir
    spell_of = {p.kpj: p.spell for p in participants}
    p3ke_rows = [r for name in sorted(p3ke) for r in p3ke[name]]
    decided = [(r, *p3ke_outcome(r, spell_of, periode, policy)) for r in p3ke_rows]
    hasil = Counter(o for _, o, _ in decided)
    bulan = monthly(curve, fig, participants, policy)
    now = bulan[-1]
    claim_rows = [r for name in sorted(claims) for r in claims[name]]
    valid_claims = [c for c in claim_list if first_day(fig.mulai) <= c.tanggal_bayar <= last_day(periode)]
    this_month = [c for c in valid_claims if first_day(periode) <= c.tanggal_bayar]
    year = int(periode[:4])
    realisasi = sum(m["total_iuran"] for m in bulan if m["periode"].startswith(f"{year}-"))
    pagu = policy.pagu(year)
    ringkasan = {
        "periode": periode,
        "p3ke": {"baris_masuk": len(p3ke_rows), **{o: hasil.get(o, 0) for o in OUTCOMES}},
        "peserta": {
            "baris_masuk": len(roster),
            "karantina": sum(1 for r in roster if r.codes),
            "ditagih": now["ditagih"],
            "baru": now["baru"],
            "dari_p3ke": now["dari_p3ke"],
        },
        "iuran": {
            "iuran_jkk": now["iuran_jkk"],
            "iuran_jkm": now["iuran_jkm"],
            "total_iuran": now["total_iuran"],
            "per_sumber_dana": {s: now["total_iuran"] if s == "APBD" else 0 for s in SUMBER},
        },
        "klaim": {"kasus": len(this_month), "nilai_manfaat": sum(c.nilai_manfaat for c in this_month)},
        "kumulatif": {
            "periode_awal": fig.mulai,
            "total_iuran": sum(m["total_iuran"] for m in bulan),
            "kasus_klaim": len(valid_claims),
            "nilai_manfaat": sum(c.nilai_manfaat for c in valid_claims),
        },
        "anggaran": {
            "tahun": year,
            "pagu": pagu,
            "realisasi": realisasi,
            "persen": percent(realisasi, pagu) if pagu else None,
        },
    }
    karantina = [
        {"sumber": s, "berkas": r.berkas, "baris": r.baris, "alasan": "|".join(sorted(r.codes))}
        for s, rows in (("klaim", claim_rows), ("p3ke", p3ke_rows), ("peserta", roster))
        for r in rows
        if r.codes
    ]
    karantina.sort(key=lambda k: (k["sumber"], k["berkas"], k["baris"]))
    soft = Counter(TEMUAN[r.note] for r in p3ke_rows if r.note in TEMUAN)
    return {
        "seed": seed,
        "periode": periode,
        "asumsi": assumptions,
        "angka_acuan": {
            "peserta_awal": fig.peserta_awal,
            "ditagih_akhir": fig.ditagih_akhir,
            "dari_p3ke": fig.dari_p3ke,
            "bulan_peserta": fig.bulan_peserta,
            "total_iuran_kumulatif": ringkasan["kumulatif"]["total_iuran"],
            "kasus_klaim": fig.kasus_klaim,
            "nilai_manfaat": fig.nilai_manfaat,
            "pagu_2025": policy.pagu(2025),
        },
        "ringkasan": ringkasan,
        "alasan": {
            "p3ke": reason_counts(p3ke_rows),
            "peserta": reason_counts(roster),
            "klaim": reason_counts(claim_rows),
        },
        "bulanan": bulan,
        "berkas": file_shares(p3ke, "p3ke")
        + file_shares({roster[0].berkas or "peserta": roster}, "peserta")
        + file_shares(claims, "klaim"),
        "karantina": karantina,
        "temuan_lunak": {
            "p3ke": dict(sorted(soft.items())),
            "peserta": {"PERINGATAN_NIK_RUSAK_EXCEL": sum(1 for r in roster if r.note == "nik_rusak_excel")},
        },
        "calon_peserta": dict(sorted(Counter(j for _, o, j in decided if o == "calon_peserta").items())),
        "reaktivasi": sorted(
            (
                {"id_individu": r.cells["id_individu"], "kpj_lama": r.person.kpj}
                for r, o, j in decided
                if j == "REAKTIVASI"
            ),
            key=lambda d: d["id_individu"],
        ),
        "perlu_tinjauan": sorted(
            (
                {"id_individu": r.cells["id_individu"], "kandidat_kpj": _candidate(r, participants)}
                for r, o, _ in decided
                if o == "perlu_tinjauan"
            ),
            key=lambda d: d["id_individu"],
        ),
    }


def _candidate(row: Row, participants: list[Participant]) -> str:
    """The roster twin's KPJ for a Z row; '' for a P3KE-internal pair."""
    person = row.person
    if person.role != "Z":
        return ""
    for part in participants:
        who = part.identity
        if (
            part.linked is None
            and (who.nama, who.tanggal_lahir, who.jenis_kelamin)
            == (person.nama, person.tanggal_lahir, person.jenis_kelamin)
            and who is not person
        ):
            return part.kpj
    return ""


def claims_of(plan: list[tuple[int, str, dt.date, dt.date, int]], participants: list[Participant]) -> list[Claim]:
    return [
        Claim(participants[i].kpj, participants[i].identity.nik, jenis, kejadian, bayar, nilai)
        for i, jenis, kejadian, bayar, nilai in plan
    ]
