"""The inputs that produce a report version, their digest, and the build environment.

A version id is the start of the sha256 over everything that shapes a report: the raw
files, the notebooks' cells, the helper and rendering sources, the notebook parameters
and the package versions pinned in requirements.lock. Only the standard library is
imported here, because a rebuild with nothing to do computes the digest and stops.
"""

from __future__ import annotations

import ast
import hashlib
import json
import logging
import platform
import subprocess
from pathlib import Path

from lerarenkaart.layout import NOTEBOOKS, TEMPLATES, VERSION_LENGTH, Layout

log = logging.getLogger(__name__)

# Parameters that the runner sets for every notebook; a user cannot override them.
RUNNER_PARAMETERS = frozenset({"year", "raw_dir", "processed_dir", "previous_dir"})
RENDER_SOURCE = Path(__file__).with_name("render.py")


class ParameterError(ValueError):
    """A notebook parameter that no notebook declares, that the runner sets, or whose
    value does not have the type of its annotation."""


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    """Return the hex sha256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def _read_notebook(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def notebook_checksum(path: Path) -> str:
    """Return the sha256 of a notebook's cell types, tags and sources.

    Outputs, execution counts and kernel metadata are left out: papermill is given the
    kernel by name, so they do not change what the notebook computes.
    """
    cells = [
        {
            "cell_type": cell["cell_type"],
            "tags": sorted(cell.get("metadata", {}).get("tags", [])),
            "source": "".join(cell["source"])
            if isinstance(cell["source"], list)
            else cell["source"],
        }
        for cell in _read_notebook(path)["cells"]
    ]
    return sha256_bytes(json.dumps(cells, sort_keys=True).encode("utf-8"))


def declared_parameters(path: Path) -> dict[str, object]:
    """Return the names in a notebook's ``parameters`` cell with their defaults.

    A default that is not a Python literal (such as ``2 / 3``) is returned as the
    text of its expression, so it never equals a value given on the command line.
    """
    for cell in _read_notebook(path)["cells"]:
        if "parameters" not in cell.get("metadata", {}).get("tags", []):
            continue
        source = "".join(cell["source"])
        declared: dict[str, object] = {}
        for statement in ast.parse(source).body:
            # Annotated parameters (year: int = 2022) give papermill their type.
            if isinstance(statement, ast.AnnAssign) and statement.value is not None:
                targets = [statement.target]
            elif isinstance(statement, ast.Assign):
                targets = statement.targets
            else:
                continue
            for target in targets:
                if not isinstance(target, ast.Name):
                    continue
                try:
                    declared[target.id] = ast.literal_eval(statement.value)
                except ValueError:
                    declared[target.id] = ast.get_source_segment(
                        source, statement.value
                    )
        return declared
    return {}


def check_parameters(layout: Layout, parameters: dict) -> dict:
    """Return the user's notebook parameters that differ from the notebooks' defaults.

    Raises ParameterError for a name that the runner sets itself or that no notebook
    declares, since papermill would pass it to no notebook and the report would not
    change.
    """
    declared: dict[str, object] = {}
    for name in NOTEBOOKS:
        declared.update(declared_parameters(layout.notebooks_dir / name))
    settable = sorted(set(declared) - RUNNER_PARAMETERS)
    effective = {}
    for name, value in sorted(parameters.items()):
        if name in RUNNER_PARAMETERS:
            raise ParameterError(
                f"parameter {name!r} is set by the runner; use the command's own "
                "options (--year, --raw-dir, ...)"
            )
        if name not in declared:
            raise ParameterError(
                f"unknown notebook parameter {name!r}; the notebooks declare: "
                + ", ".join(settable)
            )
        if value != declared[name]:
            effective[name] = value
    return effective


def locked_packages(lock_file: Path) -> dict[str, str]:
    """Return name -> version for every ``name==version`` line of requirements.lock."""
    packages = {}
    for line in lock_file.read_text(encoding="utf-8").splitlines():
        if line[:1].isalnum() and "==" in line:
            name, _, version = line.split(" ", 1)[0].partition("==")
            packages[name.lower()] = version
    return packages


def _checksums(folder: Path, pattern: str) -> dict[str, str]:
    """Return relative path -> sha256 of the files matching ``pattern``.

    Hidden files (editor swap files, say) and __pycache__ are left out, because they
    do not shape a report.
    """
    checksums = {}
    for path in sorted(folder.glob(pattern)):
        parts = path.relative_to(folder).parts
        if not path.is_file() or "__pycache__" in parts:
            continue
        if any(part.startswith(".") for part in parts):
            continue
        checksums[path.relative_to(folder).as_posix()] = sha256_file(path)
    return checksums


def raw_checksums(layout: Layout) -> dict[str, str]:
    """Return name -> sha256 of every file in the raw folder, the manifest included."""
    return _checksums(layout.raw_dir, "*")


def collect_inputs(layout: Layout, year: int, parameters: dict) -> dict:
    """Return everything that shapes the report of ``year``, as checksums and values.

    Every raw file counts for every year, because 01_clean reads them all; a change
    to a file therefore gives each year a new version. ``parameters`` are those of
    check_parameters, so an explicit default gives the same version as none.
    """
    runner = {"render.py": sha256_file(RENDER_SOURCE)}
    for name, checksum in _checksums(TEMPLATES, "**/*").items():
        runner[f"templates/{name}"] = checksum
    return {
        "year": year,
        "parameters": parameters,
        "raw": raw_checksums(layout),
        "notebooks": {
            name: notebook_checksum(layout.notebooks_dir / name) for name in NOTEBOOKS
        },
        "helpers": _checksums(layout.helpers_dir, "**/*"),
        "runner": runner,
        "packages": locked_packages(layout.lock_file),
    }


def digest_of(inputs: dict) -> str:
    """Return the hex sha256 of the inputs in a canonical JSON form."""
    text = json.dumps(inputs, sort_keys=True, separators=(",", ":"), default=str)
    return sha256_bytes(text.encode("utf-8"))


def version_of(digest: str) -> str:
    """Return the version id: the first characters of the digest."""
    return digest[:VERSION_LENGTH]


def git_state(root: Path) -> dict:
    """Return the checked-out commit and whether the working tree has changes.

    Both are None where git or the repository is missing; untracked files count as
    changes, because an untracked helper module would shape the report too.
    """
    state: dict[str, object] = {"commit": None, "dirty": None}
    try:
        commit = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
            timeout=30,
        ).stdout.strip()
        status = subprocess.run(
            ["git", "-C", str(root), "status", "--porcelain"],
            capture_output=True,
            text=True,
            check=True,
            timeout=30,
        ).stdout
    except (OSError, subprocess.SubprocessError) as error:
        log.warning("git state of %s not recorded: %s", root, error)
        return state
    state["commit"] = commit
    state["dirty"] = bool(status.strip())
    return state


def environment(packages: dict[str, str]) -> dict:
    """Return the Python version and the installed version of each locked package."""
    from importlib import metadata

    installed = {}
    for name in sorted(packages):
        try:
            installed[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            installed[name] = None
    return {
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "packages": installed,
    }
