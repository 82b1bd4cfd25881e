"""Consistency checks between the tables of the minister's answer.

The answer contradicts itself in known ways: its two 2021 totals differ by 29 cards, and
its three channels add up to less than its total in both years. Such discrepancies are
facts about the source, so the checks return them as findings for the report instead of
stopping the run. Data that is incomplete (a year without a channel or a province) is an
error, because no figure computed from it would be right.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from pathlib import Path

import pandas as pd

from helpers.channels import CHANNEL_IDS, PICKUP_POINTS
from helpers.errors import RawDataError
from helpers.provinces import BY_CODE

OK = "ok"
DISCREPANCY = "discrepancy"

PROVINCES_VS_PICKUP_TOTAL = "provinces_vs_pickup_total"
CHANNELS_VS_TOTAL = "channels_vs_total"
TEXT_VS_TABLE_TOTAL = "text_vs_table_total"


@dataclass(frozen=True)
class Finding:
    """The outcome of one check for one year: expected and observed counts."""

    check: str
    year: int
    expected: int
    observed: int

    @property
    def difference(self) -> int:
        return self.expected - self.observed

    @property
    def status(self) -> str:
        return OK if self.difference == 0 else DISCREPANCY


def require_complete(
    cards_per_year: pd.DataFrame,
    cards_by_channel: pd.DataFrame,
    pickup_by_province: pd.DataFrame,
    raw_dir: str | Path = "data/raw",
) -> None:
    """Raise RawDataError if a year lacks a statement, a channel or a province."""
    raw_dir = Path(raw_dir)
    for year in sorted(set(cards_per_year["year"])):
        statements = set(
            cards_per_year.loc[cards_per_year["year"] == year, "statement"]
        )
        for statement in ("text", "table_total_entitled"):
            if statement not in statements:
                raise RawDataError(
                    raw_dir / "cards_per_year.csv",
                    f"missing row for year {year}, statement {statement!r}",
                    action="add the row from the answer",
                )
        channels = set(
            cards_by_channel.loc[cards_by_channel["year"] == year, "channel"]
        )
        for channel in CHANNEL_IDS:
            if channel not in channels:
                raise RawDataError(
                    raw_dir / "cards_by_channel.csv",
                    f"missing row for year {year}, channel {channel!r}",
                    action="add the row from the answer's channel table",
                )
        codes = set(
            pickup_by_province.loc[pickup_by_province["year"] == year, "nis_code"]
        )
        missing = sorted(set(BY_CODE) - codes)
        if missing:
            raise RawDataError(
                raw_dir / "pickup_cards_by_province.csv",
                f"missing province {BY_CODE[missing[0]].name} for year {year}",
                action="add a row for every province and Brussels",
            )


def _cards(frame: pd.DataFrame, year: int, **where: str) -> int:
    rows = frame[frame["year"] == year]
    for column, value in where.items():
        rows = rows[rows[column] == value]
    return int(rows["cards"].sum())


def run_checks(
    cards_per_year: pd.DataFrame,
    cards_by_channel: pd.DataFrame,
    pickup_by_province: pd.DataFrame,
) -> pd.DataFrame:
    """Run every consistency check for every year and return one row per finding.

    Columns: check, year, expected, observed, difference (expected - observed), status.
    - provinces_vs_pickup_total: the pickup-point channel total against the sum of the
      provinces.
    - channels_vs_total: the table's total entitled against the sum of the three
      channels.
    - text_vs_table_total: the total in the text against the table's total entitled.
    """
    findings: list[Finding] = []
    for year in sorted(set(cards_per_year["year"])):
        year = int(year)
        table_total = _cards(cards_per_year, year, statement="table_total_entitled")
        text_total = _cards(cards_per_year, year, statement="text")
        pickup_total = _cards(cards_by_channel, year, channel=PICKUP_POINTS)
        findings += [
            Finding(
                PROVINCES_VS_PICKUP_TOTAL,
                year,
                pickup_total,
                _cards(pickup_by_province, year),
            ),
            Finding(
                CHANNELS_VS_TOTAL, year, table_total, _cards(cards_by_channel, year)
            ),
            Finding(TEXT_VS_TABLE_TOTAL, year, text_total, table_total),
        ]
    rows = [
        {**asdict(f), "difference": f.difference, "status": f.status} for f in findings
    ]
    return pd.DataFrame(
        rows, columns=["check", "year", "expected", "observed", "difference", "status"]
    )
