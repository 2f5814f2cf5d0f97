"""
### Rentan 2/4: match people and decide each month

Starts when `rentan_ingest` has staged all four sources.

Matches once per dataset: P3KE rows are grouped into people (equal NIK, or the
same name, birth date, sex and desa) and linked to BPJS roster participants;
uncertain pairs go to clerical review (`perlu_tinjauan`), and reviewers'
SAMA/BEDA decisions override the matcher. The dataset is then dealt into
closed parts (people with their participants and review pairs); each part
(mapped) decides every month of the run: each P3KE row gets exactly one
outcome (karantina, duplikat_p3ke, terdaftar_aktif, tidak_memenuhi_syarat,
perlu_tinjauan or calon_peserta) and the roster is billed by the billing rule
at the rates in force. `finish_months` puts each month together from its parts.
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

        return link_people(load_settings(), deal=False)

    @task
    def list_parts(matched: dict) -> list[int]:
        """Deal the linked dataset into parts (after match_people, whose summary `matched` is)."""
        from include.pipeline import deal_parts
        from include.settings import load_settings

        return list(range(deal_parts(load_settings())))

    @task(map_index_template="bagian {{ task.op_kwargs['part'] }}")
    def decide_part(part: int, periods: list[str]) -> dict:
        from include.pipeline import decide_part as decide
        from include.settings import load_settings

        return decide(load_settings(), part, periods)

    @task
    def finish_months(periods: list[str], decided: list[dict]) -> list[dict]:
        from include.pipeline import finish_month
        from include.settings import load_settings

        settings = load_settings()
        return [finish_month(settings, periode) for periode in periods]

    @task(outlets=[KEPUTUSAN])
    def publish_decisions(periods: list[str], finished: list[dict]) -> int:
        publish_periods(get_current_context(), KEPUTUSAN, periods)
        return len(finished)

    periods = resolve_months()
    matched = match_people()
    decided = decide_part.partial(periods=periods).expand(part=list_parts(matched))
    publish_decisions(periods, finish_months(periods, decided))


rentan_match()
