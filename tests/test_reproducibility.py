"""Same inputs, same outputs: two builds, another matplotlib backend, a JupyterLab run.

Every year is built twice into separate folders, the second time with MPLBACKEND=Agg,
under which ``plt.show`` would draw nothing. Both builds must get the same version id,
byte-identical processed tables, the same report HTML apart from the build time, and
executed notebooks with the same outputs.
"""

from __future__ import annotations

import base64
import json
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import nbformat
import papermill
import pytest
from jupyter_client.manager import start_new_kernel
from nbclient import NotebookClient

from helpers import raw
from lerarenkaart.build import YearResult, build_year
from lerarenkaart.index import write_index
from lerarenkaart.kernel import ensure_kernel
from lerarenkaart.layout import EXECUTED, NOTEBOOKS, REPORT_NOTEBOOK, Layout

ROOT = Path(__file__).resolve().parents[1]
YEARS = raw.available_years(ROOT / "data" / "raw")
SVG_FIGURE = re.compile(
    r'<img class="report-figure" alt="[^"]*" src="data:image/svg\+xml;base64,([^"]+)">'
)
# The version line and the index show when a version was built, to the minute.
BUILD_TIME = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d (?:CES?T|UTC)")


@dataclass
class Build:
    """Every year built once into its own processed and reports folders."""

    layout: Layout
    results: dict[int, YearResult]

    def html(self, year: int) -> Path:
        return self.results[year].html

    def executed(self, year: int, name: str) -> nbformat.NotebookNode:
        path = self.html(year).parent / EXECUTED / name
        return nbformat.read(path, as_version=4)


def build_all(base: Path) -> Build:
    layout = Layout.at(
        ROOT, processed_dir=base / "processed", reports_dir=base / "reports"
    )
    results = {year: build_year(layout, year) for year in YEARS}
    write_index(layout.reports_dir)
    return Build(layout, results)


@pytest.fixture(scope="module")
def first(tmp_path_factory) -> Build:
    with pytest.MonkeyPatch.context() as patch:
        patch.delenv("MPLBACKEND", raising=False)
        return build_all(tmp_path_factory.mktemp("first"))


@pytest.fixture(scope="module")
def agg(tmp_path_factory) -> Build:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MPLBACKEND", "Agg")
        return build_all(tmp_path_factory.mktemp("agg"))


def files_under(folder: Path) -> dict[str, bytes]:
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def without_build_time(path: Path) -> str:
    return BUILD_TIME.sub("<build time>", path.read_text(encoding="utf-8"))


def cell_outputs(build: Build, year: int, name: str) -> list[str]:
    """Return each executed cell's source, execution count and outputs as JSON.

    Run metadata (start times, durations) and cell ids are left out, and so is the
    injected parameters cell, which names the build's own folders. A staging folder
    path in an output becomes ``<staging>``, because it contains the host name and the
    process id.
    """
    staging = re.compile(re.escape(str(build.layout.staging_dir)) + r"/\d+-[^/]+-\d+")
    cells = []
    for cell in build.executed(year, name).cells:
        if "injected-parameters" in cell.metadata.get("tags", []):
            continue
        content = [cell.source, cell.get("execution_count"), cell.get("outputs")]
        cells.append(staging.sub("<staging>", json.dumps(content, sort_keys=True)))
    return cells


def figures_in(notebook: nbformat.NotebookNode) -> list[bytes]:
    """Return the decoded SVG of every report figure in the notebook's outputs."""
    found = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            html = output.get("data", {}).get("text/html", "")
            found.extend(base64.b64decode(data) for data in SVG_FIGURE.findall(html))
    return found


@pytest.mark.parametrize("year", YEARS)
def test_same_version_id(first, agg, year):
    assert first.results[year].built
    assert agg.results[year].built
    assert first.results[year].version == agg.results[year].version


@pytest.mark.parametrize("year", YEARS)
def test_processed_tables_identical(first, agg, year):
    one = files_under(first.layout.processed_dir / str(year))
    two = files_under(agg.layout.processed_dir / str(year))
    assert sorted(one) == sorted(two)
    assert "datapackage.json" in one
    for name in one:
        assert one[name] == two[name], f"{year}/{name} differs between builds"


@pytest.mark.parametrize("year", YEARS)
def test_report_html_identical(first, agg, year):
    one = without_build_time(first.html(year))
    two = without_build_time(agg.html(year))
    assert "<build time>" in one
    assert one == two


def test_index_identical(first, agg):
    one = without_build_time(first.layout.reports_dir / "index.html")
    two = without_build_time(agg.layout.reports_dir / "index.html")
    assert one == two


@pytest.mark.parametrize("year", YEARS)
@pytest.mark.parametrize("name", NOTEBOOKS)
def test_executed_outputs_identical(first, agg, year, name):
    one = cell_outputs(first, year, name)
    two = cell_outputs(agg, year, name)
    assert len(one) == len(two)
    for index, (cell_one, cell_two) in enumerate(zip(one, two, strict=True)):
        assert cell_one == cell_two, f"{name} cell {index} differs for {year}"


@pytest.mark.parametrize("year", YEARS)
def test_figures_render_under_agg(agg, first, year):
    figures = figures_in(agg.executed(year, REPORT_NOTEBOOK))
    html = first.html(year).read_text(encoding="utf-8")
    assert figures
    assert len(figures) == html.count('class="report-figure"')
    for svg in figures:
        assert svg.startswith(b"<?xml")
        assert b"<svg" in svg
        assert b"<dc:date>" not in svg


def test_agg_backend_reaches_kernel(monkeypatch):
    monkeypatch.setenv("MPLBACKEND", "Agg")
    manager, client = start_new_kernel(kernel_name=ensure_kernel())
    try:
        printed = []

        def collect(message):
            if message["msg_type"] == "stream":
                printed.append(message["content"]["text"])

        client.execute_interactive(
            "import matplotlib; print(matplotlib.get_backend())",
            output_hook=collect,
            timeout=60,
        )
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)
    assert "".join(printed).strip().lower() == "agg"


def test_default_run_matches_runner(first, tmp_path):
    """Run the notebooks as JupyterLab does: in notebooks/ of a copy, with their
    default parameters, in the kernel their metadata names."""
    shutil.copytree(ROOT / "notebooks", tmp_path / "notebooks")
    shutil.copytree(ROOT / "data" / "raw", tmp_path / "data" / "raw")
    default_year = int(
        papermill.inspect_notebook(str(ROOT / "notebooks" / NOTEBOOKS[0]))["year"][
            "default"
        ]
    )
    assert default_year in YEARS

    for name in NOTEBOOKS:
        notebook = nbformat.read(tmp_path / "notebooks" / name, as_version=4)
        client = NotebookClient(
            notebook,
            timeout=600,
            resources={"metadata": {"path": str(tmp_path / "notebooks")}},
        )
        client.execute()
        assert client.kernel_name == "lerarenkaart"

    interactive = files_under(tmp_path / "data" / "processed" / str(default_year))
    runner = files_under(first.layout.processed_dir / str(default_year))
    assert sorted(interactive) == sorted(runner)
    for name in runner:
        assert interactive[name] == runner[name], f"{name} differs from the runner's"
