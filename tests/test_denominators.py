"""Tests for helpers.denominators and the optional raw file staff_by_province.csv."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from estimation_data import RAW_DIR, proxies, raw_tables

from helpers import denominators, raw
from helpers.errors import RawDataError
from helpers.manifest import write_checksums
from helpers.uptake import NotEstimableError

OFFICIAL_ENTRY = """  staff_by_province.csv:
    sources: [vraag_590]
    transcription: written by a test
    description: test counts
    sha256: pending
"""


def totals(year: int) -> pd.DataFrame:
    tables = raw_tables()
    return denominators.national_totals(
        tables["cards_per_year"], tables["staff_national"], year
    )


def raw_copy_with(tmp_path: Path, text: str) -> Path:
    """Copy data/raw/ with a staff_by_province.csv of ``text``, listed and hashed."""
    folder = tmp_path / "raw"
    shutil.copytree(RAW_DIR, folder)
    (folder / "staff_by_province.csv").write_text(text, encoding="utf-8")
    manifest = folder / "sources.yaml"
    manifest.write_text(manifest.read_text() + OFFICIAL_ENTRY, encoding="utf-8")
    write_checksums(folder)
    return folder


def test_national_totals_2022():
    frame = totals(2022).set_index("denominator")

    assert frame.loc["table_total_entitled", "staff"] == 227916
    assert frame.loc["rsz_employees", "staff"] == 210081
    assert frame.loc["budget_fte", "unit"] == "FTE"
    assert "salaried_staff" not in frame.index


def test_scope_of_rsz_leaves_out_brussels():
    assert "04000" not in denominators.scope_of("rsz_employees")
    assert len(denominators.scope_of("rsz_employees")) == 5
    assert "04000" in denominators.scope_of("table_total_entitled")


def test_key_shares_add_up():
    shares = denominators.key_shares(proxies(2021), "population")

    assert shares.sum() == pytest.approx(1)
    # population_by_province.csv, 1 January 2021: Brussels over the six areas.
    six = 1875524 + 1162084 + 1203312 + 1531745 + 880397 + 1219970
    assert shares["04000"] == pytest.approx(1219970 / six)


def test_key_shares_reject_unknown_key():
    with pytest.raises(NotEstimableError, match="unknown key 'teachers'"):
        denominators.key_shares(proxies(2021), "teachers")


def test_shares_of_rejects_negative():
    with pytest.raises(NotEstimableError, match="not negative"):
        denominators.shares_of(pd.Series([1, -1, 3]), description="test")


def test_modelled_staff_add_up_to_total():
    staff = denominators.modelled_staff(totals(2021), "text", proxies(2021), "pupils")

    assert staff["staff"].sum() == pytest.approx(220679)
    assert set(staff["denominator_kind"]) == {"modelled"}
    assert set(staff["source"]) == {"vraag_590"}


def test_choose_denominator_prefers_official():
    official = pd.DataFrame({"year": [2022], "nis_code": ["10000"]})

    assert (
        denominators.choose_denominator("text", official, 2022) == "staff_by_province"
    )
    assert denominators.choose_denominator("text", official, 2021) == "text"


def test_official_missing_for_year():
    with pytest.raises(NotEstimableError, match="no official staff per province"):
        denominators.staff_by_province(
            totals(2022),
            proxies(2022),
            raw_tables()["staff_by_province"],
            year=2022,
            denominator="staff_by_province",
            key="pupils",
        )


def test_shipped_data_has_no_official_file():
    assert not (RAW_DIR / "staff_by_province.csv").exists()
    assert raw_tables()["staff_by_province"].empty


def test_official_file_loaded(tmp_path):
    folder = raw_copy_with(
        tmp_path,
        "year,province,staff,unit,source\n"
        "2022,Antwerpen,61.000,persons,test counts\n"
        "2022,70000,29000,persons,test counts\n",
    )

    frame = raw.load_staff_by_province(folder)

    assert frame["nis_code"].tolist() == ["10000", "70000"]
    assert frame["staff"].tolist() == [61000, 29000]
    assert frame["source"].tolist() == ["test counts", "test counts"]


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("2022,Namen,100,persons,test", "no schools of the Flemish Community"),
        ("2022,Limburg,0,persons,test", "staff count of zero"),
        ("2022,Limburg,100,teachers,test", "invalid value"),
        ("2022,Limburg,100,FTE,test", "mixes units"),
        ("2022,Limburg,100,persons,", "missing source"),
        ("2022,Antwerpen,100,persons,test", "duplicate row"),
    ],
)
def test_official_file_rejects(tmp_path, line, message):
    folder = raw_copy_with(
        tmp_path,
        "year,province,staff,unit,source\n2022,Antwerpen,61000,persons,test\n"
        + line
        + "\n",
    )

    with pytest.raises(RawDataError, match=message) as error:
        raw.load_staff_by_province(folder)

    assert "staff_by_province.csv" in str(error.value)
