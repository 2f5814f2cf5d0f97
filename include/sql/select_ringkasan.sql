SELECT isi FROM ringkasan WHERE periode = :periode;
