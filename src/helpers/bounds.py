"""Cards per area as a lower bound, a central estimate and an upper bound.

The minister's answer counts pickup-point cards per province, but the other cards
only nationally: the magazine subscription and (re)starters channels, and the cards in
the total that no channel accounts for (the remainder). Pickups in the Walloon
provinces belong to staff who live there and work in Flanders or Brussels, so they
belong to no area with staff either. Together these are the cards with no area:

- lower bound: an area has its pickup-point cards only;
- central estimate: the allocated part of the cards with no area is shared out over
  the areas in proportion to a key;
- upper bound: every card with no area goes to this one area.

So lower <= central <= upper for every area, whatever the key, because each share
lies between 0 and 1 and no pool of cards is negative.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from helpers.uptake import NotEstimableError

# Shares may miss 1 by float rounding of a division.
_SHARE_TOLERANCE = 1e-9


@dataclass(frozen=True)
class CardPool:
    """Cards with no area, split by how the central estimate treats them.

    ``allocated`` cards are shared out by the key. ``apart`` cards stay out of every
    area's central estimate. ``outside`` is the part of ``apart`` picked up outside
    the areas with staff. A total over all areas with staff counts it, because the
    national staff totals include the staff who live outside Flanders and Brussels.
    """

    allocated: float
    apart: float
    outside: float

    def __post_init__(self) -> None:
        for name in ("allocated", "apart", "outside"):
            value = getattr(self, name)
            if value is None or not math.isfinite(value) or value < 0:
                raise NotEstimableError(
                    f"card pool {name} must be a finite count >= 0, got {value}"
                )
        if self.outside > self.apart:
            raise NotEstimableError(
                f"outside cards ({self.outside}) are part of the cards kept apart "
                f"({self.apart}), so they cannot exceed them"
            )

    @property
    def total(self) -> float:
        """All cards with no area."""
        return self.allocated + self.apart


def card_pool(
    *,
    mailed: float,
    remainder: float,
    outside: float,
    allocate_mailed: bool,
    allocate_remainder: bool,
) -> CardPool:
    """Sort the cards with no area into allocated and apart.

    ``mailed`` are the subscription and (re)starters cards, ``remainder`` the cards
    in no channel, ``outside`` the pickups in areas without staff. Raises
    NotEstimableError for a negative remainder (channels that exceed the total),
    because cards counted twice cannot be shared out.
    """
    if remainder < 0:
        raise NotEstimableError(
            f"the channels exceed the total by {-remainder} cards, so the cards in "
            "no channel cannot be counted"
        )
    share_remainder = allocate_mailed and allocate_remainder
    allocated = (mailed if allocate_mailed else 0) + (
        remainder if share_remainder else 0
    )
    # Summed from the parts, not as total minus allocated, so that float rounding
    # cannot make the apart cards smaller than the outside cards they contain.
    apart = (
        outside
        + (0 if allocate_mailed else mailed)
        + (0 if share_remainder else remainder)
    )
    return CardPool(allocated=allocated, apart=apart, outside=outside)


def allocate(total: float, shares: pd.Series) -> pd.Series:
    """Share out ``total`` cards in proportion to ``shares``.

    The result adds up to ``total`` up to float rounding. Raises NotEstimableError
    for a negative or missing share, shares that do not add up to 1, or a total that
    is negative or not finite.
    """
    if total is None or not math.isfinite(total) or total < 0:
        raise NotEstimableError(f"cards to allocate must be >= 0, got {total}")
    values = shares.astype("float64")
    if values.empty or values.isna().any() or (values < 0).any():
        raise NotEstimableError("shares must be present and not negative")
    if abs(values.sum() - 1.0) > _SHARE_TOLERANCE:
        raise NotEstimableError(f"shares add up to {values.sum()}, not 1")
    return values * float(total)


def area_bounds(
    pickup: pd.Series, shares: pd.Series | None, pool: CardPool
) -> pd.DataFrame:
    """Return cards_lower, cards_central and cards_upper per area.

    ``pickup`` contains the pickup-point cards and ``shares`` the key of each area,
    both indexed by nis_code over the same areas. ``shares`` may be None only when
    the pool allocates no cards.
    """
    cards = pickup.astype("float64")
    if cards.isna().any() or (cards < 0).any():
        raise NotEstimableError("pickup cards must be present and not negative")
    if shares is None:
        if pool.allocated != 0:
            raise NotEstimableError("cards to allocate need a key, got none")
        allocated = pd.Series(0.0, index=cards.index)
    elif set(cards.index) != set(shares.index):
        raise NotEstimableError(
            "pickup cards and key shares cover different areas: "
            f"{sorted(cards.index)} and {sorted(shares.index)}"
        )
    else:
        allocated = allocate(pool.allocated, shares.loc[cards.index])
    return pd.DataFrame(
        {
            "cards_lower": cards,
            "cards_central": cards + allocated,
            "cards_upper": cards + pool.total,
        }
    )


def group_bounds(
    bounds: pd.DataFrame, codes: tuple[str, ...], pool: CardPool, *, all_areas: bool
) -> dict[str, float]:
    """Return the cards of a group of areas as lower, central and upper bound.

    ``bounds`` comes from area_bounds. ``all_areas`` marks a group of every area
    with staff: it also counts the ``outside`` cards, which belong to its staff.
    The upper bound adds the cards with no area once, not once per member.
    """
    members = bounds.loc[list(codes)]
    outside = pool.outside if all_areas else 0.0
    return {
        "cards_lower": members["cards_lower"].sum() + outside,
        "cards_central": members["cards_central"].sum() + outside,
        "cards_upper": members["cards_lower"].sum() + pool.total,
    }


def out_of_order(
    frame: pd.DataFrame, columns: tuple[str, str, str] = ("lower", "central", "upper")
) -> pd.DataFrame:
    """Return the rows whose lower, central and upper values are out of order.

    Rows with a missing value are skipped. Differences below 1e-9 of the value are
    float rounding (a key's shares add up to 1 only within it), not disorder.
    """
    low, mid, high = (frame[column].astype("float64") for column in columns)
    slack = 1e-9 * high.abs().clip(lower=1.0)
    wrong = (low > mid + slack) | (mid > high + slack)
    return frame[wrong & low.notna() & mid.notna() & high.notna()]
