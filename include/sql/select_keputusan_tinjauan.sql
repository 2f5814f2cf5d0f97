-- The review decisions remembered by earlier runs, in the order they were made.
SELECT id_individu, kandidat_kpj, keputusan, berkas, baris
FROM keputusan_tinjauan
ORDER BY loaded_at, berkas COLLATE "C", baris
