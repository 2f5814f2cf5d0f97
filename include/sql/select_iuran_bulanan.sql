-- The monthly series shown in the report of :periode, oldest month first.
SELECT periode, jumlah_peserta, total_iuran, iuran_apbd
FROM iuran_bulanan
WHERE periode_laporan = :periode
ORDER BY periode;
