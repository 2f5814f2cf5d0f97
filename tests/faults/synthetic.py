"""Large synthetic loads for the fault tests: a few thousand invented rows per load, two versions.

Nothing here is a real person: names are "Peserta <n>", NIKs and KPJs are counters in the right
format. Version 1 and version 2 of the same month differ in every amount and in which rows exist,
so a torn load (some tables of one version, some of the other) cannot pass for either.
"""

from __future__ import annotations

import pandas as pd

from include.model import PeriodResult, Snapshot

PERIODE = "2025-07"
ROWS = 2_000  # bills, P3KE outcomes and roster participants per version
ROSTER = "peserta_sintetis.csv"
P3KE = "p3ke_sintetis.csv"
DESA = [
    ("13.03.04.2001", "13.03.04", "Sijunjung", "Muaro"),
    ("13.03.06.2001", "13.03.06", "Kamang Baru", "Sungai Lansek"),
]
SUMBER_DANA = ["APBD", "APB_NAGARI", "CSR", "MANDIRI"]


def _numbers(version: int, rows: int) -> range:
    """Version 1 holds people 0..rows-1, version 2 people 100..rows+99: both keep most, each has its own."""
    start = 0 if version == 1 else 100
    return range(start, start + rows)


def kpj(n: int) -> str:
    return f"{90_000_000_000 + n:011d}"


def nik(n: int) -> str:
    return f"130304{(n % 28) + 1:02d}0190{n % 10_000:04d}"


def period_result(version: int, periode: str = PERIODE, rows: int = ROWS) -> PeriodResult:
    """A month of decide output of `rows` bills and outcomes; amounts depend on the version."""
    people = list(_numbers(version, rows))
    upah = [1_000_000 + 1_000 * (n % 500) + 10_000 * version for n in people]
    jkk = [round(u / 100) for u in upah]
    rincian = pd.DataFrame(
        {
            "periode": periode,
            "kpj": [kpj(n) for n in people],
            "nik": [nik(n) for n in people],
            "nama": [f"Peserta {n}" for n in people],
            "kode_kemdagri": [DESA[n % 2][0] for n in people],
            "kode_kecamatan": [DESA[n % 2][1] for n in people],
            "kecamatan": [DESA[n % 2][2] for n in people],
            "desa_kelurahan": [DESA[n % 2][3] for n in people],
            "sumber_dana": [SUMBER_DANA[n % 4] for n in people],
            "upah_dilaporkan": upah,
            "iuran_jkk": jkk,
            "iuran_jkm": 6_800,
            "total_iuran": [j + 6_800 for j in jkk],
            "status_tagihan": ["BARU" if n % 7 == 0 else "LANJUTAN" for n in people],
            "dari_p3ke": [n % 3 == 0 for n in people],
            "berkas": ROSTER,
            "baris": [n + 2 for n in people],
        }
    ).astype({c: "Int64" for c in ("upah_dilaporkan", "iuran_jkk", "iuran_jkm", "total_iuran", "baris")})
    outcomes = ["terdaftar_aktif", "calon_peserta", "tidak_memenuhi_syarat", "duplikat_p3ke"]
    hasil = pd.DataFrame(
        {
            "periode": periode,
            "berkas": P3KE,
            "baris": [n + 2 for n in people],
            "id_individu": [f"S-{n:05d}" for n in people],
            "hasil": [outcomes[(n + version) % 4] for n in people],
            "alasan": "",
            "kpj": [kpj(n) if (n + version) % 4 == 0 else None for n in people],
            "orang": [n for n in people],
        }
    ).astype({"baris": "Int64", "orang": "Int64"})
    few = people[: rows // 4]
    calon = pd.DataFrame(
        {
            "periode": periode,
            "id_individu": [f"S-{n:05d}" for n in few],
            "id_keluarga_p3ke": [f"K-{n // 3:05d}" for n in few],
            "nik": [nik(n) for n in few],
            "nama": [f"Calon {n}" for n in few],
            "jenis_kelamin": ["LAKI-LAKI" if n % 2 else "PEREMPUAN" for n in few],
            "tanggal_lahir": "1990-01-01",
            "kode_kemdagri": DESA[0][0],
            "kecamatan": DESA[0][2],
            "desa_kelurahan": DESA[0][3],
            "desil_kesejahteraan": [1 + (n + version) % 2 for n in few],
            "pekerjaan": "PETANI",
            "jenis": "BARU",
            "kpj_lama": None,
            "prioritas": list(range(1, len(few) + 1)),
            "berkas": P3KE,
            "baris": [n + 2 for n in few],
        }
    ).astype({"desil_kesejahteraan": "Int64", "prioritas": "Int64", "baris": "Int64"})
    tinjauan = pd.DataFrame(
        {
            "periode": periode,
            "id_individu": [f"S-{n:05d}" for n in few[:200]],
            "nik": [nik(n) for n in few[:200]],
            "nama": [f"Tinjau {n}" for n in few[:200]],
            "tanggal_lahir": "1991-02-02",
            "kode_kemdagri": DESA[1][0],
            "kandidat_kpj": [kpj(n + 1) for n in few[:200]],
            "kandidat_nik": None,
            "kandidat_nama": "Kandidat",
            "kandidat_tanggal_lahir": "1991-02-02",
            "probabilitas": [0.5 + (n % 40) / 100 + version / 1000 for n in few[:200]],
            "alasan": "NAMA_MIRIP",
        }
    )
    karantina = pd.DataFrame(
        {
            "sumber": "p3ke",
            "berkas": P3KE,
            "baris": [rows + 10 + n for n in few[:300]],
            "alasan": "NIK_FORMAT" if version == 1 else "NIK_KOSONG",
            "id": [f"S-{n:05d}" for n in few[:300]],
            "nik": "13030",
            "nama": [f"Karantina {n}" for n in few[:300]],
        }
    ).astype({"baris": "Int64"})
    kualitas = pd.DataFrame(
        {
            "sumber": ["p3ke", "peserta"],
            "temuan": ["PADAN_DUKCAPIL_TIDAK", "WILAYAH_TIDAK_DIKETAHUI"],
            "jumlah": [3 * version, 5 * version],
        }
    )
    months = [f"{y}-{m:02d}" for y in (2024, 2025) for m in range(1, 13) if f"{y}-{m:02d}" <= periode]
    iuran_bulanan = pd.DataFrame(
        {
            "periode": months,
            "jumlah_peserta": rows,
            "total_iuran": int(sum(jkk)) + len(months),
            "iuran_apbd": 1_000 * version,
        }
    )
    bobot = pd.DataFrame(
        {
            "bobot_dari": [float(b) for b in range(-10, 10)],
            "bobot_sampai": [float(b + 1) for b in range(-10, 10)],
            "jumlah": [b * b + version for b in range(-10, 10)],
        }
    ).astype({"jumlah": "Int64"})
    ringkasan = {"periode": periode, "versi": version, "iuran": {"total_iuran": int(sum(jkk)) + 6_800 * rows}}
    return PeriodResult(
        periode=periode,
        rincian=rincian,
        calon=calon,
        tinjauan=tinjauan,
        karantina=karantina,
        hasil=hasil,
        kualitas=kualitas,
        iuran_bulanan=iuran_bulanan,
        bobot=bobot,
        ringkasan=ringkasan,
    )


def snapshot(version: int, rows: int = ROWS) -> Snapshot:
    """A roster snapshot of `rows` participants with claims and review decisions; values depend on the version."""
    people = list(_numbers(version, rows))
    peserta = pd.DataFrame(
        {
            "kpj": [kpj(n) for n in people],
            "nik": [nik(n) for n in people],
            "nama": [f"Peserta {n}" for n in people],
            "tanggal_lahir": "1985-01-01",
            "jenis_kelamin": ["LAKI-LAKI" if n % 2 else "PEREMPUAN" for n in people],
            "kode_kemdagri": [DESA[n % 2][0] for n in people],
            "tanggal_kepesertaan": "2023-01-01",
            "status_kepesertaan": ["AKTIF" if n % 5 else "NONAKTIF" for n in people],
            "tanggal_nonaktif": [None if n % 5 else "2025-03-31" for n in people],
            "alasan_nonaktif": [None if n % 5 else "PINDAH" for n in people],
            "sumber_dana": [SUMBER_DANA[n % 4] for n in people],
            "upah_dilaporkan": [1_000_000 + 1_000 * (n % 500) + 10_000 * version for n in people],
            "berkas": ROSTER,
            "baris": [n + 2 for n in people],
        }
    ).astype({"upah_dilaporkan": "Int64", "baris": "Int64"})
    claimed = people[:200]
    klaim = pd.DataFrame(
        {
            "kpj": [kpj(n) for n in claimed],
            "nik": [nik(n) for n in claimed],
            "jenis_klaim": ["JKK" if n % 2 else "JKM" for n in claimed],
            "tanggal_kejadian": "2025-06-01",
            "tanggal_bayar": "2025-07-02",
            "nilai_manfaat": [1_000_000 * version + n for n in claimed],
            "berkas": "klaim_sintetis.csv",
            "baris": [n + 2 for n in claimed],
        }
    ).astype({"nilai_manfaat": "Int64", "baris": "Int64"})
    tinjauan = pd.DataFrame(
        {
            "id_individu": [f"S-{n:05d}" for n in people[:100]],
            "kandidat_kpj": [kpj(n) for n in people[:100]],
            "keputusan": ["SAMA" if (n + version) % 2 else "BEDA" for n in people[:100]],
            "berkas": "tinjauan_sintetis.csv",
            "baris": [n + 2 for n in people[:100]],
        }
    ).astype({"baris": "Int64"})
    berkas = pd.DataFrame(
        {
            "sumber": ["peserta", "p3ke", "klaim", "tinjauan"],
            "berkas": [ROSTER, P3KE, "klaim_sintetis.csv", "tinjauan_sintetis.csv"],
            "sha256": [str(version) * 64, "b" * 64, "c" * 64, "d" * 64],
            "baris": [rows, rows, 200, 100],
            "karantina": [0, 300, 0, 0],
            "status": "ok",
        }
    )
    return Snapshot(peserta=peserta, klaim=klaim, berkas=berkas, tinjauan=tinjauan)
