"""A temporary copy of the project that a test may break, and the command to run it.

The copy contains notebooks/, data/raw, src/helpers, pyproject.toml and
requirements.lock, so ``--root`` points the runner at it and nothing in the checkout
is written. ``break_notebook`` adds the
parameters ``fail_year`` and ``fail_mode`` to a notebook's copy, with a cell that
fails in the way ``fail_mode`` names for that year only.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]

FAILING_CELL = """\
import os
import signal
import time

if year == fail_year and fail_mode == "raise":
    raise RuntimeError("broken on purpose")
if year == fail_year and fail_mode == "kill":
    os.kill(os.getpid(), signal.SIGKILL)
if year == fail_year and fail_mode == "exit":
    os._exit(1)
if year == fail_year and fail_mode == "sleep":
    time.sleep(600)
"""


def copy_project(folder: Path) -> Path:
    """Copy what the runner reads into ``folder`` and return it as the root."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copytree(ROOT / "notebooks", folder / "notebooks")
    shutil.copytree(ROOT / "data" / "raw", folder / "data" / "raw")
    # The version of a report is the digest of the notebooks, raw files, helpers and
    # locked packages, so the copy needs all of them.
    shutil.copytree(
        ROOT / "src" / "helpers",
        folder / "src" / "helpers",
        ignore=shutil.ignore_patterns("__pycache__"),
    )
    for name in ("pyproject.toml", "requirements.lock"):
        shutil.copy2(ROOT / name, folder / name)
    return folder


def break_notebook(root: Path, name: str) -> int:
    """Insert FAILING_CELL after the parameters cell of ``name`` in the copy.

    Returns the failing cell's execution count in a run where papermill injects
    its parameters cell, so the count the error message should name.
    """
    path = root / "notebooks" / name
    notebook = nbformat.read(path, as_version=4)
    index = next(
        i
        for i, cell in enumerate(notebook.cells)
        if "parameters" in cell.metadata.get("tags", [])
    )
    notebook.cells[index].source += '\nfail_year = 0\nfail_mode = ""\n'
    notebook.cells.insert(index + 1, nbformat.v4.new_code_cell(FAILING_CELL))
    nbformat.write(notebook, path)
    code_cells_before = sum(
        1 for cell in notebook.cells[: index + 1] if cell.cell_type == "code"
    )
    return code_cells_before + 2  # the injected parameters cell, then this one


def run_cli(
    root: Path, *arguments: str, timeout: float = 600
) -> subprocess.CompletedProcess:
    """Run ``lerarenkaart --root root ARGUMENTS`` and capture its output."""
    environment = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.run(
        [sys.executable, "-m", "lerarenkaart.cli", "--root", str(root), *arguments],
        capture_output=True,
        text=True,
        env=environment,
        timeout=timeout,
        check=False,
    )


def start_cli(root: Path, *arguments: str) -> subprocess.Popen:
    """Start ``lerarenkaart --root root ARGUMENTS`` without waiting for it."""
    environment = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.Popen(
        [sys.executable, "-m", "lerarenkaart.cli", "--root", str(root), *arguments],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=environment,
    )


def runner_lines(stderr: str) -> list[str]:
    """Return the lines of the runner's own log, without what a kernel printed.

    A Jupyter kernel writes to the same stderr; an interrupted or killed kernel may
    print its own traceback there, which is not the runner's.
    """
    lines, in_kernel_log = [], False
    for line in stderr.splitlines():
        if line.startswith("[IPKernelApp]"):
            in_kernel_log = True
        elif re.match(r"(DEBUG|INFO|WARNING|ERROR|CRITICAL) [\w.]+: ", line):
            in_kernel_log = False
        if not in_kernel_log:
            lines.append(line)
    return lines


def output_files(root: Path) -> dict[str, bytes]:
    """Return the processed tables, year pointers and HTML pages under ``root``.

    Keys are paths relative to ``root``. Cell ids that papermill draws at random for
    its injected parameters cell are blanked in the HTML, and so are the clock times
    of the build, so that two builds of the same inputs compare equal.
    """
    files = {}
    for path in sorted((root / "data" / "processed").rglob("*.csv")):
        files[str(path.relative_to(root))] = path.read_bytes()
    for path in sorted((root / "reports").rglob("*")):
        if "_failed" in path.parts or ".staging" in path.parts or path.is_dir():
            continue
        if path.suffix == ".html":
            html = re.sub(
                rb'id="cell-id=[0-9a-f-]+"', b'id="cell-id="', path.read_bytes()
            )
            files[str(path.relative_to(root))] = re.sub(
                rb"[0-9]{1,2}:[0-9]{2}", b"hh:mm", html
            )
        elif path.suffix in (".csv", ".json") and path.name != "manifest.json":
            files[str(path.relative_to(root))] = path.read_bytes()
    return files
