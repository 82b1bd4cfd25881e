"""Cards per 100 staff, against national staff totals and modelled per-province staff.

No public source counts education staff per province, so the per-province denominator
is modelled: a national staff total split over the provinces in proportion to a proxy
(pupils by province of the school, or population by province). Every frame with a
modelled number says so in its ``denominator_kind`` column.

The numerators count cards distributed (sent to a pickup point or by post), not cards
picked up or held. The minister's answer puts cards held at "about two thirds" of staff;
that share is kept with its source in ``data/raw/assumptions.csv``.
"""

from __future__ import annotations

from fractions import Fraction

import pandas as pd

from helpers.channels import MAILED_CHANNELS, PICKUP_POINTS
from helpers.provinces import FLEMISH_COMMUNITY_CODES
from helpers.years import reference_date, school_year

MODELLED = "modelled"
OFFICIAL = "official"
NOT_ESTIMABLE = "not estimable"


class NotEstimableError(ValueError):
    """A ratio that the inputs cannot support, such as one with a zero denominator."""


def pupils_proxy(pupils: pd.DataFrame, card_year: int) -> pd.DataFrame:
    """Sum pupils over the levels per province for the school year of ``card_year``.

    Returns nis_code, province, proxy_value. Raises NotEstimableError when the school
    year has no pupils.
    """
    rows = pupils[pupils["school_year"] == school_year(card_year)]
    if rows.empty:
        raise NotEstimableError(
            f"no pupil counts for school year {school_year(card_year)}, which the card "
            f"year {card_year} needs; add them to pupils_by_school_province.csv"
        )
    proxy = rows.groupby(["nis_code", "province"], as_index=False)["pupils"].sum()
    return proxy.rename(columns={"pupils": "proxy_value"})


def population_proxy(population: pd.DataFrame, card_year: int) -> pd.DataFrame:
    """Return the population of Flanders' provinces and Brussels on 1 January of
    ``card_year`` as nis_code, province, proxy_value."""
    rows = population[
        (population["date"] == reference_date(card_year))
        & population["nis_code"].isin(FLEMISH_COMMUNITY_CODES)
    ]
    if rows.empty:
        raise NotEstimableError(
            f"no population on {reference_date(card_year)}; add it to "
            "population_by_province.csv"
        )
    return rows.rename(columns={"population": "proxy_value"})[
        ["nis_code", "province", "proxy_value"]
    ].reset_index(drop=True)


def model_staff_by_province(national_staff: int, proxy: pd.DataFrame) -> pd.DataFrame:
    """Split ``national_staff`` over provinces in proportion to ``proxy_value``.

    Returns the proxy with share and modelled_staff added; the modelled staff add up to
    ``national_staff`` up to float rounding. Raises NotEstimableError for a total
    that is not positive, a negative proxy value or a proxy that sums to zero.
    """
    if national_staff is None or pd.isna(national_staff) or national_staff <= 0:
        raise NotEstimableError(
            f"national staff total must be positive, got {national_staff}"
        )
    values = proxy["proxy_value"].astype("float64")
    if values.isna().any() or (values < 0).any():
        raise NotEstimableError("proxy values must be present and not negative")
    total = values.sum()
    if total <= 0:
        raise NotEstimableError("proxy values sum to zero, so no share can be computed")
    result = proxy.copy()
    result["share"] = values / total
    result["modelled_staff"] = result["share"] * float(national_staff)
    return result


def per_100(cards: float, staff: float) -> float:
    """Return cards per 100 staff. Raises NotEstimableError for a staff count <= 0."""
    if staff is None or pd.isna(staff) or staff <= 0:
        raise NotEstimableError(f"staff count must be positive, got {staff}")
    return 100.0 * float(cards) / float(staff)


def implied_pickup_rate(
    entitled: int, channel_cards: pd.DataFrame, held_share: Fraction | float
) -> dict[str, float]:
    """Estimate the pickup rate at pickup points that ``held_share`` implies.

    The rate is the share of pickup-point cards that must have been picked up for
    ``held_share`` of the entitled staff to hold a card. Assumes every mailed card
    (subscription and (re)starters) is held, so the rest of the held cards came from
    pickup points. ``channel_cards`` has channel and cards for one year. This models
    the minister's rounded statement; it is not a measurement.
    """
    by_channel = channel_cards.set_index("channel")["cards"].astype("int64")
    mailed = int(sum(by_channel[channel] for channel in MAILED_CHANNELS))
    pickup = int(by_channel[PICKUP_POINTS])
    held = float(held_share) * entitled
    return {
        "held_share": float(held_share),
        "cards_held": held,
        "mailed_cards": mailed,
        "held_from_pickup": held - mailed,
        "pickup_rate": per_100(held - mailed, pickup) / 100.0,
    }
