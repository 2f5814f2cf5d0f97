"""A small hand-written landing zone with every outcome, and what the pipeline must make of it.

Written the way another team would write files against CONTRACTS.md: plain CSV,
nothing produced by Rentan's own generator. All people are invented.
"""

from __future__ import annotations

import csv
from pathlib import Path

P3KE_HEADER = ["ID Keluarga P3KE", "ID Individu", "Nama", "NIK", "Jenis Kelamin", "Tanggal Lahir",
               "Kode Kemendagri", "Desil Kesejahteraan", "Pekerjaan", "Padan Dukcapil"]
DESA_A = "13.03.04.2001"   # a desa of Sijunjung (kecamatan 13.03.04)
DESA_B = "13.03.03.2001"   # Timbulun, Tanjung Gadang
LUAR = "13.01.01.2001"     # a desa of another kabupaten

# (id_keluarga, id_individu, nama, nik, jk, tanggal_lahir, kode, desil, pekerjaan, expected outcome)
P3KE_ROWS = [
    ("K01", "P001", "Syafrizal", "1303041203800001", "L", "12-03-1980", DESA_A, "1", "PETANI/PEKEBUN", "terdaftar_aktif"),
    ("K01", "P002", "Yusnimar", "1303045506820002", "P", "15-06-1982", DESA_A, "1", "PEDAGANG", "calon_peserta"),
    ("K02", "P003", "Afrizal", "1303040101750003", "L", "01-01-1975", DESA_A, "3", "PETANI/PEKEBUN", "tidak_memenuhi_syarat"),
    ("K01", "P004", "SYAFRIZAL", "1303041203800001", "L", "12-03-1980", DESA_A, "1", "PETANI/PEKEBUN", "duplikat_p3ke"),
    ("K03", "P005", "Rosmaini", "130304550385", "P", "15-03-1985", DESA_A, "2", "BURUH HARIAN LEPAS", "karantina"),
    ("K04", "P006", "Nurhayati", "1303045009790009", "P", "10-09-1979", DESA_B, "2", "PEDAGANG", "terdaftar_aktif"),
    ("K05", "P007", "Zulkifli", "1303030707770007", "L", "07-07-1977", DESA_B, "1", "SOPIR", "calon_peserta"),
    ("K06", "P008", "Darmawati", "1303036404700008", "P", "24-04-1970", DESA_B, "2", "PETANI/PEKEBUN", "tidak_memenuhi_syarat"),
    ("K07", "P009", "Hendri Saputra", "1303030202900010", "L", "02-02-1990", DESA_B, "1", "TUKANG", "perlu_tinjauan"),
    ("K01", "P010", "Rahmat", "1303040505150011", "L", "05-05-2015", DESA_A, "1", "PELAJAR/MAHASISWA", "tidak_memenuhi_syarat"),
    ("K08", "P011", "Yulianti", "1303044808950012", "P", "08-08-1995", DESA_A, "2", "MENGURUS RUMAH TANGGA", "tidak_memenuhi_syarat"),
    ("K09", "P012", "Budi", "1301010303880013", "L", "03-03-1988", LUAR, "1", "PETANI/PEKEBUN", "karantina"),
]
# 30 more people of desil 4 (ineligible) so one bad row stays under the 5 % file rule.
P3KE_ROWS += [
    (f"K{100 + i}", f"P{100 + i}", f"Warga {i}", f"13030401016{i % 10}{i:04d}"[:16], "L", f"01-01-196{i % 10}",
     DESA_A, "4", "PETANI/PEKEBUN", "tidak_memenuhi_syarat")
    for i in range(30)
]

PESERTA_HEADER = ["kpj", "nik", "nama", "tanggal_lahir", "jenis_kelamin", "kode_kemdagri", "tanggal_kepesertaan",
                  "status_kepesertaan", "sumber_dana", "upah_dilaporkan", "tanggal_nonaktif", "alasan_nonaktif"]
PESERTA_ROWS = [
    # linked to P001 by NIK, billed: AKTIF since 2025-06
    ("01234567890", "1303041203800001", "Syafrizal", "1980-03-12", "LAKI-LAKI", "1303042001", "2025-06-03", "AKTIF", "APBD", "Rp 1.000.000", "", ""),
    # linked to P006 by name + birth date + sex + desa (NIK typo in P3KE), billed, BARU in 2025-07
    ("01234567891", "1303045009790008", "NURHAYATI", "1979-09-10", "PEREMPUAN", "13.03.03.2001", "2025-07-01", "AKTIF", "APBD", "1000000", "", ""),
    # P007 left (PINDAH) before 2025-07: REAKTIVASI candidate
    ("01234567892", "1303030707770007", "Zulkifli", "1977-07-07", "L", "13.03.03.2001", "2022-03-01", "NONAKTIF", "APBD", "1000000", "2024-12-31", "PINDAH"),
    # P008 died: tidak_memenuhi_syarat
    ("01234567893", "1303036404700008", "Darmawati", "1970-04-24", "P", "13.03.03.2001", "2022-03-01", "NONAKTIF", "APBD", "1000000", "2025-02-28", "MENINGGAL"),
    # same name, birth date, sex as P009, another desa, the NIK's last two digits swapped: uncertain ->
    # perlu_tinjauan; billed
    ("01234567894", "1303030202900001", "Hendri Saputra", "1990-02-02", "L", "13.03.04.2001", "2023-01-15", "AKTIF", "APB_NAGARI", "1500000", "", ""),
    # not in P3KE, billed, NONAKTIF but covered through 2025-07
    ("01234567895", "1303040909600001", "Marlis", "1960-09-09", "L", "13.03.04.2001", "2024-05-01", "NONAKTIF", "CSR", "1000000", "2025-07-15", "USIA"),
    # unknown region code: billed under TIDAK DIKETAHUI
    ("01234567896", "1303041111910001", "Asril", "1991-11-11", "L", "9999999999", "2024-01-01", "AKTIF", "MANDIRI", "2000000", "", ""),
    # quarantined: KPJ not 11 digits
    ("1234", "1303041010900002", "Fauzi", "1990-10-10", "L", "13.03.04.2001", "2024-01-01", "AKTIF", "APBD", "1000000", "", ""),
]
# Enough clean rows not in P3KE that one bad row stays under 5 %: starts 2025-08 (not billed in 2025-07).
PESERTA_ROWS += [
    (f"0999999{i:04d}", f"130304010170{i:04d}", f"Peserta {i}", "1970-01-01", "L", "13.03.04.2001", "2025-08-01",
     "AKTIF", "APBD", "1000000", "", "")
    for i in range(30)
]

KLAIM_HEADER = ["kpj", "nik", "jenis_klaim", "tanggal_kejadian", "tanggal_bayar", "nilai_manfaat"]
KLAIM_ROWS = [
    ("01234567893", "1303036404700008", "JKM", "2025-02-20", "2025-03-10", "Rp 42.000.000"),
    ("01234567890", "1303041203800001", "JKK", "2025-07-02", "2025-07-20", "2.500.000"),
]
KLAIM_ROWS += [("01234567894", "1303030202900001", "JKK", "2024-01-0" + str(1 + i % 9), "2024-02-01", "100000")
               for i in range(20)]

EXPECTED_2025_07 = {
    "p3ke": {"baris_masuk": len(P3KE_ROWS), "karantina": 2, "duplikat_p3ke": 1, "terdaftar_aktif": 2,
             "tidak_memenuhi_syarat": 34, "perlu_tinjauan": 1, "calon_peserta": 2},
    "peserta": {"baris_masuk": len(PESERTA_ROWS), "karantina": 1, "ditagih": 5, "baru": 1, "dari_p3ke": 2},
    # JKK 1 % of upah: 10.000 x3 (APBD x2, CSR), 15.000 (APB_NAGARI), 20.000 (MANDIRI); JKM 6.800 x5
    "iuran": {"iuran_jkk": 65000, "iuran_jkm": 34000, "total_iuran": 99000,
              "per_sumber_dana": {"APBD": 33600, "APB_NAGARI": 21800, "CSR": 16800, "MANDIRI": 26800}},
    "klaim": {"kasus": 1, "nilai_manfaat": 2500000},
}
CALON = {"P002": "BARU", "P007": "REAKTIVASI"}


def write_landing(root: Path) -> Path:
    """Write the landing zone under root and return it."""
    _write(root / "p3ke" / "p3ke_sijunjung.csv", P3KE_HEADER, [r[:9] + ("YA",) for r in P3KE_ROWS])
    _write(root / "bpjs" / "peserta" / "peserta_2025-07-31.csv", PESERTA_HEADER, PESERTA_ROWS, delimiter=";")
    _write(root / "bpjs" / "klaim" / "klaim_2025.csv", KLAIM_HEADER, KLAIM_ROWS)
    (root / "tinjauan").mkdir(parents=True, exist_ok=True)
    return root


def _write(path: Path, header: list[str], rows, delimiter: str = ",") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(header)
        writer.writerows(rows)
