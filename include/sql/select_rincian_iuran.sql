-- rincian_iuran.csv: every bill of the month, by kpj (the primary key within a month).
-- COLLATE "C" = byte order, so PostgreSQL sorts like SQLite whatever the database locale.
SELECT periode, kpj, nik, nama, kode_kemdagri, kecamatan, desa_kelurahan, sumber_dana,
       upah_dilaporkan, iuran_jkk, iuran_jkm, total_iuran, status_tagihan
FROM fact_iuran
WHERE periode = :periode
ORDER BY kpj COLLATE "C";
