"""Warehouse fixtures: every test runs on a SQLite file and on a fresh PostgreSQL database.

`warehouse_url` (tests/conftest.py) gives both; the PostgreSQL database is made here with a
non-C collation. Plus a small synthetic decide output: a dozen invented people.
"""

from __future__ import annotations

import datetime as dt
import uuid

import pandas as pd
import psycopg
import pytest
import sqlalchemy as sa
from psycopg import sql

from include.model import PeriodResult, Snapshot
from include.warehouse import create_schema, get_engine
from tests.conftest import admin_connection

PERIODE = "2025-07"


@pytest.fixture
def postgres_url():
    """Overrides tests/conftest.py's: the same fresh database, with an ICU en-US default collation.

    So a report query that forgot COLLATE "C" sorts differently from SQLite here and fails.
    Falls back to the server's default collation when it has no ICU (or is older than 15).
    """
    admin = admin_connection()
    name = f"rentan_test_{uuid.uuid4().hex[:12]}"
    ident = sql.Identifier(name)
    try:
        admin.execute(sql.SQL(
            "CREATE DATABASE {} TEMPLATE template0 ENCODING 'UTF8' LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C.UTF-8'"
        ).format(ident))
    except psycopg.Error:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(ident))
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    finally:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(ident))
        admin.close()


@pytest.fixture
def bare_engine(warehouse_url):
    engine = get_engine(warehouse_url)
    yield engine
    engine.dispose()


@pytest.fixture
def engine(bare_engine):
    create_schema(bare_engine)
    return bare_engine


# --- synthetic data (invented people; NIKs follow the format, nothing real) ---------------------

ROSTER = "peserta_2025_07.csv"
D = dt.date

PESERTA = pd.DataFrame(
    [
        ("00000000055", "1303041507800005", "Yusuf Malik", D(1980, 7, 15), "LAKI-LAKI", "13.03.06.2001",
         D(2023, 1, 10), "AKTIF", None, None, "MANDIRI", 2_500_000, ROSTER, 6),
        ("00000000011", "1303040101850001", "Budi Santoso", D(1985, 1, 1), "LAKI-LAKI", "13.03.04.2001",
         D(2022, 3, 1), "AKTIF", None, None, "APBD", 1_000_000, ROSTER, 2),
        ("00000000022", "1303044202900002", "Siti Aminah", D(1990, 2, 2), "PEREMPUAN", "13.03.04.2002",
         D(2025, 7, 1), "AKTIF", None, None, "APBD", 1_000_000, ROSTER, 3),
        ("00000000033", None, "Rahmat", D(1975, 3, 3), "LAKI-LAKI", "13.03.06.2001",
         D(2024, 6, 1), "AKTIF", None, None, "APB_NAGARI", 1_000_000, ROSTER, 4),
        ("00000000044", "1303045304880004", "Nur'aini", D(1988, 4, 13), "PEREMPUAN", "99.99.99.9999",
         D(2025, 7, 15), "AKTIF", None, None, "CSR", 1_500_000, ROSTER, 5),
        ("00000000066", "1303040606600006", "Amir Hamzah", D(1960, 6, 6), "LAKI-LAKI", "13.03.04.2001",
         D(2022, 3, 1), "NONAKTIF", D(2025, 5, 31), "MENINGGAL", "APBD", 1_000_000, ROSTER, 7),
    ],
    columns=["kpj", "nik", "nama", "tanggal_lahir", "jenis_kelamin", "kode_kemdagri", "tanggal_kepesertaan",
             "status_kepesertaan", "tanggal_nonaktif", "alasan_nonaktif", "sumber_dana", "upah_dilaporkan",
             "berkas", "baris"],
).astype({"upah_dilaporkan": "Int64"})

KLAIM = pd.DataFrame(
    [
        ("00000000011", "1303040101850001", "JKK", D(2025, 6, 20), D(2025, 7, 2), 12_500_000, "klaim_2025.csv", 2),
        ("00000000066", "1303040606600006", "JKM", D(2025, 5, 31), D(2025, 6, 30), 42_000_000, "klaim_2025.csv", 3),
    ],
    columns=["kpj", "nik", "jenis_klaim", "tanggal_kejadian", "tanggal_bayar", "nilai_manfaat", "berkas", "baris"],
).astype({"nilai_manfaat": "Int64"})

BERKAS = pd.DataFrame(
    [
        ("peserta", ROSTER, "a" * 64, 7, 1, "ok"),
        ("p3ke", "kec_b.xlsx", "b" * 64, 12, 3, "ok"),
        ("p3ke", "Kec_A.xlsx", "c" * 64, 14, 1, "ok"),
        ("klaim", "klaim_2025.csv", "d" * 64, 3, 1, "ok"),
    ],
    columns=["sumber", "berkas", "sha256", "baris", "karantina", "status"],
)


# Review decisions in force (Snapshot.tinjauan); '' = a P3KE-internal pair.
KEPUTUSAN = pd.DataFrame(
    [("P-0007", "00000000011", "SAMA", "tinjauan_2025_07.csv", 2), ("B-10", "", "BEDA", "tinjauan_2025_07.csv", 3)],
    columns=["id_individu", "kandidat_kpj", "keputusan", "berkas", "baris"],
).astype({"baris": "Int64"})


def _bill(kpj: str, periode: str, bump: int) -> dict:
    row = PESERTA.set_index("kpj").loc[kpj]
    known = row["kode_kemdagri"] != "99.99.99.9999"
    kecamatan = {"13.03.04": "Sijunjung", "13.03.06": "Kamang Baru"}
    upah = int(row["upah_dilaporkan"]) + bump
    jkk = round(upah / 100)
    return {
        "periode": periode, "kpj": kpj, "nik": row["nik"], "nama": row["nama"],
        "kode_kemdagri": row["kode_kemdagri"],
        "kecamatan": kecamatan[row["kode_kemdagri"][:8]] if known else "TIDAK DIKETAHUI",
        "desa_kelurahan": {"13.03.04.2001": "Muaro", "13.03.04.2002": "Kandang Baru",
                           "13.03.06.2001": "Sungai Lansek"}.get(row["kode_kemdagri"], ""),
        "sumber_dana": row["sumber_dana"], "upah_dilaporkan": upah, "iuran_jkk": jkk, "iuran_jkm": 6800,
        "total_iuran": jkk + 6800,
        "status_tagihan": "BARU" if periode == row["tanggal_kepesertaan"].isoformat()[:7] else "LANJUTAN",
        "kode_kecamatan": row["kode_kemdagri"][:8] if known else "", "dari_p3ke": kpj in ("00000000022", "00000000033"),
        "berkas": row["berkas"], "baris": int(row["baris"]),
    }


def _make_result(periode: str = PERIODE, bump: int = 0) -> PeriodResult:
    """A month of decide output, rows deliberately out of report order; `bump` changes every amount."""
    billed = ["00000000055", "00000000011", "00000000044", "00000000022", "00000000033"]
    rincian = pd.DataFrame([_bill(kpj, periode, bump) for kpj in billed]).astype(
        {c: "Int64" for c in ("upah_dilaporkan", "iuran_jkk", "iuran_jkm", "total_iuran", "baris")}
    )
    calon = pd.DataFrame(
        [
            (periode, "P-0009", "K-003", "1303046101000009", "Dewi Lestari", "PEREMPUAN", "2000-01-21",
             "13.03.04.2001", "Sijunjung", "Muaro", 2, "PETANI", "BARU", None, 3, "kec_b.xlsx", 9),
            (periode, "P-0004", "K-002", "1303040505700004", "Joni Iskandar", "LAKI-LAKI", "1970-05-05",
             "13.03.06.2001", "Kamang Baru", "Sungai Lansek", 1, "BURUH HARIAN", "REAKTIVASI", "00000000077", 1,
             "Kec_A.xlsx", 4),
            (periode, "P-0005", "K-002", "1303044505720005", "Rina Wati", "PEREMPUAN", "1972-05-05",
             "13.03.06.2001", "Kamang Baru", "Sungai Lansek", 1, "PEDAGANG", "BARU", None, 2, "Kec_A.xlsx", 5),
        ],
        columns=["periode", "id_individu", "id_keluarga_p3ke", "nik", "nama", "jenis_kelamin", "tanggal_lahir",
                 "kode_kemdagri", "kecamatan", "desa_kelurahan", "desil_kesejahteraan", "pekerjaan", "jenis",
                 "kpj_lama", "prioritas", "berkas", "baris"],
    ).astype({"desil_kesejahteraan": "Int64", "prioritas": "Int64", "baris": "Int64"})
    tinjauan = pd.DataFrame(
        [
            (periode, "b-7", "1303041010900007", "Andi", "1990-10-10", "13.03.04.2001", "00000000011",
             "1303041010900007", "Andi S", "1990-10-10", 0.8123, "NAMA_MIRIP"),
            (periode, "B-10", "1303041111910010", "Eka", "1991-11-11", "13.03.06.2001", None, "1303041111910011",
             "Eka", "1991-11-11", 0.6, "P3KE_INTERNAL"),
            (periode, "a-3", "1303041212920003", "Fajar", "1992-12-12", "13.03.04.2002", "00000000033",
             None, "Fajar", "1992-12-12", 0.55, "WILAYAH_BEDA"),
            (periode, "b-7", "1303041010900007", "Andi", "1990-10-10", "13.03.04.2001", None,
             "1303041010900008", "Andy", "1990-10-10", 0.7, "P3KE_INTERNAL"),
        ],
        columns=["periode", "id_individu", "nik", "nama", "tanggal_lahir", "kode_kemdagri", "kandidat_kpj",
                 "kandidat_nik", "kandidat_nama", "kandidat_tanggal_lahir", "probabilitas", "alasan"],
    )
    karantina = pd.DataFrame(
        [
            ("peserta", ROSTER, 8, "KPJ_FORMAT", "12345", "1303040101700001", "Tono"),
            ("p3ke", "kec_b.xlsx", 9 + 1, "NIK_FORMAT", "P-0010", "13030", "Ani"),
            ("p3ke", "kec_b.xlsx", 9, "NIK_RUSAK_EXCEL", "P-0011", "1.30304E+15", "Ida"),
            ("p3ke", "Kec_A.xlsx", 12, "ID_KOSONG|NAMA_KOSONG", None, "1303040202020002", None),
            ("klaim", "klaim_2025.csv", 4, "KLAIM_KPJ_TIDAK_DIKENAL", "99999999999", None, None),
            ("p3ke", "kec_b.xlsx", 2, "NAMA_KOSONG", "P-0012", "1303040303030003", "x'); DROP TABLE fact_iuran; --"),
        ],
        columns=["sumber", "berkas", "baris", "alasan", "id", "nik", "nama"],
    )
    hasil = pd.DataFrame(
        [
            (periode, "kec_b.xlsx", 2, "P-0012", "karantina", "NAMA_KOSONG", None, None),
            (periode, "kec_b.xlsx", 3, "P-0013", "terdaftar_aktif", "", "00000000022", 3),
            (periode, "kec_b.xlsx", 4, "P-0014", "duplikat_p3ke", "", None, 3),
            (periode, "Kec_A.xlsx", 4, "P-0004", "calon_peserta", "", None, 4),
            (periode, "Kec_A.xlsx", 5, "P-0005", "calon_peserta", "", None, 5),
            (periode, "Kec_A.xlsx", 6, "P-0006", "tidak_memenuhi_syarat", "DESIL", None, 6),
        ],
        columns=["periode", "berkas", "baris", "id_individu", "hasil", "alasan", "kpj", "orang"],
    )
    kualitas = pd.DataFrame(
        [("peserta", "WILAYAH_TIDAK_DIKETAHUI", 1), ("p3ke", "PADAN_DUKCAPIL_TIDAK", 2),
         ("p3ke", "NIK_PREFIX_LUAR_WILAYAH", 1 + bump)],
        columns=["sumber", "temuan", "jumlah"],
    )
    iuran_bulanan = pd.DataFrame(
        [("2025-07", 5, int(rincian["total_iuran"].sum()), 33_600), ("2025-05", 4, 67_200, 33_600),
         ("2025-06", 4, 67_200, 33_600)],
        columns=["periode", "jumlah_peserta", "total_iuran", "iuran_apbd"],
    )
    # match-weight histogram of the run, bins out of order; one edge is log2(19) (p = 0.95) to test exact floats
    bobot = pd.DataFrame(
        [(0.0, 4.247927513443585, 3 + bump), (-10.0, -5.0, 40), (4.247927513443585, 10.0, 7), (-5.0, 0.0, 12)],
        columns=["bobot_dari", "bobot_sampai", "jumlah"],
    ).astype({"jumlah": "Int64"})
    ringkasan = {
        "periode": periode,
        "p3ke": {"baris_masuk": 6, "karantina": 1, "duplikat_p3ke": 1, "terdaftar_aktif": 1,
                 "tidak_memenuhi_syarat": 1, "perlu_tinjauan": 0, "calon_peserta": 2},
        "iuran": {"total_iuran": int(rincian["total_iuran"].sum()),
                  "per_sumber_dana": {"APBD": 33_600, "APB_NAGARI": 16_800, "CSR": 21_800, "MANDIRI": 31_800}},
        "anggaran": {"tahun": 2025, "pagu": 3_053_299_200, "realisasi": 201_600, "persen": 0.01},
    }
    return PeriodResult(periode=periode, rincian=rincian, calon=calon, tinjauan=tinjauan, karantina=karantina,
                        hasil=hasil, kualitas=kualitas, iuran_bulanan=iuran_bulanan, bobot=bobot,
                        ringkasan=ringkasan)


def _make_snapshot(peserta: pd.DataFrame = PESERTA) -> Snapshot:
    return Snapshot(peserta=peserta.copy(), klaim=KLAIM.copy(), berkas=BERKAS.copy(), tinjauan=KEPUTUSAN.copy())


@pytest.fixture
def make_result():
    """make_result(periode='2025-07', bump=0) -> PeriodResult; bump changes every amount."""
    return _make_result


@pytest.fixture
def make_snapshot():
    """make_snapshot(peserta=PESERTA) -> Snapshot."""
    return _make_snapshot


AUDIT_COLUMNS = ("run_id", "loaded_at")


def _table_rows(engine, name: str, business_only: bool = True) -> list[tuple]:
    names = [c["name"] for c in sa.inspect(engine).get_columns(name)]
    columns = [sa.column(c) for c in names if not (business_only and c in AUDIT_COLUMNS)]
    with engine.connect() as conn:
        return sorted((tuple(r) for r in conn.execute(sa.select(*columns).select_from(sa.table(name)))), key=repr)


@pytest.fixture
def table_rows():
    """table_rows(engine, table, business_only=True) -> the table's rows, sorted, audit columns left out."""
    return _table_rows
