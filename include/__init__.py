"""Rentan domain code: everything the DAGs call, testable without Airflow."""
