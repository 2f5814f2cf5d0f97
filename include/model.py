"""The frames that pass between stages: column lists and the per-period result.

Decide produces a `PeriodResult` per month (saved as Parquet in staging between
tasks); the warehouse loads it; the report reads a `ReportData` back from the
warehouse with the queries in include/sql/. All dates are ISO strings
(YYYY-MM-DD), all amounts whole Rupiah integers, all codes dotted text.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, fields
from pathlib import Path

import pandas as pd

RINCIAN_COLUMNS = [
    "periode", "kpj", "nik", "nama", "kode_kemdagri", "kecamatan", "desa_kelurahan",
    "sumber_dana", "upah_dilaporkan", "iuran_jkk", "iuran_jkm", "total_iuran", "status_tagihan",
]
REKAP_COLUMNS = [
    "periode", "kode_kecamatan", "kecamatan", "sumber_dana", "jumlah_peserta", "peserta_baru",
    "iuran_jkk", "iuran_jkm", "total_iuran",
]
CALON_COLUMNS = [
    "periode", "id_individu", "id_keluarga_p3ke", "nik", "nama", "jenis_kelamin", "tanggal_lahir",
    "kode_kemdagri", "kecamatan", "desa_kelurahan", "desil_kesejahteraan", "pekerjaan", "jenis",
    "kpj_lama", "prioritas",
]
TINJAUAN_COLUMNS = [
    "periode", "id_individu", "nik", "nama", "tanggal_lahir", "kode_kemdagri", "kandidat_kpj",
    "kandidat_nik", "kandidat_nama", "kandidat_tanggal_lahir", "probabilitas", "alasan",
]
KARANTINA_COLUMNS = ["sumber", "berkas", "baris", "alasan", "id", "nik", "nama"]
KUALITAS_COLUMNS = ["sumber", "temuan", "jumlah"]
IURAN_BULANAN_COLUMNS = ["periode", "jumlah_peserta", "total_iuran", "iuran_apbd"]
# A histogram of the Splink match weights (log2 Bayes factor) of every candidate pair scored in the
# run: bins [bobot_dari, bobot_sampai) as floats in match-weight units, jumlah the pairs in the bin (int).
BOBOT_COLUMNS = ["bobot_dari", "bobot_sampai", "jumlah"]
HASIL_COLUMNS = [
    "periode", "berkas", "baris", "id_individu", "hasil", "alasan", "kpj", "orang",
]
OUTCOMES = (
    "karantina", "duplikat_p3ke", "terdaftar_aktif", "tidak_memenuhi_syarat",
    "perlu_tinjauan", "calon_peserta",
)
SUMBER_DANA = ("APBD", "APB_NAGARI", "CSR", "MANDIRI")


@dataclass
class PeriodResult:
    """Everything decided for one month.

    rincian: RINCIAN_COLUMNS + kode_kecamatan, dari_p3ke (bool), berkas, baris
      (the roster file and row each bill comes from).
    calon: CALON_COLUMNS + berkas, baris. tinjauan: TINJAUAN_COLUMNS.
    karantina: KARANTINA_COLUMNS. hasil: HASIL_COLUMNS, one row per P3KE row.
    kualitas: KUALITAS_COLUMNS. iuran_bulanan: program start .. M.
    bobot: BOBOT_COLUMNS, the match-weight histogram of the run's candidate pairs (empty when none).
    ringkasan: the ringkasan.json dict of CONTRACTS.md.
    """

    periode: str
    rincian: pd.DataFrame
    calon: pd.DataFrame
    tinjauan: pd.DataFrame
    karantina: pd.DataFrame
    hasil: pd.DataFrame
    kualitas: pd.DataFrame
    iuran_bulanan: pd.DataFrame
    bobot: pd.DataFrame
    ringkasan: dict

    def save(self, folder: Path | str) -> None:
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, pd.DataFrame):
                value.to_parquet(folder / f"{f.name}.parquet", index=False)
        (folder / "ringkasan.json").write_text(json.dumps(self.ringkasan, sort_keys=True), encoding="utf-8")

    @classmethod
    def load(cls, folder: Path | str, periode: str) -> PeriodResult:
        """A result saved whole (save) or in parts (include.pipeline.decide): the parts' rows concatenated
        in part order."""
        folder = Path(folder)
        frames = {
            f.name: pd.concat(list(period_frames(folder, f.name)), ignore_index=True)
            for f in fields(cls)
            if f.name not in ("periode", "ringkasan")
        }
        ringkasan = json.loads((folder / "ringkasan.json").read_text(encoding="utf-8"))
        return cls(periode=periode, ringkasan=ringkasan, **frames)


# A month decided in parts (include.partitions) is kept as <folder>/bagian-<k>/<frame>.parquet for the
# frames with a row per P3KE row, bill, candidate, review pair or quarantined row, and
# <folder>/<frame>.parquet plus ringkasan.json for the month-wide ones.
PART_FRAMES = ("rincian", "calon", "tinjauan", "karantina", "hasil")
PART_PREFIX = "bagian-"


def part_folders(folder: Path | str) -> list[Path]:
    """The part folders of a month decided in parts, in part order (none for a result saved whole)."""
    found = [p for p in Path(folder).glob(f"{PART_PREFIX}*") if p.is_dir()]
    return sorted(found, key=lambda p: int(p.name[len(PART_PREFIX):]))


def period_frames(folder: Path | str, name: str) -> Iterator[pd.DataFrame]:
    """The frame `name` of a saved month, one part at a time (one frame for a month-wide one)."""
    folder = Path(folder)
    parts = part_folders(folder) if name in PART_FRAMES else []
    for path in [p / f"{name}.parquet" for p in parts] or [folder / f"{name}.parquet"]:
        yield pd.read_parquet(path)


@dataclass
class Snapshot:
    """Run-wide facts, loaded once per run before the periods.

    peserta: the valid roster rows (kpj, nik, nama, tanggal_lahir, jenis_kelamin,
      kode_kemdagri, tanggal_kepesertaan, status_kepesertaan, tanggal_nonaktif,
      alasan_nonaktif, sumber_dana, upah_dilaporkan, berkas, baris).
    klaim: the valid claims (kpj, nik, jenis_klaim, tanggal_kejadian, tanggal_bayar,
      nilai_manfaat, berkas, baris).
    berkas: one row per landing file of the dataset (sumber, berkas, sha256,
      baris, karantina, status).
    tinjauan: the review decisions in force, one per (id_individu, kandidat_kpj)
      ('' for a P3KE-internal pair): id_individu, kandidat_kpj, keputusan, berkas, baris.
    """

    peserta: pd.DataFrame
    klaim: pd.DataFrame
    berkas: pd.DataFrame
    tinjauan: pd.DataFrame


@dataclass
class ReportData:
    """What the report files of one month are written from (read from the warehouse).

    Frames carry exactly the report columns, already sorted as CONTRACTS.md says;
    bobot (BOBOT_COLUMNS) is sorted by bobot_dari.
    """

    periode: str
    rincian: pd.DataFrame
    rekap: pd.DataFrame
    calon: pd.DataFrame
    tinjauan: pd.DataFrame
    karantina: pd.DataFrame
    kualitas: pd.DataFrame
    iuran_bulanan: pd.DataFrame
    bobot: pd.DataFrame
    ringkasan: dict
