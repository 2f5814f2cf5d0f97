-- Reporting views (PostgreSQL only): what the reporting role may read, and nothing else.
-- Each view shows what the shareable reports (laporan.xlsx, laporan.html) show: NIK masked as
-- 130304******0001 (a malformed NIK as 16 '*'), names as in the source (the workbook lists them so
-- that candidates can be registered), birth dates as the year only (day and month beside a masked
-- NIK would give its hidden middle digits back). No view shows a full NIK or a full birth date.
-- The views run with their owner's rights (security_invoker stays off), so the reporting role
-- needs SELECT on them only (grant_reporting_role.sql), never on a table.
-- CREATE OR REPLACE keeps this file idempotent; a change to a view's columns needs a DROP VIEW first.
-- SQLite has no roles: there the warehouse file is readable by its owner alone (mode 0600).

-- include.reports.formatting.mask_nik in SQL.
CREATE OR REPLACE FUNCTION rentan_samarkan_nik(nik TEXT) RETURNS TEXT
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN CASE
        WHEN btrim(nik) = '' THEN ''
        WHEN btrim(nik) ~ '^[0-9]{16}$' THEN substr(btrim(nik), 1, 6) || '******' || substr(btrim(nik), 13, 4)
        ELSE '****************'
    END;

-- rincian_iuran.csv with NIK masked (the Rincian sheet).
CREATE OR REPLACE VIEW v_rincian_iuran_masked AS
SELECT periode, kpj, rentan_samarkan_nik(nik) AS nik, nama, kode_kemdagri, kode_kecamatan, kecamatan,
       desa_kelurahan, sumber_dana, upah_dilaporkan, iuran_jkk, iuran_jkm, total_iuran, status_tagihan,
       dari_p3ke
FROM fact_iuran;

-- calon_peserta.csv with NIK masked and the birth year only (the Calon Peserta sheet).
CREATE OR REPLACE VIEW v_calon_peserta_masked AS
SELECT periode, id_individu, id_keluarga_p3ke, rentan_samarkan_nik(nik) AS nik, nama, jenis_kelamin,
       CAST(EXTRACT(YEAR FROM tanggal_lahir) AS INTEGER) AS tahun_lahir, kode_kemdagri, kecamatan,
       desa_kelurahan, desil_kesejahteraan, pekerjaan, jenis, kpj_lama, prioritas
FROM calon_peserta;

-- perlu_tinjauan.csv with both NIKs masked and birth years only (the Perlu Tinjauan sheet).
CREATE OR REPLACE VIEW v_perlu_tinjauan_masked AS
SELECT periode, id_individu, rentan_samarkan_nik(nik) AS nik, nama,
       CAST(EXTRACT(YEAR FROM tanggal_lahir) AS INTEGER) AS tahun_lahir, kode_kemdagri, kandidat_kpj,
       rentan_samarkan_nik(kandidat_nik) AS kandidat_nik, kandidat_nama,
       CAST(EXTRACT(YEAR FROM kandidat_tanggal_lahir) AS INTEGER) AS kandidat_tahun_lahir, probabilitas, alasan
FROM perlu_tinjauan;

-- karantina.csv with NIK masked (the Karantina sheet).
CREATE OR REPLACE VIEW v_karantina_masked AS
SELECT periode, sumber, berkas, baris, alasan, id, rentan_samarkan_nik(nik) AS nik, nama
FROM karantina;

-- rekap_iuran.csv: bills per kecamatan and funding source (no person in it).
CREATE OR REPLACE VIEW v_rekap_iuran AS
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
GROUP BY periode, kode_kecamatan, kecamatan, sumber_dana;

-- P3KE outcomes counted per month (fact_hasil_p3ke without its row identifiers).
CREATE OR REPLACE VIEW v_hasil_p3ke AS
SELECT periode, hasil, COUNT(*) AS jumlah
FROM fact_hasil_p3ke
GROUP BY periode, hasil;

-- ringkasan.json of each month.
CREATE OR REPLACE VIEW v_ringkasan AS
SELECT periode, isi FROM ringkasan;

-- The Kualitas Data sheet.
CREATE OR REPLACE VIEW v_kualitas_data AS
SELECT periode, sumber, temuan, jumlah FROM kualitas_data;

-- The monthly series of each month's report.
CREATE OR REPLACE VIEW v_iuran_bulanan AS
SELECT periode_laporan, periode, jumlah_peserta, total_iuran, iuran_apbd FROM iuran_bulanan;

-- The match-weight histogram of each month's run.
CREATE OR REPLACE VIEW v_distribusi_bobot AS
SELECT periode, bobot_dari, bobot_sampai, jumlah FROM distribusi_bobot;

-- Kemendagri region codes (public reference data).
CREATE OR REPLACE VIEW v_wilayah AS
SELECT kode, nama, tingkat, kode_kecamatan FROM dim_wilayah;
