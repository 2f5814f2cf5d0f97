"""read_report_data: the report frames, typed and sorted as CONTRACTS.md says, the same on every backend."""

from __future__ import annotations

import pandas as pd
import pytest

from include.model import (
    BOBOT_COLUMNS,
    CALON_COLUMNS,
    IURAN_BULANAN_COLUMNS,
    KARANTINA_COLUMNS,
    KUALITAS_COLUMNS,
    REKAP_COLUMNS,
    RINCIAN_COLUMNS,
    TINJAUAN_COLUMNS,
)
from include.warehouse import create_schema, get_engine, load_period, load_snapshot, read_report_data

ROSTER = "peserta_2025_07.csv"  # the synthetic roster file of conftest.py

REPORT_COLUMNS = {
    "rincian": RINCIAN_COLUMNS, "rekap": REKAP_COLUMNS, "calon": CALON_COLUMNS, "tinjauan": TINJAUAN_COLUMNS,
    "karantina": KARANTINA_COLUMNS, "kualitas": KUALITAS_COLUMNS, "iuran_bulanan": IURAN_BULANAN_COLUMNS,
    "bobot": BOBOT_COLUMNS,
}
INT_COLUMNS = {
    "upah_dilaporkan", "iuran_jkk", "iuran_jkm", "total_iuran", "jumlah_peserta", "peserta_baru",
    "desil_kesejahteraan", "prioritas", "baris", "jumlah", "iuran_apbd",
}
FLOAT_COLUMNS = {"probabilitas", "bobot_dari", "bobot_sampai"}


def _records(frame: pd.DataFrame) -> list[tuple]:
    """Rows as plain tuples, missing cells as None (so input and output frames compare by value)."""
    plain = frame.astype(object)
    return [tuple(None if pd.isna(v) else v for v in row) for row in plain.itertuples(index=False)]


def _sorted(frame: pd.DataFrame, columns: list[str], by: list[str]) -> list[tuple]:
    return _records(frame[columns].sort_values(by, na_position="first", kind="stable"))


def test_report_frames_round_trip_with_report_columns_types_and_order(engine, make_result):
    result = make_result()
    load_period(engine, result, "run-1")

    data = read_report_data(engine, "2025-07")

    for field, columns in REPORT_COLUMNS.items():
        frame = getattr(data, field)
        assert list(frame.columns) == columns, field
        assert isinstance(frame.index, pd.RangeIndex), field
        for column in columns:
            expected = "int64" if column in INT_COLUMNS else "float64" if column in FLOAT_COLUMNS else "str"
            assert frame[column].dtype == expected, (field, column)
    assert data.periode == "2025-07"
    assert data.ringkasan == result.ringkasan
    assert _records(data.rincian) == _sorted(result.rincian, RINCIAN_COLUMNS, ["kpj"])
    assert _records(data.calon) == _sorted(result.calon, CALON_COLUMNS, ["prioritas"])
    assert _records(data.karantina) == _sorted(result.karantina, KARANTINA_COLUMNS, ["sumber", "berkas", "baris"])
    assert _records(data.kualitas) == _sorted(result.kualitas, KUALITAS_COLUMNS, ["sumber", "temuan"])
    assert _records(data.iuran_bulanan) == _sorted(result.iuran_bulanan, IURAN_BULANAN_COLUMNS, ["periode"])
    assert _records(data.tinjauan) == _sorted(
        result.tinjauan, TINJAUAN_COLUMNS, ["id_individu", "kandidat_kpj", "kandidat_nik"]
    )
    assert _records(data.bobot) == _sorted(result.bobot, BOBOT_COLUMNS, ["bobot_dari"])


def test_sort_orders_follow_the_contract(engine, make_result):
    load_period(engine, make_result(), "run-1")

    data = read_report_data(engine, "2025-07")

    assert list(data.rincian["kpj"]) == ["00000000011", "00000000022", "00000000033", "00000000044", "00000000055"]
    assert list(data.calon["prioritas"]) == [1, 2, 3]
    assert list(data.calon["id_individu"]) == ["P-0004", "P-0005", "P-0009"]
    # byte order ('B' < 'a'), whatever the database's locale; a missing kandidat_kpj first
    assert list(data.tinjauan["id_individu"]) == ["B-10", "a-3", "b-7", "b-7"]
    assert data.tinjauan["kandidat_kpj"].isna().tolist() == [True, False, True, False]
    # baris as a number: 2, 9, 10 (text would give 10, 2, 9)
    assert list(data.karantina[["sumber", "berkas", "baris"]].itertuples(index=False, name=None)) == [
        ("klaim", "klaim_2025.csv", 4),
        ("p3ke", "Kec_A.xlsx", 12),
        ("p3ke", "kec_b.xlsx", 2),
        ("p3ke", "kec_b.xlsx", 9),
        ("p3ke", "kec_b.xlsx", 10),
        ("peserta", ROSTER, 8),
    ]
    assert list(data.iuran_bulanan["periode"]) == ["2025-05", "2025-06", "2025-07"]
    assert list(data.bobot["bobot_dari"]) == [-10.0, -5.0, 0.0, 4.247927513443585]


def test_rekap_groups_rincian_per_kecamatan_and_sumber_dana(engine, make_result):
    load_period(engine, make_result(), "run-1")

    data = read_report_data(engine, "2025-07")
    rekap, rincian = data.rekap, data.rincian

    assert _records(rekap[["kode_kecamatan", "kecamatan", "sumber_dana", "jumlah_peserta", "peserta_baru"]]) == [
        ("", "TIDAK DIKETAHUI", "CSR", 1, 1),
        ("13.03.04", "Sijunjung", "APBD", 2, 1),
        ("13.03.06", "Kamang Baru", "APB_NAGARI", 1, 0),
        ("13.03.06", "Kamang Baru", "MANDIRI", 1, 0),
    ]
    assert set(rekap["periode"]) == {"2025-07"}
    for column in ("iuran_jkk", "iuran_jkm", "total_iuran"):
        assert rekap[column].sum() == rincian[column].sum()
        per_group = rincian.groupby(["kecamatan", "sumber_dana"])[column].sum()
        assert rekap.set_index(["kecamatan", "sumber_dana"])[column].to_dict() == per_group.to_dict()
    assert rekap["jumlah_peserta"].sum() == len(rincian)
    assert rekap["peserta_baru"].sum() == (rincian["status_tagihan"] == "BARU").sum() == 2
    assert (rekap["total_iuran"] == rekap["iuran_jkk"] + rekap["iuran_jkm"]).all()


def test_empty_frames_read_back_with_their_columns(engine, make_result):
    result = make_result()
    result.tinjauan = pd.DataFrame()
    result.calon = result.calon.iloc[0:0]
    result.bobot = result.bobot.iloc[0:0]  # a run that scored no candidate pair
    load_period(engine, result, "run-1")

    data = read_report_data(engine, "2025-07")

    assert data.tinjauan.empty and list(data.tinjauan.columns) == TINJAUAN_COLUMNS
    assert data.calon.empty and list(data.calon.columns) == CALON_COLUMNS
    assert data.calon["prioritas"].dtype == "int64" and data.tinjauan["probabilitas"].dtype == "float64"
    assert data.bobot.empty and list(data.bobot.columns) == BOBOT_COLUMNS
    assert data.bobot["bobot_dari"].dtype == "float64" and data.bobot["jumlah"].dtype == "int64"


def test_a_month_never_loaded_is_reported_as_missing(engine, make_result):
    load_period(engine, make_result("2025-06"), "run-1")

    with pytest.raises(LookupError, match="nothing for periode 2025-07"):
        read_report_data(engine, "2025-07")
    with pytest.raises(ValueError, match="YYYY-MM"):
        read_report_data(engine, "Juli 2025")


@pytest.mark.postgres
def test_sqlite_and_postgresql_give_identical_frames(sqlite_url, postgres_url, make_result, make_snapshot):
    data = {}
    for url in (sqlite_url, postgres_url):
        engine = get_engine(url)
        create_schema(engine)
        load_snapshot(engine, make_snapshot(), "run-1")
        for periode in ("2025-06", "2025-07"):
            load_period(engine, make_result(periode), "run-1")
        data[url] = read_report_data(engine, "2025-07")
        engine.dispose()

    lite, pg = data[sqlite_url], data[postgres_url]
    for field in REPORT_COLUMNS:
        pd.testing.assert_frame_equal(getattr(lite, field), getattr(pg, field), check_exact=True, obj=field)
    assert lite.ringkasan == pg.ringkasan
