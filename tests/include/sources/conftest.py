"""Builders of real landing files for the input-layer tests.

XLSX: XlsxWriter by default (shared strings, as Excel writes them) or openpyxl
(inline strings, as some generators write them). CSV: bytes from lines.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable, Sequence

import pytest
import xlsxwriter
from openpyxl import Workbook
from xlsxwriter.utility import xl_cell_to_rowcol, xl_range_abs


def xlsx_bytes(
    rows: Sequence[Sequence[object] | None], merges: Sequence[str] = (), writer: str = "xlsxwriter"
) -> bytes:
    """A one-sheet workbook of `rows` from row 1 (None = a blank row); `merges` like 'A1:F2'.

    Dates and datetimes become date cells; int and float become number cells.
    """
    cells = {(r, c): v for r, row in enumerate(rows) if row for c, v in enumerate(row) if v is not None}
    buffer = io.BytesIO()
    if writer == "openpyxl":
        workbook = Workbook()
        for (r, c), value in cells.items():
            workbook.active.cell(row=r + 1, column=c + 1, value=value)
        for merge in merges:
            workbook.active.merge_cells(merge)
        workbook.save(buffer)
        return buffer.getvalue()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "default_date_format": "dd/mm/yyyy"})
    sheet = workbook.add_worksheet("Data")
    for merge in merges:
        first, last = merge.split(":")
        (r1, c1), (r2, c2) = xl_cell_to_rowcol(first), xl_cell_to_rowcol(last)
        sheet.merge_range(xl_range_abs(r1, c1, r2, c2).replace("$", ""), cells.pop((r1, c1), ""))
    for (r, c), value in cells.items():
        if isinstance(value, dt.date):
            sheet.write_datetime(r, c, value)
        elif isinstance(value, str):
            sheet.write_string(r, c, value)
        else:
            sheet.write(r, c, value)
    workbook.close()
    return buffer.getvalue()


def csv_bytes(lines: Sequence[str], delimiter: str = ",", encoding: str = "utf-8", newline: str = "\n") -> bytes:
    """CSV bytes from pre-quoted lines whose fields are separated by '|' (replaced by `delimiter`)."""
    return newline.join(line.replace("|", delimiter) for line in lines).encode(encoding) + newline.encode(encoding)


@pytest.fixture
def make_xlsx() -> Callable[..., bytes]:
    return xlsx_bytes


@pytest.fixture
def make_csv() -> Callable[..., bytes]:
    return csv_bytes
