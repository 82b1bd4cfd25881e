"""Report versions: a rebuild with nothing changed does nothing, a change adds one.

The builds run the ``lerarenkaart`` command as ``make reports`` does, on a copy of
data/raw/ and into temporary folders, so the shipped data and reports/ stay as they
are.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from helpers.manifest import sha256_of, write_checksums
from lerarenkaart import provenance
from lerarenkaart.build import plan_year
from lerarenkaart.layout import NOTEBOOKS, Layout
from lerarenkaart.versions import display_time, latest_version, list_versions

ROOT = Path(__file__).resolve().parents[1]
YEARS = (2021, 2022)
VISITS_LINE = ("2022,800.000,exact", "2022,810.000,exact")


def run_cli(layout: Layout, *arguments: str) -> subprocess.CompletedProcess:
    environment = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    folders = [
        "--raw-dir",
        str(layout.raw_dir),
        "--processed-dir",
        str(layout.processed_dir),
        "--reports-dir",
        str(layout.reports_dir),
    ]
    return subprocess.run(
        [sys.executable, "-m", "lerarenkaart.cli", "--root", str(ROOT), "run"]
        + list(arguments)
        + folders,
        capture_output=True,
        text=True,
        env=environment,
        timeout=600,
        check=False,
    )


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    """Return relative path -> (bytes, modification time in ns) of every file."""
    return {
        path.relative_to(folder).as_posix(): (
            path.read_bytes(),
            path.stat().st_mtime_ns,
        )
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def replace_line(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{old!r} not found once in {path}"
    path.write_text(text.replace(old, new), encoding="utf-8")


@dataclass
class History:
    """The outcome of a sequence of runs on one copy of the raw data."""

    layout: Layout
    first: dict[int, str]
    tree_after_first: dict
    second: subprocess.CompletedProcess
    second_seconds: float
    tree_after_second: dict
    changed: subprocess.CompletedProcess
    after_change: dict[int, list[str]]
    tree_after_change: dict
    repeat: subprocess.CompletedProcess
    reverted: subprocess.CompletedProcess
    after_revert: dict[int, str]


def current_ids(layout: Layout) -> dict[int, str]:
    return {year: latest_version(layout.reports_dir, year).id for year in YEARS}


@pytest.fixture(scope="module")
def history(tmp_path_factory) -> History:
    """Build both years, build again, change one raw file, build, then revert it."""
    base = tmp_path_factory.mktemp("versions")
    shutil.copytree(ROOT / "data" / "raw", base / "raw")
    layout = Layout.at(
        ROOT,
        raw_dir=base / "raw",
        processed_dir=base / "processed",
        reports_dir=base / "reports",
    )
    first = run_cli(layout, "--all")
    assert first.returncode == 0, first.stderr
    first_ids = current_ids(layout)
    tree_after_first = snapshot(layout.reports_dir)

    started = time.perf_counter()
    second = run_cli(layout, "--all")
    second_seconds = time.perf_counter() - started
    tree_after_second = snapshot(layout.reports_dir)

    visits = layout.raw_dir / "website_visits.csv"
    original = visits.read_bytes()
    replace_line(visits, *VISITS_LINE)
    write_checksums(layout.raw_dir)
    changed = run_cli(layout, "--all")
    assert changed.returncode == 0, changed.stderr
    after_change = {
        year: [v.id for v in list_versions(layout.reports_dir, year)] for year in YEARS
    }
    tree_after_change = snapshot(layout.reports_dir)
    repeat = run_cli(layout, "--all")

    visits.write_bytes(original)
    write_checksums(layout.raw_dir)
    reverted = run_cli(layout, "--all")
    return History(
        layout=layout,
        first=first_ids,
        tree_after_first=tree_after_first,
        second=second,
        second_seconds=second_seconds,
        tree_after_second=tree_after_second,
        changed=changed,
        after_change=after_change,
        tree_after_change=tree_after_change,
        repeat=repeat,
        reverted=reverted,
        after_revert=current_ids(layout),
    )


def test_first_run_one_version_per_year(history):
    for year in YEARS:
        versions = list_versions(history.layout.reports_dir, year)
        assert history.first[year] in [v.id for v in versions]
        assert (history.layout.year_dir(year) / "index.html").exists()


def test_second_run_executes_nothing(history):
    print(f"second run took {history.second_seconds:.2f} s")
    assert history.second.returncode == 0
    assert "running" not in history.second.stderr
    for year in YEARS:
        assert f"{year}: version {history.first[year]} is up to date" in (
            history.second.stderr
        )


def test_second_run_is_fast(history):
    # NOTE: the no-op run took about 0.1 s on a 2-core development machine, and one
    # notebook took over 1 s there. The bound leaves room for a slower CI machine.
    assert history.second_seconds < 3


def test_second_run_changes_no_file(history):
    assert history.tree_after_second == history.tree_after_first


def test_changed_raw_adds_one_version_per_year(history):
    for year in YEARS:
        ids = history.after_change[year]
        assert len(ids) == 2, ids
        assert ids[1] == history.first[year]
        assert ids[0] != history.first[year]


def test_changed_raw_keeps_old_version(history):
    for path, content in history.tree_after_first.items():
        if "/" in path and path.split("/")[1] in history.first.values():
            assert history.tree_after_change[path] == content, path


def test_new_version_records_previous(history):
    reports = history.layout.reports_dir
    newest = list_versions(reports, 2022)[0]
    assert newest.manifest["previous_version"] == history.first[2022]
    assert (
        newest.manifest["inputs"]["raw"]["website_visits.csv"]
        != (
            list_versions(reports, 2022)[1].manifest["inputs"]["raw"][
                "website_visits.csv"
            ]
        )
    )


def test_run_after_change_executes_nothing(history):
    assert history.repeat.returncode == 0
    assert "running" not in history.repeat.stderr


def test_report_lists_changed_figure(history):
    newest = list_versions(history.layout.reports_dir, 2022)[0]
    html = (newest.folder / "lerarenkaart-2022.html").read_text(encoding="utf-8")
    assert "Wijzigingen tegenover de vorige versie" in html
    # 4 headline figures, the cards in no channel, the pickup rate, 11 pickup counts,
    # and a lower bound and a central estimate for each of the 6 areas with staff.
    assert "1 van de 29 kerncijfers is gewijzigd" in html
    assert "800.000</td>" in html
    assert "810.000</td>" in html
    assert "+10.000</td>" in html
    assert f"Vervangt versie {history.first[2022]}" in html


def test_unchanged_year_says_no_figure_changed(history):
    newest = list_versions(history.layout.reports_dir, 2021)[0]
    html = (newest.folder / "lerarenkaart-2021.html").read_text(encoding="utf-8")
    assert "Geen van de" in html
    assert "kerncijfers is gewijzigd" in html


def test_first_version_says_so(history):
    first = history.layout.version_dir(2022, history.first[2022])
    html = (first / "lerarenkaart-2022.html").read_text(encoding="utf-8")
    assert "Dit is de eerste versie van het rapport over 2022" in html
    assert "Eerste versie van het rapport over 2022" in html


def test_index_lists_versions_and_changes(history):
    index = (history.layout.reports_dir / "index.html").read_text(encoding="utf-8")
    for year in YEARS:
        for version in history.after_change[year]:
            assert f'href="{year}/{version}/lerarenkaart-{year}.html"' in index
    assert "ruwe gegevens: sources.yaml, website_visits.csv" in index
    assert "eerste versie" in index


def test_revert_reuses_first_version(history):
    assert history.reverted.returncode == 0
    assert "running" not in history.reverted.stderr
    assert history.after_revert == history.first
    for year in YEARS:
        assert len(list_versions(history.layout.reports_dir, year)) == 2


def test_revert_restores_processed_tables(history):
    visits = (history.layout.processed_dir / "2022" / "website_visits.csv").read_text()
    assert "800000" in visits
    assert "810000" not in visits


def test_year_page_redirects_to_current(history):
    page = (history.layout.year_dir(2022) / "index.html").read_text(encoding="utf-8")
    target = f"{history.after_revert[2022]}/lerarenkaart-2022.html"
    assert f'<meta http-equiv="refresh" content="0; url={target}">' in page
    assert f'<a href="{target}">' in page
    assert "<script" not in page


def test_manifest_records_provenance(history):
    version = latest_version(history.layout.reports_dir, 2022)
    manifest = version.manifest
    assert manifest["version"] == version.id
    assert manifest["digest"].startswith(version.id)
    assert manifest["parameters"] == {"year": 2022}
    assert manifest["git"]["commit"]
    assert isinstance(manifest["git"]["dirty"], bool)
    assert manifest["environment"]["python"].startswith("3.")
    assert manifest["environment"]["packages"]["pandas"]
    assert manifest["inputs"]["packages"]["pandas"]
    assert manifest["started_at"] <= manifest["finished_at"]
    assert set(NOTEBOOKS) <= set(manifest["seconds"])
    assert manifest["raw_years"] == list(YEARS)


def test_manifest_raw_checksums_match_files(history):
    manifest = latest_version(history.layout.reports_dir, 2022).manifest
    raw = manifest["inputs"]["raw"]
    for name, checksum in raw.items():
        assert sha256_of(history.layout.raw_dir / name) == checksum, name


def test_manifest_lists_version_files(history):
    version = latest_version(history.layout.reports_dir, 2022)
    files = version.manifest["files"]
    assert "lerarenkaart-2022.html" in files
    assert "tables/uptake_estimate.csv" in files
    assert "notebooks/03_report.ipynb" in files
    html = version.folder / "lerarenkaart-2022.html"
    assert files["lerarenkaart-2022.html"] == sha256_of(html)


def test_tables_exported_next_to_report(history):
    version = latest_version(history.layout.reports_dir, 2022)
    tables = version.folder / "tables"
    for name in ("pickup_by_province.csv", "uptake_estimate.csv", "findings.csv"):
        assert (tables / name).exists(), name
    package = json.loads((tables / "datapackage.json").read_text(encoding="utf-8"))
    assert package["name"] == "lerarenkaart-2022"
    page = (tables / "index.html").read_text(encoding="utf-8")
    assert 'href="pickup_by_province.csv"' in page


def test_explicit_default_same_version():
    layout = Layout.at(ROOT)
    default = plan_year(layout, 2022)
    explicit = plan_year(layout, 2022, {"proxy": "pupils"})
    assert explicit.version == default.version


def test_parameter_changes_version():
    layout = Layout.at(ROOT)
    default = plan_year(layout, 2022)
    population = plan_year(layout, 2022, {"proxy": "population"})
    assert population.version != default.version
    assert population.inputs["parameters"] == {"proxy": "population"}


def test_year_changes_version():
    layout = Layout.at(ROOT)
    assert plan_year(layout, 2021).version != plan_year(layout, 2022).version


def test_unknown_parameter_rejected():
    with pytest.raises(provenance.ParameterError, match="unknown notebook parameter"):
        plan_year(Layout.at(ROOT), 2022, {"proxi": "population"})


def test_runner_parameter_rejected():
    with pytest.raises(provenance.ParameterError, match="set by the runner"):
        plan_year(Layout.at(ROOT), 2022, {"processed_dir": "/tmp"})


def copy_project(target: Path) -> Layout:
    """Copy the files that shape a version to ``target`` and return its layout."""
    shutil.copytree(ROOT / "notebooks", target / "notebooks")
    shutil.copytree(ROOT / "src" / "helpers", target / "src" / "helpers")
    shutil.copytree(ROOT / "data" / "raw", target / "data" / "raw")
    shutil.copy2(ROOT / "requirements.lock", target / "requirements.lock")
    return Layout.at(target)


def test_helper_change_changes_version(tmp_path):
    layout = copy_project(tmp_path)
    before = plan_year(layout, 2022).version
    with open(layout.helpers_dir / "summary.py", "a", encoding="utf-8") as handle:
        handle.write("\n# a comment changes the source, so the version\n")
    assert plan_year(layout, 2022).version != before


def test_locked_version_changes_version(tmp_path):
    layout = copy_project(tmp_path)
    before = plan_year(layout, 2022).version
    lock = layout.lock_file.read_text(encoding="utf-8")
    pandas = next(line for line in lock.splitlines() if line.startswith("pandas=="))
    layout.lock_file.write_text(lock.replace(pandas, "pandas==0.0.1 \\"), "utf-8")
    assert plan_year(layout, 2022).version != before


def test_notebook_outputs_keep_version(tmp_path):
    layout = copy_project(tmp_path)
    before = plan_year(layout, 2022).version
    path = layout.notebooks_dir / "02_uptake.ipynb"
    notebook = json.loads(path.read_text(encoding="utf-8"))
    notebook["metadata"]["kernelspec"]["display_name"] = "another kernel name"
    notebook["cells"][2]["outputs"] = [{"output_type": "stream", "text": "x"}]
    path.write_text(json.dumps(notebook), encoding="utf-8")
    assert plan_year(layout, 2022).version == before


def test_notebook_source_changes_version(tmp_path):
    layout = copy_project(tmp_path)
    before = plan_year(layout, 2022).version
    path = layout.notebooks_dir / "02_uptake.ipynb"
    notebook = json.loads(path.read_text(encoding="utf-8"))
    notebook["cells"][2]["source"].append("\n# changed")
    path.write_text(json.dumps(notebook), encoding="utf-8")
    assert plan_year(layout, 2022).version != before


@pytest.mark.parametrize(
    ("stamp", "shown"),
    [
        ("2026-12-04T15:51:05+00:00", "2026-12-04 16:51 CET"),
        ("2026-07-04T15:51:05+00:00", "2026-07-04 17:51 CEST"),
        ("not a time", "not a time"),
    ],
)
def test_display_time_in_belgium(stamp, shown):
    assert display_time(stamp) == shown


def test_pages_load_nothing_from_outside(history):
    pages = sorted(history.layout.reports_dir.rglob("*.html"))
    assert len(pages) >= 9
    for page in pages:
        text = page.read_text(encoding="utf-8")
        for tag in re.findall(r"<[a-z]+[^>]*\b(?:src|href)=\"https?://[^>]*>", text):
            assert tag.startswith("<a "), f"{page}: {tag}"


def test_hidden_raw_file_keeps_version(tmp_path):
    layout = copy_project(tmp_path)
    before = plan_year(layout, 2022).version
    (layout.raw_dir / ".sources.yaml.swp").write_bytes(b"editor state")
    (layout.helpers_dir / "__pycache__").mkdir(exist_ok=True)
    (layout.helpers_dir / "__pycache__" / "x.pyc").write_bytes(b"bytecode")
    assert plan_year(layout, 2022).version == before


def test_helper_data_file_changes_version(tmp_path):
    layout = copy_project(tmp_path)
    before = plan_year(layout, 2022).version
    (layout.helpers_dir / "schema.yaml").write_text("columns: []\n", "utf-8")
    assert plan_year(layout, 2022).version != before
