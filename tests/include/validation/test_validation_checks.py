"""The derived check columns and the month-dependent birth-date window."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from include.validation import birth_date_window_reasons
from include.validation.checks import kpj_dikenal, kpj_ke, kpj_ke_in_file, nik_tanggal_valid, wilayah_status


def test_nik_tanggal_valid_reads_ddmmyy_with_women_plus_40_in_either_century():
    nik = pd.Series(
        [
            "1303041506900001",
            "1303045506900001",
            "1303043206900001",
            "1303047206900001",
            "1303042902000001",
            "1303042902010001",
            "1303043113990001",
            "13030415069",
            None,
            "1.30304E+15",
        ]
    )
    assert nik_tanggal_valid(nik).tolist() == [True, True, False, False, True, False, False, None, None, None]


def test_wilayah_status_knows_desa_codes_and_the_region():
    kode = pd.Series(["13.03.03.2001", "1303032001", "11.01.01.2001", "13.03.03", "99.99.99.9999", None, "abc"])
    assert wilayah_status(kode, "13.03").tolist() == [
        "DI_REGION",
        "DI_REGION",
        "DI_LUAR",
        "TIDAK_DIKENAL",
        "TIDAK_DIKENAL",
        "TIDAK_DIKENAL",
        "TIDAK_DIKENAL",
    ]
    assert wilayah_status(kode, "").tolist()[:3] == ["DI_REGION", "DI_REGION", "DI_REGION"]
    assert wilayah_status(kode, "13.03.03").tolist()[0] == "DI_REGION"


def test_kpj_ke_of_a_whole_file_from_arrow_counts_as_kpj_ke_does():
    """A roster validated in parts gets each part's slice of the file's numbers: the same as kpj_ke's."""
    import pyarrow as pa

    values = ["2", "1", "2", None, "1", "", "3", "2", "", "1"]
    expected = kpj_ke(pd.Series(values, dtype=object), pd.Series(["a.csv"] * len(values)))
    chunked = pa.chunked_array([pa.array(values[:4], pa.string()), pa.array(values[4:], pa.string())])

    found = kpj_ke_in_file(chunked)

    assert found.dtype == "Int64"
    assert found.tolist() == expected.tolist() == [1, 1, 2, pd.NA, 2, 1, 1, 3, 2, 3]


def test_kpj_ke_counts_occurrences_per_file():
    kpj = pd.Series(["1", "2", "1", None, "1", "1"], index=[9, 8, 7, 6, 5, 4])
    berkas = pd.Series(["a", "a", "a", "a", "a", "b"], index=kpj.index)
    assert kpj_ke(kpj, berkas).tolist() == [1, 1, 2, pd.NA, 3, 1]
    assert kpj_ke(kpj).tolist() == [1, 1, 2, pd.NA, 3, 4]


def test_kpj_dikenal():
    assert kpj_dikenal(pd.Series(["1", "2", None]), {"2"}).tolist() == [False, True, False]


def test_birth_date_window_flags_future_dates_and_ages_over_120():
    ref = dt.date(2025, 7, 31)
    born = pd.Series(
        [
            dt.date(2025, 7, 31),
            dt.date(2025, 8, 1),
            dt.date(1905, 7, 31),
            dt.date(1905, 8, 1),
            dt.date(1904, 7, 31),
            None,
            dt.datetime(2030, 1, 1),
            "2026-01-01",
            pd.NaT,
        ],
        index=list("abcdefghi"),
    )
    flags = birth_date_window_reasons(born, ref)
    assert flags.dtype == bool and list(flags.index) == list("abcdefghi")
    # 1905-07-31 is exactly 120 on the reference date (allowed); 1904-07-31 is 121.
    assert flags.tolist() == [False, True, False, False, True, False, True, True, False]
