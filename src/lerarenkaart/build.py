"""Build a year's report as a new version, or find that the version exists already.

A version is identified by the digest of its inputs (see provenance.py). When a
folder ``reports/<year>/<version>/`` with that id exists, nothing is executed: the
year's pointer is set to it and the build ends. Otherwise the three notebooks run in a
staging folder under ``reports/.staging/``, which receives the processed tables, the
executed notebooks, the HTML report, the tables as CSV and the manifest. Only when all
of that is written is the staging folder renamed to the new version folder. The
pointer is moved and ``data/processed/<year>/`` replaced after that rename, so a failed
or killed build leaves every earlier version and the pointer as they were.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
import socket
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from lerarenkaart import provenance
from lerarenkaart.kernel import ensure_kernel
from lerarenkaart.layout import (
    EXECUTED,
    MANIFEST,
    NOTEBOOKS,
    REPORT_NOTEBOOK,
    TABLES,
    Layout,
    inside,
    report_name,
)
from lerarenkaart.versions import (
    Version,
    display_time,
    find_version,
    latest_version,
    list_years,
    write_year_pointer,
)

log = logging.getLogger(__name__)


class NotebookFailedError(RuntimeError):
    """A notebook that raised, timed out or lost its kernel while papermill ran it.

    ``cell`` is the execution count that Jupyter shows as In [N] in the executed copy.
    A cell whose kernel died may have no execution count, and then ``position`` is
    its place in the executed copy, counting from 1.
    """

    def __init__(
        self,
        year: int,
        notebook: str,
        cell: int | None,
        error: str,
        kept_at: Path | None,
        *,
        position: int | None = None,
    ) -> None:
        self.year, self.notebook, self.cell, self.error = year, notebook, cell, error
        self.kept_at, self.position = kept_at, position
        where = f"year {year}, notebook {notebook}"
        if cell is not None:
            where += f", cell In [{cell}]"
        elif position is not None:
            where += f", cell {position} of the executed copy"
        kept = f" (executed copy kept at {kept_at})" if kept_at else ""
        super().__init__(f"{where}: {error}{kept}")


@dataclass(frozen=True)
class Plan:
    """The version that the current inputs of a year give, and what exists already.

    ``existing`` is that version if it was built before; ``previous`` is the year's
    current version, which a new version is compared with.
    """

    year: int
    parameters: dict
    inputs: dict
    digest: str
    version: str
    existing: Version | None
    previous: Version | None


@dataclass
class YearResult:
    """The outcome of one year's build; ``built`` is False for an existing version."""

    year: int
    version: str
    html: Path
    built: bool
    seconds: dict[str, float]


def recorded_years(layout: Layout) -> list[int] | None:
    """Return the card years in the raw data as a current version's manifest records.

    Only a manifest built from raw files with the current checksums counts, so the
    result equals helpers.raw.available_years without reading the data with pandas.
    Returns None when no manifest matches.
    """
    checksums = provenance.raw_checksums(layout)
    for year in list_years(layout.reports_dir):
        version = latest_version(layout.reports_dir, year)
        if version is None or "raw_years" not in version.manifest:
            continue
        if version.manifest.get("inputs", {}).get("raw") == checksums:
            return [int(year) for year in version.manifest["raw_years"]]
    return None


def plan_year(layout: Layout, year: int, parameters: dict | None = None) -> Plan:
    """Compute the version id of ``year`` from its inputs, reading only small files.

    Raises provenance.ParameterError for a parameter that no notebook declares, and
    layout.UnsafePathError for a year that would name a folder outside the outputs.
    """
    inside(layout.processed_dir, year)
    layout.year_dir(year)
    effective = provenance.check_parameters(layout, parameters or {})
    inputs = provenance.collect_inputs(layout, year, effective)
    digest = provenance.digest_of(inputs)
    version = provenance.version_of(digest)
    return Plan(
        year=year,
        parameters=effective,
        inputs=inputs,
        digest=digest,
        version=version,
        existing=find_version(layout.reports_dir, year, version),
        previous=latest_version(layout.reports_dir, year),
    )


def build_year(
    layout: Layout,
    year: int,
    parameters: dict | None = None,
    *,
    cell_timeout: int = 600,
) -> YearResult:
    """Plan ``year`` and build it if its version does not exist yet.

    ``parameters`` are passed to every notebook that declares them, on top of year and
    the folders. Raises NotebookFailedError when a notebook raises, times out or loses
    its kernel; the executed copy is then kept under ``reports/_failed/<year>/`` and
    nothing earlier is replaced.
    """
    return build_plan(
        layout, plan_year(layout, year, parameters), cell_timeout=cell_timeout
    )


def build_plan(layout: Layout, plan: Plan, *, cell_timeout: int = 600) -> YearResult:
    """Execute a plan: reuse the existing version, or build and promote a new one."""
    if plan.existing is not None:
        return _reuse(layout, plan.existing)

    _remove_stale_staging(layout)
    staging = layout.staging_dir / staging_name(plan.year)
    if staging.exists():
        shutil.rmtree(staging)
    (staging / "version" / EXECUTED).mkdir(parents=True)
    (staging / "processed").mkdir()
    try:
        seconds = _build_in_staging(layout, plan, staging, cell_timeout)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return YearResult(
        year=plan.year,
        version=plan.version,
        html=layout.report_html(plan.year, plan.version),
        built=True,
        seconds=seconds,
    )


def _reuse(layout: Layout, version: Version) -> YearResult:
    """Make an existing version current again, without executing anything."""
    year = version.year
    if write_year_pointer(layout.reports_dir, version):
        log.info("%d: version %s is current again", year, version.id)
        _restore_processed(layout, version)
    elif not (layout.processed_dir / str(year)).exists():
        _restore_processed(layout, version)
    else:
        log.info("%d: version %s is up to date, nothing to build", year, version.id)
    return YearResult(
        year=year,
        version=version.id,
        html=layout.report_html(year, version.id),
        built=False,
        seconds={},
    )


def _restore_processed(layout: Layout, version: Version) -> None:
    """Put the tables of ``version`` back into ``data/processed/<year>/``."""
    source = version.folder / TABLES
    staging = layout.staging_dir / staging_name(f"restore-{version.year}")
    shutil.rmtree(staging, ignore_errors=True)
    shutil.copytree(source, staging, ignore=shutil.ignore_patterns("index.html"))
    _replace_folder(staging, layout.processed_dir / str(version.year))
    log.info(
        "%d: restored %s from version %s",
        version.year,
        layout.processed_dir / str(version.year),
        version.id,
    )


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _build_in_staging(
    layout: Layout, plan: Plan, staging: Path, cell_timeout: int
) -> dict[str, float]:
    year = plan.year
    started_at = _now()
    version_dir = staging / "version"
    processed = staging / "processed"
    previous_tables = plan.previous.folder / TABLES if plan.previous else None
    if previous_tables is not None and not previous_tables.is_dir():
        log.warning("%d: %s not found, so no comparison", year, previous_tables)
        previous_tables = None
    seconds = _run_notebooks(
        layout,
        year,
        version_dir / EXECUTED,
        processed,
        plan.parameters,
        previous_tables,
        cell_timeout,
    )

    from lerarenkaart.render import export_tables, render_html, version_line

    started = time.perf_counter()
    previous = plan.previous.id if plan.previous else None
    export_tables(processed / str(year), version_dir / TABLES, year, plan.version)
    render_html(
        version_dir / EXECUTED / REPORT_NOTEBOOK,
        version_dir / report_name(year),
        f"Lerarenkaart {year}",
        version_line(plan.version, display_time(started_at), previous, year),
    )
    seconds["render"] = round(time.perf_counter() - started, 2)
    log.info("%d: rendered %s", year, report_name(year))
    manifest = _manifest(layout, plan, started_at, seconds, version_dir)
    (version_dir / MANIFEST).write_text(
        json.dumps(manifest, indent=2, sort_keys=True) + "\n", encoding="utf-8"
    )

    target = layout.version_dir(year, plan.version)
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        version_dir.rename(target)
    except OSError:
        if not target.exists():
            raise
        # Another build of the same inputs finished first, and versions never change.
        log.warning("%d: version %s appeared during the build; kept it", year, target)
    promoted = find_version(layout.reports_dir, year, plan.version)
    write_year_pointer(layout.reports_dir, promoted)
    _replace_folder(processed / str(year), inside(layout.processed_dir, year))
    return seconds


def _manifest(
    layout: Layout, plan: Plan, started_at: str, seconds: dict, version_dir: Path
) -> dict:
    """Return the provenance record of a version: inputs, code, environment, times."""
    from helpers import raw

    files = {
        path.relative_to(version_dir).as_posix(): provenance.sha256_file(path)
        for path in sorted(version_dir.rglob("*"))
        if path.is_file()
    }
    return {
        "year": plan.year,
        "version": plan.version,
        "digest": plan.digest,
        "previous_version": plan.previous.id if plan.previous else None,
        "parameters": {"year": plan.year, **plan.parameters},
        "raw_years": raw.available_years(layout.raw_dir),
        "inputs": plan.inputs,
        "git": provenance.git_state(layout.root),
        "environment": provenance.environment(plan.inputs["packages"]),
        "started_at": started_at,
        "finished_at": _now(),
        "seconds": seconds,
        "files": files,
    }


def _run_notebooks(
    layout: Layout,
    year: int,
    notebooks_out: Path,
    processed: Path,
    parameters: dict,
    previous_tables: Path | None,
    cell_timeout: int,
) -> dict[str, float]:
    import papermill
    from nbclient.exceptions import CellTimeoutError, DeadKernelError
    from papermill.exceptions import PapermillExecutionError

    seconds: dict[str, float] = {}
    # 03 reads the tables that 01 and 02 wrote to staging. The previous version's
    # tables reach it only as previous_dir, for the comparison.
    base = {
        "year": year,
        "raw_dir": str(layout.raw_dir),
        "processed_dir": str(processed),
        "previous_dir": str(previous_tables) if previous_tables else "",
    }

    for name in NOTEBOOKS:
        source = layout.notebooks_dir / name
        output = notebooks_out / name
        declared = papermill.inspect_notebook(str(source))
        values = {k: v for k, v in {**parameters, **base}.items() if k in declared}
        log.info("%d: running %s with %s", year, name, values)
        started = time.perf_counter()
        try:
            papermill.execute_notebook(
                str(source),
                str(output),
                parameters=values,
                kernel_name=ensure_kernel(),
                cwd=str(layout.notebooks_dir),
                progress_bar=False,
                execution_timeout=cell_timeout,
            )
        except PapermillExecutionError as error:
            kept = _keep_failed(layout, year, output)
            raise NotebookFailedError(
                year,
                name,
                error.exec_count,
                f"{error.ename}: {error.evalue}",
                kept,
            ) from error
        except (DeadKernelError, CellTimeoutError) as error:
            # papermill saves the executed copy but does not mark the cell that was
            # running when the kernel died or the timeout hit.
            problem = (
                f"the cell timed out after {cell_timeout} s (the cell timeout)"
                if isinstance(error, CellTimeoutError)
                else "the kernel died, for example killed for lack of memory"
            )
            cell, position = _mark_running_cell(output, type(error).__name__, problem)
            kept = _keep_failed(layout, year, output)
            raise NotebookFailedError(
                year,
                name,
                cell,
                f"{type(error).__name__}: {problem}",
                kept,
                position=position,
            ) from error
        seconds[name] = round(time.perf_counter() - started, 2)
    return seconds


def _replace_folder(source: Path, target: Path) -> None:
    """Replace ``target`` by ``source``; the swap itself is two renames.

    ``source`` is first moved next to ``target`` (a copy if it is on another file
    system), so a reader of ``target`` sees either the old or the new folder.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    incoming = target.with_name(f".{target.name}.new-{os.getpid()}")
    old = target.with_name(f".{target.name}.old-{os.getpid()}")
    shutil.move(str(source), str(incoming))
    if target.exists():
        target.rename(old)
    incoming.rename(target)
    if old.exists():
        shutil.rmtree(old)


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def staging_name(label: int | str, pid: int | None = None) -> str:
    """Return the staging folder name of a build: label, host name and process id.

    ``pid`` defaults to this process. The host name keeps the builds of Dask
    workers on several hosts that share ``reports/`` apart.
    """
    return f"{label}-{socket.gethostname()}-{os.getpid() if pid is None else pid}"


def _remove_stale_staging(layout: Layout) -> None:
    """Remove staging folders of builds whose process no longer runs (killed ones).

    Only folders of this host are checked, because a process id of another host
    cannot be looked up here, and that host's build may still be running.
    """
    if not layout.staging_dir.is_dir():
        return
    host = socket.gethostname()
    for folder in layout.staging_dir.iterdir():
        label, _, pid = folder.name.rpartition("-")
        if not label.endswith(f"-{host}") or not pid.isdigit():
            continue
        if int(pid) != os.getpid() and not _pid_alive(int(pid)):
            log.info("removing %s, left by a build that stopped", folder)
            shutil.rmtree(folder, ignore_errors=True)


def _mark_running_cell(
    executed: Path, ename: str, evalue: str
) -> tuple[int | None, int | None]:
    """Add an error output to the cell that was running in an executed copy.

    Returns its execution count and its position (from 1), or (None, None) when no
    cell had started.
    """
    import nbformat

    if not executed.exists():
        return None, None
    notebook = nbformat.read(executed, as_version=4)
    started = [
        index
        for index, cell in enumerate(notebook.cells)
        if cell.get("metadata", {}).get("papermill", {}).get("start_time")
    ]
    if not started:
        return None, None
    cell = notebook.cells[started[-1]]
    cell.setdefault("outputs", []).append(
        nbformat.v4.new_output("error", ename=ename, evalue=evalue, traceback=[])
    )
    cell.metadata["papermill"]["exception"] = True
    cell.metadata["papermill"]["status"] = "failed"
    nbformat.write(notebook, executed)
    return cell.get("execution_count"), started[-1] + 1


def _keep_failed(layout: Layout, year: int, executed: Path) -> Path | None:
    if not executed.exists():
        return None
    target = inside(layout.failed_dir, year)
    target.mkdir(parents=True, exist_ok=True)
    kept = target / executed.name
    shutil.copy2(executed, kept)
    return kept
