"""Score candidate pairs of people with the Splink model: P3KE within itself and P3KE against the roster.

Training is reproducible: u by seeded hash sampling, the prior from exact-NIK pairs, m by EM on
aggregated agreement patterns with a fixed iteration cap; the trained parameters are rounded to 10
significant digits (so float summation order cannot leak into the model) and scoring always runs from
that model dict, the same one written to `save_model_to`. A run given `model_json` skips training and
scores identically.
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
from splink import DuckDBAPI, Linker

from include.linkage import model as spec
from include.linkage.features import IDENTITY_COLUMNS, P3KE_TABLE, ROSTER_TABLE, create_input_tables

SCORE_COLUMNS = [
    "kiri_urut",
    "kanan_urut",
    "kanan_kpj",
    "match_weight",
    "match_probability",
    *(f"cocok_{field}" for field in spec.COMPARED_FIELDS),
]
MEMORY_LIMIT = "3GB"
KPJ_TABLE = "rentan_kpj"

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

    p3ke: urut (unique int) + nama, nik, jenis_kelamin, tanggal_lahir, kode_kemdagri; roster: kpj + the
    same identity columns. A row is a P3KE-internal pair (kanan_urut set, kanan_kpj None, always
    kiri_urut < kanan_urut) or a P3KE-roster pair (kanan_urut NA, kanan_kpj set). cocok_<field>: sama,
    mirip, beda or kosong (missing on either side). Sorted by kiri_urut, kanan_urut, kanan_kpj.
    Trains on these frames with `seed` unless `model_json` (a saved model) is given; writes the model
    used to `save_model_to` when given.
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
    with _connection() as con:
        create_input_tables(con, p3ke, roster)
        kpj = pd.DataFrame({"unique_id": range(len(roster)), "kpj": roster["kpj"].astype("string")})
        con.register("rentan_kpj_input", kpj)
        con.execute(f"create or replace table {KPJ_TABLE} as select * from rentan_kpj_input")
        con.unregister("rentan_kpj_input")
        db_api = DuckDBAPI(connection=con)
        inputs = [db_api.register(P3KE_TABLE), db_api.register(ROSTER_TABLE)]
        if model is None:
            model = train(inputs, seed)
        if save_model_to is not None:
            save_model(model, save_model_to)
        linker = Linker(inputs, json.loads(json.dumps(model)), log_level=None)
        predictions = linker.inference.predict(threshold_match_probability=min_probability, warning_mode="never")
        return _scores(con, predictions.physical_name, spec.level_labels(model))


def train(inputs: list, seed: int) -> dict[str, Any]:
    """Estimate the model on the registered inputs; the tidied model dict (see module docstring)."""
    linker = Linker(inputs, spec.settings(), log_level=None)
    training = linker.training
    training.estimate_probability_two_random_records_match(list(spec.PRIOR_RULES), recall=spec.NIK_RECALL)
    training.estimate_u_using_random_sampling(max_pairs=spec.U_MAX_PAIRS, seed=seed)
    for rule in spec.EM_RULES:
        training.estimate_parameters_using_expectation_maximisation(rule, estimate_without_term_frequencies=True)
    return _tidy(linker.misc.save_model_to_json(), _row_count(inputs))


def save_model(model: dict[str, Any], path: Path | str) -> None:
    """Write the model JSON (indented, keys in Splink's order)."""
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text(json.dumps(model, indent=2) + "\n", encoding="utf-8")


def empty_scores() -> pd.DataFrame:
    """An empty frame with the columns and dtypes of score_pairs' result."""
    frame = pd.DataFrame({column: pd.Series(dtype=object) for column in SCORE_COLUMNS})
    return frame.astype({"kiri_urut": "int64", "kanan_urut": "Int64", "match_weight": float, "match_probability": float})


def _check_columns(frame: pd.DataFrame, required: list[str], what: str) -> None:
    missing = [column for column in required if column not in frame.columns]
    if missing:
        raise ValueError(f"{what}: missing column(s) {', '.join(missing)}; pass the normalised frame with them")


@contextmanager
def _connection() -> Iterator[duckdb.DuckDBPyConnection]:
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


def _row_count(inputs: list) -> int:
    return sum(int(sdf.db_api.duckdb_con.execute(f"select count(*) from {sdf.physical_name}").fetchall()[0][0])
               for sdf in inputs)


def _significant(value: float) -> float:
    return float(f"{value:.10g}")


def _tidy(model: dict[str, Any], rows: int) -> dict[str, Any]:
    """Rounded parameters; a level training never saw gets a small m instead of Splink's 1e-6; the prior
    is kept above one pair in all possible pairs (no exact-NIK pair at all gives 0)."""
    for comparison in model["comparisons"]:
        for level in comparison["comparison_levels"]:
            if level.get("is_null_level"):
                continue
            for key in ("m_probability", "u_probability"):
                value = level.get(key)
                if not isinstance(value, float | int):
                    value = spec.DEFAULT_M_UNOBSERVED if key == "m_probability" else None
                if value is not None:
                    level[key] = _significant(value)
    floor = 1 / max(1, rows * (rows - 1) // 2)
    prior = model["probability_two_random_records_match"]
    model["probability_two_random_records_match"] = _significant(min(0.5, max(floor, prior)))
    return model


def _label_sql(field: str, labels: dict[int, str]) -> str:
    whens = " ".join(f"when {gamma} then '{label}'" for gamma, label in sorted(labels.items()))
    return f"case gamma_{field} {whens} end as cocok_{field}"


def _scores(con: duckdb.DuckDBPyConnection, predictions: str, labels: dict[str, dict[int, str]]) -> pd.DataFrame:
    """The prediction table as SCORE_COLUMNS: ids put in order, gammas turned into labels."""
    label_columns = ",\n".join(_label_sql(field, labels[field]) for field in spec.COMPARED_FIELDS)
    internal = f"p.source_dataset_r = '{spec.SOURCE_P3KE}'"
    sql = f"""
        select
            case when {internal} then least(p.unique_id_l, p.unique_id_r) else p.unique_id_l end as kiri_urut,
            case when {internal} then greatest(p.unique_id_l, p.unique_id_r) end as kanan_urut,
            k.kpj as kanan_kpj,
            p.match_weight,
            p.match_probability,
            {label_columns}
        from {predictions} as p
        left join {KPJ_TABLE} as k on not ({internal}) and k.unique_id = p.unique_id_r
        order by kiri_urut, kanan_urut nulls last, kanan_kpj
    """
    frame = con.execute(sql).df()
    if frame.empty:
        return empty_scores()
    frame["kiri_urut"] = frame["kiri_urut"].astype("int64")
    frame["kanan_urut"] = frame["kanan_urut"].astype("Int64")
    frame["kanan_kpj"] = frame["kanan_kpj"].astype(object).where(frame["kanan_kpj"].notna(), None)
    frame["match_weight"] = frame["match_weight"].astype(float)
    frame["match_probability"] = frame["match_probability"].astype(float)
    return frame[SCORE_COLUMNS].reset_index(drop=True)
