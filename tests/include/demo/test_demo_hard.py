"""Hard-matching data: deterministic, truth consistent, every kind of noise present; the benchmark's scores."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from benchmarks.matching import cluster_scores, evaluate, exact_nik, pair_scores
from include.demo.hard import NAME_KINDS, generate_hard
from include.demo.people import nik_digits
from include.sources.nik import nik_birth_date_valid_series

ROWS = 2_000


@pytest.fixture(scope="module")
def hard():
    return generate_hard(ROWS, seed=11)


def kinds(truth: pd.DataFrame) -> set[str]:
    return {k for d in truth["derau"] for k in d.split("|") if k}


def rows_with(hard, kind: str) -> pd.DataFrame:
    """P3KE rows carrying a noise kind, with their person's true identity (suffix _asli)."""
    rows = hard.p3ke.assign(orang=hard.p3ke_truth["orang"], derau=hard.p3ke_truth["derau"])
    rows = rows[rows["derau"].str.split("|").map(lambda ks: kind in ks)]
    return rows.merge(hard.orang, on="orang", suffixes=("", "_asli"))


def test_same_seed_same_data_other_seed_other_data(hard):
    again = generate_hard(ROWS, seed=11)
    for name in ("p3ke", "roster", "p3ke_truth", "roster_truth", "orang", "kembar"):
        pd.testing.assert_frame_equal(getattr(hard, name), getattr(again, name))
    assert not generate_hard(ROWS, seed=12).p3ke["nik"].equals(hard.p3ke["nik"])


def test_matcher_input_form(hard):
    p3ke, roster = hard.p3ke, hard.roster
    assert len(p3ke) == ROWS and len(roster) == ROWS // 2
    assert p3ke["urut"].tolist() == list(range(1, ROWS + 1)) and p3ke["id_individu"].is_unique
    assert roster["kpj"].str.fullmatch(r"\d{11}").all() and roster["kpj"].is_unique
    assert (p3ke["alasan"] == p3ke["nik_rusak_excel"].map({True: "NIK_RUSAK_EXCEL", False: ""})).all()
    assert (roster["alasan"] == "").all()
    clean = p3ke[~p3ke["nik_rusak_excel"]]
    assert clean["nik"].str.fullmatch(r"\d{16}").all()
    assert nik_birth_date_valid_series(clean["nik"]).all()  # a typo never makes a NIK quarantined upstream
    assert set(p3ke["jenis_kelamin"]) == {"LAKI-LAKI", "PEREMPUAN"}
    assert p3ke["tanggal_lahir"].map(type).eq(type(roster["tanggal_kepesertaan"].iloc[0])).all()
    assert p3ke["kode_kemdagri"].str.startswith("13.03.").all()  # Sijunjung at small sizes
    assert hard.tinjauan.empty


def test_all_indonesia_when_asked():
    codes = generate_hard(500, seed=3, region="").p3ke["kode_kemdagri"]
    assert codes.str[:2].nunique() > 10


def test_truth_is_consistent(hard):
    people = hard.orang.set_index("orang")
    assert hard.orang["nik"].is_unique
    assert hard.p3ke_truth["urut"].tolist() == hard.p3ke["urut"].tolist()
    in_p3ke = set(hard.p3ke_truth["orang"])
    assert in_p3ke <= set(people.index)
    assert hard.roster_truth["orang"].is_unique  # one KPJ per person
    assert (hard.roster_truth["orang"].isin(in_p3ke) == hard.roster_truth["di_p3ke"]).all()
    assert 0.6 < hard.roster_truth["di_p3ke"].mean() < 0.8
    # a person's clean NIK carries kecamatan, birth date and sex (reusing the demo's NIK layout)
    for orang, who in people.sample(200, random_state=1).iterrows():
        nik = who["nik"]
        assert nik == nik_digits(nik[:6], who["tanggal_lahir"], who["jenis_kelamin"] == "PEREMPUAN", int(nik[12:]))
        assert nik[:6] == who["kode_kemdagri"].replace(".", "")[:6], orang
    # rows without NIK noise carry their person's NIK exactly
    rows = hard.p3ke.assign(orang=hard.p3ke_truth["orang"], derau=hard.p3ke_truth["derau"])
    plain = rows[~rows["derau"].str.contains("nik_")]
    assert (plain["nik"] == plain["orang"].map(people["nik"])).all()


def test_twins_share_birth_date_desa_household_and_have_consecutive_serials(hard):
    people = hard.orang
    assert len(hard.kembar) >= 10
    for _, group in people[people["kembar"] >= 0].groupby("kembar"):
        assert len(group) in (2, 3)
        assert group["tanggal_lahir"].nunique() == 1
        assert group["kode_kemdagri"].nunique() == 1 and group["id_keluarga_p3ke"].nunique() == 1
        assert group["nama"].is_unique
        serials = sorted(int(n[12:]) for n in group["nik"])
        assert serials == list(range(serials[0], serials[0] + len(group)))
        assert group["nik"].str[:6].nunique() == 1
    pairs = hard.kembar.merge(people[["orang", "kembar"]], left_on="orang_a", right_on="orang")
    assert (pairs["kembar"] == pairs["orang_b"].map(people.set_index("orang")["kembar"])).all()
    assert set(hard.p3ke_truth["orang"]) >= set(hard.kembar["orang_a"]) | set(hard.kembar["orang_b"])


def test_every_kind_of_noise_is_present(hard):
    expected = {*NAME_KINDS, "nik_satu_digit", "nik_tukar", "nik_rusak_excel", "tanggal_tukar", "tanggal_digit",
                "pindah"}
    assert expected | {"dua_keluarga", "duplikat_baris"} <= kinds(hard.p3ke_truth)
    assert expected | {"nik_kosong"} <= kinds(hard.roster_truth)
    assert "jenis_kelamin" in kinds(hard.p3ke_truth) | kinds(hard.roster_truth)


def test_noise_is_what_its_label_says(hard):
    def differs_in_one_digit(a: str, b: str) -> bool:
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1

    typo = rows_with(hard, "nik_satu_digit")
    typo = typo[~typo["derau"].str.contains("nik_tukar|nik_rusak")]
    assert typo.apply(lambda r: differs_in_one_digit(r["nik"], r["nik_asli"]), axis=1).all()
    assert not typo["nik"].isin(hard.orang["nik"]).any()  # never another person's NIK
    swapped = rows_with(hard, "nik_tukar")
    swapped = swapped[~swapped["derau"].str.contains("nik_satu|nik_rusak")]
    assert swapped.apply(lambda r: sorted(r["nik"]) == sorted(r["nik_asli"]) and r["nik"] != r["nik_asli"],
                         axis=1).all()
    excel = rows_with(hard, "nik_rusak_excel")
    assert excel["nik"].str.fullmatch(r"\d{15}0|\d[.,]\d{5}E\+15").all()
    tukar = rows_with(hard, "tanggal_tukar")
    assert tukar.apply(lambda r: (r["tanggal_lahir"].day, r["tanggal_lahir"].month)
                       == (r["tanggal_lahir_asli"].month, r["tanggal_lahir_asli"].day), axis=1).all()
    pindah = rows_with(hard, "pindah")
    assert (pindah["kode_kemdagri"] != pindah["kode_kemdagri_asli"]).all()
    names = {k: rows_with(hard, k) for k in NAME_KINDS}
    names = {k: rows[rows["derau"] == k] for k, rows in names.items()}  # that kind alone
    assert all(len(rows) >= 5 for rows in names.values())
    assert names["muhammad"]["nama"].str.contains(r"\b(?:M\.|MUH\.|MOH\.|MHD\.|(?:MOCHAMMAD|MUHAMAD|MOHAMM?AD)\b)").all()
    assert names["ejaan_lama"]["nama"].str.contains("OE|DJ|TJ|NJ|SJ|CH").all()
    assert names["gelar"]["nama"].str.contains(r"^(?:H|HJ|DRS?|IR)\. |, [SA]\.[A-Z]").all()
    assert names["bin_binti"]["nama"].str.contains(r" BINT?I? [A-Z]").all()
    assert (names["apostrof"]["nama_asli"].str.contains("'") & ~names["apostrof"]["nama"].str.contains("'")).all()
    spasi = names["spasi"]
    assert (spasi["nama"].str.replace(" ", "") == spasi["nama_asli"].str.replace(" ", "")).all()
    assert (spasi["nama"] != spasi["nama_asli"]).all()
    for kind in ("huruf", "salah_ketik"):
        assert (names[kind]["nama"] != names[kind]["nama_asli"]).all()
    assert (names["huruf"]["nama"].str.upper().str.replace(r"[ .]", "", regex=True)
            == names["huruf"]["nama_asli"].str.replace(" ", "")).all()
    pairs = rows_with(hard, "duplikat_baris")
    assert len(pairs) == ROWS // 100


def test_common_names_are_very_common(hard):
    names = hard.orang["nama"]
    assert names.value_counts().iloc[0] / len(names) > 0.003  # the commonest full name: about 1 in 200
    for common in ("SITI", "NURHAYATI", "MUHAMMAD"):
        assert names.str.contains(rf"\b{common}\b").sum() > 10, common
    assert any(re.search(r"\bNUR\b", n) for n in names) and any("'" in n for n in names)


def test_pair_scores_on_a_hand_made_example():
    truth = pd.DataFrame({"urut": [1, 2, 3, 3], "kpj": ["A", "B", "C", "C"]})
    predicted = pd.DataFrame({"urut": [1, 2, 4], "kpj": ["A", "C", "D"]})
    scores = pair_scores(truth, predicted)
    assert (scores.tp, scores.predicted, scores.actual) == (1, 3, 3)
    assert scores.precision == pytest.approx(1 / 3) and scores.recall == pytest.approx(1 / 3)
    only_right = pair_scores(truth, predicted.iloc[:1])
    assert (only_right.precision, only_right.recall, only_right.f1) == (1.0, pytest.approx(1 / 3), pytest.approx(0.5))


def test_cluster_scores_on_a_hand_made_example():
    truth = pd.Series(["a", "a", "a", "b", "b"], index=[1, 2, 3, 4, 5])
    predicted = pd.Series(["x", "x", "y", "y", "y"], index=[1, 2, 3, 4, 5])
    scores = cluster_scores(truth, predicted)
    # true pairs 12 13 23 45; predicted 12 34 35 45; both 12 45
    assert (scores.tp, scores.predicted, scores.actual) == (2, 4, 4)
    assert scores.precision == scores.recall == scores.f1 == 0.5
    assert cluster_scores(truth, pd.Series(["p", "q", "r", "s", "t"], index=[1, 2, 3, 4, 5])).recall == 0.0


def test_evaluate_perfect_and_twin_merging_outputs(hard):
    rows = hard.p3ke_truth[(hard.p3ke["alasan"] == "").to_numpy()]
    truth = pd.Series(rows["orang"].to_numpy(), index=rows["urut"].to_numpy())
    links = rows.merge(hard.roster_truth, on="orang")[["urut", "kpj"]]
    perfect = evaluate(hard, truth, links)
    assert perfect["insured"].f1 == perfect["duplicates"].f1 == 1.0 and perfect["twins"] == 0
    a, b = hard.kembar.iloc[0]
    merged = evaluate(hard, truth.replace(b, a), links)
    assert merged["twins"] == 1 and merged["duplicates"].precision < 1.0
    exact_orang, exact_links = exact_nik(hard.p3ke, hard.roster)
    exact = evaluate(hard, exact_orang, exact_links)
    assert exact["insured"].precision == 1.0 and exact["insured"].recall < 0.97
