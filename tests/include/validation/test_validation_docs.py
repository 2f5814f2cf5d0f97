"""Data Docs of a run: GX's site, built from stripped results, with no personal data in any file."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import great_expectations as gx
import great_expectations.expectations as gxe
import pandas as pd
from _validation_frames import frame, klaim_row, p3ke_row, peserta_row

from include.validation import validate_rows
from include.validation.docs import VALUE_KEYS, strip_result

NIKS = ["1303043206900001", "13030455069", "3175091203870002", "3,17509E+15"]
NAMES = ["Siti Nurhaliza Zainal", "Ahmad Fauzi Rangkuti", "Yohana Simanjuntak"]
BIRTH = [dt.date(1987, 3, 14), dt.date(1962, 11, 23)]
CLAIM_DATES = [dt.date(2025, 5, 19), dt.date(2025, 5, 17)]


def personal_frames():
    p3ke = frame(
        [
            p3ke_row(nik=NIKS[0], nama=NAMES[0], tanggal_lahir=BIRTH[0]),  # NIK_TANGGAL
            p3ke_row(nik=NIKS[1], nama=NAMES[1], tanggal_lahir=BIRTH[1], desil_kesejahteraan=None),
            p3ke_row(nik=NIKS[2], nama=None, jenis_kelamin=NAMES[2]),  # a name in the wrong column
            p3ke_row(nik=NIKS[3], nik_rusak_excel=True, kode_kemdagri="11.01.01.2001"),
        ]
    )
    peserta = frame(
        [
            peserta_row(kpj="11111111111", nik=NIKS[0], nama=NAMES[0], tanggal_lahir=BIRTH[0]),
            peserta_row(kpj="11111111111", nik=NIKS[1], nama=NAMES[1], sumber_dana=NAMES[2]),
        ]
    )
    klaim = frame([klaim_row(tanggal_kejadian=CLAIM_DATES[0], tanggal_bayar=CLAIM_DATES[1], nik=NIKS[2])])
    return p3ke, peserta, klaim


def test_run_site_has_codes_and_counts_but_no_personal_data(tmp_path):
    p3ke, peserta, klaim = personal_frames()
    docs = str(tmp_path / "docs")
    a = validate_rows("p3ke", p3ke, region="13.03", run_name="manual__2025-07-31T01:00:00+07:00", docs_dir=docs)
    b = validate_rows("peserta", peserta, region="13.03", run_name="manual__2025-07-31T01:00:00+07:00", docs_dir=docs)
    c = validate_rows(
        "klaim",
        klaim,
        region="13.03",
        known_kpj={"12345678901"},
        run_name="manual__2025-07-31T01:00:00+07:00",
        docs_dir=docs,
    )
    assert a.alasan.tolist()[0] == "NIK_TANGGAL" and b.alasan.tolist() == ["", "KPJ_GANDA|SUMBER_DANA_TIDAK_VALID"]
    assert c.alasan.tolist() == ["KLAIM_TANGGAL_TIDAK_VALID"]

    index = Path(c.docs_index)
    assert index.is_file() and a.docs_index == c.docs_index
    site = index.parent
    files = [p for p in site.rglob("*") if p.is_file()]
    forbidden = NIKS + NAMES + [d.isoformat() for d in BIRTH + CLAIM_DATES]
    for path in files:
        content = path.read_bytes()
        for value in forbidden:
            assert value.encode() not in content, f"{value!r} leaked into {path.relative_to(site)}"

    pages = {p.relative_to(site).parts[:2] for p in files if p.suffix == ".html"}
    assert {("validations", "p3ke"), ("validations", "peserta"), ("validations", "klaim")} <= pages
    text = "\n".join(p.read_text(encoding="utf-8") for p in files if p.suffix in (".html", ".json"))
    for code in (
        "NIK_TANGGAL",
        "NIK_RUSAK_EXCEL",
        "DESIL_TIDAK_VALID",
        "JENIS_KELAMIN_TIDAK_VALID",
        "KPJ_GANDA",
        "SUMBER_DANA_TIDAK_VALID",
        "KLAIM_TANGGAL_TIDAK_VALID",
        "expect_column_values_to_be_in_set",
    ):
        assert code in text
    # one index page lists the results of all three calls
    index_html = index.read_text(encoding="utf-8")
    for source in ("p3ke", "peserta", "klaim"):
        assert f"validations/{source}/" in index_html


def test_strip_result_keeps_counts_and_drops_every_value():
    data = pd.DataFrame(
        {
            "_posisi": [0, 1, 2],
            "nama": ["Siti Nurhaliza Zainal", "Budi", None],
            "jenis_kelamin": ["PEREMPUAN", "Ahmad Fauzi Rangkuti", "LAKI-LAKI"],
        }
    )
    suite = gx.ExpectationSuite(
        name="uji",
        expectations=[
            gxe.ExpectColumnValuesToBeInSet(
                column="jenis_kelamin",
                value_set=["LAKI-LAKI", "PEREMPUAN"],
                meta={"alasan": "JENIS_KELAMIN_TIDAK_VALID"},
            ),
            gxe.ExpectColumnValuesToNotBeNull(column="nama", meta={"alasan": "NAMA_KOSONG"}),
        ],
    )
    context = gx.get_context(mode="ephemeral")
    batch = (
        context.data_sources.add_pandas("uji")
        .add_dataframe_asset("uji")
        .add_batch_definition_whole_dataframe("semua")
        .get_batch(batch_parameters={"dataframe": data})
    )
    result = batch.validate(
        suite, result_format={"result_format": "COMPLETE", "unexpected_index_column_names": ["_posisi"]}
    )
    assert "Ahmad Fauzi Rangkuti" in json.dumps(result.to_json_dict(), default=str)  # GX does carry values

    stripped = strip_result(result, run_name="uji", run_time=dt.datetime(2025, 7, 31, tzinfo=dt.UTC))
    dumped = json.dumps(stripped)
    assert "Ahmad Fauzi Rangkuti" not in dumped and "Siti" not in dumped
    assert not any(f'"{key}"' in dumped for key in VALUE_KEYS)
    counts = [r["result"] for r in stripped["results"]]
    assert counts[0]["unexpected_count"] == 1 and counts[1]["unexpected_count"] == 1
    assert counts[0]["element_count"] == 3
