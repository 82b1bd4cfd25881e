"""Cards held, as opposed to cards distributed, nationally.

The answer's cards are created for every entitled person, so cards distributed per
entitled person is about 1 by construction. Cards held are fewer, because a
pickup-point card that is not collected is not held. Two assumed values give an
estimate:

- the minister's "about two thirds" of staff hold a card, which implies a pickup
  rate at pickup points (helpers.uptake.implied_pickup_rate), and
- the 2016 pickup shares per province by mid-June, which imply a held share.

Both assume that every card sent by post (subscription and (re)starters) is held
and that the cards in no channel are not.
"""

from __future__ import annotations

import pandas as pd

from helpers import assumptions as assumed
from helpers.channels import MAILED_CHANNELS, PICKUP_POINTS
from helpers.uptake import NotEstimableError, implied_pickup_rate

HELD_SHARE = "held_share"
PICKUP_RATE = "pickup_rate"
PARAMETER = "held_share_parameter"


def pickup_rate_for(entitled: int, channels: pd.DataFrame, held_share: float) -> float:
    """Return the pickup rate that ``held_share`` implies, checked to lie in 0-1.

    Raises NotEstimableError when the held share needs more pickups than there are
    pickup-point cards, or fewer than none, because no pickup rate fits it then.
    """
    pickup = channels.loc[channels["channel"] == PICKUP_POINTS, "cards"].sum()
    if not pickup > 0:
        raise NotEstimableError(
            "no pickup-point cards, so no pickup rate can be derived from a held share"
        )
    rate = implied_pickup_rate(entitled, channels, held_share)["pickup_rate"]
    if not 0 <= rate <= 1:
        raise NotEstimableError(
            f"a held share of {held_share:.3f} implies a pickup rate of {rate:.3f}, "
            "outside 0 to 1: the cards sent by post alone exceed it, or all "
            "pickup-point cards together do not reach it"
        )
    return rate


def held_variants(
    entitled: int,
    channels: pd.DataFrame,
    assumptions: pd.DataFrame,
    held_share: float,
) -> pd.DataFrame:
    """Estimate cards held under each assumed value, one row per variant.

    ``channels`` has channel and cards for one year. Rows with basis held_share
    take the share as given and derive the pickup rate. Rows with basis pickup_rate
    take a 2016 pickup rate as given and derive the share. ``held_share`` is the
    share the estimates use; it gets its own row when no assumption has that value.
    Returns variant, basis, held_share, pickup_rate, entitled, mailed_cards,
    pickup_cards, cards_held, held_from_pickup.
    """
    by_channel = channels.set_index("channel")["cards"].astype("int64")
    mailed = int(sum(by_channel[channel] for channel in MAILED_CHANNELS))
    pickup = int(by_channel[PICKUP_POINTS])
    low, stated, high = assumed.held_share_range(assumptions)
    shares = {
        assumed.HELD_SHARE_LOW: low,
        assumed.HELD_SHARE_STATED: stated,
        assumed.HELD_SHARE_HIGH: high,
    }
    if all(abs(held_share - value) > 1e-12 for value in shares.values()):
        shares[PARAMETER] = held_share

    rows = []
    for variant, share in shares.items():
        rate = pickup_rate_for(entitled, channels, share)
        rows.append(
            {
                "variant": variant,
                "basis": HELD_SHARE,
                "held_share": share,
                "pickup_rate": rate,
                "cards_held": share * entitled,
                "held_from_pickup": rate * pickup,
            }
        )
    rate_min, rate_max = assumed.pickup_rate_2016(assumptions)
    for variant, rate in (
        (assumed.PICKUP_RATE_2016_MIN, rate_min),
        (assumed.PICKUP_RATE_2016_MAX, rate_max),
    ):
        held = mailed + rate * pickup
        rows.append(
            {
                "variant": variant,
                "basis": PICKUP_RATE,
                "held_share": held / entitled,
                "pickup_rate": rate,
                "cards_held": held,
                "held_from_pickup": rate * pickup,
            }
        )
    frame = pd.DataFrame(rows)
    frame.insert(4, "entitled", entitled)
    frame.insert(5, "mailed_cards", mailed)
    frame.insert(6, "pickup_cards", pickup)
    return frame
