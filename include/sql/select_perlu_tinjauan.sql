-- perlu_tinjauan.csv: by id_individu, then every other column so that ties sort the same everywhere.
SELECT periode, id_individu, nik, nama, tanggal_lahir, kode_kemdagri, kandidat_kpj, kandidat_nik,
       kandidat_nama, kandidat_tanggal_lahir, probabilitas, alasan
FROM perlu_tinjauan
WHERE periode = :periode
ORDER BY id_individu COLLATE "C" NULLS FIRST,
         kandidat_kpj COLLATE "C" NULLS FIRST,
         kandidat_nik COLLATE "C" NULLS FIRST,
         kandidat_nama COLLATE "C" NULLS FIRST,
         kandidat_tanggal_lahir NULLS FIRST,
         probabilitas NULLS FIRST,
         alasan COLLATE "C" NULLS FIRST,
         nik COLLATE "C" NULLS FIRST,
         nama COLLATE "C" NULLS FIRST,
         tanggal_lahir NULLS FIRST,
         kode_kemdagri COLLATE "C" NULLS FIRST;
