"""Tests for helpers.errors: the message of RawDataError."""

from __future__ import annotations

from pathlib import Path

from helpers.errors import RawDataError


def test_raw_data_error_full_message():
    error = RawDataError(
        Path("data/raw/pickup.csv"),
        "a count cannot be negative",
        row=8,
        column="2021",
        value="-41",
        action="fix it",
    )
    assert str(error) == (
        "data/raw/pickup.csv, row 8, column '2021': a count cannot be negative "
        "(value '-41'); fix it"
    )


def test_raw_data_error_file_only():
    error = RawDataError("data/raw/x.csv", "file not found", action="restore it")
    assert str(error) == "data/raw/x.csv: file not found; restore it"


def test_raw_data_error_empty_value_shown():
    error = RawDataError("x.csv", "invalid date", row=2, value="")
    assert "(value '')" in str(error)


def test_raw_data_error_default_action():
    error = RawDataError("x.csv", "invalid")
    assert str(error).endswith("; correct the file against its source and run again")


def test_raw_data_error_attributes():
    error = RawDataError(Path("x.csv"), "invalid", row=3, column="c", value=5)
    assert error.path == "x.csv"
    assert error.row == 3
    assert error.column == "c"
    assert error.value == 5


def test_raw_data_error_is_value_error():
    assert isinstance(RawDataError("x.csv", "invalid"), ValueError)
