"""The suites in expectations/: GX 1.x serialisation, and every contract reason code has a rule."""

from __future__ import annotations

import json

import great_expectations as gx
import pytest

from include.validation.suites import SOURCES, SUITES_DIR, reason_codes

CONTRACT_CODES = {
    "p3ke": {
        "NIK_RUSAK_EXCEL",
        "NIK_KOSONG",
        "NIK_FORMAT",
        "NIK_TANGGAL",
        "NAMA_KOSONG",
        "TANGGAL_LAHIR_TIDAK_VALID",
        "JENIS_KELAMIN_TIDAK_VALID",
        "DESIL_TIDAK_VALID",
        "WILAYAH_TIDAK_VALID",
        "WILAYAH_DI_LUAR",
        "ID_KOSONG",
    },
    "peserta": {
        "KPJ_FORMAT",
        "KPJ_GANDA",
        "TANGGAL_KEPESERTAAN_TIDAK_VALID",
        "STATUS_TIDAK_VALID",
        "SUMBER_DANA_TIDAK_VALID",
        "UPAH_TIDAK_VALID",
        "NONAKTIF_TANPA_TANGGAL",
    },
    "klaim": {
        "KLAIM_KPJ_TIDAK_DIKENAL",
        "KLAIM_JENIS_TIDAK_VALID",
        "KLAIM_TANGGAL_TIDAK_VALID",
        "KLAIM_NILAI_TIDAK_VALID",
    },
    "tinjauan": {"TINJAUAN_ID_KOSONG", "TINJAUAN_KPJ_FORMAT", "TINJAUAN_KEPUTUSAN_TIDAK_VALID"},
}


@pytest.mark.parametrize("source", SOURCES)
def test_suite_loads_as_gx_expectation_suite_with_a_code_per_rule(source):
    raw = json.loads((SUITES_DIR / f"{source}.json").read_text(encoding="utf-8"))
    suite = gx.ExpectationSuite(**raw)
    assert suite.name == source
    for expectation in suite.expectations:
        code = expectation.meta["alasan"]
        assert expectation.description.startswith(f"[{code}] ")
    assert {code for code, sev in reason_codes(source).items() if sev == "critical"} == CONTRACT_CODES[source]


def test_roster_nik_and_region_rules_only_warn():
    warnings = {code for code, sev in reason_codes("peserta").items() if sev == "warning"}
    assert warnings == {
        "NIK_RUSAK_EXCEL",
        "NIK_KOSONG",
        "NIK_FORMAT",
        "NIK_TANGGAL",
        "WILAYAH_TIDAK_VALID",
        "WILAYAH_DI_LUAR",
    }


def test_upah_minimum_is_a_suite_parameter_not_a_literal():
    raw = json.loads((SUITES_DIR / "peserta.json").read_text(encoding="utf-8"))
    upah = [
        e
        for e in raw["expectations"]
        if e["type"] == "expect_column_values_to_be_between" and e["kwargs"]["column"] == "upah_dilaporkan"
    ]
    assert upah[0]["kwargs"]["min_value"] == {"$PARAMETER": "upah_minimum"}
