"""Uptake per province and year: cards per 100 staff with a lower and upper bound.

Two measures, each as lower bound, central estimate and upper bound (helpers.bounds):

- distributed: cards sent out per 100 staff. The answer's cards are created for
  every entitled person, so nationally this is about 100 by construction. Per
  province it shows mostly how far the pickup points (where staff live) differ
  from the key (where staff work, or where people live).
- held: cards held per 100 staff. Pickup-point cards count at the pickup rate,
  cards sent by post count in full, and cards in no channel do not count
  (helpers.held).

A Method names every choice that the estimate depends on, so the sensitivity
analysis (helpers.sensitivity) can vary one choice at a time.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import pandas as pd

from helpers import bounds, denominators, held
from helpers.channels import CHANNEL_IDS, MAILED_CHANNELS
from helpers.provinces import BY_CODE, FLEMISH_COMMUNITY_CODES, PROVINCES
from helpers.uptake import MODELLED, NOT_ESTIMABLE, NotEstimableError
from helpers.years import school_year

DISTRIBUTED = "distributed"
HELD = "held"
MEASURES = (DISTRIBUTED, HELD)

# channel_key values: "proxy" uses the key of the staff split; "pickup" shares the
# cards out like the pickup-point cards; "none" keeps them apart.
SAME_AS_PROXY = "proxy"
PICKUP_KEY = "pickup"
NO_KEY = "none"
CHANNEL_KEYS = (SAME_AS_PROXY, *denominators.KEYS, PICKUP_KEY, NO_KEY)
REMAINDER_MODES = ("allocate", "apart")

PROVINCE = "province"
TOTAL = "total"

COLUMNS = [
    "year",
    "measure",
    "level",
    "nis_code",
    "area",
    "region",
    "cards_lower",
    "cards_central",
    "cards_upper",
    "staff",
    "unit",
    "lower",
    "central",
    "upper",
    "status",
    "denominator",
    "denominator_kind",
    "proxy",
    "channel_key",
    "remainder",
    "held_share",
    "pickup_rate",
]


@dataclass(frozen=True)
class Group:
    """A total over several areas: an identifier, its Dutch name and its areas.

    ``all_areas`` marks a group of every area with staff, which also counts the
    pickups outside them (see helpers.bounds.group_bounds).
    """

    group_id: str
    name: str
    codes: tuple[str, ...]
    all_areas: bool


FLANDERS = Group(
    "flanders",
    "Vlaanderen (vijf provincies)",
    denominators.FLEMISH_PROVINCE_CODES,
    all_areas=False,
)
FLANDERS_BRUSSELS = Group(
    "flanders_brussels", "Vlaanderen en Brussel", FLEMISH_COMMUNITY_CODES, True
)
BRABANT_BRUSSELS = Group(
    "brabant_brussels", "Vlaams-Brabant en Brussel", ("20001", "04000"), False
)
DEFAULT_GROUPS = (FLANDERS, FLANDERS_BRUSSELS)


@dataclass(frozen=True)
class Method:
    """The choices behind one estimate.

    denominator: a national total to split (helpers.denominators.national_totals)
      or staff_by_province for the official counts.
    proxy: key of the staff split, pupils or population.
    channel_key: key that shares out the cards with no area (CHANNEL_KEYS).
    remainder: allocate the cards in no channel with the other cards, or keep
      them apart.
    held_share: assumed share of entitled staff holding a card.
    pickup_rate: share of pickup-point cards picked up; None takes the rate that
      held_share implies.
    """

    denominator: str
    proxy: str
    channel_key: str
    remainder: str
    held_share: float
    pickup_rate: float | None = None

    def __post_init__(self) -> None:
        if self.proxy not in denominators.KEYS:
            raise ValueError(
                f"unknown proxy {self.proxy!r}; use 'pupils' or 'population'"
            )
        if self.channel_key not in CHANNEL_KEYS:
            raise ValueError(
                f"unknown channel_key {self.channel_key!r}; use one of "
                f"{', '.join(CHANNEL_KEYS)}"
            )
        if self.remainder not in REMAINDER_MODES:
            raise ValueError(
                f"unknown remainder {self.remainder!r}; use 'allocate' or 'apart'"
            )
        if not 0 < self.held_share <= 1:
            raise ValueError(f"held_share must lie in (0, 1], got {self.held_share}")
        if self.pickup_rate is not None and not 0 <= self.pickup_rate <= 1:
            raise ValueError(f"pickup_rate must lie in 0-1, got {self.pickup_rate}")

    @property
    def resolved_channel_key(self) -> str:
        """The channel key with "proxy" replaced by the proxy it stands for."""
        return self.proxy if self.channel_key == SAME_AS_PROXY else self.channel_key


@dataclass(frozen=True)
class Inputs:
    """The processed tables of one card year that the estimates read.

    pickup: nis_code, province, region, cards for the eleven areas. channels:
    channel, cards. entitled: the answer's total entitled. totals: the national
    totals (helpers.denominators.national_totals). proxies: proxy, nis_code,
    proxy_value. official: the official staff per province, all years.
    """

    year: int
    pickup: pd.DataFrame
    channels: pd.DataFrame
    entitled: int
    totals: pd.DataFrame
    proxies: pd.DataFrame
    official: pd.DataFrame

    def __post_init__(self) -> None:
        by_channel = self.channels.set_index("channel")["cards"]
        missing = [c for c in CHANNEL_IDS if pd.isna(by_channel.get(c))]
        if missing:
            raise NotEstimableError(
                f"no cards for channel {', '.join(missing)} in {self.year}"
            )

    @property
    def mailed(self) -> int:
        """Cards sent by post: subscription and (re)starters."""
        by_channel = self.channels.set_index("channel")["cards"]
        return int(sum(int(by_channel[channel]) for channel in MAILED_CHANNELS))

    @property
    def remainder(self) -> int:
        """Cards in the total entitled that no channel accounts for."""
        return self.entitled - int(self.channels["cards"].sum())


def inputs_from_tables(
    year: int,
    *,
    cards_per_year: pd.DataFrame,
    channels: pd.DataFrame,
    pickup: pd.DataFrame,
    staff_national: pd.DataFrame,
    proxies: pd.DataFrame,
    official: pd.DataFrame,
) -> Inputs:
    """Select the rows of ``year`` from the processed tables."""
    totals = denominators.national_totals(cards_per_year, staff_national, year)
    entitled = totals.set_index("denominator").loc["table_total_entitled", "staff"]
    pickup_year = pickup[pickup["year"] == year]
    if pickup_year.empty:
        raise NotEstimableError(f"no pickup-point cards per province for {year}")
    return Inputs(
        year=year,
        pickup=pickup_year[["nis_code", "province", "region", "cards"]].reset_index(
            drop=True
        ),
        channels=channels[channels["year"] == year][["channel", "cards"]],
        entitled=int(entitled),
        totals=totals,
        proxies=proxies[proxies["year"] == year],
        official=official,
    )


def channel_shares(inputs: Inputs, method: Method) -> pd.Series | None:
    """Return the key that shares out the cards with no area, over the areas of the
    Flemish Community; None when the method keeps them apart."""
    key = method.resolved_channel_key
    if key == NO_KEY:
        return None
    if key == PICKUP_KEY:
        pickup = inputs.pickup.set_index("nis_code")["cards"]
        return denominators.shares_of(
            pickup.loc[list(FLEMISH_COMMUNITY_CODES)], description="pickup-point cards"
        )
    return denominators.key_shares(inputs.proxies, key)


def _pools(inputs: Inputs, method: Method, rate: float):
    """Return the pickup cards per area with staff and the card pool, per measure."""
    pickup = inputs.pickup.set_index("nis_code")["cards"].astype("float64")
    inside = pickup.loc[list(FLEMISH_COMMUNITY_CODES)]
    outside = float(pickup.drop(index=list(FLEMISH_COMMUNITY_CODES)).sum())
    allocate_mailed = method.resolved_channel_key != NO_KEY
    distributed = bounds.card_pool(
        mailed=inputs.mailed,
        remainder=inputs.remainder,
        outside=outside,
        allocate_mailed=allocate_mailed,
        allocate_remainder=method.remainder == "allocate",
    )
    # Held cards: pickups at the pickup rate, mailed cards in full, the remainder
    # not at all (the same reading as helpers.uptake.implied_pickup_rate).
    held_pool = bounds.card_pool(
        mailed=inputs.mailed,
        remainder=0,
        outside=rate * outside,
        allocate_mailed=allocate_mailed,
        allocate_remainder=False,
    )
    return {
        DISTRIBUTED: (inside, pickup, distributed),
        HELD: (rate * inside, rate * pickup, held_pool),
    }


def pickup_rate_of(inputs: Inputs, method: Method) -> float:
    """Return the method's pickup rate, or the one its held share implies."""
    if method.pickup_rate is not None:
        return float(method.pickup_rate)
    return held.pickup_rate_for(inputs.entitled, inputs.channels, method.held_share)


def estimate_uptake(
    inputs: Inputs, method: Method, groups: tuple[Group, ...] = DEFAULT_GROUPS
) -> pd.DataFrame:
    """Estimate both measures per area and per group, with bounds.

    Returns one row per measure and area (the eleven areas, then ``groups``) in the
    columns of COLUMNS. An area or group without staff has status "not estimable"
    and no ratio; its pickup-point cards stay in cards_lower. Raises
    NotEstimableError when the inputs support no estimate at all, such as a
    national total that is missing for the year.
    """
    staff_table = _staff_by_province(inputs, method)
    staff = staff_table.set_index("nis_code")["staff"]
    first = staff_table.iloc[0]
    shares = channel_shares(inputs, method)
    rate = pickup_rate_of(inputs, method)
    described = {
        "year": inputs.year,
        "unit": first["unit"],
        "denominator": first["denominator"],
        "denominator_kind": first["denominator_kind"],
        "proxy": first["proxy"],
        "channel_key": method.resolved_channel_key,
        "remainder": method.remainder,
    }

    rows = []
    for measure, (inside, every_area, pool) in _pools(inputs, method, rate).items():
        area_cards = bounds.area_bounds(inside, shares, pool)
        for province in PROVINCES:
            code = province.nis_code
            cards = (
                area_cards.loc[code].to_dict()
                if code in area_cards.index
                else {"cards_lower": every_area[code]}
            )
            rows.append(
                {
                    "measure": measure,
                    "level": PROVINCE,
                    "nis_code": code,
                    "area": province.name,
                    "region": province.region,
                    **cards,
                    "staff": staff.get(code, float("nan")),
                }
            )
        for group in groups:
            members = staff.reindex(list(group.codes))
            rows.append(
                {
                    "measure": measure,
                    "level": TOTAL,
                    "nis_code": group.group_id,
                    "area": group.name,
                    "region": "",
                    **bounds.group_bounds(
                        area_cards, group.codes, pool, all_areas=group.all_areas
                    ),
                    "staff": members.sum(min_count=len(members)),
                }
            )
    frame = pd.DataFrame(rows)
    _add_ratios(frame)
    for column, value in described.items():
        frame[column] = value
    # The held share enters only the held measure, and only through the pickup
    # rate that it implies when no rate is given.
    is_held = frame["measure"] == HELD
    held_share = method.held_share if method.pickup_rate is None else float("nan")
    frame["held_share"] = float("nan")
    frame.loc[is_held, "held_share"] = held_share
    frame["pickup_rate"] = float("nan")
    frame.loc[is_held, "pickup_rate"] = rate
    return frame[COLUMNS]


def _add_ratios(frame: pd.DataFrame) -> None:
    """Add lower, central, upper per 100 staff and the status, in place."""
    staff = frame["staff"].astype("float64")
    estimable = staff.notna() & (staff > 0) & frame["cards_upper"].notna()
    for bound in ("lower", "central", "upper"):
        ratio = 100.0 * frame[f"cards_{bound}"].astype("float64") / staff
        frame[bound] = ratio.where(estimable)
    frame["status"] = estimable.map({True: MODELLED, False: NOT_ESTIMABLE})


def compare_keys(inputs: Inputs, method: Method) -> pd.DataFrame:
    """Estimate the distributed measure once per staff key, all else as ``method``.

    Splits the answer's total entitled where ``method`` uses official counts or
    a total without Brussels, because the comparison is about what each key does
    to Brussels and Vlaams-Brabant. Returns the estimate
    columns with basis (workplace or residence) added, for the six areas with staff
    and the groups Vlaanderen, Vlaanderen en Brussel and Vlaams-Brabant en Brussel.
    """
    national = method.denominator
    if set(FLEMISH_COMMUNITY_CODES) - set(denominators.scope_of(national)) or (
        national == denominators.OFFICIAL_BY_PROVINCE
    ):
        national = "table_total_entitled"
    frames = []
    for key in denominators.KEYS:
        variant = replace(method, proxy=key, denominator=national)
        estimate = estimate_uptake(
            inputs,
            variant,
            groups=(*DEFAULT_GROUPS, BRABANT_BRUSSELS),
        )
        keep = (estimate["measure"] == DISTRIBUTED) & (
            estimate["nis_code"].isin(FLEMISH_COMMUNITY_CODES)
            | (estimate["level"] == TOTAL)
        )
        estimate = estimate[keep].copy()
        estimate.insert(1, "basis", denominators.KEY_BASIS[key])
        frames.append(estimate)
    return pd.concat(frames, ignore_index=True)


def _staff_by_province(inputs: Inputs, method: Method) -> pd.DataFrame:
    return denominators.staff_by_province(
        inputs.totals,
        inputs.proxies,
        inputs.official,
        year=inputs.year,
        denominator=method.denominator,
        key=method.proxy,
    )


def staff_table(inputs: Inputs, method: Method) -> pd.DataFrame:
    """Return the staff per area that ``method`` divides by, with its provenance:
    year, nis_code, province, staff, unit, denominator, denominator_kind,
    national_staff, proxy, share, source, reference."""
    staff = _staff_by_province(inputs, method)
    staff.insert(0, "year", inputs.year)
    staff.insert(2, "province", staff["nis_code"].map(lambda c: BY_CODE[c].name))
    staff["reference"] = staff["proxy"].map(
        {"pupils": school_year(inputs.year), "population": f"{inputs.year}-01-01"}
    )
    return staff.reset_index(drop=True)
