"""Parallel and Dask builds of several years, and the reuse of existing versions.

The builds here run the real notebooks on the shipped data. The Dask cluster is a
LocalCluster on 127.0.0.1 with two single-threaded worker processes, the set-up the
README recommends for a real cluster.
"""

from __future__ import annotations

import json
import logging
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

from lerarenkaart import build, scheduling
from lerarenkaart.build import plan_year
from lerarenkaart.cli import main
from lerarenkaart.layout import MANIFEST, NOTEBOOKS, TABLES, Layout

ROOT = Path(__file__).resolve().parents[1]
YEARS = [2021, 2022]


class RecordList(logging.Handler):
    """Keep every record that reaches the root logger."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)

    def messages(self) -> list[str]:
        return [record.getMessage() for record in self.records]


def temporary_layout(base: Path) -> Layout:
    return Layout.at(
        ROOT, processed_dir=base / "processed", reports_dir=base / "reports"
    )


def plans_of(layout: Layout, parameters: dict | None = None) -> list:
    return [plan_year(layout, year, parameters) for year in YEARS]


def version_outputs(layout: Layout, outcome) -> dict[str, object]:
    """Return what must not depend on where a year was built.

    The HTML and executed notebooks carry build times and random cell ids, so they
    are compared through the tables and the manifest's digest and inputs.
    """
    result = outcome.result
    folder = layout.version_dir(result.year, result.version)
    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    outputs: dict[str, object] = {
        "version": result.version,
        "digest": manifest["digest"],
        "inputs": manifest["inputs"],
        "files": sorted(manifest["files"]),
    }
    for path in sorted((folder / TABLES).iterdir()):
        outputs[f"{TABLES}/{path.name}"] = path.read_bytes()
    processed = layout.processed_dir / str(result.year)
    for path in sorted(processed.iterdir()):
        outputs[f"processed/{path.name}"] = path.read_bytes()
    return outputs


@pytest.fixture(scope="module")
def logged():
    """Collect the log records of the module's builds, at INFO and above."""
    handler = RecordList()
    root = logging.getLogger()
    level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    yield handler
    root.removeHandler(handler)
    root.setLevel(level)


@pytest.fixture(scope="module")
def local_run(tmp_path_factory, logged):
    """Build both years in two worker processes; return the layout and outcomes."""
    layout = temporary_layout(tmp_path_factory.mktemp("local"))
    outcomes = scheduling.run_plans(layout, plans_of(layout), jobs=2)
    return layout, outcomes


def test_parallel_run_builds_each_year(local_run):
    layout, outcomes = local_run
    assert [outcome.year for outcome in outcomes] == YEARS
    for outcome in outcomes:
        assert not outcome.failed, outcome.error
        assert outcome.result.built
        assert outcome.result.html == layout.report_html(
            outcome.year, outcome.result.version
        )
        assert outcome.result.html.exists()
        notebooks = [name for name in outcome.result.seconds if name in NOTEBOOKS]
        assert notebooks == list(NOTEBOOKS)


def test_worker_logs_reach_parent(local_run, logged):
    messages = logged.messages()
    for year in YEARS:
        for notebook in NOTEBOOKS:
            assert any(
                message.startswith(f"{year}: running {notebook}")
                for message in messages
            ), f"no log line for {notebook} of {year}"


def test_progress_counts_years_and_notebooks(local_run, logged):
    messages = logged.messages()
    assert any("1 of 2 years done, 3 of 6 notebooks run" in m for m in messages)
    assert any("2 of 2 years done, 6 of 6 notebooks run" in m for m in messages)


def test_unchanged_rebuild_builds_nothing(local_run):
    layout, built = local_run
    before = {
        year: layout.report_html(year, outcome.result.version).stat().st_mtime_ns
        for year, outcome in zip(YEARS, built, strict=True)
    }
    plans = plans_of(layout)
    assert all(plan.existing is not None for plan in plans)

    outcomes = scheduling.run_plans(layout, plans, jobs=2)

    assert [outcome.failed for outcome in outcomes] == [False, False]
    assert [outcome.result.built for outcome in outcomes] == [False, False]
    versions = [outcome.result.version for outcome in outcomes]
    assert versions == [outcome.result.version for outcome in built]
    after = {
        year: layout.report_html(year, outcome.result.version).stat().st_mtime_ns
        for year, outcome in zip(YEARS, outcomes, strict=True)
    }
    assert after == before


def test_dask_run_matches_local_run(local_run, tmp_path):
    distributed = pytest.importorskip("distributed")
    layout, local_outcomes = local_run
    on_dask = temporary_layout(tmp_path)

    with distributed.LocalCluster(
        host="127.0.0.1",
        processes=True,
        n_workers=2,
        threads_per_worker=1,
        dashboard_address=None,
    ) as cluster:
        outcomes = scheduling.run_plans(
            on_dask, plans_of(on_dask), scheduler=cluster.scheduler_address
        )

    assert [outcome.failed for outcome in outcomes] == [False, False]
    for local, remote in zip(local_outcomes, outcomes, strict=True):
        expected = version_outputs(layout, local)
        produced = version_outputs(on_dask, remote)
        assert sorted(produced) == sorted(expected)
        for name, content in expected.items():
            assert produced[name] == content, f"{remote.year}: {name} differs"


def test_unreachable_scheduler_raises(tmp_path, monkeypatch):
    monkeypatch.setattr(scheduling, "SCHEDULER_TIMEOUT", "1s")
    layout = temporary_layout(tmp_path)

    with pytest.raises(scheduling.SchedulerError) as failure:
        scheduling.run_plans(layout, plans_of(layout), scheduler="tcp://127.0.0.1:9")

    assert "tcp://127.0.0.1:9" in str(failure.value)


def test_failed_years_are_outcomes(tmp_path):
    layout = temporary_layout(tmp_path)

    outcomes = scheduling.run_plans(
        layout, plans_of(layout, {"proxy": "nonsense"}), jobs=2
    )

    assert [outcome.year for outcome in outcomes] == YEARS
    for outcome in outcomes:
        assert outcome.failed
        assert outcome.result is None
        assert "02_uptake.ipynb" in outcome.error
        assert "unknown proxy 'nonsense'" in outcome.error
        assert not (layout.reports_dir / str(outcome.year)).exists()


def test_missing_project_is_reported(tmp_path):
    layout = temporary_layout(tmp_path)
    plan = plan_year(layout, 2022)
    elsewhere = Layout.at(tmp_path / "elsewhere", reports_dir=tmp_path / "reports")

    outcome = scheduling.run_plan_task(elsewhere, plan, cell_timeout=60)

    assert outcome.failed
    assert "not found on host" in outcome.error
    assert "shared file system" in outcome.error


@pytest.mark.parametrize(
    "options",
    [
        ["--jobs", "0"],
        ["--jobs", "two"],
        ["--jobs", "2", "--scheduler", "tcp://127.0.0.1:8786"],
    ],
)
def test_invalid_run_options_rejected(options, capsys):
    with pytest.raises(SystemExit) as exit_status:
        main(["--root", str(ROOT), "run", "--all", *options])
    assert exit_status.value.code == 2
    assert "--jobs" in capsys.readouterr().err


def finished_pid() -> int:
    """Return the process id of a process that has ended."""
    child = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(child.stdout)


def test_other_hosts_staging_is_kept(tmp_path):
    layout = temporary_layout(tmp_path)
    pid = finished_pid()
    here = layout.staging_dir / build.staging_name(2021, pid)
    elsewhere = layout.staging_dir / f"2022-worker-node-7-{pid}"
    here.mkdir(parents=True)
    elsewhere.mkdir()

    build._remove_stale_staging(layout)

    assert not here.exists()
    assert elsewhere.exists()


class FlakyBuild:
    """A stand-in for build_plan that raises ``errors`` in turn, then succeeds."""

    def __init__(self, *errors: Exception) -> None:
        self.errors = list(errors)
        self.calls = 0

    def __call__(self, layout, plan, *, cell_timeout):
        self.calls += 1
        if self.errors:
            raise self.errors.pop(0)
        return f"built {plan.year}"


def test_failed_kernel_start_is_retried(tmp_path, monkeypatch):
    failure = RuntimeError(scheduling.KERNEL_START_FAILURE)
    flaky = FlakyBuild(failure, failure)
    monkeypatch.setattr(build, "build_plan", flaky)
    plan = SimpleNamespace(year=2022)

    outcome = scheduling.run_plan_task(temporary_layout(tmp_path), plan, 60)

    assert not outcome.failed, outcome.error
    assert outcome.result == "built 2022"
    assert flaky.calls == 3


def test_kernel_start_retries_are_limited(tmp_path, monkeypatch):
    failure = RuntimeError(scheduling.KERNEL_START_FAILURE)
    attempts = scheduling.KERNEL_START_ATTEMPTS
    flaky = FlakyBuild(*[failure] * attempts)
    monkeypatch.setattr(build, "build_plan", flaky)
    plan = SimpleNamespace(year=2022)

    outcome = scheduling.run_plan_task(temporary_layout(tmp_path), plan, 60)

    assert outcome.failed
    assert scheduling.KERNEL_START_FAILURE in outcome.error
    assert flaky.calls == attempts


def test_other_errors_are_not_retried(tmp_path, monkeypatch):
    flaky = FlakyBuild(RuntimeError("something else broke"))
    monkeypatch.setattr(build, "build_plan", flaky)
    plan = SimpleNamespace(year=2022)

    outcome = scheduling.run_plan_task(temporary_layout(tmp_path), plan, 60)

    assert outcome.failed
    assert "something else broke" in outcome.error
    assert flaky.calls == 1
