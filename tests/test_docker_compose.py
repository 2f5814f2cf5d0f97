"""The production docker-compose.yaml parses and wires its services (Docker does not run here)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

from include.alerts import DEFAULT_SMTP_CONN_ID

PROJECT_ROOT = Path(__file__).resolve().parents[1]
COMPOSE_FILE = PROJECT_ROOT / "docker-compose.yaml"
AIRFLOW_SERVICES = {
    "airflow-init": "version",
    "airflow-apiserver": "api-server",
    "airflow-scheduler": "scheduler",
    "airflow-dag-processor": "dag-processor",
    "airflow-triggerer": "triggerer",
    "airflow-worker": "celery worker",
}
LONG_RUNNING = sorted(set(AIRFLOW_SERVICES) - {"airflow-init"})
PROJECT_MOUNTS = ["dags", "plugins", "include", "expectations", "data"]
REQUIRED = re.compile(r"^\$\{[A-Z_]+:\?[^}]+\}$")  # ${VAR:?message}: compose refuses to start without it


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE_FILE.read_text())


@pytest.fixture(scope="module")
def services(compose) -> dict:
    return compose["services"]


def _env(service: dict) -> dict[str, str]:
    return service["environment"]


def _resolve(value: str) -> str:
    """Interpolate like compose: ${VAR:-default} -> default, ${VAR:?message} -> REQUIRED_VAR."""
    pattern = r"\$\{([A-Z_]+):([?-])([^}]*)\}"
    return re.sub(pattern, lambda m: m.group(3) if m.group(2) == "-" else f"REQUIRED_{m.group(1)}", value)


def _url(value: str):
    return urlsplit(_resolve(value))


def _required_var(value: str) -> str:
    """The variable name inside a ${VAR:?...} reference."""
    assert REQUIRED.match(value), f"{value!r} is not a required ${{VAR:?message}} reference"
    return value[2:].split(":", 1)[0]


def test_every_service_of_the_celery_shape_is_there(services):
    assert set(services) == {"postgres", "redis", "warehouse-init", *AIRFLOW_SERVICES}
    for name, command in AIRFLOW_SERVICES.items():
        assert services[name]["command"] == command, name
        assert _env(services[name])["AIRFLOW__CORE__EXECUTOR"] == "CeleryExecutor", name


def test_all_airflow_services_run_one_image_built_from_the_pinned_requirements(services):
    images = {services[name]["image"] for name in AIRFLOW_SERVICES}
    assert len(images) == 1
    dockerfile = services["airflow-worker"]["build"]["dockerfile_inline"]
    assert dockerfile.splitlines()[0] == "FROM apache/airflow:3.3.2-python3.11"
    assert "COPY requirements.txt" in dockerfile
    assert re.search(r'pip install .*"apache-airflow==3\.3\.2" -r \S*requirements\.txt -c \S*constraints\.txt', dockerfile)
    assert "COPY constraints.txt" in dockerfile
    assert all("_PIP_ADDITIONAL_REQUIREMENTS" not in _env(services[name]) for name in AIRFLOW_SERVICES)


def test_airflow_services_share_jwt_secret_and_execution_api(services):
    jwt = {_env(services[name])["AIRFLOW__API_AUTH__JWT_SECRET"] for name in AIRFLOW_SERVICES}
    assert len(jwt) == 1
    assert _required_var(jwt.pop()) == "AIRFLOW_JWT_SECRET"

    urls = {_env(services[name])["AIRFLOW__CORE__EXECUTION_API_SERVER_URL"] for name in AIRFLOW_SERVICES}
    assert len(urls) == 1
    url = _url(urls.pop())
    assert (url.scheme, url.hostname, url.path) == ("http", "airflow-apiserver", "/execution/")
    published = services["airflow-apiserver"]["ports"]
    assert any(str(port).endswith(f":{url.port}") for port in published)


def test_broker_and_databases_point_at_the_compose_services(services):
    for name in AIRFLOW_SERVICES:
        env = _env(services[name])
        broker = _url(env["AIRFLOW__CELERY__BROKER_URL"])
        assert (broker.scheme, broker.hostname) == ("redis", "redis")
        metadata = _url(env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"])
        assert metadata.scheme.startswith("postgresql") and metadata.hostname == "postgres"
        assert metadata.path == "/" + services["postgres"]["environment"]["POSTGRES_DB"]
        results = _url(env["AIRFLOW__CELERY__RESULT_BACKEND"])
        assert (results.scheme, results.hostname, results.path) == ("db+postgresql", "postgres", "/airflow")
        warehouse = _url(env["RENTAN_WAREHOUSE_URL"])
        assert (warehouse.scheme, warehouse.hostname, warehouse.path) == ("postgresql+psycopg", "postgres", "/rentan")
    assert "CREATE DATABASE rentan OWNER rentan" in services["warehouse-init"]["command"][-1]


def test_project_folders_are_mounted_under_opt_airflow_on_the_pythonpath(services):
    for name in AIRFLOW_SERVICES:
        service = services[name]
        targets = {volume.split(":")[1]: volume.split(":")[0] for volume in service["volumes"]}
        for folder in PROJECT_MOUNTS:
            assert targets[f"/opt/airflow/{folder}"] == f"./{folder}", (name, folder)
        assert _env(service)["PYTHONPATH"] == "/opt/airflow"
    for folder in ["dags", "plugins", "include", "expectations"]:
        assert (PROJECT_ROOT / folder).is_dir(), folder


def test_startup_order_waits_for_healthy_dependencies(services):
    for name in AIRFLOW_SERVICES:
        depends = services[name]["depends_on"]
        assert depends["postgres"] == {"condition": "service_healthy"}
        assert depends["redis"] == {"condition": "service_healthy"}
    for name in LONG_RUNNING:
        assert services[name]["depends_on"]["airflow-init"] == {"condition": "service_completed_successfully"}
        assert "test" in services[name]["healthcheck"], name
    assert services["airflow-worker"]["depends_on"]["airflow-apiserver"] == {"condition": "service_healthy"}
    assert services["airflow-init"]["depends_on"]["warehouse-init"] == {"condition": "service_completed_successfully"}
    for name, service in services.items():
        for dependency, rule in service.get("depends_on", {}).items():
            if rule["condition"] == "service_healthy":
                assert "healthcheck" in services[dependency], f"{name} waits on {dependency}, which has no healthcheck"


def test_worker_can_be_scaled_out(services):
    worker = services["airflow-worker"]
    assert "container_name" not in worker
    assert "ports" not in worker


def test_workers_run_few_tasks_at_a_time(services):
    """Celery's default of 16 tasks per worker would be 16 matching tasks of up to 2 GB each."""
    env = _env(services["airflow-worker"])
    setting = env["AIRFLOW__CELERY__WORKER_CONCURRENCY"]
    assert 1 <= int(_resolve(setting)) <= 4
    assert "AIRFLOW_WORKER_CONCURRENCY" in COMPOSE_FILE.read_text().split("\n---", 1)[0]


def test_the_local_celery_deployment_is_wired_like_compose(services, tmp_path):
    """`make celery` and tests/e2e/test_celery.py (include/celery_run.py) set what the compose services set."""
    from include.celery_run import Deployment

    local = Deployment(tmp_path, {}, "postgresql+psycopg://postgres@127.0.0.1:5432/airflow",
                       executor="CeleryExecutor", workers=2, broker_url="redis://127.0.0.1:6379/5").env
    compose = _env(services["airflow-worker"])
    for key in ("AIRFLOW__CORE__EXECUTOR", "AIRFLOW__CELERY__BROKER_URL", "AIRFLOW__CELERY__RESULT_BACKEND",
                "AIRFLOW__CORE__EXECUTION_API_SERVER_URL", "AIRFLOW__API_AUTH__JWT_SECRET",
                "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"):
        assert key in local and key in compose, key
    assert local["AIRFLOW__CORE__EXECUTOR"] == compose["AIRFLOW__CORE__EXECUTOR"] == "CeleryExecutor"
    assert _url(local["AIRFLOW__CELERY__BROKER_URL"]).scheme == _url(compose["AIRFLOW__CELERY__BROKER_URL"]).scheme
    # Celery's results in the metadata database, in both.
    for env in (local, compose):
        results, metadata = _url(env["AIRFLOW__CELERY__RESULT_BACKEND"]), _url(env["AIRFLOW__DATABASE__SQL_ALCHEMY_CONN"])
        assert results.scheme.startswith("db+postgresql") and (results.hostname, results.path) == (
            metadata.hostname, metadata.path)
        assert _url(env["AIRFLOW__CORE__EXECUTION_API_SERVER_URL"]).path == "/execution/"


def test_secrets_are_required_references_never_values(services):
    secret_key = re.compile(r"PASSWORD|SECRET|FERNET_KEY|^AIRFLOW_CONN_")
    header = COMPOSE_FILE.read_text().split("\n---", 1)[0]
    for name, service in services.items():
        for key, value in service.get("environment", {}).items():
            if secret_key.search(key) and key != "_AIRFLOW_WWW_USER_USERNAME":
                assert _required_var(value) in header, f"{name}: {key} is not documented in the file's header"
            if "://" in str(value):
                password = _url(str(value)).password
                assert password is None or password.startswith("REQUIRED_"), f"{name}: {key} holds a password"


def test_alert_settings_reach_every_airflow_service(services):
    for name in AIRFLOW_SERVICES:
        env = _env(services[name])
        assert f"AIRFLOW_CONN_{DEFAULT_SMTP_CONN_ID.upper()}" in env
        assert {"RENTAN_ALERT_EMAIL", "RENTAN_ALERT_WEBHOOK"} <= set(env)
        assert env["AIRFLOW__CORE__LOAD_EXAMPLES"] == "False"


def test_every_airflow_setting_is_an_option_airflow_knows(services):
    from airflow.configuration import conf

    known = conf.configuration_description
    for name in AIRFLOW_SERVICES:
        for key in _env(services[name]):
            if key.startswith("AIRFLOW__"):
                section, option = key[len("AIRFLOW__") :].lower().split("__", 1)
                assert option in known.get(section, {}).get("options", {}), f"{name}: unknown setting {key}"


@pytest.mark.postgres
def test_warehouse_init_script_creates_role_and_database_idempotently(services):
    """Run the warehouse-init script on the local PostgreSQL, under a throw-away name."""
    if not shutil.which("psql"):
        pytest.skip("psql not installed")
    probe = f"rentan_compose_probe_{os.getpid()}"
    script = services["warehouse-init"]["command"][-1].replace("$$", "$").replace("rentan", probe)
    env = dict(os.environ, PGHOST="127.0.0.1", PGUSER="postgres", PGDATABASE="postgres", RENTAN_DB_PASSWORD="probe-pw")
    psql = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-tAc"]
    try:
        for _ in range(2):  # runs on every `docker compose up`
            subprocess.run(["bash", "-c", script], env=env, check=True, capture_output=True, text=True)
        owner = subprocess.run(
            [*psql, f"SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = '{probe}'"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
        assert owner == probe
    finally:
        subprocess.run([*psql, f"DROP DATABASE IF EXISTS {probe}"], capture_output=True)
        subprocess.run([*psql, f"DROP ROLE IF EXISTS {probe}"], capture_output=True)


def test_docker_compose_config_accepts_the_file_when_available(tmp_path):
    docker = shutil.which("docker")
    if not docker or subprocess.run([docker, "compose", "version"], capture_output=True).returncode != 0:
        pytest.skip("docker compose (v2) is not installed here")
    dummy = {
        "POSTGRES_PASSWORD": "pw",
        "RENTAN_DB_PASSWORD": "pw",
        "AIRFLOW_FERNET_KEY": "k",
        "AIRFLOW_JWT_SECRET": "j",
        "AIRFLOW_API_SECRET_KEY": "s",
        "AIRFLOW_ADMIN_PASSWORD": "a",
        "AIRFLOW_CONN_RENTAN_SMTP": "smtp://mail:25",
    }
    result = subprocess.run(
        [docker, "compose", "-f", str(COMPOSE_FILE), "config", "--services"],
        env={**os.environ, **dummy},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert set(result.stdout.split()) >= set(AIRFLOW_SERVICES)
