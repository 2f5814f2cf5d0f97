"""Open an XLSX workbook read-only with openpyxl, with a faster shared-string table.

openpyxl builds a full object per shared string (Text.from_tree), which is most of
the time spent on a large export full of distinct NIKs, names and addresses. The
table is read here with the same result (plain text plus rich-text runs, phonetic
runs left out, as openpyxl's Text.content), everything else is openpyxl's.
"""

from __future__ import annotations

import io
from typing import IO

from openpyxl.reader.excel import ExcelReader
from openpyxl.workbook.workbook import Workbook
from openpyxl.xml.constants import SHARED_STRINGS, SHEET_MAIN_NS
from openpyxl.xml.functions import iterparse

_SI = f"{{{SHEET_MAIN_NS}}}si"
_T = f"{{{SHEET_MAIN_NS}}}t"
_R = f"{{{SHEET_MAIN_NS}}}r"


def read_string_table(source: IO[bytes]) -> list[str]:
    """The shared strings of a workbook, as openpyxl.reader.strings.read_string_table returns them."""
    strings: list[str] = []
    for _, node in iterparse(source):
        if node.tag != _SI:
            continue
        parts = []
        plain = node.find(_T)
        if plain is not None and plain.text:
            parts.append(plain.text)
        for run in node.findall(_R):
            text = run.find(_T)
            if text is not None and text.text:
                parts.append(text.text)
        strings.append("".join(parts).replace("x005F_", ""))
        node.clear()
    return strings


class _Reader(ExcelReader):
    def read_strings(self) -> None:
        part = self.package.find(SHARED_STRINGS)
        if part is not None:
            with self.archive.open(part.PartName[1:]) as source:
                self.shared_strings = read_string_table(source)


def open_workbook(data: bytes) -> Workbook:
    """A read-only workbook of cached values (formulas as their last computed value)."""
    reader = _Reader(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
    reader.read()
    return reader.wb
