"""Failure alerts over a real SMTP conversation (aiosmtpd on 127.0.0.1) and a real HTTP webhook."""

from __future__ import annotations

import email
import json
import os
import socket
import subprocess
import sys
import textwrap
import threading
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from types import SimpleNamespace

import pytest
from aiosmtpd.controller import Controller

from include.alerts import EmailNotifier, WebhookNotifier, failure_alert, failure_notifiers, scrub

PROJECT_ROOT = Path(__file__).resolve().parents[2]
RUN_ID = "scheduled__2025-07-31T00:00:00+00:00"
VALIDATION_ERROR = "p3ke/kec_a.xlsx: 7.2 % rows quarantined (> 5 %): NIK_FORMAT=12, NAMA_KOSONG=3"
NIK = "1303044507850001"  # synthetic


class _Inbox:
    """aiosmtpd handler keeping every envelope it accepts."""

    def __init__(self) -> None:
        self.envelopes: list = []

    async def handle_DATA(self, server, session, envelope) -> str:
        self.envelopes.append(envelope)
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _smtp_uri(port: int) -> str:
    # Extras from a URI arrive as strings: "true" disables, and so would "false" (any non-empty
    # string is truthy in SmtpHook), so leave out what should stay on.
    return (
        f"smtp://127.0.0.1:{port}?disable_tls=true&disable_ssl=true"
        "&from_email=rentan%40localhost&timeout=5&retry_limit=0"
    )


@pytest.fixture
def inbox(monkeypatch):
    """A real SMTP server on 127.0.0.1, wired as the rentan_smtp connection."""
    port = _free_port()
    handler = _Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    monkeypatch.setenv("AIRFLOW_CONN_RENTAN_SMTP", _smtp_uri(port))
    monkeypatch.setenv("RENTAN_ALERT_EMAIL", "data-engineering@dinas.test")
    for name in ("RENTAN_SMTP_CONN_ID", "RENTAN_ALERT_FROM", "RENTAN_ALERT_WEBHOOK"):
        monkeypatch.delenv(name, raising=False)
    yield handler
    controller.stop()


def _context(error: BaseException | None, run_id: str = RUN_ID, reason: str | None = None) -> dict:
    """The keys Airflow 3.3 puts in a task failure callback's context (exception only at task level)."""
    ti = SimpleNamespace(
        dag_id="rentan_ingest",
        task_id="validate_p3ke",
        run_id=run_id,
        map_index=2,
        try_number=3,
        log_url=f"http://localhost:8080/dags/rentan_ingest/runs/{run_id}/tasks/validate_p3ke",
    )
    context = {
        "dag": SimpleNamespace(dag_id="rentan_ingest"),
        "run_id": run_id,
        "ti": ti,
        "task_instance": ti,
        "dag_run": SimpleNamespace(run_id=run_id),
    }
    if error is not None:
        context["exception"] = error
    if reason is not None:
        context["reason"] = reason
    return context


def _html_body(message: Message) -> str:
    parts = [part for part in message.walk() if part.get_content_type() == "text/html"]
    assert len(parts) == 1
    return parts[0].get_payload(decode=True).decode(parts[0].get_content_charset())


def _send_all(context: dict) -> None:
    for notifier in failure_notifiers():
        notifier(context)  # as Airflow calls an on_failure_callback


def test_failed_validation_email_names_dag_run_file_rule_and_counts(inbox):
    _send_all(_context(ValueError(VALIDATION_ERROR)))

    assert len(inbox.envelopes) == 1
    envelope = inbox.envelopes[0]
    assert envelope.mail_from == "rentan@localhost"
    assert envelope.rcpt_tos == ["data-engineering@dinas.test"]
    message = email.message_from_bytes(envelope.original_content)
    assert message["Subject"] == f"[Rentan] GAGAL rentan_ingest / {RUN_ID}"
    assert message["To"] == "data-engineering@dinas.test"
    body = _html_body(message)
    for expected in ("rentan_ingest", RUN_ID, "validate_p3ke [map 2]", "try 3", "p3ke/kec_a.xlsx"):
        assert expected in body
    assert "7.2 % rows quarantined (&gt; 5 %): NIK_FORMAT=12, NAMA_KOSONG=3" in body


def test_nik_in_the_error_text_arrives_masked(inbox):
    error = ValueError(f"p3ke/kec_a.xlsx row 7: duplicate key (nik)=({NIK}); Excel-cut {NIK[:15]}")
    _send_all(_context(error))

    raw = inbox.envelopes[0].original_content
    body = _html_body(email.message_from_bytes(raw))
    assert NIK not in body and NIK[:15] not in body
    assert NIK.encode() not in raw
    assert "(nik)=(****************)" in body
    assert "p3ke/kec_a.xlsx row 7" in body


def test_one_notifier_serves_successive_runs(inbox):
    """A DAG-level notifier object outlives one run; each mail must describe its own run."""
    notifier = failure_notifiers()[0]
    notifier(_context(ValueError("p3ke/kec_a.xlsx: first"), run_id="manual__1"))
    notifier(_context(ValueError("p3ke/kec_b.xlsx: {{ second }}"), run_id="manual__2"))

    subjects = [email.message_from_bytes(e.original_content)["Subject"] for e in inbox.envelopes]
    assert subjects == ["[Rentan] GAGAL rentan_ingest / manual__1", "[Rentan] GAGAL rentan_ingest / manual__2"]
    assert "p3ke/kec_b.xlsx: {{ second }}" in _html_body(email.message_from_bytes(inbox.envelopes[1].original_content))


def test_dag_level_context_without_exception_names_reason_and_failed_task(inbox):
    _send_all(_context(None, reason="task_failure"))

    body = _html_body(email.message_from_bytes(inbox.envelopes[0].original_content))
    assert "task_failure" in body
    assert "validate_p3ke" in body
    assert "/tasks/validate_p3ke" in body  # the log link


def test_settings_choose_connection_recipients_and_webhook(monkeypatch):
    monkeypatch.delenv("RENTAN_ALERT_WEBHOOK", raising=False)
    monkeypatch.delenv("RENTAN_ALERT_EMAIL", raising=False)
    monkeypatch.delenv("RENTAN_SMTP_CONN_ID", raising=False)
    (only,) = failure_notifiers()
    assert isinstance(only, EmailNotifier)
    assert (only.smtp_conn_id, only.to) == ("rentan_smtp", "data-engineering@localhost")

    monkeypatch.setenv("RENTAN_SMTP_CONN_ID", "smtp_kantor")
    monkeypatch.setenv("RENTAN_ALERT_WEBHOOK", "https://hooks.slack.test/services/T0/B0/x")
    email_notifier, webhook = failure_notifiers()
    assert email_notifier.smtp_conn_id == "smtp_kantor"
    assert isinstance(webhook, WebhookNotifier)
    assert webhook.url is None  # the secret URL is read when sending, not kept on the parsed DAG


@pytest.fixture
def webhook_server():
    """A local HTTP endpoint recording every POST."""
    received: list[dict] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers["Content-Length"])
            received.append({"content_type": self.headers["Content-Type"], "body": self.rfile.read(length)})
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/services/T0/B0/x", received
    server.shutdown()
    server.server_close()


def test_webhook_receives_slack_style_json(monkeypatch, webhook_server):
    url, received = webhook_server
    monkeypatch.setenv("RENTAN_ALERT_WEBHOOK", url)
    webhook = failure_notifiers()[-1]
    assert isinstance(webhook, WebhookNotifier)

    webhook(_context(ValueError(f"{VALIDATION_ERROR}; nik {NIK}")))

    assert len(received) == 1
    assert received[0]["content_type"] == "application/json"
    payload = json.loads(received[0]["body"])
    assert list(payload) == ["text"]
    text = payload["text"]
    assert text.startswith(f"[Rentan] GAGAL rentan_ingest / {RUN_ID}")
    assert "p3ke/kec_a.xlsx: 7.2 % rows quarantined (> 5 %): NIK_FORMAT=12, NAMA_KOSONG=3" in text
    assert NIK not in text


def test_scrub_masks_nik_like_runs_and_sql_parameters_but_keeps_counts_and_kpj():
    text = (
        f"peserta/roster.csv row 12: KPJ_FORMAT=1, kpj 12345678901, nik {NIK}, cut 130304450785000\n"
        "[SQL: INSERT INTO worker (nik, nama) VALUES (%(nik)s, %(nama)s)]\n"
        "[parameters: {'nik': 'xx', 'nama': 'SITI AMINAH'}]"
    )
    scrubbed = scrub(text)
    assert NIK not in scrubbed and "130304450785000" not in scrubbed and "SITI AMINAH" not in scrubbed
    assert "row 12: KPJ_FORMAT=1, kpj 12345678901" in scrubbed
    assert "[parameters: disamarkan]" in scrubbed


def test_alert_text_is_one_line_per_field_and_bounded():
    alert = failure_alert(_context(ValueError("x" * 5000)))
    assert len(alert.reason) < 2100
    assert "\n" not in alert.subject


def test_real_dag_run_failure_sends_the_mail(inbox, tmp_path):
    """A task that raises in dag.test() sends the task-level mail (with the error) and the DAG-level one."""
    dags = tmp_path / "dags"
    dags.mkdir()
    dag_file = dags / "rentan_alert_probe.py"
    dag_file.write_text(
        textwrap.dedent(
            f"""
            from datetime import datetime

            from airflow.sdk import dag, task

            from include.alerts import failure_notifiers


            @dag(
                schedule=None,
                start_date=datetime(2025, 1, 1),
                catchup=False,
                default_args={{"on_failure_callback": failure_notifiers(), "retries": 0}},
                on_failure_callback=failure_notifiers(),
            )
            def rentan_alert_probe():
                @task
                def validate_p3ke():
                    raise ValueError({VALIDATION_ERROR + "; nik " + NIK!r})

                validate_p3ke()


            probe = rentan_alert_probe()

            if __name__ == "__main__":
                from airflow.utils.db import initdb

                initdb()
                print("RUN_STATE", probe.test().state)
            """
        )
    )
    home = tmp_path / "airflow_home"
    home.mkdir()
    env = {key: value for key, value in os.environ.items() if not key.startswith("AIRFLOW")}
    env.update(
        AIRFLOW_HOME=str(home),
        AIRFLOW__DATABASE__SQL_ALCHEMY_CONN=f"sqlite:///{home / 'airflow.db'}",
        AIRFLOW__CORE__LOAD_EXAMPLES="False",
        AIRFLOW__CORE__DAGS_FOLDER=str(dags),
        AIRFLOW_CONN_RENTAN_SMTP=os.environ["AIRFLOW_CONN_RENTAN_SMTP"],
        PYTHONPATH=str(PROJECT_ROOT),
    )
    result = subprocess.run(
        [sys.executable, str(dag_file)], env=env, cwd=tmp_path, capture_output=True, text=True, timeout=300
    )
    assert "RUN_STATE failed" in result.stdout, result.stdout[-2000:] + result.stderr[-4000:]

    bodies = [_html_body(email.message_from_bytes(e.original_content)) for e in inbox.envelopes]
    assert len(bodies) == 2  # task level, then DAG level
    task_mail, dag_mail = bodies
    assert "rentan_alert_probe" in task_mail and "validate_p3ke" in task_mail
    assert "p3ke/kec_a.xlsx: 7.2 % rows quarantined (&gt; 5 %): NIK_FORMAT=12, NAMA_KOSONG=3" in task_mail
    assert NIK not in task_mail and "****************" in task_mail
    assert "task_failure" in dag_mail and "validate_p3ke" in dag_mail
