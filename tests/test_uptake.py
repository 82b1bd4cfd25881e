"""Tests for helpers.uptake: modelled staff per province and the implied pickup rate."""

from __future__ import annotations

import math
from fractions import Fraction

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers.uptake import (
    NotEstimableError,
    implied_pickup_rate,
    model_staff_by_province,
    per_100,
    population_proxy,
    pupils_proxy,
)

# The answer's table column "Totaal aantal rechthebbenden" for 2021.
ENTITLED_2021 = 220650


def proxy_of(values) -> pd.DataFrame:
    """Build a proxy frame that keeps the dtype of ``values``, such as Int64."""
    codes = [f"{index:05d}" for index in range(len(values))]
    return pd.DataFrame({"nis_code": codes, "province": codes, "proxy_value": values})


def channels_of(tables, year: int) -> pd.DataFrame:
    channels = tables["cards_by_channel"]
    return channels[channels["year"] == year][["channel", "cards"]]


def test_pupils_proxy_sums_levels(tables):
    proxy = pupils_proxy(tables["pupils"], 2021).set_index("nis_code")
    # Nursery + primary + secondary pupils in Antwerpen, 1 February 2021.
    assert proxy.loc["10000", "proxy_value"] == 72284 + 124502 + 127442
    assert len(proxy) == 6


def test_pupils_proxy_missing_year(tables):
    with pytest.raises(NotEstimableError, match="2019-2020"):
        pupils_proxy(tables["pupils"], 2020)


def test_population_proxy_flemish_community(tables):
    proxy = population_proxy(tables["population"], 2022).set_index("nis_code")
    assert sorted(proxy.index) == ["04000", "10000", "20001", "30000", "40000", "70000"]
    assert proxy.loc["04000", "proxy_value"] == 1222637


def test_population_proxy_missing_date(tables):
    with pytest.raises(NotEstimableError, match="2023-01-01"):
        population_proxy(tables["population"], 2023)


def test_model_keeps_national_total(tables):
    modelled = model_staff_by_province(
        ENTITLED_2021, pupils_proxy(tables["pupils"], 2021)
    )
    assert modelled["modelled_staff"].sum() == pytest.approx(ENTITLED_2021)
    assert modelled["share"].sum() == pytest.approx(1.0)


def test_model_antwerpen_2021_by_hand(tables):
    # Pupils of 2020-2021 per area: nursery + primary + secondary.
    antwerpen = 72284 + 124502 + 127442
    six_areas = (
        antwerpen
        + (30590 + 54161 + 59860)  # Limburg
        + (57642 + 100815 + 105456)  # Oost-Vlaanderen
        + (41352 + 70964 + 77715)  # West-Vlaanderen
        + (42519 + 72734 + 66826)  # Vlaams-Brabant
        + (14376 + 19838 + 15615)  # Brussels Hoofdstedelijk Gewest
    )
    expected_staff = ENTITLED_2021 * antwerpen / six_areas
    # Pickup-point cards in Antwerpen, 2021.
    expected_per_100 = 100 * 49307 / expected_staff

    modelled = model_staff_by_province(
        ENTITLED_2021, pupils_proxy(tables["pupils"], 2021)
    ).set_index("nis_code")
    antwerpen_staff = modelled.loc["10000", "modelled_staff"]

    assert modelled.loc["10000", "share"] == pytest.approx(antwerpen / six_areas)
    assert antwerpen_staff == pytest.approx(expected_staff)
    assert per_100(49307, antwerpen_staff) == pytest.approx(expected_per_100)


@pytest.mark.parametrize("national", [0, -1, None, float("nan"), pd.NA])
def test_model_rejects_bad_national(national):
    with pytest.raises(NotEstimableError):
        model_staff_by_province(national, proxy_of([1, 2, 3]))


@pytest.mark.parametrize(
    "values",
    [
        [0, 0, 0],
        [],
        [5, -1, 3],
        [5, None, 3],
        [5, float("nan"), 3],
        pd.array([5, pd.NA, 3], dtype="Int64"),
    ],
    ids=["all zero", "empty", "negative", "none", "nan", "int64 na"],
)
def test_model_rejects_bad_proxy(values):
    with pytest.raises(NotEstimableError):
        model_staff_by_province(1000, proxy_of(values))


def test_model_zero_proxy_gets_zero_staff():
    modelled = model_staff_by_province(1000, proxy_of([0, 1, 3]))
    assert modelled["modelled_staff"].tolist() == [0.0, 250.0, 750.0]


def test_model_does_not_change_proxy():
    proxy = proxy_of([1, 3])
    model_staff_by_province(1000, proxy)
    assert list(proxy.columns) == ["nis_code", "province", "proxy_value"]


@given(
    national=st.integers(min_value=1, max_value=10**7),
    values=st.lists(
        st.integers(min_value=0, max_value=10**7), min_size=1, max_size=11
    ).filter(lambda values: sum(values) > 0),
)
def test_model_property_keeps_total(national, values):
    modelled = model_staff_by_province(national, proxy_of(values))
    assert math.isclose(modelled["modelled_staff"].sum(), national, rel_tol=1e-9)


@given(
    national=st.integers(min_value=1, max_value=10**7),
    values=st.lists(
        st.integers(min_value=0, max_value=10**7), min_size=1, max_size=11
    ).filter(lambda values: sum(values) > 0),
)
def test_model_property_shares_in_range(national, values):
    shares = model_staff_by_province(national, proxy_of(values))["share"]
    assert ((shares >= 0) & (shares <= 1)).all()
    assert math.isclose(shares.sum(), 1.0, rel_tol=1e-9)


@given(
    national=st.floats(min_value=1, max_value=1e7),
    values=st.lists(
        st.floats(min_value=0, max_value=1e7), min_size=1, max_size=11
    ).filter(lambda values: sum(values) > 0),
)
def test_model_property_float_proxy(national, values):
    modelled = model_staff_by_province(national, proxy_of(values))
    assert math.isclose(modelled["modelled_staff"].sum(), national, rel_tol=1e-9)
    assert ((modelled["share"] >= 0) & (modelled["share"] <= 1)).all()


def test_per_100_ratio():
    assert per_100(50, 200) == 25.0


@pytest.mark.parametrize("staff", [0, -5, None, float("nan")])
def test_per_100_rejects_bad_staff(staff):
    with pytest.raises(NotEstimableError):
        per_100(10, staff)


def test_implied_pickup_rate_2021_by_hand(tables):
    mailed = 25479 + 18872  # subscription + (re)starters, 2021
    cards_held = ENTITLED_2021 * 2 / 3  # 147100
    pickup_cards = 175386  # pickup points, 2021
    expected_rate = (cards_held - mailed) / pickup_cards  # 102749 / 175386

    result = implied_pickup_rate(
        ENTITLED_2021, channels_of(tables, 2021), Fraction(2, 3)
    )

    assert result["held_share"] == pytest.approx(2 / 3)
    assert result["cards_held"] == pytest.approx(cards_held)
    assert result["mailed_cards"] == mailed
    assert result["held_from_pickup"] == pytest.approx(cards_held - mailed)
    assert result["pickup_rate"] == pytest.approx(expected_rate)


def test_implied_pickup_rate_float_share(tables):
    as_fraction = implied_pickup_rate(
        ENTITLED_2021, channels_of(tables, 2021), Fraction(2, 3)
    )
    as_float = implied_pickup_rate(ENTITLED_2021, channels_of(tables, 2021), 2 / 3)
    assert as_float["pickup_rate"] == pytest.approx(as_fraction["pickup_rate"])


def test_implied_pickup_rate_zero_pickups():
    channels = pd.DataFrame(
        {
            "channel": ["subscription", "starters", "pickup_points"],
            "cards": [10, 10, 0],
        }
    )
    with pytest.raises(NotEstimableError):
        implied_pickup_rate(100, channels, Fraction(2, 3))
