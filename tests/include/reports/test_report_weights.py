"""The match-weight chart of laporan.html (and its table in laporan.xlsx): bins, thresholds as weights, empty case."""

from __future__ import annotations

import dataclasses
import math
import re

import openpyxl
import pytest

from include.policy import default_policy
from include.reports import page
from include.reports.figures import ambang_bobot, bobot_dari_probabilitas
from include.reports.writer import write_reports

CAPTION = "<figcaption>Distribusi bobot kecocokan (match weight)</figcaption>"


def _weight_figure(html: str) -> str:
    start = html.index(CAPTION)
    return html[start : html.index("</figure>", start)]


def _tick_x(svg: str, label: str) -> float:
    return float(
        re.search(rf'<text x="([\d.]+)" y="\d+" text-anchor="middle" fill="[^"]+">{label}</text>', svg).group(1)
    )


def _marker_x(svg: str, label: str) -> float:
    return float(re.search(rf'<line x1="([\d.]+)"[^>]*><title>{re.escape(label)}: bobot', svg).group(1))


def test_probability_thresholds_become_match_weights():
    assert bobot_dari_probabilitas(0.5) == 0.0
    assert bobot_dari_probabilitas(0.95) == pytest.approx(math.log2(19))  # 4.25
    assert bobot_dari_probabilitas(0.2) == pytest.approx(-2.0)
    for wrong in (0.0, 1.0, 1.5):
        with pytest.raises(ValueError, match="policy.yaml"):
            bobot_dari_probabilitas(wrong)


def test_page_draws_the_histogram_with_both_thresholds_labelled(tmp_path, report_data):
    write_reports(tmp_path, report_data)
    figure = _weight_figure((tmp_path / "laporan.html").read_text(encoding="utf-8"))

    assert figure.count("<svg") == 1
    assert figure.count("<rect ") == 15  # 16 bins, the empty one draws no bar
    assert "<title>-10,00 s.d. -8,00: 1.250 pasangan</title>" in figure  # Indonesian numbers
    assert ">ambang tinjauan (p = 0,50)</text>" in figure and ">ambang cocok (p = 0,95)</text>" in figure
    assert ">1.000</text>" in figure and ">-10</text>" in figure  # log-scale and weight axes
    # p = 0.50 sits on weight 0; p = 0.95 at log2(19) = 4.25 between the ticks 0 and 5
    zero, five = _tick_x(figure, "0"), _tick_x(figure, "5")
    assert _marker_x(figure, "ambang tinjauan (p = 0,50)") == pytest.approx(zero, abs=0.05)
    assert _marker_x(figure, "ambang cocok (p = 0,95)") == pytest.approx(zero + (five - zero) * 4.2479 / 5, abs=0.1)
    assert "2.368 pasangan" in figure and "w = 4,25" in figure and "w = 0,00" in figure
    assert "tidak ada pasangan kandidat" not in figure


def test_a_run_without_candidate_pairs_says_so(tmp_path, make_data):
    data = make_data()
    data.bobot = data.bobot.iloc[0:0]
    write_reports(tmp_path, data)
    html = (tmp_path / "laporan.html").read_text(encoding="utf-8")
    figure = _weight_figure(html)

    assert "<svg" not in figure
    assert "tidak ada pasangan kandidat" in figure
    assert html.count("<svg") == 3  # the other charts stay
    sheet = openpyxl.load_workbook(tmp_path / "laporan.xlsx")["Kualitas Data"]
    assert sheet["E3"].value == "tidak ada pasangan kandidat"


def test_all_bins_empty_counts_as_no_pairs(tmp_path, make_data):
    data = make_data()
    data.bobot = data.bobot.assign(jumlah=0)
    write_reports(tmp_path, data)

    assert "tidak ada pasangan kandidat" in _weight_figure((tmp_path / "laporan.html").read_text(encoding="utf-8"))


def test_thresholds_follow_the_policy(tmp_path, report_data, monkeypatch):
    policy = dataclasses.replace(default_policy(), ambang_atas=0.9, ambang_bawah=0.6)
    monkeypatch.setattr(page, "default_policy", lambda: policy)

    figure = _weight_figure(page.render_page(report_data))

    assert ">ambang tinjauan (p = 0,60)</text>" in figure and ">ambang cocok (p = 0,90)</text>" in figure
    assert f"w = {math.log2(9):.2f}".replace(".", ",") in figure  # 3,17
    assert [m.label for m in ambang_bobot(policy)] == ["ambang tinjauan (p = 0,60)", "ambang cocok (p = 0,90)"]


def test_thresholds_outside_the_bins_widen_the_axis(report_data):
    report_data.bobot = report_data.bobot[report_data.bobot["bobot_dari"] < -4]  # only clear non-matches

    figure = _weight_figure(page.render_page(report_data))

    assert ">ambang cocok (p = 0,95)</text>" in figure
    assert _marker_x(figure, "ambang cocok (p = 0,95)") <= 744  # inside the plot (its right edge)
    assert _tick_x(figure, "5(,0)?") >= _marker_x(figure, "ambang cocok (p = 0,95)")  # the axis reaches past 4,25


def test_workbook_lists_the_bins_and_the_thresholds_as_weights(tmp_path, report_data):
    write_reports(tmp_path, report_data)
    sheet = openpyxl.load_workbook(tmp_path / "laporan.xlsx")["Kualitas Data"]

    assert sheet["E1"].value == "Distribusi bobot kecocokan"
    assert [c.value for c in sheet[2]][4:7] == ["Bobot Dari", "Bobot Sampai", "Jumlah"]
    assert [c.value for c in sheet[5]][4:7] == [-10, -8, 1_250]
    assert sheet["E20"].value == "ambang tinjauan (p = 0,50)" and sheet["F20"].value == 0
    assert sheet["E21"].value == "ambang cocok (p = 0,95)" and sheet["F21"].value == pytest.approx(4.2479, abs=1e-4)
    assert sheet["F21"].number_format == "[$-421]0.00"
    assert sheet.auto_filter.ref == "A1:C3"  # the findings' filter leaves the histogram alone
