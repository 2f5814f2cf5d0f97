-- Before a month (:periode) is loaded again by run :run_id: its current P3KE outcomes move to the
-- history, marked as replaced by :run_id. prune_riwayat_hasil_p3ke.sql then removes those the new
-- load left unchanged, so only changed or dropped decisions stay.
INSERT INTO riwayat_hasil_p3ke (periode, berkas, baris, id_individu, hasil, alasan, kpj, run_id, loaded_at,
                                diganti_oleh_run)
SELECT periode, berkas, baris, id_individu, hasil, alasan, kpj, run_id, loaded_at, :run_id
FROM fact_hasil_p3ke
WHERE periode = :periode
ON CONFLICT DO NOTHING;
