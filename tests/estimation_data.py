"""The shipped raw data as estimation inputs, without running the notebooks.

Builds the same frames that ``01_clean`` writes to ``data/processed/`` (pickup
cards with their region, the two proxies of one card year), so the estimation tests
run on the real figures in milliseconds.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pandas as pd

from helpers import estimate, raw, uptake
from helpers.provinces import BY_CODE

RAW_DIR = Path(__file__).resolve().parents[1] / "data" / "raw"


@cache
def raw_tables() -> dict[str, pd.DataFrame]:
    """Every shipped raw table, loaded once. Callers must not change them."""
    return raw.load_all(RAW_DIR)


def proxies(year: int) -> pd.DataFrame:
    """Return the pupils and population proxies of ``year`` as 01_clean writes them."""
    tables = raw_tables()
    pupils = uptake.pupils_proxy(tables["pupils"], year).assign(proxy="pupils")
    population = uptake.population_proxy(tables["population"], year).assign(
        proxy="population"
    )
    frame = pd.concat([pupils, population], ignore_index=True)
    return frame.assign(year=year)


def shipped_inputs(year: int, official: pd.DataFrame | None = None) -> estimate.Inputs:
    """Return the estimation inputs of ``year`` from the shipped raw data.

    ``official`` replaces the official staff per province, which the shipped data
    does not have.
    """
    tables = raw_tables()
    pickup = tables["pickup_by_province"].copy()
    pickup["region"] = pickup["nis_code"].map(lambda code: BY_CODE[code].region)
    return estimate.inputs_from_tables(
        year,
        cards_per_year=tables["cards_per_year"],
        channels=tables["cards_by_channel"],
        pickup=pickup,
        staff_national=tables["staff_national"],
        proxies=proxies(year),
        official=tables["staff_by_province"] if official is None else official,
    )
