"""Clerical review: the pairs a reviewer is asked about (perlu_tinjauan), and what the matcher's scores mean.

`uncertain_pairs` takes the P3KE rows and roster rows as include.matching holds them (integer keys per record,
rows in urut order, the roster in position order) with the links already decided, and returns the review
pairs (RAGU_COLUMNS) with the reviewer's text: scored pairs from `bawah` up that are not matches, and pairs
with the same normalised name, birth date and sex while they could still be one person.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from include.policy import Policy
from include.sources.nik import near_digits, number_digits

RAGU_COLUMNS = ["urut", "kandidat_kpj", "kandidat_urut", "probabilitas", "alasan"]
FIELD_NAMES = {"nama": "nama", "tanggal_lahir": "tgl lahir", "jenis_kelamin": "jenis kelamin",
               "wilayah": "wilayah", "nik": "NIK"}


def confident(scores: pd.DataFrame, policy: Policy) -> pd.Series:
    """Scored pairs that are matches: probability at or above `atas`, and the NIK or the desa agreeing.
    Two NIKs that differ in two desa can be a namesake born the same day or one person who moved and was
    mistyped, and nothing in the pair tells which: however strong the name, a reviewer decides."""
    unanchored = scores["cocok_nik"].isin(["mirip", "beda"]) & (scores["cocok_wilayah"] != "sama")
    return (scores["match_probability"] >= policy.ambang_atas) & ~unanchored


def in_review_band(scores: pd.DataFrame, policy: Policy) -> pd.Series:
    """Scored pairs for clerical review: from `bawah` on, when they are not matches."""
    return (scores["match_probability"] >= policy.ambang_bawah) & ~confident(scores, policy)


def roster_positions(roster_kpj: pd.Series, kpjs: pd.Series) -> np.ndarray:
    """The roster position (index) of each of a few KPJs, -1 where the roster lacks it: the roster is
    searched for the few (Arrow is_in), no hash table of a national roster is built."""
    if not len(kpjs):
        return np.zeros(0, dtype="int64")
    hits = roster_kpj[roster_kpj.isin(kpjs)]
    where = dict(zip(hits.to_numpy(dtype=object), hits.index.to_numpy(dtype="int64"), strict=True))
    return np.array([where.get(k, -1) for k in kpjs], dtype="int64")


def explain(pairs: pd.DataFrame) -> pd.Series:
    """'nama mirip, tgl lahir sama, ...; bobot 7,32' for each scored pair."""
    labels = zip(*(pairs[f"cocok_{field}"].astype(str) for field in FIELD_NAMES), strict=True)
    texts = [
        ", ".join(f"{name} {label}" for name, label in zip(FIELD_NAMES.values(), row, strict=True))
        + "; bobot " + f"{weight:.2f}".replace(".", ",")
        for row, weight in zip(labels, pairs["match_weight"], strict=True)
    ]
    return pd.Series(texts, index=pairs.index, dtype=object)


LABEL_COLUMNS = [*(f"cocok_{field}" for field in FIELD_NAMES), "match_weight"]


def uncertain_pairs(rows, roster, internal, to_roster, linked, beda, policy: Policy) -> pd.DataFrame:
    """Pairs for clerical review: scored from `bawah` up and not matches, or with the same normalised
    name, birth date and sex while they could be one person (see _near_pairs), when their two sides are
    not already one person / linked. The reviewer's text (explain) is written for the pairs kept only:
    most same-name pairs are a person and the participant already linked to them."""
    urut, orang = rows["urut"].to_numpy(), rows["orang"].to_numpy()
    settled = pd.concat([linked[["orang", "kpj"]], beda[["orang", "kpj"]]], ignore_index=True)
    positions = pd.DataFrame({"orang": settled["orang"].to_numpy(dtype="int64"),
                              "posisi": np.concatenate([linked["posisi"].to_numpy(dtype="int64"),
                                                        roster_positions(roster["kpj"], beda["kpj"])])})
    near = _near_pairs(rows, roster, positions[positions["posisi"] >= 0], policy)
    band = to_roster[in_review_band(to_roster, policy)]
    scored_roster = pd.DataFrame({"urut": band["kiri_urut"].to_numpy(), "kandidat_kpj": band["kanan_kpj"].to_numpy(),
                                  "kandidat_urut": pd.NA, "probabilitas": band["match_probability"].to_numpy(),
                                  **{c: band[c].to_numpy() for c in LABEL_COLUMNS}})
    band = internal[in_review_band(internal, policy)]
    kiri, kanan = band["kiri_urut"].astype("int64"), band["kanan_urut"].astype("int64")
    scored_internal = pd.DataFrame({"urut": np.maximum(kiri, kanan).to_numpy(), "kandidat_kpj": "",
                                    "kandidat_urut": np.minimum(kiri, kanan).to_numpy(),
                                    "probabilitas": band["match_probability"].to_numpy(),
                                    **{c: band[c].to_numpy() for c in LABEL_COLUMNS}})
    parts = [part for part in (scored_roster, scored_internal, near) if not part.empty]
    if not parts:
        return pd.DataFrame(columns=RAGU_COLUMNS)
    pairs = pd.concat(parts, ignore_index=True)
    pairs["kandidat_urut"] = pairs["kandidat_urut"].astype("Int64")
    pairs = pairs.drop_duplicates(["urut", "kandidat_kpj", "kandidat_urut"])
    at = np.searchsorted(urut, pairs["urut"].to_numpy(dtype="int64"))  # rows are in urut order
    pairs["orang"] = orang[at]
    on_roster = (pairs["kandidat_kpj"] != "").to_numpy()
    settled = settled[settled["orang"].isin(pairs["orang"])].drop_duplicates()
    closed = pairs[["orang", "kandidat_kpj"]].merge(
        settled.rename(columns={"kpj": "kandidat_kpj"}).assign(_tutup=True), on=["orang", "kandidat_kpj"],
        how="left")["_tutup"].notna().to_numpy()
    candidate = pairs["kandidat_urut"].notna().to_numpy()
    same_person = np.zeros(len(pairs), dtype=bool)
    same_person[candidate] = orang[np.searchsorted(urut, pairs["kandidat_urut"].to_numpy()[candidate].astype("int64"))] \
        == pairs["orang"].to_numpy()[candidate]
    decided = rows["putusan"].cat.codes.to_numpy()[at] >= 0
    keep = np.where(on_roster, ~closed, ~same_person & ~decided)
    pairs = pairs[keep.astype(bool)].copy()
    pairs["alasan"] = explain(pairs) if len(pairs) else pd.Series(dtype=object)
    pairs["probabilitas"] = pairs["probabilitas"].astype(float).round(4)
    return pairs[RAGU_COLUMNS].sort_values(["urut", "kandidat_kpj", "kandidat_urut"]).reset_index(drop=True)


def _near_pairs(rows, roster, settled, policy: Policy) -> pd.DataFrame:
    """Same normalised name, birth date and sex: to a roster participant, or to an earlier P3KE row of
    another person, when the two could still be one person: the same desa, a NIK missing on a side, or
    NIKs one keystroke apart or differing only in the serial (include.sources.nik.nik_near). Two NIKs
    that are clearly different in another desa are two people who share a name and a birthday (common
    names make these frequent: on a million hard-matching rows, 38,828 of 39,701 review pairs, 99 % of
    them two people). Scored with the fixed Fellegi-Sunter parameters of policy.yaml; columns urut,
    kandidat_kpj, kandidat_urut, probabilitas and LABEL_COLUMNS. Only the columns compared are joined,
    and within P3KE only the keys held by more than one person. Pairs of a person and a participant
    already settled (linked, or called BEDA: `settled`, orang and roster posisi) are left out first: most
    same-name pairs are a person and their own participant, and review would drop them anyway."""
    columns = ["urut", "orang", "nik_id", "kunci_dekat", "desa_id"]
    mine = rows.loc[rows["kunci_dekat"].notna(), columns].drop_duplicates("orang")  # rows are in urut order
    theirs = roster.loc[roster["kunci_dekat"].notna(), ["nik_id", "kunci_dekat", "desa_id"]]
    to_roster = mine.merge(theirs.assign(posisi=theirs.index.to_numpy()), on="kunci_dekat", suffixes=("", "_k"))
    width = len(roster)
    closed = np.isin(to_roster["orang"].to_numpy(dtype="int64") * width + to_roster["posisi"].to_numpy(),
                     settled["orang"].to_numpy(dtype="int64") * width + settled["posisi"].to_numpy(dtype="int64"))
    to_roster = to_roster[~closed]
    to_roster = to_roster.assign(kandidat_kpj=roster["kpj"].take(to_roster["posisi"].to_numpy()).to_numpy(dtype=object),
                                 kandidat_urut=pd.NA).drop(columns="posisi")
    shared = mine[mine.duplicated("kunci_dekat", keep=False)]
    internal = shared.merge(shared, on="kunci_dekat", suffixes=("", "_k"))
    internal = internal[(internal["urut_k"] < internal["urut"]) & (internal["orang_k"] != internal["orang"])]
    internal = internal.assign(kandidat_kpj="", kandidat_urut=internal["urut_k"])
    pairs = pd.concat([to_roster, internal], ignore_index=True)
    same_desa = (pairs["desa_id"] == pairs["desa_id_k"]).fillna(False).to_numpy(dtype=bool)
    missing = (pairs["nik_id"].isna() | pairs["nik_id_k"].isna()).to_numpy()
    near_nik = near_digits(*_nik_digits(pairs["nik_id"]), *_nik_digits(pairs["nik_id_k"]))
    keep = same_desa | missing | near_nik
    pairs, same_desa, missing, near_nik = pairs[keep], same_desa[keep], missing[keep], near_nik[keep]
    if pairs.empty:
        return pd.DataFrame(columns=["urut", "kandidat_kpj", "kandidat_urut", "probabilitas", *LABEL_COLUMNS])
    equal_nik = (pairs["nik_id"] == pairs["nik_id_k"]).fillna(False).to_numpy(dtype=bool)
    labels = pd.DataFrame({
        "cocok_nama": "sama", "cocok_tanggal_lahir": "sama", "cocok_jenis_kelamin": "sama",
        "cocok_wilayah": np.where(same_desa, "sama", "beda"),
        "cocok_nik": np.select([missing, equal_nik, near_nik], ["kosong", "sama", "mirip"], "beda"),
    }, index=pairs.index)
    weights = _fs_weights(policy, labels)
    labels["match_weight"] = weights
    return pd.DataFrame({"urut": pairs["urut"], "kandidat_kpj": pairs["kandidat_kpj"],
                         "kandidat_urut": pairs["kandidat_urut"],
                         "probabilitas": 1 / (1 + np.exp2(-weights)), **{c: labels[c] for c in LABEL_COLUMNS}})


def _nik_digits(nik_id: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """(has a NIK, its 16 digits) of integer NIKs, for include.sources.nik.near_digits."""
    present = nik_id.notna().to_numpy()
    return number_digits(nik_id.fillna(0).to_numpy(dtype="int64"), present)


def _fs_weights(policy: Policy, labels: pd.DataFrame) -> np.ndarray:
    """Match weight (log2) of each pair from the fixed parameters: prior plus each field's agreement
    (`sama` adds log2(m/u), `beda` adds log2((1-m)/(1-u)), other labels add nothing)."""
    weights = np.full(len(labels), math.log2(policy.fs_prior / (1 - policy.fs_prior)))
    for field, (m, u) in policy.fs_bidang.items():
        label = labels[f"cocok_{field}"].to_numpy()
        weights += np.where(label == "sama", math.log2(m / u), np.where(label == "beda", math.log2((1 - m) / (1 - u)), 0.0))
    return weights
