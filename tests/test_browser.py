"""The published reports in a real headless Chromium, served from 127.0.0.1 only.

Debian's chromium package is driven by Playwright for Python; Playwright's own browser
download is never used. Every request to another host is blocked and recorded, so the
test fails if a page loads anything from outside. Screenshots and a PDF print of the
report are saved under reports/_test-artifacts/ for a person to look at.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from pathlib import Path
from urllib.parse import urlparse

import pytest

from lerarenkaart.build import build_year
from lerarenkaart.index import write_index
from lerarenkaart.layout import Layout
from lerarenkaart.publish import publish
from lerarenkaart.versions import latest_version

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "reports" / "_test-artifacts"
# Without the background-networking flags Chromium connects to Google's services at
# start, and a machine without internet access refuses those connections.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
FIGURES = 5

# On CI (CI=true), .ci/run installs chromium, so a missing browser fails the test.
pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists() and not os.environ.get("CI"),
    reason="Debian's chromium is not installed at /usr/bin/chromium "
    "(apt-get install chromium; .ci/run installs it)",
)


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):
        pass


@pytest.fixture(scope="module")
def share(tmp_path_factory) -> Path:
    """Build 2022 and publish it to a temporary share, as readers get it."""
    base = tmp_path_factory.mktemp("browser")
    layout = Layout.at(
        ROOT, processed_dir=base / "processed", reports_dir=base / "reports"
    )
    build_year(layout, 2022)
    write_index(layout.reports_dir)
    publish(layout.reports_dir, base / "share")
    return base / "share"


@pytest.fixture(scope="module")
def server(share):
    """Serve the share over HTTP on 127.0.0.1 and return the base URL."""
    handler = functools.partial(QuietHandler, directory=str(share))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()
    thread.join(timeout=10)


@pytest.fixture(scope="module")
def browser():
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def artifacts() -> Path:
    shutil.rmtree(ARTIFACTS, ignore_errors=True)
    ARTIFACTS.mkdir(parents=True)
    print(f"\nbrowser test artifacts: {ARTIFACTS}")
    return ARTIFACTS


class Recorder:
    """A browser page whose requests to other hosts are blocked and recorded."""

    def __init__(self, browser, allowed) -> None:
        self.allowed = allowed
        self.requests: list[str] = []
        self.blocked: list[str] = []
        self.errors: list[str] = []
        self.context = browser.new_context()
        self.context.route("**/*", self._route)
        self.page = self.context.new_page()
        self.page.set_default_timeout(30_000)
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))

    def _route(self, route) -> None:
        if self.allowed(route.request.url):
            route.continue_()
        else:
            self.blocked.append(route.request.url)
            route.abort()

    def _console(self, message) -> None:
        if message.type == "error":
            self.errors.append(message.text)

    def outside(self) -> list[str]:
        return [url for url in self.requests if not self.allowed(url)]


def on_loopback(url: str) -> bool:
    parsed = urlparse(url)
    return parsed.scheme == "data" or parsed.hostname == "127.0.0.1"


def on_disk(url: str) -> bool:
    return urlparse(url).scheme in ("file", "data")


def figure_sizes(page) -> list[tuple[int, int, float, float]]:
    """Return natural and shown width and height of each report figure."""
    return page.eval_on_selector_all(
        "img.report-figure",
        """images => images.map(image => {
            const box = image.getBoundingClientRect();
            return [image.naturalWidth, image.naturalHeight, box.width, box.height];
        })""",
    )


def test_index_and_report_over_http(share, server, browser, artifacts):
    recorder = Recorder(browser, on_loopback)
    page = recorder.page
    page.goto(f"{server}/index.html", wait_until="networkidle")
    assert page.locator("html").get_attribute("lang") == "nl"
    assert page.locator("h1").inner_text() == "Lerarenkaart: rapporten per jaar"
    page.screenshot(path=artifacts / "index.png", full_page=True)

    # The stable link goes through the year's redirect page to the current report.
    current = latest_version(share, 2022).id
    page.get_by_role("link", name="Actuele versie van 2022").click()
    page.wait_for_url(f"**/2022/{current}/lerarenkaart-2022.html")
    page.wait_for_load_state("networkidle")
    assert page.locator("html").get_attribute("lang") == "nl"
    assert current in page.locator(".report-version").inner_text()
    sizes = figure_sizes(page)
    page.screenshot(path=artifacts / "report-2022.png", full_page=True)
    page.pdf(path=artifacts / "report-2022.pdf", format="A4")
    recorder.context.close()

    assert recorder.blocked == []
    assert recorder.outside() == []
    assert recorder.errors == []
    assert len(sizes) == FIGURES
    for natural_width, natural_height, width, height in sizes:
        assert natural_width > 0
        assert natural_height > 0
        assert width > 0
        assert height > 0
    assert (artifacts / "report-2022.pdf").stat().st_size > 10_000


def test_report_from_file(share, browser, artifacts):
    current = latest_version(share, 2022)
    recorder = Recorder(browser, on_disk)
    page = recorder.page
    page.goto((current.folder / "lerarenkaart-2022.html").as_uri(), wait_until="load")
    sizes = figure_sizes(page)
    tables_link = page.get_by_role("link", name="Tabellen (CSV)")
    tables_link.click()
    page.wait_for_load_state("load")
    title = page.title()
    recorder.context.close()

    assert recorder.blocked == []
    assert recorder.outside() == []
    assert recorder.errors == []
    assert len(sizes) == FIGURES
    assert all(width > 0 for _, _, width, _ in sizes)
    assert all(height > 0 for _, _, _, height in sizes)
    assert title == f"Lerarenkaart 2022: tabellen van versie {current.id}"
