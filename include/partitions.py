"""Parts of a dataset for the month's decisions: closed groups of people, each decided on its own.

A month is decided part by part, so the memory a decision needs follows the size of a part, not of the
country. A part is closed: it holds every P3KE row of each of its people, the roster participants linked
to them, and both sides of every review pair of theirs, so nothing decided in one part reads a row of
another. Parts are made once per dataset, after matching:

    plan = plan_parts(...)               # part of every P3KE, roster and claim row
    split_dataset(dataset_dir, folder, plan, columns)   # <folder>/<k>/{p3ke,peserta,klaim}.parquet

The groups are the connected components of the graph whose nodes are the P3KE rows and the roster rows
and whose edges join a row to its person, a person to each participant linked to it, and the two sides
of each review pair (include.matching.Links). Components, in the order of their first row (P3KE rows by
urut, then roster rows), are dealt into parts of about `part_rows` rows each, in that order. Claims are
only counted by a decision (never joined), so they are dealt by position. Rows quarantined by the static
rules are nobody's: each is a component of its own.
"""

from __future__ import annotations

import json
import math
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

SOURCES_SPLIT = ("p3ke", "peserta", "klaim")
BATCH_ROWS = 65_536  # rows read at a time while splitting
PLAN_FILE = "rencana.json"


@dataclass(frozen=True)
class PartPlan:
    """The part (0 .. parts-1) of every staged row, per source, in the staged order."""

    p3ke: np.ndarray
    peserta: np.ndarray
    klaim: np.ndarray
    parts: int

    def rows(self) -> list[dict]:
        """Rows per part and source: what the split writes (no personal data)."""
        counts = {name: np.bincount(getattr(self, name), minlength=self.parts) for name in SOURCES_SPLIT}
        return [{name: int(counts[name][k]) for name in SOURCES_SPLIT} for k in range(self.parts)]


def part_count(rows: int, part_rows: int) -> int:
    """How many parts `rows` P3KE and roster rows make at `part_rows` a part (at least one)."""
    return max(1, math.ceil(rows / part_rows))


def plan_parts(p3ke_rows: int, orang: pd.Series, linked: pd.DataFrame, ragu: pd.DataFrame, roster_kpj,
               roster_valid: np.ndarray, klaim_rows: int, part_rows: int) -> PartPlan:
    """Deal the dataset into closed parts (module docstring).

    p3ke_rows: staged P3KE rows (urut is 0 .. p3ke_rows-1, the staged order); orang: person (urut of its
    first row) per urut of the rows not quarantined; linked: orang, kpj of each linked participant; ragu:
    urut, kandidat_kpj ('' for none), kandidat_urut (NA for none); roster_kpj: the kpj of every staged
    roster row (an Arrow array or a sequence), roster_valid: which of them are not quarantined (links
    and review pairs refer to those); klaim_rows: staged claim rows.
    """
    import pyarrow as pa
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components

    roster_valid = np.asarray(roster_valid, dtype=bool)
    roster_rows = len(roster_valid)
    valid_at = np.flatnonzero(roster_valid)
    if isinstance(roster_kpj, pa.ChunkedArray):
        roster_kpj = roster_kpj.combine_chunks()
    kpj = roster_kpj if isinstance(roster_kpj, pa.Array) else pa.array(list(roster_kpj), type=pa.string())
    valid_kpj = kpj.filter(pa.array(roster_valid))

    def roster_node(values) -> np.ndarray:
        """Node of the (first) valid roster row of each kpj; -1 where there is none."""
        found = _positions(values, valid_kpj)
        return np.where(found >= 0, p3ke_rows + valid_at[np.maximum(found, 0)], -1)

    edges = []
    urut = orang.index.to_numpy(dtype="int64")
    edges.append((urut, orang.to_numpy(dtype="int64")))
    if len(valid_kpj):  # rows of one kpj stay together (the roster has one row per kpj; this is a guard)
        first = _positions(valid_kpj, valid_kpj)
        edges.append((p3ke_rows + valid_at, np.where(first >= 0, p3ke_rows + valid_at[np.maximum(first, 0)], -1)))
    if len(linked):
        edges.append((linked["orang"].to_numpy(dtype="int64"), roster_node(linked["kpj"].to_numpy(dtype=object))))
    if len(ragu):
        to_kpj = (ragu["kandidat_kpj"].fillna("") != "").to_numpy()
        edges.append((ragu["urut"].to_numpy(dtype="int64")[to_kpj],
                      roster_node(ragu["kandidat_kpj"].to_numpy(dtype=object)[to_kpj])))
        to_row = ragu["kandidat_urut"].notna().to_numpy()
        edges.append((ragu["urut"].to_numpy(dtype="int64")[to_row],
                      ragu["kandidat_urut"][to_row].to_numpy(dtype="int64")))
    a = np.concatenate([e[0] for e in edges]) if edges else np.zeros(0, dtype="int64")
    b = np.concatenate([e[1] for e in edges]) if edges else np.zeros(0, dtype="int64")
    keep = (a >= 0) & (b >= 0)
    nodes = p3ke_rows + roster_rows
    graph = coo_matrix((np.ones(int(keep.sum()), dtype=np.int8), (a[keep], b[keep])), shape=(nodes, nodes))
    _, component = connected_components(graph, directed=False)

    # Components in the order of their first node; each goes to the part its first row falls in when the
    # nodes so ordered are cut into `parts` equal spans. Parts left empty by a large component are dropped.
    first_node = np.full(component.max() + 1 if nodes else 0, nodes, dtype="int64")
    np.minimum.at(first_node, component, np.arange(nodes, dtype="int64"))
    order = np.argsort(first_node, kind="stable")
    sizes = np.bincount(component, minlength=len(first_node))[order]
    starts = np.cumsum(sizes) - sizes
    parts = part_count(nodes, part_rows)
    part_of_component = np.empty(len(first_node), dtype="int64")
    part_of_component[order] = np.minimum(parts - 1, starts * parts // max(1, nodes))
    used, part_of_component = np.unique(part_of_component, return_inverse=True)
    parts = max(1, len(used))
    node_part = part_of_component[component] if nodes else np.zeros(0, dtype="int64")
    klaim = (np.arange(klaim_rows, dtype="int64") * parts) // max(1, klaim_rows)
    return PartPlan(p3ke=node_part[:p3ke_rows], peserta=node_part[p3ke_rows:], klaim=klaim, parts=parts)


def _positions(values, value_set) -> np.ndarray:
    """Index in `value_set` (an Arrow string array) of each value's first occurrence; -1 for a missing
    value or one not there."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if not isinstance(values, pa.Array):
        items = pd.Series(values, dtype=object)
        values = pa.array(items.where(items.notna(), None).tolist(), type=pa.string())
    found = pc.index_in(values, value_set=value_set, skip_nulls=True).fill_null(-1)
    return found.to_numpy(zero_copy_only=False).astype("int64")


def split_dataset(dataset_dir: Path | str, folder: Path | str, plan: PartPlan,
                  columns: dict[str, list[str] | None], stamp: dict) -> None:
    """Write <folder>/<k>/<source>.parquet for every part, streaming the staged files in batches of
    BATCH_ROWS (rows keep their staged order within a part), and <folder>/rencana.json: `stamp` plus the
    rows per part. The folder is written beside and swapped in whole."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder = Path(folder)
    temp = folder.with_name(f".{folder.name}.{os.getpid()}.tmp")
    shutil.rmtree(temp, ignore_errors=True)
    for k in range(plan.parts):
        (temp / str(k)).mkdir(parents=True)
    for name in SOURCES_SPLIT:
        source = pq.ParquetFile(Path(dataset_dir) / f"{name}.parquet")
        wanted = columns.get(name)
        if wanted is not None:
            wanted = [c for c in wanted if c in source.schema_arrow.names]
        schema = source.schema_arrow if wanted is None else pa.schema([source.schema_arrow.field(c) for c in wanted])
        part_of = getattr(plan, name)
        if len(part_of) != source.metadata.num_rows:
            raise ValueError(f"{name}.parquet holds {source.metadata.num_rows} rows, the plan {len(part_of)}: "
                             "plan the parts of the dataset being split")
        writers = [pq.ParquetWriter(temp / str(k) / f"{name}.parquet", schema) for k in range(plan.parts)]
        try:
            offset = 0
            for batch in source.iter_batches(batch_size=BATCH_ROWS, columns=wanted):
                here = part_of[offset:offset + batch.num_rows]
                offset += batch.num_rows
                for k in np.unique(here):
                    writers[k].write_batch(batch.filter(pa.array(here == k)))
        finally:
            for writer in writers:
                writer.close()
    (temp / PLAN_FILE).write_text(json.dumps({**stamp, "bagian": plan.rows()}, indent=2, sort_keys=True),
                                  encoding="utf-8")
    old = folder.with_name(f".{folder.name}.{os.getpid()}.old")
    if folder.exists():
        os.replace(folder, old)
    os.replace(temp, folder)
    shutil.rmtree(old, ignore_errors=True)


def read_plan(folder: Path | str) -> dict | None:
    """The stamp and rows per part of the split in `folder`; None when there is none."""
    path = Path(folder) / PLAN_FILE
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None
