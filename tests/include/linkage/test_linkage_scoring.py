"""score_pairs on a synthetic population with planted hard cases: typos, name variants, twins, swapped dates."""

from __future__ import annotations

import datetime as dt
import json
import logging

import pandas as pd
import pytest

from include.linkage import SCORE_COLUMNS, score_pairs
from include.linkage import scoring as scoring_module
from tests.include.linkage.synthetic import make_frames

SEED = 20250701
DESA, DESA_LAIN = "13.03.04.2001", "13.03.04.2002"
LABELS = {"sama", "mirip", "beda", "kosong"}

# (key, nama, nik, jenis_kelamin, tanggal_lahir, kode_kemdagri, id_keluarga_p3ke) planted in P3KE ...
PLANTED_P3KE = [
    ("muh", "MUHAMMAD SYAFRIZAL", "1303041405870003", "LAKI-LAKI", dt.date(1987, 5, 14), DESA, "KK-A"),
    ("nur", "NURHAYATI", "1303045102900001", "PEREMPUAN", dt.date(1990, 2, 11), DESA, "KK-B"),
    ("kembar_a", "ANDI SAPUTRA", "1303042309010001", "LAKI-LAKI", dt.date(2001, 9, 23), DESA, "KK-C"),
    ("kembar_b", "RIZKI SAPUTRA", "1303042309010002", "LAKI-LAKI", dt.date(2001, 9, 23), DESA, "KK-C"),
    ("mirip_a", "BUDIARTA", "1303044604970004", "PEREMPUAN", dt.date(1997, 4, 6), DESA, "KK-D"),
    ("mirip_b", "BUDIARTI", None, "PEREMPUAN", dt.date(1997, 4, 6), DESA, "KK-D"),
    ("tukar", "YUSNIDAR", "1303044703790002", "PEREMPUAN", dt.date(1979, 3, 7), DESA, "KK-E"),
    ("dua_kk_1", "ERMAWATI", "1303044112720001", "PEREMPUAN", dt.date(1972, 12, 1), DESA, "KK-F"),
    ("dua_kk_2", "Hj. Ermawati, S.Pd", None, "PEREMPUAN", dt.date(1972, 12, 1), DESA_LAIN, "KK-G"),
]
# ... and in the roster: (kpj, nama, nik, jenis_kelamin, tanggal_lahir, kode_kemdagri)
PLANTED_ROSTER = [
    ("13000000001", "Muh. Syafrizal", "1303041405870008", "LAKI-LAKI", dt.date(1987, 5, 14), DESA),  # serial typo
    ("13000000002", "Nur Hayati", "1303045102800001", "PEREMPUAN", dt.date(1990, 2, 11), DESA),  # NIK year typo
    ("13000000003", "ANDI SAPUTRA", "1303042309010001", "LAKI-LAKI", dt.date(2001, 9, 23), DESA),  # twin A only
    ("13000000004", "YUSNIDAR", "1303044703790002", "PEREMPUAN", dt.date(1979, 7, 3), DESA),  # day/month swapped
]
COLUMNS = ["nama", "nik", "jenis_kelamin", "tanggal_lahir", "kode_kemdagri"]


def _frames() -> tuple[pd.DataFrame, pd.DataFrame, dict[str, int]]:
    base = make_frames(4000, 2000, seed=7)
    p3ke = base.p3ke[["urut", *COLUMNS]].assign(id_keluarga_p3ke=[f"KK{u}" for u in base.p3ke["urut"]])
    start = int(p3ke["urut"].max()) + 1
    planted = pd.DataFrame([row[1:] for row in PLANTED_P3KE], columns=[*COLUMNS, "id_keluarga_p3ke"])
    planted.insert(0, "urut", range(start, start + len(planted)))
    roster = pd.concat(
        [base.roster[["kpj", *COLUMNS]], pd.DataFrame(PLANTED_ROSTER, columns=["kpj", *COLUMNS])], ignore_index=True
    )
    urut = {row[0]: start + i for i, row in enumerate(PLANTED_P3KE)}
    return pd.concat([p3ke, planted], ignore_index=True), roster, urut


@pytest.fixture(scope="module")
def data():
    return _frames()


@pytest.fixture(scope="module")
def trained(data, tmp_path_factory):
    """One training run: (scores, path of the saved model)."""
    p3ke, roster, _ = data
    model = tmp_path_factory.mktemp("model") / "model.json"
    scores = score_pairs(p3ke, roster, seed=SEED, model_json=None, save_model_to=model, min_probability=0.01)
    return scores, model


def _pair(scores: pd.DataFrame, kiri: int, *, kpj: str | None = None, kanan: int | None = None) -> pd.Series | None:
    if kpj is not None:
        rows = scores[(scores["kiri_urut"] == kiri) & (scores["kanan_kpj"] == kpj)]
    else:
        rows = scores[(scores["kiri_urut"] == min(kiri, kanan)) & (scores["kanan_urut"] == max(kiri, kanan))]
    assert len(rows) <= 1
    return None if rows.empty else rows.iloc[0]


def _probability(pair: pd.Series | None) -> float:
    return 0.0 if pair is None else float(pair["match_probability"])  # absent: below min_probability


def test_nik_serial_typo_and_muhammad_abbreviated_is_a_match(data, trained):
    scores, _ = trained
    pair = _pair(scores, data[2]["muh"], kpj="13000000001")
    assert pair is not None and pair["match_probability"] >= 0.95
    assert (pair["cocok_nama"], pair["cocok_nik"], pair["cocok_tanggal_lahir"]) == ("sama", "mirip", "sama")


def test_nik_typo_in_birth_date_part_and_space_in_name_is_a_match(data, trained):
    scores, _ = trained
    pair = _pair(scores, data[2]["nur"], kpj="13000000002")
    assert pair is not None and pair["match_probability"] >= 0.95
    assert (pair["cocok_nama"], pair["cocok_nik"]) == ("sama", "mirip")


def test_twins_are_not_matched(data, trained):
    scores, _ = trained
    urut = data[2]
    assert _probability(_pair(scores, urut["kembar_a"], kpj="13000000003")) >= 0.95
    assert _probability(_pair(scores, urut["kembar_b"], kpj="13000000003")) < 0.5
    assert _probability(_pair(scores, urut["kembar_a"], kanan=urut["kembar_b"])) < 0.5


def test_twins_with_near_identical_names_in_one_household_are_two_people(data, trained):
    """One NIK missing, names one letter apart: only the shared P3KE household tells them apart."""
    scores, _ = trained
    urut = data[2]
    assert _probability(_pair(scores, urut["mirip_a"], kanan=urut["mirip_b"])) < 0.5


def test_without_household_ids_scoring_still_works(data, trained):
    scores, model = trained
    p3ke, roster, urut = data
    plain = score_pairs(
        p3ke.drop(columns="id_keluarga_p3ke"),
        roster,
        seed=SEED,
        model_json=model,
        save_model_to=None,
        min_probability=0.01,
    )
    assert _probability(_pair(plain, urut["muh"], kpj="13000000001")) >= 0.95
    assert _probability(_pair(plain, urut["mirip_a"], kanan=urut["mirip_b"])) >= 0.5  # why households help


def test_day_and_month_swapped_with_same_name_and_nik_is_a_match(data, trained):
    scores, _ = trained
    pair = _pair(scores, data[2]["tukar"], kpj="13000000004")
    assert pair is not None and pair["match_probability"] >= 0.95
    assert pair["cocok_tanggal_lahir"] == "mirip"


def test_same_person_in_two_households_is_a_p3ke_internal_pair(data, trained):
    scores, _ = trained
    urut = data[2]
    pair = _pair(scores, urut["dua_kk_1"], kanan=urut["dua_kk_2"])
    assert pair is not None and pair["match_probability"] >= 0.95
    assert pair["kanan_kpj"] is None
    assert (pair["cocok_nama"], pair["cocok_nik"], pair["cocok_wilayah"]) == ("sama", "kosong", "mirip")


def test_result_shape_follows_the_contract(data, trained):
    scores, _ = trained
    p3ke, roster, _ = data
    assert list(scores.columns) == SCORE_COLUMNS
    assert str(scores["kiri_urut"].dtype) == "int64" and str(scores["kanan_urut"].dtype) == "Int64"
    internal = scores["kanan_urut"].notna()
    assert (scores.loc[internal, "kanan_urut"] > scores.loc[internal, "kiri_urut"]).all()
    assert scores.loc[internal, "kanan_kpj"].isna().all() and scores.loc[~internal, "kanan_kpj"].notna().all()
    assert scores["kiri_urut"].isin(p3ke["urut"]).all()
    assert scores.loc[internal, "kanan_urut"].isin(p3ke["urut"]).all()
    assert scores.loc[~internal, "kanan_kpj"].isin(roster["kpj"]).all()
    assert (scores["match_probability"] >= 0.01).all() and (scores["match_probability"] <= 1).all()
    for field in ("nama", "tanggal_lahir", "jenis_kelamin", "wilayah", "nik"):
        assert set(scores[f"cocok_{field}"]) <= LABELS
    assert not scores.duplicated(["kiri_urut", "kanan_urut", "kanan_kpj"]).any()


def test_synthetic_insured_people_are_found(trained, data):
    """Most roster copies of P3KE people (with clerical errors) score as matches, few strangers do."""
    scores, _ = trained
    base = make_frames(4000, 2000, seed=7)
    pid_p3ke = base.p3ke.set_index("urut")["pid"]
    pid_roster = base.roster.set_index("kpj")["pid"]
    truth = base.p3ke.merge(base.roster, on="pid")[["urut", "kpj"]]
    matched = scores[(scores["match_probability"] >= 0.95) & scores["kanan_kpj"].isin(pid_roster.index)]
    matched = matched[matched["kiri_urut"].isin(pid_p3ke.index)]
    same = matched["kiri_urut"].map(pid_p3ke).to_numpy() == matched["kanan_kpj"].map(pid_roster).to_numpy()
    found = truth.merge(matched, left_on=["urut", "kpj"], right_on=["kiri_urut", "kanan_kpj"])
    assert len(found) / len(truth) >= 0.98
    assert same.mean() >= 0.99


def test_same_seed_gives_the_same_model_and_scores(data, trained, tmp_path):
    scores, model = trained
    p3ke, roster, _ = data
    again = tmp_path / "again.json"
    rescored = score_pairs(p3ke, roster, seed=SEED, model_json=None, save_model_to=again, min_probability=0.01)
    assert again.read_text(encoding="utf-8") == model.read_text(encoding="utf-8")
    pd.testing.assert_frame_equal(rescored, scores)


def test_saved_model_is_used_without_training_and_scores_identically(data, trained, tmp_path, monkeypatch):
    scores, model = trained
    p3ke, roster, _ = data

    def no_training(*args, **kwargs):
        raise AssertionError("a run given model_json must not train")

    monkeypatch.setattr(scoring_module, "train", no_training)
    copy = tmp_path / "copy.json"
    rescored = score_pairs(p3ke, roster, seed=SEED + 1, model_json=model, save_model_to=copy, min_probability=0.01)
    pd.testing.assert_frame_equal(rescored, scores)
    assert json.loads(copy.read_text(encoding="utf-8")) == json.loads(model.read_text(encoding="utf-8"))


def test_min_probability_filters_pairs(data, trained):
    scores, model = trained
    p3ke, roster, _ = data
    high = score_pairs(p3ke, roster, seed=SEED, model_json=model, save_model_to=None, min_probability=0.95)
    expected = scores[scores["match_probability"] >= 0.95].reset_index(drop=True)
    pd.testing.assert_frame_equal(high, expected)


def test_no_personal_data_in_log_records(data, tmp_path, caplog):
    p3ke, roster, _ = data
    caplog.set_level(logging.INFO)
    score_pairs(p3ke.tail(300), roster.tail(100), seed=SEED, model_json=None, save_model_to=None, min_probability=0.5)
    logged = "\n".join(record.getMessage() for record in caplog.records)
    for _, nama, nik, *_rest in PLANTED_P3KE:
        assert nama.upper() not in logged.upper()
        assert nik is None or nik not in logged


def test_small_and_empty_inputs(data):
    p3ke, roster, _ = data
    empty = score_pairs(p3ke.head(0), roster, seed=SEED, model_json=None, save_model_to=None, min_probability=0.5)
    assert list(empty.columns) == SCORE_COLUMNS and empty.empty
    one = score_pairs(p3ke.head(1), roster.head(0), seed=SEED, model_json=None, save_model_to=None, min_probability=0)
    assert one.empty
    few = score_pairs(p3ke.tail(7), roster.tail(4), seed=SEED, model_json=None, save_model_to=None, min_probability=0.5)
    assert set(few["kanan_kpj"].dropna()) <= set(roster["kpj"].tail(4))


def test_bad_input_is_refused_with_a_fixable_message(data):
    p3ke, roster, _ = data
    with pytest.raises(ValueError, match="p3ke: missing column.*tanggal_lahir"):
        score_pairs(
            p3ke.drop(columns="tanggal_lahir"), roster, seed=1, model_json=None, save_model_to=None, min_probability=0.5
        )
    with pytest.raises(ValueError, match="urut has repeated values"):
        score_pairs(
            pd.concat([p3ke.head(2), p3ke.head(1)]),
            roster,
            seed=1,
            model_json=None,
            save_model_to=None,
            min_probability=0.5,
        )
