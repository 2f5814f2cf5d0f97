import errno
import os

import pytest

from include.reports import writer
from include.reports.writer import REPORT_FILES, ReportWriteError, write_reports


def _snapshot(folder):
    return {path.name: path.read_bytes() for path in folder.iterdir()}


def test_a_renderer_failing_leaves_no_report_and_no_temporary_file(tmp_path, report_data, monkeypatch):
    def broken(data):
        raise RuntimeError("boom")

    monkeypatch.setattr(writer, "render_workbook", broken)
    with pytest.raises(ReportWriteError, match=r"laporan\.xlsx"):
        write_reports(tmp_path, report_data)
    assert list(tmp_path.iterdir()) == []  # neither the CSVs staged before it nor a temp file


def test_a_failure_keeps_the_previous_complete_reports_untouched(tmp_path, make_data, monkeypatch):
    write_reports(tmp_path, make_data())
    before = _snapshot(tmp_path)
    changed = make_data(pagu=None)
    changed.rincian = changed.rincian.iloc[:1]

    def broken(data):
        raise RuntimeError("boom")

    monkeypatch.setattr(writer, "render_page", broken)
    with pytest.raises(ReportWriteError, match=r"laporan\.html"):
        write_reports(tmp_path, changed)
    assert _snapshot(tmp_path) == before


def test_a_full_disk_midway_through_a_file_leaves_no_partial_file(tmp_path, make_data, monkeypatch):
    write_reports(tmp_path, make_data())
    before = _snapshot(tmp_path)
    real_fdopen, calls = os.fdopen, []

    class HalfWritten:
        """Writes half of the bytes, then the disk is full."""

        def __init__(self, handle):
            self.handle = handle

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.handle.close()

        def write(self, content):
            self.handle.write(content[: len(content) // 2])
            self.handle.flush()
            raise OSError(errno.ENOSPC, "No space left on device")

    def fdopen(descriptor, mode="r", *args, **kwargs):
        handle = real_fdopen(descriptor, mode, *args, **kwargs)
        calls.append(descriptor)
        return HalfWritten(handle) if len(calls) == 3 else handle  # the third file: calon_peserta.csv

    monkeypatch.setattr(writer.os, "fdopen", fdopen)
    with pytest.raises(ReportWriteError) as error:
        write_reports(tmp_path, make_data(empty_lists=True))
    assert "calon_peserta.csv" in str(error.value) and "No space left" in str(error.value)
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(REPORT_FILES)
    assert _snapshot(tmp_path) == before


def test_a_new_folder_gets_the_files_only_when_all_are_complete(tmp_path, report_data, monkeypatch):
    seen = []
    real_replace = os.replace

    def replace(source, target):
        seen.append(sorted(p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")))
        real_replace(source, target)

    monkeypatch.setattr(writer.os, "replace", replace)
    write_reports(tmp_path, report_data)
    assert len(seen[0]) == len(REPORT_FILES)  # all eight were complete before the first rename
    assert all(name.startswith(".") for name in seen[0])  # hidden temporary names
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
