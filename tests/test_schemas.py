"""The pandera schemas of the raw and processed tables, through their loaders.

Each case breaks one rule of one table and checks that the error names the file,
the row as an editor shows it, the column, the value and the expectation.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from helpers import processed, raw
from helpers.errors import ProcessedTableError, RawDataError
from helpers.schemas import RAW_SCHEMAS

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def raw_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "raw"
    shutil.copytree(ROOT / "data" / "raw", folder)
    return folder


def edit(folder: Path, name: str, old: str, new: str) -> None:
    path = folder / name
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} is not in {name} exactly once"
    path.write_text(text.replace(old, new), encoding="utf-8")


# (file, old text, new text, loader, row, column, words of the message)
RAW_CASES = [
    (
        "cards_per_year.csv",
        "2022,text,",
        "2022,tekst,",
        raw.load_cards_per_year,
        4,
        "statement",
        "expected one of: text, table_total_entitled",
    ),
    (
        "cards_per_year.csv",
        "2022,text,",
        "2022,table_total_entitled,",
        raw.load_cards_per_year,
        5,
        None,
        "duplicate row: another row has the same year and statement",
    ),
    (
        "cards_by_channel.csv",
        "2022,Kaarten met abonnement,",
        "2021,Kaarten met abonnement,",
        raw.load_cards_by_channel,
        5,
        None,
        "duplicate row: another row has the same year and channel",
    ),
    (
        "cards_per_year.csv",
        "2021,text,220.679",
        "1850,text,220.679",
        raw.load_cards_per_year,
        2,
        "year",
        "invalid year, expected four digits",
    ),
    (
        "website_visits.csv",
        "2022,800.000,exact",
        "2022,800.000,exakt",
        raw.load_website_visits,
        5,
        "status",
        "expected one of: exact, approximate, missing",
    ),
    (
        "staff_national.csv",
        "2022-01-01,172.503",
        "2022-02-30,172.503",
        raw.load_staff_national,
        4,
        "reference_date",
        "invalid date, expected YYYY-MM-DD",
    ),
    (
        "staff_national.csv",
        "172.503,FTE,",
        "172.503,fte,",
        raw.load_staff_national,
        4,
        "unit",
        "expected one of: FTE, persons, jobs",
    ),
    (
        "pupils_by_school_province.csv",
        "2021-2022,1 February 2022,Antwerpen,111",
        "2021-2023,1 February 2022,Antwerpen,111",
        raw.load_pupils,
        20,
        "school_year",
        "invalid school year, expected two consecutive years",
    ),
    (
        "pupils_by_school_province.csv",
        "2021-2022,1 February 2022,Antwerpen,111",
        "2021-2022,1 February 2022,Luik,111",
        raw.load_pupils,
        20,
        "nis_code",
        "expected that of a Flemish province or Brussels",
    ),
    (
        "population_by_province.csv",
        "2022-01-01,10000,Antwerpen,",
        "2021-01-01,10000,Antwerpen,",
        raw.load_population,
        13,
        None,
        "duplicate row: another row has the same date and nis_code",
    ),
    (
        "digital_card_milestones.csv",
        "2025-01-01,planned",
        "2025-01,planned",
        raw.load_milestones,
        4,
        "date",
        "invalid date, expected YYYY-MM-DD",
    ),
    (
        "digital_card_milestones.csv",
        "2025-01-01,planned",
        "2025-01-01,gepland",
        raw.load_milestones,
        4,
        "status",
        "expected one of: done, under_way, planned",
    ),
    (
        "digital_card_milestones.csv",
        "date,status,event",
        "date,status,event,remark",
        raw.load_milestones,
        1,
        None,
        "unexpected column 'remark'",
    ),
]


@pytest.mark.parametrize(
    ("name", "old", "new", "loader", "row", "column", "words"), RAW_CASES
)
def test_raw_schema_names_location(raw_dir, name, old, new, loader, row, column, words):
    if new.endswith(",remark"):
        path = raw_dir / name
        lines = path.read_text(encoding="utf-8").splitlines()
        path.write_text("\n".join([new] + [f"{line}," for line in lines[1:]]) + "\n")
    else:
        edit(raw_dir, name, old, new)
    with pytest.raises(RawDataError) as error:
        loader(raw_dir)
    assert error.value.path == str(raw_dir / name)
    assert error.value.row == row
    assert error.value.column == column
    assert words in str(error.value)


def test_raw_schema_error_is_one_line(raw_dir):
    edit(raw_dir, "cards_per_year.csv", "2022,text,", "2022,tekst,")
    with pytest.raises(RawDataError) as error:
        raw.load_cards_per_year(raw_dir)
    message = str(error.value)
    assert "\n" not in message
    assert message.startswith(str(raw_dir / "cards_per_year.csv") + ", row 4, ")
    assert "(value 'tekst')" in message
    assert message.endswith("correct the file against its source and run again")


def test_raw_schema_counts_other_problems(raw_dir):
    edit(raw_dir, "cards_per_year.csv", "2022,text,", "2022,tekst,")
    edit(raw_dir, "cards_per_year.csv", "2021,text,", "2021,tekst,")
    with pytest.raises(RawDataError) as error:
        raw.load_cards_per_year(raw_dir)
    assert error.value.row == 2
    assert "1 more problems in this file" in str(error.value)


def test_every_raw_loader_has_schema():
    loaded = raw.load_all(ROOT / "data" / "raw")
    assert set(RAW_SCHEMAS) == set(loaded)


def processed_copy(tmp_path: Path) -> Path:
    """Write the processed tables of 2022 from the shipped raw data with 01_clean's
    helpers, as far as the tests below need them."""
    tables = raw.load_all(ROOT / "data" / "raw")
    folder = tmp_path / "processed"
    channels = tables["cards_by_channel"].assign(channel_nl="x")
    processed.write_table(
        channels[["year", "channel", "channel_nl", "cards"]], folder, "channels"
    )
    processed.write_table(
        tables["cards_per_year"][["year", "statement", "cards"]],
        folder,
        "cards_per_year",
    )
    return folder


def test_processed_round_trip_keeps_types(tmp_path):
    folder = processed_copy(tmp_path)
    channels = processed.read_table(folder, "channels")
    assert str(channels["cards"].dtype) == "Int64"
    assert str(channels["channel"].dtype) == "string"
    assert channels["cards"].sum() == 25479 + 18872 + 175386 + 26936 + 17984 + 177260


def test_processed_write_rejects_duplicate_key(tmp_path):
    frame = pd.DataFrame(
        {
            "year": [2022, 2022],
            "statement": ["text", "text"],
            "cards": pd.array([1, 2], dtype="Int64"),
        }
    )
    with pytest.raises(ProcessedTableError, match="duplicate row") as error:
        processed.write_table(frame, tmp_path, "cards_per_year")
    assert error.value.row == 3
    assert not (tmp_path / "cards_per_year.csv").exists()


def test_processed_write_rejects_negative_count(tmp_path):
    frame = pd.DataFrame(
        {"year": [2022], "statement": ["text"], "cards": pd.array([-1], dtype="Int64")}
    )
    with pytest.raises(ProcessedTableError, match="invalid count") as error:
        processed.write_table(frame, tmp_path, "cards_per_year")
    assert error.value.column == "cards"
    assert error.value.row == 2


def test_processed_read_names_bad_cell(tmp_path):
    folder = processed_copy(tmp_path)
    path = folder / "channels.csv"
    path.write_text(path.read_text().replace("25479", "25479.5"))
    with pytest.raises(ProcessedTableError, match="invalid type") as error:
        processed.read_table(folder, "channels")
    assert error.value.row == 4
    assert "more problems" not in str(error.value)
    assert error.value.column == "cards"
    assert error.value.value == "25479.5"


def test_processed_read_rejects_changed_columns(tmp_path):
    folder = processed_copy(tmp_path)
    path = folder / "channels.csv"
    path.write_text(path.read_text().replace("channel_nl", "label"))
    with pytest.raises(ProcessedTableError, match="missing column 'channel_nl'"):
        processed.read_table(folder, "channels")


def test_processed_read_names_missing_table(tmp_path):
    with pytest.raises(FileNotFoundError, match="findings.csv") as error:
        processed.read_table(tmp_path, "findings")
    assert "01_clean" in str(error.value)
