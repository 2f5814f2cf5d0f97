"""The light part of the input layer: what a source is, the kinds of its columns, its error.

Nothing here imports pandas, so DAG files may import `include.sources` at parse time.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class SourceFileError(Exception):
    """A landing file that cannot be used: unreadable, missing columns, or without data rows.

    The message is one line naming the file (and row), the reason and the fix; it never
    holds a cell value.
    """

    def __init__(self, berkas: str, alasan: str, baris: int | None = None) -> None:
        self.berkas = berkas
        self.alasan = alasan
        self.baris = baris
        where = f"{berkas} row {baris}" if baris is not None else berkas
        super().__init__(f"{where}: {alasan}")

    def __reduce__(self):  # picklable across processes (Celery workers, multiprocessing)
        return type(self), (self.berkas, self.alasan, self.baris)


@dataclass(frozen=True)
class SourceSpec:
    """One input source: its landing folder and columns.

    latest_only: only the file whose name sorts last is the dataset (the roster).
    """

    name: str
    folder: str
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()
    latest_only: bool = False


class Kind(Enum):
    """How the raw cells of a declared column are parsed (see include/sources/frame.py)."""

    TEXT = "text"  # trimmed text, None when empty
    UPPER = "upper"  # trimmed, upper-cased text
    NIK = "nik"  # id text + nik_rusak_excel (bool)
    KPJ = "kpj"  # id text (spaces, leading apostrophe stripped; number cells as digits)
    DATE = "date"  # datetime.date + <col>_tidak_terbaca
    JENIS_KELAMIN = "jenis_kelamin"
    KODE = "kode"  # dotted Kemendagri code, else the source text
    DESIL = "desil"  # Int64 1..4 + <col>_mentah
    RUPIAH = "rupiah"  # Int64 whole Rupiah + <col>_mentah
