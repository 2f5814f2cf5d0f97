"""A real Airflow deployment for a test: scheduler, DAG processor and API server, PostgreSQL as the
metadata database, the project's DAGs chained by their Assets; LocalExecutor, or CeleryExecutor with
Redis and N Celery workers.

    with Deployment(home, env, metadata_url) as airflow:
        airflow.cli("backfill", "create", "--dag-id", "rentan_ingest", ...)
        airflow.wait_idle(CHAIN)

    with celery_deployment(home, env, metadata_url, "redis://127.0.0.1:6379/7", workers=2) as airflow:
        result = run_range(airflow, "2025-06", "2025-07")

The class lives in include/celery_run.py, which `make celery` runs: the tests start the same
deployment a user starts. Nothing here runs a DAG itself: runs are created by the CLI and executed
by the scheduler and its executor.
"""

from include.celery_run import CHAIN, FINISHED, ChainRun, Deployment, celery_deployment, free_port, run_range

__all__ = ["CHAIN", "FINISHED", "ChainRun", "Deployment", "celery_deployment", "free_port", "run_range"]
