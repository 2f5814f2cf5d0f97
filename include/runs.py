"""What every Rentan task needs from its Airflow run: the months, the run id, a clean failure.

Light on purpose (no pandas): DAG files import it at parse time.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from include.periods import resolve_periods
from include.settings import Settings

DAG_DEFAULTS = {"owner": "rentan-data", "retries": 2, "retry_delay": dt.timedelta(seconds=30)}
PERIOD_PARAMS = {
    "periode_dari": None,
    "periode_sampai": None,
}
ERROR_FILE = "last_error.txt"


def periods_from_context(context) -> list[str]:
    """The months of this run: params, else the triggering asset events, else the logical date."""
    events = context.get("triggering_asset_events") or {}
    extras = [dict(event.extra or {}) for asset_events in events.values() for event in asset_events]
    return resolve_periods(dict(context.get("params") or {}), context.get("logical_date"), extras)


def publish_periods(context, asset, periods: list[str]) -> None:
    """Carry the months to the DAGs that the asset triggers."""
    context["outlet_events"][asset].extra = {"periode": periods}


def error_file(settings: Settings) -> Path:
    return Path(settings.staging) / ERROR_FILE


def fail_on_data_error(settings: Settings, error: Exception):
    """A data error is not retried: record its one-line reason for the command line and fail the task."""
    from airflow.sdk.exceptions import AirflowFailException

    path = error_file(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(str(error) + "\n", encoding="utf-8")
    return AirflowFailException(str(error))
