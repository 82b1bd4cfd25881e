"""Run the notebooks' code cells for several years in one plain Python process.

This is the floor of the benchmark: the same helpers, pandas and matplotlib work as
the notebooks do, with the parameters injected after the ``parameters`` cell as
papermill does, but with no kernel, no papermill and no HTML rendering. Imports are
paid once for all years. What the cells display is discarded.

    python bench/floor.py --raw-dir RAW --processed-dir OUT 2021 2022
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ("01_clean.ipynb", "02_uptake.ipynb", "03_report.ipynb")


def code_cells(path: Path) -> list[tuple[bool, str]]:
    """Return (is the parameters cell, source) for each code cell of a notebook."""
    notebook = json.loads(path.read_text(encoding="utf-8"))
    cells = []
    for cell in notebook["cells"]:
        if cell["cell_type"] != "code":
            continue
        source = "".join(cell["source"])
        cells.append(("parameters" in cell["metadata"].get("tags", []), source))
    return cells


def without_magics(source: str) -> str:
    """Drop IPython line magics, such as ``%autoreload 2``, which plain Python rejects.

    The notebooks use them only to reload edited helpers in a running kernel.
    """
    lines = [line for line in source.splitlines() if not line.lstrip().startswith("%")]
    return "\n".join(lines)


def run_notebook(path: Path, parameters: dict) -> None:
    """Execute a notebook's code cells in a fresh namespace, like a fresh kernel."""
    namespace: dict = {"__name__": "__main__"}
    injected = "\n".join(f"{name} = {value!r}" for name, value in parameters.items())
    for is_parameters, source in code_cells(path):
        # A name in angle brackets keeps tracebacks from showing lines of the file.
        code = compile(without_magics(source), f"<{path.name}>", "exec")
        exec(code, namespace)
        if is_parameters:
            exec(injected, namespace)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--raw-dir", type=Path, required=True)
    parser.add_argument("--processed-dir", type=Path, required=True)
    parser.add_argument("years", type=int, nargs="+")
    arguments = parser.parse_args()
    raw_dir = arguments.raw_dir.resolve()
    processed_dir = arguments.processed_dir.resolve()

    # Like the runner, run the cells in notebooks/, where their default paths point.
    notebooks = ROOT / "notebooks"
    os.chdir(notebooks)
    for year in arguments.years:
        declared = {
            "year": year,
            "raw_dir": str(raw_dir),
            "processed_dir": str(processed_dir),
        }
        for name in NOTEBOOKS:
            with contextlib.redirect_stdout(io.StringIO()):
                run_notebook(
                    notebooks / name, _declared_only(notebooks / name, declared)
                )


def _declared_only(path: Path, parameters: dict) -> dict:
    """Keep the parameters that the notebook's parameters cell assigns.

    A parameter is assigned as ``name = value`` or, with a type, ``name: int = value``.
    """
    for is_parameters, source in code_cells(path):
        if is_parameters:
            return {
                name: value
                for name, value in parameters.items()
                if re.search(rf"^{name}\s*[:=]", source, re.MULTILINE)
            }
    return {}


if __name__ == "__main__":
    main()
