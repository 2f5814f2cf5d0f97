"""Indonesian display formats for the reports: Rupiah, numbers, percentages, months, masked NIKs.

Used by the workbook and the HTML page; the CSV files keep the raw contract values.
Every function takes a missing value (None, NaN, pd.NA) and returns ''.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from include.periods import BULAN, bulan_tahun, parse_period

__all__ = [
    "COLUMN_LABELS",
    "OUTCOME_LABELS",
    "angka",
    "bulan",
    "bulan_singkat",
    "bulan_tahun",
    "desimal",
    "is_missing",
    "label",
    "mask_nik",
    "tahun_lahir",
    "persen",
    "rupiah",
    "rupiah_singkat",
    "tanggal",
]

NIK_MASK_FULL = "*" * 16
_NIK = re.compile(r"^\d{16}$")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})")

COLUMN_LABELS = {
    "periode": "Periode",
    "kpj": "KPJ",
    "nik": "NIK",
    "nama": "Nama",
    "kode_kemdagri": "Kode Wilayah",
    "kode_kecamatan": "Kode Kecamatan",
    "kecamatan": "Kecamatan",
    "desa_kelurahan": "Desa/Nagari",
    "sumber_dana": "Sumber Dana",
    "upah_dilaporkan": "Upah Dilaporkan",
    "iuran_jkk": "Iuran JKK",
    "iuran_jkm": "Iuran JKM",
    "total_iuran": "Total Iuran",
    "status_tagihan": "Status Tagihan",
    "jumlah_peserta": "Jumlah Peserta",
    "peserta_baru": "Peserta Baru",
    "id_individu": "ID Individu",
    "id_keluarga_p3ke": "ID Keluarga P3KE",
    "jenis_kelamin": "Jenis Kelamin",
    "tanggal_lahir": "Tahun Lahir",
    "desil_kesejahteraan": "Desil",
    "pekerjaan": "Pekerjaan",
    "jenis": "Jenis",
    "kpj_lama": "KPJ Lama",
    "prioritas": "Prioritas",
    "kandidat_kpj": "KPJ Kandidat",
    "kandidat_nik": "NIK Kandidat",
    "kandidat_nama": "Nama Kandidat",
    "kandidat_tanggal_lahir": "Tahun Lahir Kandidat",
    "probabilitas": "Probabilitas",
    "alasan": "Alasan",
    "sumber": "Sumber",
    "berkas": "Berkas",
    "baris": "Baris",
    "id": "ID (Individu/KPJ)",
    "temuan": "Temuan",
    "jumlah": "Jumlah",
    "iuran_apbd": "Iuran APBD",
}

OUTCOME_LABELS = {
    "karantina": "Karantina (data tidak valid)",
    "duplikat_p3ke": "Duplikat dalam P3KE",
    "terdaftar_aktif": "Sudah terdaftar aktif",
    "tidak_memenuhi_syarat": "Tidak memenuhi syarat",
    "perlu_tinjauan": "Perlu tinjauan",
    "calon_peserta": "Calon peserta",
}

TOTAL_ROWS = "baris_total"  # frame.attrs key: the rows of a list of which the frame holds the first ones


def label(column: str) -> str:
    """The Indonesian heading of a report column."""
    return COLUMN_LABELS.get(column, column.replace("_", " ").capitalize())


def is_missing(value: object) -> bool:
    """None, NaN, NaT, pd.NA or an empty string."""
    if value is None:
        return True
    if isinstance(value, str):
        return value.strip() == ""
    try:
        return bool(value != value)  # NaN, NaT
    except TypeError:  # pd.NA cannot be compared to a bool
        return True


def _decimal(value: object) -> Decimal | None:
    if is_missing(value) or isinstance(value, bool):
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def _group(digits: str) -> str:
    """'5479891200' -> '5.479.891.200'."""
    head = len(digits) % 3 or 3
    parts = [digits[:head]] + [digits[i : i + 3] for i in range(head, len(digits), 3)]
    return ".".join(parts)


def angka(value: object, desimal: int = 0) -> str:
    """16590 -> '16.590'; angka(1234.5, 1) -> '1.234,5' (half up)."""
    number = _decimal(value)
    if number is None:
        return ""
    quantum = Decimal(1).scaleb(-desimal)
    number = number.quantize(quantum, rounding=ROUND_HALF_UP)
    sign = "-" if number < 0 else ""
    whole, _, fraction = f"{abs(number):f}".partition(".")
    text = sign + _group(whole)
    return f"{text},{fraction}" if desimal > 0 else text


def desimal(value: object, places: int = 4) -> str:
    """0.87345 -> '0,8735' (a probability, Indonesian decimal comma)."""
    return angka(value, places)


def rupiah(value: object) -> str:
    """5479891200 -> 'Rp 5.479.891.200' (whole Rupiah; a negative amount reads '-Rp 1.000')."""
    text = angka(value)
    if not text:
        return ""
    return f"-Rp {text[1:]}" if text.startswith("-") else f"Rp {text}"


def rupiah_singkat(value: float) -> str:
    """An axis label: 0 -> 'Rp 0', 250000000 -> 'Rp 250 jt', 1500000000 -> 'Rp 1,5 M'."""
    for size, unit in ((1e12, "T"), (1e9, "M"), (1e6, "jt"), (1e3, "rb")):
        if abs(value) >= size:
            scaled = value / size
            places = 0 if math.isclose(scaled, round(scaled)) else 1
            return f"Rp {angka(scaled, places)} {unit}"
    return f"Rp {angka(value)}"


def persen(value: object) -> str:
    """95.13 -> '95,13 %' (value already x100, two decimals)."""
    text = angka(value, 2)
    return f"{text} %" if text else ""


def mask_nik(value: object) -> str:
    """'1303041203850001' -> '130304******0001'; anything else that is not empty -> 16 '*'.

    The first six digits are the registration area (kecamatan), the last four a serial;
    the birth date in the middle is hidden. A malformed value may hold any personal text,
    so nothing of it is shown.
    """
    if is_missing(value):
        return ""
    text = str(value).strip()
    if _NIK.match(text):
        return f"{text[:6]}{'*' * 6}{text[-4:]}"
    return NIK_MASK_FULL


def bulan_singkat(periode: str) -> str:
    """'2025-08' -> 'Agu 2025' (chart labels)."""
    year, month = parse_period(periode)
    return f"{BULAN[month - 1][:3]} {year}"


def tanggal(value: object) -> str:
    """'1985-03-12' or a date -> '12-03-1985'; unrecognised text is returned as is."""
    if is_missing(value):
        return ""
    if isinstance(value, dt.date):
        return value.strftime("%d-%m-%Y")
    match = _ISO_DATE.match(str(value))
    if not match:
        return str(value)
    return f"{match.group(3)}-{match.group(2)}-{match.group(1)}"


def tahun_lahir(value: object) -> str:
    """'1985-03-12' or a date -> '1985': what the shareable reports show of a birth date.

    The day and month beside a masked NIK would give its hidden middle digits back (DDMMYY, women's
    day plus 40), so the workbook and the page show the year only; the CSVs keep the date.
    Unrecognised text shows nothing: it may hold the date in another form.
    """
    if is_missing(value):
        return ""
    if isinstance(value, dt.date):
        return str(value.year)
    match = _ISO_DATE.match(str(value))
    return match.group(1) if match else ""


def bulan(periode: object) -> str:
    """bulan_tahun that tolerates an empty value."""
    return "" if is_missing(periode) else bulan_tahun(str(periode))
