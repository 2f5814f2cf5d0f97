"""The chain a fault test kills: `python tests/faults/chain_child.py <marker> --from YYYY-MM --to YYYY-MM`.

Runs include.run_chain (every DAG through Airflow's dag.test, tasks in this process) with the dialects'
bulk_insert wrapped here, not in production code: once rentan_load's load_month task has written
fact_iuran, the first table of its month's transaction, the marker file is created and the process
sleeps inside that transaction until the test kills it.
"""

from __future__ import annotations

import sys
from pathlib import Path

if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from include import run_chain
from include.warehouse.dialects import DIALECTS
from tests.faults.load_child import pause_after_first_table

if __name__ == "__main__":
    for dialect_class in DIALECTS.values():
        pause_after_first_table(dialect_class, Path(sys.argv[1]), only="fact_iuran")
    sys.exit(run_chain.main(sys.argv[2:]))
