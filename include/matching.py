"""Who is who: P3KE rows grouped into people, people linked to roster participants.

Linking is done once per dataset (it does not depend on the month); `decide`
applies it month by month. The rules (CONTRACTS.md "Same person"):

- two P3KE rows are the same person when their usable NIKs are equal, or their
  person keys (name, birth date, sex, desa) are identical; the relation is
  transitive, and the earliest row of a group is the person;
- a person is linked to a roster participant by equal NIK or identical person
  key, NIK links first; a participant is linked to at most one person;
- identical name, birth date and sex with a different desa is an uncertain
  pair, scored by a Fellegi-Sunter posterior with the fixed parameters of
  policy.yaml, and goes to clerical review;
- reviewers' decisions (SAMA/BEDA, files in name order, later rows win)
  override all of the above, exact NIK included.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from include.policy import Policy

PERSON_KEY = ["nama_kunci", "tanggal_lahir", "jenis_kelamin", "kode_kemdagri"]
NEAR_KEY = ["nama_kunci", "tanggal_lahir", "jenis_kelamin"]
LINK_COLUMNS = ["orang", "kpj", "cara"]
RAGU_COLUMNS = ["urut", "kandidat_kpj", "kandidat_urut", "probabilitas", "alasan"]


@dataclass
class Links:
    """orang: person id (the `urut` of the person's first row) per P3KE row `urut`
    (rows quarantined by the static rules are absent); peserta: one row per linked
    participant; ragu: uncertain pairs for clerical review."""

    orang: pd.Series
    peserta: pd.DataFrame
    ragu: pd.DataFrame

    def save(self, folder: Path | str) -> None:
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        self.orang.rename("orang").rename_axis("urut").reset_index().to_parquet(folder / "orang.parquet", index=False)
        self.peserta.to_parquet(folder / "peserta.parquet", index=False)
        self.ragu.to_parquet(folder / "ragu.parquet", index=False)

    @classmethod
    def load(cls, folder: Path | str) -> Links:
        folder = Path(folder)
        orang = pd.read_parquet(folder / "orang.parquet").set_index("urut")["orang"]
        return cls(orang, pd.read_parquet(folder / "peserta.parquet"), pd.read_parquet(folder / "ragu.parquet"))


def name_key(names: pd.Series) -> pd.Series:
    """Upper case, runs of whitespace collapsed: the name as the simple matcher compares it."""
    return names.astype("string").str.upper().str.split().str.join(" ")


def usable_nik(frame: pd.DataFrame) -> pd.Series:
    """The NIK where it can identify someone: 16 digits and not damaged by Excel, else NA."""
    nik = frame["nik"].astype("string")
    ok = nik.str.fullmatch(r"\d{16}").fillna(False) & ~frame["nik_rusak_excel"].astype(bool)
    return nik.where(ok)


def _with_keys(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    out["nama_kunci"] = name_key(out["nama"])
    out["nik_kunci"] = usable_nik(out)
    return out


def _clusters(p3ke: pd.DataFrame) -> pd.Series:
    """Label propagation over equal NIK and equal person key until stable: min urut per group."""
    label = p3ke["urut"].astype("int64")
    groups = [p3ke.groupby("nik_kunci", dropna=True).ngroup()]
    key_complete = p3ke[PERSON_KEY].notna().all(axis=1)
    groups.append(p3ke[PERSON_KEY].where(key_complete).astype(str).groupby(PERSON_KEY).ngroup().where(key_complete, -1))
    while True:
        before = label.copy()
        for group in groups:
            valid = group >= 0
            label[valid] = label[valid].groupby(group[valid]).transform("min")
        if label.equals(before):
            return label


def _fs_probability(policy: Policy, agree: dict[str, bool]) -> float:
    """Posterior probability of a true match given which fields agree."""
    logit = math.log(policy.fs_prior / (1 - policy.fs_prior))
    for field, (m, u) in policy.fs_bidang.items():
        logit += math.log(m / u) if agree[field] else math.log((1 - m) / (1 - u))
    return 1 / (1 + math.exp(-logit))


def link(p3ke: pd.DataFrame, peserta: pd.DataFrame, tinjauan: pd.DataFrame, policy: Policy) -> Links:
    """Group P3KE rows into people and link people to roster participants.

    p3ke: the dataset's rows with `urut` and the static reason codes in `alasan`;
    peserta: the roster rows that are not quarantined; tinjauan: valid review
    decisions in file and row order.
    """
    rows = _with_keys(p3ke[p3ke["alasan"] == ""])
    roster = _with_keys(peserta)
    rows["orang"] = _clusters(rows).to_numpy()
    decisions = _last_decisions(tinjauan)
    rows = _apply_internal_decisions(rows, decisions)
    person_rows = rows[["urut", "orang", "nik_kunci", *PERSON_KEY]]

    by_nik = person_rows.dropna(subset=["nik_kunci"]).merge(
        roster[["kpj", "nik_kunci"]].dropna(subset=["nik_kunci"]), on="nik_kunci"
    )
    by_nik = by_nik.assign(cara="NIK", prioritas=0)
    complete = person_rows.dropna(subset=PERSON_KEY)
    by_key = complete.merge(roster[["kpj", *PERSON_KEY]].dropna(subset=PERSON_KEY), on=PERSON_KEY)
    by_key = by_key.assign(cara="KUNCI", prioritas=1)
    candidates = pd.concat([by_nik, by_key], ignore_index=True)[["orang", "kpj", "cara", "prioritas", "urut"]]

    sama, beda = _kpj_decisions(decisions, rows)
    candidates = candidates.merge(beda, on=["orang", "kpj"], how="left", indicator=True)
    candidates = candidates[candidates["_merge"] == "left_only"].drop(columns="_merge")
    sama = sama.assign(cara="SAMA", prioritas=-1, urut=sama["orang"])
    candidates = pd.concat([sama, candidates], ignore_index=True)
    candidates = candidates.sort_values(["kpj", "prioritas", "orang"], kind="stable")
    linked = candidates.drop_duplicates("kpj")[LINK_COLUMNS].reset_index(drop=True)

    ragu = _uncertain_pairs(rows, roster, linked, beda, decisions, policy)
    orang = rows.set_index("urut")["orang"].astype("int64")
    return Links(orang=orang, peserta=linked, ragu=ragu)


def _last_decisions(tinjauan: pd.DataFrame) -> pd.DataFrame:
    """One verdict per (id_individu, kandidat_kpj): files in name order, later rows win."""
    if tinjauan.empty:
        return pd.DataFrame(columns=["id_individu", "kandidat_kpj", "keputusan"])
    decisions = tinjauan[["id_individu", "kandidat_kpj", "keputusan"]].copy()
    decisions["kandidat_kpj"] = decisions["kandidat_kpj"].fillna("")
    return decisions.drop_duplicates(["id_individu", "kandidat_kpj"], keep="last")


def _kpj_decisions(decisions: pd.DataFrame, rows: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Verdicts on P3KE-to-roster pairs as (orang, kpj) frames: SAMA pairs and BEDA pairs."""
    on_kpj = decisions[decisions["kandidat_kpj"] != ""]
    pairs = on_kpj.merge(rows[["id_individu", "orang"]].drop_duplicates(), on="id_individu")
    pairs = pairs.rename(columns={"kandidat_kpj": "kpj"})
    sama = pairs[pairs["keputusan"] == "SAMA"][["orang", "kpj"]].drop_duplicates()
    beda = pairs[pairs["keputusan"] == "BEDA"][["orang", "kpj"]].drop_duplicates()
    return sama.reset_index(drop=True), beda.reset_index(drop=True)


def _internal_candidates(rows: pd.DataFrame) -> pd.DataFrame:
    """Pairs (urut, kandidat_urut) of a row and an earlier row of another person with the same near key."""
    near = rows.dropna(subset=NEAR_KEY)[["urut", "orang", *NEAR_KEY, "kode_kemdagri"]]
    first = near.sort_values("urut").drop_duplicates("orang")
    pairs = first.merge(first, on=NEAR_KEY, suffixes=("", "_k"))
    pairs = pairs[(pairs["urut_k"] < pairs["urut"]) & (pairs["orang_k"] != pairs["orang"])]
    return pairs.rename(columns={"urut_k": "kandidat_urut"})


def _apply_internal_decisions(rows: pd.DataFrame, decisions: pd.DataFrame) -> pd.DataFrame:
    """SAMA on a P3KE-internal pair (empty kandidat_kpj) merges the row into its earlier candidate."""
    sama = decisions[(decisions["kandidat_kpj"] == "") & (decisions["keputusan"] == "SAMA")]
    if sama.empty:
        return rows
    pairs = _internal_candidates(rows)
    chosen = pairs.merge(rows[["urut", "id_individu"]], on="urut").merge(sama, on="id_individu")
    rows = rows.copy()
    for _, pair in chosen.sort_values("urut").iterrows():
        target = rows.loc[rows["urut"] == pair["kandidat_urut"], "orang"].iloc[0]
        rows.loc[rows["orang"] == pair["orang"], "orang"] = target
    return rows


def _uncertain_pairs(
    rows: pd.DataFrame,
    roster: pd.DataFrame,
    linked: pd.DataFrame,
    beda: pd.DataFrame,
    decisions: pd.DataFrame,
    policy: Policy,
) -> pd.DataFrame:
    persons = rows.sort_values("urut").drop_duplicates("orang")
    near = persons.dropna(subset=NEAR_KEY)
    probability = _fs_probability(policy, {"nama": True, "tanggal_lahir": True, "jenis_kelamin": True,
                                           "kode_kemdagri": False})
    to_roster = near.merge(roster.dropna(subset=NEAR_KEY)[["kpj", *NEAR_KEY, "kode_kemdagri"]],
                           on=NEAR_KEY, suffixes=("", "_k"))
    to_roster = to_roster[to_roster["kode_kemdagri"] != to_roster["kode_kemdagri_k"]]
    taken = set(zip(linked["orang"], linked["kpj"], strict=True)) | set(zip(beda["orang"], beda["kpj"], strict=True))
    open_pair = [(o, k) not in taken for o, k in zip(to_roster["orang"], to_roster["kpj"], strict=True)]
    to_roster = to_roster[pd.Series(open_pair, index=to_roster.index, dtype=bool)]
    to_roster = to_roster.assign(kandidat_kpj=to_roster["kpj"], kandidat_urut=pd.NA)

    internal = _internal_candidates(rows)
    internal = internal[internal["kode_kemdagri"] != internal["kode_kemdagri_k"]]
    settled = decisions[decisions["kandidat_kpj"] == ""]["id_individu"]
    internal = internal.merge(rows[["urut", "id_individu"]], on="urut")
    internal = internal[~internal["id_individu"].isin(settled)].assign(kandidat_kpj="")

    pairs = pd.concat([to_roster, internal], ignore_index=True)
    if pairs.empty:
        return pd.DataFrame(columns=RAGU_COLUMNS)
    pairs["probabilitas"] = round(probability, 4)
    pairs["alasan"] = "NAMA, TANGGAL LAHIR, JENIS KELAMIN SAMA; DESA BERBEDA"
    pairs["kandidat_urut"] = pairs["kandidat_urut"].astype("Int64")
    return pairs[RAGU_COLUMNS].sort_values(["urut", "kandidat_kpj", "kandidat_urut"]).reset_index(drop=True)
