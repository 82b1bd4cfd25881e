"""Raw files in the notations that spreadsheets, PDFs and e-mails produce.

Unambiguous variants (byte order mark, ";" delimiter, spaces as thousands separators,
French or English province names, NIS codes) load to the same table as the shipped
file. Ambiguous ones stop with a RawDataError that names the file, row and reason.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from helpers import raw
from helpers.errors import RawDataError
from helpers.reading import parse_count, read_raw_csv

ROOT = Path(__file__).resolve().parents[1]
PICKUP = "pickup_cards_by_province.csv"


@pytest.fixture
def raw_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "raw"
    shutil.copytree(ROOT / "data" / "raw", folder)
    return folder


def edit(folder: Path, name: str, old: bytes, new: bytes) -> None:
    """Replace ``old`` by ``new`` in a raw file; fail if ``old`` is not there."""
    path = folder / name
    data = path.read_bytes()
    assert old in data, f"{old!r} not in {name}"
    path.write_bytes(data.replace(old, new))


def shipped_pickup() -> pd.DataFrame:
    return raw.load_pickup_by_province(ROOT / "data" / "raw")


def test_byte_order_mark_is_accepted(raw_dir):
    path = raw_dir / PICKUP
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    loaded = raw.load_pickup_by_province(raw_dir)
    pd.testing.assert_frame_equal(loaded, shipped_pickup())


def test_semicolon_delimiter_is_accepted(raw_dir):
    path = raw_dir / PICKUP
    path.write_bytes(path.read_bytes().replace(b",", b";"))
    loaded = raw.load_pickup_by_province(raw_dir)
    pd.testing.assert_frame_equal(loaded, shipped_pickup())


def test_windows_line_ends_are_accepted(raw_dir):
    path = raw_dir / PICKUP
    path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    loaded = raw.load_pickup_by_province(raw_dir)
    pd.testing.assert_frame_equal(loaded, shipped_pickup())


@pytest.mark.parametrize(
    "written",
    ["50.232", "50 232", "50\u00a0232", "50\u202f232", " 50232 "],
)
def test_thousands_separators_are_accepted(raw_dir, written):
    edit(raw_dir, PICKUP, b"50232", f'"{written}"'.encode())
    pickup = raw.load_pickup_by_province(raw_dir).set_index(["year", "province"])
    assert pickup.loc[(2022, "Antwerpen"), "cards"] == 50232


@pytest.mark.parametrize(
    ("written", "province"),
    [
        ("Anvers", "Antwerpen"),
        ("ANTWERP", "Antwerpen"),
        ("  oost   vlaanderen ", "Oost-Vlaanderen"),
        ("Flandre occidentale", "West-Vlaanderen"),
        ("Liège", "Luik"),
        ("liege", "Luik"),
        ("Province de Namur", "Namen"),
        ("Provincie Limburg", "Limburg"),
        ("04000", "Brussel"),
        ("4000", "Brussel"),
        ("Région de Bruxelles-Capitale", "Brussel"),
        ("80000", "Luxemburg"),
    ],
)
def test_province_spellings_are_accepted(raw_dir, written, province):
    replaced = {
        "Antwerpen": b"Antwerpen,",
        "Oost-Vlaanderen": b"Oost-Vlaanderen,",
        "West-Vlaanderen": b"West-Vlaanderen,",
        "Luik": b"Luik,",
        "Namen": b"Namen,",
        "Limburg": b"Limburg,",
        "Brussel": b"Brussel,",
        "Luxemburg": b"Luxemburg,",
    }[province]
    edit(raw_dir, PICKUP, replaced, f'"{written}",'.encode())
    loaded = raw.load_pickup_by_province(raw_dir)
    pd.testing.assert_frame_equal(loaded, shipped_pickup())


def test_decimal_comma_in_count_is_rejected(raw_dir):
    edit(raw_dir, PICKUP, b"Namen,41,43", b'Namen,"41,5",43')
    with pytest.raises(RawDataError, match="decimal comma") as error:
        raw.load_pickup_by_province(raw_dir)
    assert error.value.path == str(raw_dir / PICKUP)
    assert error.value.row == 8
    assert error.value.column == "2021"
    assert error.value.value == "41,5"


def test_mixed_separators_in_count_are_rejected(raw_dir):
    edit(raw_dir, PICKUP, b"50232", b'"1.050 232"')
    with pytest.raises(RawDataError, match="not a whole number") as error:
        raw.load_pickup_by_province(raw_dir)
    assert error.value.row == 2


def test_cp1252_file_is_rejected(raw_dir):
    edit(raw_dir, PICKUP, b"Luik", "Liège".encode("cp1252"))
    with pytest.raises(RawDataError, match="not valid UTF-8") as error:
        raw.load_pickup_by_province(raw_dir)
    assert error.value.row == 7
    assert "cp1252" in error.value.action


def test_utf16_file_is_rejected(raw_dir):
    path = raw_dir / PICKUP
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16"))
    with pytest.raises(RawDataError, match="UTF-16, not UTF-8"):
        raw.load_pickup_by_province(raw_dir)


@pytest.mark.parametrize("label", ["Totaal", "TOTAL", "Som", "Total général"])
def test_total_row_among_provinces_is_rejected(raw_dir, label):
    path = raw_dir / PICKUP
    path.write_bytes(path.read_bytes() + f"{label},175386,177260\n".encode())
    with pytest.raises(RawDataError, match="a total row among the provinces") as error:
        raw.load_pickup_by_province(raw_dir)
    assert error.value.row == 13
    assert error.value.value == label


@pytest.mark.parametrize("label", ["Vlaams Gewest", "Région wallonne", "België"])
def test_region_row_among_provinces_is_rejected(raw_dir, label):
    path = raw_dir / PICKUP
    path.write_bytes(path.read_bytes() + f"{label},175386,177260\n".encode())
    with pytest.raises(RawDataError, match="region or country total") as error:
        raw.load_pickup_by_province(raw_dir)
    assert error.value.row == 13


def test_region_code_in_population_is_rejected(raw_dir):
    path = raw_dir / "population_by_province.csv"
    path.write_bytes(path.read_bytes() + b"2022-01-01,02000,Vlaams Gewest,6821493\n")
    with pytest.raises(RawDataError, match="region or country total") as error:
        raw.load_population(raw_dir)
    assert error.value.row == 24


def test_repeated_year_column_is_rejected(raw_dir):
    edit(raw_dir, PICKUP, b"province,2021,2022", b"province,2022,2022")
    with pytest.raises(RawDataError, match="repeats column '2022'") as error:
        raw.load_pickup_by_province(raw_dir)
    assert error.value.row == 1


def test_same_province_twice_is_rejected(raw_dir):
    edit(raw_dir, PICKUP, b"Namen,41,43", b"Luik,41,43")
    with pytest.raises(RawDataError, match="duplicate row") as error:
        raw.load_pickup_by_province(raw_dir)
    assert error.value.row == 8
    assert error.value.value == "nis_code=60000"


def test_header_with_both_delimiters_is_rejected(raw_dir):
    edit(raw_dir, PICKUP, b"province,2021,2022", b"province;2021,2022")
    with pytest.raises(RawDataError, match="delimiter is ambiguous") as error:
        raw.load_pickup_by_province(raw_dir)
    assert error.value.row == 1


def test_row_count_follows_quoted_line_breaks(tmp_path):
    path = tmp_path / "notes.csv"
    path.write_text('year,note\n2021,"two\nlines"\n\n2022,x,y\n', encoding="utf-8")
    with pytest.raises(RawDataError, match="expected 2 cells, found 3") as error:
        read_raw_csv(path, ["year", "note"])
    assert error.value.row == 5


def test_empty_file_is_rejected(tmp_path):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    with pytest.raises(RawDataError, match="empty or has no header") as error:
        read_raw_csv(path, ["year"])
    assert error.value.row == 1


def test_missing_file_is_named(tmp_path):
    with pytest.raises(RawDataError, match="file not found") as error:
        read_raw_csv(tmp_path / "absent.csv", ["year"])
    assert error.value.path.endswith("absent.csv")


@pytest.mark.parametrize(
    ("text", "count"),
    [("220.679", 220679), ("1 234 567", 1234567), ("0", 0), ("49307", 49307)],
)
def test_parse_count_reads_dutch_notation(text, count):
    assert parse_count(text, path="f.csv", row=2, column="cards") == count


@pytest.mark.parametrize("text", ["-5", "\u221212", "1,5", "49.30", "1.2345", "", "x"])
def test_parse_count_rejects_non_counts(text):
    with pytest.raises(RawDataError) as error:
        parse_count(text, path="f.csv", row=2, column="cards")
    assert error.value.row == 2
    assert error.value.column == "cards"
