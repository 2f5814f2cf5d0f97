"""A national month's lists are read and written a piece at a time (report_reader, write_reports with
streams): the eight files are the same bytes as those written from the whole frames, on SQLite and on
PostgreSQL, with lists longer than a workbook sheet shows."""

from __future__ import annotations

import dataclasses

import pytest

from include import pipeline
from include.reports import workbook, writer
from include.reports.writer import REPORT_FILES, write_reports
from include.warehouse import get_engine, read_report_data
from include.warehouse import read as warehouse_read
from tests.include.demo_dataset import staged_demo

PERIODE = "2025-07"


@pytest.fixture(scope="module")
def decided(tmp_path_factory):
    settings = staged_demo(tmp_path_factory.mktemp("streams"), PERIODE)
    pipeline.decide(settings, PERIODE)
    return settings


def test_the_reports_written_a_piece_at_a_time_are_the_reports_written_whole(decided, warehouse_url, tmp_path,
                                                                             monkeypatch):
    settings = dataclasses.replace(decided, warehouse_url=warehouse_url, reports=str(tmp_path / "streamed"))
    pipeline.prepare_load(settings, "run-1", [PERIODE])
    pipeline.load_snapshot(settings, "run-1")
    pipeline.load_period(settings, PERIODE, "run-1")
    monkeypatch.setattr(warehouse_read, "CHUNK_ROWS", 1_000)  # SQLite: pieces of 1,000 rows
    monkeypatch.setattr(warehouse_read, "BLOCK_BYTES", 64 << 10)  # PostgreSQL: CSV blocks of 64 KB
    monkeypatch.setattr(writer, "XLSX_BARIS_MAKS", 2_500)  # the list sheets stop inside the second piece
    monkeypatch.setattr(workbook, "XLSX_BARIS_MAKS", 2_500)
    pipeline.write_report(settings, PERIODE)
    data = read_report_data(get_engine(warehouse_url), PERIODE)
    assert len(data.rincian) > 10_000 and len(data.calon) > 100 and len(data.karantina) > 0
    write_reports(tmp_path / "whole", data)
    streamed = tmp_path / "streamed" / PERIODE
    for name in REPORT_FILES:
        assert (streamed / name).read_bytes() == (tmp_path / "whole" / name).read_bytes(), name


@pytest.mark.postgres
def test_a_piece_of_a_copied_list_is_a_block_of_rows_not_a_row(decided, postgres_url, monkeypatch):
    """COPY sends a row per message: the stream Arrow reads fills its blocks across messages."""
    from include.warehouse.read import report_reader

    settings = dataclasses.replace(decided, warehouse_url=postgres_url)
    pipeline.prepare_load(settings, "run-1", [PERIODE])
    pipeline.load_period(settings, PERIODE, "run-1")
    monkeypatch.setattr(warehouse_read, "BLOCK_BYTES", 64 << 10)
    with report_reader(get_engine(postgres_url), PERIODE) as (_, streams):
        pieces = [len(piece) for piece in streams["rincian"]()]
    assert sum(pieces) > 10_000 and len(pieces) < sum(pieces) / 100
