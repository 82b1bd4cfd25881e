"""Assumed values that the estimates take as given, read from ``assumptions.csv``.

None of these values is a count for the card years. Each comes from a rounded
statement of the minister, a partial-year figure of 2016 or this project's reading
of "ongeveer" (about), as the source_id and note columns of the raw file record.
Estimates that use them are modelled, and the report labels the values as assumed.
"""

from __future__ import annotations

from fractions import Fraction

import pandas as pd

from helpers.uptake import NotEstimableError

ASSUMED = "assumed"

# The minister's answer, point 4: "ongeveer twee derde" of education professionals
# hold a card.
HELD_SHARE_STATED = "held_share_stated"
# The lowest and highest shares this project reads as "about two thirds".
HELD_SHARE_LOW = "held_share_low"
HELD_SHARE_HIGH = "held_share_high"
# The range over provinces of pickup-point cards picked up by mid-June 2016.
PICKUP_RATE_2016_MIN = "pickup_rate_2016_min"
PICKUP_RATE_2016_MAX = "pickup_rate_2016_max"

# The assumptions the estimates read; the raw loader rejects a file without them.
REQUIRED = (
    HELD_SHARE_STATED,
    HELD_SHARE_LOW,
    HELD_SHARE_HIGH,
    PICKUP_RATE_2016_MIN,
    PICKUP_RATE_2016_MAX,
)

# Divisor that turns a value in each unit into a share between 0 and 1.
UNITS = {"share": 1, "percent": 100}


def parse_share(value: str, unit: str) -> Fraction:
    """Parse "2/3" or "0.6" (unit share) or "34" (unit percent) into an exact share.

    Raises ValueError for a decimal comma, an unknown unit, text that is not a
    number, or a share outside 0-1.
    """
    if unit not in UNITS:
        raise ValueError(f"unknown unit {unit!r}; use {' or '.join(UNITS)}")
    if "," in value:
        raise ValueError(
            f"decimal comma in {value!r}; write a fraction (2/3) or a decimal "
            "point (0.6)"
        )
    try:
        share = Fraction(value.strip()) / UNITS[unit]
    except (ValueError, ZeroDivisionError):
        raise ValueError(
            f"{value!r} is not a number; write a fraction (2/3) or a decimal (0.6)"
        ) from None
    if not 0 <= share <= 1:
        raise ValueError(f"{value} {unit} is not a share between 0 and 1")
    return share


def assumed_share(assumptions: pd.DataFrame, name: str) -> float:
    """Return the share (0-1) of the assumption ``name`` from its value and unit.

    Raises NotEstimableError when the table has no such row, naming the raw file to
    extend.
    """
    rows = assumptions[assumptions["name"] == name]
    if rows.empty:
        raise NotEstimableError(
            f"assumption {name!r} not found; add it to data/raw/assumptions.csv "
            "with its source"
        )
    # The value as written, because the share column of a processed table is
    # rounded to six decimals.
    return float(parse_share(str(rows["value"].iloc[0]), str(rows["unit"].iloc[0])))


def held_share_range(assumptions: pd.DataFrame) -> tuple[float, float, float]:
    """Return the low, stated and high share of staff holding a card.

    Raises NotEstimableError unless low <= stated <= high, because the sensitivity
    of the held estimate reads them as an interval around the stated share.
    """
    low = assumed_share(assumptions, HELD_SHARE_LOW)
    stated = assumed_share(assumptions, HELD_SHARE_STATED)
    high = assumed_share(assumptions, HELD_SHARE_HIGH)
    if not low <= stated <= high:
        raise NotEstimableError(
            f"held shares out of order: low {low}, stated {stated}, high {high}; "
            "fix data/raw/assumptions.csv"
        )
    return low, stated, high


def pickup_rate_2016(assumptions: pd.DataFrame) -> tuple[float, float]:
    """Return the lowest and highest provincial pickup rate of mid-June 2016."""
    low = assumed_share(assumptions, PICKUP_RATE_2016_MIN)
    high = assumed_share(assumptions, PICKUP_RATE_2016_MAX)
    if low > high:
        raise NotEstimableError(
            f"2016 pickup rates out of order: min {low} > max {high}; fix "
            "data/raw/assumptions.csv"
        )
    return low, high
