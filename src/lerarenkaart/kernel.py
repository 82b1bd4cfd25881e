"""The project's Jupyter kernel: the Python of the environment the runner runs in.

The notebooks name the kernel ``lerarenkaart`` in their metadata, JupyterLab lists it,
and papermill starts it by that name. It is registered in ``<sys.prefix>/share/jupyter``
(``.venv`` after ``make install``), so it runs the locked packages and never a
``python3`` kernel of another environment that happens to come first on Jupyter's path.

``python -m lerarenkaart.kernel`` registers it; ``make install`` and ``make lab`` do so.
"""

from __future__ import annotations

import fcntl
import logging
import sys
from pathlib import Path

log = logging.getLogger(__name__)

KERNEL_NAME = "lerarenkaart"
DISPLAY_NAME = "Python (lerarenkaart)"

# jupyter_client replaces these with its own interpreter when it starts a kernel.
_GENERIC_PYTHON = {"python", "python3", f"python3.{sys.version_info.minor}"}


class KernelError(RuntimeError):
    """The project kernel cannot be registered for this interpreter."""


def find_kernel_spec():
    """Return the kernel spec that Jupyter finds for KERNEL_NAME, or None."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    try:
        return KernelSpecManager().get_kernel_spec(KERNEL_NAME)
    except NoSuchKernel:
        return None


def runs_this_python(spec) -> bool:
    """Tell whether ``spec`` starts a Python from this interpreter's bin folder.

    Paths are compared unresolved: every virtual environment's python links to the same
    base interpreter, so only the folder distinguishes the environments.
    """
    if spec is None or not spec.argv:
        return False
    program = spec.argv[0]
    if program in _GENERIC_PYTHON:
        return True
    return Path(program).parent == Path(sys.executable).parent


def install_kernel(prefix: str | Path = sys.prefix) -> Path:
    """Write the kernel spec for this Python into ``<prefix>/share/jupyter``."""
    from ipykernel.kernelspec import install

    path = install(
        kernel_name=KERNEL_NAME, display_name=DISPLAY_NAME, prefix=str(prefix)
    )
    log.info("registered Jupyter kernel %r at %s", KERNEL_NAME, path)
    return Path(path)


def ensure_kernel(prefix: str | Path = sys.prefix) -> str:
    """Register the project kernel unless Jupyter finds one for this Python already.

    Returns the kernel name to pass to papermill. A file lock serialises runners that
    start at the same time, because each registration replaces the spec's folder.
    Raises KernelError when a spec earlier on Jupyter's path (such as one in
    ~/.local/share/jupyter) still points at another environment after registering.
    """
    if runs_this_python(find_kernel_spec()):
        return KERNEL_NAME

    kernels = Path(prefix) / "share" / "jupyter" / "kernels"
    kernels.mkdir(parents=True, exist_ok=True)
    with open(kernels / f".{KERNEL_NAME}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not runs_this_python(find_kernel_spec()):
            install_kernel(prefix)

    spec = find_kernel_spec()
    if not runs_this_python(spec):
        if spec is None:
            found = "no spec"
        else:
            found = f"{spec.resource_dir}, which runs {spec.argv[0]}"
        raise KernelError(
            f"Jupyter kernel {KERNEL_NAME!r} was registered in {kernels}, but Jupyter "
            f"finds {found}, not {sys.executable}; remove the other spec with "
            f"`jupyter kernelspec remove {KERNEL_NAME}` and run again"
        )
    return KERNEL_NAME


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    ensure_kernel()
    print(f"Jupyter kernel {KERNEL_NAME!r} runs {sys.executable}")
