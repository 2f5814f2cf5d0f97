-- Every decision on one P3KE person (:id_individu) month by month: the one in force, then the ones
-- later runs replaced (newest first), each with its source file and row and the run that made it.
SELECT periode, berkas, baris, hasil, alasan, kpj, run_id, loaded_at, diganti_oleh_run
FROM (
    SELECT periode, berkas, baris, hasil, alasan, kpj, run_id, loaded_at, NULL AS diganti_oleh_run, 0 AS urut
    FROM fact_hasil_p3ke
    WHERE id_individu = :id_individu
    UNION ALL
    SELECT periode, berkas, baris, hasil, alasan, kpj, run_id, loaded_at, diganti_oleh_run, 1 AS urut
    FROM riwayat_hasil_p3ke
    WHERE id_individu = :id_individu
) AS jejak
ORDER BY periode, urut, loaded_at DESC;
