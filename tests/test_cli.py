"""The lerarenkaart command line: one-line errors on bad input, no traceback."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers.manifest import write_checksums
from lerarenkaart import cli

ROOT = Path(__file__).resolve().parents[1]


def run_cli(*arguments: str) -> subprocess.CompletedProcess:
    environment = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.run(
        [sys.executable, "-m", "lerarenkaart.cli", "--root", str(ROOT), *arguments],
        capture_output=True,
        text=True,
        env=environment,
        timeout=300,
        check=False,
    )


def copy_raw(tmp_path: Path) -> Path:
    raw = tmp_path / "raw"
    shutil.copytree(ROOT / "data" / "raw", raw)
    return raw


def run_2022_on(raw: Path, tmp_path: Path) -> tuple[subprocess.CompletedProcess, list]:
    """Build 2022 from ``raw``; return the result and its ERROR lines."""
    result = run_cli(
        "run",
        "--year",
        "2022",
        "--raw-dir",
        str(raw),
        "--reports-dir",
        str(tmp_path / "reports"),
    )
    errors = [line for line in result.stderr.splitlines() if line.startswith("ERROR")]
    return result, errors


def test_years_lists_raw_years():
    result = run_cli("years")
    assert result.returncode == 0
    assert result.stdout.split() == ["2021", "2022"]


def test_checksums_match_manifest():
    result = run_cli("checksums")
    assert result.returncode == 0


def test_changed_raw_file_is_named(tmp_path):
    raw = copy_raw(tmp_path)
    path = raw / "cards_by_channel.csv"
    path.write_text(path.read_text().replace("25.479", "25.470"))
    result = run_cli(
        "run",
        "--all",
        "--raw-dir",
        str(raw),
        "--reports-dir",
        str(tmp_path / "reports"),
    )
    assert result.returncode == 2
    assert "cards_by_channel.csv" in result.stderr
    assert "sha256 differs" in result.stderr
    assert "Traceback" not in result.stderr


def test_negative_count_is_one_line(tmp_path):
    raw = copy_raw(tmp_path)
    path = raw / "pickup_cards_by_province.csv"
    path.write_text(path.read_text().replace("Limburg,24564", "Limburg,-24564"))
    write_checksums(raw)
    result, errors = run_2022_on(raw, tmp_path)
    assert result.returncode == 2
    assert len(errors) == 1
    assert "pickup_cards_by_province.csv, row 3, column '2021'" in errors[0]
    assert "-24564" in errors[0]
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "reports").exists()


def test_unknown_year_lists_available(tmp_path):
    result = run_cli("run", "--year", "2019", "--reports-dir", str(tmp_path / "r"))
    assert result.returncode == 2
    assert "available years: 2021, 2022" in result.stderr


def test_unknown_parameter_is_one_line(tmp_path):
    result = run_cli(
        "run",
        "--year",
        "2022",
        "--param",
        "proxi=population",
        "--reports-dir",
        str(tmp_path / "reports"),
    )
    errors = [line for line in result.stderr.splitlines() if line.startswith("ERROR")]
    assert result.returncode == 2
    assert len(errors) == 1
    assert "unknown notebook parameter 'proxi'" in errors[0]
    assert "proxy" in errors[0]
    assert "Traceback" not in result.stderr


def test_debug_shows_traceback(tmp_path):
    raw = copy_raw(tmp_path)
    path = raw / "cards_by_channel.csv"
    path.write_text(path.read_text().replace("25.479", "25.470"))
    result = run_cli(
        "--debug",
        "run",
        "--all",
        "--raw-dir",
        str(raw),
        "--reports-dir",
        str(tmp_path / "reports"),
    )
    assert result.returncode != 0
    assert "Traceback" in result.stderr
    assert "RawDataError" in result.stderr


def test_unexpected_error_is_one_line(monkeypatch, caplog, capsys):
    def fail(arguments, layout):
        raise RuntimeError("something unforeseen")

    monkeypatch.setattr(cli, "_run", fail)
    status = cli.main(["--root", str(ROOT), "run", "--all"])
    errors = [record for record in caplog.records if record.levelname == "ERROR"]
    assert status == 1
    assert len(errors) == 1
    assert "RuntimeError: something unforeseen" in errors[0].getMessage()
    assert "run again with --debug" in errors[0].getMessage()
    assert "Traceback" not in capsys.readouterr().err


def test_unexpected_error_raises_with_debug(monkeypatch):
    def fail(arguments, layout):
        raise RuntimeError("something unforeseen")

    monkeypatch.setattr(cli, "_run", fail)
    with pytest.raises(RuntimeError, match="something unforeseen"):
        cli.main(["--root", str(ROOT), "--debug", "run", "--all"])


def test_raw_schema_error_is_one_line(tmp_path):
    raw = copy_raw(tmp_path)
    path = raw / "cards_per_year.csv"
    path.write_text(path.read_text().replace("2022,text,", "2022,tekst,"))
    write_checksums(raw)
    result, errors = run_2022_on(raw, tmp_path)
    assert result.returncode == 2
    assert len(errors) == 1
    assert "cards_per_year.csv, row 4, column 'statement'" in errors[0]
    assert "expected one of: text, table_total_entitled" in errors[0]
    assert "Traceback" not in result.stderr
