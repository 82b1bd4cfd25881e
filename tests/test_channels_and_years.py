"""Tests for helpers.channels and helpers.years."""

from __future__ import annotations

import pytest

from helpers.channels import (
    CHANNEL_IDS,
    CHANNELS,
    MAILED_CHANNELS,
    PICKUP_POINTS,
    find_channel,
    label_nl,
)
from helpers.years import reference_date, school_year


@pytest.mark.parametrize(
    ("label", "channel_id"),
    [
        ("Kaarten met abonnement", "subscription"),
        ("Kaarten voor (her)starters", "starters"),
        ("Kaarten via afhaalpunten", "pickup_points"),
        ("  kaarten VIA afhaalpunten ", "pickup_points"),
        ("subscription", "subscription"),
        (" starters ", "starters"),
    ],
)
def test_find_channel(label, channel_id):
    assert find_channel(label).channel_id == channel_id


@pytest.mark.parametrize("label", ["Kaarten per post", "", "Subscription", "Totaal"])
def test_find_channel_unknown(label):
    with pytest.raises(KeyError) as caught:
        find_channel(label)
    message = caught.value.args[0]
    assert repr(label) in message
    assert "Kaarten met abonnement" in message


def test_label_nl():
    assert label_nl("subscription") == "Abonnement op Klasse"
    assert label_nl(PICKUP_POINTS) == "Afhaalpunten"


def test_label_nl_unknown():
    with pytest.raises(KeyError):
        label_nl("post")


def test_channel_ids_cover_channels():
    assert CHANNEL_IDS == tuple(channel.channel_id for channel in CHANNELS)
    assert len(set(CHANNEL_IDS)) == 3


def test_mailed_and_pickup_partition():
    assert sorted((*MAILED_CHANNELS, PICKUP_POINTS)) == sorted(CHANNEL_IDS)


@pytest.mark.parametrize(
    ("card_year", "expected"), [(2021, "2020-2021"), (2022, "2021-2022")]
)
def test_school_year(card_year, expected):
    assert school_year(card_year) == expected


@pytest.mark.parametrize(
    ("card_year", "expected"), [(2021, "2021-01-01"), (2022, "2022-01-01")]
)
def test_reference_date(card_year, expected):
    assert reference_date(card_year) == expected


def test_years_match_shipped_data(tables):
    # Both card years of the minister's answer have pupils and population.
    for card_year in (2021, 2022):
        assert school_year(card_year) in set(tables["pupils"]["school_year"])
        assert reference_date(card_year) in set(tables["population"]["date"])
