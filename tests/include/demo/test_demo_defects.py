"""Every reason code's defect is really in the files, at the row the truth names; every file stays under 5 %."""

from __future__ import annotations

import datetime as dt
import re

from include.wilayah import in_region, load_wilayah, normalise_kode
from tests.include.demo.landing_files import as_date, as_jk, as_rupiah, as_text, read_table

CODES = {
    "p3ke": {"NIK_RUSAK_EXCEL", "NIK_KOSONG", "NIK_FORMAT", "NIK_TANGGAL", "NAMA_KOSONG", "TANGGAL_LAHIR_TIDAK_VALID",
             "JENIS_KELAMIN_TIDAK_VALID", "DESIL_TIDAK_VALID", "WILAYAH_TIDAK_VALID", "WILAYAH_DI_LUAR", "ID_KOSONG"},
    "peserta": {"KPJ_FORMAT", "KPJ_GANDA", "TANGGAL_KEPESERTAAN_TIDAK_VALID", "STATUS_TIDAK_VALID",
                "SUMBER_DANA_TIDAK_VALID", "UPAH_TIDAK_VALID", "NONAKTIF_TANPA_TANGGAL"},
    "klaim": {"KLAIM_KPJ_TIDAK_DIKENAL", "KLAIM_JENIS_TIDAK_VALID", "KLAIM_TANGGAL_TIDAK_VALID",
              "KLAIM_NILAI_TIDAK_VALID"},
}
FOLDERS = {"p3ke": "p3ke", "peserta": "bpjs/peserta", "klaim": "bpjs/klaim"}


def nik_date_invalid(nik: str) -> bool:
    day, month, yy = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    day = day - 40 if day > 40 else day
    for century in (1900, 2000):
        try:
            dt.date(century + yy, month, day)
            return False
        except ValueError:
            continue
    return True


def shows(code: str, row: dict, earlier_kpjs: set[str], known_kpjs: set[str]) -> bool:
    """Does the raw row really carry the defect the code names?"""
    wilayah = load_wilayah()
    nik = row.get("nik")
    kode = normalise_kode(as_text(row.get("kode_kemdagri")))
    checks = {
        "NIK_RUSAK_EXCEL": lambda: isinstance(nik, int | float) or bool(re.fullmatch(r"\d[.,]\d+E\+15|\d+\.0", str(nik))),
        "NIK_KOSONG": lambda: as_text(nik) == "",
        "NIK_FORMAT": lambda: not re.fullmatch(r"\d{16}", as_text(nik)),
        "NIK_TANGGAL": lambda: re.fullmatch(r"\d{16}", as_text(nik)) and nik_date_invalid(as_text(nik)),
        "NAMA_KOSONG": lambda: as_text(row.get("nama")) == "",
        "TANGGAL_LAHIR_TIDAK_VALID": lambda: (d := as_date(row.get("tanggal_lahir"))) is None
        or d > dt.date(2025, 7, 31) or d.year < 1905,
        "JENIS_KELAMIN_TIDAK_VALID": lambda: as_jk(row.get("jenis_kelamin")) is None,
        "DESIL_TIDAK_VALID": lambda: as_text(row.get("desil_kesejahteraan")).removeprefix("Desil ") not in "1234",
        "WILAYAH_TIDAK_VALID": lambda: not wilayah.is_desa(kode),
        "WILAYAH_DI_LUAR": lambda: wilayah.is_desa(kode) and not in_region(kode, "13.03"),
        "ID_KOSONG": lambda: as_text(row.get("id_individu")) == "",
        "KPJ_FORMAT": lambda: not re.fullmatch(r"\d{11}", as_text(row.get("kpj"))),
        "KPJ_GANDA": lambda: as_text(row.get("kpj")) in earlier_kpjs,
        "TANGGAL_KEPESERTAAN_TIDAK_VALID": lambda: as_date(row.get("tanggal_kepesertaan")) is None,
        "STATUS_TIDAK_VALID": lambda: as_text(row.get("status_kepesertaan")) not in ("AKTIF", "NONAKTIF"),
        "SUMBER_DANA_TIDAK_VALID": lambda: as_text(row.get("sumber_dana")) not in ("APBD", "APB_NAGARI", "CSR",
                                                                                   "MANDIRI"),
        "UPAH_TIDAK_VALID": lambda: (as_rupiah(row.get("upah_dilaporkan")) or 0) < 1_000_000,
        "NONAKTIF_TANPA_TANGGAL": lambda: as_text(row.get("status_kepesertaan")) == "NONAKTIF"
        and as_date(row.get("tanggal_nonaktif")) is None,
        "KLAIM_KPJ_TIDAK_DIKENAL": lambda: as_text(row.get("kpj")) not in known_kpjs,
        "KLAIM_JENIS_TIDAK_VALID": lambda: as_text(row.get("jenis_klaim")) not in ("JKK", "JKM"),
        "KLAIM_TANGGAL_TIDAK_VALID": lambda: as_date(row.get("tanggal_bayar")) is None,
        "KLAIM_NILAI_TIDAK_VALID": lambda: as_rupiah(row.get("nilai_manfaat")) is None,
    }
    return bool(checks[code]())


def test_every_reason_code_appears_in_its_source(demo_run):
    _, _, truth = demo_run
    for sumber, codes in CODES.items():
        assert set(truth["alasan"][sumber]) == codes
        assert all(n >= 1 for n in truth["alasan"][sumber].values())


def test_each_quarantined_row_really_carries_its_defects(demo_run):
    _, landing, truth = demo_run
    tables = {(s, p.name): dict(read_table(p)) for s, f in FOLDERS.items() for p in (landing / f).iterdir()}
    roster_name = next(name for s, name in tables if s == "peserta")
    roster = sorted(tables[("peserta", roster_name)].items())
    known = {as_text(r["kpj"]) for _, r in roster}
    for entry in truth["karantina"]:
        row = tables[(entry["sumber"], entry["berkas"])][entry["baris"]]
        earlier = {as_text(r["kpj"]) for n, r in roster if n < entry["baris"]} if entry["sumber"] == "peserta" else set()
        for code in entry["alasan"].split("|"):
            assert shows(code, row, earlier, known), entry


def test_excel_damage_comes_in_every_form(demo_run):
    _, landing, _ = demo_run
    xlsx_numbers, texts = 0, set()
    for path in sorted((landing / "p3ke").iterdir()):
        for _, row in read_table(path):
            nik = row["nik"]
            if isinstance(nik, int | float):
                xlsx_numbers += 1
            elif re.fullmatch(r"\d[.,]\d+E\+15|\d+\.0", as_text(nik)):
                texts.add("comma" if "," in nik else "dot_zero" if nik.endswith(".0") else "sci")
    assert xlsx_numbers >= 1
    assert texts == {"sci", "comma", "dot_zero"}


def test_every_file_quarantines_under_five_percent(demo_run):
    _, landing, truth = demo_run
    for folder in FOLDERS.values():
        for path in (landing / folder).iterdir():
            rows = len(read_table(path))
            counted = [k for k in truth["karantina"] if k["berkas"] == path.name and k["alasan"] != "WILAYAH_DI_LUAR"]
            assert 100 * len(counted) / rows < 5, path.name


def test_csv_forms(demo_run):
    _, landing, _ = demo_run
    raw = {p.name: p.read_bytes() for p in (landing / "p3ke").iterdir() if p.suffix == ".csv"}
    bom = [b for b in raw.values() if b.startswith(b"\xef\xbb\xbf")]
    assert len(bom) == 1 and b";" in bom[0].split(b"\r\n", 1)[0]
    windows = [b for b in raw.values() if b"\x92" in b]  # U+2019 in Windows-1252
    assert len(windows) == 1
    text = windows[0].decode("cp1252")
    assert "\u2019" in text and re.search(r'"JORONG [^"\r\n]*\nNAGARI', text)
    assert any(b.count(b"\r\n") == 0 and not b.startswith(b"\xef\xbb\xbf") for b in raw.values())
