"""The fast GX path: GX's verdicts equal the suites run as plain pandas, row by row, and nothing is lost."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from _validation_frames import DESA_LUAR, frame, klaim_row, p3ke_row, peserta_row, tinjauan_row

from include.policy import default_policy
from include.validation import runner, validate_rows
from include.validation.batches import compact_frame, expectation_columns, plan
from include.validation.checks import _ddmmyy_valid, _ddmmyy_valid_vectorised, check_frame, nik_tanggal_valid
from include.validation.plain import plain_failures
from include.validation.suites import SOURCES, load_suite_json

KNOWN_KPJ = {"12345678901"}


def every_rule_broken() -> dict[str, pd.DataFrame]:
    """Per source: a clean row, one row per rule broken, rows breaking several rules at once."""
    minimum = default_policy().upah_minimum
    p3ke = [
        {},
        {"nik": None},
        {"nik": "13030455069000"},
        {"nik": "1303043206900001"},
        {"nik": "1303042902010001"},
        {"nik": "1.30304E+15", "nik_rusak_excel": True},
        {"nik": None, "nik_rusak_excel": True},
        {"nama": None},
        {"tanggal_lahir": None},
        {"jenis_kelamin": None},
        {"jenis_kelamin": "X"},
        {"desil_kesejahteraan": None},
        {"desil_kesejahteraan": 7},
        {"kode_kemdagri": "13.03.99.2999"},
        {"kode_kemdagri": None},
        {"kode_kemdagri": DESA_LUAR},
        {"id_individu": None},
        {"nik": "12", "nama": None, "jenis_kelamin": "?", "desil_kesejahteraan": None, "kode_kemdagri": DESA_LUAR,
         "id_individu": None, "tanggal_lahir": None},
    ]
    peserta = [
        {},
        {"kpj": None},
        {"kpj": "1234"},
        {"kpj": "20000000001"},
        {"kpj": "20000000001"},  # seen before in the file
        {"tanggal_kepesertaan": None},
        {"status_kepesertaan": None},
        {"status_kepesertaan": "CUTI"},
        {"sumber_dana": None},
        {"sumber_dana": "APBN"},
        {"upah_dilaporkan": None},
        {"upah_dilaporkan": minimum - 1},
        {"status_kepesertaan": "NONAKTIF", "tanggal_nonaktif": None},
        {"status_kepesertaan": "NONAKTIF", "tanggal_nonaktif": dt.date(2024, 1, 31)},
        {"nik": None},
        {"nik": "123"},
        {"nik": "1303043206900001"},
        {"nik": "1.30304E+15", "nik_rusak_excel": True},
        {"kode_kemdagri": None},
        {"kode_kemdagri": DESA_LUAR},
        {"kpj": "x", "status_kepesertaan": "NONAKTIF", "sumber_dana": "?", "upah_dilaporkan": 5, "nik": None},
    ]
    klaim = [
        {},
        {"kpj": "99999999999"},
        {"kpj": None},
        {"jenis_klaim": None},
        {"jenis_klaim": "JHT"},
        {"tanggal_kejadian": None},
        {"tanggal_bayar": None},
        {"tanggal_kejadian": dt.date(2025, 7, 11)},
        {"nilai_manfaat": None},
        {"nilai_manfaat": 0},
        {"kpj": None, "jenis_klaim": "X", "tanggal_bayar": None, "nilai_manfaat": -5},
    ]
    tinjauan = [
        {},
        {"id_individu": None},
        {"kandidat_kpj": None},
        {"kandidat_kpj": "12"},
        {"keputusan": None},
        {"keputusan": "MUNGKIN"},
        {"id_individu": None, "kandidat_kpj": "abc", "keputusan": "YA"},
    ]
    rows = {"p3ke": (p3ke_row, p3ke), "peserta": (peserta_row, peserta), "klaim": (klaim_row, klaim),
            "tinjauan": (tinjauan_row, tinjauan)}
    frames = {}
    for source, (make, changes) in rows.items():
        base = [make(**change) for change in changes]
        if source == "peserta":  # distinct KPJs except where a row sets its own
            base = [row | ({} if "kpj" in change else {"kpj": f"{30000000000 + i}"}) for i, (row, change)
                    in enumerate(zip(base, changes, strict=True))]
        frames[source] = frame(base)
    return frames


def codes(masks: dict, severity: str, n: int) -> list[str]:
    out = [[] for _ in range(n)]
    for (sev, code), mask in masks.items():
        if sev == severity:
            for i in np.flatnonzero(mask):
                out[i].append(code)
    return ["|".join(sorted(c)) for c in out]


@pytest.mark.parametrize("source", SOURCES)
def test_gx_and_plain_pandas_give_every_row_the_same_codes_and_every_rule_fires(source):
    data = every_rule_broken()[source]
    known = KNOWN_KPJ if source == "klaim" else None
    result = validate_rows(source, data, region="13.03", known_kpj=known, run_name="uji", docs_dir=None)
    plain = plain_failures(source, check_frame(source, data, region="13.03", known_kpj=known))
    assert result.alasan.tolist() == codes(plain, "critical", len(data))
    assert result.peringatan.tolist() == codes(plain, "warning", len(data))
    assert result.alasan.iloc[0] == "" and result.peringatan.iloc[0] == ""
    assert all(n > 0 for n in result.rule_counts.values()), result.rule_counts  # every rule fired somewhere


def test_gx_and_plain_agree_on_a_large_random_frame_with_string_dtypes():
    rng = np.random.default_rng(3)
    n = 3000
    choices = {
        "nik": ["1303045506900001", "1303043206900001", "123", None, "1303042902000001"],
        "nama": ["Rina", None],
        "jenis_kelamin": ["LAKI-LAKI", "PEREMPUAN", "L?", None],
        "desil_kesejahteraan": [1, 2, 4, 9, None],
        "kode_kemdagri": ["13.03.03.2001", DESA_LUAR, "13.03.99.2999", None],
        "id_individu": ["IND1", None],
        "tanggal_lahir": [dt.date(1990, 6, 15), None],
    }
    rows = [p3ke_row(**{k: v[rng.integers(len(v))] for k, v in choices.items()},
                     nik_rusak_excel=bool(rng.random() < 0.1)) for _ in range(n)]
    data = frame(rows)
    data["nik"] = data["nik"].astype("string")
    data.index = rng.permutation(n) + 100  # any index: results come back aligned to it
    result = validate_rows("p3ke", data, region="13.03", run_name="uji", docs_dir=None)
    plain = plain_failures("p3ke", check_frame("p3ke", data, region="13.03", known_kpj=None))
    assert result.alasan.tolist() == codes(plain, "critical", n)
    assert list(result.alasan.index) == list(data.index)
    assert 0 < (result.alasan != "").sum() < n


def test_vectorised_nik_date_equals_the_scalar_rule_for_every_ddmmyy():
    every = np.arange(1_000_000)
    assert _ddmmyy_valid_vectorised(every).tolist() == [_ddmmyy_valid(f"{v:06d}") for v in every]


def test_nik_with_non_ascii_digits_is_judged_by_the_scalar_rule():
    arabic = "".join(chr(0x0660 + int(d)) for d in "1303045506900001")
    assert nik_tanggal_valid(pd.Series([arabic, "1303045506900001"])).tolist() == [True, True]


@pytest.mark.parametrize("source", SOURCES)
def test_plan_validates_every_expectation_once_on_just_its_columns(source):
    expectations = load_suite_json(source)["expectations"]
    batches = plan(expectations)
    assert sorted(p for _, positions in batches for p in positions) == list(range(len(expectations)))
    for columns, positions in batches:
        assert {c for p in positions for c in expectation_columns(expectations[p])} == set(columns)


def test_compact_columns_keep_values_and_nulls():
    data = every_rule_broken()["p3ke"]
    checks = check_frame("p3ke", data, region="13.03", known_kpj=None)
    compact = compact_frame(checks, load_suite_json("p3ke")["expectations"])
    assert str(compact["jenis_kelamin"].dtype) == "category" and compact["nik"].dtype == "str"
    for name in compact.columns:
        assert compact[name].isna().tolist() == checks[name].isna().tolist(), name
        kept = checks[name].notna()
        assert compact[name][kept].astype(object).tolist() == checks[name][kept].astype(object).tolist(), name


def test_gx_decides_a_rule_changed_in_the_suite_changes_the_verdict(monkeypatch):
    """The codes come from GX running the suite JSON: widen a rule there and GX stops flagging the row."""
    data = frame([p3ke_row(), p3ke_row(jenis_kelamin="X")])
    assert validate_rows("p3ke", data, region="13.03", run_name="uji", docs_dir=None).alasan.tolist() == [
        "", "JENIS_KELAMIN_TIDAK_VALID"]
    widened = load_suite_json("p3ke")
    for expectation in widened["expectations"]:
        if expectation["type"] == "expect_column_values_to_be_in_set" and expectation["kwargs"]["column"] == "jenis_kelamin":
            expectation["kwargs"]["value_set"].append("X")
    monkeypatch.setattr(runner, "load_suite_json", lambda source: widened if source == "p3ke" else load_suite_json(source))
    monkeypatch.setattr(runner, "_CACHE", {})  # a fresh GX context for this test; the shared one comes back after
    assert validate_rows("p3ke", data, region="13.03", run_name="uji", docs_dir=None).alasan.tolist() == ["", ""]


def test_no_batch_fingerprint_and_no_values_in_gx_results():
    data = frame([p3ke_row(nama=None, nik="Rina Marlina")])
    checks = check_frame("p3ke", data, region="13.03", known_kpj=None)
    result = runner._run_suite("p3ke", checks)
    assert "pandas_data_fingerprint" not in result.meta["batch_markers"]
    assert "Rina Marlina" not in str(result.to_json_dict())
    assert [r.result["unexpected_index_list"] for r in result.results if not r.success] == [[0], [0]]
