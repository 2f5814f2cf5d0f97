"""Score candidate pairs of people with the Splink model: P3KE within itself and P3KE against the roster.

Training is reproducible: the prior from the count of exact-NIK pairs; u from a seeded hash sample of
record pairs, counted over all chunks (no early stop, whose outcome could depend on chunk timing); m by EM
on aggregated agreement patterns with a fixed iteration cap. The trained parameters are rounded to 10
significant digits (float summation order in parallel aggregation cannot leak into the model) and scoring
always runs from that model dict, the same one written to `save_model_to`: a run given `model_json`
skips training and scores identically.

DuckDB runs in memory with MEMORY_LIMIT and spills to a private temporary directory, removed afterwards.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
from splink import DuckDBAPI, Linker, block_on
from splink.internals.splink_dataframe import SplinkDataFrame

from include.linkage import model as spec
from include.linkage.features import IDENTITY_COLUMNS, INPUT_TABLE, KPJ_TABLE, create_identities, register_frames

SCORE_COLUMNS = [
    "kiri_urut",
    "kanan_urut",
    "kanan_kpj",
    "match_weight",
    "match_probability",
    *(f"cocok_{field}" for field in spec.COMPARED_FIELDS),
]
MEMORY_LIMIT = "3GB"  # DuckDB spills to a temporary directory beyond this

logger = logging.getLogger(__name__)
logging.getLogger("splink").setLevel(logging.WARNING)


def score_pairs(
    p3ke: pd.DataFrame,
    roster: pd.DataFrame,
    *,
    seed: int,
    model_json: Path | None,
    save_model_to: Path | None,
    min_probability: float,
) -> pd.DataFrame:
    """Scored candidate pairs with match_probability >= min_probability, columns SCORE_COLUMNS.

    p3ke: urut (unique int) + nama, nik, jenis_kelamin, tanggal_lahir, kode_kemdagri, and optionally
    id_keluarga_p3ke (two rows of one household with different names are then kept apart: twins);
    roster: kpj + the same identity columns. A nik that is not 16 digits counts as missing.
    A row is a P3KE-internal pair (kanan_urut set, kanan_kpj None, always kiri_urut < kanan_urut) or a
    P3KE-roster pair (kanan_urut NA, kanan_kpj set); roster-roster pairs are never made. cocok_<field>:
    sama, mirip, beda or kosong (missing on either side). Sorted by kiri_urut, kanan_urut, kanan_kpj.
    Trains on these frames with `seed` unless `model_json` (a saved model) is given; writes the model
    used to `save_model_to` when given (not when p3ke is empty: nothing is scored then).
    """
    _check_columns(p3ke, ["urut", *IDENTITY_COLUMNS], "p3ke")
    _check_columns(roster, ["kpj", *IDENTITY_COLUMNS], "roster")
    if not p3ke["urut"].is_unique:
        raise ValueError("p3ke: column urut has repeated values; give every P3KE row its own urut")
    model = json.loads(Path(model_json).read_text(encoding="utf-8")) if model_json is not None else None
    if p3ke.empty:
        if save_model_to is not None and model is not None:
            save_model(model, save_model_to)
        return empty_scores()
    with connection() as con:
        register_frames(con, p3ke, roster)
        offset = create_identities(con)
        predictions, model = predict(con, model, seed=seed, save_model_to=save_model_to,
                                     min_probability=min_probability)
        return scores_frame(con, predictions, model, offset)


def predict(
    con: duckdb.DuckDBPyConnection,
    model: dict[str, Any] | None,
    *,
    seed: int,
    save_model_to: Path | None,
    min_probability: float,
) -> tuple[str, dict[str, Any]]:
    """Score the candidate pairs of INPUT_TABLE (features.create_identities) into a DuckDB table: its name,
    and the model used (`model`, or one trained here with `seed`; written to `save_model_to` when given)."""
    records = DuckDBAPI(connection=con).register(INPUT_TABLE)
    if model is None:
        model = train(records, seed)
    if save_model_to is not None:
        save_model(model, save_model_to)
    linker = Linker(records, model, log_level=None)  # Splink copies the dict
    predictions = linker.inference.predict(threshold_match_probability=min_probability, warning_mode="never")
    return predictions.physical_name, model


def train(records: SplinkDataFrame, seed: int) -> dict[str, Any]:
    """Estimate the model on the registered input table; the tidied model dict (see module docstring).

    An EM session whose blocking rule yields fewer than EM_MIN_PAIRS pairs (small data) is skipped: its
    comparisons keep the starting m of model.py.
    """
    con = records.db_api.duckdb_con
    rows = int(con.execute(f"select count(*) from {records.physical_name}").fetchall()[0][0])
    all_pairs = max(1, rows * (rows - 1) // 2)
    prior = _pair_count(con, records.physical_name, ("nik",)) / spec.NIK_RECALL / all_pairs
    linker = Linker(records, spec.settings(min(0.5, max(1 / all_pairs, prior))), log_level=None)
    training = linker.training
    training.estimate_u_using_random_sampling(
        max_pairs=spec.U_MAX_PAIRS, seed=seed, num_chunks=10, min_count_per_level=None
    )
    for keys in spec.EM_KEYS:
        if _pair_count(con, records.physical_name, keys) < spec.EM_MIN_PAIRS:
            logger.warning("linkage: too few pairs with equal %s to estimate m there; starting values kept", keys)
            continue
        training.estimate_parameters_using_expectation_maximisation(
            block_on(*keys), estimate_without_term_frequencies=True
        )
    return _tidy(linker.misc.save_model_to_json())


def _pair_count(con: duckdb.DuckDBPyConnection, table: str, keys: tuple[str, ...]) -> int:
    """Pairs of records agreeing on all `keys` (none of them null)."""
    columns = ", ".join(keys)
    present = " and ".join(f"{key} is not null" for key in keys)
    groups = f"select count(*) as n from {table} where {present} group by {columns}"
    return int(con.execute(f"select coalesce(sum(n * (n - 1) // 2), 0) from ({groups})").fetchall()[0][0])


def save_model(model: dict[str, Any], path: Path | str) -> None:
    """Write the model JSON (indented, keys in Splink's order)."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text(json.dumps(model, indent=2) + "\n", encoding="utf-8")


def empty_scores() -> pd.DataFrame:
    """An empty frame with the columns and dtypes of score_pairs' result."""
    frame = pd.DataFrame({column: pd.Series(dtype=object) for column in SCORE_COLUMNS})
    return frame.astype(
        {"kiri_urut": "int64", "kanan_urut": "Int64", "match_weight": float, "match_probability": float}
    )


def _check_columns(frame: pd.DataFrame, required: list[str], what: str) -> None:
    missing = [column for column in required if column not in frame.columns]
    if missing:
        raise ValueError(f"{what}: missing column(s) {', '.join(missing)}; pass the normalised frame with them")


@contextmanager
def connection() -> Iterator[duckdb.DuckDBPyConnection]:
    """An in-memory DuckDB with a memory limit that spills to a private temporary directory."""
    with tempfile.TemporaryDirectory(prefix="rentan_linkage_") as spill:
        con = duckdb.connect(
            config={
                "memory_limit": MEMORY_LIMIT,
                "temp_directory": spill,
                "threads": os.cpu_count() or 1,
                "preserve_insertion_order": False,
            }
        )
        try:
            yield con
        finally:
            con.close()


def _significant(value: float) -> float:
    return float(f"{value:.10g}")


def _tidy(model: dict[str, Any]) -> dict[str, Any]:
    """Every parameter explicit and rounded: m of a trained level at least M_FLOOR (Splink would use 1e-6
    for a level EM never saw), u of a level no sampled pair reached U_UNOBSERVED (Splink would fall back
    on a generic default)."""
    for comparison in model["comparisons"]:
        for level in comparison["comparison_levels"]:
            if level.get("is_null_level"):
                continue
            m, u = level.get("m_probability"), level.get("u_probability")
            if not level.get("fix_m_probability"):
                m = max(spec.M_FLOOR, m if isinstance(m, float | int) else 0.0)
            if not isinstance(u, float | int):
                u = spec.U_UNOBSERVED
            level["m_probability"], level["u_probability"] = _significant(m), _significant(u)
    model["probability_two_random_records_match"] = _significant(model["probability_two_random_records_match"])
    return model


def _label_sql(field: str, labels: dict[int, str]) -> str:
    whens = " ".join(f"when {gamma} then '{label}'" for gamma, label in sorted(labels.items()))
    return f"case gamma_{field} {whens} end as cocok_{field}"


def scores_frame(
    con: duckdb.DuckDBPyConnection,
    predictions: str,
    model: dict[str, Any],
    offset: int,
    at_least: float | None = None,
    positions: bool = False,
) -> pd.DataFrame:
    """The prediction table as SCORE_COLUMNS (those with match_probability >= at_least when given): ids to
    urut / kpj, gammas to labels (unique_id_l < unique_id_r, and a P3KE row is always on the left).
    positions: also kanan_posisi, the roster position of a P3KE-roster pair (NA for an internal one)."""
    labels = spec.level_labels(model)
    label_columns = ",\n".join(_label_sql(field, labels[field]) for field in spec.COMPARED_FIELDS)
    internal = f"p.unique_id_r < {offset}"
    kept = "" if at_least is None else "where p.match_probability >= $at_least"
    sql = f"""
        select
            p.unique_id_l as kiri_urut,
            case when {internal} then p.unique_id_r end as kanan_urut,
            k.kpj as kanan_kpj,
            case when not ({internal}) then p.unique_id_r - {offset} end as kanan_posisi,
            p.match_weight,
            p.match_probability,
            {label_columns}
        from {predictions} as p
        left join {KPJ_TABLE} as k on not ({internal}) and k.unique_id = p.unique_id_r
        {kept}
        order by kiri_urut, kanan_urut nulls last, kanan_kpj
    """
    frame = (con.execute(sql) if at_least is None else con.execute(sql, {"at_least": float(at_least)})).df()
    if frame.empty:
        empty = empty_scores()
        return empty.assign(kanan_posisi=pd.array([], dtype="Int64")) if positions else empty
    frame["kiri_urut"] = frame["kiri_urut"].astype("int64")
    frame["kanan_urut"] = frame["kanan_urut"].astype("Int64")
    frame["kanan_kpj"] = frame["kanan_kpj"].astype(object).where(frame["kanan_kpj"].notna(), None)
    frame["match_weight"] = frame["match_weight"].astype(float)
    frame["match_probability"] = frame["match_probability"].astype(float)
    frame["kanan_posisi"] = frame["kanan_posisi"].astype("Int64")
    return frame[[*SCORE_COLUMNS, "kanan_posisi"] if positions else SCORE_COLUMNS].reset_index(drop=True)


def weight_counts(con: duckdb.DuckDBPyConnection, predictions: str, width: float) -> pd.DataFrame:
    """Scored pairs per match-weight bin of `width` (bin start, count), ascending: the histogram computed
    where the pairs are, so no national list of pairs is brought into Python for it."""
    return con.execute(f"""
        select floor(match_weight / $width) * $width as bobot_dari, count(*) as jumlah
        from {predictions} group by 1 order by 1
    """, {"width": float(width)}).df()
