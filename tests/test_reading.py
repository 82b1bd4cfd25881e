"""Tests for helpers.reading: Dutch counts, raw CSV files and their conversion."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers.errors import RawDataError
from helpers.reading import (
    convert_counts,
    convert_provinces,
    file_row,
    parse_count,
    read_raw_csv,
    reject_duplicates,
)


def parse(text):
    return parse_count(text, path="counts.csv", row=7, column="cards")


def write_bytes(tmp_path, content: bytes, name="table.csv"):
    path = tmp_path / name
    path.write_bytes(content)
    return path


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("49.307", 49307),
        ("49 307", 49307),
        ("49\u00a0307", 49307),
        ("49\u202f307", 49307),
        ("49307", 49307),
        ("0", 0),
        ("600.000", 600000),
        ("1.234.567", 1234567),
        ("1 234 567", 1234567),
        (" 220.679 ", 220679),
    ],
)
def test_parse_count_accepts_dutch_notation(text, count):
    assert parse(text) == count


@pytest.mark.parametrize(
    "text",
    [
        "-12",
        "\u221212",
        "1.234,5",
        "49,307",
        "49.30",
        "4.9307",
        "49..307",
        "49.307.",
        "1.234 567",
        "49\u2009307",
        "+12",
        "veel",
        "ca. 600.000",
        "",
    ],
)
def test_parse_count_rejects_invalid(text):
    with pytest.raises(RawDataError):
        parse(text)


def test_parse_count_error_locates_cell():
    with pytest.raises(RawDataError) as caught:
        parse("-12")
    error = caught.value
    assert error.path == "counts.csv"
    assert error.row == 7
    assert error.column == "cards"
    assert error.value == "-12"
    assert "negative" in str(error)


def test_parse_count_decimal_comma_message():
    with pytest.raises(RawDataError, match="decimal comma") as caught:
        parse("1.234,5")
    assert "'1.234,5'" in str(caught.value)


@given(st.integers(min_value=0, max_value=10**12))
def test_parse_count_reads_grouped_numbers(number):
    grouped = f"{number:,}"
    for separator in (".", " ", "\u00a0", "\u202f"):
        assert parse(grouped.replace(",", separator)) == number


def test_file_row_counts_header_as_line_one():
    assert file_row(0) == 2


def test_read_raw_csv_plain_utf8(tmp_path):
    path = write_bytes(tmp_path, "province,cards\nLiège,156\n".encode())
    frame = read_raw_csv(path, ["province", "cards"])
    assert frame["province"].tolist() == ["Liège"]
    assert frame["cards"].tolist() == ["156"]
    assert frame["_row"].tolist() == [2]


def test_read_raw_csv_strips_bom(tmp_path):
    path = write_bytes(tmp_path, "\ufeffprovince,cards\nLiège,156\n".encode())
    frame = read_raw_csv(path, ["province", "cards"])
    assert list(frame.columns) == ["province", "cards", "_row"]
    assert frame["province"].tolist() == ["Liège"]


def test_read_raw_csv_semicolon_delimiter(tmp_path):
    path = write_bytes(tmp_path, b"province;cards;note\nAntwerpen;49.307;a, b\n")
    frame = read_raw_csv(path, ["province", "cards"])
    assert frame["cards"].tolist() == ["49.307"]
    assert frame["note"].tolist() == ["a, b"]


def test_read_raw_csv_keeps_cells_as_text(tmp_path):
    path = write_bytes(tmp_path, b"nis_code,cards\n04000,2.475\n")
    frame = read_raw_csv(path, ["nis_code"])
    assert frame["nis_code"].tolist() == ["04000"]
    assert frame["cards"].tolist() == ["2.475"]


def test_read_raw_csv_crlf_line_ends(tmp_path):
    path = write_bytes(tmp_path, b"province,cards\r\nLuik,156\r\nNamen,41\r\n")
    frame = read_raw_csv(path, ["province", "cards"])
    assert frame["province"].tolist() == ["Luik", "Namen"]
    assert frame["_row"].tolist() == [2, 3]


def test_read_raw_csv_blank_line_keeps_rows(tmp_path):
    path = write_bytes(tmp_path, b"province,cards\nLuik,156\n\n,\nNamen,41\n")
    frame = read_raw_csv(path, ["province", "cards"])
    assert frame["province"].tolist() == ["Luik", "Namen"]
    assert frame["_row"].tolist() == [2, 5]


def test_read_raw_csv_rejects_cp1252(tmp_path):
    content = "province,cards\nLuik,156\nLiège,156\n".encode("cp1252")
    path = write_bytes(tmp_path, content)
    with pytest.raises(RawDataError) as caught:
        read_raw_csv(path, ["province"])
    error = caught.value
    assert str(path) in str(error)
    assert error.row == 3
    assert re.search(r"\brow 3\b", str(error))
    assert "UTF-8" in str(error)


def test_read_raw_csv_cp1252_after_bom(tmp_path):
    # The byte order mark must not shift the line that the error names.
    content = b"\xef\xbb\xbfprovince,cards\nLi\xe8ge,156\n"
    path = write_bytes(tmp_path, content)
    with pytest.raises(RawDataError) as caught:
        read_raw_csv(path, ["province"])
    invalid_byte = content.index(b"\xe8")
    assert caught.value.row == 2
    assert f"at byte {invalid_byte}" in str(caught.value)


def test_read_raw_csv_missing_file(tmp_path):
    path = tmp_path / "absent.csv"
    with pytest.raises(RawDataError, match="not found") as caught:
        read_raw_csv(path, ["province"])
    assert str(path) in str(caught.value)


def test_read_raw_csv_empty_file(tmp_path):
    path = write_bytes(tmp_path, b"")
    with pytest.raises(RawDataError, match="empty") as caught:
        read_raw_csv(path, ["province"])
    assert caught.value.row == 1


def test_read_raw_csv_missing_column(tmp_path):
    path = write_bytes(tmp_path, b"provincie,cards\nLuik,156\n")
    with pytest.raises(RawDataError) as caught:
        read_raw_csv(path, ["province", "cards"])
    error = caught.value
    assert "missing column 'province'" in str(error)
    assert error.row == 1
    assert str(path) in str(error)


def test_read_raw_csv_repeated_header(tmp_path):
    path = write_bytes(tmp_path, b"province,2021,2021\nLuik,156,153\n")
    with pytest.raises(RawDataError) as caught:
        read_raw_csv(path, ["province"])
    error = caught.value
    assert "repeats column '2021'" in str(error)
    assert error.row == 1


def test_read_raw_csv_repeated_header_after_strip(tmp_path):
    path = write_bytes(tmp_path, b"province,2021, 2021\nLuik,156,153\n")
    with pytest.raises(RawDataError, match="repeats column '2021'"):
        read_raw_csv(path, ["province"])


@pytest.mark.parametrize(
    ("line", "found"),
    [("Namen,41", 2), ("Namen,41,43,", 4), ("Namen,41,43,12", 4)],
)
def test_read_raw_csv_wrong_cell_count(tmp_path, line, found):
    content = f"province,2021,2022\nLuik,156,153\n{line}\n".encode()
    path = write_bytes(tmp_path, content)
    with pytest.raises(RawDataError) as caught:
        read_raw_csv(path, ["province"])
    error = caught.value
    assert error.row == 3
    assert f"expected 3 cells, found {found}" in str(error)
    assert error.value == line


def frame_of(rows: dict[str, list[str]]) -> pd.DataFrame:
    """Build a frame as read_raw_csv returns it: text cells and the file line."""
    frame = pd.DataFrame(rows, dtype=object)
    frame["_row"] = range(2, len(frame) + 2)
    return frame


def test_convert_counts_makes_int64():
    frame = convert_counts(frame_of({"cards": ["49.307", "2 475"]}), ["cards"], "f")
    assert str(frame["cards"].dtype) == "Int64"
    assert frame["cards"].tolist() == [49307, 2475]


def test_convert_counts_optional_empty_is_na():
    frame = frame_of({"visits": ["600.000", ""]})
    frame = convert_counts(frame, ["visits"], "f", optional=("visits",))
    assert frame["visits"].isna().tolist() == [False, True]


def test_convert_counts_required_empty_raises():
    frame = frame_of({"cards": ["49.307", ""]})
    with pytest.raises(RawDataError, match="missing value") as caught:
        convert_counts(frame, ["cards"], "f")
    assert caught.value.row == 3
    assert caught.value.column == "cards"


def test_convert_counts_does_not_change_input():
    frame = frame_of({"cards": ["49.307"]})
    convert_counts(frame, ["cards"], "f")
    assert frame["cards"].tolist() == ["49.307"]


def test_convert_provinces_adds_code_and_name():
    frame = frame_of({"unit": ["Liège", "Brussels-Capital Region"], "n": ["1", "2"]})
    frame = convert_provinces(frame, "unit", "f")
    assert frame["nis_code"].tolist() == ["60000", "04000"]
    assert frame["province"].tolist() == ["Luik", "Brussel"]
    assert "unit" not in frame.columns


@pytest.mark.parametrize("label", ["Totaal", "TOTAAL", "Total", "totaal Vlaanderen"])
def test_convert_provinces_rejects_total_row(label):
    frame = frame_of({"province": ["Luik", label]})
    with pytest.raises(RawDataError, match="total row") as caught:
        convert_provinces(frame, "province", "f")
    assert caught.value.row == 3
    assert caught.value.value == label


def test_convert_provinces_rejects_brabant():
    frame = frame_of({"province": ["Brabant"]})
    with pytest.raises(RawDataError, match="unknown province 'Brabant'") as caught:
        convert_provinces(frame, "province", "f")
    assert caught.value.row == 2


def test_reject_duplicates_names_second_row():
    frame = frame_of({"year": ["2021", "2022", "2021"], "statement": ["t", "t", "t"]})
    with pytest.raises(RawDataError, match="duplicate row") as caught:
        reject_duplicates(frame, ["year", "statement"], "f")
    assert caught.value.row == 4
    assert caught.value.value == "year=2021, statement=t"


def test_reject_duplicates_accepts_distinct_rows():
    frame = frame_of({"year": ["2021", "2022"], "statement": ["t", "t"]})
    assert reject_duplicates(frame, ["year", "statement"], "f") is None
