"""nik: what a NIK says about its holder."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from include.sources.nik import (
    nik_birth_date_valid,
    nik_birth_date_valid_series,
    nik_near,
    parse_nik,
    parse_nik_series,
)


def test_parse_nik_of_a_woman():
    parts = parse_nik("1303045506900001")

    assert (parts.provinsi, parts.kabupaten, parts.kecamatan, parts.serial) == ("13", "13.03", "13.03.04", "0001")
    assert parts.jenis_kelamin == "PEREMPUAN"
    assert parts.tanggal_lahir == (dt.date(1990, 6, 15), dt.date(2090, 6, 15))


def test_parse_nik_of_a_man_born_2005():
    parts = parse_nik("1303041506050002")

    assert parts.jenis_kelamin == "LAKI-LAKI"
    assert parts.tanggal_lahir == (dt.date(1905, 6, 15), dt.date(2005, 6, 15))


@pytest.mark.parametrize(
    "nik", [None, "", "130304550690000", "13030455069000011", "1303045506900OO1", 1303045506900001]
)
def test_not_a_nik(nik):
    assert parse_nik(nik) is None
    assert nik_birth_date_valid(nik) is False


@pytest.mark.parametrize(
    ("nik", "valid"),
    [
        ("1303045506900001", True),  # woman, 15-06
        ("1303043506900001", False),  # day 35: neither a man's nor a woman's day
        ("1303040006900001", False),  # day 0
        ("1303041513900001", False),  # month 13
        ("1303042902000001", True),  # 29-02-2000 (1900 is not a leap year, 2000 is)
        ("1303046902000001", True),  # the same date for a woman
        ("1303042902010001", False),  # 29-02 in neither 1901 nor 2001
        ("1303047102900001", False),  # woman, 31-02
    ],
)
def test_nik_birth_date_valid(nik, valid):
    assert nik_birth_date_valid(nik) is valid
    assert nik_birth_date_valid_series(pd.Series([nik])).tolist() == [valid]


def test_vectorised_parse_agrees_with_parse_nik():
    niks = pd.Series(["1303045506900001", None, "abc", "1303042902000001", "1303043506900001"], index=[5, 6, 7, 8, 9])

    frame = parse_nik_series(niks)

    assert list(frame.index) == [5, 6, 7, 8, 9]
    assert frame.loc[5].tolist() == [
        "13",
        "13.03",
        "13.03.04",
        "PEREMPUAN",
        "0001",
        dt.date(1990, 6, 15),
        dt.date(2090, 6, 15),
    ]
    assert frame.loc[6].isna().all() and frame.loc[7].isna().all()
    assert frame.loc[8, "nik_tanggal_lahir_1900"] is None
    assert frame.loc[8, "nik_tanggal_lahir_2000"] == dt.date(2000, 2, 29)
    assert (
        frame.loc[9, "nik_kecamatan"] == "13.03.04"
        and frame.loc[9, ["nik_tanggal_lahir_1900", "nik_tanggal_lahir_2000"]].isna().all()
    )


@pytest.mark.parametrize(("left", "right", "near"), [
    ("1303040101800001", "1303040101800001", True),   # equal
    ("1303040101800001", "1303040101800007", True),   # one digit
    ("1303040101800001", "1330040101800001", True),   # two adjacent digits swapped
    ("1303040101800001", "1303040101809901", True),   # only the serial differs
    ("1303040101800001", "1303140101800011", False),  # two digits apart, not a swap, not only the serial
    ("1303040101800001", "1371020101800004", False),  # another kecamatan
    ("1303040101800001", None, False),
    ("1303040101800001", "130304010180001", False),   # 15 digits
])
def test_nik_near_is_one_keystroke_or_only_the_serial(left, right, near):
    assert nik_near(pd.Series([left]), pd.Series([right])).tolist() == [near]


def test_nik_near_is_vectorised_and_ignores_the_index():
    left = pd.Series(["1303040101800001", "1303040101800001"], index=[7, 9])
    right = pd.Series(["1371020101800004", "1303040101800002"], index=[0, 1])
    assert nik_near(left, right).tolist() == [False, True]
    assert nik_near(pd.Series([], dtype=object), pd.Series([], dtype=object)).tolist() == []


def test_niks_held_as_numbers_give_the_digits_and_nearness_of_their_texts():
    import numpy as np

    from include.sources.nik import digit_matrix, near_digits, nik_near, number_digits

    rng = np.random.default_rng(7)
    left = rng.integers(10**14, 10**16, 2_000)  # some with a leading zero once written in 16 digits
    right = left.copy()
    right[::3] += rng.integers(1, 10, len(right[::3]))  # the last digit (serial) changed
    right[1::3] += 10**rng.integers(0, 16, len(right[1::3]))  # one digit elsewhere raised
    right = np.where(right < 10**16, right, left)  # a NIK has 16 digits
    present_l, present_r = rng.random(len(left)) > 0.05, rng.random(len(left)) > 0.05
    texts = [pd.Series([f"{v:016d}" if p else None for v, p in zip(values, present, strict=True)], dtype=object)
             for values, present in ((left, present_l), (right, present_r))]
    ok, digits = number_digits(left, present_l)
    expected_ok, expected = digit_matrix(texts[0])
    assert (ok == expected_ok).all() and (digits[ok] == expected[ok]).all()
    near = near_digits(*number_digits(left, present_l), *number_digits(right, present_r))
    assert (near == nik_near(*texts)).all()
    assert 0 < near.sum() < len(near)
