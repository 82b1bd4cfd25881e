""".ci/run and the hosted workflow: one notebook run per year, failures located."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import nbformat
import yaml

from helpers import raw

ROOT = Path(__file__).resolve().parents[1]
YEARS = raw.available_years(ROOT / "data" / "raw")
BROKEN_NOTEBOOK = "02_uptake.ipynb"


def copy_project(target: Path) -> Path:
    """Copy what .ci/run's notebooks stage reads, and link the installed .venv.

    The runner names a report version by a digest over the raw files, notebooks,
    helper sources and requirements.lock, so all of them are copied.
    """
    for folder in (".ci", "notebooks", "data/raw"):
        shutil.copytree(ROOT / folder, target / folder)
    shutil.copytree(
        ROOT / "src",
        target / "src",
        ignore=shutil.ignore_patterns("*.egg-info", "__pycache__"),
    )
    for name in ("pyproject.toml", "requirements.lock"):
        shutil.copy2(ROOT / name, target / name)
    (target / ".venv").symlink_to(ROOT / ".venv")
    return target


def run_ci(
    root: Path, *arguments: str, output: Path | None = None
) -> subprocess.CompletedProcess:
    environment = {
        name: value
        for name, value in os.environ.items()
        if name not in {"LERARENKAART_ROOT", "CI_NOTEBOOKS_DIR"}
    }
    if output is not None:
        environment["CI_NOTEBOOKS_DIR"] = str(output)
    return subprocess.run(
        ["bash", str(root / ".ci" / "run"), *arguments],
        cwd=root,
        env=environment,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )


def test_broken_notebook_names_year_and_cell(tmp_path):
    root = copy_project(tmp_path / "clone")
    path = root / "notebooks" / BROKEN_NOTEBOOK
    notebook = nbformat.read(path, as_version=4)
    notebook.cells.append(
        nbformat.v4.new_code_cell('raise RuntimeError("broken on purpose")')
    )
    nbformat.write(notebook, path)
    # Papermill counts its injected parameters cell, so the last cell runs as
    # In [code cells + 1].
    code_cells = sum(cell.cell_type == "code" for cell in notebook.cells)

    output = tmp_path / "notebooks"
    result = run_ci(root, "notebooks", output=output)

    assert result.returncode == 1
    for year in YEARS:
        assert f"notebooks {year}: FAILED" in result.stdout
        located = re.search(
            rf"year {year}, notebook {re.escape(BROKEN_NOTEBOOK)}, "
            rf"cell In \[(\d+)\]: RuntimeError: broken on purpose",
            result.stdout,
        )
        assert located, result.stdout
        assert int(located.group(1)) == code_cells + 1
        failed = output / str(year) / "reports" / "_failed" / str(year)
        assert (failed / BROKEN_NOTEBOOK).exists()
    assert "notebook runs failed for year " + " ".join(map(str, YEARS)) + ";" in (
        result.stderr
    )


def test_notebooks_stage_runs_one_year(tmp_path):
    root = copy_project(tmp_path / "clone")

    output = tmp_path / "notebooks"
    result = run_ci(root, "notebooks", str(YEARS[0]), output=output)

    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines() == [f"notebooks {YEARS[0]}: ok"]
    year = str(YEARS[0])
    reports = output / year / "reports" / year
    assert list(reports.glob(f"*/lerarenkaart-{year}.html"))
    assert not (output / str(YEARS[-1])).exists()


def test_unknown_stage_prints_usage():
    result = run_ci(ROOT, "deploy")
    assert result.returncode == 2
    assert "usage: .ci/run" in result.stderr


def test_ci_run_calls_readme_test_command():
    script = (ROOT / ".ci" / "run").read_text()
    readme = (ROOT / "README.md").read_text()
    assert "make test" in readme
    assert re.search(r"^\s+make lint\n\s+make test\n\s+run_notebooks$", script, re.M)


def test_workflow_mirrors_ci_run():
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "ci.yml").read_text())
    jobs = workflow["jobs"]
    checks = [step.get("run", "") for step in jobs["checks"]["steps"]]
    notebooks = [step.get("run", "") for step in jobs["notebooks"]["steps"]]
    assert ".ci/run lint" in checks
    assert ".ci/run test" in checks
    assert ".ci/run notebooks ${{ matrix.year }}" in notebooks
    assert jobs["notebooks"]["needs"] == "checks"
    matrix = jobs["notebooks"]["strategy"]["matrix"]["year"]
    assert matrix == "${{ fromJSON(needs.checks.outputs.years) }}"
