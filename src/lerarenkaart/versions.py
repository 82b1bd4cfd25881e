"""The versions of each year's report, and the pointer to the current one.

``reports/<year>/latest.json`` names the current version, and
``reports/<year>/index.html`` redirects to its report without script (a meta refresh
and a plain link), so a bookmark on that page always opens the current report. Every
file here is written to a temporary name and renamed, so a reader sees the old or the
new file, never a half-written one.
"""

from __future__ import annotations

import html
import json
import logging
import os
from dataclasses import dataclass
from pathlib import Path

from lerarenkaart.layout import (
    LATEST,
    MANIFEST,
    YEAR_INDEX,
    is_version_name,
    report_name,
)

log = logging.getLogger(__name__)

REDIRECT = """<!DOCTYPE html>
<html lang="nl">
<head>
<meta charset="utf-8">
<meta http-equiv="refresh" content="0; url={target}">
<title>Lerarenkaart {year}: actuele versie</title>
</head>
<body>
<p>De actuele versie van het rapport over {year} is
<a href="{target}">versie {version}</a> ({date}).</p>
<p><a href="../index.html">Alle jaren en versies</a></p>
</body>
</html>
"""


@dataclass(frozen=True)
class Version:
    """One promoted report version and its manifest."""

    year: int
    id: str
    folder: Path
    manifest: dict

    @property
    def started_at(self) -> str:
        """UTC start of the build in ISO 8601, which dates the version."""
        return self.manifest.get("started_at", "")


def write_if_changed(path: Path, text: str) -> bool:
    """Write ``text`` to ``path`` by a rename, unless the file already contains it.

    Returns whether the file was written; an unchanged file keeps its time stamp.
    """
    data = text.encode("utf-8")
    if path.exists() and path.read_bytes() == data:
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    temporary.write_bytes(data)
    os.replace(temporary, path)
    return True


def read_manifest(folder: Path) -> dict | None:
    """Return the manifest of a version folder, or None if it has none or is invalid."""
    path = folder / MANIFEST
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as error:
        log.error("%s: manifest not readable, version skipped: %s", path, error)
        return None


def find_version(reports_dir: Path, year: int, version: str) -> Version | None:
    """Return a promoted version of ``year``, or None if its folder has no manifest."""
    folder = reports_dir / str(year) / version
    manifest = read_manifest(folder)
    if manifest is None:
        return None
    return Version(year=year, id=version, folder=folder, manifest=manifest)


def list_years(reports_dir: Path) -> list[int]:
    """Return the years that have a folder in ``reports_dir``, newest first."""
    if not reports_dir.is_dir():
        return []
    years = (int(p.name) for p in reports_dir.iterdir() if p.name.isdigit())
    return sorted(years, reverse=True)


def list_versions(reports_dir: Path, year: int) -> list[Version]:
    """Return the promoted versions of ``year``, the most recently started first."""
    year_dir = reports_dir / str(year)
    if not year_dir.is_dir():
        return []
    versions = []
    for folder in year_dir.iterdir():
        if folder.is_dir() and is_version_name(folder.name):
            version = find_version(reports_dir, year, folder.name)
            if version is not None:
                versions.append(version)
    return sorted(versions, key=lambda v: (v.started_at, v.id), reverse=True)


def latest_version(reports_dir: Path, year: int) -> Version | None:
    """Return the current version of ``year`` as the pointer names it, or None."""
    pointer = reports_dir / str(year) / LATEST
    try:
        version = json.loads(pointer.read_text(encoding="utf-8"))["version"]
    except FileNotFoundError:
        return None
    except (OSError, ValueError, KeyError, TypeError) as error:
        log.error("%s: invalid pointer to the current version: %s", pointer, error)
        return None
    found = find_version(reports_dir, year, version)
    if found is None:
        log.error("%s: names version %s, which has no manifest", pointer, version)
    return found


def display_time(stamp: str) -> str:
    """Format an ISO UTC time stamp as Belgian local time: "2026-12-04 16:40 CET"."""
    from datetime import UTC, datetime

    try:
        moment = datetime.fromisoformat(stamp)
    except ValueError:
        return stamp
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        zone = ZoneInfo("Europe/Brussels")
    except ZoneInfoNotFoundError:
        # NOTE: without a time zone database (tzdata) the time is shown in UTC.
        return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return moment.astimezone(zone).strftime("%Y-%m-%d %H:%M %Z")


def write_year_pointer(reports_dir: Path, version: Version) -> bool:
    """Point ``reports/<year>/`` at ``version``: latest.json and the redirect page.

    Returns whether anything changed.
    """
    year_dir = reports_dir / str(version.year)
    target = f"{version.id}/{report_name(version.year)}"
    pointer = json.dumps(
        {"version": version.id, "report": target}, indent=2, sort_keys=True
    )
    page = REDIRECT.format(
        target=html.escape(target),
        year=version.year,
        version=html.escape(version.id),
        date=html.escape(display_time(version.started_at)),
    )
    changed = write_if_changed(year_dir / LATEST, pointer + "\n")
    return write_if_changed(year_dir / YEAR_INDEX, page) or changed
