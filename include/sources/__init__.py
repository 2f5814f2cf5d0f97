"""Input sources: read a landing file, normalise it, stage it (one module per source).

Each source module has the same shape: `SPEC` (its folder and columns) and
`normalise(raw, berkas, sha256)`. Adding a source (e.g. DTSEN) = one module plus
one entry in SOURCES.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from include.sources import klaim, p3ke, peserta, tinjauan
from include.sources.spec import SourceFileError, SourceSpec

if TYPE_CHECKING:
    import pandas as pd


class Source(Protocol):
    SPEC: SourceSpec

    def normalise(self, raw: pd.DataFrame, berkas: str, sha256: str) -> pd.DataFrame: ...


SOURCES: dict[str, Source] = {"p3ke": p3ke, "peserta": peserta, "klaim": klaim, "tinjauan": tinjauan}


def source(name: str) -> Source:
    """The source module of a name; KeyError names the known sources."""
    try:
        return SOURCES[name]
    except KeyError:
        raise KeyError(f"unknown source {name!r}; known: {', '.join(SOURCES)}") from None


__all__ = ["SOURCES", "Source", "SourceFileError", "SourceSpec", "source"]
