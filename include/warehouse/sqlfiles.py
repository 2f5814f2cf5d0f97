"""The SQL of the warehouse, kept as files in include/sql/ named <verb>_<object>.sql."""

from __future__ import annotations

from functools import cache
from pathlib import Path

SQL_DIR = Path(__file__).resolve().parent.parent / "sql"


@cache
def statements(name: str) -> tuple[str, ...]:
    """The statements of include/sql/<name>.sql, comments removed, split on ';'.

    The files hold no ';' or '--' inside string literals, so this plain split is exact.
    """
    path = SQL_DIR / f"{name}.sql"
    if not path.is_file():
        raise FileNotFoundError(f"{path}: no such SQL file; add it to include/sql/")
    lines = (line.split("--", 1)[0] for line in path.read_text(encoding="utf-8").splitlines())
    return tuple(s.strip() for s in "\n".join(lines).split(";") if s.strip())


def query(name: str) -> str:
    """The single statement of include/sql/<name>.sql."""
    found = statements(name)
    if len(found) != 1:
        raise ValueError(f"{SQL_DIR / name}.sql holds {len(found)} statements; a query file must hold exactly one")
    return found[0]
