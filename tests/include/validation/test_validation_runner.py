"""validate_rows: every hard rule gives its reason code to exactly the rows that break it."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from _validation_frames import DESA_LUAR, frame, klaim_row, p3ke_row, peserta_row, tinjauan_row

from include.policy import default_policy
from include.validation import validate_rows


def run(source: str, rows: list[dict], **kwargs: object):
    kwargs.setdefault("region", "13.03")
    return validate_rows(source, frame(rows), run_name="uji", docs_dir=None, **kwargs)


P3KE_CASES = {
    "": {},
    "NIK_KOSONG": {"nik": None},
    "NIK_FORMAT": {"nik": "13030455069000"},
    "NIK_TANGGAL": {"nik": "1303043206900001"},  # day 32: neither a man's nor a woman's day
    "NIK_RUSAK_EXCEL": {"nik": "1.30304E+15", "nik_rusak_excel": True},
    "NAMA_KOSONG": {"nama": None},
    "TANGGAL_LAHIR_TIDAK_VALID": {"tanggal_lahir": None, "tanggal_lahir_tidak_terbaca": True},
    "JENIS_KELAMIN_TIDAK_VALID": {"jenis_kelamin": "X"},
    "DESIL_TIDAK_VALID": {"desil_kesejahteraan": None, "desil_kesejahteraan_mentah": "Desil 7"},
    "WILAYAH_TIDAK_VALID": {"kode_kemdagri": "13.03.99.2999"},
    "WILAYAH_DI_LUAR": {"kode_kemdagri": DESA_LUAR},
    "ID_KOSONG": {"id_individu": None},
}


def test_each_p3ke_rule_flags_exactly_its_rows():
    result = run("p3ke", [p3ke_row(**change) for change in P3KE_CASES.values()])
    assert result.alasan.tolist() == list(P3KE_CASES)
    assert result.peringatan.tolist() == [""] * len(P3KE_CASES)
    assert {code: n for code, n in result.rule_counts.items() if n} == {c: 1 for c in P3KE_CASES if c}
    assert result.karantina.tolist() == [False] + [True] * (len(P3KE_CASES) - 1)


def test_p3ke_null_and_out_of_set_values_give_the_same_code():
    rows = [
        p3ke_row(jenis_kelamin=None),
        p3ke_row(desil_kesejahteraan=5),
        p3ke_row(kode_kemdagri=None),
        p3ke_row(kode_kemdagri="13.03.03"),
        p3ke_row(kode_kemdagri="bukan kode"),
    ]
    assert run("p3ke", rows).alasan.tolist() == [
        "JENIS_KELAMIN_TIDAK_VALID",
        "DESIL_TIDAK_VALID",
        "WILAYAH_TIDAK_VALID",
        "WILAYAH_TIDAK_VALID",
        "WILAYAH_TIDAK_VALID",
    ]


def test_codes_are_sorted_and_joined_and_excel_damage_replaces_other_nik_codes():
    rows = [
        p3ke_row(nama=None, nik=None, jenis_kelamin="L?", id_individu=None),
        p3ke_row(nik="1303040101900000", nik_rusak_excel=True, nama=None),  # 16 digits but Excel-damaged
        p3ke_row(nik=None, nik_rusak_excel=True),
        p3ke_row(nik="1303044002010001"),  # day 40 -> invalid; 29-02 checks below
        p3ke_row(nik="1303042902000001"),  # 29-02-2000 valid (leap year in the 20xx century)
        p3ke_row(nik="1303042902010001"),  # 29-02-1901 and 29-02-2001 both invalid
    ]
    assert run("p3ke", rows).alasan.tolist() == [
        "ID_KOSONG|JENIS_KELAMIN_TIDAK_VALID|NAMA_KOSONG|NIK_KOSONG",
        "NAMA_KOSONG|NIK_RUSAK_EXCEL",
        "NIK_RUSAK_EXCEL",
        "NIK_TANGGAL",
        "",
        "NIK_TANGGAL",
    ]


def test_empty_region_serves_all_indonesia():
    result = run("p3ke", [p3ke_row(kode_kemdagri=DESA_LUAR)], region="")
    assert result.alasan.tolist() == [""]


def test_results_are_aligned_to_the_frame_index_and_accept_string_dtype():
    data = frame([p3ke_row(), p3ke_row(nama=None), p3ke_row(nik="12")])
    data.index = [10, 5, 7]
    for column in ("nama", "nik", "jenis_kelamin", "kode_kemdagri", "id_individu"):
        data[column] = data[column].astype("string")
    result = validate_rows("p3ke", data, region="13.03", run_name="uji", docs_dir=None)
    assert result.alasan.to_dict() == {10: "", 5: "NAMA_KOSONG", 7: "NIK_FORMAT"}
    assert list(result.peringatan.index) == [10, 5, 7]


def test_roster_rules():
    minimum = default_policy().upah_minimum
    cases = {
        "": {},
        "KPJ_FORMAT": {"kpj": "1234567890", "nama": "x"},
        "KPJ_FORMAT ": {"kpj": None},
        "KPJ_GANDA": {"kpj": "12345678901"},  # the first row (valid) already has this KPJ
        "TANGGAL_KEPESERTAAN_TIDAK_VALID": {"tanggal_kepesertaan": None},
        "STATUS_TIDAK_VALID": {"status_kepesertaan": "CUTI"},
        "STATUS_TIDAK_VALID ": {"status_kepesertaan": None},
        "SUMBER_DANA_TIDAK_VALID": {"sumber_dana": "APBN"},
        "UPAH_TIDAK_VALID": {"upah_dilaporkan": minimum - 1},
        "UPAH_TIDAK_VALID ": {"upah_dilaporkan": None, "upah_dilaporkan_mentah": "1,5 juta"},
        "NONAKTIF_TANPA_TANGGAL": {"status_kepesertaan": "NONAKTIF", "tanggal_nonaktif": None},
        "  ": {"status_kepesertaan": "NONAKTIF", "tanggal_nonaktif": dt.date(2024, 12, 31), "upah_dilaporkan": minimum},
    }
    rows = [
        peserta_row(**({"kpj": f"{20000000000 + i}"} | change if i and "kpj" not in change else change))
        for i, change in enumerate(cases.values())
    ]
    result = run("peserta", rows)
    assert result.alasan.tolist() == [code.strip() for code in cases]
    assert result.peringatan.tolist() == [""] * len(cases)


def test_roster_kpj_seen_again_is_flagged_from_its_second_occurrence():
    rows = [
        peserta_row(kpj="11111111111"),
        peserta_row(kpj="22222222222"),
        peserta_row(kpj="11111111111"),
        peserta_row(kpj="11111111111"),
    ]
    result = run("peserta", rows)
    assert result.alasan.tolist() == ["", "", "KPJ_GANDA", "KPJ_GANDA"]
    assert result.rule_counts["KPJ_GANDA"] == 2


def test_roster_tanggal_nonaktif_is_optional_for_active_participants():
    data = frame([peserta_row(kpj="11111111111"), peserta_row(kpj="22222222222", status_kepesertaan="NONAKTIF")])
    data = data.drop(columns=["tanggal_nonaktif", "alasan_nonaktif"])
    result = validate_rows("peserta", data, region="13.03", run_name="uji", docs_dir=None)
    assert result.alasan.tolist() == ["", "NONAKTIF_TANPA_TANGGAL"]


def test_roster_nik_and_region_problems_are_warnings_not_quarantine():
    rows = [
        peserta_row(kpj="11111111111", nik=None),
        peserta_row(kpj="22222222222", nik="123"),
        peserta_row(kpj="33333333333", nik="1303043206900001"),
        peserta_row(kpj="44444444444", nik="1.30304E+15", nik_rusak_excel=True),
        peserta_row(kpj="55555555555", kode_kemdagri=DESA_LUAR),
        peserta_row(kpj="66666666666", kode_kemdagri=None, nik=None),
    ]
    result = run("peserta", rows)
    assert result.alasan.tolist() == [""] * 6
    assert result.peringatan.tolist() == [
        "NIK_KOSONG",
        "NIK_FORMAT",
        "NIK_TANGGAL",
        "NIK_RUSAK_EXCEL",
        "WILAYAH_DI_LUAR",
        "NIK_KOSONG|WILAYAH_TIDAK_VALID",
    ]
    assert result.rule_counts["NIK_KOSONG"] == 2


def test_claim_rules():
    cases = {
        "": {},
        "KLAIM_KPJ_TIDAK_DIKENAL": {"kpj": "99999999999"},
        "KLAIM_KPJ_TIDAK_DIKENAL ": {"kpj": None},
        "KLAIM_JENIS_TIDAK_VALID": {"jenis_klaim": "JHT"},
        "KLAIM_JENIS_TIDAK_VALID ": {"jenis_klaim": None},
        "KLAIM_TANGGAL_TIDAK_VALID": {"tanggal_bayar": None},
        "KLAIM_TANGGAL_TIDAK_VALID ": {"tanggal_kejadian": None},
        "KLAIM_TANGGAL_TIDAK_VALID  ": {"tanggal_kejadian": dt.date(2025, 7, 11)},  # paid before it happened
        "KLAIM_NILAI_TIDAK_VALID": {"nilai_manfaat": 0},
        "KLAIM_NILAI_TIDAK_VALID ": {"nilai_manfaat": None, "nilai_manfaat_mentah": "dua juta"},
        "   ": {"tanggal_kejadian": dt.date(2025, 7, 10)},  # same day is fine
    }
    result = run("klaim", [klaim_row(**c) for c in cases.values()], known_kpj={"12345678901"})
    assert result.alasan.tolist() == [code.strip() for code in cases]


def test_claims_need_the_roster_kpjs():
    with pytest.raises(ValueError, match="known_kpj"):
        run("klaim", [klaim_row()])


def test_review_rules():
    cases = {
        "": {},
        "TINJAUAN_ID_KOSONG": {"id_individu": None},
        "TINJAUAN_KPJ_FORMAT": {"kandidat_kpj": "12"},
        "TINJAUAN_KPJ_FORMAT ": {"kandidat_kpj": None},
        "TINJAUAN_KEPUTUSAN_TIDAK_VALID": {"keputusan": "MUNGKIN"},
        "TINJAUAN_KEPUTUSAN_TIDAK_VALID ": {"keputusan": None},
    }
    assert run("tinjauan", [tinjauan_row(**c) for c in cases.values()]).alasan.tolist() == [
        code.strip() for code in cases
    ]


def test_missing_required_column_names_file_and_column():
    data = frame([p3ke_row()]).drop(columns=["desil_kesejahteraan"])
    with pytest.raises(ValueError, match=r"kec_tanjung_gadang\.xlsx: column 'desil_kesejahteraan' missing"):
        validate_rows("p3ke", data, region="13.03", run_name="uji", docs_dir=None)


def test_unknown_source_is_refused():
    with pytest.raises(ValueError, match="unknown source"):
        validate_rows("dtsen", frame([p3ke_row()]), region="13.03", run_name="uji", docs_dir=None)


def test_empty_frame_validates_to_nothing():
    data = frame([p3ke_row()]).iloc[:0]
    result = validate_rows("p3ke", data, region="13.03", run_name="uji", docs_dir=None)
    assert result.alasan.empty and set(result.rule_counts.values()) == {0}
    assert isinstance(result.alasan, pd.Series)
