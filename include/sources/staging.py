"""Staging: each landing file parsed and normalised once per content, kept as Parquet.

`<staging_dir>/<source>/<sha256>.parquet` holds the normalised frame of the file
with those bytes; `<staging_dir>/sidik_berkas/` the fingerprints of the files listed. The file's metadata records PARSER_VERSION: a staged file from
another parser version is staged again. Writes go to a temporary name first and
are renamed into place, so a killed task never leaves a half-written file.
"""

from __future__ import annotations

import hashlib
import os
import uuid
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from include.sources import source
from include.sources.common import ALIASES, read_table
from include.sources.landing import LandingFile, forget_fingerprint, read_bytes
from include.sources.spec import SourceFileError, SourceSpec

PARSER_VERSION = "2"
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


def _write(frame: pd.DataFrame, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    table = pa.Table.from_pandas(frame, preserve_index=False)
    table = table.replace_schema_metadata({**(table.schema.metadata or {}), _VERSION_KEY: PARSER_VERSION.encode()})
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        pq.write_table(table, temporary)
        os.chmod(temporary, 0o600)  # staged rows carry full NIKs and names
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def parse(data: bytes, landing_file: LandingFile, spec: SourceSpec) -> pd.DataFrame:
    """Read and normalise the bytes of a landing file (no staging). Raises SourceFileError."""
    raw = read_table(data, landing_file.display, spec.required, ALIASES)
    return source(spec.name).normalise(raw, landing_file.name, landing_file.sha256)


def stage(landing_file: LandingFile, spec: SourceSpec, staging_dir: str | Path, **storage_options: Any) -> Path:
    """The staged Parquet of a landing file; parsed only when its content was not staged before.

    Raises SourceFileError when the file cannot be used (every time, while it stays in the landing zone).
    """
    target = staged_path(staging_dir, spec, landing_file.sha256)
    if _is_current(target):
        return target
    try:
        data = read_bytes(landing_file, **storage_options)
    except FileNotFoundError:
        raise SourceFileError(landing_file.display, "was removed while the run read it; run again") from None
    except OSError as exc:
        raise SourceFileError(
            landing_file.display, f"cannot be read ({type(exc).__name__}); check that the file can be opened"
        ) from None
    if hashlib.sha256(data).hexdigest() != landing_file.sha256:
        forget_fingerprint(fingerprint_dir(staging_dir), landing_file)
        raise SourceFileError(
            landing_file.display, "changed while it was being read; run again once the upload is complete"
        )
    _write(parse(data, landing_file, spec), target)
    return target


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
