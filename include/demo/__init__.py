"""Demo scenario generator: a synthetic Kabupaten Sijunjung (13.03) that reproduces the seed figures.

`python -m include.demo --landing data/landing --truth data/demo_truth.json --seed 20250701`
wipes the generator's own landing folders (p3ke/, bpjs/, tinjauan/), writes

- p3ke/: 8 P3KE individual exports, one per kecamatan (~19.800 person rows in
  families, head first): 5 XLSX in the official layout (title rows, merged title,
  NIK as text; dates as date cells, DD-MM-YYYY text, DD/MM/YYYY text or Excel
  serials) and 3 CSV (UTF-8 BOM ';' CRLF with aliased headers and L/P; Windows-1252
  ',' with a name holding U+2019 and an alamat with a quoted newline; plain UTF-8
  with snake_case headers and ISO dates);
- bpjs/peserta/peserta_2025-07-31.xlsx: the roster, one row per KPJ;
- bpjs/klaim/: claims paid 2022-2024 (CSV) and 2025 (XLSX);

and a truth JSON with the seed figures, the expected ringkasan.json of 2025-07,
reason-code counts, every quarantined row (sumber, berkas, baris, alasan), and
billed / BARU / dari_p3ke counts for every month 2022-03 .. 2025-07.
The same seed gives byte-identical files.

Construction assumptions (also written into the truth file, key "asumsi"):
"""

from __future__ import annotations

import os

ASSUMPTIONS = [
    "Every roster participant is APBD-funded at upah_dilaporkan Rp 1.000.000 (JKK 10.000 + JKM 6.800 = "
    "Rp 16.800 a month under policy.yaml); no APB_NAGARI, CSR or MANDIRI rows, so per_sumber_dana is all APBD.",
    "Group A (the original program) has 1.333 spells starting in 2022-03 and follows a solved saturating curve "
    "with monthly churn (MENINGGAL, USIA, PINDAH, MENGUNDURKAN_DIRI, BEKERJA_FORMAL, LAINNYA; tanggal_nonaktif = "
    "last covered day); 11.416 A participants are billed in 2025-07.",
    "Group B: 5.174 eligible desil 1-2 P3KE workers, tanggal_kepesertaan in 2025-06, all AKTIF; each is linked "
    "by equal NIK, or (NIK typo) by equal name + tanggal_lahir + jenis_kelamin + desa.",
    "No participant billed in 2025-07 other than group B is linked to a desil 1-2 P3KE person. Earlier months' "
    "dari_p3ke is not zero: participants who died, left for formal work or left (PINDAH/MENGUNDURKAN_DIRI, the "
    "REAKTIVASI candidates) were linked to desil 1-2 persons; see bulanan[].dari_p3ke.",
    "Linking follows include/matching.py exactly: equal usable NIK or equal person key; identities are unique on "
    "NIK and on (name key, tanggal_lahir, jenis_kelamin) except the deliberate pairs.",
    "Outcome precedence of CONTRACTS.md on the built facts; eligibility with policy.yaml on the first day of "
    "2025-07 (age 18..65 in completed years, desil 1-2, pekerjaan present and not excluded, case and spacing "
    "ignored).",
    "perlu_tinjauan: P3KE rows with the same name, tanggal_lahir and jenis_kelamin as a roster participant (who "
    "left with PINDAH/MENGUNDURKAN_DIRI and is in no P3KE file) in another desa, or as an earlier P3KE row "
    "(an earlier file) in another desa, the two NIKs differing only in the serial; kandidat_kpj is given for "
    "the former, '' for the latter. No tinjauan "
    "decision files are written.",
    "Duplicates (duplikat_p3ke) are later rows with the same NIK as an earlier clean row: the person again as "
    "FAMILI LAIN in a later family of the same file, an exact re-export at the end of the file, or in a later "
    "file (another desa). Duplicated persons are never linked.",
    "Quarantined rows carry one reason code each, except one row with both NAMA_KOSONG and NIK_KOSONG; they are "
    "persons with no other role. Quarantined roster and claim rows are extra rows (fresh KPJ or a second copy "
    "for KPJ_GANDA) that bill and pay nothing.",
    "Soft findings (temuan_lunak.p3ke) are counted over rows that are not quarantined; quarantined and duplicate "
    "rows carry none (the over-120 row, 1899-08-17, is quarantined in every month, so its NIK is not counted). "
    "Kinds: NIK_TANGGAL_BEDA_DENGAN_TANGGAL_LAHIR (NIK DDMMYY is another valid date), NIK_JENIS_KELAMIN_BEDA (a "
    "woman's NIK without +40), NIK_DI_LUAR_WILAYAH (NIK prefix of another kabupaten), PADAN_DUKCAPIL_TIDAK.",
    "Two roster-only participants have their NIK as an Excel number cell (PERINGATAN_NIK_RUSAK_EXCEL: a warning, "
    "still billed).",
    "Nobody in P3KE is born after 2021-12-31 (P3KE 2022 data), so TANGGAL_LAHIR_TIDAK_VALID does not depend on "
    "the month run; the invalid dates used are missing, unparseable, 2031-05-12 and 1899-08-17.",
    "Claims: a JKM claim of Rp 42.000.000 for each of the 95 deaths, 24 JKK claims summing to the rest; all paid "
    "2022-03 .. 2025-07.",
]

__doc__ += "\n".join(f"- {a}" for a in ASSUMPTIONS) + "\n"


def generate(landing: str | os.PathLike, truth: str | os.PathLike, seed: int) -> dict:
    """Write the demo landing files and the truth JSON; return the truth dict."""
    from include.demo.build import generate as _generate

    return _generate(landing, truth, seed)
