"""The landing zone: which files form a source's dataset, their fingerprints, their bytes.

The only module that touches the landing file system (a local folder by default,
any fsspec URL such as s3://bucket/landing in production).
"""

from __future__ import annotations

import hashlib
import json
import os
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import fsspec
from fsspec.core import url_to_fs

from include.sources.spec import SourceFileError, SourceSpec

SUFFIXES = (".xlsx", ".csv")
_CHUNK = 1 << 20


@dataclass(frozen=True)
class LandingFile:
    """One file of a source's dataset.

    name: file name ('kec_kupitan.xlsx'); folder: the source folder under the landing root
    ('bpjs/peserta'); url: what fsspec opens; duplicate_of: the name of an
    earlier file with the same bytes (such a file counts once: its rows are not read again).
    """

    source: str
    folder: str
    name: str
    url: str
    sha256: str
    size: int
    duplicate_of: str | None = None

    @property
    def is_duplicate(self) -> bool:
        return self.duplicate_of is not None

    @property
    def display(self) -> str:
        """'p3ke/kec_a.csv': how errors and alerts name the file."""
        return f"{self.folder}/{self.name}"


def _is_data_file(name: str) -> bool:
    # '~$x.xlsx' is the lock file Excel leaves next to an open workbook, not data
    return name.lower().endswith(SUFFIXES) and not name.startswith(("~$", "."))


def _sha256(fs: Any, path: str) -> str:
    digest = hashlib.sha256()
    with fs.open(path, "rb") as handle:
        while chunk := handle.read(_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _version(entry: dict) -> str | None:
    """What changes when a file is written: its size with its modification time (a local folder), or the
    object store's ETag; None when the file system reports neither (the file is then always hashed)."""
    changed = entry.get("mtime") or entry.get("LastModified") or entry.get("updated") or entry.get("ETag")
    return None if changed is None else f"{entry.get('size')}|{changed}"


def memo_path(memo_dir: str | Path, source: str) -> Path:
    return Path(memo_dir) / f"{source}.json"


def _read_memo(path: Path) -> dict[str, list[str]]:
    try:
        memo = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return memo if isinstance(memo, dict) else {}


def _write_memo(path: Path, memo: dict[str, list[str]]) -> None:
    """Atomically (tasks listing side by side each write a whole memo; the last one stays)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{uuid.uuid4().hex}.tmp")
    try:
        temporary.write_text(json.dumps(memo, sort_keys=True), encoding="utf-8")
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def forget_fingerprint(memo_dir: str | Path, landing_file: LandingFile) -> None:
    """Drop a file's remembered fingerprint (its bytes did not match it): the next listing hashes it."""
    path = memo_path(memo_dir, landing_file.source)
    memo = _read_memo(path)
    if memo.pop(landing_file.name, None) is not None:
        _write_memo(path, memo)


def _name(entry: dict) -> str:
    return entry["name"].rsplit("/", 1)[-1]


def _entries(landing: str, spec: SourceSpec, **storage_options: Any) -> tuple[Any, list[dict]]:
    """(file system, the source's data file entries in name order; for a latest_only source the last)."""
    fs, root = url_to_fs(landing, **storage_options)
    folder = f"{root.rstrip('/')}/{spec.folder}"
    if not fs.isdir(folder):
        return fs, []
    entries = [e for e in fs.ls(folder, detail=True) if e.get("type") == "file"]
    entries = sorted((e for e in entries if _is_data_file(_name(e))), key=_name)
    return fs, entries[-1:] if spec.latest_only else entries


def _remembered(memo: dict, name: str, version: str | None) -> str | None:
    entry = memo.get(name)
    if version is not None and isinstance(entry, list) and len(entry) == 2 and entry[0] == version:
        return entry[1]
    return None


def list_files(landing: str, spec: SourceSpec, memo_dir: str | Path | None = None,
               names: set[str] | None = None, **storage_options: Any) -> list[LandingFile]:
    """The files of `spec`'s dataset under `landing`, in name order, fingerprinted.

    *.xlsx and *.csv (any case) directly in the source folder; a missing folder = no files.
    For a latest_only source (the roster) only the file whose name sorts last.

    memo_dir: where the fingerprints are remembered (`<memo_dir>/<source>.json`, by file name with its
    size and modification time or ETag): a file unchanged since it was last listed is not read again.
    A national dataset is hundreds of files that every task of a run lists; reading them all each time
    costs more than parsing the new ones. names: only these files (a staging task's batch; duplicates
    are then told among them only).
    """
    fs, entries = _entries(landing, spec, **storage_options)
    if names is not None:
        entries = [e for e in entries if _name(e) in names]
    memo_file = memo_path(memo_dir, spec.name) if memo_dir is not None else None
    memo = _read_memo(memo_file) if memo_file else {}
    kept: dict[str, list[str]] = {}
    files: list[LandingFile] = []
    first_with: dict[str, str] = {}
    for entry in entries:
        name = _name(entry)
        version = _version(entry)
        sha = _remembered(memo, name, version)
        if sha is None:
            try:
                sha = _sha256(fs, entry["name"])
            except FileNotFoundError:
                raise SourceFileError(f"{spec.folder}/{name}", "was removed while the run read it; run again") from None
        if version is not None:
            kept[name] = [version, sha]
        files.append(
            LandingFile(
                source=spec.name,
                folder=spec.folder,
                name=name,
                url=fs.unstrip_protocol(entry["name"]),
                sha256=sha,
                size=int(entry.get("size") or 0),
                duplicate_of=first_with.get(sha),
            )
        )
        first_with.setdefault(sha, name)
    if names is not None:  # the other files' fingerprints were not checked: kept as they are
        kept = {**memo, **kept}
    if memo_file and kept != memo:
        _write_memo(memo_file, kept)
    return files


def remembered_files(landing: str, spec: SourceSpec, memo_dir: str | Path,
                     **storage_options: Any) -> list[tuple[str, int, str | None]]:
    """(name, size, fingerprint or None) of the source's files, in name order, reading no file: the
    fingerprint where it is remembered for the file as it is now, else None. What planning needs: a new
    file is read once, by the task that stages it, not also by the plan."""
    _, entries = _entries(landing, spec, **storage_options)
    memo = _read_memo(memo_path(memo_dir, spec.name))
    return [(_name(e), int(e.get("size") or 0), _remembered(memo, _name(e), _version(e))) for e in entries]


def read_bytes(landing_file: LandingFile, **storage_options: Any) -> bytes:
    """The bytes of a landing file, as they are now."""
    with fsspec.open(landing_file.url, "rb", **storage_options) as handle:
        return handle.read()


def open_landing(landing_file: LandingFile, **storage_options: Any):
    """The landing file to read as bytes, as it is now (a context manager: `with open_landing(f) as handle`)."""
    return fsspec.open(landing_file.url, "rb", **storage_options)
