-- After run :run_id loaded month :periode: drop from the history the outcomes it archived but kept
-- unchanged (same row, same outcome, reasons and KPJ), so an identical reload leaves no trace.
DELETE FROM riwayat_hasil_p3ke
WHERE periode = :periode
  AND diganti_oleh_run = :run_id
  AND EXISTS (
      SELECT 1
      FROM fact_hasil_p3ke AS f
      WHERE f.periode = riwayat_hasil_p3ke.periode
        AND f.berkas = riwayat_hasil_p3ke.berkas
        AND f.baris = riwayat_hasil_p3ke.baris
        AND COALESCE(f.id_individu, '') = COALESCE(riwayat_hasil_p3ke.id_individu, '')
        AND f.hasil = riwayat_hasil_p3ke.hasil
        AND COALESCE(f.alasan, '') = COALESCE(riwayat_hasil_p3ke.alasan, '')
        AND COALESCE(f.kpj, '') = COALESCE(riwayat_hasil_p3ke.kpj, '')
  );
