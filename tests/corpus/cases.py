"""The manifest of the bad-input corpus: what ingest must make of each file, exactly.

A failing file raises one one-line error (SourceFileError or ValidationFailed) whose
whole text is stated here. A loadable file is staged with exactly the row numbers
and quarantined rows stated here; every good row equals its person's truth in
build.py (PEOPLE, ROSTER, CLAIMS) with the values of `rows` on top, which spell out
what the case is about.

A formula cell without a saved value (a workbook written by a program, never opened
in Excel) is not read as an empty cell: the file fails naming the cell, its column and
row, since the value the user sees in Excel is not in the file. Formulas with a saved
value (as Excel writes them) are read as that value; an Excel error value (`#N/A` of a
failed lookup, `#REF!`, ...) is no value: the cell is empty and the column's rule applies.
`roster_upah` has 3 bad rows of 60, exactly 5 %: it loads, since a file fails above 5 %.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

D = dt.date
FIX_ROWS = "fix those rows or remove the file from the landing zone"
ADD_COLUMN = "add the column or fix the header"
ADD_ROWS = "add the data rows or remove the file"


@dataclass(frozen=True)
class Fails:
    """The run fails with this exception and exactly this message."""

    error: str
    kind: str = "SourceFileError"


@dataclass(frozen=True)
class Loads:
    """The file is staged: `baris` are all its row numbers in order, `karantina` its (berkas, baris, alasan)."""

    baris: tuple[int, ...]
    karantina: tuple[tuple[str, int, str], ...] = ()
    rows: dict[int, dict] = field(default_factory=dict)
    absent: tuple[str, ...] = ()
    duplikat: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Case:
    """files: corpus paths in the landing layout; roster: ingested first (claims need the roster's KPJs);
    replaced_by: bytes that replace the (only) file after the run listed it; removed: the file is deleted
    after the run listed it."""

    name: str
    source: str
    files: tuple[str, ...]
    outcome: Fails | Loads
    roster: str | None = None
    replaced_by: str | None = None
    removed: bool = False


def rows(first: int, last: int, *skip: int) -> tuple[int, ...]:
    return tuple(n for n in range(first, last + 1) if n not in skip)


CASES = [
    Case("empty_csv", "p3ke", ("p3ke/kosong.csv",),
         Fails("p3ke/kosong.csv: is empty; a header on line 1 and data rows are expected")),
    Case("empty_xlsx", "p3ke", ("p3ke/kosong.xlsx",),
         Fails("p3ke/kosong.xlsx: is empty (0 bytes); upload the workbook again, saved from Excel as .xlsx")),
    Case("header_only", "p3ke", ("p3ke/hanya_header.csv",),
         Fails("p3ke/hanya_header.csv row 1: no data row below the header (row 1); " + ADD_ROWS)),
    Case("xlsx_titles_and_header_only", "p3ke", ("p3ke/hanya_header.xlsx",),
         Fails("p3ke/hanya_header.xlsx row 4: no data row below the header (row 4); " + ADD_ROWS)),
    Case("xlsx_header_below_row_20", "p3ke", ("p3ke/header_baris_21.xlsx",),
         Fails("p3ke/header_baris_21.xlsx: required columns 'id_keluarga_p3ke', 'id_individu', 'nama', 'nik', "
               "'jenis_kelamin', 'tanggal_lahir', 'kode_kemdagri', 'desil_kesejahteraan', 'pekerjaan' missing "
               "(no header with these columns in the first 20 rows); " + ADD_COLUMN)),
    Case("xlsx_header_row_15_under_merged_titles", "p3ke", ("p3ke/judul_baris_15.xlsx",),
         Loads(rows(16, 38, 27), karantina=(("judul_baris_15.xlsx", 30, "DESIL_TIDAK_VALID"),),
               rows={16: {"id_individu": "JDL-000", "desil_kesejahteraan": 1, "kode_kemdagri": "13.03.03.2001",
                          "tanggal_lahir": D(1965, 6, 9)},
                     29: {"id_individu": "JDL-012", "nama": "Rosmaini Tanjung"},
                     31: {"id_individu": "JDL-014", "desil_kesejahteraan": 3}})),
    Case("missing_column_csv", "p3ke", ("p3ke/kolom_hilang.csv",),
         Fails("p3ke/kolom_hilang.csv: required column 'tanggal_lahir' missing (found: id_keluarga_p3ke, id_individu, "
               "nama, nik, jenis_kelamin, kode_kemendagri, desil_kesejahteraan, pekerjaan, alamat); " + ADD_COLUMN)),
    Case("missing_column_xlsx", "p3ke", ("p3ke/kolom_hilang.xlsx",),
         Fails("p3ke/kolom_hilang.xlsx: required column 'nik' missing (found: id_keluarga_p3ke, id_individu, nama, "
               "jenis_kelamin, tanggal_lahir, kode_kemendagri, desil_kesejahteraan, pekerjaan, alamat); "
               + ADD_COLUMN)),
    Case("extra_and_reordered_columns", "p3ke", ("p3ke/kolom_tambahan_urutan.csv",),
         Loads(rows(2, 5), absent=("alamat",),
               rows={2: {"id_individu": "URT-000", "nik": "1303030906651287", "jenis_kelamin": "LAKI-LAKI",
                         "tanggal_lahir": D(1965, 6, 9), "no": "1", "catatan_petugas": None, "kecamatan": "SIJUNJUNG"},
                     3: {"id_individu": "URT-001", "nik": "1303036307661288", "jenis_kelamin": "PEREMPUAN",
                         "tanggal_lahir": D(1966, 7, 23), "no": "2", "catatan_petugas": "sudah diverifikasi"}})),
    Case("semicolon_delimiter", "p3ke", ("p3ke/titik_koma.csv",),
         Loads(rows(2, 5), rows={2: {"alamat": "Jl. Lintas Sumatera, Km 3; RT 01", "jenis_kelamin": "LAKI-LAKI"},
                                 3: {"jenis_kelamin": "PEREMPUAN"}, 4: {"jenis_kelamin": "LAKI-LAKI"},
                                 5: {"alamat": "Jl. Lintas Sumatera, Km 6; RT 04", "jenis_kelamin": "PEREMPUAN"}})),
    Case("windows_1252", "p3ke", ("p3ke/windows_1252.csv",),
         Loads(rows(2, 6), rows={2: {"nama": "Nur’aini Putri"}, 3: {"nama": "José Chaniago"},
                                 4: {"nama": "Muñir Tanjung"}, 5: {"nama": "Syafi’i Koto"},
                                 6: {"nama": "Renée Sari", "alamat": "Jorong Melayu 5"}})),
    Case("utf8_bom", "p3ke", ("p3ke/utf8_bom.csv",),
         Loads(rows(2, 4), rows={2: {"id_keluarga_p3ke": "BOM-K000", "nama": "Nur’aini Putri"}})),
    Case("utf16_text", "p3ke", ("p3ke/utf16.csv",),
         Fails("p3ke/utf16.csv: is UTF-16 text (Excel's 'Unicode Text'); save it again as 'CSV UTF-8'")),
    Case("crlf", "p3ke", ("p3ke/crlf.csv",),
         Loads(rows(2, 4), rows={4: {"id_individu": "CRL-002", "alamat": "Jorong Koto 3",
                                     "pekerjaan": "BURUH HARIAN LEPAS"}})),
    Case("quoted_newline_in_alamat", "p3ke", ("p3ke/alamat_baris_baru.csv",),
         Loads(rows(2, 23), karantina=(("alamat_baris_baru.csv", 21, "NIK_FORMAT"),),
               rows={3: {"id_individu": "ALM-001", "alamat": "Jorong Koto Tuo\nNagari Muaro"},
                     6: {"id_individu": "ALM-004", "alamat": 'Rumah "Gadang" Batu\nRT 02\nRW 01'},
                     7: {"id_individu": "ALM-005"}})),
    Case("unquoted_delimiter_after_quoted_newline", "p3ke", ("p3ke/kolom_lebih.csv",),
         Fails("p3ke/kolom_lebih.csv row 4: has 11 fields where the header has 10; "
               "quote values that hold the delimiter")),
    Case("unclosed_quote", "p3ke", ("p3ke/kutip_terbuka.csv",),
         Fails("p3ke/kutip_terbuka.csv row 4: a quoted value starts here and is never closed; close the quote (\")")),
    Case("dates_as_text", "p3ke", ("p3ke/tanggal_teks.csv",),
         Loads(rows(2, 64), karantina=(("tanggal_teks.csv", 22, "TANGGAL_LAHIR_TIDAK_VALID"),
                                       ("tanggal_teks.csv", 32, "TANGGAL_LAHIR_TIDAK_VALID"),
                                       ("tanggal_teks.csv", 47, "TANGGAL_LAHIR_TIDAK_VALID")),
               rows={2: {"id_individu": "TGL-000", "tanggal_lahir": D(1965, 6, 9)},
                     3: {"id_individu": "TGL-001", "tanggal_lahir": D(1966, 7, 23)},
                     4: {"id_individu": "TGL-002", "tanggal_lahir": D(1967, 9, 5)},
                     5: {"id_individu": "TGL-003", "tanggal_lahir": D(1968, 10, 18)},
                     7: {"id_individu": "TGL-005", "tanggal_lahir": D(1971, 1, 14)}})),
    Case("dates_in_xlsx", "p3ke", ("p3ke/tanggal_excel.xlsx",),
         Loads(rows(2, 23), karantina=(("tanggal_excel.xlsx", 9, "TANGGAL_LAHIR_TIDAK_VALID"),),
               rows={2: {"id_individu": "TGX-000", "tanggal_lahir": D(1965, 6, 9)},
                     3: {"id_individu": "TGX-001", "tanggal_lahir": D(1966, 7, 23)},
                     4: {"id_individu": "TGX-002", "tanggal_lahir": D(1967, 9, 5)},
                     5: {"id_individu": "TGX-003", "tanggal_lahir": D(1968, 10, 18)},
                     6: {"id_individu": "TGX-004", "tanggal_lahir": D(1969, 12, 1)},
                     7: {"id_individu": "TGX-005", "tanggal_lahir": D(1971, 1, 14)}})),
    Case("nik_number_cell", "p3ke", ("p3ke/nik_angka.xlsx",),
         Loads(rows(2, 23), karantina=(("nik_angka.xlsx", 5, "NIK_RUSAK_EXCEL"),),
               rows={8: {"id_individu": "NKX-006", "nik": "1303032702729923"},
                     12: {"id_individu": "NKX-010", "kode_kemdagri": "13.03.05.2002"},
                     14: {"id_individu": "NKX-012", "desil_kesejahteraan": 1}})),
    Case("nik_damaged_or_padded_text", "p3ke", ("p3ke/nik_teks.csv",),
         Loads(rows(2, 64), karantina=(("nik_teks.csv", 12, "NIK_RUSAK_EXCEL"), ("nik_teks.csv", 22, "NIK_RUSAK_EXCEL"),
                                       ("nik_teks.csv", 32, "NIK_RUSAK_EXCEL")),
               rows={42: {"id_individu": "NKT-040", "nik": "1303051705779809"},
                     52: {"id_individu": "NKT-050", "nik": "1303042807889819"}})),
    Case("random_bytes_xlsx", "p3ke", ("p3ke/acak.xlsx",),
         Fails("p3ke/acak.xlsx: cannot be opened as an Excel workbook (BadZipFile); "
               "save it again from Excel as .xlsx")),
    Case("xls_or_password_protected_named_xlsx", "p3ke", ("p3ke/excel_97.xlsx",),
         Fails("p3ke/excel_97.xlsx: is an Excel 97-2003 (.xls) or password-protected workbook; save it from Excel as "
               "Excel Workbook (.xlsx), without a password")),
    Case("workbook_named_csv", "p3ke", ("p3ke/buku_kerja.csv",),
         Fails("p3ke/buku_kerja.csv: is an Excel workbook (.xlsx), not CSV text; "
               "name it .xlsx or save it as 'CSV UTF-8'")),
    Case("csv_named_xlsx", "p3ke", ("p3ke/teks_bernama.xlsx",),
         Fails("p3ke/teks_bernama.xlsx: holds text, not an Excel workbook; a CSV file must be named .csv")),
    Case("sheets_and_saved_formulas", "p3ke", ("p3ke/banyak_sheet.xlsx",),
         Loads(rows(2, 4), rows={2: {"id_individu": "SHT-000", "nama": "Nurhayati Putra",
                                     "tanggal_lahir": D(1965, 6, 9)},
                                 3: {"id_individu": "SHT-001", "nama": "Hendri Sari", "tanggal_lahir": D(1966, 7, 23)},
                                 4: {"id_individu": "SHT-002", "nama": "Yulianti Chaniago",
                                     "tanggal_lahir": D(1967, 9, 5)}})),
    Case("excel_error_values", "p3ke", ("p3ke/galat_excel.xlsx",),
         Loads(rows(2, 23), karantina=(("galat_excel.xlsx", 6, "NAMA_KOSONG"),),
               rows={11: {"id_individu": "ERR-009", "pekerjaan": None},
                     17: {"id_individu": "ERR-015", "pekerjaan": None}})),
    Case("formula_without_saved_value", "p3ke", ("p3ke/rumus_tanpa_nilai.xlsx",),
         Fails("p3ke/rumus_tanpa_nilai.xlsx row 2: cell C2 (column 'nama') holds a formula without a saved value; "
               "open the file in Excel and save it again, or write values, not formulas")),
    Case("outside_region_rows_do_not_count_toward_the_share", "p3ke", ("p3ke/luar_wilayah.csv",),
         Loads(rows(2, 31), karantina=tuple(("luar_wilayah.csv", n, "NIK_FORMAT" if n == 15 else "WILAYAH_DI_LUAR")
                                            for n in (2, 5, 8, 11, 14, 15, 17, 20, 23, 26, 29)))),
    Case("required_column_twice", "p3ke", ("p3ke/kolom_ganda.csv",),
         Fails("p3ke/kolom_ganda.csv: column 'nik' appears twice (columns 4 and 11); keep one of them")),
    Case("six_percent_bad_rows", "p3ke", ("p3ke/enam_persen.csv",),
         Fails("p3ke/enam_persen.csv: 6.0 % of rows quarantined (> 5 %): NIK_FORMAT=3 (rows 9, 25, 43); " + FIX_ROWS,
               kind="ValidationFailed")),
    Case("same_file_twice", "p3ke", ("p3ke/kembar_a.csv", "p3ke/kembar_b.csv"),
         Loads(rows(2, 5), duplikat={"kembar_b.csv": "kembar_a.csv"})),
    Case("replaced_while_read", "p3ke", ("p3ke/diganti.csv",), replaced_by="unggahan/diganti.csv",
         outcome=Fails("p3ke/diganti.csv: changed while it was being read; run again once the upload is complete")),
    Case("removed_while_read", "p3ke", ("p3ke/dihapus.csv",), removed=True,
         outcome=Fails("p3ke/dihapus.csv: was removed while the run read it; run again")),
    Case("roster_clean", "peserta", ("bpjs/peserta/peserta_2025-07.csv",), Loads(rows(2, 26))),
    Case("roster_duplicate_kpj", "peserta", ("bpjs/peserta/kpj_ganda.csv",),
         Loads(rows(2, 23), karantina=(("kpj_ganda.csv", 12, "KPJ_GANDA"),))),
    Case("roster_upah", "peserta", ("bpjs/peserta/upah.csv",),
         Loads(rows(2, 61), karantina=(("upah.csv", 7, "UPAH_TIDAK_VALID"), ("upah.csv", 27, "UPAH_TIDAK_VALID"),
                                       ("upah.csv", 47, "UPAH_TIDAK_VALID")),
               rows={8: {"kpj": "06700000006", "upah_dilaporkan": 1_500_000},
                     9: {"kpj": "06700000007", "upah_dilaporkan": 2_000_000}})),
    Case("roster_nik_and_kpj_number_cells", "peserta", ("bpjs/peserta/nik_kpj_excel.xlsx",),
         Loads(rows(2, 23), karantina=(("nik_kpj_excel.xlsx", 6, "KPJ_FORMAT"),),
               rows={4: {"kpj": "06300000002", "nik": "1303040509679623", "nik_rusak_excel": True,
                         "peringatan": "NIK_RUSAK_EXCEL"},
                     7: {"kpj": "06300000005", "tanggal_kepesertaan": D(2022, 8, 3)},
                     10: {"kpj": "06300000008", "upah_dilaporkan": 1_500_000}})),
    Case("roster_status_sumber_dana_dates", "peserta", ("bpjs/peserta/status_sumber.csv",),
         Loads(rows(2, 85), karantina=(("status_sumber.csv", 12, "NONAKTIF_TANPA_TANGGAL"),
                                       ("status_sumber.csv", 32, "STATUS_TIDAK_VALID"),
                                       ("status_sumber.csv", 52, "SUMBER_DANA_TIDAK_VALID"),
                                       ("status_sumber.csv", 72, "TANGGAL_KEPESERTAAN_TIDAK_VALID")),
               rows={3: {"kpj": "08000000001", "status_kepesertaan": "AKTIF", "sumber_dana": "APB_NAGARI"}})),
    Case("roster_missing_column", "peserta", ("bpjs/peserta/kolom_hilang.csv",),
         Fails("bpjs/peserta/kolom_hilang.csv: required column 'upah_dilaporkan' missing (found: no_kpj, nik, nama, "
               "tgl_lahir, jk, kode_kemendagri, tanggal_kepesertaan, status_kepesertaan, sumber_dana, "
               "tanggal_nonaktif, alasan_nonaktif); " + ADD_COLUMN)),
    Case("claims_bad_rows", "klaim", ("bpjs/klaim/klaim_salah.csv",), roster="bpjs/peserta/peserta_2025-07.csv",
         outcome=Loads(rows(2, 85), karantina=(("klaim_salah.csv", 12, "KLAIM_KPJ_TIDAK_DIKENAL"),
                                               ("klaim_salah.csv", 32, "KLAIM_JENIS_TIDAK_VALID"),
                                               ("klaim_salah.csv", 52, "KLAIM_TANGGAL_TIDAK_VALID"),
                                               ("klaim_salah.csv", 72, "KLAIM_NILAI_TIDAK_VALID")),
                       rows={2: {"kpj": "07700000000", "jenis_klaim": "JKM", "tanggal_kejadian": D(2022, 6, 1),
                                 "tanggal_bayar": D(2022, 6, 15), "nilai_manfaat": 2_500_000},
                             73: {"kpj": "07700000021", "jenis_klaim": "JKK"}})),
]
