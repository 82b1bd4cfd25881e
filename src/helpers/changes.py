"""Key figures of a report and how they changed since the previous report version.

A report version is rebuilt when its raw data, code or parameters change. The report
then lists which key figures moved, so a reader of the new version sees what is
different from the version it replaces. Both versions are read from their processed
tables, so the comparison needs no kernel and no report layout.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path

import pandas as pd

from helpers import processed, summary
from helpers.uptake import MODELLED

# The processed tables that key_figures reads.
KEY_TABLES = (
    "cards_per_year",
    "channels",
    "website_visits",
    "pickup_by_province",
    "held_estimate",
    "uptake_estimate",
)
# The per-province uptake table of versions built before the estimates had bounds.
# Its cards_per_100_staff is the lower bound of uptake_estimate.
LEGACY_UPTAKE = "uptake_by_province"
COUNT, SHARE, RATE = "count", "share", "rate"
UNASSIGNED_CARDS = "unassigned_cards"
PICKUP_RATE = "pickup_rate"
PICKUP_BY_PROVINCE = "pickup_cards_by_province"
# Pickup-point cards per 100 modelled staff: the lower bound.
UPTAKE_BY_PROVINCE = "cards_per_100_staff_by_province"
UPTAKE_CENTRAL = "central_cards_per_100_staff_by_province"
UNCHANGED, CHANGED, ADDED, REMOVED = "unchanged", "changed", "added", "removed"
# Processed tables store numbers with 6 decimals, so smaller differences are rounding.
TOLERANCE = 1e-6

COLUMNS = ["figure", "province", "kind", "modelled", "value"]


def read_key_tables(folder: str | Path) -> dict[str, pd.DataFrame]:
    """Read the tables that key_figures needs from a folder of processed tables.

    A folder of a version built before uptake_estimate existed has
    uptake_by_province instead, which is read in its place. Raises
    FileNotFoundError naming the first table that the folder lacks.
    """
    folder = Path(folder)
    legacy = folder / f"{LEGACY_UPTAKE}.csv"
    tables = {}
    for name in KEY_TABLES:
        missing = not (folder / f"{name}.csv").exists()
        if name == "uptake_estimate" and missing and legacy.exists():
            tables[LEGACY_UPTAKE] = pd.read_csv(
                legacy, dtype={"province": "string", "status": "string"}
            )
            continue
        # An older version may have written the table with fewer columns.
        tables[name] = processed.read_table(folder, name, partial=True)
    return tables


def key_figures(tables: Mapping[str, pd.DataFrame], year: int) -> pd.DataFrame:
    """Return the key figures of a report year, one row per figure.

    Columns: figure (an identifier), province (<NA> for national figures), kind
    (count, share or rate per 100 staff), modelled (True for estimates) and value.
    The national figures are those of summary.headline_figures, the cards that no
    channel accounts for, and the modelled pickup rate. The per-province figures are
    pickup-point cards and modelled cards per 100 staff (the lower bound, and the
    central estimate for tables from uptake_estimate).
    """
    rows = []
    headline = summary.headline_figures(
        tables["cards_per_year"], tables["channels"], tables["website_visits"], year
    )
    for measure, value in zip(headline["measure"], headline["current"], strict=True):
        rows.append((measure, pd.NA, COUNT, False, value))

    entitled = headline.set_index("measure").loc["total_entitled", "current"]
    if not pd.isna(entitled):
        split = summary.channel_split(tables["channels"], int(entitled), year)
        unassigned = split.set_index("channel").loc[summary.UNASSIGNED, "cards"]
        rows.append((UNASSIGNED_CARDS, pd.NA, COUNT, False, unassigned))

    if "uptake_estimate" in tables:
        # held_estimate lists a row per assumed value; the estimates use one rate.
        estimate = tables["uptake_estimate"]
        held = estimate[(estimate["year"] == year) & (estimate["measure"] == "held")]
        rows.append((PICKUP_RATE, pd.NA, SHARE, True, held["pickup_rate"].iloc[0]))
    else:
        held = tables["held_estimate"].query("year == @year")
        for value in held["pickup_rate"]:
            rows.append((PICKUP_RATE, pd.NA, SHARE, True, value))

    pickup = tables["pickup_by_province"].query("year == @year")
    for province, cards in zip(pickup["province"], pickup["cards"], strict=True):
        rows.append((PICKUP_BY_PROVINCE, province, COUNT, False, cards))

    rows += _uptake_figures(tables, year)

    frame = pd.DataFrame(rows, columns=COLUMNS)
    frame["province"] = frame["province"].astype("string")
    frame["value"] = pd.to_numeric(frame["value"], errors="coerce").astype("float64")
    return frame


def _uptake_figures(tables: Mapping[str, pd.DataFrame], year: int) -> list[tuple]:
    """Return the modelled cards per 100 staff per province as key-figure rows:
    the lower bound, and the central estimate where the tables have one."""
    if "uptake_estimate" not in tables:
        uptake = tables[LEGACY_UPTAKE]
        uptake = uptake[(uptake["year"] == year) & (uptake["status"] == MODELLED)]
        return [
            (UPTAKE_BY_PROVINCE, province, RATE, True, rate)
            for province, rate in zip(
                uptake["province"], uptake["cards_per_100_staff"], strict=True
            )
        ]
    estimate = tables["uptake_estimate"]
    estimate = estimate[
        (estimate["year"] == year)
        & (estimate["measure"] == "distributed")
        & (estimate["level"] == "province")
        & (estimate["status"] == MODELLED)
    ]
    rows = []
    for figure, column in ((UPTAKE_BY_PROVINCE, "lower"), (UPTAKE_CENTRAL, "central")):
        for province, rate in zip(estimate["area"], estimate[column], strict=True):
            rows.append((figure, province, RATE, True, rate))
    return rows


def _differs(previous: float, current: float) -> bool:
    return abs(current - previous) > TOLERANCE * max(1.0, abs(previous))


def compare_key_figures(current: pd.DataFrame, previous: pd.DataFrame) -> pd.DataFrame:
    """Return each key figure with its previous and current value and the difference.

    Both frames come from key_figures. Columns: figure, province, kind, modelled,
    previous, current, difference (current minus previous) and status: unchanged,
    changed, added (only in the current version) or removed (only in the previous
    one). A figure that is missing in one version, such as visits in a year the source
    gives no number for, counts as unchanged when it is missing in both. Rows follow
    the current version's order, with removed figures last.
    """
    keys = ["figure", "province"]
    merged = current.merge(
        previous,
        on=keys,
        how="outer",
        suffixes=("", "_previous"),
        indicator=True,
        sort=False,
    )
    only_previous = merged["_merge"] == "right_only"
    for column in ("kind", "modelled"):
        merged[column] = [
            old if removed else new
            for removed, new, old in zip(
                only_previous, merged[column], merged[f"{column}_previous"], strict=True
            )
        ]
    merged = merged.rename(columns={"value": "current", "value_previous": "previous"})
    merged["difference"] = merged["current"] - merged["previous"]

    statuses = []
    for origin, old, new in zip(
        merged["_merge"], merged["previous"], merged["current"], strict=True
    ):
        if origin == "left_only":
            statuses.append(ADDED)
        elif origin == "right_only":
            statuses.append(REMOVED)
        elif math.isnan(old) and math.isnan(new):
            statuses.append(UNCHANGED)
        elif math.isnan(old) or math.isnan(new) or _differs(old, new):
            statuses.append(CHANGED)
        else:
            statuses.append(UNCHANGED)
    merged["status"] = statuses
    merged["modelled"] = merged["modelled"].astype(bool)

    current_keys = zip(current["figure"], current["province"], strict=True)
    order = {key: index for index, key in enumerate(current_keys)}
    merged["_order"] = [
        order.get(key, len(order))
        for key in zip(merged["figure"], merged["province"], strict=True)
    ]
    merged = merged.sort_values("_order", kind="stable", ignore_index=True)
    columns = keys + ["kind", "modelled", "previous", "current", "difference"]
    return merged[columns + ["status"]]
