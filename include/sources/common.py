"""Read one landing file (CSV or XLSX) into a frame of raw cells with normalised headers.

The landing-zone rules of CONTRACTS.md live here: encodings, delimiters, the
header row, header names and their aliases, blank rows, `baris`. What the cells
mean is left to `values.py` and the per-source modules.
"""

from __future__ import annotations

import io
import itertools
import re
from typing import Any

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
__all__ = ["ALIASES", "SourceFileError", "SourceSpec", "normalise_header", "read_table"]
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
    if lower.endswith(".xlsx"):
        if not data:
            raise SourceFileError(berkas, "is empty (0 bytes); upload the workbook again, saved from Excel as .xlsx")
        header, header_row, body, baris = _read_xlsx(data, berkas, required, aliases)
    elif lower.endswith(".csv"):
        header, header_row, body, baris = _read_csv(data, berkas)
    else:
        raise SourceFileError(berkas, "not a .csv or .xlsx file; save it as CSV or Excel workbook (.xlsx)")
    names = [normalise_header(h, aliases) for h in header]
    searched = f"the first {HEADER_SEARCH_ROWS} rows" if lower.endswith(".xlsx") else "line 1"
    _check_required(berkas, header, names, required, aliases, searched)
    if not baris:
        raise SourceFileError(
            berkas, f"no data row below the header (row {header_row}); add the data rows or remove the file", header_row
        )
    return _frame(berkas, names, _without_excel_errors(body), baris, required)


# --- CSV ---------------------------------------------------------------------------------------


def _decode(data: bytes, berkas: str) -> str:
    if data.startswith(_ZIP_MAGIC):
        raise SourceFileError(
            berkas, "is an Excel workbook (.xlsx), not CSV text; name it .xlsx or save it as 'CSV UTF-8'"
        )
    if data.startswith(_OLE2_MAGIC):
        raise SourceFileError(berkas, f"is {_OLD_OR_LOCKED}, not CSV text; save it from Excel as 'CSV UTF-8'")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise SourceFileError(berkas, "is UTF-16 text (Excel's 'Unicode Text'); save it again as 'CSV UTF-8'")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise SourceFileError(
                berkas, "cannot be decoded as UTF-8 or Windows-1252 text; save it again as 'CSV UTF-8'"
            ) from None
    if "\x00" in text:
        raise SourceFileError(berkas, "holds binary data, not CSV text; save it again as 'CSV UTF-8'")
    return text


def _read_csv(data: bytes, berkas: str) -> tuple[list[Any], int, pd.DataFrame, list[int]]:
    text = _decode(data, berkas)
    if not text.strip():
        raise SourceFileError(berkas, "is empty; a header on line 1 and data rows are expected")
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    try:
        table = pd.read_csv(
            io.StringIO(text),
            sep=delimiter,
            header=None,
            dtype=str,
            keep_default_na=False,
            na_filter=False,
            skip_blank_lines=False,
            engine="c",
            quotechar='"',
            doublequote=True,
        )
    except (pd.errors.ParserError, ValueError) as exc:
        fields = _FIELDS_ERROR.search(str(exc))
        if fields:  # pandas counts records from the header (= 1): that is the row number a spreadsheet shows
            raise SourceFileError(
                berkas,
                f"has {fields.group(3)} fields where the header has {fields.group(1)}; "
                "quote values that hold the delimiter",
                int(fields.group(2)),
            ) from None
        open_quote = _OPEN_QUOTE_ERROR.search(str(exc))
        if open_quote:  # pandas counts records from 0 (the header): the spreadsheet row is one more
            raise SourceFileError(
                berkas,
                'a quoted value starts here and is never closed; close the quote (")',
                int(open_quote.group(1)) + 1,
            ) from None
        raise SourceFileError(
            berkas, f"cannot be read as CSV ({type(exc).__name__}); check the quotes and save it again as 'CSV UTF-8'"
        ) from None
    header = table.iloc[0].tolist()
    body = table.iloc[1:]
    filled = pd.Series(False, index=body.index)
    for column in body.columns:
        filled |= body[column].str.strip().ne("")
    body = body[filled]
    baris = (body.index + 1).tolist()  # table position p (header = 0) is spreadsheet row p + 1
    return header, 1, body.reset_index(drop=True), baris


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


def _frame(berkas: str, names: list[str], body: pd.DataFrame, baris: list[int], required) -> pd.DataFrame:
    """Name the positional columns of `body`; drop unnamed empty columns; add `baris`."""
    columns: list[str] = []
    seen: dict[str, int] = {}
    unnamed: list[str] = []
    for position in range(max(len(names), body.shape[1])):
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
    body = body.reindex(columns=range(len(columns)))
    body.columns = columns
    for name in columns:  # XLSX cells stay Python values with None; CSV cells stay text
        if body[name].dtype == object or body[name].isna().any():
            body[name] = body[name].astype(object).where(body[name].notna(), None)
    empty = [c for c in unnamed if not body[c].map(lambda v: v is not None and bool(str(v).strip())).any()]
    frame = body.drop(columns=empty)
    frame["baris"] = pd.Series(baris, dtype="int64", index=frame.index)
    return frame
