"""
### Rentan 3/4: load the warehouse

Starts when `rentan_match` has decided its months.

Loads the star schema (`RENTAN_WAREHOUSE_URL`: an embedded SQLite file by
default, PostgreSQL in production, bulk loads through COPY): first the run-wide
snapshot (roster participants and spells, claims, the file audit with SHA-256
and row counts) and each month (mapped) side by side, once the schema and the
run's audit record exist (`prepare_warehouse`); each in one transaction:
delete-then-insert, so a rerun or a retry never duplicates a row.
Emits `rentan_warehouse`, which starts `rentan_report`.
"""

import pendulum
from airflow.sdk import dag, get_current_context, task

from include.alerts import failure_notifiers
from include.assets import KEPUTUSAN, WAREHOUSE
from include.runs import DAG_DEFAULTS, PERIOD_PARAMS, periods_from_context, publish_periods


@dag(
    schedule=[KEPUTUSAN],
    start_date=pendulum.datetime(2022, 3, 1, tz="Asia/Jakarta"),
    catchup=False,
    max_active_runs=1,
    params=PERIOD_PARAMS,
    default_args={**DAG_DEFAULTS, "on_failure_callback": failure_notifiers()},
    tags=["rentan", "warehouse"],
    doc_md=__doc__,
)
def rentan_load():
    @task
    def resolve_months() -> list[str]:
        return periods_from_context(get_current_context())

    @task
    def prepare_warehouse(periods: list[str]) -> None:
        from include.pipeline import prepare_load
        from include.settings import load_settings

        prepare_load(load_settings(), get_current_context()["run_id"], periods)

    @task
    def load_snapshot() -> dict:
        from include.pipeline import load_snapshot as load
        from include.settings import load_settings

        return load(load_settings(), get_current_context()["run_id"])

    @task(map_index_template="{{ task.op_kwargs['periode'] }}")
    def load_month(periode: str) -> dict:
        from include.pipeline import load_period
        from include.settings import load_settings

        return load_period(load_settings(), periode, get_current_context()["run_id"])

    @task(outlets=[WAREHOUSE])
    def publish_warehouse(periods: list[str], loaded: list[dict]) -> int:
        from include.pipeline import finish_load
        from include.settings import load_settings

        context = get_current_context()
        finish_load(load_settings(), context["run_id"], periods)
        publish_periods(context, WAREHOUSE, periods)
        return len(loaded)

    periods = resolve_months()
    prepared = prepare_warehouse(periods)
    snapshot = load_snapshot()
    loaded = load_month.expand(periode=periods)
    prepared >> [snapshot, loaded]  # the snapshot's tables and the months' are apart: loaded side by side
    snapshot >> publish_warehouse(periods, loaded)


rentan_load()
