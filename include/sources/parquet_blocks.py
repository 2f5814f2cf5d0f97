"""Frames given a block at a time, written as the one Parquet file the whole frame makes.

pyarrow types a column of a frame by its values: a text or date column that a block leaves empty is
typed null in that block, and in the file's pandas metadata ('empty'), while the whole frame types it by
the values other blocks hold. StagedWriter writes the blocks of one file so that the file is the whole
frame's (pa.Table.from_pandas, pq.write_table): the same columns, types and schema metadata.
"""

from __future__ import annotations

import json
import os
import uuid
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq


class StagedWriter:
    """Writes the normalised frames of one file, block after block, as the Parquet file the whole frame
    makes (pa.Table.from_pandas): the same columns, types and pandas metadata.

    One block is written as it is. From the second block on, the blocks are written with the types of
    the first, where a column the first block leaves empty (type null) gets the type its values have
    (a date column: date32, any other: text); at the end the file's schema is the one the whole frame
    has (a column empty in every block: null; `left_out` columns: none). Where that differs from what
    was written, the file is written again, a row group at a time (a column empty in a whole large file).
    The file is put in place only by finish(); discard() removes what is left of an unfinished one.
    """

    def __init__(self, target: Path, dates: set[str], metadata: dict[bytes, bytes]) -> None:
        """dates: the columns of dates (a date column no block fills yet is typed date32, any other text);
        metadata: added to the schema's (the parser version)."""
        self.target = target
        self.temporary = target.with_name(f".{target.name}.{uuid.uuid4().hex}.tmp")
        self.dates, self.metadata = dates, metadata
        self._held: pa.Table | None = None
        self._writer: pq.ParquetWriter | None = None
        self._schema: pa.Schema | None = None
        self._found: dict[str, tuple[pa.DataType, dict]] = {}  # a column's type and pandas entry where it has values

    def write(self, frame: pd.DataFrame) -> None:
        table = pa.Table.from_pandas(frame, preserve_index=False)
        entries = _pandas_entries(table.schema)
        for field in table.schema:
            if field.name not in self._found and not pa.types.is_null(field.type):
                self._found[field.name] = (field.type, entries[field.name])
        if self._held is None and self._writer is None:
            self._held = table  # one block is written as it is
            return
        if self._writer is None:
            self._schema = self._typed(self._held.schema)
            self._open(self._schema)
            self._writer.write_table(_conform(self._held, self._schema))
            self._held = None
        self._writer.write_table(_conform(table, self._schema))

    def finish(self, left_out: list[str] | None = None) -> None:
        left_out = left_out or []
        if self._writer is None:  # one block (or none: a file without rows never gets here)
            table = self._held.drop_columns(left_out) if left_out else self._held
            schema = self._with_metadata(_drop_entries(table.schema, left_out))
            self._open(schema)
            self._writer.write_table(table.replace_schema_metadata(schema.metadata))
            self._held = None
        else:
            whole = self._whole(left_out)
            if not whole.equals(self._schema, check_metadata=True):
                self._writer.close()
                self._rewrite(whole)
        self._writer.close()
        self._writer = None
        os.chmod(self.temporary, 0o600)  # staged rows carry full NIKs and names
        os.replace(self.temporary, self.target)

    def discard(self) -> None:
        if self._writer is not None:
            self._writer.close()
            self._writer = None
        self._held = None
        self.temporary.unlink(missing_ok=True)

    def _with_metadata(self, schema: pa.Schema) -> pa.Schema:
        return schema.with_metadata({**(schema.metadata or {}), **self.metadata})

    def _open(self, schema: pa.Schema) -> None:
        self.target.parent.mkdir(parents=True, exist_ok=True)
        self._writer = pq.ParquetWriter(self.temporary, schema)

    def _typed(self, first: pa.Schema) -> pa.Schema:
        """The first block's schema, a column it leaves empty typed as its values will be (see the class)."""
        entries = _pandas_entries(first)
        fields = []
        for field in first:
            if pa.types.is_null(field.type):
                if field.name in self._found:
                    kind, entries[field.name] = self._found[field.name]
                else:
                    kind = pa.date32() if field.name in self.dates else pa.string()
                    entries[field.name] = {**entries[field.name], "pandas_type": _logical_type(kind)}
                field = field.with_type(kind)
            fields.append(field)
        return self._with_metadata(_with_entries(pa.schema(fields, metadata=first.metadata), entries))

    def _whole(self, left_out: list[str]) -> pa.Schema:
        """The schema of the whole frame: each column's type and pandas entry where it has values, else null."""
        entries = _pandas_entries(self._schema)
        fields = []
        for field in self._schema:
            if field.name in left_out:
                continue
            if field.name in self._found:
                kind, entries[field.name] = self._found[field.name]
            else:
                kind, entries[field.name] = pa.null(), {**entries[field.name], "pandas_type": "empty"}
            fields.append(field.with_type(kind))
        return _drop_entries(_with_entries(pa.schema(fields, metadata=self._schema.metadata), entries), left_out)

    def _rewrite(self, schema: pa.Schema) -> None:
        written = self.temporary
        self.temporary = written.with_name(f".{self.target.name}.{uuid.uuid4().hex}.tmp")
        try:
            self._open(schema)
            staged = pq.ParquetFile(written)
            for group in range(staged.num_row_groups):
                self._writer.write_table(_conform(staged.read_row_group(group, columns=schema.names), schema))
        finally:
            written.unlink(missing_ok=True)


def _conform(table: pa.Table, schema: pa.Schema) -> pa.Table:
    """The table with the schema's columns and types (a column of nulls takes any type)."""
    arrays = []
    for field in schema:
        column = table.column(field.name)
        if column.type != field.type:
            if column.null_count != len(column):
                raise ValueError(
                    f"staging: column {field.name} is {column.type} in one block of the file and "
                    f"{field.type} in another"
                )
            column = pa.nulls(len(column), field.type)
        arrays.append(column)
    return pa.Table.from_arrays(arrays, schema=schema)


def _pandas_entries(schema: pa.Schema) -> dict[str, dict]:
    meta = json.loads((schema.metadata or {}).get(b"pandas", b"{}"))
    return {entry["field_name"]: entry for entry in meta.get("columns", [])}


def _with_entries(schema: pa.Schema, entries: dict[str, dict]) -> pa.Schema:
    meta = json.loads(schema.metadata[b"pandas"])
    meta["columns"] = [entries.get(entry["field_name"], entry) for entry in meta["columns"]]
    return schema.with_metadata({**schema.metadata, b"pandas": json.dumps(meta).encode()})


def _drop_entries(schema: pa.Schema, names: list[str]) -> pa.Schema:
    if not names:
        return schema
    meta = json.loads(schema.metadata[b"pandas"])
    meta["columns"] = [entry for entry in meta["columns"] if entry["field_name"] not in names]
    return schema.with_metadata({**schema.metadata, b"pandas": json.dumps(meta).encode()})


def pandas_type(metadata: dict, types: dict[str, pa.DataType]) -> dict:
    """Schema metadata whose pandas entries record, for a column left empty where the metadata was made
    (pandas_type 'empty') but of type `types[name]` in the file, the pandas_type of that type: what the
    metadata of the whole frame says."""
    meta = json.loads(metadata[b"pandas"])
    for entry in meta["columns"]:
        kind = types.get(entry["field_name"])
        if entry["pandas_type"] == "empty" and kind is not None and not pa.types.is_null(kind):
            entry["pandas_type"] = _logical_type(kind)
    return {**metadata, b"pandas": json.dumps(meta).encode()}


def _logical_type(kind: pa.DataType) -> str:
    """The pandas_type pyarrow records for an object column of values of this Arrow type."""
    from pyarrow.pandas_compat import get_logical_type

    return get_logical_type(kind)
