"""Open an XLSX workbook read-only with openpyxl, with a faster shared-string table.

openpyxl builds a full object per shared string (Text.from_tree), which is most of
the time spent on a large export full of distinct NIKs, names and addresses. The
table is read here with the same result (plain text plus rich-text runs, phonetic
runs left out, as openpyxl's Text.content), everything else is openpyxl's.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from typing import IO

from openpyxl.reader.excel import ExcelReader
from openpyxl.utils.cell import coordinate_to_tuple
from openpyxl.workbook.workbook import Workbook
from openpyxl.xml.constants import SHARED_STRINGS, SHEET_MAIN_NS
from openpyxl.xml.functions import iterparse

_SI = f"{{{SHEET_MAIN_NS}}}si"
_T = f"{{{SHEET_MAIN_NS}}}t"
_R = f"{{{SHEET_MAIN_NS}}}r"
_FORMULA_TAGS = (b"</f>", b"<f ", b"<f/>", b":f>", b":f ")
# a cell whose first child is a formula not followed by a non-empty value: <c ..><f>..</f></c>, <v/>, <v></v>
_UNSAVED_FORMULA = re.compile(
    rb"<(?:\w+:)?c\b([^>]*)>\s*<(?:\w+:)?f\b[^>]*?(?:/>|>[^<]*</(?:\w+:)?f>)\s*(?!<(?:\w+:)?v(?:\s[^>]*)?>[^<])"
)
_CELL_REF = re.compile(rb'\br="([A-Z]+[0-9]+)"')
_CELL_TYPE = re.compile(rb'\bt="(\w+)"')


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


def _has_formula(source: IO[bytes]) -> bool:
    tail = b""
    while chunk := source.read(1 << 20):
        window = tail + chunk
        if any(tag in window for tag in _FORMULA_TAGS):
            return True
        tail = window[-8:]
    return False


def unsaved_formulas(workbook: Workbook, sheet) -> Iterator[tuple[int, int]]:
    """(row, column) of each formula cell of a read-only sheet that holds no saved value.

    A workbook written by a program (openpyxl, some exporters) and never opened in Excel keeps
    its formulas without their results: read for values, such a cell looks empty. A formula whose
    saved result is the empty text (t="str") is a value. The sheet's XML is scanned as bytes, in
    blocks of whole rows; a sheet without formulas is not searched cell by cell.
    """
    archive, path = workbook._archive, sheet._worksheet_path
    with archive.open(path) as source:
        if not _has_formula(source):
            return
    with archive.open(path) as source:
        rest = b""
        while True:
            chunk = source.read(1 << 22)
            data = rest + chunk
            end = data.rfind(b"row>")
            cut = len(data) if not chunk else end + 4 if end >= 0 else 0
            block, rest = data[:cut], data[cut:]
            for match in _UNSAVED_FORMULA.finditer(block):
                kind, ref = _CELL_TYPE.search(match.group(1)), _CELL_REF.search(match.group(1))
                if ref and not (kind and kind.group(1) == b"str"):
                    yield coordinate_to_tuple(ref.group(1).decode())
            if not chunk:
                return
