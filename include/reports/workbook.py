"""laporan.xlsx: the month's report as an Excel workbook (XlsxWriter), NIK masked, birth year only, native charts.

Sheets: Ringkasan (key figures, chart data, three charts), Rekap, Rincian, Calon Peserta,
Perlu Tinjauan, Karantina, Kualitas Data (with the match-weight histogram beside the findings).
Amounts stay numbers with a Rupiah display format.
The bytes are deterministic: the document date is derived from the periode and XlsxWriter
stamps its zip members with a fixed date when it works in memory.

Number formats are stored in the file format's invariant notation (`#,##0`); the locale tag
[$-421] (Indonesian) makes LibreOffice show `Rp 5.479.891.200`, and Excel shows the
separators of the reader's regional settings (dots on an Indonesian system).
"""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd
import xlsxwriter
from xlsxwriter.utility import xl_col_to_name

from include.model import (
    CALON_COLUMNS,
    KARANTINA_COLUMNS,
    KUALITAS_COLUMNS,
    OUTCOMES,
    REKAP_COLUMNS,
    RINCIAN_COLUMNS,
    SUMBER_DANA,
    TINJAUAN_COLUMNS,
    ReportData,
)
from include.periods import first_day
from include.policy import default_policy
from include.reports import figures
from include.reports.formatting import (
    OUTCOME_LABELS,
    TOTAL_ROWS,
    angka,
    bulan,
    is_missing,
    label,
    mask_nik,
    tahun_lahir,
)

RUPIAH_FORMAT = "[$Rp-421] #,##0"
COUNT_FORMAT = "[$-421]#,##0"
PERCENT_FORMAT = '[$-421]0.00" %"'
PROBABILITY_FORMAT = "[$-421]0.0000"
WEIGHT_FORMAT = "[$-421]0.00"
NIK_COLUMNS = frozenset({"nik", "kandidat_nik"})
RUPIAH_COLUMNS = frozenset({"upah_dilaporkan", "iuran_jkk", "iuran_jkm", "total_iuran", "iuran_apbd"})
COUNT_COLUMNS = frozenset({"jumlah_peserta", "peserta_baru", "jumlah", "baris", "prioritas", "desil_kesejahteraan"})
DATE_COLUMNS = frozenset({"tanggal_lahir", "kandidat_tanggal_lahir"})
# A list sheet shows at most this many rows: a whole kabupaten (Sijunjung bills 16,590), not a nation
# (millions; Excel stops at 1,048,576, and writing a million rows costs minutes). The CSV beside it
# holds every row, and the sheet says so when it is cut. Rekap and Kualitas Data are aggregates (a few
# rows per kecamatan) and are never cut.
XLSX_BARIS_MAKS = 20_000
FULL_LIST = {"rincian": "rincian_iuran.csv", "calon": "calon_peserta.csv",
             "tinjauan": "perlu_tinjauan.csv", "karantina": "karantina.csv"}
DATA_SHEETS = (
    ("Rekap", "rekap", REKAP_COLUMNS),
    ("Rincian", "rincian", RINCIAN_COLUMNS),
    ("Calon Peserta", "calon", CALON_COLUMNS),
    ("Perlu Tinjauan", "tinjauan", TINJAUAN_COLUMNS),
    ("Karantina", "karantina", KARANTINA_COLUMNS),
    ("Kualitas Data", "kualitas", KUALITAS_COLUMNS),
)
SUMMARY = "Ringkasan"
# Ringkasan layout: key figures in A:B, charts from D, chart data tables from column P.
CHART_COLUMN, MONTHS_COLUMN, KECAMATAN_COLUMN, BUDGET_COLUMN = 3, 15, 20, 24
TABLE_TOP, CHART_SIZE = 3, {"width": 720, "height": 300}


def _formats(workbook: xlsxwriter.Workbook) -> dict:
    return {
        "title": workbook.add_format({"bold": True, "font_size": 14, "font_color": "#1F6F8B"}),
        "section": workbook.add_format({"bold": True, "bottom": 1, "font_color": "#1F6F8B"}),
        "header": workbook.add_format(
            {"bold": True, "bg_color": "#DDEBF0", "border": 1, "text_wrap": True, "valign": "top"}
        ),
        "rupiah": workbook.add_format({"num_format": RUPIAH_FORMAT}),
        "count": workbook.add_format({"num_format": COUNT_FORMAT}),
        "percent": workbook.add_format({"num_format": PERCENT_FORMAT}),
        "probability": workbook.add_format({"num_format": PROBABILITY_FORMAT}),
        "weight": workbook.add_format({"num_format": WEIGHT_FORMAT}),
        "note": workbook.add_format({"italic": True, "font_color": "#57606A"}),
        "total_label": workbook.add_format({"bold": True, "top": 1}),
        "total_rupiah": workbook.add_format({"bold": True, "top": 1, "num_format": RUPIAH_FORMAT}),
        "total_count": workbook.add_format({"bold": True, "top": 1, "num_format": COUNT_FORMAT}),
    }


def _number(value: object) -> int | float | None:
    if is_missing(value) or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return int(number) if number.is_integer() else number


def _cell(column: str, value: object) -> tuple[str | None, object, str | None, int]:
    """How one report value is shown: (write method, value written, format key, display width in
    characters); method None writes nothing."""
    if column in NIK_COLUMNS:
        text = mask_nik(value)
        return ("write_string" if text else None), text, None, len(text)
    if is_missing(value):
        return None, None, None, 0
    if column == "periode":
        text = bulan(value)
        return "write_string", text, None, len(text)
    number = _number(value) if column in RUPIAH_COLUMNS | COUNT_COLUMNS or column == "probabilitas" else None
    if number is not None:
        kind = "rupiah" if column in RUPIAH_COLUMNS else "count" if column in COUNT_COLUMNS else "probability"
        return "write_number", number, kind, len(f"{number:,}") + (4 if kind == "rupiah" else 0)
    if column in DATE_COLUMNS:  # the birth year only: day and month would unmask the NIK
        year = tahun_lahir(value)
        return ("write_number" if year else None), (int(year) if year else None), None, len(year)
    text = str(value)
    return "write_string", text, None, len(text)


def _column_cells(values: list, column: str) -> tuple[list, int]:
    """_cell of every value of a column, worked out once per distinct value (a list sheet repeats its
    months, kecamatan and amounts), and the column's widest display width."""
    seen: dict = {}
    cells = []
    for value in values:
        try:
            cell = seen[value]
        except KeyError:
            cell = seen[value] = _cell(column, value)
        except TypeError:  # an unhashable value
            cell = _cell(column, value)
        cells.append(cell)
    return cells, max((cell[3] for cell in cells), default=0)


def _data_sheet(workbook: xlsxwriter.Workbook, formats: dict, name: str, frame: pd.DataFrame, columns: list[str],
                full_list: str | None = None):
    sheet = workbook.add_worksheet(name)
    frame = frame if frame is not None else pd.DataFrame(columns=columns)
    total = frame.attrs.get(TOTAL_ROWS, len(frame))  # a streamed list: its first rows and its count
    if full_list:
        frame = frame.head(XLSX_BARIS_MAKS)
    shown = [column for column in columns if column in frame.columns]
    widths = [min(len(label(column)), 18) for column in shown]
    for col, column in enumerate(shown):
        sheet.write_string(0, col, label(column), formats["header"])
    columns_cells = []
    for col, column in enumerate(shown):
        cells, widest = _column_cells(frame[column].tolist(), column)
        columns_cells.append(cells)
        widths[col] = max(widths[col], widest)
    # Row by row, as a reader fills a sheet: the shared strings then get the same order (and the file the same
    # bytes) as when every cell was written in place.
    writers = {name: getattr(sheet, name) for name in ("write_string", "write_number")}
    for row, cells in enumerate(zip(*columns_cells, strict=True), start=1):
        for col, (method, value, kind, _) in enumerate(cells):
            if method is not None:
                writers[method](row, col, value, formats[kind] if kind else None)
    if total > len(frame):
        sheet.write_string(0, len(shown) + 1, f"{angka(len(frame))} baris pertama dari {angka(total)}; "
                           f"semua baris ada di {full_list}", formats["note"])
    for col, width in enumerate(widths):
        sheet.set_column(col, col, min(max(width + 2, 8), 50))
    sheet.freeze_panes(1, 0)
    sheet.autofilter(0, 0, max(len(frame), 1), len(shown) - 1)
    sheet.set_landscape()
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(0)
    if name == "Rekap" and len(frame):
        _rekap_total(sheet, formats, frame, shown)
    return sheet


def _weight_table(sheet, formats: dict, data: ReportData, left: int) -> None:
    """The match-weight histogram of the run and the thresholds as weights, from column `left`."""
    bins = figures.distribusi_bobot(data.bobot)
    rows = [[(b.dari, "weight"), (b.sampai, "weight"), (b.jumlah, "count")] for b in bins]
    _write_table(sheet, formats, 2, left, "Distribusi bobot kecocokan", ["Bobot Dari", "Bobot Sampai", "Jumlah"], rows)
    sheet.set_column(left, left, 28)
    sheet.set_column(left + 1, left + 2, 14)
    below = 3 + len(rows)
    if not bins:
        sheet.write_string(2, left, "tidak ada pasangan kandidat", formats["note"])
    for index, marker in enumerate(figures.ambang_bobot(default_policy())):
        sheet.write_string(below + index, left, marker.label)
        sheet.write_number(below + index, left + 1, marker.value, formats["weight"])


def _rekap_total(sheet, formats: dict, frame: pd.DataFrame, shown: list[str]) -> None:
    """A 'Jumlah' row under the recap (outside the filter range; SUBTOTAL follows the filter)."""
    last = len(frame)
    totals = figures.rekap_total(frame)
    sheet.write_string(last + 1, 0, "Jumlah", formats["total_label"])
    for col, column in enumerate(shown):
        if column in totals:
            cells = f"{xl_col_to_name(col)}2:{xl_col_to_name(col)}{last + 1}"
            kind = "total_rupiah" if column in RUPIAH_COLUMNS else "total_count"
            sheet.write_formula(last + 1, col, f"=SUBTOTAL(109,{cells})", formats[kind], totals[column])
        elif col > 0:
            sheet.write_blank(last + 1, col, None, formats["total_label"])


def _key_figures(data: ReportData) -> list[tuple[str, object, str]]:
    """(label, value, format) rows of the Ringkasan sheet; a label-only row with format 'section'."""
    r = data.ringkasan or {}
    peserta, iuran, klaim = (figures.section(r, name) for name in ("peserta", "iuran", "klaim"))
    kumulatif, anggaran, p3ke = (figures.section(r, name) for name in ("kumulatif", "anggaran", "p3ke"))
    per_sumber = figures.section(iuran, "per_sumber_dana")
    has_pagu = not is_missing(anggaran.get("pagu"))
    month = bulan(data.periode)
    rows = [
        (f"Iuran {month}", None, "section"),
        ("Peserta ditagih", peserta.get("ditagih"), "count"),
        ("Peserta baru", peserta.get("baru"), "count"),
        ("Peserta dari P3KE (desil 1–2)", peserta.get("dari_p3ke"), "count"),
        ("Iuran JKK", iuran.get("iuran_jkk"), "rupiah"),
        ("Iuran JKM", iuran.get("iuran_jkm"), "rupiah"),
        ("Total iuran", iuran.get("total_iuran"), "rupiah"),
    ]
    rows += [(f"Total iuran {sumber}", per_sumber.get(sumber, 0), "rupiah") for sumber in SUMBER_DANA]
    rows += [
        (f"Klaim dibayar {month}", None, "section"),
        ("Kasus", klaim.get("kasus"), "count"),
        ("Nilai manfaat", klaim.get("nilai_manfaat"), "rupiah"),
        (f"Kumulatif {bulan(kumulatif.get('periode_awal'))} – {month}", None, "section"),
        ("Total iuran", kumulatif.get("total_iuran"), "rupiah"),
        ("Kasus klaim", kumulatif.get("kasus_klaim"), "count"),
        ("Nilai manfaat", kumulatif.get("nilai_manfaat"), "rupiah"),
        (f"Anggaran APBD {anggaran.get('tahun', '')}".strip(), None, "section"),
        ("Pagu", anggaran.get("pagu") if has_pagu else "tidak ada pagu", "rupiah" if has_pagu else "text"),
        ("Realisasi", anggaran.get("realisasi"), "rupiah"),
        (
            "Persen realisasi",
            anggaran.get("persen") if has_pagu else "tidak ada pagu",
            "percent" if has_pagu else "text",
        ),
        ("Hasil pencocokan P3KE", None, "section"),
        ("Baris P3KE masuk", p3ke.get("baris_masuk"), "count"),
    ]
    rows += [(OUTCOME_LABELS[name], p3ke.get(name), "count") for name in OUTCOMES]
    rows += [
        ("Roster peserta", None, "section"),
        ("Baris roster masuk", peserta.get("baris_masuk"), "count"),
        ("Baris roster dikarantina", peserta.get("karantina"), "count"),
    ]
    return rows


def _write_table(
    sheet, formats: dict, top: int, left: int, title: str, headers: list[str], rows: list[list[tuple[object, str]]]
) -> None:
    sheet.write_string(top - 2, left, title, formats["section"])
    for col, header in enumerate(headers):
        sheet.write_string(top - 1, left + col, header, formats["header"])
    for index, row in enumerate(rows):
        for col, (value, kind) in enumerate(row):
            if kind == "text":
                sheet.write_string(top + index, left + col, str(value))
            elif value is not None:
                sheet.write_number(top + index, left + col, value, formats[kind])


def _chart(workbook, kind: str, title: str, rows: int, category_col: int, value_col: int, name: str, num_format: str):
    chart = workbook.add_chart({"type": kind})
    chart.add_series(
        {
            "name": name,
            "categories": [SUMMARY, TABLE_TOP, category_col, TABLE_TOP + rows - 1, category_col],
            "values": [SUMMARY, TABLE_TOP, value_col, TABLE_TOP + rows - 1, value_col],
            "fill": {"color": "#1F6F8B"},
            "gap": 50,
        }
    )
    chart.set_title({"name": title, "name_font": {"size": 12}})
    chart.set_legend({"none": True})
    value_axis = {"num_format": num_format, "major_gridlines": {"visible": True, "line": {"color": "#D0D7DE"}}}
    if kind == "bar":
        chart.set_x_axis(value_axis)
        chart.set_y_axis({"reverse": True})
    else:
        chart.set_y_axis(value_axis)
    chart.set_size(CHART_SIZE)
    return chart


def _summary_sheet(workbook: xlsxwriter.Workbook, formats: dict, data: ReportData) -> None:
    sheet = workbook.add_worksheet(SUMMARY)
    sheet.set_column(0, 0, 44)
    sheet.set_column(1, 1, 22)
    sheet.set_column(MONTHS_COLUMN, BUDGET_COLUMN + 3, 16)
    sheet.write_string(0, 0, f"Laporan Iuran Pekerja Rentan — {bulan(data.periode)}", formats["title"])
    sheet.write_string(1, 0, "NIK disamarkan di buku kerja ini; data lengkap ada di berkas CSV.", formats["note"])
    for index, (text, value, kind) in enumerate(_key_figures(data), start=TABLE_TOP):
        if kind == "section":
            sheet.write_string(index, 0, text, formats["section"])
            sheet.write_blank(index, 1, None, formats["section"])
            continue
        sheet.write_string(index, 0, text)
        if kind == "text":
            sheet.write_string(index, 1, str(value))
        elif _number(value) is not None:
            sheet.write_number(index, 1, _number(value), formats[kind])
    _summary_charts(workbook, sheet, formats, data)


def _summary_charts(workbook: xlsxwriter.Workbook, sheet, formats: dict, data: ReportData) -> None:
    months = figures.iuran_per_bulan(data.iuran_bulanan)
    kecamatan = figures.peserta_per_kecamatan(data.rekap)
    budget = figures.realisasi_anggaran(data.iuran_bulanan, data.periode)
    anggaran = figures.section(data.ringkasan or {}, "anggaran")
    pagu = figures.as_int(anggaran.get("pagu"))
    tahun = anggaran.get("tahun", data.periode[:4])
    _write_table(
        sheet,
        formats,
        TABLE_TOP,
        MONTHS_COLUMN,
        "Iuran per bulan",
        ["Bulan", "Jumlah Peserta", "Total Iuran", "Iuran APBD"],
        [
            [
                (bulan(m["periode"]), "text"),
                (m["jumlah_peserta"], "count"),
                (m["total_iuran"], "rupiah"),
                (m["iuran_apbd"], "rupiah"),
            ]
            for m in months
        ],
    )
    _write_table(
        sheet,
        formats,
        TABLE_TOP,
        KECAMATAN_COLUMN,
        "Peserta per kecamatan",
        ["Kode Kecamatan", "Kecamatan", "Jumlah Peserta"],
        [[(bar.key, "text"), (bar.label, "text"), (bar.value, "count")] for bar in kecamatan],
    )
    _write_table(
        sheet,
        formats,
        TABLE_TOP,
        BUDGET_COLUMN,
        f"Realisasi anggaran APBD {tahun}",
        ["Bulan", "Iuran APBD", "Kumulatif", "Pagu"],
        [
            [(bulan(m["periode"]), "text"), (m["iuran_apbd"], "rupiah"), (m["kumulatif"], "rupiah"), (pagu, "rupiah")]
            for m in budget
        ],
    )
    anchors = [(TABLE_TOP - 1 + 17 * i, CHART_COLUMN) for i in range(3)]
    if months:
        chart = _chart(
            workbook,
            "column",
            "Total iuran per bulan",
            len(months),
            MONTHS_COLUMN,
            MONTHS_COLUMN + 2,
            "Total iuran",
            RUPIAH_FORMAT,
        )
        sheet.insert_chart(*anchors[0], chart)
    else:
        sheet.write_string(*anchors[0], "Total iuran per bulan: belum ada data.", formats["note"])
    if kecamatan:
        chart = _chart(
            workbook,
            "bar",
            "Peserta ditagih per kecamatan",
            len(kecamatan),
            KECAMATAN_COLUMN + 1,
            KECAMATAN_COLUMN + 2,
            "Jumlah peserta",
            COUNT_FORMAT,
        )
        sheet.insert_chart(*anchors[1], chart)
    else:
        sheet.write_string(*anchors[1], "Peserta per kecamatan: tidak ada peserta ditagih.", formats["note"])
    if budget:
        chart = _chart(
            workbook,
            "column",
            f"Realisasi anggaran APBD {tahun} (kumulatif)",
            len(budget),
            BUDGET_COLUMN,
            BUDGET_COLUMN + 2,
            "Realisasi kumulatif",
            RUPIAH_FORMAT,
        )
        if pagu:
            line = workbook.add_chart({"type": "line"})
            line.add_series(
                {
                    "name": "Pagu",
                    "categories": [SUMMARY, TABLE_TOP, BUDGET_COLUMN, TABLE_TOP + len(budget) - 1, BUDGET_COLUMN],
                    "values": [SUMMARY, TABLE_TOP, BUDGET_COLUMN + 3, TABLE_TOP + len(budget) - 1, BUDGET_COLUMN + 3],
                    "line": {"color": "#D9822B", "width": 2, "dash_type": "dash"},
                }
            )
            chart.combine(line)
            chart.set_legend({"position": "bottom"})
        sheet.insert_chart(*anchors[2], chart)
    else:
        sheet.write_string(*anchors[2], f"Realisasi anggaran {tahun}: belum ada iuran APBD.", formats["note"])
    if not pagu:
        sheet.write_string(anchors[2][0] + 16, CHART_COLUMN, f"Tahun {tahun}: tidak ada pagu.", formats["note"])


def render_workbook(data: ReportData) -> bytes:
    """The laporan.xlsx bytes for one month; the same data always gives the same bytes."""
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(
        buffer,
        {
            "in_memory": True,
            "strings_to_formulas": False,
            "strings_to_urls": False,
            "strings_to_numbers": False,
        },
    )
    workbook.set_properties(
        {
            "title": f"Laporan Iuran Pekerja Rentan — {bulan(data.periode)}",
            "subject": f"Iuran pekerja rentan periode {data.periode}",
            "author": "Rentan",
            "created": dt.datetime.combine(first_day(data.periode), dt.time()),
        }
    )
    formats = _formats(workbook)
    _summary_sheet(workbook, formats, data)
    for name, attribute, columns in DATA_SHEETS:
        sheet = _data_sheet(workbook, formats, name, getattr(data, attribute), columns, FULL_LIST.get(attribute))
        if attribute == "kualitas":
            _weight_table(sheet, formats, data, len(columns) + 1)
    workbook.close()
    return buffer.getvalue()
