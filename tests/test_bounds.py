"""Tests for helpers.bounds: allocation keeps totals, bounds keep their order."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers import bounds
from helpers.uptake import NotEstimableError

AREAS = ["10000", "20001", "30000", "40000", "70000", "04000"]

counts = st.integers(min_value=0, max_value=10**7)
weights = st.lists(
    st.integers(min_value=0, max_value=10**6), min_size=6, max_size=6
).filter(lambda values: sum(values) > 0)


def shares_from(values: list[int]) -> pd.Series:
    total = sum(values)
    return pd.Series([value / total for value in values], index=AREAS)


def test_allocate_splits_in_proportion():
    shares = pd.Series([0.25, 0.75], index=["a", "b"])

    allocated = bounds.allocate(1000, shares)

    assert allocated["a"] == 250
    assert allocated["b"] == 750


@given(total=counts, values=weights)
def test_allocate_keeps_total(total, values):
    allocated = bounds.allocate(total, shares_from(values))

    assert allocated.sum() == pytest.approx(total, rel=1e-12, abs=1e-6)
    assert (allocated >= 0).all()


@pytest.mark.parametrize(
    ("total", "shares", "message"),
    [
        (-1, [0.5, 0.5], "must be >= 0"),
        (float("nan"), [0.5, 0.5], "must be >= 0"),
        (10, [0.5, 0.4], "add up to"),
        (10, [1.5, -0.5], "not negative"),
        (10, [0.5, float("nan")], "not negative"),
        (10, [], "not negative"),
    ],
)
def test_allocate_rejects_bad_input(total, shares, message):
    with pytest.raises(NotEstimableError, match=message):
        bounds.allocate(total, pd.Series(shares, dtype="float64"))


def test_card_pool_sorts_cards():
    pool = bounds.card_pool(
        mailed=100,
        remainder=10,
        outside=5,
        allocate_mailed=True,
        allocate_remainder=False,
    )

    assert pool.allocated == 100
    assert pool.apart == 15
    assert pool.outside == 5
    assert pool.total == 115


def test_card_pool_without_key_keeps_all_apart():
    pool = bounds.card_pool(
        mailed=100,
        remainder=10,
        outside=5,
        allocate_mailed=False,
        allocate_remainder=True,
    )

    assert pool.allocated == 0
    assert pool.apart == 115


def test_card_pool_rejects_negative_remainder():
    with pytest.raises(NotEstimableError, match="exceed the total by 3 cards"):
        bounds.card_pool(
            mailed=100,
            remainder=-3,
            outside=0,
            allocate_mailed=True,
            allocate_remainder=True,
        )


def test_card_pool_rejects_missing_count():
    with pytest.raises(NotEstimableError, match="finite count"):
        bounds.CardPool(allocated=float("nan"), apart=0, outside=0)


def test_area_bounds_by_hand():
    pickup = pd.Series([100.0, 50.0], index=["a", "b"])
    shares = pd.Series([0.8, 0.2], index=["a", "b"])
    pool = bounds.CardPool(allocated=40, apart=10, outside=10)

    frame = bounds.area_bounds(pickup, shares, pool)

    assert frame.loc["a"].tolist() == [100, 100 + 0.8 * 40, 100 + 50]
    assert frame.loc["b"].tolist() == [50, 50 + 0.2 * 40, 50 + 50]


def test_area_bounds_need_key_for_allocation():
    pickup = pd.Series([1.0], index=["a"])

    with pytest.raises(NotEstimableError, match="need a key"):
        bounds.area_bounds(pickup, None, bounds.CardPool(5, 0, 0))


def test_area_bounds_reject_missing_pickup():
    pickup = pd.Series([1.0, float("nan")], index=["a", "b"])
    shares = pd.Series([0.5, 0.5], index=["a", "b"])

    with pytest.raises(NotEstimableError, match="pickup cards"):
        bounds.area_bounds(pickup, shares, bounds.CardPool(5, 0, 0))


def test_area_bounds_reject_other_areas():
    pickup = pd.Series([1.0], index=["a"])
    shares = pd.Series([1.0], index=["b"])

    with pytest.raises(NotEstimableError, match="different areas"):
        bounds.area_bounds(pickup, shares, bounds.CardPool(5, 0, 0))


@given(
    pickups=st.lists(counts, min_size=6, max_size=6),
    values=weights,
    mailed=counts,
    remainder=counts,
    outside=counts,
    allocate_mailed=st.booleans(),
    allocate_remainder=st.booleans(),
)
def test_bounds_keep_order_and_totals(
    pickups, values, mailed, remainder, outside, allocate_mailed, allocate_remainder
):
    pool = bounds.card_pool(
        mailed=mailed,
        remainder=remainder,
        outside=outside,
        allocate_mailed=allocate_mailed,
        allocate_remainder=allocate_remainder,
    )
    pickup = pd.Series(pickups, index=AREAS, dtype="float64")
    frame = bounds.area_bounds(pickup, shares_from(values), pool)
    frame.columns = ["lower", "central", "upper"]

    assert bounds.out_of_order(frame).empty
    # Central cards over all areas plus the cards kept apart are every card.
    every_card = sum(pickups) + mailed + remainder + outside
    assert frame["central"].sum() + pool.apart == pytest.approx(every_card)
    group = bounds.group_bounds(
        frame.set_axis(["cards_lower", "cards_central", "cards_upper"], axis=1),
        tuple(AREAS),
        pool,
        all_areas=True,
    )
    assert group["cards_upper"] == pytest.approx(every_card)
    assert group["cards_lower"] <= group["cards_central"] + 1e-6
    assert group["cards_central"] <= group["cards_upper"] + 1e-6 * every_card


@given(
    pickups=st.lists(counts, min_size=6, max_size=6),
    values=weights,
    mailed=counts,
    outside=counts,
)
def test_group_of_some_areas_keeps_order(pickups, values, mailed, outside):
    pool = bounds.card_pool(
        mailed=mailed,
        remainder=0,
        outside=outside,
        allocate_mailed=True,
        allocate_remainder=True,
    )
    pickup = pd.Series(pickups, index=AREAS, dtype="float64")
    frame = bounds.area_bounds(pickup, shares_from(values), pool)
    group = bounds.group_bounds(frame, tuple(AREAS[:5]), pool, all_areas=False)

    assert group["cards_lower"] == sum(pickups[:5])
    assert group["cards_lower"] <= group["cards_central"]
    assert group["cards_central"] <= group["cards_upper"] + 1e-9 * max(
        1, group["cards_upper"]
    )


def test_out_of_order_finds_rows():
    frame = pd.DataFrame(
        {
            "lower": [1.0, 5.0, 1.0, float("nan")],
            "central": [2.0, 4.0, 3.0, 1.0],
            "upper": [3.0, 6.0, 2.0, 0.0],
        }
    )

    wrong = bounds.out_of_order(frame)

    assert wrong.index.tolist() == [1, 2]


def test_out_of_order_allows_float_rounding():
    frame = pd.DataFrame(
        {"lower": [50.0], "central": [100.0 + 1e-12], "upper": [100.0]}
    )

    assert frame["central"].iloc[0] > frame["upper"].iloc[0]
    assert bounds.out_of_order(frame).empty
