"""Byte-deterministic XLSX (XlsxWriter) and CSV writers.

XLSX: a fixed creation date in the document properties (XlsxWriter already fixes
the zip entry timestamps), title rows above the header with the first one merged
across the table, a blank row, the header, the data. Cell types follow the
Python value: str -> text cell (so NIK/KPJ keep every digit), int/float -> number
cell, date -> date cell, XlNumber -> number cell (an Excel-damaged NIK, a serial
date), None -> empty.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

CREATED = dt.datetime(2025, 8, 1, 8, 0, 0)


@dataclass(frozen=True)
class Raw:
    """Text written exactly as given (a defect, or a value in a form the renderer must not touch)."""

    text: str


@dataclass(frozen=True)
class XlNumber:
    """A number cell in XLSX (its plain digits in CSV)."""

    value: float


def write_xlsx(
    path: Path, header: list[str], rows: list[list[object]], titles: list[str] = (), sheet: str = "Data"
) -> int:
    """Write one sheet; return the sheet row number (1-based, as Excel shows it) of the first data row."""
    import xlsxwriter

    workbook = xlsxwriter.Workbook(str(path), {"in_memory": True, "strings_to_urls": False})
    workbook.set_properties({"created": CREATED, "author": "Rentan demo", "company": "Pemkab Sijunjung"})
    ws = workbook.add_worksheet(sheet)
    bold = workbook.add_format({"bold": True})
    title_fmt = workbook.add_format({"bold": True, "font_size": 14, "align": "center"})
    head_fmt = workbook.add_format({"bold": True, "bg_color": "#D9E1F2", "border": 1, "text_wrap": True})
    date_fmt = workbook.add_format({"num_format": "dd-mm-yyyy"})
    row_no = 0
    for i, title in enumerate(titles):
        if i == 0 and len(header) > 1:
            ws.merge_range(row_no, 0, row_no, len(header) - 1, title, title_fmt)
        else:
            ws.write_string(row_no, 0, title, bold)
        row_no += 1
    if titles:
        row_no += 1
    header_row = row_no
    for col, label in enumerate(header):
        ws.write_string(header_row, col, label, head_fmt)
    for r, values in enumerate(rows, start=header_row + 1):
        for col, value in enumerate(values):
            _cell(ws, r, col, value, date_fmt)
    ws.set_column(0, max(0, len(header) - 1), 15)
    ws.freeze_panes(header_row + 1, 0)
    workbook.close()
    return header_row + 2


def _cell(ws, r: int, col: int, value: object, date_fmt) -> None:
    if value is None:
        return
    if isinstance(value, Raw):
        ws.write_string(r, col, value.text)
    elif isinstance(value, XlNumber):
        ws.write_number(r, col, value.value)
    elif isinstance(value, str):
        ws.write_string(r, col, value)
    elif isinstance(value, dt.date):
        ws.write_datetime(r, col, dt.datetime(value.year, value.month, value.day), date_fmt)
    elif isinstance(value, int | float):
        ws.write_number(r, col, value)
    else:
        raise TypeError(f"demo writer: no XLSX cell type for {type(value).__name__}")


def write_csv(
    path: Path,
    header: list[str],
    rows: list[list[str | None]],
    encoding: str = "utf-8",
    delimiter: str = ",",
    newline: str = "\n",
) -> None:
    """Write a CSV; encoding 'utf-8-sig' adds the BOM; fails on a character the encoding lacks."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=newline, quoting=csv.QUOTE_MINIMAL)
    writer.writerow(header)
    writer.writerows([["" if v is None else v for v in row] for row in rows])
    Path(path).write_bytes(buffer.getvalue().encode(encoding))
