"""The lerarenkaart command line: one-line errors on bad input, no traceback."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from helpers.manifest import write_checksums

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
