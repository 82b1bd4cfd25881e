"""Concurrent runs on the same output folders: the lock makes the second run wait
(or stop with --lock-timeout 0), so two runs leave the same outputs as one."""

from __future__ import annotations

import pytest
from filelock import FileLock
from project_copy import copy_project, output_files, run_cli, runner_lines, start_cli

from lerarenkaart.locking import LOCK_NAME, RunLockedError, hold_run_lock


def test_two_runs_equal_one_run(tmp_path):
    single = copy_project(tmp_path / "single")
    result = run_cli(single, "run", "--all")
    assert result.returncode == 0, result.stderr

    double = copy_project(tmp_path / "double")
    runs = [start_cli(double, "run", "--all") for _ in range(2)]
    outcomes = [run.communicate(timeout=600) for run in runs]

    for run, (_, stderr) in zip(runs, outcomes, strict=True):
        assert run.returncode == 0, stderr
    message = "locked by another lerarenkaart run; waiting"
    waited = [stderr for _, stderr in outcomes if message in stderr]
    assert len(waited) == 1
    assert output_files(double) == output_files(single)
    assert not any((double / "reports" / ".staging").iterdir())


def test_held_lock_stops_run(tmp_path):
    root = copy_project(tmp_path / "project")
    reports = root / "reports"
    reports.mkdir()
    with FileLock(reports / LOCK_NAME):
        result = run_cli(root, "run", "--all", "--lock-timeout", "0")
    assert result.returncode == 75
    errors = [line for line in runner_lines(result.stderr) if "ERROR" in line]
    assert len(errors) == 1
    assert f"another lerarenkaart run is writing to {reports}" in errors[0]
    assert "Traceback" not in result.stderr
    assert not (reports / "2022").exists()


def test_lock_timeout_gives_up(tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    with FileLock(folder / LOCK_NAME), pytest.raises(RunLockedError) as error:
        with hold_run_lock([folder], timeout=0.5):
            pass
    assert "after waiting 0.5 s" in str(error.value)


def test_lock_is_released_after_run(tmp_path):
    folders = [tmp_path / "processed", tmp_path / "reports"]
    with hold_run_lock(folders, timeout=0):
        assert (tmp_path / "reports" / LOCK_NAME).exists()
    with hold_run_lock(folders, timeout=0):
        pass


def test_lock_released_after_error(tmp_path):
    folder = tmp_path / "reports"
    with pytest.raises(KeyError), hold_run_lock([folder], timeout=0):
        raise KeyError("failed run")
    with hold_run_lock([folder], timeout=0):
        assert (folder / LOCK_NAME).exists()
