"""Write the bad-input corpus: landing files as users send them, byte for byte the same on every run.

    .venv/bin/python -m tests.corpus.build      # rewrites tests/corpus/<landing folder>/<file>

Every person is invented. A NIK looks valid: 1303, the kecamatan, DDMMYY (day + 40
for women), a four-digit serial. Each file mixes a few rows that carry the case
with clean filler rows, so a file with one or two bad rows stays under the 5 % file
rule. PEOPLE, ROSTER and CLAIMS hold what every row means (the normalised truth);
tests/corpus/cases.py states what ingest must make of each file.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
import re
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import xlsxwriter
from openpyxl import Workbook

CORPUS = Path(__file__).resolve().parent
P3KE_HEADER = ["ID Keluarga P3KE", "ID Individu", "Nama", "NIK", "Jenis Kelamin", "Tanggal Lahir",
               "Kode Kemendagri", "Desil Kesejahteraan", "Pekerjaan", "Alamat"]
ROSTER_HEADER = ["No KPJ", "NIK", "Nama", "Tgl Lahir", "JK", "Kode Kemendagri", "Tanggal Kepesertaan",
                 "Status Kepesertaan", "Sumber Dana", "Upah Dilaporkan", "Tanggal Nonaktif", "Alasan Nonaktif"]
CLAIM_HEADER = ["KPJ", "NIK", "Jenis Klaim", "Tanggal Kejadian", "Tanggal Bayar", "Nilai Manfaat"]
DESA = ["13.03.03.2001", "13.03.03.2004", "13.03.04.2001", "13.03.04.2006", "13.03.05.2002", "13.03.05.2005"]
FIRST = ["Syafrizal", "Yusnimar", "Afrizal", "Nurhayati", "Zulkifli", "Darmawati", "Hendri", "Rosmaini",
         "Efendi", "Yulianti", "Syahrul", "Desmawati", "Rudi", "Fitriani", "Jasman", "Elvi"]
LAST = ["Putra", "Sari", "Chaniago", "Piliang", "Tanjung", "Koto", "Sikumbang", "Melayu"]
PEKERJAAN = ["PETANI/PEKEBUN", "PEDAGANG", "BURUH HARIAN LEPAS", "TUKANG", "SOPIR", "NELAYAN/PERIKANAN"]
LUAR = ["13.01.01.2001", "13.04.01.2002", "13.72.01.1001"]  # known desa of other kabupaten/kota
EPOCH = dt.datetime(2025, 7, 1, 8, 0, 0)
ZIP_TIME = (2025, 7, 1, 8, 0, 0)


def make_nik(kode: str, lahir: dt.date, perempuan: bool, serial: int) -> str:
    """1303 + kecamatan + DDMMYY (+40 for women) + serial."""
    day = lahir.day + 40 if perempuan else lahir.day
    return f"{kode[:8].replace('.', '')}{day:02d}{lahir:%m%y}{serial:04d}"


@dataclass(frozen=True)
class Person:
    """One P3KE row as it should come out of normalisation."""

    id_keluarga_p3ke: str
    id_individu: str
    nama: str
    nik: str
    perempuan: bool
    tanggal_lahir: dt.date
    kode_kemdagri: str
    desil_kesejahteraan: int
    pekerjaan: str | None
    alamat: str

    @property
    def jenis_kelamin(self) -> str:
        return "PEREMPUAN" if self.perempuan else "LAKI-LAKI"

    def normalised(self) -> dict:
        return {"id_keluarga_p3ke": self.id_keluarga_p3ke, "id_individu": self.id_individu, "nama": self.nama,
                "nik": self.nik, "jenis_kelamin": self.jenis_kelamin, "tanggal_lahir": self.tanggal_lahir,
                "kode_kemdagri": self.kode_kemdagri, "desil_kesejahteraan": self.desil_kesejahteraan,
                "pekerjaan": self.pekerjaan, "alamat": self.alamat, "nik_rusak_excel": False}

    def cells(self) -> list:
        """The row as a P3KE export holds it: L/P, DD-MM-YYYY, undotted code."""
        return [self.id_keluarga_p3ke, self.id_individu, self.nama, self.nik, "P" if self.perempuan else "L",
                f"{self.tanggal_lahir:%d-%m-%Y}", self.kode_kemdagri.replace(".", ""),
                str(self.desil_kesejahteraan), self.pekerjaan, self.alamat]


def person(prefix: str, i: int, **changes) -> Person:
    """The i-th invented person of a file; `prefix` keeps ids and NIK serials apart between files."""
    serial = (sum(map(ord, prefix)) * 37 + i) % 9000 + 1000
    perempuan = i % 2 == 1
    lahir = dt.date(1965, 1, 1) + dt.timedelta(days=(i * 409 + len(prefix) * 53) % 12000)
    kode = DESA[i % len(DESA)]
    base = Person(
        id_keluarga_p3ke=f"{prefix}-K{i // 3:03d}", id_individu=f"{prefix}-{i:03d}",
        nama=f"{FIRST[(i * 3 + len(prefix)) % len(FIRST)]} {LAST[i % len(LAST)]}",
        nik=make_nik(kode, lahir, perempuan, serial), perempuan=perempuan, tanggal_lahir=lahir,
        kode_kemdagri=kode, desil_kesejahteraan=1 + i % 4, pekerjaan=PEKERJAAN[i % len(PEKERJAAN)],
        alamat=f"Jorong {LAST[(i + 3) % len(LAST)]} {1 + i % 5}",
    )
    base = replace(base, **changes)
    if {"kode_kemdagri", "tanggal_lahir", "perempuan"} & set(changes) and "nik" not in changes:
        base = replace(base, nik=make_nik(base.kode_kemdagri, base.tanggal_lahir, base.perempuan, serial))
    return base


@dataclass(frozen=True)
class Participant:
    """One roster row as it should come out of normalisation."""

    kpj: str
    nik: str
    nama: str
    tanggal_lahir: dt.date
    perempuan: bool
    kode_kemdagri: str
    tanggal_kepesertaan: dt.date
    status_kepesertaan: str
    sumber_dana: str
    upah_dilaporkan: int
    tanggal_nonaktif: dt.date | None
    alasan_nonaktif: str | None

    def normalised(self) -> dict:
        return {"kpj": self.kpj, "nik": self.nik, "nama": self.nama, "tanggal_lahir": self.tanggal_lahir,
                "jenis_kelamin": "PEREMPUAN" if self.perempuan else "LAKI-LAKI",
                "kode_kemdagri": self.kode_kemdagri, "tanggal_kepesertaan": self.tanggal_kepesertaan,
                "status_kepesertaan": self.status_kepesertaan, "sumber_dana": self.sumber_dana,
                "upah_dilaporkan": self.upah_dilaporkan, "tanggal_nonaktif": self.tanggal_nonaktif,
                "alasan_nonaktif": self.alasan_nonaktif, "nik_rusak_excel": False, "peringatan": ""}

    def cells(self) -> list:
        """The row as a BPJS export holds it: ISO dates, LAKI-LAKI/PEREMPUAN, dotted code, 'Rp 1.000.000'."""
        return [self.kpj, self.nik, self.nama, self.tanggal_lahir.isoformat(),
                "PEREMPUAN" if self.perempuan else "LAKI-LAKI", self.kode_kemdagri,
                self.tanggal_kepesertaan.isoformat(), self.status_kepesertaan, self.sumber_dana,
                f"Rp {self.upah_dilaporkan:,}".replace(",", "."),
                self.tanggal_nonaktif.isoformat() if self.tanggal_nonaktif else "", self.alasan_nonaktif or ""]


def participant(prefix: str, i: int, **changes) -> Participant:
    """The i-th invented roster participant; KPJ 11 digits with a leading zero."""
    p = person(prefix, i)
    nonaktif = i % 7 == 3
    base = Participant(
        kpj=f"0{sum(map(ord, prefix)) % 90 + 10:02d}{i:08d}", nik=p.nik, nama=p.nama, tanggal_lahir=p.tanggal_lahir,
        perempuan=p.perempuan, kode_kemdagri=p.kode_kemdagri,
        tanggal_kepesertaan=dt.date(2022, 3, 1) + dt.timedelta(days=i * 31 % 1200),
        status_kepesertaan="NONAKTIF" if nonaktif else "AKTIF",
        sumber_dana=["APBD", "APB_NAGARI", "CSR", "MANDIRI"][i % 4],
        upah_dilaporkan=1_000_000 + (i % 3) * 500_000,
        tanggal_nonaktif=dt.date(2025, 6, 30) if nonaktif else None, alasan_nonaktif="PINDAH" if nonaktif else None,
    )
    return replace(base, **changes)


@dataclass(frozen=True)
class Claim:
    kpj: str
    nik: str
    jenis_klaim: str
    tanggal_kejadian: dt.date
    tanggal_bayar: dt.date
    nilai_manfaat: int

    def normalised(self) -> dict:
        return {"kpj": self.kpj, "nik": self.nik, "jenis_klaim": self.jenis_klaim,
                "tanggal_kejadian": self.tanggal_kejadian, "tanggal_bayar": self.tanggal_bayar,
                "nilai_manfaat": self.nilai_manfaat}

    def cells(self) -> list:
        return [self.kpj, self.nik, self.jenis_klaim, f"{self.tanggal_kejadian:%d/%m/%Y}",
                f"{self.tanggal_bayar:%d/%m/%Y}", f"Rp {self.nilai_manfaat:,}".replace(",", ".")]


# --- writers ------------------------------------------------------------------------------------


def csv_file(header: Sequence[str], rows: Iterable[Sequence[object]], *, delimiter: str = ",",
             encoding: str = "utf-8", newline: str = "\n") -> bytes:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=newline)
    writer.writerow(header)
    writer.writerows(rows)
    return buffer.getvalue().encode(encoding)


def _fixed_zip(data: bytes) -> bytes:
    """The same workbook with fixed zip entry times and document dates: equal input, equal bytes."""
    stamp = EPOCH.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:(?:created|modified)[^>]*>)[^<]*", rb"\g<1>" + stamp, content)
            target.writestr(zipfile.ZipInfo(info.filename, date_time=ZIP_TIME), content, zipfile.ZIP_DEFLATED)
    return out.getvalue()


def xlsx_file(*sheets: tuple[str, Sequence[Sequence[object] | None], Sequence[tuple[str, str]]]) -> bytes:
    """A workbook as Excel writes it (shared strings): sheets of (name, rows from row 1, merges).

    str -> text cell, int/float -> number cell, date -> date cell, ('=formula', cached) -> formula cell
    with its saved value, None -> no cell; a None row is a blank row.
    """
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    workbook.set_properties({"created": EPOCH, "author": "Operator Desa"})
    date_format = workbook.add_format({"num_format": "dd/mm/yyyy"})
    title_format = workbook.add_format({"bold": True, "align": "center"})
    for name, rows, merges in sheets:
        sheet = workbook.add_worksheet(name)
        for span, text in merges:
            sheet.merge_range(span, text, title_format)
        for r, row in enumerate(rows):
            for c, value in enumerate(row or ()):
                if value is None:
                    continue
                if isinstance(value, tuple):
                    formula, cached = value
                    cell_format = date_format if isinstance(cached, dt.date) else None
                    if isinstance(cached, dt.date):
                        cached = (cached - dt.date(1899, 12, 30)).days
                    sheet.write_formula(r, c, formula, cell_format, cached)
                elif isinstance(value, dt.date):
                    sheet.write_datetime(r, c, value, date_format)
                elif isinstance(value, str):
                    sheet.write_string(r, c, value)
                else:
                    sheet.write_number(r, c, value)
    workbook.close()
    return _fixed_zip(buffer.getvalue())


def openpyxl_file(rows: Sequence[Sequence[object]]) -> bytes:
    """A workbook as a script writes it with openpyxl: formulas are stored without a saved value."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Data"
    workbook.properties.created = workbook.properties.modified = EPOCH
    for row in rows:
        sheet.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _fixed_zip(buffer.getvalue())


# --- the corpus ---------------------------------------------------------------------------------

PEOPLE: dict[str, Person] = {}
ROSTER: dict[str, Participant] = {}
CLAIMS: dict[int, Claim] = {}


def _people(prefix: str, n: int, start: int = 0) -> list[Person]:
    rows = [person(prefix, i) for i in range(start, start + n)]
    PEOPLE.update({p.id_individu: p for p in rows})
    return rows


def _keep(p: Person) -> Person:
    PEOPLE[p.id_individu] = p
    return p


def _with(p: Person, **cells) -> list:
    """The row of `p` with some raw cells replaced (by P3KE column name)."""
    row = p.cells()
    for name, value in cells.items():
        row[P3KE_COLUMNS.index(name)] = value
    return row


P3KE_COLUMNS = ["id_keluarga_p3ke", "id_individu", "nama", "nik", "jenis_kelamin", "tanggal_lahir",
                "kode_kemdagri", "desil_kesejahteraan", "pekerjaan", "alamat"]


def xlsx_cells(p: Person) -> list:
    """A P3KE row as a workbook holds it: a date cell, text NIK, dotted code, 'Desil n'."""
    return [p.id_keluarga_p3ke, p.id_individu, p.nama, p.nik, p.jenis_kelamin, p.tanggal_lahir,
            p.kode_kemdagri, f"Desil {p.desil_kesejahteraan}", p.pekerjaan, p.alamat]


def build_p3ke() -> dict[str, bytes]:
    files: dict[str, bytes] = {"p3ke/kosong.csv": b"", "p3ke/kosong.xlsx": b""}
    files["p3ke/hanya_header.csv"] = csv_file(P3KE_HEADER, [[""] * 10, [""] * 10], newline="\r\n")

    people = _people("JDL", 22)
    title = [("A1:J2", "DATA PENSASARAN PERCEPATAN PENGHAPUSAN KEMISKINAN EKSTREM (P3KE)"),
             ("A3:J3", "KABUPATEN SIJUNJUNG - SUMATERA BARAT"), ("A5:C5", "Tanggal unduh: 01/07/2025")]
    rows: list = [None] * 14 + [P3KE_HEADER]
    for i, p in enumerate(people):
        cells = xlsx_cells(p)
        if i == 13:
            cells[7] = "Desil 5"
        rows.append(cells)
        if i == 10:
            rows.append(None)
    rows[5] = ["Kecamatan", None, "Semua"]
    rows[6] = ["Operator", None, "Dinas Sosial"]
    files["p3ke/judul_baris_15.xlsx"] = xlsx_file(("P3KE", rows, title))

    title = [("A1:J1", "DATA P3KE DESA MUARO"), ("A2:J2", "Belum ada data untuk bulan ini")]
    files["p3ke/hanya_header.xlsx"] = xlsx_file(("P3KE", [None, None, None, P3KE_HEADER, None, [" ", None]], title))
    people = _people("B21", 3)
    rows = [["DATA P3KE KABUPATEN SIJUNJUNG"]] + [None] * 19 + [P3KE_HEADER] + [xlsx_cells(p) for p in people]
    files["p3ke/header_baris_21.xlsx"] = xlsx_file(("P3KE", rows, ()))

    people = _people("HLG", 3)
    header = [h for h in P3KE_HEADER if h != "Tanggal Lahir"]
    files["p3ke/kolom_hilang.csv"] = csv_file(header, [c[:5] + c[6:] for c in (p.cells() for p in people)])
    people = _people("HLX", 3)
    rows = [["Data P3KE Kecamatan Sijunjung"], None, [h for h in P3KE_HEADER if h != "NIK"]]
    rows += [c[:3] + c[4:] for c in (xlsx_cells(p) for p in people)]
    files["p3ke/kolom_hilang.xlsx"] = xlsx_file(("Sheet1", rows, ()))

    people = _people("URT", 4)
    header = ["No", "Nama", "NIK", "ID Individu", "Tgl Lahir", "JK", "Kode Kemendagri", "Desil", "Pekerjaan",
              "ID Keluarga P3KE", "Catatan Petugas", "Kecamatan"]
    rows = [[str(n + 1), p.nama, p.nik, p.id_individu, f"{p.tanggal_lahir:%d/%m/%Y}", "P" if p.perempuan else "L",
             p.kode_kemdagri, str(p.desil_kesejahteraan), p.pekerjaan, p.id_keluarga_p3ke,
             "sudah diverifikasi" if n % 2 else "", "SIJUNJUNG"] for n, p in enumerate(people)]
    files["p3ke/kolom_tambahan_urutan.csv"] = csv_file(header, rows)

    people = [_keep(replace(p, alamat=f"Jl. Lintas Sumatera, Km {n + 3}; RT 0{n + 1}"))
              for n, p in enumerate(_people("TKM", 4))]
    rows = [_with(p, jenis_kelamin=jk) for p, jk in zip(people, ["laki-laki", "Perempuan", "l", "p"], strict=True)]
    files["p3ke/titik_koma.csv"] = csv_file(P3KE_HEADER, rows, delimiter=";")

    names = ["Nur’aini Putri", "José Chaniago", "Muñir Tanjung", "Syafi’i Koto", "Renée Sari"]
    people = [_keep(replace(p, nama=names[n])) for n, p in enumerate(_people("WIN", 5))]
    files["p3ke/windows_1252.csv"] = csv_file(P3KE_HEADER, [p.cells() for p in people], delimiter=";",
                                              encoding="cp1252", newline="\r\n")
    people = [_keep(replace(p, nama=names[n])) for n, p in enumerate(_people("BOM", 3))]
    files["p3ke/utf8_bom.csv"] = csv_file(P3KE_HEADER, [p.cells() for p in people], encoding="utf-8-sig")
    people = _people("CRL", 3)
    files["p3ke/crlf.csv"] = csv_file(P3KE_HEADER, [p.cells() for p in people], newline="\r\n")

    people = _people("ALM", 22)
    people[1] = _keep(replace(people[1], alamat="Jorong Koto Tuo\nNagari Muaro"))
    people[4] = _keep(replace(people[4], alamat='Rumah "Gadang" Batu\nRT 02\nRW 01'))
    rows = [p.cells() for p in people]
    rows[19][3] = people[19].nik[:15]
    files["p3ke/alamat_baris_baru.csv"] = csv_file(P3KE_HEADER, rows)

    people = _people("TGL", 63)
    forms = ["%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%Y-%m-%d 00:00:00"]
    rows = [_with(p, tanggal_lahir=f"{p.tanggal_lahir:{forms[i % 4]}}") for i, p in enumerate(people)]
    rows[5][5] = f"{people[5].tanggal_lahir.day}/{people[5].tanggal_lahir.month}/{people[5].tanggal_lahir.year}"
    rows[20][5] = str((people[20].tanggal_lahir - dt.date(1899, 12, 30)).days)
    rows[30][5] = "31/02/1980"
    rows[45][5] = f"{people[45].tanggal_lahir:%d-%m-%y}"
    files["p3ke/tanggal_teks.csv"] = csv_file(P3KE_HEADER, rows)

    people = _people("TGX", 22)
    rows = [P3KE_HEADER]
    for i, p in enumerate(people):
        cells = xlsx_cells(p)
        serial = (p.tanggal_lahir - dt.date(1899, 12, 30)).days
        cells[5] = [p.tanggal_lahir, serial, str(serial), f"{p.tanggal_lahir:%d/%m/%Y}",
                    dt.datetime.combine(p.tanggal_lahir, dt.time(14, 30)), float(serial)][i % 6]
        rows.append(cells)
    rows[8][5] = 60
    files["p3ke/tanggal_excel.xlsx"] = xlsx_file(("Data", rows, ()))

    people = _people("NKX", 22)
    rows = [P3KE_HEADER] + [xlsx_cells(p) for p in people]
    rows[4][3] = int(people[3].nik)
    rows[7][3] = "'" + people[6].nik
    rows[11][6] = int(people[10].kode_kemdagri.replace(".", ""))
    rows[13][7] = people[12].desil_kesejahteraan
    files["p3ke/nik_angka.xlsx"] = xlsx_file(("Data", rows, ()))

    people = _people("NKT", 63)
    rows = [p.cells() for p in people]
    rows[10][3] = "1.30304E+15"
    rows[20][3] = "1,30304E+15"
    rows[30][3] = people[30].nik + ".0"
    rows[40][3] = " ".join([people[40].nik[:4], people[40].nik[4:8], people[40].nik[8:12], people[40].nik[12:]])
    rows[50][3] = "'" + people[50].nik
    files["p3ke/nik_teks.csv"] = csv_file(P3KE_HEADER, rows)

    files["p3ke/acak.xlsx"] = random.Random(20250701).randbytes(3000)
    ole2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(16) + b"\x3e\x00\x03\x00\xfe\xff\x09\x00\x06\x00"
    files["p3ke/excel_97.xlsx"] = ole2 + random.Random(1997).randbytes(4096 - len(ole2))
    people = _people("XLC", 3)
    files["p3ke/buku_kerja.csv"] = xlsx_file(("Data", [P3KE_HEADER, *(xlsx_cells(p) for p in people)], ()))
    people = _people("CSX", 3)
    files["p3ke/teks_bernama.xlsx"] = csv_file(P3KE_HEADER, [p.cells() for p in people])
    people = _people("U16", 3)
    files["p3ke/utf16.csv"] = csv_file(P3KE_HEADER, [p.cells() for p in people], delimiter="\t", encoding="utf-16")

    people = _people("LBH", 4)
    lines = csv_file(P3KE_HEADER, [p.cells() for p in people]).decode().splitlines()
    lines[1] = lines[1].rsplit(",", 1)[0] + ',"Jorong Piliang\nNagari Muaro"'
    lines[3] = lines[3].rsplit(",", 1)[0] + ",Jl. Lintas, Km 5"
    files["p3ke/kolom_lebih.csv"] = ("\n".join(lines) + "\n").encode()
    people = _people("KTP", 4)
    lines = csv_file(P3KE_HEADER, [p.cells() for p in people]).decode().splitlines()
    lines[1] = lines[1].rsplit(",", 1)[0] + ',"Jorong Piliang\nNagari Muaro"'
    lines[3] = lines[3].rsplit(",", 1)[0] + ',"Jorong Piliang 4'
    files["p3ke/kutip_terbuka.csv"] = ("\n".join(lines) + "\n").encode()

    people = _people("SHT", 3)
    data = [P3KE_HEADER]
    for p in people:
        cells = xlsx_cells(p)
        cells[2] = (f'=PROPER("{p.nama.upper()}")', p.nama)
        cells[5] = (f"=DATE({p.tanggal_lahir.year},{p.tanggal_lahir.month},{p.tanggal_lahir.day})", p.tanggal_lahir)
        data.append(cells)
    recap = [["Kecamatan", "Jumlah"], ["Sijunjung", ('=COUNTIF(Data!G:G,"13.03.04*")', 1)], ["Total", ("=SUM(B2)", 1)]]
    notes = [["ID Keluarga P3KE", "ID Individu", "Nama", "NIK"], ["X", "SHT-999", "Bukan Data", "1303040101700001"]]
    files["p3ke/banyak_sheet.xlsx"] = xlsx_file(("Data", data, ()), ("Rekap", recap, ()), ("Catatan", notes, ()))

    people = _people("ERR", 22)
    rows = [P3KE_HEADER] + [xlsx_cells(p) for p in people]
    lookup = '=VLOOKUP(B{0},Referensi!A:C,{1},FALSE)'
    rows[5][2] = (lookup.format(6, 2), "#N/A")
    rows[10][8] = (lookup.format(11, 3), "#N/A")
    rows[16][8] = "#REF!"
    for i in (10, 16):
        _keep(replace(people[i - 1], pekerjaan=None))
    files["p3ke/galat_excel.xlsx"] = xlsx_file(("Data", rows, ()))

    people = _people("RMS", 3)
    rows = [P3KE_HEADER] + [_with_formula(xlsx_cells(p)) for p in people]
    files["p3ke/rumus_tanpa_nilai.xlsx"] = openpyxl_file(rows)

    people = _people("LWR", 30)
    for i in range(0, 30, 3):
        kode = LUAR[i // 3 % 3]
        people[i] = _keep(replace(people[i], kode_kemdagri=kode,
                                  nik=make_nik(kode, people[i].tanggal_lahir, people[i].perempuan, 7000 + i)))
    rows = [p.cells() for p in people]
    rows[13][3] = people[13].nik[:-1]
    files["p3ke/luar_wilayah.csv"] = csv_file(P3KE_HEADER, rows)

    people = _people("GDA", 3)
    files["p3ke/kolom_ganda.csv"] = csv_file([*P3KE_HEADER, "nik"], [[*p.cells(), p.nik] for p in people])

    people = _people("ENM", 50)
    rows = [p.cells() for p in people]
    for i in (7, 23, 41):
        rows[i][3] = people[i].nik[:12]
    files["p3ke/enam_persen.csv"] = csv_file(P3KE_HEADER, rows)

    people = _people("KBR", 4)
    files["p3ke/kembar_a.csv"] = files["p3ke/kembar_b.csv"] = csv_file(P3KE_HEADER, [p.cells() for p in people])

    people = _people("GNT", 4)
    files["p3ke/diganti.csv"] = csv_file(P3KE_HEADER, [p.cells() for p in people[:2]])
    files["unggahan/diganti.csv"] = csv_file(P3KE_HEADER, [p.cells() for p in people])
    people = _people("HPS", 3)
    files["p3ke/dihapus.csv"] = csv_file(P3KE_HEADER, [p.cells() for p in people])
    return files


def _with_formula(cells: list) -> list:
    cells = list(cells)
    cells[2] = f'=UPPER("{cells[2]}")'
    return cells


def _roster(prefix: str, n: int) -> list[Participant]:
    rows = [participant(prefix, i) for i in range(n)]
    ROSTER.update({r.kpj: r for r in rows})
    return rows


def build_roster() -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    roster = _roster("PST", 25)
    files["bpjs/peserta/peserta_2025-07.csv"] = csv_file(ROSTER_HEADER, [r.cells() for r in roster], delimiter=";")

    roster = _roster("GND", 22)
    rows = [r.cells() for r in roster]
    rows[10][0] = roster[3].kpj
    files["bpjs/peserta/kpj_ganda.csv"] = csv_file(ROSTER_HEADER, rows)

    roster = _roster("UPH", 60)
    rows = [r.cells() for r in roster]
    rows[5][9], rows[25][9], rows[45][9] = "-1000000", "satu juta", "900000"
    rows[6][9] = "1500000"
    rows[7][9] = "Rp. 2.000.000"
    ROSTER[roster[7].kpj] = replace(roster[7], upah_dilaporkan=2_000_000)
    ROSTER[roster[6].kpj] = replace(roster[6], upah_dilaporkan=1_500_000)
    files["bpjs/peserta/upah.csv"] = csv_file(ROSTER_HEADER, rows)

    roster = _roster("NKP", 22)
    rows = [ROSTER_HEADER]
    for r in roster:
        cells = r.cells()
        cells[3], cells[6] = r.tanggal_lahir, r.tanggal_kepesertaan
        cells[10] = r.tanggal_nonaktif
        rows.append([c if c != "" else None for c in cells])
    rows[3][1] = int(roster[2].nik)
    rows[5][0] = int(roster[4].kpj)
    rows[6][0] = "'" + roster[5].kpj
    rows[9][9] = 1_500_000.0
    ROSTER[roster[8].kpj] = replace(roster[8], upah_dilaporkan=1_500_000)
    files["bpjs/peserta/nik_kpj_excel.xlsx"] = xlsx_file(("Peserta", rows, ()))

    roster = _roster("STS", 84)
    rows = [r.cells() for r in roster]
    for i, r in enumerate(roster):
        if i % 5 == 1:
            rows[i][7], rows[i][8] = r.status_kepesertaan.lower(), r.sumber_dana.lower()
    rows[10][7], rows[10][10], rows[10][11] = "NONAKTIF", "", "MENINGGAL"
    rows[30][7] = "CUTI"
    rows[50][8] = "APBN"
    rows[70][6] = "31/02/2024"
    files["bpjs/peserta/status_sumber.csv"] = csv_file(ROSTER_HEADER, rows)

    roster = _roster("HLP", 3)
    rows = [c[:9] + c[10:] for c in (r.cells() for r in roster)]
    files["bpjs/peserta/kolom_hilang.csv"] = csv_file(ROSTER_HEADER[:9] + ROSTER_HEADER[10:], rows)
    return files


def build_claims() -> dict[str, bytes]:
    roster = [participant("PST", i) for i in range(25)]
    claims = []
    for i in range(84):
        r = roster[i % 25]
        kejadian = dt.date(2022, 6, 1) + dt.timedelta(days=i * 11)
        claims.append(Claim(kpj=r.kpj, nik=r.nik, jenis_klaim="JKK" if i % 6 else "JKM", tanggal_kejadian=kejadian,
                            tanggal_bayar=kejadian + dt.timedelta(days=14 + i % 9),
                            nilai_manfaat=2_500_000 + i * 100_000))
    CLAIMS.update({n + 2: c for n, c in enumerate(claims)})
    rows = [c.cells() for c in claims]
    rows[10][0] = "09999999999"
    rows[30][2] = "JHT"
    rows[50][4] = f"{claims[50].tanggal_kejadian - dt.timedelta(days=1):%d/%m/%Y}"
    rows[70][5] = "0"
    rows[71][2] = claims[71].jenis_klaim.lower()
    return {"bpjs/klaim/klaim_salah.csv": csv_file(CLAIM_HEADER, rows)}


def build() -> dict[str, bytes]:
    """Every corpus file: relative path -> bytes."""
    return {**build_p3ke(), **build_roster(), **build_claims()}


def main() -> None:
    for relative, data in build().items():
        path = CORPUS / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        print(f"{relative}: {len(data)} bytes")


if __name__ == "__main__":
    main()
