"""Notebook runs per year on the shipped data, checked against the minister's answer.

The expected figures below are printed in the answer to written question 590 (2023)
itself, so they test the whole chain from data/raw/ to the report.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from helpers import bounds, processed
from helpers.formatting import format_decimal_nl
from helpers.manifest import write_checksums
from lerarenkaart.build import NotebookFailedError, build_year
from lerarenkaart.index import write_index
from lerarenkaart.layout import Layout
from lerarenkaart.versions import latest_version

ROOT = Path(__file__).resolve().parents[1]
YEARS = (2021, 2022)


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Layout:
    """Build both years once into temporary processed and reports folders."""
    base = tmp_path_factory.mktemp("build")
    layout = Layout.at(
        ROOT, processed_dir=base / "processed", reports_dir=base / "reports"
    )
    for year in YEARS:
        build_year(layout, year)
    write_index(layout.reports_dir)
    return layout


def report_html(layout: Layout, year: int) -> Path:
    """Return the HTML report of the year's current version."""
    version = latest_version(layout.reports_dir, year)
    assert version is not None, f"no current version of {year}"
    return layout.report_html(year, version.id)


def table(layout: Layout, year: int, name: str) -> pd.DataFrame:
    return processed.read_table(layout.processed_dir / str(year), name)


@pytest.mark.parametrize(("year", "expected"), [(2021, 175386), (2022, 177260)])
def test_pickup_total_matches_answer(built, year, expected):
    pickup = table(built, year, "pickup_by_province").query("year == @year")
    assert pickup["cards"].sum() == expected


def test_antwerpen_2022_matches_answer(built):
    pickup = table(built, 2022, "pickup_by_province").query("year == 2022")
    antwerpen = pickup.set_index("province").loc["Antwerpen", "cards"]
    assert antwerpen == 50232


@pytest.mark.parametrize(("year", "gap"), [(2021, 913), (2022, 5736)])
def test_channel_gap_is_a_finding(built, year, gap):
    findings = table(built, year, "findings").set_index(["check", "year"])
    finding = findings.loc[("channels_vs_total", year)]
    assert finding["difference"] == gap
    assert finding["status"] == "discrepancy"


def test_two_2021_totals_differ_by_29(built):
    findings = table(built, 2021, "findings").set_index(["check", "year"])
    assert findings.loc[("text_vs_table_total", 2021), "difference"] == 220679 - 220650


@pytest.mark.parametrize("year", YEARS)
def test_modelled_staff_add_up(built, year):
    staff = table(built, year, "staff_by_province")
    entitled = (
        table(built, year, "cards_per_year")
        .query("year == @year and statement == 'table_total_entitled'")["cards"]
        .iloc[0]
    )
    assert staff["staff"].sum() == pytest.approx(entitled, abs=1)
    assert set(staff["denominator_kind"]) == {"modelled"}


@pytest.mark.parametrize("year", YEARS)
def test_walloon_provinces_not_estimable(built, year):
    uptake = table(built, year, "uptake_estimate")
    walloon = uptake[uptake["region"] == "Waals Gewest"]
    assert len(walloon) == 10
    assert set(walloon["status"]) == {"not estimable"}


@pytest.mark.parametrize("year", YEARS)
def test_bounds_ordered_every_province(built, year):
    uptake = table(built, year, "uptake_estimate")
    estimated = uptake[uptake["status"] == "modelled"]
    assert len(estimated) == 2 * (6 + 2)
    assert bounds.out_of_order(estimated).empty


@pytest.mark.parametrize("year", YEARS)
def test_assumed_values_labelled(built, year):
    assumed = table(built, year, "assumptions")
    assert set(assumed["status"]) == {"assumed"}
    held = table(built, year, "held_estimate").set_index("variant")
    assert held.loc["held_share_stated", "held_share"] == pytest.approx(2 / 3, 1e-6)
    html = report_html(built, year).read_text(encoding="utf-8")
    assert "(aanname)" in html
    assert "commissievraag nr. 2126" in html


@pytest.mark.parametrize("year", YEARS)
def test_report_html_is_self_contained(built, year):
    html = report_html(built, year).read_text(encoding="utf-8")
    loaded = re.findall(r'<(?:script|img|link)[^>]+(?:src|href)="([^"]+)"', html)
    assert all(not url.startswith(("http://", "https://", "//")) for url in loaded)
    assert '<html lang="nl">' in html
    assert html.count('class="report-figure"') == 5


def test_report_2022_shows_source_figures(built):
    html = report_html(built, 2022).read_text(encoding="utf-8")
    assert "227.916" in html
    assert "50.232" in html
    assert "5.736" in html
    assert "gemodelleerd" in html


def test_report_2021_has_no_previous_year(built):
    html = report_html(built, 2021).read_text(encoding="utf-8")
    assert "geen vergelijking" in html


def test_report_hides_code_and_notes(built):
    html = report_html(built, 2022).read_text(encoding="utf-8")
    assert "import pandas" not in html
    assert "Headline figures" not in html


def test_executed_notebooks_kept(built):
    folder = report_html(built, 2022).parent / "notebooks"
    kept = sorted(p.name for p in folder.iterdir())
    assert kept == ["01_clean.ipynb", "02_uptake.ipynb", "03_report.ipynb"]


def test_index_links_every_year(built):
    index = (built.reports_dir / "index.html").read_text(encoding="utf-8")
    for year in YEARS:
        version = latest_version(built.reports_dir, year).id
        assert f'href="{year}/index.html"' in index
        assert f'href="{year}/{version}/lerarenkaart-{year}.html"' in index


def test_datapackage_documents_tables(built):
    package = (built.processed_dir / "2022" / "datapackage.json").read_text()
    for name in (
        "pickup-by-province",
        "uptake-estimate",
        "uptake-sensitivity",
        "staff-by-province",
        "assumptions",
        "findings",
    ):
        assert f'"name": "{name}"' in package


def antwerpen_central(layout: Layout, year: int) -> float:
    uptake = table(layout, year, "uptake_estimate")
    rows = uptake[
        (uptake["area"] == "Antwerpen") & (uptake["measure"] == "distributed")
    ]
    return float(rows["central"].iloc[0])


@pytest.mark.parametrize(
    ("parameters", "stated"),
    [
        ({"proxy": "population"}, "naar de bevolking per provincie op 1 januari"),
        (
            {"denominator": "rsz_employees"},
            "het aantal werknemers in het onderwijs in het Vlaams Gewest (RSZ)",
        ),
        (
            {"channel_key": "pickup"},
            "in dezelfde verhouding als de kaarten via afhaalpunten",
        ),
    ],
)
def test_parameter_changes_report(built, tmp_path, parameters, stated):
    layout = Layout.at(
        ROOT, processed_dir=tmp_path / "processed", reports_dir=tmp_path / "reports"
    )
    build_year(layout, 2022, parameters)
    changed = antwerpen_central(layout, 2022)
    default = antwerpen_central(built, 2022)
    html = report_html(layout, 2022).read_text(encoding="utf-8")
    default_html = report_html(built, 2022).read_text(encoding="utf-8")

    assert changed != pytest.approx(default)
    assert format_decimal_nl(changed) in html
    assert stated in html
    assert stated not in default_html
    uptake = table(layout, 2022, "uptake_estimate")
    for name, value in parameters.items():
        assert set(uptake[name]) == {value}


def test_official_staff_file_takes_precedence(built, tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(ROOT / "data" / "raw", raw)
    # Test counts, not a source: the project ships no official per-province file.
    (raw / "staff_by_province.csv").write_text(
        "year,province,staff,unit,source\n"
        "2022,Antwerpen,60.000,persons,testtelling\n"
        "2022,Vlaams-Brabant,36.000,persons,testtelling\n"
        "2022,West-Vlaanderen,38.000,persons,testtelling\n"
        "2022,Oost-Vlaanderen,52.000,persons,testtelling\n"
        "2022,Limburg,29.000,persons,testtelling\n"
        "2022,Brussel,11.000,persons,testtelling\n",
        encoding="utf-8",
    )
    manifest = raw / "sources.yaml"
    manifest.write_text(
        manifest.read_text(encoding="utf-8") + "  staff_by_province.csv:\n"
        "    sources: [vraag_590]\n"
        "    transcription: written by a test\n"
        "    sha256: pending\n",
        encoding="utf-8",
    )
    write_checksums(raw)
    layout = Layout.at(
        ROOT,
        raw_dir=raw,
        processed_dir=tmp_path / "processed",
        reports_dir=tmp_path / "reports",
    )

    build_year(layout, 2022)

    staff = table(layout, 2022, "staff_by_province")
    assert set(staff["denominator_kind"]) == {"official"}
    assert staff.set_index("province").loc["Antwerpen", "staff"] == 60000
    uptake = table(layout, 2022, "uptake_estimate")
    antwerpen = uptake[
        (uptake["area"] == "Antwerpen") & (uptake["measure"] == "distributed")
    ]
    assert antwerpen["lower"].iloc[0] == pytest.approx(100 * 50232 / 60000)
    html = report_html(layout, 2022).read_text(encoding="utf-8")
    assert "officiële" in html
    assert "testtelling" in html
    assert "Personeel (officieel)" in html


def test_failed_notebook_keeps_previous_report(built, tmp_path):
    reports = tmp_path / "reports"
    shutil.copytree(built.reports_dir, reports)
    shutil.copytree(built.processed_dir, tmp_path / "processed")
    layout = Layout.at(ROOT, processed_dir=tmp_path / "processed", reports_dir=reports)
    before = report_html(layout, 2022).read_bytes()

    with pytest.raises(NotebookFailedError) as failure:
        build_year(layout, 2022, {"proxy": "nonsense"})

    assert failure.value.notebook == "02_uptake.ipynb"
    assert "unknown proxy 'nonsense'" in str(failure.value)
    assert report_html(layout, 2022).read_bytes() == before
    assert (reports / "_failed" / "2022" / "02_uptake.ipynb").exists()
    assert not any((reports / ".staging").iterdir())
