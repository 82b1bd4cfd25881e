"""The committed notebooks: clean in git, and reloading helpers in interactive use."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import nbformat
import pytest
from jupyter_client.manager import start_new_kernel

from lerarenkaart.kernel import ensure_kernel
from lerarenkaart.layout import NOTEBOOKS

ROOT = Path(__file__).resolve().parents[1]


def read_notebook(name: str) -> nbformat.NotebookNode:
    return nbformat.read(ROOT / "notebooks" / name, as_version=4)


def autoreload_source() -> str:
    """Return the source of the autoreload cell of the first notebook."""
    cells = read_notebook(NOTEBOOKS[0]).cells
    return next(cell.source for cell in cells if cell.get("id") == "autoreload")


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_autoreload_follows_parameters(name):
    cells = read_notebook(name).cells
    tags = [cell.metadata.get("tags", []) for cell in cells]
    position = next(i for i, cell_tags in enumerate(tags) if "parameters" in cell_tags)
    after = cells[position + 1]
    assert after.cell_type == "code"
    assert "%load_ext autoreload" in after.source
    assert "%autoreload 2" in after.source
    assert after.source == autoreload_source()


def run_cell(client, code: str) -> str:
    """Execute ``code`` in the kernel and return what it printed to stdout."""
    printed = []

    def collect(message):
        if message["msg_type"] == "stream" and message["content"]["name"] == "stdout":
            printed.append(message["content"]["text"])

    reply = client.execute_interactive(code, output_hook=collect, timeout=60)
    assert reply["content"]["status"] == "ok", reply["content"]
    return "".join(printed)


def test_edited_module_reloads_in_kernel(tmp_path):
    module = tmp_path / "edited_helper.py"
    module.write_text("VALUE = 1\n")
    manager, client = start_new_kernel(kernel_name=ensure_kernel(), cwd=str(tmp_path))
    try:
        run_cell(client, autoreload_source())
        assert run_cell(client, "import edited_helper\nprint(edited_helper.VALUE)") == (
            "1\n"
        )

        module.write_text("VALUE = 2\n")
        # autoreload compares modification times, so make the edit visibly newer.
        later = time.time() + 5
        os.utime(module, (later, later))

        assert run_cell(client, "print(edited_helper.VALUE)") == "2\n"
    finally:
        client.stop_channels()
        manager.shutdown_kernel(now=True)


# Keys that a run or a save adds and that nbstripout removes before a commit.
VOLATILE_NOTEBOOK_KEYS = ("papermill", "widgets", "signature")
VOLATILE_LANGUAGE_KEYS = ("version", "codemirror_mode", "pygments_lexer", "mimetype")
VOLATILE_CELL_KEYS = ("papermill", "execution", "ExecuteTime", "collapsed", "scrolled")


def committed_notebooks() -> list[tuple[str, str]]:
    """Return (label, JSON text) of every notebook in the working tree and at HEAD."""
    found = []
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        found.append((f"working tree {path.name}", path.read_text(encoding="utf-8")))
    tracked = git("ls-files", "*.ipynb")
    if tracked.returncode == 0:
        for name in tracked.stdout.split():
            shown = git("show", f"HEAD:{name}")
            if shown.returncode == 0:
                found.append((f"HEAD {name}", shown.stdout))
    return found


def git(*arguments: str, cwd: Path = ROOT, env=None) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["git", *arguments],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )


COMMITTED = committed_notebooks()


@pytest.mark.parametrize(
    ("label", "text"), COMMITTED, ids=[label for label, _ in COMMITTED]
)
def test_committed_notebook_is_clean(label, text):
    notebook = nbformat.reads(text, as_version=4)
    for index, cell in enumerate(notebook.cells):
        where = f"{label}, cell {index}"
        assert cell.get("outputs", []) == [], f"{where} has outputs"
        assert cell.get("execution_count") is None, f"{where} has an execution count"
        for key in VOLATILE_CELL_KEYS:
            assert key not in cell.metadata, f"{where} has metadata {key!r}"
        assert "injected-parameters" not in cell.metadata.get("tags", []), where
    for key in VOLATILE_NOTEBOOK_KEYS:
        assert key not in notebook.metadata, f"{label} has metadata {key!r}"
    language = notebook.metadata.get("language_info", {})
    for key in VOLATILE_LANGUAGE_KEYS:
        assert key not in language, f"{label} has language_info {key!r}"


def test_notebooks_live_in_notebooks_folder():
    tracked = git("ls-files", "*.ipynb")
    if tracked.returncode != 0:
        pytest.skip(f"not a git checkout: {tracked.stderr.strip()}")
    outside = [
        name for name in tracked.stdout.split() if not name.startswith("notebooks/")
    ]
    assert outside == [], "the pre-commit hook strips notebooks/*.ipynb only"


def add_outputs(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """Return ``notebook`` as JupyterLab saves it after a run."""
    code = next(cell for cell in notebook.cells if cell.cell_type == "code")
    code.execution_count = 7
    code.outputs = [nbformat.v4.new_output("stream", name="stdout", text="2022\n")]
    code.metadata["ExecuteTime"] = {"start_time": "2024-05-01T10:00:00Z"}
    notebook.metadata["language_info"]["version"] = "3.11.9"
    return notebook


def test_hooks_strip_committed_outputs(tmp_path):
    repository = tmp_path / "clone"
    (repository / "notebooks").mkdir(parents=True)
    for name in (
        ".gitattributes",
        ".pre-commit-config.yaml",
        "Makefile",
        "pyproject.toml",
    ):
        shutil.copy2(ROOT / name, repository / name)
    shutil.copy2(ROOT / "requirements.lock", repository / "requirements.lock")
    # ruff's import sorting finds first-party modules in the folders under src/.
    shutil.copytree(
        ROOT / "src",
        repository / "src",
        ignore=shutil.ignore_patterns("*.egg-info", "__pycache__"),
    )
    # make must find .venv up to date and never rebuild it through the link below.
    for name in ("pyproject.toml", "requirements.lock"):
        os.utime(repository / name, (0, 0))
    (repository / ".venv").symlink_to(ROOT / ".venv")
    (repository / ".gitignore").write_text(".venv\n")
    notebook = add_outputs(read_notebook(NOTEBOOKS[0]))
    target = repository / "notebooks" / NOTEBOOKS[0]
    nbformat.write(notebook, target)

    environment = {
        **os.environ,
        "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-cache"),
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_AUTHOR_NAME": "Test",
        "GIT_AUTHOR_EMAIL": "test@example.invalid",
        "GIT_COMMITTER_NAME": "Test",
        "GIT_COMMITTER_EMAIL": "test@example.invalid",
    }
    assert git("init", "-q", cwd=repository, env=environment).returncode == 0
    installed = subprocess.run(
        ["make", "--silent", "hooks"],
        cwd=repository,
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
        check=False,
    )
    assert installed.returncode == 0, installed.stdout + installed.stderr
    git("add", "-A", cwd=repository, env=environment)

    rejected = git(
        "commit", "-q", "-m", "Add notebook", cwd=repository, env=environment
    )

    assert rejected.returncode != 0
    assert "files were modified by this hook" in rejected.stdout + rejected.stderr
    stripped = nbformat.read(target, as_version=4)
    assert all(cell.get("outputs", []) == [] for cell in stripped.cells)
    assert "version" not in stripped.metadata["language_info"]
    assert git("log", cwd=repository, env=environment).returncode != 0

    git("add", "-A", cwd=repository, env=environment)
    accepted = git(
        "commit", "-q", "-m", "Add notebook", cwd=repository, env=environment
    )

    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
    shown = git("show", f"HEAD:notebooks/{NOTEBOOKS[0]}", cwd=repository)
    committed = nbformat.reads(shown.stdout, as_version=4)
    assert all(cell.get("execution_count") is None for cell in committed.cells)
    assert shown.stdout == (ROOT / "notebooks" / NOTEBOOKS[0]).read_text()

    # make hooks also set up nbdime, so git diff compares cells, not JSON lines.
    edited = nbformat.read(target, as_version=4)
    edited.cells[0].source += "\nOne more line."
    nbformat.write(edited, target)
    diff = git("diff", cwd=repository, env=environment)
    assert diff.returncode == 0, diff.stderr
    assert "nbdiff" in diff.stdout
    assert "One more line." in diff.stdout
