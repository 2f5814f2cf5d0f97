"""The landing zone: which files form a source's dataset, their fingerprints, their bytes.

The only module that touches the landing file system (a local folder by default,
any fsspec URL such as s3://bucket/landing in production).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
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


def list_files(landing: str, spec: SourceSpec, **storage_options: Any) -> list[LandingFile]:
    """The files of `spec`'s dataset under `landing`, in name order, fingerprinted.

    *.xlsx and *.csv (any case) directly in the source folder; a missing folder = no files.
    For a latest_only source (the roster) only the file whose name sorts last.
    """
    fs, root = url_to_fs(landing, **storage_options)
    folder = f"{root.rstrip('/')}/{spec.folder}"
    if not fs.isdir(folder):
        return []
    entries = [e for e in fs.ls(folder, detail=True) if e.get("type") == "file"]
    entries = sorted(
        (e for e in entries if _is_data_file(e["name"].rsplit("/", 1)[-1])), key=lambda e: e["name"].rsplit("/", 1)[-1]
    )
    if spec.latest_only:
        entries = entries[-1:]
    files: list[LandingFile] = []
    first_with: dict[str, str] = {}
    for entry in entries:
        name = entry["name"].rsplit("/", 1)[-1]
        try:
            sha = _sha256(fs, entry["name"])
        except FileNotFoundError:
            raise SourceFileError(f"{spec.folder}/{name}", "was removed while the run read it; run again") from None
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
    return files


def read_bytes(landing_file: LandingFile, **storage_options: Any) -> bytes:
    """The bytes of a landing file, as they are now."""
    with fsspec.open(landing_file.url, "rb", **storage_options) as handle:
        return handle.read()
