"""Headline figures of a report year and their change on the previous year."""

from __future__ import annotations

import pandas as pd

from helpers.channels import CHANNEL_IDS, PICKUP_POINTS

UNASSIGNED = "unassigned"


def headline_figures(
    cards_per_year: pd.DataFrame,
    channels: pd.DataFrame,
    visits: pd.DataFrame,
    year: int,
) -> pd.DataFrame:
    """Return measure, current, previous and change for the report's headline.

    Measures: cards distributed (text total), total entitled (table), pickup-point
    cards, website visits. ``previous`` and ``change`` are <NA> where the previous year
    has no figure (as for visits in 2020, which the source leaves without a number).
    """

    def value(frame: pd.DataFrame, column: str, match: str | None, at_year: int):
        rows = frame[frame["year"] == at_year]
        if match is not None:
            rows = rows[rows[column] == match]
        numbers = rows["cards" if "cards" in rows else "visits"].dropna()
        return int(numbers.iloc[0]) if len(numbers) else pd.NA

    measures = [
        ("cards_distributed", cards_per_year, "statement", "text"),
        ("total_entitled", cards_per_year, "statement", "table_total_entitled"),
        ("pickup_point_cards", channels, "channel", PICKUP_POINTS),
        ("website_visits", visits, "status", None),
    ]
    rows = []
    for measure, frame, column, match in measures:
        current = value(frame, column, match, year)
        previous = value(frame, column, match, year - 1)
        change = pd.NA if pd.isna(current) or pd.isna(previous) else current - previous
        rows.append(
            {
                "measure": measure,
                "current": current,
                "previous": previous,
                "change": change,
            }
        )
    result = pd.DataFrame(rows)
    for column in ("current", "previous", "change"):
        result[column] = result[column].astype("Int64")
    return result


def channel_split(
    channels: pd.DataFrame, total_entitled: int, year: int
) -> pd.DataFrame:
    """Return the cards per channel for ``year`` with each channel's share of the total.

    Adds a row ``unassigned`` for the cards in the total that no channel accounts for
    (the answer gives no reason for them). It is negative if the channels exceed the
    total.
    """
    rows = channels[channels["year"] == year].set_index("channel")
    frame = pd.DataFrame(
        {
            "channel": list(CHANNEL_IDS) + [UNASSIGNED],
            "cards": [int(rows.loc[c, "cards"]) for c in CHANNEL_IDS]
            + [total_entitled - int(rows.loc[list(CHANNEL_IDS), "cards"].sum())],
        }
    )
    frame["share"] = frame["cards"] / total_entitled
    return frame


def change_by_province(pickup: pd.DataFrame, year: int) -> pd.DataFrame:
    """Return pickup-point cards per province for ``year`` with the previous year's
    count and the change (<NA> where the previous year is not in the data)."""
    current = pickup[pickup["year"] == year][
        ["nis_code", "province", "region", "cards"]
    ]
    previous = pickup[pickup["year"] == year - 1][["nis_code", "cards"]].rename(
        columns={"cards": "previous"}
    )
    frame = current.merge(previous, on="nis_code", how="left")
    frame["previous"] = frame["previous"].astype("Int64")
    frame["change"] = frame["cards"] - frame["previous"]
    frame["share"] = frame["cards"] / frame["cards"].sum()
    return frame.sort_values("cards", ascending=False, ignore_index=True)
