"""The truth file: the ringkasan.json shape of CONTRACTS.md, counts that add up, the designed cases."""

from __future__ import annotations

from include.policy import default_policy

RINGKASAN = {
    "p3ke": {"baris_masuk", "karantina", "duplikat_p3ke", "terdaftar_aktif", "tidak_memenuhi_syarat",
             "perlu_tinjauan", "calon_peserta"},
    "peserta": {"baris_masuk", "karantina", "ditagih", "baru", "dari_p3ke"},
    "iuran": {"iuran_jkk", "iuran_jkm", "total_iuran", "per_sumber_dana"},
    "klaim": {"kasus", "nilai_manfaat"},
    "kumulatif": {"periode_awal", "total_iuran", "kasus_klaim", "nilai_manfaat"},
    "anggaran": {"tahun", "pagu", "realisasi", "persen"},
}


def test_ringkasan_has_the_contract_shape(demo_run):
    _, _, truth = demo_run
    r = truth["ringkasan"]
    assert r["periode"] == "2025-07"
    assert {k: set(v) for k, v in r.items() if k != "periode"} == RINGKASAN
    assert set(r["iuran"]["per_sumber_dana"]) == {"APBD", "APB_NAGARI", "CSR", "MANDIRI"}


def test_counts_add_up(demo_run):
    _, _, truth = demo_run
    r = truth["ringkasan"]
    p3ke = r["p3ke"]
    assert sum(v for k, v in p3ke.items() if k != "baris_masuk") == p3ke["baris_masuk"]
    assert 19_000 < p3ke["baris_masuk"] < 21_000
    assert p3ke["karantina"] == sum(1 for k in truth["karantina"] if k["sumber"] == "p3ke")
    assert r["peserta"]["karantina"] == sum(1 for k in truth["karantina"] if k["sumber"] == "peserta")
    assert p3ke["calon_peserta"] == sum(truth["calon_peserta"].values())
    assert 100 < truth["calon_peserta"]["BARU"] < 1000 and truth["calon_peserta"]["REAKTIVASI"] == len(truth["reaktivasi"])
    assert p3ke["perlu_tinjauan"] == len(truth["perlu_tinjauan"]) == 7
    assert sum(1 for t in truth["perlu_tinjauan"] if t["kandidat_kpj"]) == 4
    assert len(truth["bulanan"]) == 41 and truth["bulanan"][-1]["ditagih"] == r["peserta"]["ditagih"]
    assert r["iuran"]["total_iuran"] == r["iuran"]["per_sumber_dana"]["APBD"] == 16590 * 16800


def test_budget_figures(demo_run):
    _, _, truth = demo_run
    anggaran = truth["ringkasan"]["anggaran"]
    assert anggaran["pagu"] == default_policy().pagu(2025) == 3_053_299_200
    assert anggaran["realisasi"] == sum(m["total_iuran"] for m in truth["bulanan"] if m["periode"] >= "2025-01")
    assert anggaran["persen"] == round(100 * anggaran["realisasi"] / anggaran["pagu"], 2)
    assert anggaran["realisasi"] < anggaran["pagu"]


def test_soft_findings_and_warnings_are_there(demo_run):
    _, _, truth = demo_run
    soft = truth["temuan_lunak"]
    assert set(soft["p3ke"]) == {"NIK_TANGGAL_BEDA_DENGAN_TANGGAL_LAHIR", "NIK_JENIS_KELAMIN_BEDA", "NIK_DI_LUAR_WILAYAH",
                                 "PADAN_DUKCAPIL_TIDAK"}
    assert all(n > 0 for n in soft["p3ke"].values())
    assert soft["peserta"]["PERINGATAN_NIK_RUSAK_EXCEL"] == 2
