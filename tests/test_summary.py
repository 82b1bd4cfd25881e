"""Tests for helpers.summary: headline figures, channel split and change by province."""

from __future__ import annotations

import pandas as pd
import pytest

from helpers.provinces import BY_CODE
from helpers.summary import (
    UNASSIGNED,
    change_by_province,
    channel_split,
    headline_figures,
)


def headline(tables, year: int) -> pd.DataFrame:
    return headline_figures(
        tables["cards_per_year"],
        tables["cards_by_channel"],
        tables["website_visits"],
        year,
    ).set_index("measure")


@pytest.fixture
def pickup(tables) -> pd.DataFrame:
    frame = tables["pickup_by_province"].copy()
    frame["region"] = frame["nis_code"].map(lambda code: BY_CODE[code].region)
    return frame


def test_headline_measures_in_order(tables):
    assert headline(tables, 2022).index.tolist() == [
        "cards_distributed",
        "total_entitled",
        "pickup_point_cards",
        "website_visits",
    ]


def test_headline_2022_current(tables):
    figures = headline(tables, 2022)
    assert figures.loc["cards_distributed", "current"] == 227916
    assert figures.loc["total_entitled", "current"] == 227916
    assert figures.loc["pickup_point_cards", "current"] == 177260
    assert figures.loc["website_visits", "current"] == 800000


def test_headline_2022_changes(tables):
    figures = headline(tables, 2022)
    assert figures.loc["cards_distributed", "change"] == 227916 - 220679
    assert figures.loc["total_entitled", "change"] == 227916 - 220650
    assert figures.loc["pickup_point_cards", "change"] == 177260 - 175386
    assert figures.loc["website_visits", "change"] == 800000 - 700000


def test_headline_visits_2021_no_previous(tables):
    # The minister's answer gives no number for 2020, so neither the previous year
    # nor the change may be read as zero.
    figures = headline(tables, 2021)
    assert figures.loc["website_visits", "current"] == 700000
    assert pd.isna(figures.loc["website_visits", "previous"])
    assert pd.isna(figures.loc["website_visits", "change"])


def test_headline_first_year_no_previous(tables):
    figures = headline(tables, 2021)
    assert figures["previous"].isna().all()


def test_headline_types_nullable(tables):
    figures = headline(tables, 2022)
    for column in ("current", "previous", "change"):
        assert str(figures[column].dtype) == "Int64", column


def test_channel_split_2021_unassigned(tables):
    split = channel_split(tables["cards_by_channel"], 220650, 2021).set_index("channel")
    # Table total entitled minus subscription, (re)starters and pickup points.
    assert split.loc[UNASSIGNED, "cards"] == 220650 - (25479 + 18872 + 175386)
    assert split.loc["pickup_points", "share"] == pytest.approx(175386 / 220650)


def test_channel_split_shares_sum_to_one(tables):
    split = channel_split(tables["cards_by_channel"], 227916, 2022)
    assert split["share"].sum() == pytest.approx(1.0)
    assert split["cards"].sum() == 227916


def test_channel_split_negative_unassigned(tables):
    # Against the 2021 pickup total alone, the channels exceed the total.
    split = channel_split(tables["cards_by_channel"], 175386, 2021).set_index("channel")
    assert split.loc[UNASSIGNED, "cards"] == -(25479 + 18872)


def test_change_by_province_2022(pickup):
    frame = change_by_province(pickup, 2022).set_index("province")
    assert frame.loc["Antwerpen", "previous"] == 49307
    assert frame.loc["Antwerpen", "change"] == 50232 - 49307
    assert frame.loc["Oost-Vlaanderen", "change"] == 41400 - 41512


def test_change_by_province_sorted(pickup):
    cards = change_by_province(pickup, 2022)["cards"].tolist()
    assert cards == sorted(cards, reverse=True)
    assert len(cards) == 11


def test_change_by_province_shares(pickup):
    frame = change_by_province(pickup, 2022).set_index("province")
    assert frame["share"].sum() == pytest.approx(1.0)
    assert frame.loc["Antwerpen", "share"] == pytest.approx(50232 / 177260)


def test_change_by_province_first_year(pickup):
    frame = change_by_province(pickup, 2021)
    assert frame["previous"].isna().all()
    assert frame["change"].isna().all()
