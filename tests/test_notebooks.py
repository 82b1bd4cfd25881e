"""The committed notebooks: how they start, and helpers reloading in interactive use."""

from __future__ import annotations

import os
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
