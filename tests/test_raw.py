"""Tests for helpers.raw: the loaders on the shipped data and on edited copies of it."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd
import pytest

from helpers import raw
from helpers.errors import RawDataError

PICKUP = raw.PICKUP_BY_PROVINCE
CHANNELS = raw.CARDS_BY_CHANNEL
PER_YEAR = raw.CARDS_PER_YEAR
VISITS = raw.WEBSITE_VISITS
STAFF = raw.STAFF_NATIONAL
PUPILS = raw.PUPILS
POPULATION = raw.POPULATION
MILESTONES = raw.MILESTONES

LOADERS = {
    PICKUP: raw.load_pickup_by_province,
    CHANNELS: raw.load_cards_by_channel,
    PER_YEAR: raw.load_cards_per_year,
    VISITS: raw.load_website_visits,
    STAFF: raw.load_staff_national,
    PUPILS: raw.load_pupils,
    POPULATION: raw.load_population,
    MILESTONES: raw.load_milestones,
}


# The shipped data.


def test_load_all_reads_every_file(tables):
    assert sorted(tables) == [
        "assumptions",
        "cards_by_channel",
        "cards_per_year",
        "milestones",
        "pickup_by_province",
        "population",
        "pupils",
        "staff_by_province",
        "staff_national",
        "website_visits",
    ]


def test_pickup_totals_per_year(tables):
    pickup = tables["pickup_by_province"]
    totals = pickup.groupby("year")["cards"].sum()
    # "Kaarten via afhaalpunten" in the answer's channel table.
    assert int(totals[2021]) == 175386
    assert int(totals[2022]) == 177260


def test_pickup_antwerpen_2022(tables):
    pickup = tables["pickup_by_province"]
    row = pickup[(pickup["year"] == 2022) & (pickup["province"] == "Antwerpen")]
    assert row["cards"].tolist() == [50232]
    assert row["nis_code"].tolist() == ["10000"]


def test_pickup_eleven_areas_per_year(tables):
    counts = tables["pickup_by_province"].groupby("year")["nis_code"].nunique()
    assert counts.to_dict() == {2021: 11, 2022: 11}


def test_pickup_brussels_code_is_text(tables):
    codes = set(tables["pickup_by_province"]["nis_code"])
    assert "04000" in codes


def test_pickup_columns_and_types(tables):
    pickup = tables["pickup_by_province"]
    assert list(pickup.columns) == ["year", "nis_code", "province", "cards"]
    assert str(pickup["cards"].dtype) == "Int64"
    assert pickup["year"].dtype.kind == "i"


def test_cards_per_year_reads_dutch_totals(tables):
    cards = tables["cards_per_year"].set_index(["year", "statement"])["cards"]
    # For 2021 the minister's answer prints 220.679 in point 1 and 220.650 in its table.
    assert cards[(2021, "text")] == 220679
    assert cards[(2021, "table_total_entitled")] == 220650
    assert cards[(2022, "text")] == 227916


def test_channels_use_identifiers(tables):
    channels = tables["cards_by_channel"]
    assert set(channels["channel"]) == {"subscription", "starters", "pickup_points"}
    subscription = channels[
        (channels["year"] == 2021) & (channels["channel"] == "subscription")
    ]
    assert subscription["cards"].tolist() == [25479]


def test_website_visits_2020_stays_missing(tables):
    visits = tables["website_visits"].set_index("period")
    assert pd.isna(visits.loc["2020", "visits"])
    assert visits.loc["2020", "status"] == "missing"


def test_website_visits_typical_year_has_no_year(tables):
    visits = tables["website_visits"].set_index("period")
    assert pd.isna(visits.loc[raw.TYPICAL_YEAR_BEFORE_2020, "year"])
    assert visits.loc[raw.TYPICAL_YEAR_BEFORE_2020, "visits"] == 600000


def test_website_visits_2022(tables):
    visits = tables["website_visits"].set_index("period")
    assert visits.loc["2022", "visits"] == 800000
    assert visits.loc["2022", "year"] == 2022


def test_staff_budget_fte_2021(tables):
    staff = tables["staff_national"]
    row = staff[
        (staff["measure"] == "budget_fte") & (staff["reference_date"] == "2021-01-01")
    ]
    assert row["value"].tolist() == [168390]


def test_pupils_antwerpen_levels(tables):
    pupils = tables["pupils"]
    rows = pupils[
        (pupils["school_year"] == "2020-2021") & (pupils["nis_code"] == "10000")
    ]
    assert rows["pupils"].tolist() == [72284, 124502, 127442]


def test_pupils_brussels_spelling_resolved(tables):
    pupils = tables["pupils"]
    brussels = pupils[pupils["nis_code"] == "04000"]
    assert set(brussels["province"]) == {"Brussel"}
    assert len(brussels) == 6


def test_population_dutch_names(tables):
    population = tables["population"]
    row = population[
        (population["date"] == "2021-01-01") & (population["nis_code"] == "60000")
    ]
    assert row["province"].tolist() == ["Luik"]
    assert row["population"].tolist() == [1109067]


def test_population_sums_to_belgium(tables):
    totals = tables["population"].groupby("date")["population"].sum()
    # Statbel's Belgian totals, as the manifest records them.
    assert int(totals["2021-01-01"]) == 11521238
    assert int(totals["2022-01-01"]) == 11584008


def test_milestones_sorted_by_date(tables):
    dates = tables["milestones"]["date"].tolist()
    assert dates == sorted(dates)
    assert len(dates) == 3


def test_available_years_shipped(raw_dir):
    assert raw.available_years(raw_dir) == [2021, 2022]


def test_available_years_needs_both_files(raw_copy):
    raw_copy.insert_after(
        PER_YEAR,
        "2022,text,227.916,antwoord punt 1",
        "2023,text,230.000,invented year",
    )
    assert raw.available_years(raw_copy.folder) == [2021, 2022]


# Edited copies: each case changes one line of one file.


@dataclass(frozen=True)
class Edit:
    """One edit of a raw file and what the error must name."""

    file: str
    line: str
    new_line: str
    value: str | None  # the value as the message quotes it, or None for an empty cell
    problem: str
    column: str | None = None
    insert: bool = False


EDITS = {
    "negative pickup count": Edit(
        PICKUP, "Namen,41,43", "Namen,-41,43", "'-41'", "negative", "2021"
    ),
    "unknown province": Edit(
        PICKUP, "Namen,41,43", "Namur-Sud,41,43", "'Namur-Sud'", "unknown province"
    ),
    "Brabant alone": Edit(
        PICKUP, "Waals-Brabant,374,399", "Brabant,374,399", "'Brabant'", "unknown"
    ),
    "duplicate province row": Edit(
        PICKUP,
        "Namen,41,43",
        "Namen,41,43",
        "nis_code=90000",
        "duplicate row",
        insert=True,
    ),
    "duplicate under alias": Edit(
        PICKUP,
        "Namen,41,43",
        "Namur,41,43",
        "nis_code=90000",
        "duplicate row",
        insert=True,
    ),
    "total among provinces": Edit(
        PICKUP,
        "Waals-Brabant,374,399",
        "Totaal,175386,177260",
        "'Totaal'",
        "total row",
        insert=True,
    ),
    "repeated year header": Edit(
        PICKUP, "province,2021,2022", "province,2021,2021", "'2021'", "repeats column"
    ),
    "year header not a year": Edit(
        PICKUP, "province,2021,2022", "province,2021,jaar", None, "not a year", "jaar"
    ),
    "missing pickup value": Edit(
        PICKUP, "Namen,41,43", "Namen,,43", None, "missing value", "2021"
    ),
    "missing pickup cell": Edit(
        PICKUP, "Namen,41,43", "Namen,41", "'Namen,41'", "expected 3 cells"
    ),
    "decimal comma": Edit(
        PICKUP, "Luik,156,153", "Luik,156,15,3", "'Luik,156,15,3'", "expected 3 cells"
    ),
    "bad grouping": Edit(
        PICKUP, "Antwerpen,49307,50232", "Antwerpen,49.30,50232", "'49.30'", "notation"
    ),
    "negative channel count": Edit(
        CHANNELS,
        "2021,Kaarten met abonnement,25.479",
        "2021,Kaarten met abonnement,-25.479",
        "'-25.479'",
        "negative",
        "cards",
    ),
    "unknown channel": Edit(
        CHANNELS,
        "2021,Kaarten met abonnement,25.479",
        "2021,Kaarten per post,25.479",
        "'Kaarten per post'",
        "unknown channel",
        "channel",
    ),
    "duplicate channel by id": Edit(
        CHANNELS,
        "2021,Kaarten met abonnement,25.479",
        "2021,subscription,25.479",
        "year=2021, channel=subscription",
        "duplicate row",
        insert=True,
    ),
    "missing channel count": Edit(
        CHANNELS,
        "2022,Kaarten via afhaalpunten,177.260",
        "2022,Kaarten via afhaalpunten,",
        None,
        "missing value",
        "cards",
    ),
    "two-digit year": Edit(
        CHANNELS,
        "2021,Kaarten met abonnement,25.479",
        "21,Kaarten met abonnement,25.479",
        "'21'",
        "invalid year",
        "year",
    ),
    "duplicate statement": Edit(
        PER_YEAR,
        "2022,text,227.916,antwoord punt 1",
        "2022,text,227.916,antwoord punt 1",
        "year=2022, statement=text",
        "duplicate row",
        insert=True,
    ),
    "unknown statement": Edit(
        PER_YEAR,
        "2022,text,227.916,antwoord punt 1",
        "2022,tekst,227.916,antwoord punt 1",
        "'tekst'",
        "invalid value",
        "statement",
    ),
    "exact visits missing": Edit(
        VISITS,
        '2021,700.000,exact,"In 2021 werd lerarenkaart.be 700.000 keer bezocht"',
        '2021,,exact,"In 2021 werd lerarenkaart.be 700.000 keer bezocht"',
        "'exact'",
        "status 'missing'",
        "status",
    ),
    "missing visits as zero": Edit(
        VISITS,
        '2020,,missing,"In 2020 was er een lichte daling in het aantal bezoeken '
        'door de impact van COVID-19"',
        '2020,0,missing,"In 2020 was er een lichte daling in het aantal bezoeken '
        'door de impact van COVID-19"',
        "'missing'",
        "status 'missing'",
        "status",
    ),
    "negative staff": Edit(
        STAFF,
        "budget_fte,2019-2020,2020-01-01,164.501,FTE,"
        "paid by the Flemish education ministry,statistiek_vlaanderen_personeel",
        "budget_fte,2019-2020,2020-01-01,-164.501,FTE,"
        "paid by the Flemish education ministry,statistiek_vlaanderen_personeel",
        "'-164.501'",
        "negative",
        "value",
    ),
    "staff date empty": Edit(
        STAFF,
        "budget_fte,2019-2020,2020-01-01,164.501,FTE,"
        "paid by the Flemish education ministry,statistiek_vlaanderen_personeel",
        "budget_fte,2019-2020,,164.501,FTE,"
        "paid by the Flemish education ministry,statistiek_vlaanderen_personeel",
        "(value '')",
        "invalid date",
        "reference_date",
    ),
    "staff date in words": Edit(
        STAFF,
        "budget_fte,2019-2020,2020-01-01,164.501,FTE,"
        "paid by the Flemish education ministry,statistiek_vlaanderen_personeel",
        "budget_fte,2019-2020,1 January 2020,164.501,FTE,"
        "paid by the Flemish education ministry,statistiek_vlaanderen_personeel",
        "'1 January 2020'",
        "invalid date",
        "reference_date",
    ),
    "staff date impossible": Edit(
        STAFF,
        "budget_fte,2019-2020,2020-01-01,164.501,FTE,"
        "paid by the Flemish education ministry,statistiek_vlaanderen_personeel",
        "budget_fte,2019-2020,2020-02-30,164.501,FTE,"
        "paid by the Flemish education ministry,statistiek_vlaanderen_personeel",
        "'2020-02-30'",
        "invalid date",
        "reference_date",
    ),
    "negative pupils": Edit(
        PUPILS,
        "2020-2021,1 February 2021,Limburg,111,gewoon kleuteronderwijs,30590",
        "2020-2021,1 February 2021,Limburg,111,gewoon kleuteronderwijs,-30590",
        "'-30590'",
        "negative",
        "pupils",
    ),
    "school year gap": Edit(
        PUPILS,
        "2020-2021,1 February 2021,Limburg,111,gewoon kleuteronderwijs,30590",
        "2020-2022,1 February 2021,Limburg,111,gewoon kleuteronderwijs,30590",
        "'2020-2022'",
        "invalid school year",
        "school_year",
    ),
    "pupils total row": Edit(
        PUPILS,
        "2020-2021,1 February 2021,Limburg,111,gewoon kleuteronderwijs,30590",
        "2020-2021,1 February 2021,Totaal,111,gewoon kleuteronderwijs,30590",
        "'Totaal'",
        "total row",
        "school_province",
    ),
    "duplicate pupils level": Edit(
        PUPILS,
        "2020-2021,1 February 2021,Limburg,211,gewoon lager onderwijs,54161",
        "2020-2021,1 February 2021,Limburg,111,gewoon lager onderwijs,54161",
        "school_year=2020-2021, nis_code=70000, level_code=111",
        "duplicate row",
    ),
    "population code mismatch": Edit(
        POPULATION,
        "2021-01-01,70000,Limburg,880397",
        "2021-01-01,80000,Limburg,880397",
        "'80000'",
        "does not match",
        "nis_code",
    ),
    "unknown milestone status": Edit(
        MILESTONES,
        "2021-12-31,done,"
        '"Voortraject (behoeftenonderzoek met PIO en Addestino Innovation '
        'Management) afgerond"',
        "2021-12-31,klaar,"
        '"Voortraject (behoeftenonderzoek met PIO en Addestino Innovation '
        'Management) afgerond"',
        "'klaar'",
        "invalid value",
        "status",
    ),
    "milestone date impossible": Edit(
        MILESTONES,
        "2021-12-31,done,"
        '"Voortraject (behoeftenonderzoek met PIO en Addestino Innovation '
        'Management) afgerond"',
        "2021-13-45,done,"
        '"Voortraject (behoeftenonderzoek met PIO en Addestino Innovation '
        'Management) afgerond"',
        "'2021-13-45'",
        "invalid date",
        "date",
    ),
}


@pytest.mark.parametrize("edit", EDITS.values(), ids=EDITS.keys())
def test_loader_rejects_edited_file(raw_copy, edit):
    if edit.insert:
        line = raw_copy.insert_after(edit.file, edit.line, edit.new_line)
    else:
        line = raw_copy.replace(edit.file, edit.line, edit.new_line)
    path = raw_copy.path(edit.file)

    with pytest.raises(RawDataError) as caught:
        LOADERS[edit.file](raw_copy.folder)
    error = caught.value
    message = str(error)

    assert message.startswith(str(path))
    assert error.row == line
    assert re.search(rf"\brow {line}\b", message)
    assert edit.problem in message
    if edit.value is not None:
        assert edit.value in message
    if edit.column is not None:
        assert error.column == edit.column
        assert f"column {edit.column!r}" in message


def test_loader_names_missing_file(raw_copy):
    raw_copy.path(PICKUP).unlink()
    with pytest.raises(RawDataError, match="file not found") as caught:
        raw.load_pickup_by_province(raw_copy.folder)
    assert str(raw_copy.path(PICKUP)) in str(caught.value)


def test_pickup_accepts_alias_and_code(raw_copy):
    raw_copy.replace(PICKUP, "Luik,156,153", "Liège,156,153")
    raw_copy.replace(PICKUP, "Brussel,2475,2608", "4000,2475,2608")
    pickup = raw.load_pickup_by_province(raw_copy.folder)
    liege = pickup[(pickup["year"] == 2021) & (pickup["nis_code"] == "60000")]
    brussels = pickup[(pickup["year"] == 2021) & (pickup["nis_code"] == "04000")]
    assert liege["province"].tolist() == ["Luik"]
    assert brussels["cards"].tolist() == [2475]


def test_pickup_accepts_semicolons_and_bom(raw_copy):
    path = raw_copy.path(PICKUP)
    text = path.read_text(encoding="utf-8").replace(",", ";")
    path.write_text("\ufeff" + text, encoding="utf-8")
    pickup = raw.load_pickup_by_province(raw_copy.folder)
    assert int(pickup["cards"].sum()) == 175386 + 177260


def test_pickup_missing_row_still_loads(raw_copy):
    # A missing province is no format error, so checks.require_complete reports it.
    raw_copy.delete(PICKUP, "Namen,41,43")
    pickup = raw.load_pickup_by_province(raw_copy.folder)
    assert "90000" not in set(pickup["nis_code"])


def test_pickup_without_year_columns(raw_copy):
    path = raw_copy.path(PICKUP)
    path.write_text("province\nAntwerpen\n", encoding="utf-8")
    with pytest.raises(RawDataError, match="no year columns") as caught:
        raw.load_pickup_by_province(raw_copy.folder)
    assert caught.value.row == 1


def test_population_accepts_four_digit_code(raw_copy):
    raw_copy.replace(
        POPULATION,
        "2021-01-01,04000,Brussels-Capital Region,1219970",
        "2021-01-01,4000,Brussels-Capital Region,1219970",
    )
    population = raw.load_population(raw_copy.folder)
    brussels = population[
        (population["date"] == "2021-01-01") & (population["nis_code"] == "04000")
    ]
    assert brussels["population"].tolist() == [1219970]
