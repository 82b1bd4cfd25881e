"""Key figures of a report version and their comparison with the previous version."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from helpers import changes
from helpers.formatting import format_signed_decimal


def tables(pickup_antwerpen: int = 50232, visits_2022: float = 800000) -> dict:
    """Return minimal processed tables for card year 2022, with 2021 beside it."""
    cards_per_year = pd.DataFrame(
        {
            "year": [2021, 2021, 2022, 2022],
            "statement": ["text", "table_total_entitled"] * 2,
            "cards": [220679, 220650, 227916, 227916],
        }
    )
    channels = pd.DataFrame(
        {
            "year": [2022, 2022, 2022],
            "channel": ["subscription", "starters", "pickup_points"],
            "channel_nl": ["a", "b", "c"],
            "cards": [26936, 17984, 177260],
        }
    )
    visits = pd.DataFrame(
        {
            "period": ["2021", "2022"],
            "year": pd.array([2021, 2022], dtype="Int64"),
            "visits": [700000, visits_2022],
            "status": ["exact", "exact"],
        }
    )
    pickup = pd.DataFrame(
        {
            "year": [2022, 2022],
            "province": ["Antwerpen", "Luik"],
            "cards": [pickup_antwerpen, 153],
        }
    )
    uptake = pd.DataFrame(
        {
            "year": [2022, 2022],
            "province": ["Antwerpen", "Luik"],
            "cards_per_100_staff": [78.456791, math.nan],
            "status": ["modelled", "not estimable"],
        }
    )
    held = pd.DataFrame({"year": [2022], "pickup_rate": [0.603768]})
    return {
        "cards_per_year": cards_per_year,
        "channels": channels,
        "website_visits": visits,
        "pickup_by_province": pickup,
        "uptake_by_province": uptake,
        "held_estimate": held,
    }


def row(frame: pd.DataFrame, figure: str, province=None) -> pd.Series:
    match = frame["figure"] == figure
    if province is None:
        match &= frame["province"].isna()
    else:
        match &= frame["province"] == province
    assert match.sum() == 1, f"{figure}/{province}: {match.sum()} rows"
    return frame[match].iloc[0]


def test_key_figures_national_values():
    figures = changes.key_figures(tables(), 2022)
    assert row(figures, "cards_distributed")["value"] == 227916
    assert row(figures, "pickup_point_cards")["value"] == 177260
    assert row(figures, "website_visits")["value"] == 800000
    assert row(figures, changes.UNASSIGNED_CARDS)["value"] == 5736


def test_key_figures_mark_modelled():
    figures = changes.key_figures(tables(), 2022)
    rate = row(figures, changes.PICKUP_RATE)
    assert rate["modelled"]
    assert rate["kind"] == changes.SHARE
    assert not row(figures, "total_entitled")["modelled"]


def test_key_figures_per_province():
    figures = changes.key_figures(tables(), 2022)
    assert row(figures, changes.PICKUP_BY_PROVINCE, "Luik")["value"] == 153
    uptake = figures[figures["figure"] == changes.UPTAKE_BY_PROVINCE]
    assert list(uptake["province"]) == ["Antwerpen"]
    assert uptake["kind"].iloc[0] == changes.RATE


def test_key_figures_missing_visits_is_nan():
    figures = changes.key_figures(tables(visits_2022=math.nan), 2022)
    assert math.isnan(row(figures, "website_visits")["value"])


def test_compare_identical_is_unchanged():
    figures = changes.key_figures(tables(), 2022)
    comparison = changes.compare_key_figures(figures, figures)
    assert set(comparison["status"]) == {changes.UNCHANGED}
    assert (comparison["difference"] == 0).all()
    assert len(comparison) == len(figures)


def test_compare_changed_count():
    previous = changes.key_figures(tables(), 2022)
    current = changes.key_figures(tables(pickup_antwerpen=50242), 2022)
    comparison = changes.compare_key_figures(current, previous)
    changed = comparison[comparison["status"] == changes.CHANGED]
    assert list(changed["province"]) == ["Antwerpen"]
    antwerpen = row(comparison, changes.PICKUP_BY_PROVINCE, "Antwerpen")
    assert antwerpen["previous"] == 50232
    assert antwerpen["current"] == 50242
    assert antwerpen["difference"] == 10


def test_compare_keeps_current_order():
    figures = changes.key_figures(tables(), 2022)
    comparison = changes.compare_key_figures(figures, figures.iloc[::-1])
    assert list(comparison["figure"]) == list(figures["figure"])


def test_compare_rounding_is_unchanged():
    previous = changes.key_figures(tables(), 2022)
    current = previous.copy()
    rate = current["figure"] == changes.PICKUP_RATE
    current.loc[rate, "value"] += 1e-9
    comparison = changes.compare_key_figures(current, previous)
    assert row(comparison, changes.PICKUP_RATE)["status"] == changes.UNCHANGED


def test_compare_figure_becomes_missing():
    previous = changes.key_figures(tables(), 2022)
    current = changes.key_figures(tables(visits_2022=math.nan), 2022)
    visits = row(changes.compare_key_figures(current, previous), "website_visits")
    assert visits["status"] == changes.CHANGED
    assert math.isnan(visits["difference"])


def test_compare_missing_in_both_unchanged():
    figures = changes.key_figures(tables(visits_2022=math.nan), 2022)
    visits = row(changes.compare_key_figures(figures, figures), "website_visits")
    assert visits["status"] == changes.UNCHANGED


def test_compare_added_and_removed():
    previous = changes.key_figures(tables(), 2022)
    current = previous[previous["figure"] != changes.PICKUP_RATE]
    current = current.reset_index(drop=True)
    current.loc[len(current)] = ["new_figure", "Limburg", changes.COUNT, False, 5.0]
    comparison = changes.compare_key_figures(current, previous)
    removed = row(comparison, changes.PICKUP_RATE)
    assert removed["status"] == changes.REMOVED
    assert removed["kind"] == changes.SHARE
    assert removed["modelled"]
    assert row(comparison, "new_figure", "Limburg")["status"] == changes.ADDED
    assert comparison["figure"].iloc[-1] == changes.PICKUP_RATE


def test_read_key_tables_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError):
        changes.read_key_tables(tmp_path)


@pytest.mark.parametrize(
    ("value", "expected"),
    [(2.04, "+2,0"), (-0.5, "\u22120,5"), (0.04, "±0,0"), (1234.56, "+1.234,6")],
)
def test_format_signed_decimal(value, expected):
    assert format_signed_decimal(value) == expected


def estimate_tables() -> dict:
    """Return tables() with uptake_estimate in place of the older uptake table."""
    current = tables()
    del current["uptake_by_province"]
    current["uptake_estimate"] = pd.DataFrame(
        {
            "year": [2022] * 4,
            "measure": ["distributed", "distributed", "held", "held"],
            "level": ["province"] * 4,
            "area": ["Antwerpen", "Luik"] * 2,
            "status": ["modelled", "not estimable"] * 2,
            "lower": [78.456791, math.nan, 47.4, math.nan],
            "central": [100.682524, math.nan, 67.1, math.nan],
            "pickup_rate": [math.nan, math.nan, 0.603768, 0.603768],
        }
    )
    return current


def test_key_figures_from_estimate():
    figures = changes.key_figures(estimate_tables(), 2022)
    lower = figures[figures["figure"] == changes.UPTAKE_BY_PROVINCE]
    central = figures[figures["figure"] == changes.UPTAKE_CENTRAL]
    assert list(lower["province"]) == ["Antwerpen"]
    assert lower["value"].iloc[0] == pytest.approx(78.456791)
    assert central["value"].iloc[0] == pytest.approx(100.682524)
    assert row(figures, changes.PICKUP_RATE)["value"] == pytest.approx(0.603768)


def test_compare_with_older_version():
    previous = changes.key_figures(tables(), 2022)
    current = changes.key_figures(estimate_tables(), 2022)
    comparison = changes.compare_key_figures(current, previous)
    lower = row(comparison, changes.UPTAKE_BY_PROVINCE, "Antwerpen")
    assert lower["status"] == changes.UNCHANGED
    central = row(comparison, changes.UPTAKE_CENTRAL, "Antwerpen")
    assert central["status"] == changes.ADDED


def test_read_key_tables_older_version(tmp_path):
    for name, frame in tables().items():
        frame.to_csv(tmp_path / f"{name}.csv", index=False)
    read = changes.read_key_tables(tmp_path)
    assert changes.LEGACY_UPTAKE in read
    assert "uptake_estimate" not in read
    figures = changes.key_figures(read, 2022)
    uptake = row(figures, changes.UPTAKE_BY_PROVINCE, "Antwerpen")
    assert uptake["value"] == pytest.approx(78.456791)
