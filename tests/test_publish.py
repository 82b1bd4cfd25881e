"""Publishing report versions to a folder such as an intranet share."""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from helpers.manifest import write_checksums
from lerarenkaart import publish as publish_module
from lerarenkaart.build import build_year, staging_name
from lerarenkaart.index import write_index
from lerarenkaart.layout import Layout
from lerarenkaart.publish import PublishError, publish
from lerarenkaart.versions import latest_version, list_versions

ROOT = Path(__file__).resolve().parents[1]


def tree(folder: Path) -> dict[str, bytes]:
    """Return relative path -> bytes of every file below ``folder``."""
    return {
        path.relative_to(folder).as_posix(): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def times(folder: Path) -> dict[str, int]:
    return {
        path.relative_to(folder).as_posix(): path.stat().st_mtime_ns
        for path in sorted(folder.rglob("*"))
    }


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Layout:
    """Build 2022 once from a copy of the raw data, into temporary folders."""
    base = tmp_path_factory.mktemp("publish")
    shutil.copytree(ROOT / "data" / "raw", base / "raw")
    layout = Layout.at(
        ROOT,
        raw_dir=base / "raw",
        processed_dir=base / "processed",
        reports_dir=base / "reports",
    )
    build_year(layout, 2022)
    write_index(layout.reports_dir)
    return layout


@pytest.fixture
def reports(built, tmp_path) -> Path:
    """A writable copy of the built reports folder."""
    copy = tmp_path / "reports"
    shutil.copytree(built.reports_dir, copy)
    return copy


def add_version(reports: Path, year: int, version: str) -> None:
    """Add a version by copying the current one under another id, as a newer build."""
    current = latest_version(reports, year)
    folder = reports / str(year) / version
    shutil.copytree(current.folder, folder)
    manifest = dict(current.manifest)
    manifest.update(
        version=version,
        previous_version=current.id,
        started_at="2999-01-01T00:00:00+00:00",
    )
    (folder / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    pointer = {"version": version, "report": f"{version}/lerarenkaart-{year}.html"}
    (reports / str(year) / "latest.json").write_text(json.dumps(pointer), "utf-8")
    write_index(reports)


def test_publish_copies_version(reports, tmp_path):
    target = tmp_path / "share"
    copied = publish(reports, target)
    current = latest_version(reports, 2022)
    assert copied == [f"2022/{current.id}"]
    assert (target / "2022" / current.id / "lerarenkaart-2022.html").exists()
    assert (target / "index.html").exists()
    assert (target / "2022" / "index.html").exists()


def test_publish_twice_changes_nothing(reports, tmp_path):
    target = tmp_path / "share"
    publish(reports, target)
    before, stamps = tree(target), times(target)
    assert publish(reports, target) == []
    assert tree(target) == before
    assert times(target) == stamps


def test_two_fresh_targets_identical(reports, tmp_path):
    publish(reports, tmp_path / "first")
    publish(reports, tmp_path / "second")
    assert tree(tmp_path / "first") == tree(tmp_path / "second")


def test_published_index_matches_local(reports, tmp_path):
    publish(reports, tmp_path / "share")
    published = (tmp_path / "share" / "index.html").read_bytes()
    assert published == (reports / "index.html").read_bytes()


def test_published_links_resolve(reports, tmp_path):
    target = tmp_path / "share"
    publish(reports, target)
    pages = [target / "index.html", target / "2022" / "index.html"]
    pages += list(target.glob("2022/*/tables/index.html"))
    checked = 0
    for page in pages:
        for link in re.findall(r'href="([^"#]+)"', page.read_text(encoding="utf-8")):
            if link.startswith(("http://", "https://")):
                continue
            assert (page.parent / link).resolve().is_file(), f"{page}: {link}"
            checked += 1
    assert checked > 5


def test_publish_leaves_no_temporary(reports, tmp_path):
    target = tmp_path / "share"
    publish(reports, target)
    hidden = [p for p in target.rglob("*") if p.name.startswith(".")]
    assert hidden == []


def test_publish_keeps_versions_only_in_target(reports, tmp_path):
    target = tmp_path / "share"
    publish(reports, target)
    add_version(reports, 2022, "aaaaaaaaaaaa")
    publish(reports, target)
    shutil.rmtree(reports / "2022" / "aaaaaaaaaaaa")
    publish(reports, target)
    assert (target / "2022" / "aaaaaaaaaaaa" / "manifest.json").exists()
    index = (target / "index.html").read_text(encoding="utf-8")
    assert "2022/aaaaaaaaaaaa/lerarenkaart-2022.html" in index


def test_publish_moves_pointer(reports, tmp_path):
    target = tmp_path / "share"
    publish(reports, target)
    add_version(reports, 2022, "bbbbbbbbbbbb")
    assert publish(reports, target) == ["2022/bbbbbbbbbbbb"]
    page = (target / "2022" / "index.html").read_text(encoding="utf-8")
    assert "url=bbbbbbbbbbbb/lerarenkaart-2022.html" in page


def test_failed_copy_leaves_target(reports, tmp_path, monkeypatch):
    target = tmp_path / "share"
    publish(reports, target)
    before = tree(target)
    add_version(reports, 2022, "cccccccccccc")

    def copy_then_fail(source, destination, **options):
        Path(destination).mkdir()
        shutil.copy2(Path(source) / "manifest.json", Path(destination))
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(publish_module.shutil, "copytree", copy_then_fail)
    with pytest.raises(OSError, match="No space left"):
        publish(reports, target)
    assert tree(target) == before
    assert not any(p.name.startswith(".") for p in target.rglob("*"))


def test_stale_temporary_removed(reports, tmp_path):
    target = tmp_path / "share"
    publish(reports, target)
    # A process id above the kernel's pid_max (at most 2**22) never runs.
    stale = (
        target
        / "2022"
        / (
            publish_module._temporary_name("dddddddddddd").rsplit("-", 1)[0]
            + "-99999999"
        )
    )
    stale.mkdir()
    publish(reports, target)
    assert not stale.exists()


def test_target_inside_reports_rejected(reports):
    with pytest.raises(PublishError, match="inside the reports folder"):
        publish(reports, reports / "share")


def run_cli(*arguments: str, **options) -> subprocess.CompletedProcess:
    environment = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    return subprocess.run(
        [sys.executable, "-m", "lerarenkaart.cli", "--root", str(ROOT), *arguments],
        capture_output=True,
        text=True,
        env=environment,
        timeout=600,
        check=False,
        **options,
    )


def test_cli_publish_twice(reports, tmp_path):
    target = tmp_path / "share"
    first = run_cli("publish", "--to", str(target), "--reports-dir", str(reports))
    second = run_cli("publish", "--to", str(target), "--reports-dir", str(reports))
    assert first.returncode == 0, first.stderr
    assert "published to" in first.stderr
    assert second.returncode == 0, second.stderr
    assert "no new version, nothing copied" in second.stderr


def test_cli_publish_into_reports_is_one_line(reports):
    result = run_cli(
        "publish", "--to", str(reports / "x"), "--reports-dir", str(reports)
    )
    errors = [line for line in result.stderr.splitlines() if line.startswith("ERROR")]
    assert result.returncode == 2
    assert len(errors) == 1
    assert "choose a folder outside it" in errors[0]


def test_killed_build_leaves_published(built, tmp_path):
    reports = tmp_path / "reports"
    shutil.copytree(built.reports_dir, reports)
    raw = tmp_path / "raw"
    shutil.copytree(built.raw_dir, raw)
    target = tmp_path / "share"
    publish(reports, target)
    published, local = tree(target), tree(reports)
    current = latest_version(reports, 2022).id

    visits = raw / "website_visits.csv"
    visits.write_text(visits.read_text().replace("800.000", "820.000"), "utf-8")
    write_checksums(raw)
    folders = ["--raw-dir", str(raw), "--reports-dir", str(reports)]
    folders += ["--processed-dir", str(tmp_path / "processed")]
    environment = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    build = subprocess.Popen(
        [sys.executable, "-m", "lerarenkaart.cli", "--root", str(ROOT), "run"]
        + ["--year", "2022", *folders],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    # Kill the build once 01 has been executed and 02 is running.
    executed = (
        reports / ".staging" / staging_name(2022, build.pid) / "version" / "notebooks"
    )
    deadline = time.monotonic() + 300
    while not (executed / "02_uptake.ipynb").exists():
        assert build.poll() is None, "the build ended before it could be killed"
        assert time.monotonic() < deadline, "the build did not reach 02_uptake"
        time.sleep(0.05)
    os.kill(build.pid, signal.SIGKILL)
    build.wait(timeout=60)

    assert latest_version(reports, 2022).id == current
    assert [v.id for v in list_versions(reports, 2022)] == [current]
    assert (reports / ".staging" / staging_name(2022, build.pid)).exists()
    assert publish(reports, target) == []
    assert tree(target) == published
    assert {k: v for k, v in tree(reports).items() if k in local} == local

    rebuilt = run_cli("run", "--year", "2022", *folders)
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert not (reports / ".staging" / staging_name(2022, build.pid)).exists()
    assert len(list_versions(reports, 2022)) == 2
