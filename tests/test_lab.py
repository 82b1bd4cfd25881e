"""make lab: JupyterLab serves the project kernel on the loopback interface."""

from __future__ import annotations

import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from lerarenkaart.kernel import DISPLAY_NAME, KERNEL_NAME

ROOT = Path(__file__).resolve().parents[1]
STARTUP_SECONDS = 120

# Requests go straight to 127.0.0.1, never through a proxy from the environment.
OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def get(url: str, token: str | None = None) -> tuple[int, bytes]:
    headers = {"Authorization": f"token {token}"} if token else {}
    request = urllib.request.Request(url, headers=headers)
    try:
        with OPENER.open(request, timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def wait_for_server(process, url: str, token: str, log: Path) -> bytes:
    """Poll ``url`` until the server returns status 200, and return the body."""
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(
                f"make lab exited with {process.returncode}:\n{log.read_text()}"
            )
        try:
            status, body = get(url, token)
        except (ConnectionError, urllib.error.URLError, TimeoutError):
            time.sleep(0.5)
            continue
        if status == 200:
            return body
        time.sleep(0.5)
    pytest.fail(
        f"JupyterLab did not respond to {url} in {STARTUP_SECONDS} s:\n"
        + log.read_text()
    )


def stop(process) -> None:
    """Stop make and the JupyterLab it started, which share one process group."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=30)


def test_make_lab_serves_project_kernel(tmp_path):
    up_to_date = subprocess.run(
        ["make", "--question", "install"], cwd=ROOT, capture_output=True, check=False
    )
    if up_to_date.returncode != 0:
        pytest.fail(".venv is older than requirements.lock; run make install first")

    port = free_port()
    token = secrets.token_hex(16)
    base = f"http://127.0.0.1:{port}"
    flags = (
        f"--port={port} --ServerApp.port_retries=0 --no-browser "
        f"--IdentityProvider.token={token}"
    )
    environment = {
        **os.environ,
        # Keep the user's Jupyter settings out, and the server's files in tmp_path.
        "JUPYTER_CONFIG_DIR": str(tmp_path / "config"),
        "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"),
        "JUPYTERLAB_SETTINGS_DIR": str(tmp_path / "settings"),
        "JUPYTERLAB_WORKSPACES_DIR": str(tmp_path / "workspaces"),
    }
    log = tmp_path / "lab.log"
    with open(log, "w") as output:
        process = subprocess.Popen(
            ["make", "--silent", "lab", f"LAB_FLAGS={flags}"],
            cwd=ROOT,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        body = wait_for_server(process, f"{base}/api/kernelspecs", token, log)
        lab_status, _ = get(f"{base}/lab", token)
        anonymous_status, _ = get(f"{base}/api/kernelspecs")
    finally:
        stop(process)

    kernelspecs = json.loads(body)["kernelspecs"]
    assert KERNEL_NAME in kernelspecs
    spec = kernelspecs[KERNEL_NAME]["spec"]
    assert spec["display_name"] == DISPLAY_NAME
    assert Path(spec["argv"][0]).parent == Path(sys.executable).parent
    assert lab_status == 200
    assert anonymous_status == 403
    assert process.returncode is not None
