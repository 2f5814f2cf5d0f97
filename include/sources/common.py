"""Read one landing file (CSV or XLSX) into a frame of raw cells with normalised headers.

The landing-zone rules of CONTRACTS.md live here: encodings, delimiters, the
header row, header names and their aliases, blank rows, `baris`. What the cells
mean is left to `values.py` and the per-source modules.
"""

from __future__ import annotations

import codecs
import io
import itertools
import re
from collections.abc import Iterator
from typing import IO, Any

import pandas as pd

from include.sources.spec import SourceFileError, SourceSpec

ALIASES: dict[str, str] = {
    "kode_kemendagri": "kode_kemdagri",
    "desil": "desil_kesejahteraan",
    "tgl_lahir": "tanggal_lahir",
    "jk": "jenis_kelamin",
    "status_perkawinan": "status_kawin",
    "no_kpj": "kpj",
    "nomor_kpj": "kpj",
}
HEADER_SEARCH_ROWS = 20
EXCEL_ERRORS = ("#N/A", "#REF!", "#VALUE!", "#DIV/0!", "#NAME?", "#NUM!", "#NULL!", "#SPILL!", "#CALC!")
RESERVED = ("berkas", "baris", "sha256")
__all__ = ["ALIASES", "CsvBlocks", "CsvSniffer", "SourceFileError", "SourceSpec", "normalise_header", "read_table"]
_OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Excel 97-2003 (.xls) and password-protected workbooks
_ZIP_MAGIC = b"PK\x03\x04"  # .xlsx
_OLD_OR_LOCKED = "an Excel 97-2003 (.xls) or password-protected workbook"
_HEADER_SEPARATORS = re.compile(r"[\s/\-.]+")
_FIELDS_ERROR = re.compile(r"Expected (\d+) fields in line (\d+), saw (\d+)")
_OPEN_QUOTE_ERROR = re.compile(r"EOF inside string starting at row (\d+)")


def normalise_header(name: object, aliases: dict[str, str] | None = None) -> str:
    """'ID Keluarga P3KE' -> 'id_keluarga_p3ke', 'Kabupaten/Kota' -> 'kabupaten_kota', then aliases."""
    text = "" if name is None else str(name)
    text = _HEADER_SEPARATORS.sub("_", text.strip().lower()).strip("_")
    return (aliases or {}).get(text, text)


def read_table(
    data: bytes, berkas: str, required: list[str] | tuple[str, ...], aliases: dict[str, str] | None = None
) -> pd.DataFrame:
    """Raw cells of a CSV or XLSX file: normalised column names in file order, plus `baris` (int64).

    CSV cells are text (pandas str dtype, '' when empty); XLSX cells keep their Python value
    (str, int, float, datetime; None when empty) in object columns. Entirely blank rows are left out.
    Raises SourceFileError when the file cannot be read, lacks a required column, or has no data row.
    """
    aliases = ALIASES if aliases is None else aliases
    lower = berkas.lower()
    if lower.endswith(".csv"):
        return _read_csv(data, berkas, required, aliases)
    if not lower.endswith(".xlsx"):
        raise SourceFileError(berkas, "not a .csv or .xlsx file; save it as CSV or Excel workbook (.xlsx)")
    if not data:
        raise SourceFileError(berkas, "is empty (0 bytes); upload the workbook again, saved from Excel as .xlsx")
    header, header_row, body, baris = _read_xlsx(data, berkas, required, aliases)
    names = [normalise_header(h, aliases) for h in header]
    _check_required(berkas, header, names, required, aliases, f"the first {HEADER_SEARCH_ROWS} rows")
    if not baris:
        raise _no_data_row(berkas, header_row)
    columns, unnamed = _column_names(berkas, names, body.shape[1], required)
    frame = _named(_without_excel_errors(body), columns, baris)
    return frame.drop(columns=[name for name in unnamed if not _has_value(frame[name])])


# --- CSV ---------------------------------------------------------------------------------------

_CP1252_UNDEFINED = (b"\x81", b"\x8d", b"\x8f", b"\x90", b"\x9d")  # the bytes Windows-1252 leaves undefined


class CsvSniffer:
    """What the whole-file rules need of a CSV file's bytes, fed a chunk at a time: its encoding (UTF-8
    with or without BOM, else Windows-1252) and delimiter (`;` when the first line holds more of them
    than `,`). `dialect()` raises the errors of a file that is not CSV text, in the order read_table
    checks them. A large file is thus judged without holding its bytes or its text."""

    def __init__(self, berkas: str) -> None:
        self.berkas = berkas
        self._head = b""
        self._utf8 = codecs.getincrementaldecoder("utf-8-sig")()
        self._utf8_ok = True
        self._cp1252_ok = True
        self._nul = False
        self._printed = {"utf-8-sig": False, "cp1252": False}  # a character that is not white space seen
        self._first_line = [0, 0, False]  # ';' and ',' on the first line, whether its end was seen

    def feed(self, chunk: bytes) -> None:
        if len(self._head) < 8:
            self._head = (self._head + chunk)[:8]
        if self._utf8_ok:
            try:
                text = self._utf8.decode(chunk)
            except UnicodeDecodeError:
                self._utf8_ok = False
            else:
                self._printed["utf-8-sig"] = self._printed["utf-8-sig"] or bool(text.strip())
        if self._cp1252_ok and any(byte in chunk for byte in _CP1252_UNDEFINED):
            self._cp1252_ok = False
        if not self._printed["cp1252"]:
            self._printed["cp1252"] = bool(chunk.decode("cp1252", errors="replace").strip())
        self._nul = self._nul or b"\x00" in chunk
        if not self._first_line[2]:  # ';' ',' and '\n' are the same single bytes in both encodings
            end = chunk.find(b"\n")
            line = chunk if end < 0 else chunk[:end]
            self._first_line = [
                self._first_line[0] + line.count(b";"),
                self._first_line[1] + line.count(b","),
                end >= 0,
            ]

    def dialect(self) -> tuple[str, str]:
        """(Python codec, delimiter) of the bytes fed; raises SourceFileError for bytes that are not CSV text."""
        berkas, head = self.berkas, self._head
        if head.startswith(_ZIP_MAGIC):
            raise SourceFileError(
                berkas, "is an Excel workbook (.xlsx), not CSV text; name it .xlsx or save it as 'CSV UTF-8'"
            )
        if head.startswith(_OLE2_MAGIC):
            raise SourceFileError(berkas, f"is {_OLD_OR_LOCKED}, not CSV text; save it from Excel as 'CSV UTF-8'")
        if head.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise SourceFileError(berkas, "is UTF-16 text (Excel's 'Unicode Text'); save it again as 'CSV UTF-8'")
        if self._utf8_ok:
            try:
                tail = self._utf8.decode(b"", final=True)
            except UnicodeDecodeError:
                self._utf8_ok = False
            else:
                self._printed["utf-8-sig"] = self._printed["utf-8-sig"] or bool(tail.strip())
        if self._utf8_ok:
            encoding = "utf-8-sig"
        elif self._cp1252_ok:
            encoding = "cp1252"
        else:
            raise SourceFileError(
                berkas, "cannot be decoded as UTF-8 or Windows-1252 text; save it again as 'CSV UTF-8'"
            )
        if self._nul:
            raise SourceFileError(berkas, "holds binary data, not CSV text; save it again as 'CSV UTF-8'")
        if not self._printed[encoding]:
            raise SourceFileError(berkas, "is empty; a header on line 1 and data rows are expected")
        semicolons, commas, _ = self._first_line
        return encoding, ";" if semicolons > commas else ","


class CsvBlocks:
    """The raw cells of a CSV file a block of records at a time: read_table's frame of the whole file, cut
    into consecutive row ranges (`baris` runs on across blocks; blocks without a data row are skipped).

    `text`: the file's text as `CsvSniffer.dialect()` decodes it, newlines untranslated (a TextIOWrapper
    with newline=""); block_rows None: one block. The errors are the whole file's, in the same order: a
    record that cannot be parsed, wherever it is, comes before a header without the required columns.
    Iterate once; after the last block `left_out` names the columns read_table leaves out (no header
    name and no value in the whole file), which no block can know: drop them from what the blocks made.
    """

    def __init__(
        self,
        text: IO[str],
        berkas: str,
        delimiter: str,
        required,
        aliases: dict[str, str] | None = None,
        block_rows: int | None = None,
    ) -> None:
        self.text, self.berkas, self.delimiter, self.block_rows = text, berkas, delimiter, block_rows
        self.required, self.aliases = required, ALIASES if aliases is None else aliases
        self.left_out: list[str] = []

    def _records(self) -> Iterator[pd.DataFrame]:
        """pandas' records (the header is record 0), a block at a time; parse errors as SourceFileError."""
        try:
            table = pd.read_csv(
                self.text,
                sep=self.delimiter,
                header=None,
                dtype=str,
                keep_default_na=False,
                na_filter=False,
                skip_blank_lines=False,
                engine="c",
                quotechar='"',
                doublequote=True,
                chunksize=self.block_rows,
            )
            yield from [table] if self.block_rows is None else table
        except (pd.errors.ParserError, ValueError) as exc:
            raise _csv_error(self.berkas, exc) from None

    def __iter__(self) -> Iterator[pd.DataFrame]:
        records = self._records()
        first = next(records)
        header = first.iloc[0].tolist()
        names = [normalise_header(h, self.aliases) for h in header]
        problems: list[SourceFileError | None] = []
        for check in (
            lambda: _check_required(self.berkas, header, names, self.required, self.aliases, "line 1"),
            lambda: _column_names(self.berkas, names, first.shape[1], self.required),
        ):
            try:
                check()
                problems.append(None)
            except SourceFileError as problem:
                problems.append(problem)
        if any(problems):  # the rest is read all the same: a record that cannot be parsed is told first
            rows = sum(int(_filled(body).sum()) for body in itertools.chain([first.iloc[1:]], records))
            raise problems[0] or (_no_data_row(self.berkas, 1) if not rows else problems[1])
        columns, unnamed = _column_names(self.berkas, names, first.shape[1], self.required)
        has_value = dict.fromkeys(unnamed, False)
        rows = 0
        for body in itertools.chain([first.iloc[1:]], records):
            body = body[_filled(body)]
            if body.empty:
                continue
            baris = (body.index + 1).tolist()  # record p (the header is record 0) is spreadsheet row p + 1
            raw = _named(_without_excel_errors(body.reset_index(drop=True)), columns, baris)
            for name in unnamed:
                has_value[name] = has_value[name] or _has_value(raw[name])
            rows += len(raw)
            yield raw
        if not rows:
            raise _no_data_row(self.berkas, 1)
        self.left_out = [name for name, filled in has_value.items() if not filled]


def _filled(body: pd.DataFrame) -> pd.Series:
    """Rows with a cell that is not blank (entirely blank rows are ignored)."""
    filled = pd.Series(False, index=body.index)
    for column in body.columns:
        filled |= body[column].str.strip().ne("")
    return filled


def _csv_error(berkas: str, exc: Exception) -> SourceFileError:
    fields = _FIELDS_ERROR.search(str(exc))
    if fields:  # pandas counts records from the header (= 1): that is the row number a spreadsheet shows
        return SourceFileError(
            berkas,
            f"has {fields.group(3)} fields where the header has {fields.group(1)}; quote values that hold the delimiter",
            int(fields.group(2)),
        )
    open_quote = _OPEN_QUOTE_ERROR.search(str(exc))
    if open_quote:  # pandas counts records from 0 (the header): the spreadsheet row is one more
        return SourceFileError(
            berkas, 'a quoted value starts here and is never closed; close the quote (")', int(open_quote.group(1)) + 1
        )
    return SourceFileError(
        berkas, f"cannot be read as CSV ({type(exc).__name__}); check the quotes and save it again as 'CSV UTF-8'"
    )


def sniff_csv(data: bytes, berkas: str) -> tuple[str, str]:
    """(codec, delimiter) of a CSV file's bytes (CsvSniffer)."""
    sniffer = CsvSniffer(berkas)
    sniffer.feed(data)
    return sniffer.dialect()


def _read_csv(data: bytes, berkas: str, required, aliases) -> pd.DataFrame:
    encoding, delimiter = sniff_csv(data, berkas)
    text = io.TextIOWrapper(io.BytesIO(data), encoding=encoding, newline="")
    blocks = CsvBlocks(text, berkas, delimiter, required, aliases)
    [frame] = list(blocks)
    return frame.drop(columns=blocks.left_out)


# --- XLSX --------------------------------------------------------------------------------------


def _is_text(head: bytes) -> bool:
    """Whether the first bytes of a file look like text (bytes of other encodings than UTF-8 left out)."""
    text = head.decode("utf-8", errors="ignore").lstrip("\ufeff")
    return bool(text.strip()) and all(c.isprintable() or c in "\t\r\n" for c in text)


def _blank(row: tuple) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in row)


def _read_xlsx(data: bytes, berkas: str, required, aliases) -> tuple[list[Any], int, pd.DataFrame, list[int]]:
    from include.sources.xlsx import open_workbook

    if data.startswith(_OLE2_MAGIC):
        raise SourceFileError(
            berkas, f"is {_OLD_OR_LOCKED}; save it from Excel as Excel Workbook (.xlsx), without a password"
        )
    try:
        workbook = open_workbook(data)
    except Exception as exc:  # zip, XML, missing parts: all mean "not a workbook we can read"
        if _is_text(data[:4096]):
            raise SourceFileError(berkas, "holds text, not an Excel workbook; a CSV file must be named .csv") from None
        raise SourceFileError(
            berkas, f"cannot be opened as an Excel workbook ({type(exc).__name__}); save it again from Excel as .xlsx"
        ) from None
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()  # some writers store a wrong sheet size; read every cell
        rows_iter = sheet.iter_rows(values_only=True)
        top: list[tuple] = []
        for row in rows_iter:
            top.append(tuple(row))
            if len(top) >= HEADER_SEARCH_ROWS:
                break
        header_index = _find_header(top, required, aliases)
        header = list(top[header_index]) if top else []
        rows: list[tuple] = []
        baris: list[int] = []
        number = header_index + 1
        for row in itertools.chain(top[header_index + 1 :], rows_iter):
            number += 1
            if not _blank(row):
                rows.append(row)
                baris.append(number)
        _refuse_unsaved_formulas(workbook, sheet, berkas, header, header_index + 1, aliases)
    except SourceFileError:
        raise
    except Exception as exc:
        raise SourceFileError(
            berkas, f"cannot be read as an Excel workbook ({type(exc).__name__}); save it again from Excel as .xlsx"
        ) from None
    finally:
        workbook.close()
    width = max([len(header)] + [len(r) for r in rows])
    body = pd.DataFrame([r + (None,) * (width - len(r)) for r in rows], columns=range(width), dtype=object)
    return header, header_index + 1, body, baris


def _refuse_unsaved_formulas(workbook, sheet, berkas: str, header: list[Any], header_row: int, aliases) -> None:
    """A formula below the header whose value was never saved reads as an empty cell: refuse the file."""
    from openpyxl.utils import get_column_letter

    from include.sources.xlsx import unsaved_formulas

    for row, column in unsaved_formulas(workbook, sheet):
        if row > header_row:
            name = normalise_header(header[column - 1], aliases) if column <= len(header) else ""
            raise SourceFileError(
                berkas,
                f"cell {get_column_letter(column)}{row} (column '{name or f'kolom_{column}'}') holds a formula "
                "without a saved value; open the file in Excel and save it again, or write values, not formulas",
                row,
            )


def _find_header(top: list[tuple], required, aliases) -> int:
    """Index of the first row holding every required column; else the row holding the most."""
    wanted = set(required)
    best, best_hits = 0, -1
    for index, row in enumerate(top):
        names = {normalise_header(v, aliases) for v in row if v is not None}
        hits = len(wanted & names)
        if hits == len(wanted):
            return index
        if hits > best_hits:
            best, best_hits = index, hits
    return best


# --- shared ------------------------------------------------------------------------------------


def _check_required(berkas: str, header: list[Any], names: list[str], required, aliases, searched: str) -> None:
    missing = [c for c in required if c not in names]
    if not missing:
        return
    plural = "s" if len(missing) > 1 else ""
    quoted = ", ".join(f"'{c}'" for c in missing)
    # only show what the file has when the row is recognisably a header (never data cells)
    known = set(required) | set(aliases) | set(aliases.values())
    shown = [normalise_header(h) for h in header if h is not None and str(h).strip()]
    if any(normalise_header(h, aliases) in known for h in shown):
        listed = ", ".join(shown[:15]) + (", ..." if len(shown) > 15 else "")
        found = f" (found: {listed})"
    else:
        found = f" (no header with these columns in {searched})"
    raise SourceFileError(berkas, f"required column{plural} {quoted} missing{found}; add the column or fix the header")


def _without_excel_errors(body: pd.DataFrame) -> pd.DataFrame:
    """Excel error values ('#N/A' of a failed lookup, ...) are no values: empty cells ('' in CSV, None in XLSX)."""
    for column in body.columns:
        errors = body[column].isin(EXCEL_ERRORS)
        if errors.any():
            body[column] = body[column].where(~errors, "" if isinstance(body[column].dtype, pd.StringDtype) else None)
    return body


def _no_data_row(berkas: str, header_row: int) -> SourceFileError:
    return SourceFileError(
        berkas, f"no data row below the header (row {header_row}); add the data rows or remove the file", header_row
    )


def _column_names(berkas: str, names: list[str], width: int, required) -> tuple[list[str], list[str]]:
    """(the name of each column position, those of them without a header name: kolom_<n>)."""
    columns: list[str] = []
    seen: dict[str, int] = {}
    unnamed: list[str] = []
    for position in range(max(len(names), width)):
        name = names[position] if position < len(names) else ""
        if not name:
            name = f"kolom_{position + 1}"
            unnamed.append(name)
        if name in RESERVED:
            name = f"{name}_sumber"
        if name in seen:
            if name in required:
                raise SourceFileError(
                    berkas,
                    f"column '{name}' appears twice (columns {seen[name] + 1} and {position + 1}); keep one of them",
                )
            suffix = 2
            while f"{name}_{suffix}" in seen:
                suffix += 1
            name = f"{name}_{suffix}"
        seen[name] = position
        columns.append(name)
    return columns, unnamed


def _named(body: pd.DataFrame, columns: list[str], baris: list[int]) -> pd.DataFrame:
    """The positional columns of `body` named; `baris` added."""
    body = body.reindex(columns=range(len(columns)))
    body.columns = columns
    for name in columns:  # XLSX cells stay Python values with None; CSV cells stay text
        if body[name].dtype == object or body[name].isna().any():
            body[name] = body[name].astype(object).where(body[name].notna(), None)
    body["baris"] = pd.Series(baris, dtype="int64", index=body.index)
    return body


def _has_value(column: pd.Series) -> bool:
    """Whether a column holds a cell that is not blank (an unnamed column without one is left out)."""
    return bool(column.map(lambda v: v is not None and bool(str(v).strip())).any())
