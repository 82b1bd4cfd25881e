"""One-at-a-time sensitivity of the central estimates to each assumption.

Each assumption of a Method (helpers.estimate) is varied over its alternatives while
every other stays at its base value. For every area the result is the range of
central estimates it spans: the spread in cards per 100 staff shows how far that
assumption alone could move the estimate. Interactions between assumptions are not
explored.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace

import pandas as pd

from helpers import assumptions as assumed
from helpers import denominators, estimate
from helpers.uptake import NotEstimableError

# The order in which the report lists the assumptions.
ASSUMPTIONS = (
    "denominator",
    "proxy",
    "channel_key",
    "remainder",
    "held_share",
    "pickup_rate",
)
IMPLIED = "implied"

# The assumptions that can move each measure. The held share and pickup rate enter
# only the held measure, and the held measure counts no card in no channel.
RELEVANT = {
    estimate.DISTRIBUTED: ("denominator", "proxy", "channel_key", "remainder"),
    estimate.HELD: ("denominator", "proxy", "channel_key", "held_share", "pickup_rate"),
}


def label(value: object) -> str:
    """Return the text that names an alternative: a name, a share to 4 decimals, or
    "implied" for a pickup rate derived from the held share."""
    if value is None:
        return IMPLIED
    if isinstance(value, float):
        return f"{value:.4f}"
    return str(value)


def alternatives_for(
    inputs: estimate.Inputs, base: estimate.Method, assumptions: pd.DataFrame
) -> dict[str, tuple]:
    """List the alternatives of every assumption for ``inputs``' year.

    Denominators are the national totals in the unit of the base (persons are
    not compared with FTE or jobs), plus the official counts when they exist for
    the year in that unit. Channel keys leave out "none", which the lower bound
    shows, and the key that the base already uses. Held shares are the low,
    stated and high readings of "about two thirds"; pickup rates are the implied
    one and the 2016 extremes.
    """
    if base.denominator == denominators.OFFICIAL_BY_PROVINCE:
        rows = inputs.official[inputs.official["year"] == inputs.year]
        unit = rows["unit"].iloc[0] if not rows.empty else None
    else:
        unit = inputs.totals.set_index("denominator").loc[base.denominator, "unit"]
    same_unit = inputs.totals[inputs.totals["unit"] == unit]["denominator"]
    names = list(same_unit)
    official = inputs.official[inputs.official["year"] == inputs.year]
    if not official.empty and official["unit"].iloc[0] == unit:
        names.append(denominators.OFFICIAL_BY_PROVINCE)
    low, stated, high = assumed.held_share_range(assumptions)
    rate_min, rate_max = assumed.pickup_rate_2016(assumptions)
    return {
        "denominator": tuple(names),
        "proxy": denominators.KEYS,
        # "none" keeps the cards with no area apart, which the lower bound shows.
        "channel_key": tuple(
            key
            for key in estimate.CHANNEL_KEYS
            if key not in (estimate.SAME_AS_PROXY, estimate.NO_KEY)
            and key != base.resolved_channel_key
        ),
        "remainder": estimate.REMAINDER_MODES,
        "held_share": (low, stated, high),
        "pickup_rate": (None, rate_min, rate_max),
    }


def vary_one_at_a_time(
    base: estimate.Method,
    alternatives: Mapping[str, Sequence],
    run: Callable[[estimate.Method], pd.DataFrame],
) -> pd.DataFrame:
    """Run ``run`` for the base and for each alternative of each assumption.

    ``run`` returns estimate rows (helpers.estimate.COLUMNS). Returns assumption,
    alternative, is_base, measure, nis_code, area, central: one row per run and
    area, for the measures that the assumption can move (RELEVANT). An
    alternative that raises NotEstimableError gives NaN for every area, so one
    impossible alternative does not stop the analysis.
    """
    base_rows = run(base)
    keys = base_rows[["measure", "nis_code", "area"]]
    frames = []
    for name, values in alternatives.items():
        ordered = {}
        for value in (getattr(base, name), *values):
            ordered.setdefault(label(value), value)
        for position, value in enumerate(ordered.values()):
            try:
                rows = run(replace(base, **{name: value}))
                central = keys.merge(
                    rows[["measure", "nis_code", "central"]],
                    on=["measure", "nis_code"],
                    how="left",
                )["central"]
            except NotEstimableError:
                central = pd.Series(float("nan"), index=keys.index)
            frame = keys.copy()
            frame.insert(0, "assumption", name)
            frame.insert(1, "alternative", label(value))
            frame.insert(2, "is_base", position == 0)
            frame["central"] = central.to_numpy()
            moved = [measure for measure, names in RELEVANT.items() if name in names]
            frames.append(frame[frame["measure"].isin(moved)])
    return pd.concat(frames, ignore_index=True)


def summarise(runs: pd.DataFrame) -> pd.DataFrame:
    """Return per measure, assumption and area the range of central estimates.

    Columns: measure, assumption, nis_code, area, base_alternative, base, minimum,
    maximum, spread (maximum - minimum, in cards per 100 staff), at_minimum,
    at_maximum, estimable (alternatives with an estimate), alternatives (all) and
    tried (their names, base first). Spread is NaN where no alternative has an
    estimate.
    """
    rows = []
    grouped = runs.groupby(["measure", "assumption", "nis_code"], sort=False)
    for (measure, name, code), group in grouped:
        base = group[group["is_base"]].iloc[0]
        known = group.dropna(subset=["central"])
        row = {
            "measure": measure,
            "assumption": name,
            "nis_code": code,
            "area": base["area"],
            "base_alternative": base["alternative"],
            "base": base["central"],
            "minimum": float("nan"),
            "maximum": float("nan"),
            "spread": float("nan"),
            "at_minimum": "",
            "at_maximum": "",
            "estimable": len(known),
            "alternatives": len(group),
            "tried": "; ".join(group["alternative"]),
        }
        if not known.empty:
            low = known.loc[known["central"].idxmin()]
            high = known.loc[known["central"].idxmax()]
            row.update(
                minimum=low["central"],
                maximum=high["central"],
                spread=high["central"] - low["central"],
                at_minimum=low["alternative"],
                at_maximum=high["alternative"],
            )
        rows.append(row)
    return pd.DataFrame(rows)


def most_influential(summary: pd.DataFrame, measure: str) -> pd.DataFrame:
    """Return per area the assumption with the largest spread for ``measure``.

    Columns: nis_code, area, assumption, spread. Areas where no assumption has a
    spread are left out. Ties go to the assumption listed first in ASSUMPTIONS.
    """
    rows = summary[(summary["measure"] == measure) & summary["spread"].notna()]
    order = {name: index for index, name in enumerate(ASSUMPTIONS)}
    rows = rows.assign(order=rows["assumption"].map(order))
    rows = rows.sort_values(["spread", "order"], ascending=[False, True])
    first = rows.drop_duplicates("nis_code", keep="first")
    return first[["nis_code", "area", "assumption", "spread"]].reset_index(drop=True)
