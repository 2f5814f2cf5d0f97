-- calon_peserta.csv: by prioritas (unique within a month; decide numbers them 1..n).
SELECT periode, id_individu, id_keluarga_p3ke, nik, nama, jenis_kelamin, tanggal_lahir,
       kode_kemdagri, kecamatan, desa_kelurahan, desil_kesejahteraan, pekerjaan, jenis,
       kpj_lama, prioritas
FROM calon_peserta
WHERE periode = :periode
ORDER BY prioritas, berkas COLLATE "C", baris;
