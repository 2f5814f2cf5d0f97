"""An independent little reader of the demo landing files (CONTRACTS.md forms), for the tests."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from functools import lru_cache
from pathlib import Path

SEED = 20250701  # the demo seed of the Makefile


def header_key(label: object) -> str:
    key = re.sub(r"[ /\-.]+", "_", str(label).strip().lower())
    return {"kode_kemendagri": "kode_kemdagri", "desil": "desil_kesejahteraan", "tgl_lahir": "tanggal_lahir",
            "jk": "jenis_kelamin", "status_perkawinan": "status_kawin", "no_kpj": "kpj"}.get(key, key)


@lru_cache(maxsize=32)
def read_table(path: Path) -> list[tuple[int, dict]]:
    """(spreadsheet row number, {normalised header: raw value}) for every data row of a landing file.

    Cached: the landing files of a test session never change; callers must not modify the rows.
    """
    if path.suffix == ".xlsx":
        import openpyxl

        sheet = openpyxl.load_workbook(path, read_only=True).worksheets[0]
        rows = list(sheet.iter_rows(values_only=True))
        start = next(i for i, r in enumerate(rows[:20]) if r and any(c in ("NIK", "No KPJ") for c in r))
        header = [header_key(c) if c is not None else "" for c in rows[start]]
        return [(n, dict(zip(header, r, strict=False))) for n, r in enumerate(rows[start + 1:], start=start + 2)
                if any(c not in (None, "") for c in r)]
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252")
    first = text.split("\n", 1)[0]
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=";" if first.count(";") > first.count(",") else ",")
    header = [header_key(h) for h in next(reader)]
    return [(n, dict(zip(header, r, strict=True))) for n, r in enumerate(reader, start=2)]


def as_date(value: object) -> dt.date | None:
    """Date cell, Excel serial, or one of the three accepted texts; None otherwise."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, int | float):
        return dt.date(1899, 12, 30) + dt.timedelta(days=int(value))
    for pattern in ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y"):
        try:
            return dt.datetime.strptime(str(value).strip(), pattern).date()
        except ValueError:
            continue
    return None


def as_text(value: object) -> str:
    return "" if value is None else str(value).strip().lstrip("'")


def as_rupiah(value: object) -> int | None:
    if isinstance(value, int | float):
        return int(value)
    digits = as_text(value).replace("Rp", "").replace(" ", "")
    return int(digits.replace(".", "")) if re.fullmatch(r"\d{1,3}(\.\d{3})*|\d+", digits) else None


def as_jk(value: object) -> str | None:
    text = as_text(value).upper()
    return {"L": "LAKI-LAKI", "P": "PEREMPUAN", "LAKI-LAKI": "LAKI-LAKI", "PEREMPUAN": "PEREMPUAN"}.get(text)


def person_key(row: dict) -> tuple | None:
    """MATCHING.md's person key: (name key, tanggal_lahir, jenis_kelamin, dotted kode_kemdagri), all present."""
    from include.wilayah import normalise_kode

    nama = " ".join(as_text(row.get("nama")).upper().split())
    key = (nama, as_date(row.get("tanggal_lahir")), as_jk(row.get("jenis_kelamin")),
           normalise_kode(as_text(row.get("kode_kemdagri"))))
    return key if all(key) else None


def folder_rows(folder: Path) -> list[tuple[str, int, dict]]:
    """(file name, row number, row) for every data row of every file of a landing folder, files in name order."""
    return [(path.name, n, row) for path in sorted(folder.iterdir()) for n, row in read_table(path)]
