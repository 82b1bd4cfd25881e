"""Copy the report versions to a folder that readers open, such as an intranet share.

Each version folder is copied under a hidden temporary name in the target and then
renamed, so a reader of the target never sees a half-copied version. A version that
the target has already is left as it is, because versions never change; nothing is
deleted from the target. The year pointers and the index are written last and from
what the target holds, so every link on them leads to a complete version, also for
versions that were published earlier from another checkout.
"""

from __future__ import annotations

import logging
import os
import shutil
import socket
from pathlib import Path

from lerarenkaart.index import write_index
from lerarenkaart.layout import MANIFEST
from lerarenkaart.versions import (
    find_version,
    latest_version,
    list_versions,
    list_years,
    write_year_pointer,
)

log = logging.getLogger(__name__)

TEMPORARY_MARK = ".publishing-"


class PublishError(RuntimeError):
    """A target folder that cannot receive the reports."""


def _temporary_name(version: str) -> str:
    return f".{version}{TEMPORARY_MARK}{socket.gethostname()}-{os.getpid()}"


def _remove_stale_temporaries(year_dir: Path) -> None:
    """Remove copies left by an interrupted publish from this host."""
    prefix = f"{TEMPORARY_MARK}{socket.gethostname()}-"
    for path in year_dir.glob(f".*{TEMPORARY_MARK}*"):
        pid = path.name.rpartition(prefix)[2]
        if prefix not in path.name or not pid.isdigit():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            log.info("removing %s, left by an interrupted publish", path)
            shutil.rmtree(path, ignore_errors=True)
        except PermissionError:
            pass


def publish(reports_dir: Path, target: Path) -> list[str]:
    """Copy every version in ``reports_dir`` that ``target`` lacks, then its pages.

    Returns the versions copied as "<year>/<version>". Raises PublishError when the
    target lies inside the reports folder, and OSError when a copy fails. A failed copy
    is removed, so the target keeps what it had.
    """
    reports_dir = reports_dir.resolve()
    target = target.resolve()
    if target == reports_dir or target.is_relative_to(reports_dir):
        raise PublishError(
            f"target {target} is inside the reports folder {reports_dir}; "
            "choose a folder outside it"
        )
    target.mkdir(parents=True, exist_ok=True)
    copied = []
    for year in list_years(reports_dir):
        year_target = target / str(year)
        year_target.mkdir(exist_ok=True)
        _remove_stale_temporaries(year_target)
        for version in list_versions(reports_dir, year):
            destination = year_target / version.id
            if destination.exists():
                if not (destination / MANIFEST).exists():
                    log.warning(
                        "%d: %s has no %s, so it is not a complete version; "
                        "remove it and publish again",
                        year,
                        destination,
                        MANIFEST,
                    )
                continue
            temporary = year_target / _temporary_name(version.id)
            try:
                shutil.copytree(version.folder, temporary)
                temporary.rename(destination)
            except OSError as error:
                log.error(
                    "%d: copying %s to %s failed: %s",
                    year,
                    version.folder,
                    target,
                    error,
                )
                shutil.rmtree(temporary, ignore_errors=True)
                raise
            copied.append(f"{year}/{version.id}")
            log.info("%d: published version %s", year, version.id)

        current = latest_version(reports_dir, year)
        published = current and find_version(target, year, current.id)
        if published:
            write_year_pointer(target, published)
    write_index(target)
    return copied
