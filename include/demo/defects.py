"""Realistic noise on the P3KE files: hard defects, soft findings, duplicates, retyped names and NIKs.

Hard defects (quarantined rows) go only on persons with no role (never linked,
never a seed-figure row), one reason per row except one deliberately empty row.
Soft findings, duplicates and variants never change a row's reason codes.
"""

from __future__ import annotations

import datetime as dt
import random

from include.demo.layout import Row
from include.demo.names import spelling_variant
from include.demo.people import LAKI, Registry
from include.demo.roles import Participant
from include.demo.writers import Raw, XlNumber

Blocks = list[list[Row]]  # a file's households, in file order


def _free_rows(blocks: Blocks, used: set[int], predicate=lambda row: True) -> list[Row]:
    return [
        r
        for block in blocks
        for r in block
        if r.person is not None and not r.person.role and not r.note and r.person.pid not in used and predicate(r)
    ]


def _pick(rng: random.Random, rows: list[Row], count: int, used: set[int], what: str) -> list[Row]:
    if len(rows) < count:
        raise ValueError(f"demo: not enough rows for {what} ({len(rows)} < {count})")
    chosen = rng.sample(rows, count)
    used.update(r.person.pid for r in chosen)
    return chosen


def soft_findings(
    files: dict[str, Blocks], reg: Registry, rng: random.Random, used: set[int], outside_kec: list[str]
) -> None:
    """NIK date or sex marker disagreeing with the columns, NIK from outside the region, padan TIDAK."""
    names = sorted(files)
    rows = [r for name in names for r in _free_rows(files[name], used)]
    for row in _pick(rng, rows, 24, used, "NIK date findings"):
        born = row.person.tanggal_lahir
        other = (
            born.replace(day=born.month, month=born.day)
            if born.day <= 12 and born.day != born.month
            else born.replace(year=born.year + 1)
            if not (born.month == 2 and born.day == 29)
            else born.replace(day=28)
        )
        _set_nik(row, reg, row.person.nik[:6], other, row.person.jenis_kelamin != LAKI, "soft:nik_tanggal")
    women = [r for r in rows if r.person.jenis_kelamin != LAKI and r.person.pid not in used]
    for row in _pick(rng, women, 8, used, "NIK sex findings"):
        _set_nik(row, reg, row.person.nik[:6], row.person.tanggal_lahir, False, "soft:nik_jenis_kelamin")
    for i, row in enumerate(_pick(rng, [r for r in rows if r.person.pid not in used], 18, used, "NIK prefix findings")):
        prefix = outside_kec[i % len(outside_kec)].replace(".", "")
        _set_nik(row, reg, prefix, row.person.tanggal_lahir, row.person.jenis_kelamin != LAKI, "soft:nik_luar_wilayah")
    for row in _pick(rng, [r for r in rows if r.person.pid not in used], 290, used, "padan findings"):
        row.cells["padan_dukcapil"] = "TIDAK"
        row.note = "soft:padan_tidak"


def _set_nik(row: Row, reg: Registry, prefix6: str, born: dt.date, perempuan: bool, note: str) -> None:
    nik = reg.nik(prefix6, born, perempuan)
    row.person.nik = nik
    row.cells["nik"] = nik
    row.note = note


def retyped(participants: list[Participant], rows_of: dict[int, Row], reg: Registry, rng: random.Random) -> None:
    """Name spelling variants (NIK equal, so they still link) and NIK typos (all else equal)."""
    linked = [p for p in participants if p.linked is not None and p.linked.role in ("B", "A34")]
    chosen = rng.sample(linked, 130)
    made = 0
    for i, part in enumerate(chosen[:80]):
        person = part.linked
        variant = spelling_variant(person.nama)
        if variant is None or not reg.claim_key(variant, person.tanggal_lahir, person.jenis_kelamin):
            continue
        if i % 2:
            part.nama, part.note = variant, "variant"
        else:
            rows_of[person.pid].cells["nama"] = variant
        rows_of[person.pid].note = "variant"
        made += 1
    for part in chosen[80:]:
        row = rows_of[part.linked.pid]
        nik = row.cells["nik"]
        for pos in (15, 14, 13):
            typo = nik[:pos] + str((int(nik[pos]) + rng.randint(1, 9)) % 10) + nik[pos + 1 :]
            if reg.claim_nik(typo):
                row.cells["nik"], row.note = typo, "nik_typo"
                break


def duplicates(files: dict[str, Blocks], rng: random.Random, used: set[int]) -> None:
    """The same person again: in a later family of the file, as an exact re-export, or in a later file."""
    names = sorted(files)
    for f, name in enumerate(names):
        blocks = files[name]
        for _ in range(4):
            src_block = rng.randrange(len(blocks) - 5)
            cands = [
                r
                for r in blocks[src_block]
                if r.person and not r.person.role and not r.note and r.person.pid not in used
            ]
            if not cands:
                continue
            source = cands[0]
            used.add(source.person.pid)
            later = [
                b
                for b in range(src_block + 1, len(blocks))
                if blocks[b][0].cells["kode_kemdagri"] == source.cells["kode_kemdagri"]
            ] or list(range(src_block + 1, len(blocks)))
            host = blocks[rng.choice(later)]
            _join(host, source)
        if f in (1, 5):
            source = rng.choice(_free_rows(blocks[: len(blocks) // 2], used))
            used.add(source.person.pid)
            copy = Row(dict(source.cells), source.person, note="duplikat")
            blocks[-1].append(copy)
        if f in (2, 4):
            source = rng.choice(_free_rows(blocks, used))
            used.add(source.person.pid)
            target = files[names[f + 2]]
            _join(target[rng.randrange(len(target))], source)


def _join(host: list[Row], source: Row) -> None:
    head = host[0].cells
    cells = dict(source.cells)
    for key in (
        "id_keluarga_p3ke",
        "kode_kemdagri",
        "kecamatan",
        "desa_kelurahan",
        "alamat",
        "penerima_pkh",
        "penerima_bpnt",
        "penerima_sembako",
        "desil_kesejahteraan",
    ):
        cells[key] = head[key]
    cells["id_individu"] = f"{head['id_keluarga_p3ke']}{len(host) + 1:02d}"
    cells["hubungan_dengan_kepala_keluarga"] = "FAMILI LAIN"
    host.append(Row(cells, source.person, note="duplikat"))


# (code, file index, what the bad value is); files: 0,1,3,5,7 xlsx; 2 csv ';'; 4 csv cp1252; 6 csv utf-8
P3KE_DEFECTS = (
    ("NIK_RUSAK_EXCEL", 0, "xlnumber"),
    ("NIK_RUSAK_EXCEL", 3, "xlnumber"),
    ("NIK_RUSAK_EXCEL", 7, "xlnumber"),
    ("NIK_RUSAK_EXCEL", 4, "sci_dot"),
    ("NIK_RUSAK_EXCEL", 4, "sci_dot"),
    ("NIK_RUSAK_EXCEL", 2, "sci_comma"),
    ("NIK_RUSAK_EXCEL", 6, "dot_zero"),
    ("NIK_KOSONG", 1, ""),
    ("NIK_KOSONG", 3, ""),
    ("NIK_KOSONG", 6, ""),
    ("NIK_FORMAT", 0, "short"),
    ("NIK_FORMAT", 2, "letter"),
    ("NIK_FORMAT", 5, "long"),
    ("NIK_FORMAT", 6, "short"),
    ("NIK_TANGGAL", 1, "month13"),
    ("NIK_TANGGAL", 4, "day00"),
    ("NIK_TANGGAL", 7, "month13"),
    ("NAMA_KOSONG", 2, ""),
    ("NAMA_KOSONG", 5, ""),
    ("NAMA_KOSONG", 7, ""),
    ("TANGGAL_LAHIR_TIDAK_VALID", 0, "text"),
    ("TANGGAL_LAHIR_TIDAK_VALID", 1, "empty"),
    ("TANGGAL_LAHIR_TIDAK_VALID", 3, "future"),
    ("TANGGAL_LAHIR_TIDAK_VALID", 4, "impossible"),
    ("TANGGAL_LAHIR_TIDAK_VALID", 6, "old"),
    ("TANGGAL_LAHIR_TIDAK_VALID", 5, "month_name"),
    ("JENIS_KELAMIN_TIDAK_VALID", 0, "W"),
    ("JENIS_KELAMIN_TIDAK_VALID", 2, "LK"),
    ("JENIS_KELAMIN_TIDAK_VALID", 6, "2"),
    ("DESIL_TIDAK_VALID", 0, "5"),
    ("DESIL_TIDAK_VALID", 4, "0"),
    ("DESIL_TIDAK_VALID", 5, "Desil 6"),
    ("WILAYAH_TIDAK_VALID", 1, "13.03.04.2099"),
    ("WILAYAH_TIDAK_VALID", 3, "13.03.06"),
    ("WILAYAH_TIDAK_VALID", 7, "130310200"),
    ("ID_KOSONG", 2, ""),
    ("ID_KOSONG", 5, ""),
    ("ID_KOSONG", 7, ""),
    ("NIK_KOSONG|NAMA_KOSONG", 3, ""),
)


def p3ke_defects(files: dict[str, Blocks], reg: Registry, rng: random.Random, used: set[int]) -> None:
    """One quarantined row per entry of P3KE_DEFECTS, on persons with no role."""
    names = sorted(files)
    for code, f, how in P3KE_DEFECTS:
        row = _pick(rng, _free_rows(files[names[f]], used), 1, used, code)[0]
        _break(row, code, how, reg, names[f])
        row.codes = code.split("|")
        row.note = "karantina"


def _break(row: Row, code: str, how: str, reg: Registry, berkas: str) -> None:
    cells, person = row.cells, row.person
    nik = person.nik
    if code == "NIK_RUSAK_EXCEL":
        truncated = nik[:15] + "0"
        cells["nik"] = {
            "xlnumber": XlNumber(int(truncated)),
            "sci_dot": Raw(f"{float(nik):.5E}"),
            "sci_comma": Raw(f"{float(nik):.5E}".replace(".", ",")),
            "dot_zero": Raw(nik + ".0"),
        }[how]
    elif code.startswith("NIK_KOSONG"):
        cells["nik"] = None
        if "NAMA_KOSONG" in code:
            cells["nama"] = None
    elif code == "NIK_FORMAT":
        cells["nik"] = Raw({"short": nik[:12] + nik[13:], "letter": nik[:13] + "O" + nik[14:], "long": nik + "1"}[how])
    elif code == "NIK_TANGGAL":
        bad = nik[:6] + ("15" + "13" if how == "month13" else "00" + nik[8:10]) + nik[10:]
        reg.claim_nik(bad)
        cells["nik"] = Raw(bad)
    elif code == "NAMA_KOSONG":
        cells["nama"] = None
    elif code == "TANGGAL_LAHIR_TIDAK_VALID":
        _bad_birth(cells, person, how, reg, berkas)
    elif code == "JENIS_KELAMIN_TIDAK_VALID":
        cells["jenis_kelamin"] = Raw(how)
    elif code == "DESIL_TIDAK_VALID":
        cells["desil_kesejahteraan"] = Raw(how)
    elif code == "WILAYAH_TIDAK_VALID":
        cells["kode_kemdagri"] = Raw(how)
    elif code == "ID_KOSONG":
        cells["id_individu"] = None


def _bad_birth(cells: dict, person, how: str, reg: Registry, berkas: str) -> None:
    if how == "empty":
        cells["tanggal_lahir"] = None
    elif how == "text":
        cells["tanggal_lahir"] = Raw(f"31-02-{person.tanggal_lahir.year}")
    elif how == "impossible":
        cells["tanggal_lahir"] = Raw(f"30-02-{person.tanggal_lahir.year}")
    elif how == "month_name":
        cells["tanggal_lahir"] = Raw(f"{person.tanggal_lahir.day} Agustus {person.tanggal_lahir.year}")
    else:  # a parseable date that breaks the rule; the NIK carries the same DDMMYY so nothing else flags
        wrong = dt.date(2031, 5, 12) if how == "future" else dt.date(1899, 8, 17)
        nik = reg.nik(person.nik[:6], wrong, person.jenis_kelamin != LAKI)
        cells["nik"] = nik
        cells["tanggal_lahir"] = wrong


def touches_cp1252(blocks: Blocks, reg: Registry, rng: random.Random, used: set[int]) -> None:
    """A name with a Windows-1252 apostrophe and a family whose alamat holds a line break."""
    for nama, laki in (("NUR\u2019AINI", False), ("MA\u2019RUF", True)):
        row = rng.choice(_free_rows(blocks, used, lambda r, laki=laki: (r.person.jenis_kelamin == LAKI) == laki))
        if reg.claim_key(nama, row.person.tanggal_lahir, row.person.jenis_kelamin):
            row.cells["nama"] = row.person.nama = nama
            used.add(row.person.pid)
    block = blocks[len(blocks) // 3]
    for row in block:
        row.cells["alamat"] = str(row.cells["alamat"]).replace(", ", "\n", 1)


def apostrophes(blocks: Blocks, rng: random.Random, used: set[int], count: int) -> None:
    """NIKs typed with a leading apostrophe (accepted; the reader strips it)."""
    for row in rng.sample(_free_rows(blocks, used), count):
        row.cells["nik"] = Raw("'" + row.cells["nik"])
        used.add(row.person.pid)


def outside_rows(file_blocks: Blocks, people: list, desa_out: str, names: dict[str, str], position: int) -> None:
    """A family whose desa code belongs to another kabupaten (WILAYAH_DI_LUAR) inside a Sijunjung file."""
    id_keluarga = f"P{desa_out.replace('.', '')}{1:05d}"
    kabupaten = names[desa_out[:5]].upper().removeprefix("KABUPATEN ").removeprefix("KOTA ")
    block = []
    for n, person in enumerate(people, start=1):
        cells = {
            "id_keluarga_p3ke": id_keluarga,
            "id_individu": f"{id_keluarga}{n:02d}",
            "nama": person.nama,
            "nik": person.nik,
            "jenis_kelamin": person.jenis_kelamin,
            "tanggal_lahir": person.tanggal_lahir,
            "kode_kemdagri": desa_out,
            "desil_kesejahteraan": 2,
            "pekerjaan": person.pekerjaan,
            "provinsi": "SUMATERA BARAT",
            "kabupaten_kota": kabupaten,
            "kecamatan": names[desa_out[:8]].upper(),
            "desa_kelurahan": names[desa_out].upper(),
            "alamat": f"JORONG KOTO, NAGARI {names[desa_out].upper()}",
            "padan_dukcapil": "YA",
            "hubungan_dengan_kepala_keluarga": person.hubungan,
            "status_kawin": person.status_kawin,
            "pendidikan": person.pendidikan,
            "penerima_pkh": "TIDAK",
            "penerima_bpnt": "YA",
            "penerima_sembako": "TIDAK",
            "penerima_pbi_jk": "YA",
        }
        block.append(Row(cells, person, codes=["WILAYAH_DI_LUAR"], note="karantina"))
    file_blocks.insert(position, block)
