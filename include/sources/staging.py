"""Staging: each landing file parsed and normalised once per content, kept as Parquet.

`<staging_dir>/<source>/<sha256>.parquet` holds the normalised frame of the file
with those bytes; `<staging_dir>/sidik_berkas/` the fingerprints of the files listed. The file's metadata records PARSER_VERSION: a staged file from
another parser version is staged again. Writes go to a temporary name first and
are renamed into place, so a killed task never leaves a half-written file.
A CSV file is parsed a block of records at a time (a national roster is one file
of millions of rows); the staged file is the one its whole frame makes.
"""

from __future__ import annotations

import hashlib
import io
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from include.sources import source
from include.sources.common import ALIASES, CsvBlocks, CsvSniffer, read_table
from include.sources.landing import LandingFile, forget_fingerprint, open_landing, read_bytes
from include.sources.parquet_blocks import StagedWriter
from include.sources.spec import Kind, SourceFileError, SourceSpec

PARSER_VERSION = "2"
BLOCK_ROWS = 400_000  # CSV records parsed, normalised and written at a time (the pipeline passes RENTAN_PART_ROWS)
_READ_CHUNK = 1 << 23
_VERSION_KEY = b"rentan_parser_version"


def fingerprint_dir(staging_dir: str | Path) -> Path:
    """Where list_files remembers the landing files' fingerprints (memo_dir)."""
    return Path(staging_dir) / "sidik_berkas"


def staged_path(staging_dir: str | Path, spec: SourceSpec, sha256: str) -> Path:
    """Where the normalised frame of the content `sha256` of a source is kept."""
    return Path(staging_dir) / spec.name / f"{sha256}.parquet"


def is_staged(staging_dir: str | Path, spec: SourceSpec, landing_file: LandingFile) -> bool:
    """Whether the file's content is staged by this parser version."""
    return is_content_staged(staging_dir, spec, landing_file.sha256)


def is_content_staged(staging_dir: str | Path, spec: SourceSpec, sha256: str) -> bool:
    """Whether the content `sha256` of a source is staged by this parser version."""
    return _is_current(staged_path(staging_dir, spec, sha256))


def _is_current(path: Path) -> bool:
    try:
        metadata = pq.read_schema(path).metadata or {}
    except (OSError, pa.ArrowException):
        return False
    return metadata.get(_VERSION_KEY) == PARSER_VERSION.encode()


def parse(data: bytes, landing_file: LandingFile, spec: SourceSpec) -> pd.DataFrame:
    """Read and normalise the bytes of a landing file at once (no staging). Raises SourceFileError."""
    raw = read_table(data, landing_file.display, spec.required, ALIASES)
    return source(spec.name).normalise(raw, landing_file.name, landing_file.sha256)


def stage(
    landing_file: LandingFile,
    spec: SourceSpec,
    staging_dir: str | Path,
    block_rows: int = BLOCK_ROWS,
    **storage_options: Any,
) -> Path:
    """The staged Parquet of a landing file; parsed only when its content was not staged before.

    A CSV file is parsed, normalised and written `block_rows` records at a time (parse_blocks), so
    memory follows the block, not the file; the staged file is the one the whole frame would make.
    Raises SourceFileError when the file cannot be used (every time, while it stays in the landing zone).
    """
    target = staged_path(staging_dir, spec, landing_file.sha256)
    if _is_current(target):
        return target
    dates = {name for name, kind in source(spec.name).COLUMNS.items() if kind is Kind.DATE}
    writer = StagedWriter(target, dates, {_VERSION_KEY: PARSER_VERSION.encode()})
    try:
        blocks = parse_blocks(landing_file, spec, staging_dir, block_rows, **storage_options)
        for frame in blocks:
            writer.write(frame)
        writer.finish(left_out=blocks.left_out)
    finally:
        writer.discard()
    return target


def _unreadable(landing_file: LandingFile, exc: OSError) -> SourceFileError:
    if isinstance(exc, FileNotFoundError):
        return SourceFileError(landing_file.display, "was removed while the run read it; run again")
    return SourceFileError(
        landing_file.display, f"cannot be read ({type(exc).__name__}); check that the file can be opened"
    )


def _changed(landing_file: LandingFile, staging_dir: str | Path) -> SourceFileError:
    forget_fingerprint(fingerprint_dir(staging_dir), landing_file)
    return SourceFileError(
        landing_file.display, "changed while it was being read; run again once the upload is complete"
    )


class _Hashing(io.RawIOBase):
    """A binary file read through, its bytes hashed as they pass."""

    def __init__(self, handle: BinaryIO) -> None:
        self.handle, self.digest = handle, hashlib.sha256()

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        data = self.handle.read(len(buffer))
        buffer[: len(data)] = data
        self.digest.update(data)
        return len(data)

    def drain(self) -> str:
        """The hex digest of the whole file (the bytes not read yet are read)."""
        while self.readinto(bytearray(_READ_CHUNK)):
            pass
        return self.digest.hexdigest()


def parse_blocks(
    landing_file: LandingFile,
    spec: SourceSpec,
    staging_dir: str | Path,
    block_rows: int = BLOCK_ROWS,
    **storage_options: Any,
) -> FileBlocks:
    """The normalised frames of a landing file, `block_rows` rows at a time (FileBlocks)."""
    return FileBlocks(landing_file, spec, staging_dir, block_rows, **storage_options)


class FileBlocks:
    """The normalised frames of a landing file, a block of rows at a time (iterate once); together the
    frame `parse` makes of the whole file, `left_out` (known after the last block) aside: the columns
    the whole frame does not have (CsvBlocks.left_out).

    A CSV file is read twice, never held whole: its fingerprint and dialect first (CsvSniffer), then its
    records `block_rows` at a time, hashed again as they are read, so a file changed in between is refused
    as a file changed while it was read is. An XLSX workbook is parsed at once (one block): a sheet holds at
    most 1,048,576 rows.
    """

    def __init__(
        self,
        landing_file: LandingFile,
        spec: SourceSpec,
        staging_dir: str | Path,
        block_rows: int,
        **storage_options: Any,
    ) -> None:
        self.landing_file, self.spec, self.staging_dir = landing_file, spec, staging_dir
        self.block_rows, self.storage_options = block_rows, storage_options
        self.left_out: list[str] = []

    def __iter__(self) -> Iterator[pd.DataFrame]:
        landing_file = self.landing_file
        if not landing_file.name.lower().endswith(".csv"):
            try:
                data = read_bytes(landing_file, **self.storage_options)
            except OSError as exc:
                raise _unreadable(landing_file, exc) from None
            if hashlib.sha256(data).hexdigest() != landing_file.sha256:
                raise _changed(landing_file, self.staging_dir)
            yield parse(data, landing_file, self.spec)
            return
        encoding, delimiter = self._dialect()
        normalise = source(self.spec.name).normalise
        try:
            with open_landing(landing_file, **self.storage_options) as handle:
                hashing = _Hashing(handle)
                text = io.TextIOWrapper(io.BufferedReader(hashing, _READ_CHUNK), encoding=encoding, newline="")
                blocks = CsvBlocks(text, landing_file.display, delimiter, self.spec.required, ALIASES, self.block_rows)
                try:
                    for raw in blocks:
                        yield normalise(raw, landing_file.name, landing_file.sha256)
                except SourceFileError:
                    if hashing.drain() != landing_file.sha256:
                        raise _changed(landing_file, self.staging_dir) from None
                    raise
                if hashing.drain() != landing_file.sha256:
                    raise _changed(landing_file, self.staging_dir)
        except OSError as exc:
            raise _unreadable(landing_file, exc) from None
        self.left_out = blocks.left_out

    def _dialect(self) -> tuple[str, str]:
        """The CSV file's codec and delimiter, from a first read that also checks its fingerprint."""
        sniffer, digest = CsvSniffer(self.landing_file.display), hashlib.sha256()
        try:
            with open_landing(self.landing_file, **self.storage_options) as handle:
                while chunk := handle.read(_READ_CHUNK):
                    digest.update(chunk)
                    sniffer.feed(chunk)
        except OSError as exc:
            raise _unreadable(self.landing_file, exc) from None
        if digest.hexdigest() != self.landing_file.sha256:
            raise _changed(self.landing_file, self.staging_dir)
        return sniffer.dialect()


def read_staged(path: str | Path, columns: list[str] | None = None, arrow_text: bool = False) -> pd.DataFrame:
    """A staged frame with the dtypes normalise produced: text as object with None, dates as datetime.date.
    `columns`: only these (what a stage needs of a large dataset). arrow_text: text stays in Arrow
    (pandas' `str`, missing = NaN): a third of the memory of Python strings, for a stage that reads a
    national dataset and only compares and joins its text."""
    table = pq.read_table(path, columns=columns)
    return table.to_pandas() if arrow_text else as_normalised(table)


def as_normalised(table: pa.Table) -> pd.DataFrame:
    """A staged Arrow table as the frame normalise produced (read_staged)."""
    frame = table.to_pandas()
    for name in frame.columns:
        if isinstance(frame[name].dtype, pd.StringDtype):
            column = frame[name].astype(object)
            frame[name] = column.where(column.notna(), None)
    return frame


@dataclass(frozen=True)
class StagedRows:
    """Rows [start, stop) of a landing file's `total` staged rows: all of them, or a part of a large file."""

    file: LandingFile
    start: int
    stop: int
    total: int

    @property
    def is_whole(self) -> bool:
        return self.start == 0 and self.stop == self.total

    @property
    def is_last(self) -> bool:
        """Whether the file's last rows are in this part (the per-file rules can be judged after it)."""
        return self.stop == self.total


def load_rows(staging_dir: str | Path, spec: SourceSpec, rows: StagedRows) -> pd.DataFrame:
    """Rows of one staged file as load_dataset gives them (a slice of the file's frame, on a RangeIndex):
    only the row groups holding them are read."""
    staged = pq.ParquetFile(staged_path(staging_dir, spec, rows.file.sha256))
    wanted, offset, first = [], 0, None
    for group in range(staged.num_row_groups):
        size = staged.metadata.row_group(group).num_rows
        if offset < rows.stop and offset + size > rows.start:
            wanted.append(group)
            first = offset if first is None else first
        offset += size
    table = staged.read_row_groups(wanted).slice(rows.start - (first or 0), rows.stop - rows.start)
    frame = as_normalised(table)
    frame["berkas"] = pd.Series([rows.file.name] * len(frame), dtype=object)
    return _none_for_nan(frame)


def _none_for_nan(frame: pd.DataFrame) -> pd.DataFrame:
    for name in frame.columns:
        if frame[name].dtype == object and frame[name].isna().any():
            frame[name] = frame[name].where(frame[name].notna(), None)
    return frame


def empty_frame(spec: SourceSpec) -> pd.DataFrame:
    """The normalised frame of a source with no rows (what a dataset without files is)."""
    raw = pd.DataFrame({name: pd.Series([], dtype=object) for name in spec.required})
    raw["baris"] = pd.Series([], dtype="int64")
    return source(spec.name).normalise(raw, "", "")


def load_dataset(
    staging_dir: str | Path, spec: SourceSpec, files: list[LandingFile], **storage_options: Any
) -> pd.DataFrame:
    """The dataset of a source: the staged frames of `files` in name order, each content once.

    Files not staged yet are staged first. `berkas` is the file's current name.
    """
    tables: list[pa.Table] = []
    names: list[str] = []
    seen: set[str] = set()
    for landing_file in sorted(files, key=lambda f: f.name):
        if landing_file.is_duplicate or landing_file.sha256 in seen:
            continue
        seen.add(landing_file.sha256)
        tables.append(pq.read_table(stage(landing_file, spec, staging_dir, **storage_options)))
        names.append(landing_file.name)
    if not tables:
        return empty_frame(spec)
    # One conversion for all files: hundreds of shards cost what one file of their size costs.
    frame = as_normalised(pa.concat_tables(tables, promote_options="permissive"))
    frame["berkas"] = pd.Series(np.repeat(np.array(names, dtype=object), [t.num_rows for t in tables]), dtype=object)
    return _none_for_nan(frame)
