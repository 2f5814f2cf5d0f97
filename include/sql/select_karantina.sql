-- karantina.csv: by sumber, berkas, then baris as a number (the primary key within a month).
SELECT sumber, berkas, baris, alasan, id, nik, nama
FROM karantina
WHERE periode = :periode
ORDER BY sumber COLLATE "C", berkas COLLATE "C", baris;
