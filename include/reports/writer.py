"""Write the eight report files of one month (CONTRACTS.md "Reports") into a folder, atomically.

Each file is rendered in memory, written to a hidden temporary name in the target folder
and fsynced; only when all eight are complete are they renamed into place (os.replace).
A crash or a full disk therefore never leaves a half-written file under a report's name,
and a failed run leaves the previous month's complete set untouched.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import json
import os
import secrets
from collections.abc import Callable, Iterable, Iterator
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pandas as pd

from include.model import (
    CALON_COLUMNS,
    KARANTINA_COLUMNS,
    OUTCOMES,
    REKAP_COLUMNS,
    RINCIAN_COLUMNS,
    SUMBER_DANA,
    TINJAUAN_COLUMNS,
    ReportData,
)
from include.reports.formatting import TOTAL_ROWS, is_missing
from include.reports.page import render_page
from include.reports.workbook import XLSX_BARIS_MAKS, render_workbook

CSV_FILES = {
    "rincian_iuran.csv": ("rincian", RINCIAN_COLUMNS),
    "rekap_iuran.csv": ("rekap", REKAP_COLUMNS),
    "calon_peserta.csv": ("calon", CALON_COLUMNS),
    "perlu_tinjauan.csv": ("tinjauan", TINJAUAN_COLUMNS),
    "karantina.csv": ("karantina", KARANTINA_COLUMNS),
}
REPORT_FILES = (*CSV_FILES, "ringkasan.json", "laporan.xlsx", "laporan.html")
# Files that carry full NIKs (CONTRACTS.md): readable by their owner alone (UU 27/2022); the masked and
# NIK-free files keep the usual mode (0o666 less the umask) so they can be shared.
FULL_NIK_FILES = frozenset({"rincian_iuran.csv", "calon_peserta.csv", "perlu_tinjauan.csv", "karantina.csv"})
OWNER_ONLY = 0o600
SHAREABLE = 0o666
WHOLE_NUMBER_COLUMNS = frozenset(
    {
        "upah_dilaporkan",
        "iuran_jkk",
        "iuran_jkm",
        "total_iuran",
        "jumlah_peserta",
        "peserta_baru",
        "desil_kesejahteraan",
        "prioritas",
        "baris",
        "jumlah",
    }
)
RINGKASAN_ORDER = {
    "": ["periode", "p3ke", "peserta", "iuran", "klaim", "kumulatif", "anggaran"],
    "p3ke": ["baris_masuk", *OUTCOMES],
    "peserta": ["baris_masuk", "karantina", "ditagih", "baru", "dari_p3ke"],
    "iuran": ["iuran_jkk", "iuran_jkm", "total_iuran", "per_sumber_dana"],
    "per_sumber_dana": list(SUMBER_DANA),
    "klaim": ["kasus", "nilai_manfaat"],
    "kumulatif": ["periode_awal", "total_iuran", "kasus_klaim", "nilai_manfaat"],
    "anggaran": ["tahun", "pagu", "realisasi", "persen"],
}


class ReportDataError(ValueError):
    """The ReportData does not fit the contract (a missing column, a broken amount)."""


class ReportWriteError(RuntimeError):
    """A report file could not be written; the message names the file."""


def _csv_cell(column: str, value: object, file_name: str, row: int) -> str:
    if is_missing(value):
        return ""
    if column == "probabilitas":
        return str(Decimal(str(float(value))).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP))
    if isinstance(value, pd.Timestamp | dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return value
    if column in WHOLE_NUMBER_COLUMNS:
        number = float(value)
        if not number.is_integer():
            raise ReportDataError(
                f"{file_name}: row {row} column {column} is not a whole number; "
                "amounts and counts must be whole Rupiah / integers, fix the warehouse query"
            )
        return str(int(number))
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _csv_column(values: pd.Series, column: str, file_name: str, first_row: int = 1) -> pd.Series:
    """A column as CSV text: typed columns (whole numbers, text) converted as vectors, others cell by
    cell by _csv_cell; the same text either way."""
    if column != "probabilitas" and pd.api.types.is_integer_dtype(values.dtype) and not values.isna().any():
        return values.astype("int64").astype(str)
    if isinstance(values.dtype, pd.StringDtype):
        text = values.fillna("").astype(str)
        return text.where(text.str.strip() != "", "")
    cells = [_csv_cell(column, value, file_name, row) for row, value in enumerate(values.tolist(), start=first_row)]
    return pd.Series(cells, index=values.index, dtype=object)


def render_csv(frame: pd.DataFrame, columns: list[str], file_name: str, header: bool = True,
               first_row: int = 1) -> bytes:
    """One report CSV: the contract columns in order, rows as given (already sorted), UTF-8, LF.

    Quoting is the csv module's (pandas writes through it): minimal, doubled quotes. A list written a
    piece at a time: the header with the first piece only, first_row the number of the piece's first row
    (in messages).
    """
    missing = [column for column in columns if column not in frame.columns]
    if missing:
        raise ReportDataError(
            f"{file_name}: the data lacks column(s) {', '.join(missing)}; "
            "the report frame must carry every column of include/model.py"
        )
    text = pd.DataFrame({column: _csv_column(frame[column], column, file_name, first_row) for column in columns},
                        columns=columns)
    buffer = io.StringIO()
    text.to_csv(buffer, index=False, header=header, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    return buffer.getvalue().encode("utf-8")


def _plain(value: object, key: str = "") -> object:
    """ringkasan values as JSON types, dict keys in the contract order (unknown keys after, sorted)."""
    if isinstance(value, dict):
        order = RINGKASAN_ORDER.get(key, [])
        keys = [k for k in order if k in value] + sorted((k for k in value if k not in order), key=str)
        return {str(k): _plain(value[k], str(k)) for k in keys}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if is_missing(value) and not isinstance(value, str):
        return None
    if hasattr(value, "item") and not isinstance(value, str):  # numpy scalars
        value = value.item()
    if isinstance(value, float) and value.is_integer() and key not in ("persen",):
        return int(value)
    return value


def render_ringkasan(ringkasan: dict) -> bytes:
    """ringkasan.json: the summary dict, keys in the CONTRACTS.md order, indent 2, UTF-8."""
    text = json.dumps(_plain(ringkasan), ensure_ascii=False, indent=2, allow_nan=False)
    return (text + "\n").encode("utf-8")


def _renderers() -> dict[str, Callable[[ReportData], bytes]]:
    def csv_renderer(file_name: str) -> Callable[[ReportData], bytes]:
        attribute, columns = CSV_FILES[file_name]
        return lambda data: render_csv(getattr(data, attribute), columns, file_name)

    renderers = {name: csv_renderer(name) for name in CSV_FILES}
    renderers["ringkasan.json"] = lambda data: render_ringkasan(data.ringkasan)
    renderers["laporan.xlsx"] = render_workbook
    renderers["laporan.html"] = lambda data: render_page(data).encode("utf-8")
    return renderers


def _temporary_name(target: Path) -> Path:
    """A hidden name next to the target that no reader mistakes for a report."""
    return target.with_name(f".{target.name}.{os.getpid()}-{secrets.token_hex(4)}.tmp")


def write_file_atomic(target: Path, content: bytes | Iterable[bytes], mode: int = SHAREABLE) -> Path:
    """Write content (bytes, or pieces of it) to a temporary file beside target (created with `mode`,
    less the umask) and fsync it; return the temporary path.

    The caller renames it into place. On any error the temporary file is removed.
    """
    temporary = _temporary_name(target)
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            for piece in [content] if isinstance(content, bytes) else content:
                handle.write(piece)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return temporary




def _streamed_csv(pieces: Iterable[pd.DataFrame], columns: list[str], file_name: str, head: list) -> Iterator[bytes]:
    """The CSV of a list written a piece at a time; keeps its first rows (as many as a workbook sheet
    shows) and its row count in `head` ([frame, rows]) for the workbook and the page."""
    rows, kept = 0, []
    for piece in pieces:
        yield render_csv(piece, columns, file_name, header=rows == 0 and not kept, first_row=rows + 1)
        if rows < XLSX_BARIS_MAKS:
            kept.append(piece.head(XLSX_BARIS_MAKS - rows))
        rows += len(piece)
    frame = pd.concat(kept, ignore_index=True) if kept else pd.DataFrame(columns=columns)
    frame.attrs[TOTAL_ROWS] = rows
    head[:] = [frame, rows]


def _fsync_folder(folder: Path) -> None:
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def _reason(exc: BaseException) -> str:
    """The cause without data values: OS errors and our own checks are safe to show."""
    if isinstance(exc, OSError | ReportDataError):
        return str(exc)
    return f"{type(exc).__name__} while rendering (see the chained traceback)"


def write_reports(folder: Path, data: ReportData,
                  streams: dict[str, Callable[[], Iterable[pd.DataFrame]]] | None = None) -> list[Path]:
    """Write the eight report files of data.periode into folder (created if missing); return their paths.

    streams: ReportData field -> its rows in pieces (include.warehouse.read.report_reader), for the lists
    of a national month: each CSV is written a piece at a time, the workbook and the page get the
    list's first rows and its row count (frame.attrs[TOTAL_ROWS]); the files are the same bytes as from
    the whole frames.

    Raises ReportWriteError naming the file when one cannot be rendered or written;
    then no report file in the folder has been replaced and no temporary file is left.
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    renderers = _renderers()
    streams = streams or {}
    staged: list[tuple[Path, Path]] = []
    try:
        for name in REPORT_FILES:
            target = folder / name
            try:
                mode = OWNER_ONLY if name in FULL_NIK_FILES else SHAREABLE
                attribute, columns = CSV_FILES.get(name, (None, None))
                if attribute in streams:
                    head: list = []
                    content = _streamed_csv(streams[attribute](), columns, name, head)
                    staged.append((write_file_atomic(target, content, mode), target))
                    data = dataclasses.replace(data, **{attribute: head[0]})
                    continue
                staged.append((write_file_atomic(target, renderers[name](data), mode), target))
            except Exception as exc:
                raise ReportWriteError(
                    f"report {target} could not be written ({_reason(exc)}); nothing was replaced, "
                    f"check free disk space and permissions of {folder} and rerun the report"
                ) from exc
        for temporary, target in staged:
            try:
                os.replace(temporary, target)
            except OSError as exc:
                raise ReportWriteError(
                    f"report {target} could not be put in place ({exc}); rerun the report for {data.periode}"
                ) from exc
    finally:
        for temporary, _ in staged:
            temporary.unlink(missing_ok=True)
    _fsync_folder(folder)
    return [target for _, target in staged]
