"""
### Rentan 1/4: ingest and validate the landing zone

Monthly, at 01:00 WIB on the 1st, for that month (Asia/Jakarta).

Reads every source in the landing zone (`RENTAN_LANDING`): P3KE individual
exports, the BPJS Ketenagakerjaan roster snapshot, paid claims and the clerical
review decisions. Each file is fingerprinted (SHA-256) and parsed once; its rows
are normalised and checked by the Great Expectations suite of its source
(`expectations/*.json`). Rows breaking a hard rule go to quarantine with their
reason codes; a file that cannot be read, lacks a required column, has no data
row or has more than 5 % of its rows quarantined fails the run and alerts.
Data Docs (counts only, no personal data) land in `data/data_docs/<run_id>/`.

Files not parsed before are first dealt into batches (`plan_*`) and parsed
by one mapped task per batch (`stage_*`), so a worker pool parses a national
dataset (one file per kabupaten/kota) in parallel; `RENTAN_INGEST_WORKERS`
(default 2) sets the number of batches.

Params `periode_dari` / `periode_sampai` (YYYY-MM) run a range of months in one
run (a backfill); without them the run is for the month of its schedule.
Emits the staging Assets that start `rentan_match`.
"""

import pendulum
from airflow.sdk import CronTriggerTimetable, dag, get_current_context, task

from include.alerts import failure_notifiers
from include.assets import STAGING_KLAIM, STAGING_P3KE, STAGING_PESERTA, STAGING_TINJAUAN
from include.runs import DAG_DEFAULTS, PERIOD_PARAMS, periods_from_context, publish_periods

P3KE_PRIORITY = 10  # priority_weight of the P3KE tasks (the others have 1; the rule adds downstream weights)
PLAN_PRIORITY = 20  # the planning tasks of both sources, before everything else


def _ingest(name: str, asset, periods: list[str]) -> dict:
    from include.pipeline import ValidationFailed, ingest
    from include.runs import fail_on_data_error
    from include.settings import load_settings
    from include.sources import SourceFileError

    context = get_current_context()
    settings = load_settings()
    try:
        summary = ingest(name, settings, periods, context["run_id"])
    except (ValidationFailed, SourceFileError) as error:
        raise fail_on_data_error(settings, error) from error
    publish_periods(context, asset, periods)
    return summary


@dag(
    schedule=CronTriggerTimetable("0 1 1 * *", timezone="Asia/Jakarta"),
    start_date=pendulum.datetime(2022, 3, 1, tz="Asia/Jakarta"),
    catchup=False,
    max_active_runs=1,
    params=PERIOD_PARAMS,
    default_args={**DAG_DEFAULTS, "on_failure_callback": failure_notifiers()},
    tags=["rentan", "ingest", "great-expectations"],
    doc_md=__doc__,
)
def rentan_ingest():
    @task
    def resolve_months() -> list[str]:
        return periods_from_context(get_current_context())

    @task(outlets=[STAGING_P3KE])
    def ingest_p3ke(periods: list[str]) -> dict:
        return _ingest("p3ke", STAGING_P3KE, periods)

    @task(outlets=[STAGING_PESERTA])
    def ingest_peserta(periods: list[str]) -> dict:
        return _ingest("peserta", STAGING_PESERTA, periods)

    @task(outlets=[STAGING_KLAIM])
    def ingest_klaim(periods: list[str]) -> dict:
        return _ingest("klaim", STAGING_KLAIM, periods)

    @task(outlets=[STAGING_TINJAUAN])
    def ingest_tinjauan(periods: list[str]) -> dict:
        return _ingest("tinjauan", STAGING_TINJAUAN, periods)

    @task
    def plan_staging(name: str) -> list[list[str]]:
        from include.pipeline import staging_batches
        from include.settings import load_settings

        return staging_batches(name, load_settings())

    @task(map_index_template="{{ task.op_kwargs['names'] | length }} berkas")
    def stage_files(name: str, names: list[str]) -> dict:
        from include.pipeline import stage_batch
        from include.settings import load_settings

        return stage_batch(name, load_settings(), names)

    periods = resolve_months()
    staged = {}
    for name in ("p3ke", "peserta"):
        # P3KE is the long path (the most files, then the largest validation): its tasks go first when
        # workers are scarce, so its mapped staging tasks run side by side instead of waiting behind the
        # roster's ingest. The plans take a second each and open their paths: they go first of all.
        weight = P3KE_PRIORITY if name == "p3ke" else 1
        plan = plan_staging.override(task_id=f"plan_{name}", priority_weight=PLAN_PRIORITY)(name)
        staged[name] = stage_files.override(task_id=f"stage_{name}", priority_weight=weight).partial(
            name=name).expand(names=plan)
    roster = ingest_peserta(periods)
    staged["peserta"] >> roster
    roster >> ingest_klaim(periods)
    staged["p3ke"] >> ingest_p3ke.override(priority_weight=P3KE_PRIORITY)(periods)
    ingest_tinjauan(periods)


rentan_ingest()
