"""Tests for helpers.estimate: one hand-computed case per method, on shipped data.

Every expected value is worked out below from the raw numbers as the raw files
print them (data/raw/*.csv), so a reader can follow the arithmetic.
"""

from __future__ import annotations

import itertools
from dataclasses import replace

import pandas as pd
import pytest
from estimation_data import shipped_inputs
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from helpers import bounds, estimate
from helpers.provinces import BY_CODE, FLEMISH_COMMUNITY_CODES, PROVINCES
from helpers.uptake import NotEstimableError

BASE = estimate.Method(
    denominator="table_total_entitled",
    proxy="pupils",
    channel_key="proxy",
    remainder="allocate",
    held_share=2 / 3,
)

# 2021, cards_by_channel.csv and cards_per_year.csv (table total).
ENTITLED_2021 = 220650
SUBSCRIPTION_2021, STARTERS_2021, PICKUP_2021 = 25479, 18872, 175386
REMAINDER_2021 = ENTITLED_2021 - (SUBSCRIPTION_2021 + STARTERS_2021 + PICKUP_2021)
# pickup_cards_by_province.csv, 2021: Luik, Namen, Henegouwen, Luxemburg,
# Waals-Brabant.
WALLOON_2021 = 156 + 41 + 444 + 31 + 374
ANTWERPEN_PICKUP_2021 = 49307
# pupils_by_school_province.csv, 2020-2021: nursery + primary + secondary.
PUPILS_2021 = {
    "Antwerpen": 72284 + 124502 + 127442,
    "Limburg": 30590 + 54161 + 59860,
    "Oost-Vlaanderen": 57642 + 100815 + 105456,
    "West-Vlaanderen": 41352 + 70964 + 77715,
    "Vlaams-Brabant": 42519 + 72734 + 66826,
    "Brussel": 14376 + 19838 + 15615,
}
# population_by_province.csv, 1 January 2021, the five provinces and Brussels.
POPULATION_2021 = {
    "Antwerpen": 1875524,
    "Vlaams-Brabant": 1162084,
    "West-Vlaanderen": 1203312,
    "Oost-Vlaanderen": 1531745,
    "Limburg": 880397,
    "Brussel": 1219970,
}

# 2022, the same files.
ENTITLED_2022 = 227916
SUBSCRIPTION_2022, STARTERS_2022, PICKUP_2022 = 26936, 17984, 177260
REMAINDER_2022 = ENTITLED_2022 - (SUBSCRIPTION_2022 + STARTERS_2022 + PICKUP_2022)
WALLOON_2022 = 153 + 43 + 457 + 28 + 399
PICKUP_BY_AREA_2022 = {
    "Antwerpen": 50232,
    "Limburg": 24814,
    "Oost-Vlaanderen": 41400,
    "West-Vlaanderen": 30630,
    "Vlaams-Brabant": 26496,
    "Brussel": 2608,
}
PUPILS_2022 = {
    "Antwerpen": 72096 + 123354 + 129473,
    "Limburg": 30153 + 53410 + 60539,
    "Oost-Vlaanderen": 57137 + 99975 + 107471,
    "West-Vlaanderen": 41422 + 70186 + 78700,
    "Vlaams-Brabant": 42343 + 72499 + 67279,
    "Brussel": 14389 + 20096 + 16137,
}
# staff_national.csv: RSZ education employees on 1 January 2022.
RSZ_EMPLOYEES_2022 = 210081


def row(frame: pd.DataFrame, area: str, measure: str = estimate.DISTRIBUTED):
    """Return the estimate row of ``area`` for ``measure``."""
    rows = frame[(frame["area"] == area) & (frame["measure"] == measure)]
    assert len(rows) == 1, f"expected one row for {area}, {measure}"
    return rows.iloc[0]


@pytest.fixture(scope="module")
def inputs_2021() -> estimate.Inputs:
    return shipped_inputs(2021)


@pytest.fixture(scope="module")
def inputs_2022() -> estimate.Inputs:
    return shipped_inputs(2022)


def test_antwerpen_2021_pupils_key(inputs_2021):
    share = PUPILS_2021["Antwerpen"] / sum(PUPILS_2021.values())
    staff = ENTITLED_2021 * share
    pool = SUBSCRIPTION_2021 + STARTERS_2021 + REMAINDER_2021
    antwerpen = row(estimate.estimate_uptake(inputs_2021, BASE), "Antwerpen")

    assert REMAINDER_2021 == 913
    assert antwerpen["staff"] == pytest.approx(staff)
    assert antwerpen["lower"] == pytest.approx(100 * ANTWERPEN_PICKUP_2021 / staff)
    assert antwerpen["central"] == pytest.approx(
        100 * (ANTWERPEN_PICKUP_2021 + share * pool) / staff
    )
    assert antwerpen["upper"] == pytest.approx(
        100 * (ANTWERPEN_PICKUP_2021 + pool + WALLOON_2021) / staff
    )
    assert antwerpen["denominator_kind"] == "modelled"


def test_antwerpen_2021_population_key(inputs_2021):
    method = replace(BASE, proxy="population")
    share = POPULATION_2021["Antwerpen"] / sum(POPULATION_2021.values())
    staff = ENTITLED_2021 * share
    pool = SUBSCRIPTION_2021 + STARTERS_2021 + REMAINDER_2021
    antwerpen = row(estimate.estimate_uptake(inputs_2021, method), "Antwerpen")

    assert antwerpen["staff"] == pytest.approx(staff)
    assert antwerpen["central"] == pytest.approx(
        100 * (ANTWERPEN_PICKUP_2021 + share * pool) / staff
    )
    assert antwerpen["proxy"] == "population"
    assert antwerpen["channel_key"] == "population"


def test_antwerpen_2022_pickup_channel_key(inputs_2022):
    method = replace(BASE, channel_key="pickup")
    staff = ENTITLED_2022 * PUPILS_2022["Antwerpen"] / sum(PUPILS_2022.values())
    pickup_share = PICKUP_BY_AREA_2022["Antwerpen"] / sum(PICKUP_BY_AREA_2022.values())
    pool = SUBSCRIPTION_2022 + STARTERS_2022 + REMAINDER_2022
    antwerpen = row(estimate.estimate_uptake(inputs_2022, method), "Antwerpen")

    assert antwerpen["central"] == pytest.approx(
        100 * (PICKUP_BY_AREA_2022["Antwerpen"] + pickup_share * pool) / staff
    )
    assert antwerpen["channel_key"] == "pickup"


def test_remainder_apart_2022(inputs_2022):
    method = replace(BASE, remainder="apart")
    share = PUPILS_2022["Antwerpen"] / sum(PUPILS_2022.values())
    staff = ENTITLED_2022 * share
    mailed = SUBSCRIPTION_2022 + STARTERS_2022
    frame = estimate.estimate_uptake(inputs_2022, method)
    antwerpen = row(frame, "Antwerpen")

    assert REMAINDER_2022 == 5736
    assert antwerpen["central"] == pytest.approx(
        100 * (PICKUP_BY_AREA_2022["Antwerpen"] + share * mailed) / staff
    )
    # The remainder still counts in the upper bound.
    assert antwerpen["upper"] == pytest.approx(
        100
        * (PICKUP_BY_AREA_2022["Antwerpen"] + mailed + REMAINDER_2022 + WALLOON_2022)
        / staff
    )
    total = row(frame, "Vlaanderen en Brussel")
    assert total["cards_central"] == pytest.approx(ENTITLED_2022 - REMAINDER_2022)


def test_no_channel_key_equals_lower(inputs_2022):
    frame = estimate.estimate_uptake(inputs_2022, replace(BASE, channel_key="none"))
    provinces = frame[(frame["level"] == "province") & frame["central"].notna()]

    assert len(provinces) == 12
    assert (provinces["central"] == provinces["lower"]).all()


def test_limburg_2022_rsz_employees(inputs_2022):
    method = replace(BASE, denominator="rsz_employees")
    five = {area: n for area, n in PUPILS_2022.items() if area != "Brussel"}
    staff = RSZ_EMPLOYEES_2022 * five["Limburg"] / sum(five.values())
    # The cards with no area are still shared over the five provinces and Brussels.
    share_of_six = PUPILS_2022["Limburg"] / sum(PUPILS_2022.values())
    pool = SUBSCRIPTION_2022 + STARTERS_2022 + REMAINDER_2022
    frame = estimate.estimate_uptake(inputs_2022, method)
    limburg = row(frame, "Limburg")

    assert limburg["staff"] == pytest.approx(staff)
    assert limburg["central"] == pytest.approx(
        100 * (PICKUP_BY_AREA_2022["Limburg"] + share_of_six * pool) / staff
    )
    assert row(frame, "Brussel")["status"] == "not estimable"
    assert row(frame, "Vlaanderen en Brussel")["status"] == "not estimable"
    assert row(frame, "Vlaanderen (vijf provincies)")["staff"] == pytest.approx(
        RSZ_EMPLOYEES_2022
    )


def test_official_staff_replace_model():
    official = pd.DataFrame(
        {
            "year": [2022, 2022],
            "nis_code": ["10000", "70000"],
            "province": ["Antwerpen", "Limburg"],
            "staff": pd.array([60000, 30000], dtype="Int64"),
            "unit": ["persons", "persons"],
            "source": ["test counts", "test counts"],
        }
    )
    inputs = shipped_inputs(2022, official=official)
    method = replace(BASE, denominator="staff_by_province")
    frame = estimate.estimate_uptake(inputs, method)
    antwerpen = row(frame, "Antwerpen")

    assert antwerpen["lower"] == pytest.approx(100 * 50232 / 60000)
    assert antwerpen["denominator_kind"] == "official"
    assert row(frame, "Brussel")["status"] == "not estimable"
    assert row(frame, "Vlaanderen (vijf provincies)")["status"] == "not estimable"


def test_held_antwerpen_2022(inputs_2022):
    mailed = SUBSCRIPTION_2022 + STARTERS_2022
    rate = (2 / 3 * ENTITLED_2022 - mailed) / PICKUP_2022
    share = PUPILS_2022["Antwerpen"] / sum(PUPILS_2022.values())
    staff = ENTITLED_2022 * share
    frame = estimate.estimate_uptake(inputs_2022, BASE)
    antwerpen = row(frame, "Antwerpen", estimate.HELD)

    assert antwerpen["pickup_rate"] == pytest.approx(rate)
    assert antwerpen["central"] == pytest.approx(
        100 * (rate * PICKUP_BY_AREA_2022["Antwerpen"] + share * mailed) / staff
    )
    total = row(frame, "Vlaanderen en Brussel", estimate.HELD)
    assert total["central"] == pytest.approx(100 * 2 / 3)


def test_flanders_brussels_counts_every_card(inputs_2022):
    total = row(estimate.estimate_uptake(inputs_2022, BASE), "Vlaanderen en Brussel")

    assert total["cards_lower"] == PICKUP_2022
    assert total["cards_central"] == pytest.approx(ENTITLED_2022)
    assert total["cards_upper"] == pytest.approx(ENTITLED_2022)


@pytest.mark.parametrize("year", [2021, 2022])
def test_bounds_ordered_every_method(year):
    inputs = shipped_inputs(year)
    combinations = itertools.product(
        ("table_total_entitled", "text", "rsz_employees", "budget_fte"),
        ("pupils", "population"),
        estimate.CHANNEL_KEYS,
        estimate.REMAINDER_MODES,
    )
    for denominator, proxy, channel_key, remainder in combinations:
        method = replace(
            BASE,
            denominator=denominator,
            proxy=proxy,
            channel_key=channel_key,
            remainder=remainder,
        )
        frame = estimate.estimate_uptake(inputs, method)
        estimated = frame[frame["status"] == "modelled"]
        assert bounds.out_of_order(estimated).empty, method
        assert estimated["lower"].notna().all(), method


@pytest.mark.parametrize("year", [2021, 2022])
def test_walloon_provinces_not_estimable(year):
    frame = estimate.estimate_uptake(shipped_inputs(year), BASE)
    walloon = frame[frame["region"] == "Waals Gewest"]

    assert len(walloon) == 10
    assert set(walloon["status"]) == {"not estimable"}
    assert walloon["cards_lower"].notna().all()


def test_unknown_proxy_rejected():
    with pytest.raises(ValueError, match="unknown proxy 'nonsense'"):
        replace(BASE, proxy="nonsense")


def test_unknown_denominator_names_options(inputs_2022):
    method = replace(BASE, denominator="teachers")

    with pytest.raises(NotEstimableError, match="available: table_total_entitled"):
        estimate.estimate_uptake(inputs_2022, method)


def test_salaried_staff_not_dated_2022(inputs_2022):
    method = replace(BASE, denominator="salaried_staff")

    with pytest.raises(NotEstimableError, match="'salaried_staff' not available"):
        estimate.estimate_uptake(inputs_2022, method)


def test_compare_keys_covers_brabant_and_brussels(inputs_2022):
    frame = estimate.compare_keys(inputs_2022, BASE)
    combined = frame[frame["nis_code"] == "brabant_brussels"].set_index("proxy")
    brussels = frame[frame["nis_code"] == "04000"].set_index("proxy")
    brabant = frame[frame["nis_code"] == "20001"].set_index("proxy")

    for key in ("pupils", "population"):
        assert combined.loc[key, "staff"] == pytest.approx(
            brussels.loc[key, "staff"] + brabant.loc[key, "staff"]
        )
        assert combined.loc[key, "cards_lower"] == (
            PICKUP_BY_AREA_2022["Brussel"] + PICKUP_BY_AREA_2022["Vlaams-Brabant"]
        )
    assert set(frame["basis"]) == {"workplace", "residence"}


def test_staff_table_names_source(inputs_2022):
    staff = estimate.staff_table(inputs_2022, BASE)

    assert set(staff["source"]) == {"vraag_590"}
    assert set(staff["reference"]) == {"2021-2022"}
    assert staff["staff"].sum() == pytest.approx(ENTITLED_2022)


def test_zero_key_total_not_estimable(inputs_2022):
    proxies = inputs_2022.proxies.copy()
    proxies.loc[proxies["proxy"] == "pupils", "proxy_value"] = 0
    inputs = replace(inputs_2022, proxies=proxies)

    with pytest.raises(NotEstimableError, match="sum to zero"):
        estimate.estimate_uptake(inputs, BASE)


def test_missing_key_area_named(inputs_2022):
    proxies = inputs_2022.proxies
    inputs = replace(
        inputs_2022,
        proxies=proxies[
            ~((proxies["proxy"] == "pupils") & (proxies["nis_code"] == "70000"))
        ],
    )

    with pytest.raises(NotEstimableError, match="no value for Limburg"):
        estimate.estimate_uptake(inputs, BASE)


def test_zero_key_value_area_not_estimable(inputs_2022):
    proxies = inputs_2022.proxies.copy()
    limburg = (proxies["proxy"] == "pupils") & (proxies["nis_code"] == "70000")
    proxies.loc[limburg, "proxy_value"] = 0
    frame = estimate.estimate_uptake(replace(inputs_2022, proxies=proxies), BASE)

    assert row(frame, "Limburg")["status"] == "not estimable"
    assert row(frame, "Antwerpen")["status"] == "modelled"
    assert row(frame, "Vlaanderen (vijf provincies)")["status"] == "modelled"


def test_missing_channel_named(inputs_2022):
    channels = inputs_2022.channels

    with pytest.raises(NotEstimableError, match="no cards for channel starters"):
        replace(inputs_2022, channels=channels[channels["channel"] != "starters"])


def test_impossible_held_share_rejected(inputs_2022):
    # 10 % of the entitled is fewer cards than were sent by post alone.
    with pytest.raises(NotEstimableError, match="outside 0 to 1"):
        estimate.estimate_uptake(inputs_2022, replace(BASE, held_share=0.1))


AREA_CODES = [province.nis_code for province in PROVINCES]


@st.composite
def random_inputs(draw) -> estimate.Inputs:
    """Inputs of one year with random counts, keys and channels."""
    pickups = draw(st.lists(st.integers(0, 10**5), min_size=11, max_size=11))
    subscription = draw(st.integers(0, 10**5))
    starters = draw(st.integers(0, 10**5))
    remainder = draw(st.integers(0, 10**4))
    entitled = subscription + starters + sum(pickups) + remainder
    assume(entitled > 0)

    keys = {
        key: draw(
            st.lists(st.integers(0, 10**6), min_size=6, max_size=6).filter(
                lambda values: sum(values) > 0
            )
        )
        for key in ("pupils", "population")
    }
    six = list(FLEMISH_COMMUNITY_CODES)
    proxies = pd.DataFrame(
        [
            {"year": 2022, "proxy": key, "nis_code": code, "proxy_value": value}
            for key, values in keys.items()
            for code, value in zip(six, values, strict=True)
        ]
    )

    cards_per_year = pd.DataFrame(
        {
            "year": [2022, 2022],
            "statement": ["table_total_entitled", "text"],
            "cards": [entitled, entitled],
        }
    )
    channels = pd.DataFrame(
        {
            "year": [2022] * 3,
            "channel": ["subscription", "starters", "pickup_points"],
            "cards": [subscription, starters, sum(pickups)],
        }
    )
    pickup = pd.DataFrame(
        {
            "year": 2022,
            "nis_code": AREA_CODES,
            "province": [BY_CODE[code].name for code in AREA_CODES],
            "region": [BY_CODE[code].region for code in AREA_CODES],
            "cards": pickups,
        }
    )
    staff_national = pd.DataFrame(
        columns=["measure", "reference_date", "value", "unit", "source_id"]
    )

    return estimate.inputs_from_tables(
        2022,
        cards_per_year=cards_per_year,
        channels=channels,
        pickup=pickup,
        staff_national=staff_national,
        proxies=proxies,
        official=shipped_inputs(2022).official,
    )


@settings(max_examples=60, deadline=None)
@given(
    inputs=random_inputs(),
    proxy=st.sampled_from(["pupils", "population"]),
    channel_key=st.sampled_from(estimate.CHANNEL_KEYS),
    remainder=st.sampled_from(estimate.REMAINDER_MODES),
    held_share=st.floats(0.05, 1.0),
)
def test_random_inputs_keep_order_and_totals(
    inputs, proxy, channel_key, remainder, held_share
):
    method = replace(
        BASE,
        proxy=proxy,
        channel_key=channel_key,
        remainder=remainder,
        held_share=held_share,
    )
    try:
        frame = estimate.estimate_uptake(inputs, method)
    except NotEstimableError as error:
        # The only inputs that may give no estimate at all are a held share that
        # no pickup rate in 0-1 fits, or no pickup-point cards at all.
        assert "pickup" in str(error)
        return

    estimated = frame[frame["status"] == "modelled"]
    assert bounds.out_of_order(estimated).empty
    distributed = frame[frame["measure"] == estimate.DISTRIBUTED]
    six = distributed[distributed["nis_code"].isin(FLEMISH_COMMUNITY_CODES)]
    outside = distributed.loc[distributed["region"] == "Waals Gewest", "cards_lower"]
    kept_apart = 0
    if method.resolved_channel_key == "none":
        kept_apart = inputs.mailed + inputs.remainder
    elif remainder == "apart":
        kept_apart = inputs.remainder
    assert six["cards_central"].sum() + outside.sum() + kept_apart == pytest.approx(
        inputs.entitled
    )
    staff = distributed.set_index("nis_code")["staff"]
    assert staff.loc[list(FLEMISH_COMMUNITY_CODES)].sum() == pytest.approx(
        inputs.entitled
    )
    zero_staff = six[~(six["staff"] > 0)]
    assert set(zero_staff["status"]) <= {"not estimable"}


def test_compare_keys_keeps_brussels_for_rsz(inputs_2022):
    method = replace(BASE, denominator="rsz_employees")
    frame = estimate.compare_keys(inputs_2022, method)
    brussels = frame[frame["nis_code"] == "04000"]

    assert set(frame["denominator"]) == {"table_total_entitled"}
    assert set(brussels["status"]) == {"modelled"}
