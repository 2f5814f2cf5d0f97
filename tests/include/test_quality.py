"""Soft findings counted in numpy equal the same facts read NIK by NIK with parse_nik."""

from __future__ import annotations

import datetime as dt
import random

import pandas as pd

from include.quality import soft_findings
from include.sources.nik import PEREMPUAN, parse_nik
from include.wilayah import in_region


def _reference(frame: pd.DataFrame, region: str) -> dict[str, int]:
    counts = {"NIK_TANGGAL_BEDA_DENGAN_TANGGAL_LAHIR": 0, "NIK_JENIS_KELAMIN_BEDA": 0, "NIK_DI_LUAR_WILAYAH": 0}
    for nik, born, sex in zip(frame["nik"], frame["tanggal_lahir"], frame["jenis_kelamin"], strict=True):
        parts = parse_nik(nik)
        if parts is None:
            continue
        counts["NIK_TANGGAL_BEDA_DENGAN_TANGGAL_LAHIR"] += born is not None and born not in parts.tanggal_lahir
        counts["NIK_JENIS_KELAMIN_BEDA"] += parts.jenis_kelamin != sex
        counts["NIK_DI_LUAR_WILAYAH"] += not (in_region(parts.kabupaten, region) or in_region(region, parts.kabupaten))
    return counts


def _synthetic(rows: int, seed: int) -> pd.DataFrame:
    rng = random.Random(seed)
    niks, born, sexes = [], [], []
    for _ in range(rows):
        day = dt.date(1900, 1, 1) + dt.timedelta(days=rng.randrange(0, 200 * 365))
        female = rng.random() < 0.5
        dd = day.day + (40 if female else 0)
        if rng.random() < 0.05:  # a day that is no date (32, 00, 72)
            dd = rng.choice([0, 32, 72])
        mm = day.month if rng.random() < 0.9 else rng.randrange(0, 14)
        yy = day.year % 100 if rng.random() < 0.9 else rng.randrange(0, 100)
        prefix = rng.choice(["1303", "1371", "3201", "1303", "0000", "9971"])
        nik = f"{prefix}{rng.randrange(1, 30):02d}{dd:02d}{mm:02d}{yy:02d}{rng.randrange(1, 9999):04d}"
        niks.append(rng.choice([nik, nik, nik, None, nik[:15], "13030A" + nik[6:]]))
        born.append(rng.choice([day, day, day, None, day + dt.timedelta(days=1)]))
        sexes.append(rng.choice([PEREMPUAN if female else "LAKI-LAKI"] * 8 + [None, "LAKI-LAKI", PEREMPUAN]))
    return pd.DataFrame({"nik": niks, "tanggal_lahir": born, "jenis_kelamin": sexes, "alasan": "",
                         "padan_dukcapil": None})


def test_soft_findings_equal_a_row_by_row_reading_of_each_nik():
    frame = _synthetic(5000, seed=7)
    for region in ("13.03", "13", ""):
        got = soft_findings(frame, region).set_index("temuan")["jumlah"].to_dict()
        expected = _reference(frame, region)
        assert {k: got[k] for k in expected} == expected
        assert min(expected.values()) > 0 or region == ""  # every finding occurs in the sample


def test_quarantined_rows_are_not_counted():
    frame = _synthetic(500, seed=8)
    quarantined = frame.assign(alasan="NIK_FORMAT")
    counts = soft_findings(quarantined, "13.03").set_index("temuan")["jumlah"]
    assert counts.sum() == 0
