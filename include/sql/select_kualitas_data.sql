-- Data-quality findings of the month, by sumber and temuan (the primary key within a month).
SELECT sumber, temuan, jumlah
FROM kualitas_data
WHERE periode = :periode
ORDER BY sumber COLLATE "C", temuan COLLATE "C";
