"""Notebook parameters: typed and documented, and checked before the runner starts."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import papermill
import pytest

from lerarenkaart import provenance
from lerarenkaart.layout import NOTEBOOKS
from lerarenkaart.parameters import check_parameter_types, inspect_parameters

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS_DIR = ROOT / "notebooks"
TYPES = {"int", "float", "str", "Optional[float]"}


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_parameters_have_type_and_help(name):
    inspected = papermill.inspect_notebook(str(NOTEBOOKS_DIR / name))
    assert inspected, f"{name} has no cell tagged parameters"
    for parameter, info in inspected.items():
        assert info["inferred_type_name"] in TYPES, parameter
        assert info["help"].strip(), parameter


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_help_notebook_lists_parameters(name):
    papermill_command = Path(sys.executable).parent / "papermill"
    result = subprocess.run(
        [str(papermill_command), "--help-notebook", str(NOTEBOOKS_DIR / name)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "Unknown type" not in result.stdout
    for parameter, info in papermill.inspect_notebook(
        str(NOTEBOOKS_DIR / name)
    ).items():
        assert f"{parameter}: {info['inferred_type_name']}" in result.stdout


def test_readme_documents_every_parameter():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in inspect_parameters(NOTEBOOKS_DIR):
        assert f"| `{name}` |" in readme, name


def test_annotated_parameters_are_declared():
    declared = provenance.declared_parameters(NOTEBOOKS_DIR / "02_uptake.ipynb")
    assert declared["year"] == 2022
    assert declared["proxy"] == "pupils"
    assert declared["held_share"] is None
    assert set(declared) == set(
        papermill.inspect_notebook(str(NOTEBOOKS_DIR / "02_uptake.ipynb"))
    )


def test_inspect_parameters_gives_types():
    described = inspect_parameters(NOTEBOOKS_DIR)
    assert described["year"]["inferred_type_name"] == "int"
    assert described["held_share"]["inferred_type_name"] == "Optional[float]"
    assert described["proxy"]["inferred_type_name"] == "str"


def test_matching_types_pass():
    check_parameter_types({"proxy": "population", "held_share": 0.7}, NOTEBOOKS_DIR)
    check_parameter_types({"held_share": 1}, NOTEBOOKS_DIR)
    check_parameter_types({}, NOTEBOOKS_DIR)


def test_unknown_name_left_to_provenance():
    check_parameter_types({"proxi": 3}, NOTEBOOKS_DIR)


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [("held_share", "two thirds", "float"), ("proxy", 3, "str")],
)
def test_wrong_type_is_rejected(name, value, expected):
    with pytest.raises(provenance.ParameterError) as error:
        check_parameter_types({name: value}, NOTEBOOKS_DIR)
    message = str(error.value)
    assert f"invalid value {value!r} for parameter {name!r}" in message
    assert f"expected {expected}" in message


def run_cli(tmp_path, *arguments: str) -> subprocess.CompletedProcess:
    environment = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.run(
        [
            sys.executable,
            "-m",
            "lerarenkaart.cli",
            "--root",
            str(ROOT),
            "run",
            "--year",
            "2022",
            "--reports-dir",
            str(tmp_path / "reports"),
            "--processed-dir",
            str(tmp_path / "processed"),
            *arguments,
        ],
        capture_output=True,
        text=True,
        env=environment,
        timeout=300,
        check=False,
    )


def error_lines(result: subprocess.CompletedProcess) -> list[str]:
    return [line for line in result.stderr.splitlines() if line.startswith("ERROR")]


def test_cli_rejects_unknown_parameter(tmp_path):
    result = run_cli(tmp_path, "--param", "proxi=population")
    errors = error_lines(result)
    assert result.returncode == 2
    assert len(errors) == 1
    assert "unknown notebook parameter 'proxi'" in errors[0]
    assert "the notebooks declare:" in errors[0]
    assert "held_share" in errors[0]
    assert not (tmp_path / "reports").exists()


def test_cli_rejects_wrong_type(tmp_path):
    result = run_cli(tmp_path, "--param", "held_share=most")
    errors = error_lines(result)
    assert result.returncode == 2
    assert len(errors) == 1
    assert (
        "invalid value 'most' for parameter 'held_share': expected float" in (errors[0])
    )
    assert not (tmp_path / "reports").exists()
