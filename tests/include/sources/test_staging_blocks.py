"""A CSV file staged a block of records at a time is the file staged at once: the same rows, row numbers,
columns, types and Parquet schema, in every dialect of CONTRACTS.md, and the same errors."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from include.sources import SOURCES, staging
from include.sources.common import SourceFileError
from include.sources.landing import list_files, read_bytes
from include.sources.staging import fingerprint_dir, stage

PESERTA = SOURCES["peserta"].SPEC
ROWS = 2_000
BLOCK = 300
AT_ONCE = 1 << 30
HEADER = [
    "No",
    "No KPJ",
    "NIK",
    "Nama",
    "Tgl Lahir",
    "JK",
    "Kode Kemendagri",
    "Tanggal Kepesertaan",
    "Status Kepesertaan",
    "Sumber Dana",
    "Upah Dilaporkan",
    "Tanggal Nonaktif",
    "Alasan Nonaktif",
    "Catatan",
    "",
]
DIALECTS = {  # (codec, delimiter, line end); the BOM is written by utf-8-sig
    "utf8_bom_comma_lf": ("utf-8-sig", ",", "\n"),
    "cp1252_semicolon_crlf": ("cp1252", ";", "\r\n"),
    "utf8_semicolon_cr": ("utf-8", ";", "\r"),
}


def roster_csv(
    codec: str, delimiter: str, newline: str, *, rows: int = ROWS, trailing: bool = False, blank_column: bool = False
) -> bytes:
    """A roster export whose rows cross block boundaries in every way a block can be cut wrong: quoted
    newlines on both sides of a boundary, a KPJ seen again in a later block, blank and delimiter-only
    lines, Excel error values, a date column empty in the first blocks, an unnamed column with one value
    in a late block. trailing: a delimiter after the last column (an unnamed column without values);
    blank_column: a named column no row fills."""
    header = HEADER + (["Kosong"] if blank_column else [])
    lines = [delimiter.join(header) + (delimiter if trailing else "")]
    for i in range(rows):
        kpj = f"{22000000000 + (10 if i == BLOCK + 5 else i):011d}"  # the KPJ of record 10 again in block 2
        note = f'"baris {i}{newline}kedua"' if i % BLOCK in (0, 1, BLOCK - 1) else f"catatan {i}"
        nonaktif = i > 1_500 and i % 7 == 0
        cells = [
            str(i + 1),
            kpj,
            f"130304550690{i % 10_000:04d}",
            "#N/A" if i % 97 == 0 else f"Zoé {i}",
            "15-06-1990",
            "P",
            "1303042001",
            "2022-03-01",
            "NONAKTIF" if nonaktif else "AKTIF",
            "APBD",
            "Rp 1.500.000" if i % 3 else "1500000",
            "2024-12-31" if nonaktif else "",
            "PINDAH" if nonaktif else "",
            note,
            "lain" if i == ROWS - 10 else "",
        ]
        lines.append(delimiter.join(cells + ([""] if blank_column else [])) + (delimiter if trailing else ""))
        if i % 250 == 3:
            lines.append("")
        if i % 400 == 7:
            lines.append(delimiter * (len(header) - 1))
    return (newline.join(lines) + newline).encode(codec)


def _landing_file(tmp_path: Path, data: bytes, name: str = "peserta.csv"):
    folder = tmp_path / "landing" / "bpjs" / "peserta"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(data)
    [landing_file] = list_files(str(tmp_path / "landing"), PESERTA)
    return landing_file


def _at_once(landing_file) -> pa.Table:
    """What staging wrote before it worked in blocks: the whole frame of `parse`, as pyarrow makes it."""
    table = pa.Table.from_pandas(staging.parse(read_bytes(landing_file), landing_file, PESERTA), preserve_index=False)
    return table.replace_schema_metadata({**table.schema.metadata, b"rentan_parser_version": b"2"})


@pytest.mark.parametrize("dialect", sorted(DIALECTS))
@pytest.mark.parametrize(("trailing", "blank_column"), [(False, False), (True, True)])
def test_a_file_staged_in_blocks_is_the_file_staged_at_once(tmp_path, dialect, trailing, blank_column):
    landing_file = _landing_file(tmp_path, roster_csv(*DIALECTS[dialect], trailing=trailing, blank_column=blank_column))
    expected = _at_once(landing_file)

    for block_rows in (AT_ONCE, BLOCK, 1_000):
        path = stage(landing_file, PESERTA, tmp_path / f"staging_{block_rows}", block_rows=block_rows)
        staged = pq.read_table(path)
        assert staged.schema.equals(expected.schema, check_metadata=True), block_rows
        assert staged.equals(expected), block_rows
        assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temporary file left behind
        blocks = pq.ParquetFile(path).num_row_groups
        assert blocks == (1 if block_rows == AT_ONCE else -(-(ROWS + 1) // block_rows)), block_rows

    assert staged.num_rows == ROWS
    assert staged["kpj"].to_pylist()[BLOCK + 5] == staged["kpj"].to_pylist()[10]
    assert staged["catatan"][BLOCK].as_py() == f"baris {BLOCK}{DIALECTS[dialect][2]}kedua"
    assert staged["nama"][1].as_py() == "Zoé 1"
    assert staged.schema.field("tanggal_nonaktif").type == pa.date32()  # empty in the first blocks only
    assert ("kolom_16" in staged.schema.names) is False and "kolom_15" in staged.schema.names
    assert ("kosong" in staged.schema.names) is blank_column
    if blank_column:
        assert staged.schema.field("kosong").type == pa.null()


def test_the_row_numbers_run_on_across_blocks(tmp_path):
    landing_file = _landing_file(tmp_path, roster_csv("utf-8", ",", "\n"))

    baris = pq.read_table(stage(landing_file, PESERTA, tmp_path / "staging", block_rows=BLOCK))["baris"].to_pylist()

    # row 1 the header; one row per record (a quoted newline does not count); blank lines keep their numbers
    expected, row = [], 1
    for i in range(ROWS):
        row += 1
        expected.append(row)
        row += (i % 250 == 3) + (i % 400 == 7)
    assert baris[:6] == [2, 3, 4, 5, 7, 8]
    assert baris == expected


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda lines: lines.insert(1_700, "1,2,3," * 6), "fields where the header has"),
        (lambda lines: lines.insert(len(lines) - 1, 'x,"never closed'), "never closed"),
        (
            lambda lines: (lines.__setitem__(0, lines[0].replace("No KPJ", "Nomor")), lines.insert(1_700, "1,2," * 9)),
            "fields where the header has",
        ),  # the header lacks kpj too: the record that cannot be parsed is told
        (lambda lines: lines.__setitem__(0, lines[0].replace("No KPJ", "Nomor")), "required column 'kpj' missing"),
    ],
)
def test_a_file_that_fails_late_fails_as_it_does_at_once(tmp_path, damage, message):
    lines = roster_csv("utf-8", ",", "\n").decode().split("\n")
    damage(lines)
    landing_file = _landing_file(tmp_path, "\n".join(lines).encode())
    with pytest.raises(SourceFileError) as at_once:
        staging.parse(read_bytes(landing_file), landing_file, PESERTA)

    with pytest.raises(SourceFileError) as in_blocks:
        stage(landing_file, PESERTA, tmp_path / "staging", block_rows=BLOCK)

    assert message in str(at_once.value)
    assert (str(in_blocks.value), in_blocks.value.baris) == (str(at_once.value), at_once.value.baris)
    assert not any((tmp_path / "staging").rglob("*.parquet")) and not any((tmp_path / "staging").rglob("*.tmp"))


def test_a_file_without_data_rows_fails_in_blocks_too(tmp_path):
    landing_file = _landing_file(tmp_path, ("\n".join([",".join(HEADER), "", ",,,"] * 1) + "\n").encode())

    with pytest.raises(SourceFileError, match="no data row below the header"):
        stage(landing_file, PESERTA, tmp_path / "staging", block_rows=2)


def test_a_file_rewritten_between_its_two_reads_is_refused(tmp_path, monkeypatch):
    """A CSV file is read twice (its dialect, then its records): bytes that change in between are refused
    as bytes that change while read, and the fingerprint is forgotten."""
    landing_file = _landing_file(tmp_path, roster_csv("utf-8", ",", "\n"))
    real = staging.FileBlocks._dialect

    def dialect_then_rewrite(self):
        found = real(self)
        Path(landing_file.url.removeprefix("file://")).write_bytes(roster_csv("utf-8", ",", "\n", rows=ROWS - 1))
        return found

    monkeypatch.setattr(staging.FileBlocks, "_dialect", dialect_then_rewrite)
    memo = fingerprint_dir(tmp_path / "staging")
    list_files(str(tmp_path / "landing"), PESERTA, memo_dir=memo)

    with pytest.raises(SourceFileError, match="changed while it was being read"):
        stage(landing_file, PESERTA, tmp_path / "staging", block_rows=BLOCK)

    assert not any((tmp_path / "staging" / "peserta").iterdir())
    [again] = list_files(str(tmp_path / "landing"), PESERTA, memo_dir=memo)
    assert again.sha256 == hashlib.sha256(roster_csv("utf-8", ",", "\n", rows=ROWS - 1)).hexdigest()
