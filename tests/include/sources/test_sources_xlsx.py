"""xlsx: the faster shared-string table reads what openpyxl reads."""

from __future__ import annotations

import io
import zipfile

import xlsxwriter
from openpyxl.reader.strings import read_string_table as openpyxl_string_table

from include.sources.xlsx import open_workbook, read_string_table


def test_shared_strings_match_openpyxl():
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = workbook.add_worksheet()
    values = ["Siti Aminah", "  spasi di tepi  ", "baris\nbaru", "Ñagari Koto", "_x000D_", "1303045506900001", ""]
    for row, value in enumerate(values):
        sheet.write_string(row, 0, value)
    bold = workbook.add_format({"bold": True})
    sheet.write_rich_string(0, 1, "Jorong ", bold, "Koto", " Baru")
    workbook.close()

    with zipfile.ZipFile(buffer) as archive:
        expected = openpyxl_string_table(archive.open("xl/sharedStrings.xml"))
        actual = read_string_table(archive.open("xl/sharedStrings.xml"))

    assert actual == expected
    assert "Jorong Koto Baru" in actual
    rows = list(open_workbook(buffer.getvalue()).worksheets[0].iter_rows(values_only=True))
    assert [row[0] for row in rows][:6] == values[:6]
    assert rows[0][1] == "Jorong Koto Baru"
