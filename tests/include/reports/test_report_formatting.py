import datetime as dt

import numpy as np
import pandas as pd
import pytest

from include.reports.formatting import (
    angka,
    bulan,
    bulan_singkat,
    bulan_tahun,
    desimal,
    mask_nik,
    persen,
    rupiah,
    rupiah_singkat,
    tanggal,
)


def test_rupiah_uses_dots_and_the_rp_prefix():
    assert rupiah(5479891200) == "Rp 5.479.891.200"
    assert rupiah(16800) == "Rp 16.800"
    assert rupiah(0) == "Rp 0"
    assert rupiah(999) == "Rp 999"
    assert rupiah(np.int64(3053299200)) == "Rp 3.053.299.200"
    assert rupiah(1000000.0) == "Rp 1.000.000"
    assert rupiah(-1500) == "-Rp 1.500"


@pytest.mark.parametrize("missing", [None, float("nan"), pd.NA, ""])
def test_missing_values_format_as_empty(missing):
    assert rupiah(missing) == ""
    assert angka(missing) == ""
    assert persen(missing) == ""
    assert mask_nik(missing) == ""


def test_angka_and_decimals_use_indonesian_separators():
    assert angka(16590) == "16.590"
    assert angka(326184) == "326.184"
    assert angka(1234.5, 1) == "1.234,5"
    assert desimal(0.87345) == "0,8735"
    assert desimal(0.5) == "0,5000"


def test_persen_has_two_decimals_and_a_comma():
    assert persen(95.13) == "95,13 %"
    assert persen(95) == "95,00 %"
    assert persen(0.005) == "0,01 %"


def test_month_names_are_indonesian():
    assert bulan_tahun("2025-07") == "Juli 2025"
    assert bulan("2022-03") == "Maret 2022"
    assert bulan(None) == ""
    assert bulan_singkat("2025-08") == "Agu 2025"
    assert bulan_singkat("2025-05") == "Mei 2025"


def test_dates_read_day_month_year():
    assert tanggal("1985-03-12") == "12-03-1985"
    assert tanggal(dt.date(1990, 7, 1)) == "01-07-1990"
    assert tanggal("bukan tanggal") == "bukan tanggal"


def test_axis_labels_are_short():
    assert rupiah_singkat(0) == "Rp 0"
    assert rupiah_singkat(250_000_000) == "Rp 250 jt"
    assert rupiah_singkat(1_500_000_000) == "Rp 1,5 M"


def test_a_valid_nik_keeps_area_and_serial_only():
    assert mask_nik("1303041203850001") == "130304******0001"
    assert mask_nik(" 1303041203850001 ") == "130304******0001"


@pytest.mark.parametrize(
    "broken",
    ["1.30304E+15", "130304120385000", "13030412038500012", "ABCDEFGHIJKLMNOP", 1.303041203850001e15, "Nama Orang"],
)
def test_anything_else_is_masked_entirely(broken):
    masked = mask_nik(broken)
    assert masked == "*" * 16
    assert not any(ch.isalnum() for ch in masked)
