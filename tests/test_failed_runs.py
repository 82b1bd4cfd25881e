"""Runs in which one year's notebook fails: by an exception, a dead kernel or a cell
that runs too long. The other year is still built, the failed notebook is kept
under reports/_failed/<year>/, the message names the cell, the exit status is 1, and
nothing built earlier is replaced."""

from __future__ import annotations

import time

import nbformat
import pytest
from project_copy import (
    break_notebook,
    copy_project,
    output_files,
    run_cli,
    runner_lines,
)

from lerarenkaart.build import NotebookFailedError, build_year
from lerarenkaart.layout import Layout


@pytest.fixture
def broken_root(tmp_path):
    root = copy_project(tmp_path / "project")
    cell = break_notebook(root, "02_uptake.ipynb")
    return root, cell


def error_lines(result) -> list[str]:
    return [
        line
        for line in result.stderr.splitlines()
        if line.startswith("ERROR lerarenkaart")
    ]


def test_failed_year_keeps_earlier_output(broken_root):
    root, cell = broken_root
    first = run_cli(root, "run", "--all")
    assert first.returncode == 0, first.stderr
    built = output_files(root)

    result = run_cli(
        root, "run", "--all", "--param", "fail_year=2021", "--param", "fail_mode=raise"
    )

    assert result.returncode == 1
    errors = error_lines(result)
    assert errors[0].startswith(
        "ERROR lerarenkaart.scheduling: year 2021, notebook 02_uptake.ipynb, "
        f"cell In [{cell}]: RuntimeError: broken on purpose"
    )
    assert not any("Traceback" in line for line in runner_lines(result.stderr))
    assert "2022: built version" in result.stderr
    after = output_files(root)
    for name, content in built.items():
        if "2021" in name:
            assert after[name] == content, f"{name} was replaced"
    kept = root / "reports" / "_failed" / "2021" / "02_uptake.ipynb"
    notebook = nbformat.read(kept, as_version=4)
    errors_in_copy = [
        output["ename"]
        for cell in notebook.cells
        for output in cell.get("outputs", [])
        if output.get("output_type") == "error"
    ]
    assert errors_in_copy == ["RuntimeError"]
    assert not any((root / "reports" / ".staging").iterdir())


def test_dead_kernel_fails_one_year(broken_root):
    root, cell = broken_root
    started = time.monotonic()
    result = run_cli(
        root,
        "run",
        "--all",
        "--cell-timeout",
        "300",
        "--param",
        "fail_year=2021",
        "--param",
        "fail_mode=kill",
    )
    elapsed = time.monotonic() - started

    assert result.returncode == 1
    errors = error_lines(result)
    assert "year 2021, notebook 02_uptake.ipynb, cell " in errors[0]
    assert "DeadKernelError: the kernel died" in errors[0]
    assert not any("Traceback" in line for line in runner_lines(result.stderr))
    assert len(list((root / "reports" / "2022").glob("*/lerarenkaart-2022.html"))) == 1
    assert not list((root / "reports").glob("2021/*/lerarenkaart-2021.html"))
    assert (root / "reports" / "_failed" / "2021" / "02_uptake.ipynb").exists()
    # A run that waited for the dead kernel would only stop at the cell timeout.
    assert elapsed < 300


def test_exited_kernel_names_cell(broken_root):
    root, cell = broken_root
    layout = Layout.at(root)
    with pytest.raises(NotebookFailedError) as failure:
        build_year(layout, 2022, {"fail_year": 2022, "fail_mode": "exit"})
    assert failure.value.notebook == "02_uptake.ipynb"
    # The kernel may die before it reports the execution count of the cell.
    assert failure.value.cell in (cell, None)
    assert failure.value.position is not None
    assert "DeadKernelError" in failure.value.error
    kept = nbformat.read(failure.value.kept_at, as_version=4)
    marked = [
        output["ename"]
        for notebook_cell in kept.cells
        for output in notebook_cell.get("outputs", [])
        if output.get("output_type") == "error"
    ]
    assert marked == ["DeadKernelError"]


def test_cell_timeout_fails_one_year(broken_root):
    root, cell = broken_root
    started = time.monotonic()
    result = run_cli(
        root,
        "run",
        "--year",
        "2022",
        "--cell-timeout",
        "5",
        "--param",
        "fail_year=2022",
        "--param",
        "fail_mode=sleep",
    )
    elapsed = time.monotonic() - started

    assert result.returncode == 1
    errors = error_lines(result)
    assert f"year 2022, notebook 02_uptake.ipynb, cell In [{cell}]" in errors[0]
    assert "CellTimeoutError: the cell timed out after 5 s" in errors[0]
    assert not any("Traceback" in line for line in runner_lines(result.stderr))
    # The failing cell sleeps 600 s, so only the 5 s timeout can end it this soon.
    assert elapsed < 120
