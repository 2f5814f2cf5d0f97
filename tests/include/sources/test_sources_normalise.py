"""The four sources: real files -> read_table -> normalise -> the frames of COMMON.md."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from include.sources import SOURCES, klaim, p3ke, peserta, tinjauan
from include.sources.common import read_table

SHA = "ab" * 32


def normalised(module, data: bytes, berkas: str) -> pd.DataFrame:
    raw = read_table(data, f"{module.SPEC.folder}/{berkas}", module.SPEC.required)
    return module.normalise(raw, berkas, SHA)


def test_sources_registry_has_the_landing_folders():
    assert {name: module.SPEC.folder for name, module in SOURCES.items()} == {
        "p3ke": "p3ke",
        "peserta": "bpjs/peserta",
        "klaim": "bpjs/klaim",
        "tinjauan": "tinjauan",
    }
    assert [m.SPEC.latest_only for m in SOURCES.values()] == [False, True, False, False]


def test_p3ke_official_export_with_title_rows(make_xlsx):
    header = [
        "ID Keluarga P3KE",
        "ID Individu",
        "Nama",
        "NIK",
        "JK",
        "Tgl Lahir",
        "Kode Kemendagri",
        "Desil",
        "Pekerjaan",
        "Kabupaten/Kota",
        "Catatan",
    ]
    rows = [
        ["DATA P3KE KABUPATEN SIJUNJUNG"],
        None,
        header,
        [
            "K1",
            "I1",
            " Siti Aminah ",
            "'1303045506900001",
            "p",
            dt.datetime(1990, 6, 15),
            "1303042001",
            "Desil 1",
            "Petani",
            "SIJUNJUNG",
            None,
        ],
        ["K1", "I2", "Budi", 1303041506900000, "L", 33039, 1303042001, 2, "BURUH", None, "x"],
        ["K2", "I3", "Ani", "1.30304E+15", "Wanita", "15-06-1990", "13.03.99.9999", "Desil 9", None, None, None],
    ]

    frame = normalised(p3ke, make_xlsx(rows, merges=["A1:K2"]), "kec_kupitan.xlsx")

    assert list(frame.columns) == [
        "berkas",
        "baris",
        "sha256",
        "id_keluarga_p3ke",
        "id_individu",
        "nama",
        "nik",
        "nik_rusak_excel",
        "jenis_kelamin",
        "tanggal_lahir",
        "tanggal_lahir_tidak_terbaca",
        "kode_kemdagri",
        "desil_kesejahteraan",
        "desil_kesejahteraan_mentah",
        "pekerjaan",
        "kabupaten_kota",
        "catatan",
    ]
    assert isinstance(frame.index, pd.RangeIndex)
    assert frame["berkas"].tolist() == ["kec_kupitan.xlsx"] * 3 and frame["sha256"].tolist() == [SHA] * 3
    assert frame["baris"].tolist() == [4, 5, 6]
    assert frame["nama"].tolist() == ["Siti Aminah", "Budi", "Ani"]
    assert frame["nik"].tolist() == ["1303045506900001", "1303041506900000", "1.30304E+15"]
    assert frame["nik_rusak_excel"].tolist() == [False, True, True]
    assert frame["jenis_kelamin"].tolist() == ["PEREMPUAN", "LAKI-LAKI", "WANITA"]
    assert frame["tanggal_lahir"].tolist() == [dt.date(1990, 6, 15)] * 3
    assert frame["kode_kemdagri"].tolist() == ["13.03.04.2001", "13.03.04.2001", "13.03.99.9999"]
    assert frame["desil_kesejahteraan"].tolist() == [1, 2, pd.NA]
    assert frame["desil_kesejahteraan_mentah"].tolist() == ["Desil 1", "2", "Desil 9"]
    assert frame["pekerjaan"].tolist() == ["Petani", "BURUH", None]
    assert frame["kabupaten_kota"].tolist() == ["SIJUNJUNG", None, None]
    assert frame["catatan"].tolist() == [None, "x", None]
    assert frame["nik_rusak_excel"].dtype == bool and frame["tanggal_lahir_tidak_terbaca"].dtype == bool


def test_peserta_csv_without_optional_columns(make_csv):
    lines = [
        "No KPJ;NIK;Nama;Tanggal Lahir;Jenis Kelamin;Kode Kemdagri;Tanggal Kepesertaan;Status Kepesertaan;"
        "Sumber Dana;Upah Dilaporkan",
        "00012345678;1303045506900001;Siti;15/06/1990;P;1303042001;2022-03-01;aktif;apbd;Rp 1.000.000",
        "'00012345679;1.30304E+15;Budi;1990-13-01;L;1303042001;01-03-2022;NONAKTIF;CSR;1.000.000,50",
    ]

    frame = normalised(peserta, make_csv(lines), "peserta_2025_07.csv")

    assert list(frame.columns) == [
        "berkas",
        "baris",
        "sha256",
        "kpj",
        "nik",
        "nik_rusak_excel",
        "nama",
        "tanggal_lahir",
        "tanggal_lahir_tidak_terbaca",
        "jenis_kelamin",
        "kode_kemdagri",
        "tanggal_kepesertaan",
        "tanggal_kepesertaan_tidak_terbaca",
        "status_kepesertaan",
        "sumber_dana",
        "upah_dilaporkan",
        "upah_dilaporkan_mentah",
        "tanggal_nonaktif",
        "tanggal_nonaktif_tidak_terbaca",
        "alasan_nonaktif",
    ]
    assert frame["kpj"].tolist() == ["00012345678", "00012345679"]
    assert frame["nik_rusak_excel"].tolist() == [False, True]
    assert frame["tanggal_lahir"].tolist() == [dt.date(1990, 6, 15), None]
    assert frame["tanggal_lahir_tidak_terbaca"].tolist() == [False, True]
    assert frame["tanggal_kepesertaan"].tolist() == [dt.date(2022, 3, 1)] * 2
    assert frame["status_kepesertaan"].tolist() == ["AKTIF", "NONAKTIF"]
    assert frame["sumber_dana"].tolist() == ["APBD", "CSR"]
    assert frame["upah_dilaporkan"].tolist() == [1_000_000, pd.NA]
    assert frame["upah_dilaporkan_mentah"].tolist() == ["Rp 1.000.000", "1.000.000,50"]
    assert frame["tanggal_nonaktif"].tolist() == [None, None]
    assert frame["tanggal_nonaktif_tidak_terbaca"].tolist() == [False, False]
    assert frame["alasan_nonaktif"].tolist() == [None, None]


def test_peserta_nonaktif_columns_when_present(make_xlsx):
    header = [
        "kpj",
        "nik",
        "nama",
        "tanggal_lahir",
        "jenis_kelamin",
        "kode_kemdagri",
        "tanggal_kepesertaan",
        "status_kepesertaan",
        "sumber_dana",
        "upah_dilaporkan",
        "tanggal_nonaktif",
        "alasan_nonaktif",
    ]
    row = [
        "00012345678",
        "1303045506900001",
        "Siti",
        "1990-06-15",
        "P",
        "1303042001",
        44621,
        "NONAKTIF",
        "APB_NAGARI",
        1_000_000,
        "31/12/2024",
        " meninggal ",
    ]

    frame = normalised(peserta, make_xlsx([header, row]), "peserta.xlsx")

    assert frame.loc[0, "tanggal_kepesertaan"] == dt.date(2022, 3, 1)
    assert frame.loc[0, "upah_dilaporkan"] == 1_000_000
    assert frame.loc[0, "tanggal_nonaktif"] == dt.date(2024, 12, 31)
    assert frame.loc[0, "alasan_nonaktif"] == "MENINGGAL"


def test_klaim(make_csv):
    lines = [
        "kpj,nik,jenis_klaim,tanggal_kejadian,tanggal_bayar,nilai_manfaat",
        '00012345678,1303045506900001,jkm,2025-06-20,2025-07-03,"Rp 42.000.000"',
    ]

    frame = normalised(klaim, make_csv(lines), "klaim_2025_07.csv")

    assert list(frame.columns) == [
        "berkas",
        "baris",
        "sha256",
        "kpj",
        "nik",
        "jenis_klaim",
        "tanggal_kejadian",
        "tanggal_kejadian_tidak_terbaca",
        "tanggal_bayar",
        "tanggal_bayar_tidak_terbaca",
        "nilai_manfaat",
        "nilai_manfaat_mentah",
    ]
    assert frame.iloc[0][["kpj", "jenis_klaim", "tanggal_bayar", "nilai_manfaat"]].tolist() == [
        "00012345678",
        "JKM",
        dt.date(2025, 7, 3),
        42_000_000,
    ]


def test_tinjauan(make_csv):
    frame = normalised(tinjauan, make_csv(["ID Individu,Kandidat KPJ,Keputusan", "I1,'00012345678, sama "]), "t.csv")

    assert list(frame.columns) == ["berkas", "baris", "sha256", "id_individu", "kandidat_kpj", "keputusan"]
    assert frame.iloc[0][["id_individu", "kandidat_kpj", "keputusan"]].tolist() == ["I1", "00012345678", "SAMA"]
