"""
### Rentan 4/4: monthly iuran reports

Starts when `rentan_load` has loaded its months.

For every month of the run (mapped), reads the warehouse with the report
queries of `include/sql/` and writes `<RENTAN_REPORTS>/<YYYY-MM>/`:
rincian_iuran.csv (the BPJS submission, full NIK), rekap_iuran.csv,
calon_peserta.csv, perlu_tinjauan.csv, karantina.csv, ringkasan.json,
laporan.xlsx and laporan.html (Indonesian, Rupiah, charts, NIK masked).
Each file is written to a temporary name and renamed when complete.
"""

import pendulum
from airflow.sdk import dag, get_current_context, task

from include.alerts import failure_notifiers
from include.assets import LAPORAN, WAREHOUSE
from include.runs import DAG_DEFAULTS, PERIOD_PARAMS, periods_from_context, publish_periods


@dag(
    schedule=[WAREHOUSE],
    start_date=pendulum.datetime(2022, 3, 1, tz="Asia/Jakarta"),
    catchup=False,
    max_active_runs=1,
    params=PERIOD_PARAMS,
    default_args={**DAG_DEFAULTS, "on_failure_callback": failure_notifiers()},
    tags=["rentan", "report", "iuran"],
    doc_md=__doc__,
)
def rentan_report():
    @task
    def resolve_months() -> list[str]:
        return periods_from_context(get_current_context())

    @task(map_index_template="{{ task.op_kwargs['periode'] }}")
    def write_month_report(periode: str) -> dict:
        from include.pipeline import write_report
        from include.settings import load_settings

        return write_report(load_settings(), periode)

    @task(outlets=[LAPORAN])
    def publish_reports(periods: list[str], written: list[dict]) -> list[str]:
        publish_periods(get_current_context(), LAPORAN, periods)
        return [w["folder"] for w in written]

    periods = resolve_months()
    publish_reports(periods, write_month_report.expand(periode=periods))


rentan_report()
