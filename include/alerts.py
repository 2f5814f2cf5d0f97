"""The alert channel: failure notifiers for Airflow callbacks (email over SMTP, optional webhook).

DAG files attach ``failure_notifiers()`` as ``on_failure_callback``. Airflow 3.3 passes the
exception only to task-level callbacks (``context["exception"]``, run in the task's process);
a DAG-level callback (run by the dag-processor) gets ``reason`` (e.g. ``task_failure``) and the
context of the last failed task, not the exception. So attach the notifiers to the tasks
(``default_args={"on_failure_callback": failure_notifiers()}``) for alerts that name the file,
rule and counts; at DAG level they name the failed task and link its log.

Settings (read from the environment):
- ``RENTAN_SMTP_CONN_ID`` (default ``rentan_smtp``): the Airflow SMTP connection
  (``AIRFLOW_CONN_RENTAN_SMTP``); its extra ``from_email`` is the sender unless ``RENTAN_ALERT_FROM``.
- ``RENTAN_ALERT_EMAIL`` (default ``data-engineering@localhost``): recipients, ``,`` or ``;`` separated.
- ``RENTAN_ALERT_WEBHOOK``: when set, a Slack-style incoming webhook also receives ``{"text": ...}``.

Alert text never carries personal data: the pipeline's messages name file, rule and counts only,
and ``scrub`` masks NIK-like digit runs and SQL parameters before anything is sent.
Module import is cheap (parse time): the SMTP provider is imported only when a mail is sent.
"""

from __future__ import annotations

import html
import json
import os
import re
import urllib.request
from dataclasses import dataclass
from typing import Any

from airflow.sdk import BaseNotifier

DEFAULT_SMTP_CONN_ID = "rentan_smtp"
DEFAULT_ALERT_EMAIL = "data-engineering@localhost"
MAX_REASON_CHARS = 2000

_NIK_LIKE = re.compile(r"(?<!\d)\d{15,16}(?!\d)")  # a NIK, or one Excel cut to 15 digits
_SQL_PARAMETERS = re.compile(r"^\[parameters: .*$", re.MULTILINE)  # SQLAlchemy echoes row values here


def scrub(text: str) -> str:
    """Mask personal data that may hide in an error text: NIK-like digit runs and SQL parameters."""
    text = _SQL_PARAMETERS.sub("[parameters: disamarkan]", text)
    text = _NIK_LIKE.sub(lambda m: "*" * len(m.group()), text)
    if len(text) > MAX_REASON_CHARS:
        text = text[:MAX_REASON_CHARS] + " …"
    return text


@dataclass(frozen=True)
class FailureAlert:
    """What one failure alert says; every field is already scrubbed."""

    dag_id: str
    run_id: str
    task: str
    reason: str
    log_url: str = ""

    @property
    def subject(self) -> str:
        return f"[Rentan] GAGAL {self.dag_id} / {self.run_id}"

    def rows(self) -> list[tuple[str, str]]:
        return [
            ("DAG", self.dag_id),
            ("Run", self.run_id),
            ("Tugas / Task", self.task),
            ("Alasan / Reason", self.reason),
            *([("Log", self.log_url)] if self.log_url else []),
        ]

    def text(self) -> str:
        return "\n".join([self.subject, *(f"{label}: {value}" for label, value in self.rows())])

    def html(self) -> str:
        cells = "".join(
            f"<tr><th align='left'>{html.escape(label)}</th><td style='white-space:pre-wrap'>"
            + (f"<a href='{html.escape(value)}'>{html.escape(value)}</a>" if label == "Log" else html.escape(value))
            + "</td></tr>"
            for label, value in self.rows()
        )
        return (
            "<p>Sebuah run Rentan gagal. / A Rentan run failed.</p>"
            f"<table>{cells}</table>"
            "<p>Perbaiki berkas atau data yang disebut, lalu jalankan ulang. / "
            "Fix the file or data named above, then re-run.</p>"
        )


def failure_alert(context: dict[str, Any]) -> FailureAlert:
    """Build the alert from an Airflow callback context (task level or DAG level)."""
    ti = context.get("ti") or context.get("task_instance")
    dag = context.get("dag")
    dag_run = context.get("dag_run")
    dag_id = getattr(dag, "dag_id", None) or getattr(ti, "dag_id", None) or "?"
    run_id = context.get("run_id") or getattr(dag_run, "run_id", None) or getattr(ti, "run_id", None) or "?"
    task = "-"
    if ti is not None:
        task = ti.task_id
        map_index = getattr(ti, "map_index", -1)
        if map_index is not None and map_index >= 0:
            task += f" [map {map_index}]"
        if getattr(ti, "try_number", None):
            task += f", percobaan / try {ti.try_number}"
    return FailureAlert(
        dag_id=scrub(_one_line(str(dag_id))),
        run_id=scrub(_one_line(str(run_id))),
        task=scrub(_one_line(task)),
        reason=scrub(_reason(context)),
        log_url=_log_url(ti),
    )


def _reason(context: dict[str, Any]) -> str:
    """The exception text (task-level callbacks); else Airflow's reason (DAG-level: no exception)."""
    error = context.get("exception")
    if isinstance(error, BaseException):
        message = str(error).strip()
        return f"{type(error).__name__}: {message}" if message else type(error).__name__
    if error:
        return str(error)
    reason = context.get("reason") or "unknown"
    return f"{reason} (rincian di log tugas / details in the task log)"


def _log_url(ti: Any) -> str:
    try:
        return str(ti.log_url) if ti is not None else ""
    except Exception:  # a partial task instance (e.g. a callback for a removed task) has no URL
        return ""


def _one_line(value: str) -> str:
    return " ".join(value.split())


class _AlertNotifier(BaseNotifier):
    """A notifier whose text is built per call from the context, never rendered as Jinja.

    Skipping Airflow's in-place template rendering keeps an error text with ``{{`` literal and lets
    the notifier run where the context's ``dag`` cannot render (``dag.test()`` passes a SerializedDAG).
    """

    def render_template_fields(self, context: Any, jinja_env: Any = None) -> None:
        return None


class EmailNotifier(_AlertNotifier):
    """Send the failure alert through the SMTP provider's ``SmtpNotifier`` on an Airflow connection.

    A fresh ``SmtpNotifier`` is built per alert: ``SmtpNotifier`` renders its fields in place, so a
    shared instance would repeat the first run's subject, and rendering the error text as Jinja
    would be unsafe.
    """

    def __init__(self, to: str | list[str], smtp_conn_id: str, from_email: str | None = None) -> None:
        super().__init__()
        self.to = to
        self.smtp_conn_id = smtp_conn_id
        self.from_email = from_email

    def notify(self, context: dict[str, Any]) -> None:
        from airflow.providers.smtp.notifications.smtp import SmtpNotifier  # only when a mail is sent

        alert = failure_alert(context)
        # SmtpNotifier uses the context only to render a from_email taken from the connection; without
        # "dag" it renders with the default Jinja env, so a SerializedDAG (dag.test()) is no obstacle.
        SmtpNotifier(
            to=self.to,
            from_email=self.from_email,
            subject=alert.subject,
            html_content=alert.html(),
            smtp_conn_id=self.smtp_conn_id,
        ).notify({key: value for key, value in context.items() if key != "dag"})


class WebhookNotifier(_AlertNotifier):
    """POST ``{"text": <alert>}`` to an incoming webhook (Slack accepts this shape).

    The URL is a secret: by default it is read from ``RENTAN_ALERT_WEBHOOK`` when the alert is sent,
    so it is not kept on the parsed DAG.
    """

    def __init__(self, url: str | None = None, timeout: float = 10.0) -> None:
        super().__init__()
        self.url = url
        self.timeout = timeout

    def notify(self, context: dict[str, Any]) -> None:
        url = self.url or os.environ.get("RENTAN_ALERT_WEBHOOK", "").strip()
        if not url.startswith(("https://", "http://")):
            raise ValueError("RENTAN_ALERT_WEBHOOK must be the http(s) URL of an incoming webhook; set it or unset it.")
        body = json.dumps({"text": failure_alert(context).text()}).encode()
        request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
        with urllib.request.urlopen(request, timeout=self.timeout) as response:
            response.read()


def failure_notifiers() -> list[BaseNotifier]:
    """The notifiers for ``on_failure_callback``: email always, the webhook when configured."""
    notifiers: list[BaseNotifier] = [
        EmailNotifier(
            to=os.environ.get("RENTAN_ALERT_EMAIL") or DEFAULT_ALERT_EMAIL,
            smtp_conn_id=os.environ.get("RENTAN_SMTP_CONN_ID") or DEFAULT_SMTP_CONN_ID,
            from_email=os.environ.get("RENTAN_ALERT_FROM") or None,
        )
    ]
    if os.environ.get("RENTAN_ALERT_WEBHOOK", "").strip():
        notifiers.append(WebhookNotifier())
    return notifiers
