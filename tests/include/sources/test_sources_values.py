"""values: the value conventions of the normalised frames, cell by cell."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from include.sources import values


def cells(*items: object) -> pd.Series:
    return pd.Series(list(items), dtype=object)


def text(*items: str) -> pd.Series:
    """A CSV column: every cell is text."""
    return pd.Series(list(items), dtype="str")


def test_nik_text_is_cleaned_to_digits():
    raw = text(" 1303 0455 0690 0001 ", "'1303045506900001", "", "13030455069000AB")

    assert values.id_text(raw).tolist() == ["1303045506900001", "1303045506900001", None, "13030455069000AB"]
    assert values.nik_damaged(raw).tolist() == [False, False, False, False]


def test_nik_number_cell_is_digits_and_damaged():
    raw = cells(1303045506900000, 1.3030455069e15, "1303045506900001", None)

    assert values.id_text(raw).tolist() == ["1303045506900000", "1303045506900000", "1303045506900001", None]
    assert values.nik_damaged(raw).tolist() == [True, True, False, False]


@pytest.mark.parametrize("damaged", ["1.30304E+15", "1,30304E+15", "1.30304550690000e+15", "130304550690000.0"])
def test_nik_excel_damage_in_text(damaged):
    for raw in (text(damaged), cells(damaged, 5)):
        assert values.nik_damaged(raw).tolist()[0] is True
        assert values.id_text(raw).tolist()[0] == damaged  # kept as given, for the fix-the-source list


def test_kpj_keeps_leading_zeros():
    assert values.id_text(text("00012345678", "'00012345678", "000 1234 5678")).tolist() == ["00012345678"] * 3
    assert values.id_text(cells("00012345678", 1)).tolist() == ["00012345678", "1"]


@pytest.mark.parametrize("raw", ["2025-07-01", "01-07-2025", "01/07/2025", "1/7/2025", "2025-07-01 00:00:00"])
def test_date_text_forms(raw):
    for column in (text(raw), cells(raw)):
        for xlsx in (True, False):
            dates, unreadable = values.parse_dates(column, allow_serial=xlsx)
            assert dates.tolist() == [dt.date(2025, 7, 1)] and unreadable.tolist() == [False]


def test_xlsx_date_cells_and_excel_serials():
    raw = cells(dt.datetime(2025, 7, 1), dt.date(2025, 7, 2), 45839, 45839.75, "45839", 61, 1)

    dates, unreadable = values.parse_dates(raw, allow_serial=True)

    assert dates.tolist() == [
        dt.date(2025, 7, 1),
        dt.date(2025, 7, 2),
        dt.date(2025, 7, 1),
        dt.date(2025, 7, 1),
        dt.date(2025, 7, 1),
        dt.date(1900, 3, 1),
        dt.date(1900, 1, 1),
    ]
    assert not unreadable.any()


def test_serial_digits_are_not_a_date_in_csv():
    dates, unreadable = values.parse_dates(text("45839"), allow_serial=False)

    assert dates.tolist() == [None] and unreadable.tolist() == [True]


def test_unreadable_and_missing_dates():
    raw = cells("31/02/2025", "2025/07/01", "kemarin", "", None, 0, 60)

    dates, unreadable = values.parse_dates(raw, allow_serial=True)

    assert dates.tolist() == [None] * 7
    assert unreadable.tolist() == [True, True, True, False, False, True, True]


@pytest.mark.parametrize(
    ("raw", "amount"),
    [
        ("1000000", 1_000_000),
        ("Rp 1.000.000", 1_000_000),
        ("Rp1.000.000", 1_000_000),
        ("rp. 2.500.000", 2_500_000),
        (" 1 000 000 ", 1_000_000),
        ("1.000", 1_000),
        ("0", 0),
        (1_000_000.0, 1_000_000),
        (1_500_000, 1_500_000),
        ("-1000000", None),
        ("1000000,50", None),
        ("1.000.000,00", None),
        ("1000000.5", None),
        (1_000_000.5, None),
        (-5, None),
        ("10.00", None),
        ("satu juta", None),
        ("", None),
        (None, None),
    ],
)
def test_rupiah_forms(raw, amount):
    amounts, source = values.rupiah(cells(raw))

    assert str(amounts.dtype) == "Int64"
    if amount is None:
        assert pd.isna(amounts.iloc[0])
    else:
        assert amounts.iloc[0] == amount
    assert source.tolist()[0] == values.cell_text(raw)


def test_jenis_kelamin():
    raw = text("L", "p", " Laki-Laki ", "PEREMPUAN", "Pria", "")

    assert values.jenis_kelamin(raw).tolist() == ["LAKI-LAKI", "PEREMPUAN", "LAKI-LAKI", "PEREMPUAN", "PRIA", None]


def test_kode_kemdagri():
    raw = cells("1303042001", "13.03.04.2001", " 13.03.04.2001 ", 1303042001, "13-03-04", "", None)

    assert values.kode_kemdagri(raw).tolist() == [
        "13.03.04.2001",
        "13.03.04.2001",
        "13.03.04.2001",
        "13.03.04.2001",
        "13-03-04",
        None,
        None,
    ]


def test_desil():
    desil, source = values.desil(cells("1", "Desil 2", "DESIL 3", 4, 2.0, "5", "0", "Desil", "", None))

    assert desil.tolist() == [1, 2, 3, 4, 2, pd.NA, pd.NA, pd.NA, pd.NA, pd.NA]
    assert source.tolist() == ["1", "Desil 2", "DESIL 3", "4", "2", "5", "0", "Desil", None, None]


def test_text_cleanup_keeps_empty_as_none():
    assert values.clean_text(text("  Siti  ", "", "   ")).tolist() == ["Siti", None, None]
    assert values.clean_text(cells(" a ", 3, 3.0, 2.5, dt.datetime(2020, 1, 1), None)).tolist() == [
        "a",
        "3",
        "3",
        "2.5",
        "2020-01-01",
        None,
    ]
    assert values.upper_text(text(" aktif ", "")).tolist() == ["AKTIF", None]
