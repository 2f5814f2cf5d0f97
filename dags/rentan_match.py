"""
### Rentan 2/4: match people and decide each month

Starts when `rentan_ingest` has staged all four sources.

Matches once per dataset: P3KE rows are grouped into people (equal NIK, or the
same name, birth date, sex and desa) and linked to BPJS roster participants;
uncertain pairs go to clerical review (`perlu_tinjauan`), and reviewers'
SAMA/BEDA decisions override the matcher. Then, for every month of the run
(mapped), each P3KE row gets exactly one outcome: karantina, duplikat_p3ke,
terdaftar_aktif, tidak_memenuhi_syarat, perlu_tinjauan or calon_peserta; the
roster is billed by the billing rule at the rates in force.
Emits `rentan_keputusan`, which starts `rentan_load`.
"""

import pendulum
from airflow.sdk import dag, get_current_context, task

from include.alerts import failure_notifiers
from include.assets import KEPUTUSAN, STAGING
from include.runs import DAG_DEFAULTS, PERIOD_PARAMS, periods_from_context, publish_periods


@dag(
    schedule=STAGING,
    start_date=pendulum.datetime(2022, 3, 1, tz="Asia/Jakarta"),
    catchup=False,
    max_active_runs=1,
    params=PERIOD_PARAMS,
    default_args={**DAG_DEFAULTS, "on_failure_callback": failure_notifiers()},
    tags=["rentan", "matching", "decide"],
    doc_md=__doc__,
)
def rentan_match():
    @task
    def resolve_months() -> list[str]:
        return periods_from_context(get_current_context())

    @task
    def match_people() -> dict:
        from include.pipeline import link_people
        from include.settings import load_settings

        return link_people(load_settings())

    @task(map_index_template="{{ task.op_kwargs['periode'] }}")
    def decide_month(periode: str) -> dict:
        from include.pipeline import decide
        from include.settings import load_settings

        return decide(load_settings(), periode)

    @task(outlets=[KEPUTUSAN])
    def publish_decisions(periods: list[str], decided: list[dict]) -> int:
        publish_periods(get_current_context(), KEPUTUSAN, periods)
        return len(decided)

    periods = resolve_months()
    matched = match_people()
    decided = decide_month.expand(periode=periods)
    matched >> decided
    publish_decisions(periods, decided)


rentan_match()
