"""Tests for helpers.assumptions and the raw file assumptions.csv."""

from __future__ import annotations

from fractions import Fraction

import pandas as pd
import pytest

from helpers import assumptions, raw
from helpers.errors import RawDataError
from helpers.manifest import write_checksums
from helpers.uptake import NotEstimableError


@pytest.mark.parametrize(
    ("value", "unit", "share"),
    [
        ("2/3", "share", Fraction(2, 3)),
        ("0.6", "share", Fraction(3, 5)),
        ("34", "percent", Fraction(34, 100)),
        (" 1 ", "share", Fraction(1)),
    ],
)
def test_parse_share(value, unit, share):
    assert assumptions.parse_share(value, unit) == share


@pytest.mark.parametrize(
    ("value", "unit", "message"),
    [
        ("0,6", "share", "decimal comma"),
        ("two thirds", "share", "not a number"),
        ("1/0", "share", "not a number"),
        ("120", "percent", "not a share"),
        ("-0.1", "share", "not a share"),
        ("0.5", "ratio", "unknown unit"),
    ],
)
def test_parse_share_rejects(value, unit, message):
    with pytest.raises(ValueError, match=message):
        assumptions.parse_share(value, unit)


def test_shipped_assumptions_have_sources(tables):
    table = tables["assumptions"]

    assert set(assumptions.REQUIRED) <= set(table["name"])
    assert table["source_id"].notna().all()
    stated = table.set_index("name").loc[assumptions.HELD_SHARE_STATED]
    assert stated["value"] == "2/3"
    assert "twee derde" in stated["quote"]


def test_held_share_range_exact(tables):
    low, stated, high = assumptions.held_share_range(tables["assumptions"])

    assert (low, stated, high) == (0.6, 2 / 3, 0.7)


def test_pickup_rate_2016(tables):
    assert assumptions.pickup_rate_2016(tables["assumptions"]) == (0.34, 0.47)


def test_missing_assumption_named(tables):
    table = tables["assumptions"]
    without = table[table["name"] != assumptions.HELD_SHARE_LOW]

    with pytest.raises(NotEstimableError, match="'held_share_low' not found"):
        assumptions.held_share_range(without)


def test_held_shares_out_of_order():
    table = pd.DataFrame(
        {
            "name": ["held_share_low", "held_share_stated", "held_share_high"],
            "value": ["0.7", "2/3", "0.8"],
            "unit": ["share"] * 3,
        }
    )

    with pytest.raises(NotEstimableError, match="out of order"):
        assumptions.held_share_range(table)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("held_share_low,0.6,share", "held_share_low,0,6,share", "expected 6 cells"),
        ("held_share_low,0.6,share", "held_share_low,1.6,share", "not a share"),
        ("held_share_low,0.6,share", "held_share_low,0.6,ratio", "invalid value"),
        (",project_reading,", ",nowhere,", "source_id not found"),
        ("held_share_high,", "held_share_low,", "duplicate row"),
        ("pickup_rate_2016_max,", "pickup_rate_2017_max,", "missing assumption"),
    ],
)
def test_assumptions_file_rejects(raw_copy, old, new, message):
    folder = raw_copy.folder
    path = folder / "assumptions.csv"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    write_checksums(folder)

    with pytest.raises(RawDataError, match=message) as error:
        raw.load_assumptions(folder)

    assert "assumptions.csv" in str(error.value)
