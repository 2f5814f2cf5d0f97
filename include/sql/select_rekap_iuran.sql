-- rekap_iuran.csv: the month's bills per kecamatan and funding source. Unknown region codes arrive
-- as kode_kecamatan '' / kecamatan 'TIDAK DIKETAHUI' and form their own group (sorted first).
SELECT periode,
       kode_kecamatan,
       kecamatan,
       sumber_dana,
       COUNT(*) AS jumlah_peserta,
       CAST(SUM(CASE WHEN status_tagihan = 'BARU' THEN 1 ELSE 0 END) AS BIGINT) AS peserta_baru,
       CAST(SUM(iuran_jkk) AS BIGINT) AS iuran_jkk,
       CAST(SUM(iuran_jkm) AS BIGINT) AS iuran_jkm,
       CAST(SUM(total_iuran) AS BIGINT) AS total_iuran
FROM fact_iuran
WHERE periode = :periode
GROUP BY periode, kode_kecamatan, kecamatan, sumber_dana
ORDER BY kode_kecamatan COLLATE "C", sumber_dana COLLATE "C", kecamatan COLLATE "C";
