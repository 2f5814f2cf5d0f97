-- A retried load run records its files once.
DELETE FROM audit_berkas WHERE run_id = :run_id;
