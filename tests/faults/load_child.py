"""The load a fault test kills: `python tests/faults/load_child.py <url> <period|snapshot> <version> <run_id> [marker]`.

Loads the synthetic month (or roster snapshot) `version` of tests/faults/synthetic.py with the production
load_period / load_snapshot. With a marker path, the dialect's bulk_insert is wrapped here (not in
production code): once the first table of the load's transaction is written, the marker file is created,
holding the PostgreSQL backend pid (or 0 on SQLite), and the process sleeps inside the open transaction
until the test kills it. On SQLite the page cache is kept small so the written pages spill into the WAL
file before the kill, as a big load would.
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

if __name__ == "__main__":  # run as a script: the project root on the path, like PYTHONPATH=. in make
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from sqlalchemy import event

from include.warehouse import get_engine, load_period, load_snapshot
from include.warehouse.dialects import DIALECTS
from tests.faults import synthetic

PAUSE_SECONDS = 300  # the test kills the process long before; a bound in case it never does


def pause_after_first_table(dialect_class: type, marker: Path, only: str | None = None) -> None:
    """Wrap dialect_class.bulk_insert: after the first non-empty insert (into table `only`, if given) of
    the process, write the marker and sleep inside the open transaction."""
    original = dialect_class.bulk_insert

    def bulk_insert(self, conn, table, columns, rows):
        original(self, conn, table, columns, rows)
        if rows and only in (None, table) and not marker.exists():
            driver = conn.connection.driver_connection
            pid = driver.info.backend_pid if hasattr(driver, "info") else 0
            partial = marker.with_suffix(".tmp")
            partial.write_text(f"{pid} {table}\n", encoding="utf-8")
            os.replace(partial, marker)  # the test sees the whole marker or none
            time.sleep(PAUSE_SECONDS)

    dialect_class.bulk_insert = bulk_insert


def main(url: str, what: str, version: int, run_id: str, marker: str | None = None) -> None:
    engine = get_engine(url)
    if marker:
        pause_after_first_table(DIALECTS[engine.dialect.name], Path(marker))
        if engine.dialect.name == "sqlite":
            event.listen(engine, "connect", lambda dbapi, _record: dbapi.execute("PRAGMA cache_size = 20"))
    if what == "period":
        load_period(engine, synthetic.period_result(version), run_id)
    else:
        load_snapshot(engine, synthetic.snapshot(version), run_id)
    engine.dispose()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], *sys.argv[5:6])
