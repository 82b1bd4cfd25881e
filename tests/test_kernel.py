"""The project kernel: registered for this environment and named by every notebook."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import nbformat
import pytest

from lerarenkaart import kernel
from lerarenkaart.layout import NOTEBOOKS

ROOT = Path(__file__).resolve().parents[1]


def test_kernel_runs_this_environment():
    assert kernel.ensure_kernel() == kernel.KERNEL_NAME
    spec = kernel.find_kernel_spec()
    assert spec is not None
    assert Path(spec.argv[0]).parent == Path(sys.executable).parent
    assert spec.display_name == kernel.DISPLAY_NAME


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_names_project_kernel(name):
    notebook = nbformat.read(ROOT / "notebooks" / name, as_version=4)
    kernelspec = notebook.metadata["kernelspec"]
    assert kernelspec["name"] == kernel.KERNEL_NAME
    assert kernelspec["display_name"] == kernel.DISPLAY_NAME
    assert kernelspec["language"] == "python"


def test_stale_kernel_is_registered_again(tmp_path, monkeypatch):
    # A spec first on Jupyter's path that starts another environment's Python, as
    # left behind by a moved or deleted .venv.
    stale = tmp_path / "share" / "jupyter" / "kernels" / kernel.KERNEL_NAME
    stale.mkdir(parents=True)
    (stale / "kernel.json").write_text(
        json.dumps(
            {
                "argv": ["/gone/.venv/bin/python", "-m", "ipykernel_launcher"],
                "display_name": "old",
                "language": "python",
            }
        )
    )
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "share" / "jupyter"))
    assert not kernel.runs_this_python(kernel.find_kernel_spec())

    kernel.ensure_kernel(prefix=tmp_path)

    spec = kernel.find_kernel_spec()
    assert spec.resource_dir == str(stale)
    assert spec.argv[0] == sys.executable
    assert spec.display_name == kernel.DISPLAY_NAME


def test_shadowing_kernel_is_reported(tmp_path, monkeypatch):
    shadow = tmp_path / "shadow" / "kernels" / kernel.KERNEL_NAME
    shadow.mkdir(parents=True)
    (shadow / "kernel.json").write_text(
        json.dumps(
            {
                "argv": ["/other/.venv/bin/python", "-m", "ipykernel_launcher"],
                "display_name": "other",
                "language": "python",
            }
        )
    )
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "shadow"))

    with pytest.raises(kernel.KernelError) as error:
        kernel.ensure_kernel(prefix=tmp_path / "prefix")

    assert "/other/.venv/bin/python" in str(error.value)
    assert "jupyter kernelspec remove lerarenkaart" in str(error.value)
