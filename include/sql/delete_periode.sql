-- Remove everything loaded for one month (:periode) before it is loaded again (same transaction).
DELETE FROM fact_iuran WHERE periode = :periode;
DELETE FROM fact_hasil_p3ke WHERE periode = :periode;
DELETE FROM calon_peserta WHERE periode = :periode;
DELETE FROM perlu_tinjauan WHERE periode = :periode;
DELETE FROM karantina WHERE periode = :periode;
DELETE FROM kualitas_data WHERE periode = :periode;
DELETE FROM iuran_bulanan WHERE periode_laporan = :periode;
DELETE FROM distribusi_bobot WHERE periode = :periode;
DELETE FROM ringkasan WHERE periode = :periode;
