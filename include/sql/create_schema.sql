-- Rentan warehouse: a star schema that runs unchanged on SQLite and PostgreSQL.
-- Conventions: periods are TEXT 'YYYY-MM'; dates DATE ('YYYY-MM-DD'); amounts whole Rupiah BIGINT;
-- codes dotted TEXT. run_id and loaded_at are audit columns (which load wrote a row, and when);
-- every other column is a business column. Per-period tables are replaced a period at a time
-- (delete_periode.sql + insert, in one transaction); the roster tables a snapshot at a time.
-- Primary-key columns are also NOT NULL because SQLite would otherwise accept NULL in them.

-- Kemendagri region codes (reference/wilayah_kemendagri_2025.csv); kode_kecamatan is the code
-- itself for a kecamatan, its first 8 characters for a desa/kelurahan, NULL above.
CREATE TABLE IF NOT EXISTS dim_wilayah (
    kode            TEXT NOT NULL PRIMARY KEY,
    nama            TEXT NOT NULL,
    tingkat         TEXT NOT NULL,
    kode_kecamatan  TEXT
);

-- A worker as the BPJS roster knows them: one row per KPJ of the current snapshot.
CREATE TABLE IF NOT EXISTS dim_peserta (
    kpj            TEXT NOT NULL PRIMARY KEY,
    nik            TEXT,
    nama           TEXT,
    tanggal_lahir  DATE,
    jenis_kelamin  TEXT,
    kode_kemdagri  TEXT,
    run_id         TEXT NOT NULL,
    loaded_at      TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL
);

-- The enrollment spell of each KPJ, with the roster file and row it comes from.
CREATE TABLE IF NOT EXISTS fact_kepesertaan (
    kpj                  TEXT NOT NULL PRIMARY KEY REFERENCES dim_peserta (kpj),
    tanggal_kepesertaan  DATE NOT NULL,
    status_kepesertaan   TEXT NOT NULL,
    tanggal_nonaktif     DATE,
    alasan_nonaktif      TEXT,
    sumber_dana          TEXT NOT NULL,
    upah_dilaporkan      BIGINT NOT NULL,
    berkas               TEXT NOT NULL,
    baris                INTEGER NOT NULL,
    run_id               TEXT NOT NULL,
    loaded_at            TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL
);

-- Claims paid (valid rows of the claim files); a claim belongs to the month of tanggal_bayar.
CREATE TABLE IF NOT EXISTS fact_klaim (
    berkas            TEXT NOT NULL,
    baris             INTEGER NOT NULL,
    kpj               TEXT NOT NULL,
    nik               TEXT,
    jenis_klaim       TEXT NOT NULL,
    tanggal_kejadian  DATE,
    tanggal_bayar     DATE NOT NULL,
    nilai_manfaat     BIGINT NOT NULL,
    run_id            TEXT NOT NULL,
    loaded_at         TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL,
    PRIMARY KEY (berkas, baris)
);
CREATE INDEX IF NOT EXISTS ix_fact_klaim_tanggal_bayar ON fact_klaim (tanggal_bayar);

-- Clerical review decisions (SAMA/BEDA) remembered across runs: every later run applies them,
-- also after their file has left the landing zone; a newer decision on the same pair replaces it.
CREATE TABLE IF NOT EXISTS keputusan_tinjauan (
    id_individu   TEXT NOT NULL,
    kandidat_kpj  TEXT NOT NULL,
    keputusan     TEXT NOT NULL,
    berkas        TEXT NOT NULL,
    baris         INTEGER NOT NULL,
    run_id        TEXT NOT NULL,
    loaded_at     TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL,
    PRIMARY KEY (id_individu, kandidat_kpj)
);

-- One bill per participant and month, as billed (the BPJS submission row), with its roster source.
-- kode_kecamatan is '' and kecamatan 'TIDAK DIKETAHUI' when kode_kemdagri is not a known desa.
CREATE TABLE IF NOT EXISTS fact_iuran (
    periode          TEXT NOT NULL,
    kpj              TEXT NOT NULL,
    nik              TEXT,
    nama             TEXT,
    kode_kemdagri    TEXT,
    kode_kecamatan   TEXT NOT NULL,
    kecamatan        TEXT NOT NULL,
    desa_kelurahan   TEXT,
    sumber_dana      TEXT NOT NULL,
    upah_dilaporkan  BIGINT NOT NULL,
    iuran_jkk        BIGINT NOT NULL,
    iuran_jkm        BIGINT NOT NULL,
    total_iuran      BIGINT NOT NULL,
    status_tagihan   TEXT NOT NULL,
    dari_p3ke        BOOLEAN NOT NULL,
    berkas           TEXT NOT NULL,
    baris            INTEGER NOT NULL,
    run_id           TEXT NOT NULL,
    loaded_at        TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL,
    PRIMARY KEY (periode, kpj)
);
CREATE INDEX IF NOT EXISTS ix_fact_iuran_kpj ON fact_iuran (kpj);

-- The outcome of every P3KE input row in a month.
CREATE TABLE IF NOT EXISTS fact_hasil_p3ke (
    periode      TEXT NOT NULL,
    berkas       TEXT NOT NULL,
    baris        INTEGER NOT NULL,
    id_individu  TEXT,
    hasil        TEXT NOT NULL,
    alasan       TEXT,
    kpj          TEXT,
    orang        BIGINT,
    run_id       TEXT NOT NULL,
    loaded_at    TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL,
    PRIMARY KEY (periode, berkas, baris)
);

-- Outcomes a later load of the same month replaced or dropped (archive_hasil_p3ke.sql,
-- prune_riwayat_hasil_p3ke.sql): run_id and loaded_at are those of the load that made the decision,
-- diganti_oleh_run the load that replaced it. Never deleted by a load of another month.
CREATE TABLE IF NOT EXISTS riwayat_hasil_p3ke (
    periode           TEXT NOT NULL,
    berkas            TEXT NOT NULL,
    baris             INTEGER NOT NULL,
    id_individu       TEXT,
    hasil             TEXT NOT NULL,
    alasan            TEXT,
    kpj               TEXT,
    run_id            TEXT NOT NULL,
    loaded_at         TIMESTAMP WITH TIME ZONE NOT NULL,
    diganti_oleh_run  TEXT NOT NULL,
    PRIMARY KEY (periode, berkas, baris, diganti_oleh_run)
);
CREATE INDEX IF NOT EXISTS ix_riwayat_hasil_p3ke_id ON riwayat_hasil_p3ke (id_individu);
CREATE INDEX IF NOT EXISTS ix_fact_hasil_p3ke_id ON fact_hasil_p3ke (id_individu);

-- Enrollment candidates of a month, prioritas 1..n.
CREATE TABLE IF NOT EXISTS calon_peserta (
    periode              TEXT NOT NULL,
    id_individu          TEXT,
    id_keluarga_p3ke     TEXT,
    nik                  TEXT,
    nama                 TEXT,
    jenis_kelamin        TEXT,
    tanggal_lahir        DATE,
    kode_kemdagri        TEXT,
    kecamatan            TEXT,
    desa_kelurahan       TEXT,
    desil_kesejahteraan  INTEGER NOT NULL,
    pekerjaan            TEXT,
    jenis                TEXT NOT NULL,
    kpj_lama             TEXT,
    prioritas            INTEGER NOT NULL,
    berkas               TEXT NOT NULL,
    baris                INTEGER NOT NULL,
    run_id               TEXT NOT NULL,
    loaded_at            TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL,
    PRIMARY KEY (periode, berkas, baris),
    UNIQUE (periode, prioritas)
);

-- Uncertain matches for clerical review (a row may have several candidates: no natural key).
CREATE TABLE IF NOT EXISTS perlu_tinjauan (
    periode                 TEXT NOT NULL,
    id_individu             TEXT,
    nik                     TEXT,
    nama                    TEXT,
    tanggal_lahir           DATE,
    kode_kemdagri           TEXT,
    kandidat_kpj            TEXT,
    kandidat_nik            TEXT,
    kandidat_nama           TEXT,
    kandidat_tanggal_lahir  DATE,
    probabilitas            DOUBLE PRECISION,
    alasan                  TEXT,
    run_id                  TEXT NOT NULL,
    loaded_at               TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL
);
CREATE INDEX IF NOT EXISTS ix_perlu_tinjauan_periode ON perlu_tinjauan (periode);

-- Quarantined input rows (all sources) as reported for a month.
CREATE TABLE IF NOT EXISTS karantina (
    periode    TEXT NOT NULL,
    sumber     TEXT NOT NULL,
    berkas     TEXT NOT NULL,
    baris      INTEGER NOT NULL,
    alasan     TEXT NOT NULL,
    id         TEXT,
    nik        TEXT,
    nama       TEXT,
    run_id     TEXT NOT NULL,
    loaded_at  TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL,
    PRIMARY KEY (periode, sumber, berkas, baris)
);

-- Data-quality findings counted for a month.
CREATE TABLE IF NOT EXISTS kualitas_data (
    periode    TEXT NOT NULL,
    sumber     TEXT NOT NULL,
    temuan     TEXT NOT NULL,
    jumlah     BIGINT NOT NULL,
    run_id     TEXT NOT NULL,
    loaded_at  TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL,
    PRIMARY KEY (periode, sumber, temuan)
);

-- The monthly series (program start .. periode_laporan) shown in the report of periode_laporan.
CREATE TABLE IF NOT EXISTS iuran_bulanan (
    periode_laporan  TEXT NOT NULL,
    periode          TEXT NOT NULL,
    jumlah_peserta   BIGINT NOT NULL,
    total_iuran      BIGINT NOT NULL,
    iuran_apbd       BIGINT NOT NULL,
    run_id           TEXT NOT NULL,
    loaded_at        TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL,
    PRIMARY KEY (periode_laporan, periode)
);

-- The match weights (Splink, log2 Bayes factor) of every candidate pair scored in the run of a month,
-- as a histogram: jumlah pairs in [bobot_dari, bobot_sampai). Drawn in laporan.html against the thresholds.
CREATE TABLE IF NOT EXISTS distribusi_bobot (
    periode       TEXT NOT NULL,
    bobot_dari    DOUBLE PRECISION NOT NULL,
    bobot_sampai  DOUBLE PRECISION NOT NULL,
    jumlah        BIGINT NOT NULL,
    run_id        TEXT NOT NULL,
    loaded_at     TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL,
    PRIMARY KEY (periode, bobot_dari)
);

-- ringkasan.json of a month, as JSON text (keys sorted).
CREATE TABLE IF NOT EXISTS ringkasan (
    periode    TEXT NOT NULL PRIMARY KEY,
    isi        TEXT NOT NULL,
    run_id     TEXT NOT NULL,
    loaded_at  TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL
);

-- One row per DAG run that touched the warehouse (upsert_audit_run.sql).
CREATE TABLE IF NOT EXISTS audit_run (
    run_id          TEXT NOT NULL,
    dag_id          TEXT NOT NULL,
    periode_dari    TEXT,
    periode_sampai  TEXT,
    status          TEXT NOT NULL,
    started_at      TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL,
    finished_at     TIMESTAMP WITH TIME ZONE,
    PRIMARY KEY (run_id, dag_id)
);

-- Every landing file of the dataset a load run used: fingerprint, rows, rows quarantined.
CREATE TABLE IF NOT EXISTS audit_berkas (
    run_id     TEXT NOT NULL,
    sumber     TEXT NOT NULL,
    berkas     TEXT NOT NULL,
    sha256     TEXT NOT NULL,
    baris      INTEGER NOT NULL,
    karantina  INTEGER NOT NULL,
    status     TEXT NOT NULL,
    loaded_at  TIMESTAMP WITH TIME ZONE DEFAULT CURRENT_TIMESTAMP NOT NULL,
    PRIMARY KEY (run_id, sumber, berkas)
);
