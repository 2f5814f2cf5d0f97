import json

import numpy as np
import pandas as pd
import pytest

from include.model import KARANTINA_COLUMNS, REKAP_COLUMNS
from include.reports.writer import ReportWriteError, render_ringkasan, write_reports


def test_rincian_csv_bytes_are_exactly_the_contract(tmp_path, report_data):
    write_reports(tmp_path, report_data)
    content = (tmp_path / "rincian_iuran.csv").read_bytes()
    assert content == (
        b"periode,kpj,nik,nama,kode_kemdagri,kecamatan,desa_kelurahan,sumber_dana,upah_dilaporkan,"
        b"iuran_jkk,iuran_jkm,total_iuran,status_tagihan\n"
        b"2025-07,00012345678,1303041203850001,Budi Contoh,13.03.04.2001,KUPITAN,PAMUATAN,APBD,"
        b"1000000,10000,6800,16800,LANJUTAN\n"
        b'2025-07,12345678901,1303045507900002,"Rina ""Uni"", Sampel",13.03.04.2002,KUPITAN,PADANG LAWEH,APBD,'
        b"1000000,10000,6800,16800,BARU\n"
        b"2025-07,22345678901,,Joni <b>Uji</b>,,TIDAK DIKETAHUI,,CSR,1000000,10000,6800,16800,LANJUTAN\n"
    )
    assert not content.startswith(b"\xef\xbb\xbf")
    assert b"\r" not in content


def test_amounts_read_back_from_sql_as_floats_or_nullable_ints_stay_integers(tmp_path, report_data):
    rekap = report_data.rekap.copy()
    for column in ("jumlah_peserta", "iuran_jkk", "iuran_jkm"):
        rekap[column] = rekap[column].astype("float64")
    rekap["peserta_baru"] = pd.array([1, pd.NA], dtype="Int64")
    rekap["total_iuran"] = rekap["total_iuran"].astype(np.int64)
    report_data.rekap = rekap
    write_reports(tmp_path, report_data)
    assert (tmp_path / "rekap_iuran.csv").read_text(encoding="utf-8") == (
        "periode,kode_kecamatan,kecamatan,sumber_dana,jumlah_peserta,peserta_baru,iuran_jkk,iuran_jkm,total_iuran\n"
        "2025-07,13.03.04,KUPITAN,APBD,2,1,20000,13600,33600\n"
        "2025-07,,TIDAK DIKETAHUI,CSR,1,,10000,6800,16800\n"
    )


def test_rows_keep_the_given_order_and_probability_has_four_decimals(tmp_path, report_data):
    report_data.tinjauan = report_data.tinjauan.iloc[::-1].reset_index(drop=True)
    write_reports(tmp_path, report_data)
    lines = (tmp_path / "perlu_tinjauan.csv").read_text(encoding="utf-8").splitlines()
    assert lines[0] == (
        "periode,id_individu,nik,nama,tanggal_lahir,kode_kemdagri,kandidat_kpj,kandidat_nik,kandidat_nama,"
        "kandidat_tanggal_lahir,probabilitas,alasan"
    )
    assert [line.split(",")[1] for line in lines[1:]] == ["P-0006", "P-0005"]
    assert lines[1].split(",")[6] == ""  # P3KE-internal pair: no kandidat_kpj
    assert [line.split(",")[10] for line in lines[1:]] == ["0.5000", "0.8735"]


def test_empty_frames_write_the_header_only(tmp_path, make_data):
    write_reports(tmp_path, make_data(empty_lists=True))
    assert (tmp_path / "karantina.csv").read_bytes() == (",".join(KARANTINA_COLUMNS) + "\n").encode()


def test_a_missing_column_names_the_file_and_the_column(tmp_path, report_data):
    report_data.rekap = report_data.rekap.drop(columns=["peserta_baru"])
    with pytest.raises(ReportWriteError, match=r"rekap_iuran\.csv.*peserta_baru"):
        write_reports(tmp_path, report_data)
    assert list(tmp_path.iterdir()) == []


def test_a_fractional_amount_is_refused_without_showing_personal_data(tmp_path, report_data):
    report_data.rincian["total_iuran"] = [16800.0, 16800.5, 16800.0]
    with pytest.raises(ReportWriteError) as error:
        write_reports(tmp_path, report_data)
    message = str(error.value)
    assert "rincian_iuran.csv" in message and "row 2" in message and "total_iuran" in message
    assert "Rina" not in message and "1303045507900002" not in message


def test_ringkasan_round_trips_with_the_contract_key_order(tmp_path, report_data):
    write_reports(tmp_path, report_data)
    text = (tmp_path / "ringkasan.json").read_text(encoding="utf-8")
    assert json.loads(text) == report_data.ringkasan
    assert text.startswith('{\n  "periode": "2025-07",\n  "p3ke": {\n    "baris_masuk": 9,')
    assert list(json.loads(text)) == ["periode", "p3ke", "peserta", "iuran", "klaim", "kumulatif", "anggaran"]
    assert list(json.loads(text)["anggaran"]) == ["tahun", "pagu", "realisasi", "persen"]


def test_ringkasan_from_the_warehouse_sorted_and_with_numpy_numbers_is_reordered(report_data):
    scrambled = json.loads(json.dumps(report_data.ringkasan, sort_keys=True))
    scrambled["peserta"]["ditagih"] = np.int64(3)
    scrambled["anggaran"]["pagu"] = None
    scrambled["anggaran"]["persen"] = None
    parsed = json.loads(render_ringkasan(scrambled))
    assert list(parsed["iuran"]["per_sumber_dana"]) == ["APBD", "APB_NAGARI", "CSR", "MANDIRI"]
    assert list(parsed["kumulatif"]) == ["periode_awal", "total_iuran", "kasus_klaim", "nilai_manfaat"]
    assert parsed["peserta"]["ditagih"] == 3
    assert parsed["anggaran"]["pagu"] is None and parsed["anggaran"]["persen"] is None


def test_rekap_columns_are_written_in_model_order(tmp_path, report_data):
    report_data.rekap = report_data.rekap[list(reversed(REKAP_COLUMNS))]
    write_reports(tmp_path, report_data)
    header = (tmp_path / "rekap_iuran.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header == ",".join(REKAP_COLUMNS)
