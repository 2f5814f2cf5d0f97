"""read_table: the landing-zone file rules of CONTRACTS.md on real CSV and XLSX bytes."""

from __future__ import annotations

import datetime as dt
import io
import os
import pickle

import pytest
import xlsxwriter

from include.sources.common import ALIASES, SourceFileError, normalise_header, read_table

REQUIRED = ["id_individu", "nama", "nik"]
NIK = "1303045506900001"


@pytest.mark.parametrize("writer", ["xlsxwriter", "openpyxl"])
def test_xlsx_header_under_merged_title_rows_on_row_15(make_xlsx, writer):
    rows = [["PEMERINTAH KABUPATEN SIJUNJUNG"], ["Data P3KE per individu"]] + [None] * 12
    rows += [["ID Individu", "Nama", "NIK"], ["IND001", "Siti", NIK], None, ["IND002", "Budi", "1303041506900002"]]
    data = make_xlsx(rows, merges=["A1:C1", "A2:C3"], writer=writer)

    frame = read_table(data, "p3ke/kec_a.xlsx", REQUIRED)

    assert frame["id_individu"].tolist() == ["IND001", "IND002"]
    assert frame["baris"].tolist() == [16, 18]  # sheet rows; the blank row 17 is skipped, not renumbered


def test_xlsx_header_below_row_20_is_not_searched(make_xlsx):
    data = make_xlsx([["judul"]] + [None] * 19 + [["id_individu", "nama", "nik"], ["I1", "A", NIK]])

    with pytest.raises(SourceFileError) as error:
        read_table(data, "p3ke/late.xlsx", REQUIRED)

    assert "'id_individu', 'nama', 'nik'" in str(error.value)


@pytest.mark.parametrize("writer", ["xlsxwriter", "openpyxl"])
def test_xlsx_keeps_python_cell_values(make_xlsx, writer):
    born = dt.datetime(1990, 6, 15)
    header = ["ID Individu", "Nama", "NIK", "Tanggal Lahir", "Upah"]
    data = make_xlsx([header, ["I1", "Siti", 1303045506900001, born, 1.5]], writer=writer)

    row = read_table(data, "x.xlsx", REQUIRED).iloc[0]

    assert row["nik"] == 1303045506900001 and isinstance(row["nik"], int)
    assert row["tanggal_lahir"] == born
    assert row["upah"] == 1.5


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("ID Keluarga P3KE", "id_keluarga_p3ke"),
        ("Kabupaten/Kota", "kabupaten_kota"),
        ("  Desa - Kelurahan ", "desa_kelurahan"),
        ("Tgl. Lahir", "tanggal_lahir"),
        ("Hubungan  Dengan Kepala Keluarga", "hubungan_dengan_kepala_keluarga"),
    ],
)
def test_header_normalisation(header, expected):
    assert normalise_header(header, ALIASES) == expected


@pytest.mark.parametrize(("alias", "column"), sorted(ALIASES.items()))
def test_every_alias_reaches_its_column(make_csv, alias, column):
    header = alias.upper().replace("_", " ")  # 'NO KPJ' -> no_kpj -> kpj
    data = make_csv([f"id_individu|nama|nik|{header}", f"I1|Siti|{NIK}|x"])

    frame = read_table(data, "x.csv", REQUIRED)

    assert column in frame.columns and alias not in frame.columns
    assert frame[column].tolist() == ["x"]


def test_csv_semicolon_cp1252_crlf_with_quoted_newline(make_csv):
    lines = [
        "id_individu|nama|nik|alamat",
        f'I1|"José"|{NIK}|"Jorong Koto\r\nNagari Tanjung"',
        "I2|Budi|1303041506900002|Padang Laweh",
        "|||",
        "I3|Ani|1303044506900003|",
    ]
    data = make_csv(lines, delimiter=";", encoding="cp1252", newline="\r\n")

    frame = read_table(data, "p3ke/kec_b.csv", REQUIRED)

    assert frame["nama"].tolist() == ["José", "Budi", "Ani"]
    assert frame["alamat"].iloc[0] == "Jorong Koto\r\nNagari Tanjung"
    # header = row 1; the record holding a newline is one row; the empty record (row 4) is skipped
    assert frame["baris"].tolist() == [2, 3, 5]


def test_csv_utf8_bom_comma_lf(make_csv):
    data = b"\xef\xbb\xbf" + make_csv(["ID Individu|Nama|NIK", f"I1|Muhammad Rizqi|{NIK}"], encoding="utf-8")

    frame = read_table(data, "x.csv", REQUIRED)

    assert list(frame.columns[:3]) == ["id_individu", "nama", "nik"]
    assert frame["nama"].tolist() == ["Muhammad Rizqi"]
    assert frame["baris"].tolist() == [2]


def test_csv_utf8_is_preferred_over_cp1252(make_csv):
    data = make_csv(["id_individu|nama|nik", f"I1|Zoë|{NIK}"], encoding="utf-8")

    assert read_table(data, "x.csv", REQUIRED)["nama"].tolist() == ["Zoë"]


def test_csv_blank_lines_keep_the_row_numbers(make_csv):
    data = make_csv(["id_individu|nama|nik", "I1|A|1", "", "I2|B|2"])

    assert read_table(data, "x.csv", REQUIRED)["baris"].tolist() == [2, 4]


def test_extra_and_reordered_columns_are_kept(make_csv):
    data = make_csv(["Catatan|NIK|Nama|Kolom Baru|ID Individu", "c|n|Siti|v|I1"])

    frame = read_table(data, "x.csv", REQUIRED)

    assert list(frame.columns) == ["catatan", "nik", "nama", "kolom_baru", "id_individu", "baris"]
    assert frame.iloc[0][["id_individu", "catatan", "kolom_baru"]].tolist() == ["I1", "c", "v"]


def test_missing_required_column_names_file_and_column(make_csv):
    data = make_csv(["id_individu|nama|jk", "I1|Siti|P"])

    with pytest.raises(SourceFileError) as error:
        read_table(data, "p3ke/kec_a.csv", REQUIRED)

    message = str(error.value)
    assert message.startswith("p3ke/kec_a.csv: required column 'nik' missing (found: id_individu, nama, jk)")
    assert message.endswith("add the column or fix the header")
    assert error.value.berkas == "p3ke/kec_a.csv" and "\n" not in message


def test_every_missing_column_is_named(make_xlsx):
    data = make_xlsx([["Nama"], ["Siti"]])

    with pytest.raises(SourceFileError, match="required columns 'id_individu', 'nik' missing"):
        read_table(data, "p3ke/kec_a.xlsx", REQUIRED)


def test_missing_header_message_holds_no_cell_values(make_csv):
    data = make_csv([f"I1|Siti Aminah|{NIK}", f"I2|Budi|{NIK}"])

    with pytest.raises(SourceFileError) as error:
        read_table(data, "p3ke/no_header.csv", REQUIRED)

    assert NIK not in str(error.value) and "Siti" not in str(error.value)
    assert str(error.value).startswith(
        "p3ke/no_header.csv: required columns 'id_individu', 'nama', 'nik' missing "
        "(no header with these columns in line 1)"
    )


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_header_only_file_has_no_data_row(make_csv, make_xlsx, kind):
    data = (
        make_csv(["id_individu|nama|nik", "||"])
        if kind == "csv"
        else make_xlsx([["t"], ["id_individu", "nama", "nik"]])
    )

    with pytest.raises(SourceFileError) as error:
        read_table(data, f"p3ke/kosong.{kind}", REQUIRED)

    assert str(error.value).startswith(f"p3ke/kosong.{kind} row {1 if kind == 'csv' else 2}: no data row")


def test_random_bytes_named_xlsx_cannot_be_read():
    with pytest.raises(SourceFileError) as error:
        read_table(os.urandom(2048), "p3ke/rusak.xlsx", REQUIRED)

    assert "p3ke/rusak.xlsx: cannot be opened as an Excel workbook" in str(error.value)


@pytest.mark.parametrize("data", [b"id_individu,nama,nik\r\nI1,\x81\x8d\x90,1\r\n", "a,b\n1,2\n".encode("utf-16")])
def test_csv_in_another_encoding_cannot_be_read(data):
    with pytest.raises(SourceFileError, match="save it again as 'CSV UTF-8'"):
        read_table(data, "p3ke/x.csv", REQUIRED)


def test_csv_row_with_more_fields_than_the_header_names_its_row(make_csv):
    data = make_csv(["id_individu|nama|nik", 'I1|"A\nB"|1', "I2|B|2|extra|more"])

    with pytest.raises(SourceFileError) as error:
        read_table(data, "p3ke/x.csv", REQUIRED)

    assert str(error.value).startswith("p3ke/x.csv row 3: has 5 fields where the header has 3")
    assert error.value.baris == 3


def test_required_column_twice_is_an_error(make_csv):
    data = make_csv(["id_individu|nama|nik|NIK", "I1|A|1|2"])

    with pytest.raises(SourceFileError, match="column 'nik' appears twice"):
        read_table(data, "x.csv", REQUIRED)


def test_unnamed_empty_columns_are_dropped_named_ones_kept(make_csv):
    data = make_csv(["id_individu|nama|nik||", "I1|A|1||", "I2|B|2|x|"])

    frame = read_table(data, "x.csv", REQUIRED)

    assert list(frame.columns) == ["id_individu", "nama", "nik", "kolom_4", "baris"]
    assert frame["kolom_4"].tolist() == ["", "x"]


def test_xlsx_first_sheet_is_read_even_when_another_is_active():
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    first, second = workbook.add_worksheet("Data"), workbook.add_worksheet("Catatan")
    first.write_row(0, 0, ["id_individu", "nama", "nik"])
    first.write_row(1, 0, ["I1", "Siti", NIK])
    second.write_row(0, 0, ["bukan data"])
    second.activate()
    workbook.close()

    assert read_table(buffer.getvalue(), "x.xlsx", REQUIRED)["id_individu"].tolist() == ["I1"]


def test_source_file_error_survives_pickling():
    error = pickle.loads(pickle.dumps(SourceFileError("p3ke/a.csv", "no data row", 1)))

    assert (error.berkas, error.alasan, error.baris, str(error)) == (
        "p3ke/a.csv",
        "no data row",
        1,
        "p3ke/a.csv row 1: no data row",
    )
