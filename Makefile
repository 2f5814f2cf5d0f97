# Rentan: see README.md. Every target sets up .venv and Airflow's metadata DB when missing.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := $(CURDIR)/.venv
BIN := $(VENV)/bin

export AIRFLOW_HOME := $(CURDIR)/.airflow
export AIRFLOW__CORE__DAGS_FOLDER := $(CURDIR)/dags
export AIRFLOW__CORE__PLUGINS_FOLDER := $(CURDIR)/plugins
export AIRFLOW__CORE__LOAD_EXAMPLES := False
export AIRFLOW__DATABASE__SQL_ALCHEMY_CONN ?= sqlite:///$(CURDIR)/.airflow/airflow.db
export PYTHONPATH := $(CURDIR)
export PATH := $(BIN):$(PATH)
export RENTAN_LANDING ?= data/landing
export RENTAN_REPORTS ?= data/reports
export RENTAN_REGION ?= 13.03

DEMO_FROM := 2022-03
DEMO_TO := 2025-07
DEMO_SEED ?= 20250701

# make celery: CeleryExecutor on this machine (README "Distributed: CeleryExecutor"); databases created when missing.
CELERY_WORKERS ?= 2
CELERY_METADATA_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/rentan_airflow
CELERY_BROKER_URL ?= redis://127.0.0.1:6379/5
CELERY_WAREHOUSE_URL ?= $(or $(RENTAN_WAREHOUSE_URL),postgresql+psycopg://postgres@127.0.0.1:5432/rentan)

.PHONY: demo test run backfill celery up lint venv airflow-db clean

venv: $(VENV)/.installed
$(VENV)/.installed: requirements.txt constraints.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt -c constraints.txt
	touch $@

airflow-db: $(AIRFLOW_HOME)/.migrated
$(AIRFLOW_HOME)/.migrated: $(VENV)/.installed
	mkdir -p $(AIRFLOW_HOME)
	$(BIN)/airflow db migrate > $(AIRFLOW_HOME)/migrate.log 2>&1 || { tail -20 $(AIRFLOW_HOME)/migrate.log; exit 1; }
	touch $@

demo: venv airflow-db
	$(BIN)/python -m include.demo --landing $(RENTAN_LANDING) --truth data/demo_truth.json --seed $(DEMO_SEED)
	$(BIN)/python -m include.run_chain --from $(DEMO_FROM) --to $(DEMO_TO)

test: venv airflow-db
	$(BIN)/pytest $(PYTEST_ARGS)

run: venv airflow-db
	@test -n "$(PERIOD)" || { echo "usage: make run PERIOD=YYYY-MM"; exit 2; }
	$(BIN)/python -m include.run_chain --from $(PERIOD) --to $(PERIOD)

backfill: venv airflow-db
	@test -n "$(FROM)" -a -n "$(TO)" || { echo "usage: make backfill FROM=YYYY-MM TO=YYYY-MM"; exit 2; }
	$(BIN)/python -m include.run_chain --from $(FROM) --to $(TO)

celery: venv
	@test -n "$(FROM)" -a -n "$(TO)" || { echo "usage: make celery FROM=YYYY-MM TO=YYYY-MM [CELERY_WORKERS=2]"; exit 2; }
	RENTAN_WAREHOUSE_URL='$(CELERY_WAREHOUSE_URL)' $(BIN)/python -m include.celery_run --from $(FROM) --to $(TO) \
		--workers $(CELERY_WORKERS) --home $(AIRFLOW_HOME)/celery --metadata-url '$(CELERY_METADATA_URL)' \
		--broker-url '$(CELERY_BROKER_URL)'

up: venv airflow-db
	$(BIN)/airflow standalone

lint: venv
	$(BIN)/ruff check .

clean:
	rm -rf data/staging data/reports data/data_docs data/warehouse.sqlite* $(AIRFLOW_HOME)
