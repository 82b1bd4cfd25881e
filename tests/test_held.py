"""Tests for helpers.held: cards held under each assumed value, by hand."""

from __future__ import annotations

import pandas as pd
import pytest
from estimation_data import raw_tables

from helpers import held
from helpers.uptake import NotEstimableError

# cards_by_channel.csv and cards_per_year.csv (table total), 2022.
ENTITLED = 227916
SUBSCRIPTION, STARTERS, PICKUP = 26936, 17984, 177260
MAILED = SUBSCRIPTION + STARTERS


def channels_2022() -> pd.DataFrame:
    channels = raw_tables()["cards_by_channel"]
    return channels[channels["year"] == 2022][["channel", "cards"]]


def test_pickup_rate_for_stated_share():
    rate = held.pickup_rate_for(ENTITLED, channels_2022(), 2 / 3)

    assert rate == pytest.approx((2 / 3 * ENTITLED - MAILED) / PICKUP)


def test_pickup_rate_outside_range_rejected():
    with pytest.raises(NotEstimableError, match="outside 0 to 1"):
        held.pickup_rate_for(ENTITLED, channels_2022(), 0.1)
    with pytest.raises(NotEstimableError, match="outside 0 to 1"):
        held.pickup_rate_for(ENTITLED, channels_2022(), 1.0)


def test_pickup_rate_without_pickups_rejected():
    channels = channels_2022().assign(cards=[0, 0, 0])

    with pytest.raises(NotEstimableError, match="no pickup-point cards"):
        held.pickup_rate_for(ENTITLED, channels, 2 / 3)


def test_held_variants_by_hand():
    frame = held.held_variants(
        ENTITLED, channels_2022(), raw_tables()["assumptions"], 2 / 3
    ).set_index("variant")

    assert list(frame.index) == [
        "held_share_low",
        "held_share_stated",
        "held_share_high",
        "pickup_rate_2016_min",
        "pickup_rate_2016_max",
    ]
    low = frame.loc["held_share_low"]
    assert low["basis"] == "held_share"
    assert low["cards_held"] == pytest.approx(0.6 * ENTITLED)
    assert low["pickup_rate"] == pytest.approx((0.6 * ENTITLED - MAILED) / PICKUP)
    # assumptions.csv: 34 % of pickup-point cards picked up by mid-June 2016.
    slow = frame.loc["pickup_rate_2016_min"]
    assert slow["basis"] == "pickup_rate"
    assert slow["cards_held"] == pytest.approx(MAILED + 0.34 * PICKUP)
    assert slow["held_share"] == pytest.approx((MAILED + 0.34 * PICKUP) / ENTITLED)


def test_held_variants_add_parameter_row():
    frame = held.held_variants(
        ENTITLED, channels_2022(), raw_tables()["assumptions"], 0.65
    )

    parameter = frame.set_index("variant").loc[held.PARAMETER]
    assert parameter["held_share"] == 0.65
    assert len(frame) == 6
