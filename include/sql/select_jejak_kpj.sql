-- Audit trail of one participant (:kpj): every billed month, the roster file and row the bill comes
-- from, that file's fingerprint as recorded by the load run, and the run that wrote the bill.
SELECT i.periode,
       i.kpj,
       i.status_tagihan,
       i.sumber_dana,
       i.upah_dilaporkan,
       i.iuran_jkk,
       i.iuran_jkm,
       i.total_iuran,
       i.berkas,
       i.baris,
       b.sha256,
       i.run_id,
       i.loaded_at
FROM fact_iuran AS i
LEFT JOIN audit_berkas AS b
       ON b.run_id = i.run_id AND b.sumber = 'peserta' AND b.berkas = i.berkas
WHERE i.kpj = :kpj
ORDER BY i.periode;
