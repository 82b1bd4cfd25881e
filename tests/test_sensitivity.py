"""Tests for helpers.sensitivity: one assumption at a time, on toy and real runs."""

from __future__ import annotations

from dataclasses import replace

import pandas as pd
import pytest
from estimation_data import raw_tables, shipped_inputs

from helpers import estimate, sensitivity
from helpers.uptake import NotEstimableError

BASE = estimate.Method(
    denominator="table_total_entitled",
    proxy="pupils",
    channel_key="proxy",
    remainder="allocate",
    held_share=2 / 3,
)


def toy_run(method: estimate.Method) -> pd.DataFrame:
    """Return one distributed row whose central value depends on proxy and remainder."""
    if method.denominator == "impossible":
        raise NotEstimableError("no such total")
    central = {"pupils": 100.0, "population": 110.0}[method.proxy]
    central -= 2.0 if method.remainder == "apart" else 0.0
    return pd.DataFrame(
        {
            "measure": [estimate.DISTRIBUTED],
            "nis_code": ["10000"],
            "area": ["Antwerpen"],
            "central": [central],
        }
    )


def test_label_names_values():
    assert sensitivity.label(None) == "implied"
    assert sensitivity.label(2 / 3) == "0.6667"
    assert sensitivity.label("pupils") == "pupils"


def test_vary_keeps_others_at_base():
    runs = sensitivity.vary_one_at_a_time(
        BASE,
        {"proxy": ("pupils", "population"), "remainder": ("apart",)},
        toy_run,
    )

    proxy = runs[runs["assumption"] == "proxy"].set_index("alternative")
    assert proxy.loc["pupils", "central"] == 100
    assert proxy.loc["population", "central"] == 110
    assert proxy.loc["pupils", "is_base"]
    remainder = runs[runs["assumption"] == "remainder"].set_index("alternative")
    assert remainder.loc["apart", "central"] == 98
    assert remainder.loc["allocate", "is_base"]


def test_not_estimable_alternative_gives_nan():
    runs = sensitivity.vary_one_at_a_time(
        BASE, {"denominator": ("impossible",)}, toy_run
    )
    summary = sensitivity.summarise(runs).iloc[0]

    assert pd.isna(runs.set_index("alternative").loc["impossible", "central"])
    assert summary["estimable"] == 1
    assert summary["alternatives"] == 2
    assert summary["spread"] == 0


def test_summarise_and_rank():
    runs = sensitivity.vary_one_at_a_time(
        BASE,
        {"proxy": ("population",), "remainder": ("apart",)},
        toy_run,
    )
    summary = sensitivity.summarise(runs).set_index("assumption")

    assert summary.loc["proxy", "spread"] == 10
    assert summary.loc["proxy", "at_maximum"] == "population"
    assert summary.loc["remainder", "spread"] == 2
    assert summary.loc["remainder", "tried"] == "allocate; apart"
    most = sensitivity.most_influential(summary.reset_index(), estimate.DISTRIBUTED)
    assert most["assumption"].tolist() == ["proxy"]


def test_alternatives_for_shipped_2022():
    inputs = shipped_inputs(2022)
    alternatives = sensitivity.alternatives_for(
        inputs, BASE, raw_tables()["assumptions"]
    )

    assert alternatives["denominator"] == (
        "table_total_entitled",
        "text",
        "rsz_employees",
    )
    assert "pupils" not in alternatives["channel_key"]
    assert "none" not in alternatives["channel_key"]
    assert alternatives["held_share"] == (0.6, 2 / 3, 0.7)
    assert alternatives["pickup_rate"] == (None, 0.34, 0.47)


def test_fte_base_compares_fte_only():
    inputs = shipped_inputs(2022)
    method = replace(BASE, denominator="budget_fte")
    alternatives = sensitivity.alternatives_for(
        inputs, method, raw_tables()["assumptions"]
    )

    assert alternatives["denominator"] == ("budget_fte", "rsz_fte")


def test_real_runs_move_only_relevant_measures():
    inputs = shipped_inputs(2022)
    alternatives = sensitivity.alternatives_for(
        inputs, BASE, raw_tables()["assumptions"]
    )
    runs = sensitivity.vary_one_at_a_time(
        BASE, alternatives, lambda m: estimate.estimate_uptake(inputs, m)
    )
    summary = sensitivity.summarise(runs)
    distributed = summary[summary["measure"] == estimate.DISTRIBUTED]
    held = summary[summary["measure"] == estimate.HELD]

    assert set(distributed["assumption"]) == set(
        sensitivity.RELEVANT[estimate.DISTRIBUTED]
    )
    assert set(held["assumption"]) == set(sensitivity.RELEVANT[estimate.HELD])
    estimated = summary.dropna(subset=["spread"])
    assert (estimated["minimum"] <= estimated["base"] + 1e-9).all()
    assert (estimated["base"] <= estimated["maximum"] + 1e-9).all()
    brussels = distributed.set_index(["assumption", "nis_code"]).loc[
        ("denominator", "04000")
    ]
    # RSZ counts leave Brussels out, so one of three totals has no Brussels estimate.
    assert brussels["estimable"] == 2
    assert brussels["alternatives"] == 3


def test_pickup_rate_alternatives_change_held():
    inputs = shipped_inputs(2022)
    low = estimate.estimate_uptake(inputs, replace(BASE, pickup_rate=0.34))
    base = estimate.estimate_uptake(inputs, BASE)
    pick = (low["measure"] == estimate.HELD) & (low["nis_code"] == "10000")

    assert low.loc[pick, "central"].iloc[0] < base.loc[pick, "central"].iloc[0]
    assert pd.isna(low.loc[pick, "held_share"].iloc[0])
    assert low.loc[pick, "pickup_rate"].iloc[0] == pytest.approx(0.34)
