"""A file of more than RENTAN_PART_ROWS rows (a national roster) is ingested a part at a time: the staged
dataset, the file audit, the summary and the reason codes equal those of the file ingested at once, with
the per-file rules judged on the whole file: KPJ_GANDA for a KPJ seen in an earlier part, the quarantine
share over all the file's rows."""

from __future__ import annotations

import json
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from include import pipeline
from include.settings import load_settings
from include.sources.staging import read_staged

PERIODE = "2025-07"
ROWS = 2_000
PART = 600
AT_ONCE = 10_000_000
ROSTER_HEADER = (
    "kpj;nik;nama;tanggal_lahir;jenis_kelamin;kode_kemdagri;tanggal_kepesertaan;status_kepesertaan;"
    "sumber_dana;upah_dilaporkan;tanggal_nonaktif;alasan_nonaktif;catatan"
)


def roster(bad_rows: set[int] = frozenset()) -> bytes:
    """A Windows-1252, `;` roster: the KPJ of row 50 again in rows 700 (another part) and 60 (the same
    part), of row 1,250 again in 1,999; `bad_rows` with a wage under Rp 1.000.000 (UPAH_TIDAK_VALID)."""
    lines = [ROSTER_HEADER]
    for i in range(ROWS):
        kpj = 50 if i in (60, 700) else 1_250 if i == 1_999 else i
        nonaktif = i > 900 and i % 11 == 0
        upah = "900000" if i in bad_rows else "Rp 1.500.000"
        note = '"dua\r\nbaris"' if i % PART in (0, PART - 1) else ""
        lines.append(
            f"{22000000000 + kpj:011d};130304550690{i % 10_000:04d};Zoé {i};15-06-1990;P;1303042001;"
            f"2022-03-01;{'NONAKTIF' if nonaktif else 'AKTIF'};APBD;{upah};"
            f"{'2024-12-31' if nonaktif else ''};{'PINDAH' if nonaktif else ''};"
            f"{note}"
        )
    return ("\r\n".join(lines) + "\r\n").encode("cp1252")


def _settings(root: Path, part_rows: int):
    return load_settings(
        {
            "RENTAN_LANDING": str(root / "landing"),
            "RENTAN_DATA": str(root / f"data_{part_rows}"),
            "RENTAN_REPORTS": str(root / "reports"),
            "RENTAN_REGION": "13.03",
            "RENTAN_PART_ROWS": str(part_rows),
            "RENTAN_WAREHOUSE_URL": f"sqlite:///{root / 'w.db'}",
        }
    )


def _landing(root: Path, data: bytes, folder: str = "bpjs/peserta", name: str = "peserta_2025-07-31.csv") -> None:
    (root / "landing" / folder).mkdir(parents=True, exist_ok=True)
    (root / "landing" / folder / name).write_bytes(data)


def test_a_roster_ingested_in_parts_equals_the_roster_ingested_at_once(tmp_path):
    _landing(tmp_path, roster(bad_rows={5, 640, 1_500}))
    summaries, folders = {}, {}
    for part_rows in (AT_ONCE, PART):
        settings = _settings(tmp_path, part_rows)
        summaries[part_rows] = pipeline.ingest("peserta", settings, [PERIODE], "run-1")
        folders[part_rows] = pipeline._dataset_dir(settings)

    whole, parts = folders[AT_ONCE] / "peserta.parquet", folders[PART] / "peserta.parquet"
    assert pq.read_table(parts).equals(pq.read_table(whole))
    assert pq.read_schema(parts).equals(pq.read_schema(whole), check_metadata=True)  # the dtypes read back too
    assert pq.ParquetFile(parts).num_row_groups == 4 and pq.ParquetFile(whole).num_row_groups == 1
    audit = [json.loads((folders[n] / "peserta_berkas.json").read_text(encoding="utf-8")) for n in (AT_ONCE, PART)]
    assert audit[0] == audit[1]
    assert summaries[PART].pop("kelompok") == 4
    assert {k: v for k, v in summaries[PART].items() if k != "data_docs"} == {
        k: v for k, v in summaries[AT_ONCE].items() if k != "data_docs"
    }

    frame = read_staged(parts).set_index("baris")
    assert frame.loc[[62, 702, 2_001], "alasan"].tolist() == ["KPJ_GANDA"] * 3  # rows 60, 700 and 1,999
    assert frame.loc[[52, 1_252], "alasan"].tolist() == ["", ""]  # the first of each KPJ counts
    assert frame.loc[[7, 642, 1_502], "alasan"].tolist() == ["UPAH_TIDAK_VALID"] * 3
    assert summaries[PART]["aturan"] == {"KPJ_GANDA": 3, "UPAH_TIDAK_VALID": 3}
    assert summaries[PART]["karantina"] == 6 and summaries[PART]["baris"] == ROWS


def _failure(tmp_path: Path, source: str, periods: list[str]) -> list[str | None]:
    messages = []
    for part_rows in (AT_ONCE, PART):
        try:
            pipeline.ingest(source, _settings(tmp_path, part_rows), periods, "run-1")
            messages.append(None)
        except pipeline.ValidationFailed as failed:
            messages.append(str(failed))
    return messages


def test_the_quarantine_share_is_the_whole_files_not_a_parts(tmp_path):
    """Bad rows all in the last part: over 5 % of the part, under 5 % of the file; the file passes."""
    _landing(tmp_path, roster(bad_rows=set(range(1_900, 1_990))))  # 90 + 3 KPJ_GANDA of 2,000: 4.65 %

    assert _failure(tmp_path, "peserta", [PERIODE]) == [None, None]


def test_a_file_over_the_limit_fails_in_parts_with_the_message_of_the_whole(tmp_path):
    """Every part under 5 %, the file over it: the same file, share, codes and first rows named."""
    _landing(tmp_path, roster(bad_rows={i for i in range(ROWS) if i % 19 == 0} | set(range(1_200, 1_230))))

    at_once, in_parts = _failure(tmp_path, "peserta", [PERIODE])

    assert at_once is not None and in_parts == at_once
    assert "KPJ_GANDA=3 (rows 62, 702, 2001)" in at_once and "UPAH_TIDAK_VALID=" in at_once


P3KE_HEADER = "id_keluarga_p3ke,id_individu,nama,nik,jenis_kelamin,tanggal_lahir,kode_kemdagri,desil,pekerjaan"


def test_a_p3ke_file_over_the_limit_in_one_month_fails_in_parts_as_at_once(tmp_path):
    """Born 15 July 2025: after June's reference date, not July's; 6 % of the rows, spread over the parts.
    The month that breaks the limit, its codes and first rows, as when the file is validated at once."""
    lines = [P3KE_HEADER]
    for i in range(ROWS):
        born = "15-07-2025" if i % 16 == 3 else "15-06-1990"
        lines.append(f"K{i // 4},I{i:05d},Nama {i},130304550690{i % 10_000:04d},P,{born},1303042001,1,PETANI")
    _landing(tmp_path, ("\n".join(lines) + "\n").encode(), folder="p3ke", name="p3ke_1303.csv")

    passing = _failure(tmp_path, "p3ke", ["2025-07"])
    at_once, in_parts = _failure(tmp_path, "p3ke", ["2025-07", "2025-06"])

    assert passing == [None, None]
    assert at_once is not None and in_parts == at_once
    assert "TANGGAL_LAHIR_TIDAK_VALID=125 (rows 5, 21, 37, 53, 69, ...)" in at_once


@pytest.mark.parametrize("part_rows", [PART, 1_999, 2_000, 2_001])
def test_a_file_is_cut_only_when_it_holds_more_rows_than_a_part(tmp_path, part_rows):
    _landing(tmp_path, roster())
    settings = _settings(tmp_path, part_rows)
    from include.sources import SOURCES

    spec = SOURCES["peserta"].SPEC
    groups = pipeline.ingest_groups(settings, spec, pipeline._landing_files(settings, spec))

    parts = [(rows.start, rows.stop) for group in groups for rows in group]
    assert parts == [(start, min(start + part_rows, ROWS)) for start in range(0, ROWS, part_rows)]
    assert all(len(group) == 1 for group in groups)
