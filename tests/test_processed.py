"""Tests for helpers.processed: documented columns, types and the data package."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from helpers.processed import (
    TABLES,
    ProcessedTableError,
    read_table,
    write_datapackage,
    write_table,
)
from helpers.provinces import BY_CODE


@pytest.fixture
def pickup(tables) -> pd.DataFrame:
    """The pickup table as 01_clean writes it: with the region of each province."""
    frame = tables["pickup_by_province"].copy()
    frame["region"] = frame["nis_code"].map(lambda code: BY_CODE[code].region)
    return frame[["year", "nis_code", "province", "region", "cards"]]


def test_write_table_rejects_extra_column(pickup, tmp_path):
    frame = pickup.assign(note="not documented")
    with pytest.raises(ProcessedTableError, match="note"):
        write_table(frame, tmp_path, "pickup_by_province")
    assert not (tmp_path / "pickup_by_province.csv").exists()


def test_write_table_rejects_missing_column(pickup, tmp_path):
    with pytest.raises(ProcessedTableError):
        write_table(pickup.drop(columns="region"), tmp_path, "pickup_by_province")


def test_write_table_rejects_other_order(pickup, tmp_path):
    reordered = pickup[["nis_code", "year", "province", "region", "cards"]]
    with pytest.raises(ProcessedTableError):
        write_table(reordered, tmp_path, "pickup_by_province")


def test_write_table_unknown_name(pickup, tmp_path):
    with pytest.raises(KeyError):
        write_table(pickup, tmp_path, "pickups")


def test_write_table_creates_folder(pickup, tmp_path):
    path = write_table(pickup, tmp_path / "2022", "pickup_by_province")
    assert path == tmp_path / "2022" / "pickup_by_province.csv"
    assert path.exists()


def test_write_table_unix_line_ends(pickup, tmp_path):
    content = write_table(pickup, tmp_path, "pickup_by_province").read_bytes()
    assert b"\r\n" not in content
    assert content.endswith(b"\n")


def test_write_table_same_bytes_twice(pickup, tmp_path):
    first = write_table(pickup, tmp_path / "a", "pickup_by_province").read_bytes()
    second = write_table(pickup, tmp_path / "b", "pickup_by_province").read_bytes()
    assert first == second


def test_write_table_keeps_leading_zero(pickup, tmp_path):
    content = write_table(pickup, tmp_path, "pickup_by_province").read_text()
    assert "\n2021,04000,Brussel," in content


def test_read_table_nis_code_text(pickup, tmp_path):
    write_table(pickup, tmp_path, "pickup_by_province")
    frame = read_table(tmp_path, "pickup_by_province")
    assert frame["nis_code"].dtype == "string"
    assert "04000" in set(frame["nis_code"])


def test_read_table_round_trip(pickup, tmp_path):
    write_table(pickup, tmp_path, "pickup_by_province")
    frame = read_table(tmp_path, "pickup_by_province")
    expected = pickup.reset_index(drop=True).astype(
        {
            "year": "Int64",
            "nis_code": "string",
            "province": "string",
            "region": "string",
            "cards": "Int64",
        }
    )
    pd.testing.assert_frame_equal(frame, expected)


def test_read_table_keeps_missing_visits(tables, tmp_path):
    write_table(tables["website_visits"], tmp_path, "website_visits")
    frame = read_table(tmp_path, "website_visits").set_index("period")
    assert str(frame["visits"].dtype) == "Int64"
    assert pd.isna(frame.loc["2020", "visits"])
    assert pd.isna(frame.loc["typical year before 2020", "year"])
    assert frame.loc["2021", "visits"] == 700000


def test_read_table_text_na_stays_text(tmp_path):
    # "NA" is a string value, and only an empty cell is missing.
    frame = pd.DataFrame(
        {
            "date": ["2021-12-31", "2022-01-01"],
            "status": ["done", "done"],
            "event": ["NA", "None"],
        }
    )
    write_table(frame, tmp_path, "milestones")
    result = read_table(tmp_path, "milestones")
    assert result.loc[0, "event"] == "NA"
    assert result.loc[1, "event"] == "None"


def test_read_table_numbers_round_trip(tmp_path):
    frame = pd.DataFrame(
        {
            "year": [2021],
            "variant": ["held_share_stated"],
            "basis": ["held_share"],
            "held_share": [2 / 3],
            "pickup_rate": [0.75],
            "entitled": [300],
            "mailed_cards": [50],
            "pickup_cards": [200],
            "cards_held": [200.0],
            "held_from_pickup": [150.0],
        }
    )
    write_table(frame, tmp_path, "held_estimate")
    result = read_table(tmp_path, "held_estimate")
    assert result["held_share"].dtype == "float64"
    assert result.loc[0, "held_share"] == pytest.approx(2 / 3, abs=1e-6)
    assert str(result["entitled"].dtype) == "Int64"
    assert result.loc[0, "entitled"] == 300


def test_datapackage_lists_present_tables(pickup, tmp_path):
    write_table(pickup, tmp_path, "pickup_by_province")
    path = write_datapackage(tmp_path, 2022)
    package = json.loads(path.read_text(encoding="utf-8"))
    assert package["name"] == "lerarenkaart-2022"
    assert [resource["path"] for resource in package["resources"]] == [
        "pickup_by_province.csv"
    ]


def test_datapackage_fields_match_tables(pickup, tmp_path):
    write_table(pickup, tmp_path, "pickup_by_province")
    package = json.loads(write_datapackage(tmp_path, 2022).read_text())
    fields = package["resources"][0]["schema"]["fields"]
    documented = TABLES["pickup_by_province"][1]
    assert [field["name"] for field in fields] == list(documented)
    assert [field["type"] for field in fields] == [
        kind for kind, _ in documented.values()
    ]


def test_tables_use_frictionless_types():
    kinds = {kind for _, columns in TABLES.values() for kind, _ in columns.values()}
    assert kinds <= {"integer", "number", "string", "date"}
