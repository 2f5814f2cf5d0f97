import os
import re
import stat
import zipfile

import openpyxl
import pandas as pd
import pytest

from include.model import CALON_COLUMNS
from include.reports.writer import REPORT_FILES, write_reports

# calon and tinjauan NIKs are shown (masked) in both; rincian NIKs only in the workbook
MASKED = ("130302******0003", "130302******0004", "130305******0005", "130305******0006")


def _xlsx_text(path) -> str:
    with zipfile.ZipFile(path) as archive:
        return "".join(archive.read(name).decode("utf-8") for name in archive.namelist())


def test_writes_exactly_the_eight_contract_files(tmp_path, report_data):
    folder = tmp_path / "laporan" / "2025-07"
    paths = write_reports(folder, report_data)
    assert [p.name for p in paths] == [
        "rincian_iuran.csv",
        "rekap_iuran.csv",
        "calon_peserta.csv",
        "perlu_tinjauan.csv",
        "karantina.csv",
        "ringkasan.json",
        "laporan.xlsx",
        "laporan.html",
    ]
    assert sorted(p.name for p in folder.iterdir()) == sorted(REPORT_FILES)


def test_two_writes_of_the_same_data_are_byte_identical(tmp_path, make_data):
    write_reports(tmp_path / "a", make_data())
    write_reports(tmp_path / "b", make_data())
    write_reports(tmp_path / "a", make_data())  # rewriting in place
    for name in REPORT_FILES:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_workbook_and_page_never_show_a_full_nik(tmp_path, report_data, full_niks):
    write_reports(tmp_path, report_data)
    xlsx, html = _xlsx_text(tmp_path / "laporan.xlsx"), (tmp_path / "laporan.html").read_text(encoding="utf-8")
    for text in (xlsx, html):
        for nik in full_niks:
            assert nik not in text
        assert "1.30304E+15" not in text and "1303041203850" not in text  # malformed NIKs in karantina
        for masked in MASKED:
            assert masked in text
    assert "130304******0001" in xlsx and "****************" in html  # rincian; karantina's broken NIK
    # the CSVs are the internal files and keep the full NIK
    assert full_niks[0] in (tmp_path / "rincian_iuran.csv").read_text(encoding="utf-8")


def test_workbook_sheets_formats_and_months(tmp_path, report_data):
    write_reports(tmp_path, report_data)
    workbook = openpyxl.load_workbook(tmp_path / "laporan.xlsx")
    assert workbook.sheetnames == [
        "Ringkasan",
        "Rekap",
        "Rincian",
        "Calon Peserta",
        "Perlu Tinjauan",
        "Karantina",
        "Kualitas Data",
    ]
    summary = workbook["Ringkasan"]
    assert summary["A1"].value == "Laporan Iuran Pekerja Rentan — Juli 2025"
    figures = {}
    for label, value in summary.iter_rows(min_col=1, max_col=2):
        figures.setdefault(label.value, value)  # the first 'Total iuran' is the month's
    assert figures["Total iuran"].value == 50_400
    assert "Rp" in figures["Total iuran"].number_format and "#,##0" in figures["Total iuran"].number_format
    assert len(summary._charts) == 3
    rincian = workbook["Rincian"]
    assert [c.value for c in rincian[1]][:4] == ["Periode", "KPJ", "NIK", "Nama"]
    assert rincian["A2"].value == "Juli 2025"
    assert rincian["B2"].value == "00012345678"  # KPJ stays text with its leading zeros
    assert rincian["C2"].value == "130304******0001"
    assert rincian["L2"].value == 16_800 and "Rp" in rincian["L2"].number_format
    assert rincian.freeze_panes == "A2"
    assert rincian.auto_filter.ref == "A1:M4"
    assert workbook["Perlu Tinjauan"]["H2"].value == "130305******0006"  # kandidat_nik


def test_page_shows_indonesian_figures_and_escapes_text(tmp_path, report_data):
    write_reports(tmp_path, report_data)
    html = (tmp_path / "laporan.html").read_text(encoding="utf-8")
    assert "<title>Laporan Iuran Pekerja Rentan — Juli 2025</title>" in html
    assert "Rp 5.479.891.200" in html  # kumulatif
    assert "Rp 3.053.299.200" in html  # pagu
    assert "Maret 2022" in html and "0,01 %" in html
    assert html.count("<svg") == 4
    assert "<script" not in html and not re.search(r'(src|href)="https?:', html)


def test_outcome_counts_are_listed_with_their_total(tmp_path, report_data):
    write_reports(tmp_path, report_data)
    html = (tmp_path / "laporan.html").read_text(encoding="utf-8")
    assert 'Calon peserta</td><td class="angka">2</td>' in html
    assert 'Baris P3KE masuk</td><td class="angka">9</td>' in html
    assert "tidak sama dengan baris masuk" not in html


def test_text_in_charts_and_tables_is_escaped(tmp_path, report_data):
    report_data.rekap.loc[0, "kecamatan"] = 'A&B <script>alert("x")</script>'
    write_reports(tmp_path, report_data)
    html = (tmp_path / "laporan.html").read_text(encoding="utf-8")
    assert "<script>" not in html
    assert "A&amp;B &lt;script&gt;" in html


def test_empty_sections_and_a_year_without_budget_render(tmp_path, make_data):
    data = make_data(empty_lists=True, pagu=None)
    data.iuran_bulanan = data.iuran_bulanan.iloc[0:0]
    write_reports(tmp_path, data)
    html = (tmp_path / "laporan.html").read_text(encoding="utf-8")
    assert "tidak ada pagu" in html
    assert "Tidak ada calon peserta bulan ini." in html
    assert "Tidak ada baris yang dikarantina." in html
    workbook = openpyxl.load_workbook(tmp_path / "laporan.xlsx")
    values = [cell.value for row in workbook["Ringkasan"].iter_rows() for cell in row if cell.value]
    assert "tidak ada pagu" in values
    assert workbook["Calon Peserta"].max_row == 1


def _long_calon(calon: pd.DataFrame, count: int) -> pd.DataFrame:
    """`count` candidates made from the first one, each with its own id, NIK and priority."""
    row = calon.iloc[0].tolist()
    rows = []
    for i in range(count):
        copy = list(row)
        copy[1], copy[3], copy[14] = f"P-{i:04d}", f"1303020101{i:06d}", i + 1
        rows.append(copy)
    return pd.DataFrame(rows, columns=CALON_COLUMNS)


def test_long_lists_are_capped_in_the_page_but_complete_in_the_workbook(tmp_path, report_data):
    report_data.calon = _long_calon(report_data.calon, 250)
    write_reports(tmp_path, report_data)
    html = (tmp_path / "laporan.html").read_text(encoding="utf-8")
    assert "Ditampilkan 200 dari 250 baris; lihat laporan.xlsx" in html
    assert "P-0199" in html and "P-0200" not in html
    assert openpyxl.load_workbook(tmp_path / "laporan.xlsx")["Calon Peserta"].max_row == 251


@pytest.mark.parametrize("tz", ["UTC", "Asia/Jakarta"])
def test_workbook_bytes_do_not_depend_on_the_time_zone(tmp_path, make_data, monkeypatch, tz):
    import time

    write_reports(tmp_path / "ref", make_data())
    monkeypatch.setenv("TZ", tz)
    time.tzset()
    try:
        write_reports(tmp_path / tz, make_data())
    finally:
        monkeypatch.undo()
        time.tzset()
    assert (tmp_path / tz / "laporan.xlsx").read_bytes() == (tmp_path / "ref" / "laporan.xlsx").read_bytes()


def test_files_with_full_nik_are_readable_by_their_owner_alone(tmp_path, report_data):
    previous = os.umask(0o022)
    try:
        write_reports(tmp_path, report_data)
        write_reports(tmp_path, report_data)  # a rewrite keeps the modes
    finally:
        os.umask(previous)
    modes = {path.name: stat.S_IMODE(path.stat().st_mode) for path in tmp_path.iterdir()}
    assert {name for name, mode in modes.items() if mode == 0o600} == {
        "rincian_iuran.csv", "calon_peserta.csv", "perlu_tinjauan.csv", "karantina.csv"}
    assert {name for name, mode in modes.items() if mode == 0o644} == {
        "rekap_iuran.csv", "ringkasan.json", "laporan.xlsx", "laporan.html"}


def test_a_list_longer_than_a_sheet_holds_is_cut_in_the_workbook_and_complete_in_the_csv(
        tmp_path, report_data, monkeypatch):
    from include.reports import workbook

    monkeypatch.setattr(workbook, "XLSX_BARIS_MAKS", 100)
    report_data.calon = _long_calon(report_data.calon, 250)
    write_reports(tmp_path, report_data)
    sheet = openpyxl.load_workbook(tmp_path / "laporan.xlsx")["Calon Peserta"]
    ids = [sheet.cell(r, 2).value for r in range(2, sheet.max_row + 1)]
    assert ids == [f"P-{i:04d}" for i in range(100)]
    assert sheet.cell(1, len(CALON_COLUMNS) + 2).value == "100 baris pertama dari 250; semua baris ada di calon_peserta.csv"
    assert len(pd.read_csv(tmp_path / "calon_peserta.csv")) == 250
    rekap = openpyxl.load_workbook(tmp_path / "laporan.xlsx")["Rekap"]
    assert rekap.cell(1, len(report_data.rekap.columns) + 2).value is None
