"""The Rentan warehouse: star schema on SQLite (embedded default) or PostgreSQL (COPY loads).

    engine = get_engine(settings.warehouse_url)
    create_schema(engine)                        # on PostgreSQL also setup_reporting(engine)
    load_snapshot(engine, snapshot, run_id)      # once per run
    load_period(engine, result, run_id)          # per month, one transaction each
    data = read_report_data(engine, "2025-07")   # -> ReportData for include/reports
"""

from include.warehouse.audit import record_run
from include.warehouse.engine import get_engine
from include.warehouse.load import WarehouseLoadError, load_period, load_snapshot
from include.warehouse.read import read_jejak_kpj, read_keputusan_tinjauan, read_report_data
from include.warehouse.roles import setup_reporting
from include.warehouse.schema import create_schema

__all__ = [
    "WarehouseLoadError",
    "create_schema",
    "get_engine",
    "load_period",
    "load_snapshot",
    "read_jejak_kpj",
    "read_keputusan_tinjauan",
    "read_report_data",
    "record_run",
    "setup_reporting",
]
