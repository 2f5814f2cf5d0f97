"""Who is who: P3KE rows grouped into people, people linked to roster participants.

Linking is done once per dataset (it does not depend on the month); `decide`
applies it month by month. The rules (CONTRACTS.md "Same person"):

- decisive: equal usable NIKs, or identical person keys (normalised name,
  birth date, sex, desa), make two P3KE rows the same person and link a
  person to a roster participant;
- probabilistic (include.linkage, Splink): a candidate pair whose match
  probability reaches `pencocokan.atas` is a match when its NIK or its desa
  agrees, one from `pencocokan.bawah` up that is not a match goes to clerical
  review (`perlu_tinjauan`), below is no match;
- one-to-one: a participant is linked to at most one person, and a person
  gets at most one probabilistic link (none when a decisive link exists), best
  probability first;
- reviewers' decisions (SAMA/BEDA, later rows win) override all of the above,
  exact NIK included.

The identities stay in DuckDB (include.linkage.features: read from the staged
files by `link_staged`, or from frames by `link`); Python holds one row of
integer keys per record (the usable NIK as a number, ids of the person key,
of name + birth date + sex and of the desa code) and the scored pairs from
`bawah` up, so a national dataset is linked in bounded memory. Equal keys are
equal texts: the links are those the texts would give. The review pairs and
what a score means (`confident`, `in_review_band`) are in include.review.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from include.policy import Policy
from include.review import confident, roster_positions, uncertain_pairs

SCORE_FLOOR = 0.001  # pairs scored below this are not kept at all
LINK_COLUMNS = ["orang", "kpj", "cara", "probabilitas"]
BOBOT_COLUMNS = ["bobot_dari", "bobot_sampai", "jumlah"]
BOBOT_WIDTH = 2.0  # match-weight bins of the histogram


@dataclass
class Links:
    """orang: person id (the `urut` of the person's first row) per P3KE row `urut`
    (rows quarantined by the static rules are absent); peserta: one row per linked
    participant; ragu: uncertain pairs for clerical review; bobot: a histogram of the
    match weights of every scored candidate pair."""

    orang: pd.Series
    peserta: pd.DataFrame
    ragu: pd.DataFrame
    bobot: pd.DataFrame

    def save(self, folder: Path | str) -> None:
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        folder.chmod(0o700)  # the review pairs carry full NIKs
        self.orang.rename("orang").rename_axis("urut").reset_index().to_parquet(folder / "orang.parquet", index=False)
        for name in ("peserta", "ragu", "bobot"):
            getattr(self, name).to_parquet(folder / f"{name}.parquet", index=False)

    @classmethod
    def load(cls, folder: Path | str) -> Links:
        folder = Path(folder)
        orang = pd.read_parquet(folder / "orang.parquet").set_index("urut")["orang"]
        frames = {name: pd.read_parquet(folder / f"{name}.parquet") for name in ("peserta", "ragu", "bobot")}
        return cls(orang, **frames)

    @staticmethod
    def load_bobot(folder: Path | str) -> pd.DataFrame:
        """The match-weight histogram alone."""
        return pd.read_parquet(Path(folder) / "bobot.parquet")


def weight_of(probability: float) -> float:
    """Match weight (log2 Bayes factor) of a match probability."""
    return math.log2(probability / (1 - probability))


def link(p3ke: pd.DataFrame, peserta: pd.DataFrame, tinjauan: pd.DataFrame, policy: Policy,
         model_json: Path | None = None, save_model_to: Path | None = None) -> Links:
    """Group P3KE rows into people and link people to roster participants.

    p3ke: the dataset's rows with `urut` and the static reason codes in `alasan`;
    peserta: the roster rows that are not quarantined; tinjauan: valid review
    decisions in file and row order. model_json: a saved Splink model to score
    with (no training); save_model_to: where to keep the model used.
    """
    from include.linkage.features import register_frames
    from include.linkage.scoring import connection

    with connection() as con:
        register_frames(con, p3ke[p3ke["alasan"] == ""], peserta)
        found = _find(con, tinjauan, policy, model_json, save_model_to)
    return _links(found, policy)


def link_staged(p3ke: Path | str, peserta: Path | str, tinjauan: pd.DataFrame, policy: Policy,
                model_json: Path | None = None, save_model_to: Path | None = None) -> Links:
    """`link` over the staged dataset files (the rows not quarantined), read by DuckDB: the identities of a
    national dataset never become Python objects, only integer keys and the pairs to decide do."""
    from include.linkage.features import register_staged
    from include.linkage.scoring import connection

    with connection() as con:
        register_staged(con, str(p3ke), str(peserta))
        found = _find(con, tinjauan, policy, model_json, save_model_to)
    return _links(found, policy)  # DuckDB's memory is given back before the pairs are decided


@dataclass
class _Found:
    """What linking takes out of DuckDB: integer keys per record, scored pairs, review decisions."""

    rows: pd.DataFrame  # P3KE records in urut order: urut, KEY_COLUMNS, putusan
    roster: pd.DataFrame  # roster records in position order: kpj, KEY_COLUMNS
    scores: pd.DataFrame  # scored pairs from min(atas, bawah) up (SCORE_COLUMNS)
    bobot: pd.DataFrame  # the weight histogram of every scored pair
    decisions: pd.DataFrame  # _last_decisions
    decided_rows: pd.DataFrame  # id_individu, urut of the rows a P3KE-to-roster verdict names


def _find(con, tinjauan: pd.DataFrame, policy: Policy, model_json: Path | None, save_model_to: Path | None) -> _Found:
    """Keys, scores and decisions of the records of the two source views of `con` (include.linkage.features)."""
    from include.linkage.features import IDENTITY_TABLE, KPJ_TABLE, create_identities
    from include.linkage.model import SOURCE_P3KE
    from include.linkage.scoring import empty_scores, predict, save_model, scores_frame, weight_counts

    if policy.metode not in ("splink", "sederhana"):
        raise ValueError(f"policy.yaml: pencocokan.metode {policy.metode!r} is neither 'sederhana' nor 'splink'")
    offset = create_identities(con)
    decisions = _last_decisions(tinjauan)
    scores = empty_scores().assign(kanan_posisi=pd.array([], dtype="Int64"))
    bobot = _histogram(pd.DataFrame({"bobot_dari": [], "jumlah": []}))
    records = int(con.execute(f"select count(*) from {IDENTITY_TABLE} where sumber = '{SOURCE_P3KE}'").fetchall()[0][0])
    if policy.metode == "splink" and records:
        model = json.loads(Path(model_json).read_text(encoding="utf-8")) if model_json is not None else None
        predictions, model = predict(con, model, seed=policy.seed, save_model_to=save_model_to,
                                     min_probability=SCORE_FLOOR)
        scores = scores_frame(con, predictions, model, offset, at_least=min(policy.ambang_atas, policy.ambang_bawah),
                              positions=True)
        bobot = _histogram(weight_counts(con, predictions, BOBOT_WIDTH))
    elif policy.metode == "splink" and save_model_to is not None and model_json is not None:
        save_model(json.loads(Path(model_json).read_text(encoding="utf-8")), save_model_to)  # nothing to score
    # Splink's tables go before the keys come out: DuckDB's memory and the frames are not held at once.
    for (table,) in con.execute("select table_name from duckdb_tables() where table_name not in (?, ?)",
                                [IDENTITY_TABLE, KPJ_TABLE]).fetchall():
        con.execute(f'drop table "{table}"')
    rows, roster = _p3ke_keys(con, decisions), _roster_keys(con)
    con.execute(f"drop table {IDENTITY_TABLE}")
    return _Found(rows, roster, scores, bobot, decisions, _decided_rows(con, decisions))


def _links(found: _Found, policy: Policy) -> Links:
    """Decide the links from what _find took out of DuckDB."""
    rows, roster, scores = found.rows, found.roster, found.scores
    internal = scores[scores["kanan_kpj"].isna()]
    to_roster = scores[scores["kanan_kpj"].notna()]
    rows["orang"] = _people(rows, internal, policy)
    sama, beda = _kpj_decisions(found.decisions, found.decided_rows, rows)
    linked = _roster_links(rows[["urut", "orang", "nik_id", "kunci_orang"]], roster, to_roster, sama, beda, policy)
    ragu = uncertain_pairs(rows, roster, internal, to_roster, linked, beda, policy)
    orang = rows.set_index("urut")["orang"].astype("int64")
    return Links(orang=orang, peserta=linked[LINK_COLUMNS], ragu=ragu, bobot=found.bobot)


def _keys_frame(con, sql: str) -> pd.DataFrame:
    """A query's result with integer columns holding NULLs as pandas Int64 (NA), not floats."""
    import pyarrow as pa

    return con.sql(sql).to_arrow_table().to_pandas(types_mapper={pa.int64(): pd.Int64Dtype()}.get)


def _p3ke_keys(con, decisions: pd.DataFrame) -> pd.DataFrame:
    """The P3KE rows in urut order: urut, KEY_COLUMNS and putusan (a reviewer's P3KE-internal verdict on the
    row's id_individu, SAMA or BEDA, else NA)."""
    from include.linkage.features import IDENTITY_TABLE, KEY_COLUMNS, SOURCE_P3KE_VIEW
    from include.linkage.model import SOURCE_P3KE

    keys = ", ".join(KEY_COLUMNS)
    rows = _keys_frame(con, f"select unique_id as urut, {keys} from {IDENTITY_TABLE} "
                            f"where sumber = '{SOURCE_P3KE}' order by unique_id")
    rows["urut"] = rows["urut"].astype("int64")
    settled = decisions.loc[decisions["kandidat_kpj"] == "", ["id_individu", "keputusan"]]
    rows["putusan"] = pd.Categorical([None] * len(rows), categories=["SAMA", "BEDA"])
    if not settled.empty:
        con.register("rentan_putusan", settled)
        verdicts = con.execute(f"select s.urut, p.keputusan from {SOURCE_P3KE_VIEW} as s "
                               "join rentan_putusan as p on p.id_individu = s.id_individu").df()
        con.unregister("rentan_putusan")
        position = pd.Series(np.arange(len(rows)), index=rows["urut"].to_numpy())
        rows.loc[position[verdicts["urut"]].to_numpy(), "putusan"] = verdicts["keputusan"].to_numpy()
    return rows


def _roster_keys(con) -> pd.DataFrame:
    """The roster rows in position order (the index): kpj and KEY_COLUMNS."""
    from include.linkage.features import IDENTITY_TABLE, KEY_COLUMNS, KPJ_TABLE
    from include.linkage.model import SOURCE_ROSTER

    keys = ", ".join(f"i.{key}" for key in KEY_COLUMNS)
    return _keys_frame(con, f"select k.kpj, {keys} from {IDENTITY_TABLE} as i join {KPJ_TABLE} as k using (unique_id) "
                            f"where i.sumber = '{SOURCE_ROSTER}' order by i.unique_id")


def _people(rows: pd.DataFrame, internal: pd.DataFrame, policy: Policy) -> np.ndarray:
    """Person id per row (rows has a RangeIndex): connected components over decisive and confident
    same-person edges, without the pairs reviewers called BEDA, plus those they called SAMA."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    position = pd.Series(np.arange(len(rows)), index=rows["urut"].to_numpy())
    matches = internal[confident(internal, policy)]
    pairs = pd.concat([
        _same_key_pairs(rows["nik_id"]),
        _same_key_pairs(rows["kunci_orang"]),
        pd.DataFrame({"a": position[matches["kiri_urut"]].to_numpy(),
                      "b": position[matches["kanan_urut"].astype("int64")].to_numpy()}),
    ], ignore_index=True)
    if rows["putusan"].notna().any():
        pairs = _apply_internal_decisions(pairs, rows, internal, position)
    graph = coo_matrix((np.ones(len(pairs)), (pairs["a"].to_numpy(), pairs["b"].to_numpy())),
                       shape=(len(rows), len(rows)))
    _, component = connected_components(graph, directed=False)
    return pd.Series(rows["urut"].to_numpy()).groupby(component).transform("min").to_numpy()


def _same_key_pairs(keys: pd.Series) -> pd.DataFrame:
    """Edges (positions) from every row to the first row with the same non-missing key."""
    frame = pd.DataFrame({"key": keys.to_numpy(), "a": np.arange(len(keys))}).dropna(subset=["key"])
    frame["b"] = frame.groupby("key")["a"].transform("min")
    return frame.loc[frame["a"] != frame["b"], ["a", "b"]]


def _apply_internal_decisions(pairs, rows, internal, position) -> pd.DataFrame:
    """A P3KE-internal verdict (rows["putusan"]) is on the row and its earlier candidate(s) (scored pairs,
    and rows with the same name, birth date and sex): BEDA removes the edges between them, SAMA adds them."""
    scored = internal[["kiri_urut", "kanan_urut"]].astype("int64")
    near = pd.DataFrame({"key": rows["kunci_dekat"].to_numpy(), "a": np.arange(len(rows))}).dropna(subset=["key"])
    near = near.merge(near, on="key", suffixes=("", "_b"))
    candidates = pd.concat([
        pd.DataFrame({"a": position[scored["kiri_urut"]].to_numpy(), "b": position[scored["kanan_urut"]].to_numpy()}),
        near.loc[near["a"] < near["a_b"], ["a", "a_b"]].rename(columns={"a_b": "b"}),
    ], ignore_index=True).drop_duplicates()
    later = candidates[["a", "b"]].max(axis=1)
    verdict = pd.Series(rows["putusan"].to_numpy()[later])
    beda = candidates[verdict.eq("BEDA").to_numpy()]
    sama = candidates[verdict.eq("SAMA").to_numpy()]
    if not beda.empty:
        drop = set(zip(beda["a"], beda["b"], strict=True)) | set(zip(beda["b"], beda["a"], strict=True))
        keep = [(a, b) not in drop for a, b in zip(pairs["a"], pairs["b"], strict=True)]
        pairs = pairs[np.array(keep, dtype=bool)]
    return pd.concat([pairs, sama], ignore_index=True)


def _last_decisions(tinjauan: pd.DataFrame) -> pd.DataFrame:
    """One verdict per (id_individu, kandidat_kpj): files in name order, later rows win."""
    if tinjauan.empty:
        return pd.DataFrame(columns=["id_individu", "kandidat_kpj", "keputusan"])
    decisions = tinjauan[["id_individu", "kandidat_kpj", "keputusan"]].copy()
    decisions["kandidat_kpj"] = decisions["kandidat_kpj"].fillna("")
    return decisions.drop_duplicates(["id_individu", "kandidat_kpj"], keep="last")


def _decided_rows(con, decisions: pd.DataFrame) -> pd.DataFrame:
    """id_individu and urut of the P3KE rows that verdicts on P3KE-to-roster pairs name."""
    from include.linkage.features import SOURCE_P3KE_VIEW

    on_kpj = decisions.loc[decisions["kandidat_kpj"] != "", ["id_individu"]].drop_duplicates()
    if on_kpj.empty:
        return pd.DataFrame({"id_individu": pd.Series(dtype=object), "urut": pd.Series(dtype="int64")})
    con.register("rentan_putusan_kpj", on_kpj)
    found = con.execute(f"select s.id_individu, s.urut from {SOURCE_P3KE_VIEW} as s "
                        "join rentan_putusan_kpj as p on p.id_individu = s.id_individu order by s.urut").df()
    con.unregister("rentan_putusan_kpj")
    return found


def _kpj_decisions(decisions: pd.DataFrame, decided_rows: pd.DataFrame, rows: pd.DataFrame
                   ) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Verdicts on P3KE-to-roster pairs as (orang, kpj) frames: SAMA pairs and BEDA pairs."""
    on_kpj = decisions[decisions["kandidat_kpj"] != ""]
    at = np.searchsorted(rows["urut"].to_numpy(), decided_rows["urut"].to_numpy(dtype="int64"))
    people = pd.DataFrame({"id_individu": decided_rows["id_individu"].to_numpy(dtype=object),
                           "orang": rows["orang"].to_numpy()[at]}).drop_duplicates()
    pairs = on_kpj.merge(people, on="id_individu")
    pairs = pairs.rename(columns={"kandidat_kpj": "kpj"})
    sama = pairs[pairs["keputusan"] == "SAMA"][["orang", "kpj"]].drop_duplicates()
    beda = pairs[pairs["keputusan"] == "BEDA"][["orang", "kpj"]].drop_duplicates()
    return sama.reset_index(drop=True), beda.reset_index(drop=True)


def _roster_links(person_rows, roster, to_roster, sama, beda, policy: Policy) -> pd.DataFrame:
    """Participant -> person: SAMA decisions, then equal NIK, then identical key, then confident
    probabilistic pairs greedily by probability (one-to-one); BEDA pairs never link. Participants are
    their roster positions (roster's index) until the end: one KPJ per position. LINK_COLUMNS and posisi
    (below 0 for a KPJ a SAMA verdict names that the valid roster lacks)."""
    by_nik = _equal_keys(person_rows, roster, "nik_id")
    by_key = _equal_keys(person_rows, roster, "kunci_orang")
    # A verdict may name a KPJ the valid roster lacks: it gets a position below 0 (-1 - its number).
    named = pd.concat([sama["kpj"], beda["kpj"]], ignore_index=True).astype(object)
    posisi = roster_positions(roster["kpj"], named)
    codes, unknown = pd.factorize(named[posisi < 0])
    posisi[posisi < 0] = -1 - codes
    sama = pd.DataFrame({"orang": sama["orang"].to_numpy(dtype="int64"), "posisi": posisi[:len(sama)]})
    beda = pd.DataFrame({"orang": beda["orang"].to_numpy(dtype="int64"), "posisi": posisi[len(sama):]})
    decisive = pd.concat([sama.assign(cara="SAMA", prioritas=0), by_nik.assign(cara="NIK", prioritas=1),
                          by_key.assign(cara="KUNCI", prioritas=2)], ignore_index=True)
    decisive["probabilitas"] = 1.0
    decisive = _drop_pairs(decisive, beda, "posisi").sort_values(["posisi", "prioritas", "orang"], kind="stable")
    decisive = decisive.drop_duplicates("posisi")

    matches = to_roster[confident(to_roster, policy)]
    at = np.searchsorted(person_rows["urut"].to_numpy(), matches["kiri_urut"].to_numpy(dtype="int64"))
    scored = pd.DataFrame({"orang": person_rows["orang"].to_numpy()[at],
                           "posisi": matches["kanan_posisi"].to_numpy(dtype="int64"),
                           "kpj": matches["kanan_kpj"].to_numpy(),
                           "probabilitas": matches["match_probability"].to_numpy()})
    scored = _drop_pairs(scored, beda, "posisi")
    # Pairs of a participant or a person linked decisively are never chosen: left out before the greedy
    # walk (most confident pairs are the decisive links themselves).
    scored = scored[~(np.isin(scored["posisi"].to_numpy(), decisive["posisi"].to_numpy())
                      | np.isin(scored["orang"].to_numpy(), decisive["orang"].to_numpy()))]
    scored = scored.sort_values(["probabilitas", "orang", "kpj"], ascending=[False, True, True])
    taken_kpj, taken_orang = set(), set()  # decisive ones are out already
    chosen = []
    for orang, kpj_, probability, posisi_ in scored[["orang", "kpj", "probabilitas", "posisi"]].itertuples(index=False):
        if kpj_ in taken_kpj or orang in taken_orang:
            continue
        taken_kpj.add(kpj_)
        taken_orang.add(orang)
        chosen.append((orang, kpj_, "SPLINK", probability, posisi_))
    at = decisive["posisi"].to_numpy()
    known = at >= 0
    kpj = np.empty(len(decisive), dtype=object)
    kpj[known] = roster["kpj"].take(at[known]).to_numpy(dtype=object)
    kpj[~known] = np.asarray(unknown, dtype=object)[-1 - at[~known]]
    decisive["kpj"] = kpj
    columns = [*LINK_COLUMNS, "posisi"]
    linked = pd.concat([decisive[columns], pd.DataFrame(chosen, columns=columns)], ignore_index=True)
    return linked.sort_values("kpj").reset_index(drop=True)


def _equal_keys(person_rows: pd.DataFrame, roster: pd.DataFrame, key: str) -> pd.DataFrame:
    """(orang, posisi) of every P3KE row and roster row with the same non-missing key, in P3KE row order."""
    mine = person_rows.loc[person_rows[key].notna(), ["orang", key]]
    theirs = roster.loc[roster[key].notna(), [key]]
    pairs = pd.DataFrame({"orang": mine["orang"].to_numpy(dtype="int64"), key: mine[key].to_numpy(dtype="int64")}
                         ).merge(pd.DataFrame({key: theirs[key].to_numpy(dtype="int64"),
                                               "posisi": theirs.index.to_numpy(dtype="int64")}), on=key)
    return pairs[["orang", "posisi"]]


def _drop_pairs(frame: pd.DataFrame, pairs: pd.DataFrame, participant: str = "kpj") -> pd.DataFrame:
    if pairs.empty or frame.empty:
        return frame
    marked = frame.merge(pairs[["orang", participant]].assign(_hapus=True), on=["orang", participant], how="left")
    return marked[marked["_hapus"].isna()].drop(columns="_hapus")


def _histogram(counts: pd.DataFrame, width: float = BOBOT_WIDTH) -> pd.DataFrame:
    """BOBOT_COLUMNS from (bobot_dari, jumlah) bins in ascending order."""
    start = counts["bobot_dari"].to_numpy(dtype=float)
    return pd.DataFrame({"bobot_dari": start, "bobot_sampai": start + width,
                         "jumlah": counts["jumlah"].to_numpy().astype("int64")})
