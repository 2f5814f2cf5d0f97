"""What each landing file looks like: formats, headers, and rows built from people.

Rows carry canonical values (str, date, int) keyed by the normalised column
names of COMMON.md; each file's `Spec` turns them into that file's cells
(date cells, Excel serials or date text; L/P or LAKI-LAKI; dotted or plain
Kemendagri codes; 'Desil 1' or 1). Defects put `Raw`/`XlNumber` values in a row,
which the renderer leaves alone.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from include.demo.people import Household, Person
from include.demo.writers import Raw, XlNumber, write_csv, write_xlsx

EXCEL_EPOCH = dt.date(1899, 12, 30)

OFFICIAL = (
    ("no", "No"),
    ("id_keluarga_p3ke", "ID Keluarga P3KE"),
    ("id_individu", "ID Individu"),
    ("nama", "Nama"),
    ("nik", "NIK"),
    ("jenis_kelamin", "Jenis Kelamin"),
    ("tanggal_lahir", "Tanggal Lahir"),
    ("kode_kemdagri", "Kode Kemendagri"),
    ("desil_kesejahteraan", "Desil Kesejahteraan"),
    ("pekerjaan", "Pekerjaan"),
    ("provinsi", "Provinsi"),
    ("kabupaten_kota", "Kabupaten/Kota"),
    ("kecamatan", "Kecamatan"),
    ("desa_kelurahan", "Desa/Kelurahan"),
    ("alamat", "Alamat"),
    ("padan_dukcapil", "Padan Dukcapil"),
    ("hubungan_dengan_kepala_keluarga", "Hubungan Dengan Kepala Keluarga"),
    ("status_kawin", "Status Kawin"),
    ("pendidikan", "Pendidikan"),
    ("penerima_pkh", "Penerima PKH"),
    ("penerima_bpnt", "Penerima BPNT"),
    ("penerima_sembako", "Penerima Sembako"),
    ("penerima_pbi_jk", "Penerima PBI JK"),
)
ALIASED = (
    ("id_keluarga_p3ke", "ID Keluarga P3KE"),
    ("id_individu", "ID Individu"),
    ("nik", "NIK"),
    ("nama", "Nama"),
    ("jenis_kelamin", "JK"),
    ("tanggal_lahir", "Tgl Lahir"),
    ("kode_kemdagri", "Kode Kemendagri"),
    ("desil_kesejahteraan", "Desil"),
    ("pekerjaan", "Pekerjaan"),
    ("kecamatan", "Kecamatan"),
    ("desa_kelurahan", "Desa/Kelurahan"),
    ("alamat", "Alamat"),
    ("hubungan_dengan_kepala_keluarga", "Hubungan Dengan Kepala Keluarga"),
    ("status_kawin", "Status Perkawinan"),
    ("pendidikan", "Pendidikan"),
    ("padan_dukcapil", "Padan Dukcapil"),
    ("penerima_pkh", "Penerima PKH"),
)
SNAKE = tuple(
    (k, k)
    for k in (
        "id_keluarga_p3ke",
        "id_individu",
        "nik",
        "nama",
        "jenis_kelamin",
        "tanggal_lahir",
        "kode_kemdagri",
        "desil_kesejahteraan",
        "pekerjaan",
        "kecamatan",
        "desa_kelurahan",
        "alamat",
        "padan_dukcapil",
        "hubungan_dengan_kepala_keluarga",
        "status_kawin",
        "pendidikan",
        "penerima_pkh",
        "penerima_bpnt",
        "penerima_sembako",
    )
)
ROSTER = (
    ("no", "No"),
    ("kpj", "No KPJ"),
    ("nik", "NIK"),
    ("nama", "Nama"),
    ("tanggal_lahir", "Tgl Lahir"),
    ("jenis_kelamin", "JK"),
    ("kode_kemdagri", "Kode Kemendagri"),
    ("tanggal_kepesertaan", "Tanggal Kepesertaan"),
    ("status_kepesertaan", "Status Kepesertaan"),
    ("sumber_dana", "Sumber Dana"),
    ("upah_dilaporkan", "Upah Dilaporkan"),
    ("tanggal_nonaktif", "Tanggal Nonaktif"),
    ("alasan_nonaktif", "Alasan Nonaktif"),
    ("segmen", "Segmen"),
    ("kantor_cabang", "Kantor Cabang"),
)
CLAIMS = (
    ("kpj", "No KPJ"),
    ("nik", "NIK"),
    ("jenis_klaim", "Jenis Klaim"),
    ("tanggal_kejadian", "Tanggal Kejadian"),
    ("tanggal_bayar", "Tanggal Bayar"),
    ("nilai_manfaat", "Nilai Manfaat"),
)


@dataclass(frozen=True)
class Spec:
    """How one file is written."""

    kind: str  # xlsx | csv
    columns: tuple[tuple[str, str], ...]  # (canonical key, header label)
    tanggal: str = "cell"  # cell | serial | a strftime pattern
    encoding: str = "utf-8"
    delimiter: str = ","
    newline: str = "\n"
    jk: str = "full"  # full | short | title
    kode: str = "dotted"  # dotted | digits
    desil: str = "text"  # text | number | desil
    pekerjaan: str = "upper"  # upper | title | spaced
    rupiah: str = "number"  # number | text
    titles: tuple[str, ...] = ()


@dataclass
class Row:
    """One data row of a landing file and what the generator knows about it."""

    cells: dict[str, object]
    person: Person | None = None
    codes: list[str] = field(default_factory=list)  # expected hard reason codes
    note: str = ""  # construction note ('' = a plain, clean row)
    berkas: str = ""
    baris: int = 0


P3KE_SPECS = (
    Spec("xlsx", OFFICIAL, "cell", desil="number"),
    Spec("xlsx", OFFICIAL, "%d-%m-%Y", desil="desil"),
    Spec("csv", ALIASED, "%d/%m/%Y", encoding="utf-8-sig", delimiter=";", newline="\r\n", jk="short", kode="digits"),
    Spec("xlsx", OFFICIAL, "serial"),
    Spec("csv", OFFICIAL[1:], "%d-%m-%Y", encoding="cp1252", newline="\r\n", jk="title", pekerjaan="title"),
    Spec("xlsx", OFFICIAL, "%d/%m/%Y", desil="desil"),
    Spec("csv", SNAKE, "%Y-%m-%d", kode="digits", pekerjaan="spaced"),
    Spec("xlsx", OFFICIAL, "cell"),
)
ROSTER_SPEC = Spec(
    "xlsx",
    ROSTER,
    "cell",
    jk="short",
    kode="digits",
    titles=(
        "DAFTAR PESERTA BPJS KETENAGAKERJAAN SEGMEN BUKAN PENERIMA UPAH (BPU)",
        "Pemberi kerja: PEMERINTAH KABUPATEN SIJUNJUNG",
        "Posisi data: 31-07-2025",
    ),
)
CLAIM_SPECS = {
    "klaim_jkk_jkm_2022_2024.csv": Spec("csv", CLAIMS, "%d/%m/%Y", rupiah="text"),
    "klaim_jkk_jkm_2025.xlsx": Spec(
        "xlsx", CLAIMS, "cell", titles=("KLAIM JKK DAN JKM PESERTA BPU PEMKAB SIJUNJUNG TAHUN 2025",)
    ),
}


def p3ke_file_name(kode_kec: str, nama_kec: str, spec: Spec) -> str:
    slug = nama_kec.lower().replace(" ", "_")
    return f"p3ke_individu_{kode_kec.replace('.', '')}_{slug}.{spec.kind}"


def rupiah_text(amount: int) -> str:
    return "Rp " + f"{amount:,}".replace(",", ".")


def render(key: str, value: object, spec: Spec) -> object:
    """A canonical value as this file writes it."""
    if value is None or isinstance(value, Raw | XlNumber):
        return value if spec.kind == "xlsx" or value is None else _csv_text(value)
    if isinstance(value, dt.date):
        if spec.tanggal == "cell":
            return value if spec.kind == "xlsx" else value.isoformat()
        if spec.tanggal == "serial":
            return XlNumber((value - EXCEL_EPOCH).days)
        return value.strftime(spec.tanggal)
    if key == "jenis_kelamin":
        return {"short": value[0], "title": value.capitalize()}.get(spec.jk, value)
    if key == "kode_kemdagri" and spec.kode == "digits":
        return value.replace(".", "")
    if key == "desil_kesejahteraan":
        return {"number": value, "desil": f"Desil {value}"}.get(spec.desil, str(value))
    if key == "pekerjaan":
        return {"title": value.title(), "spaced": value.replace("/", " / ")}.get(spec.pekerjaan, value)
    if key in ("upah_dilaporkan", "nilai_manfaat"):
        return rupiah_text(value) if spec.rupiah == "text" else value
    if isinstance(value, int) and spec.kind == "csv":
        return str(value)
    return value


def _csv_text(value: Raw | XlNumber) -> str:
    if isinstance(value, Raw):
        return value.text
    number = value.value
    return str(int(number)) if float(number).is_integer() else str(number)


def write_rows(path: Path, rows: list[Row], spec: Spec) -> None:
    """Write a file and record each row's file name and spreadsheet row number."""
    header = [label for _, label in spec.columns]
    table = []
    for i, row in enumerate(rows, start=1):
        cells = dict(row.cells, no=i)
        table.append([render(key, cells.get(key), spec) for key, _ in spec.columns])
    if spec.kind == "xlsx":
        first = write_xlsx(path, header, table, list(spec.titles))
    else:
        write_csv(path, header, table, spec.encoding, spec.delimiter, spec.newline)
        first = 2
    for i, row in enumerate(rows):
        row.berkas, row.baris = path.name, first + i


def p3ke_cells(person: Person, hh: Household, names: dict[str, str]) -> dict[str, object]:
    kec = person.kode_desa[:8]
    return {
        "id_keluarga_p3ke": hh.id_keluarga,
        "id_individu": "",
        "nama": person.nama,
        "nik": person.nik,
        "jenis_kelamin": person.jenis_kelamin,
        "tanggal_lahir": person.tanggal_lahir,
        "kode_kemdagri": person.kode_desa,
        "desil_kesejahteraan": hh.desil,
        "pekerjaan": person.pekerjaan,
        "provinsi": "SUMATERA BARAT",
        "kabupaten_kota": names.get(person.kode_desa[:5], "").upper().removeprefix("KABUPATEN "),
        "kecamatan": names.get(kec, "").upper(),
        "desa_kelurahan": names.get(person.kode_desa, "").upper(),
        "alamat": hh.alamat,
        "padan_dukcapil": "YA",
        "hubungan_dengan_kepala_keluarga": person.hubungan,
        "status_kawin": person.status_kawin,
        "pendidikan": person.pendidikan,
        "penerima_pkh": hh.bantuan[0],
        "penerima_bpnt": hh.bantuan[1],
        "penerima_sembako": hh.bantuan[2],
        "penerima_pbi_jk": "YA" if hh.desil <= 2 else "TIDAK",
    }


def household_rows(hh: Household, names: dict[str, str]) -> list[Row]:
    """The family's rows, head first; id_individu = id_keluarga + member number."""
    rows = []
    for n, person in enumerate(hh.members, start=1):
        cells = p3ke_cells(person, hh, names)
        cells["id_individu"] = f"{hh.id_keluarga}{n:02d}"
        rows.append(Row(cells, person))
    return rows
