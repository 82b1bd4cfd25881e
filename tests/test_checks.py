"""Tests for helpers.checks: the source's discrepancies and incomplete years."""

from __future__ import annotations

import pytest

from helpers import raw
from helpers.checks import (
    CHANNELS_VS_TOTAL,
    DISCREPANCY,
    OK,
    PROVINCES_VS_PICKUP_TOTAL,
    TEXT_VS_TABLE_TOTAL,
    Finding,
    require_complete,
    run_checks,
)
from helpers.errors import RawDataError


@pytest.fixture
def findings(tables):
    frame = run_checks(
        tables["cards_per_year"],
        tables["cards_by_channel"],
        tables["pickup_by_province"],
    )
    return frame.set_index(["check", "year"])


def test_run_checks_columns(tables):
    frame = run_checks(
        tables["cards_per_year"],
        tables["cards_by_channel"],
        tables["pickup_by_province"],
    )
    assert list(frame.columns) == [
        "check",
        "year",
        "expected",
        "observed",
        "difference",
        "status",
    ]


def test_run_checks_three_per_year(findings):
    assert len(findings) == 6
    assert findings.index.is_unique


@pytest.mark.parametrize(
    ("year", "difference"),
    [
        # Table total entitled minus subscription, (re)starters and pickup points.
        (2021, 220650 - (25479 + 18872 + 175386)),  # = 913
        (2022, 227916 - (26936 + 17984 + 177260)),  # = 5736
    ],
)
def test_channels_short_of_total(findings, year, difference):
    finding = findings.loc[(CHANNELS_VS_TOTAL, year)]
    assert finding["difference"] == difference
    assert finding["status"] == DISCREPANCY


@pytest.mark.parametrize(
    ("year", "difference", "status"),
    [
        (2021, 220679 - 220650, DISCREPANCY),  # text 220.679, table 220.650: 29
        (2022, 227916 - 227916, OK),  # both 227.916
    ],
)
def test_text_against_table_total(findings, year, difference, status):
    finding = findings.loc[(TEXT_VS_TABLE_TOTAL, year)]
    assert finding["difference"] == difference
    assert finding["status"] == status


@pytest.mark.parametrize("year", [2021, 2022])
def test_provinces_match_pickup_total(findings, year):
    finding = findings.loc[(PROVINCES_VS_PICKUP_TOTAL, year)]
    assert finding["difference"] == 0
    assert finding["status"] == OK


def test_provinces_sum_by_hand_2021(findings):
    # The eleven rows of pickup_cards_by_province.csv, column 2021.
    provinces = 49307 + 24564 + 41512 + 30207 + 26275 + 156 + 41 + 444 + 31 + 2475 + 374
    finding = findings.loc[(PROVINCES_VS_PICKUP_TOTAL, 2021)]
    assert finding["observed"] == provinces
    assert finding["expected"] == 175386


def test_run_checks_finds_changed_province(raw_copy):
    raw_copy.replace(raw.PICKUP_BY_PROVINCE, "Namen,41,43", "Namen,51,43")
    tables = raw.load_all(raw_copy.folder)
    frame = run_checks(
        tables["cards_per_year"],
        tables["cards_by_channel"],
        tables["pickup_by_province"],
    ).set_index(["check", "year"])
    finding = frame.loc[(PROVINCES_VS_PICKUP_TOTAL, 2021)]
    assert finding["difference"] == 41 - 51
    assert finding["status"] == DISCREPANCY


def test_finding_difference_and_status():
    assert Finding("c", 2021, expected=10, observed=7).difference == 3
    assert Finding("c", 2021, expected=10, observed=7).status == DISCREPANCY
    assert Finding("c", 2021, expected=10, observed=10).status == OK


def test_require_complete_accepts_shipped(tables, raw_dir):
    result = require_complete(
        tables["cards_per_year"],
        tables["cards_by_channel"],
        tables["pickup_by_province"],
        raw_dir,
    )
    assert result is None


def test_require_complete_missing_channel(tables, raw_dir):
    channels = tables["cards_by_channel"]
    without = channels[
        ~((channels["year"] == 2022) & (channels["channel"] == "starters"))
    ]
    with pytest.raises(RawDataError) as caught:
        require_complete(
            tables["cards_per_year"], without, tables["pickup_by_province"], raw_dir
        )
    message = str(caught.value)
    assert str(raw_dir / raw.CARDS_BY_CHANNEL) in message
    assert "year 2022" in message
    assert "'starters'" in message


def test_require_complete_missing_province(tables, raw_dir):
    pickup = tables["pickup_by_province"]
    without = pickup[~((pickup["year"] == 2021) & (pickup["nis_code"] == "90000"))]
    with pytest.raises(RawDataError) as caught:
        require_complete(
            tables["cards_per_year"], tables["cards_by_channel"], without, raw_dir
        )
    message = str(caught.value)
    assert str(raw_dir / raw.PICKUP_BY_PROVINCE) in message
    assert "Namen" in message
    assert "year 2021" in message


def test_require_complete_missing_statement(tables, raw_dir):
    per_year = tables["cards_per_year"]
    without = per_year[
        ~((per_year["year"] == 2021) & (per_year["statement"] == "text"))
    ]
    with pytest.raises(RawDataError) as caught:
        require_complete(
            without, tables["cards_by_channel"], tables["pickup_by_province"], raw_dir
        )
    assert "statement 'text'" in str(caught.value)


def test_require_complete_deleted_province_line(raw_copy):
    raw_copy.delete(raw.PICKUP_BY_PROVINCE, "Luxemburg,31,28")
    tables = raw.load_all(raw_copy.folder)
    with pytest.raises(RawDataError, match="missing province Luxemburg"):
        require_complete(
            tables["cards_per_year"],
            tables["cards_by_channel"],
            tables["pickup_by_province"],
            raw_copy.folder,
        )


def test_require_complete_year_without_pickups(raw_copy):
    raw_copy.insert_after(
        raw.CARDS_PER_YEAR,
        "2022,text,227.916,antwoord punt 1",
        "2023,text,230.000,invented year",
    )
    tables = raw.load_all(raw_copy.folder)
    with pytest.raises(RawDataError, match="2023"):
        require_complete(
            tables["cards_per_year"],
            tables["cards_by_channel"],
            tables["pickup_by_province"],
            raw_copy.folder,
        )
