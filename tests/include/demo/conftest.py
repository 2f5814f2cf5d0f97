"""One generated demo per test session, and a small independent reader of the landing files."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from pathlib import Path

import pytest

SEED = 20250701


@pytest.fixture(scope="session")
def demo_run(tmp_path_factory):
    """(demo object, landing folder, truth dict) for the default seed."""
    from include.demo.build import build, truth_of, write_landing

    landing = tmp_path_factory.mktemp("demo") / "landing"
    demo = build(SEED)
    write_landing(demo, landing)
    return demo, landing, truth_of(demo)


def header_key(label: object) -> str:
    key = re.sub(r"[ /\-.]+", "_", str(label).strip().lower())
    return {"kode_kemendagri": "kode_kemdagri", "desil": "desil_kesejahteraan", "tgl_lahir": "tanggal_lahir",
            "jk": "jenis_kelamin", "status_perkawinan": "status_kawin", "no_kpj": "kpj"}.get(key, key)


def read_table(path: Path) -> list[tuple[int, dict]]:
    """(spreadsheet row number, {normalised header: raw value}) for every data row of a landing file."""
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
