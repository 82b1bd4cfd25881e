"""Tests for helpers.provinces: spellings and NIS codes of the eleven areas."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from helpers.provinces import (
    BRUSSELS_REGION,
    BY_CODE,
    FLEMISH_COMMUNITY_CODES,
    PROVINCES,
    WALLOON_REGION,
    UnknownProvinceError,
    find_province,
    province_table,
)


@pytest.mark.parametrize(
    ("spelling", "nis_code"),
    [
        ("Antwerpen", "10000"),
        ("Anvers", "10000"),
        ("Antwerp", "10000"),
        ("Brussel", "04000"),
        ("Brussels Hoofdstedelijk Gewest", "04000"),
        ("Région de Bruxelles-Capitale", "04000"),
        ("Brussels-Capital Region", "04000"),
        ("Luik", "60000"),
        ("Liège", "60000"),
        ("Liege", "60000"),
        ("LUIK", "60000"),
        (" oost  vlaanderen ", "40000"),
        ("Oost-Vlaanderen", "40000"),
        ("East Flanders", "40000"),
        ("Brabant wallon", "20002"),
        ("Flemish Brabant", "20001"),
        ("vlaams_brabant", "20001"),
        ("Hainaut", "50000"),
        ("Namur", "90000"),
        ("Limbourg", "70000"),
    ],
)
def test_find_province_accepts_spelling(spelling, nis_code):
    assert find_province(spelling).nis_code == nis_code


@pytest.mark.parametrize(
    ("code", "nis_code"),
    [
        ("10000", "10000"),
        ("04000", "04000"),
        ("4000", "04000"),
        (4000, "04000"),
        (" 20002 ", "20002"),
    ],
)
def test_find_province_accepts_nis_code(code, nis_code):
    assert find_province(code).nis_code == nis_code


def test_find_province_returns_dutch_name():
    assert find_province("Liège").name == "Luik"


@pytest.mark.parametrize(
    "name",
    ["Brabant", "brabant", "Atlantis", "", "Vlaanderen", "21000", "1000", "Namur-Sud"],
)
def test_find_province_rejects_unknown(name):
    with pytest.raises(UnknownProvinceError):
        find_province(name)


def test_unknown_province_message_lists_names():
    with pytest.raises(UnknownProvinceError) as caught:
        find_province("Brabant")
    message = str(caught.value)
    assert "'Brabant'" in message
    assert "Vlaams-Brabant" in message
    assert "Waals-Brabant" in message


def test_unknown_province_is_value_error():
    assert issubclass(UnknownProvinceError, ValueError)


def test_every_spelling_finds_own_area():
    # A spelling shared by two areas would find only the one listed last.
    for province in PROVINCES:
        for spelling in (province.name, province.nis_code, *province.aliases):
            assert find_province(spelling) == province, spelling


@given(
    province=st.sampled_from(PROVINCES),
    case=st.sampled_from([str.upper, str.lower, str.title]),
    padding=st.sampled_from(["", " ", "  ", "\t"]),
)
def test_find_province_ignores_case_spacing(province, case, padding):
    for spelling in (province.name, *province.aliases):
        assert find_province(padding + case(spelling) + padding) == province


def test_province_table_has_eleven_areas():
    table = province_table()
    assert len(table) == 11
    assert table["nis_code"].is_unique
    assert list(table.columns) == ["nis_code", "province", "region"]


def test_by_code_matches_provinces():
    assert sorted(BY_CODE) == sorted(province.nis_code for province in PROVINCES)


def test_flemish_community_codes_exclude_wallonia():
    # The five Flemish provinces and Brussels have Dutch-language schools.
    assert sorted(FLEMISH_COMMUNITY_CODES) == [
        "04000",
        "10000",
        "20001",
        "30000",
        "40000",
        "70000",
    ]
    assert all(
        BY_CODE[code].region != WALLOON_REGION for code in FLEMISH_COMMUNITY_CODES
    )


def test_brussels_region_is_own_area():
    assert BY_CODE["04000"].region == BRUSSELS_REGION
