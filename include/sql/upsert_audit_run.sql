-- Record a DAG run's state: the first call inserts (started_at = now), later calls update the
-- status; finished_at is set once the status is no longer 'running'.
INSERT INTO audit_run (run_id, dag_id, periode_dari, periode_sampai, status, finished_at)
VALUES (
    :run_id, :dag_id, :periode_dari, :periode_sampai, :status,
    CASE WHEN :status = 'running' THEN NULL ELSE CURRENT_TIMESTAMP END
)
ON CONFLICT (run_id, dag_id) DO UPDATE SET
    periode_dari = COALESCE(excluded.periode_dari, audit_run.periode_dari),
    periode_sampai = COALESCE(excluded.periode_sampai, audit_run.periode_sampai),
    status = excluded.status,
    finished_at = excluded.finished_at;
