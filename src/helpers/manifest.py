"""The raw-data manifest ``data/raw/sources.yaml``: sources, licences and checksums."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import yaml

from helpers.errors import RawDataError

MANIFEST = "sources.yaml"


def sha256_of(path: str | Path) -> str:
    """Return the hex sha256 of a file's bytes."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def load_manifest(raw_dir: str | Path) -> dict:
    """Read the manifest and check that every file and source it names is described.

    Raises RawDataError for a manifest that is missing or is not UTF-8 YAML of the
    expected shape. Also raises it for a file entry that is not a plain file name
    or names an unknown source, and for a CSV file in ``raw_dir`` that the manifest
    does not list.
    """
    raw_dir = Path(raw_dir)
    path = raw_dir / MANIFEST
    try:
        manifest = yaml.safe_load(path.read_bytes().decode("utf-8"))
    except FileNotFoundError:
        raise RawDataError(
            path, "manifest not found", action="restore data/raw/sources.yaml from git"
        ) from None
    except UnicodeDecodeError as error:
        raise RawDataError(
            path,
            f"not valid UTF-8 at byte {error.start}",
            action="save the manifest as UTF-8",
        ) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        raise RawDataError(
            path,
            f"invalid YAML: {getattr(error, 'problem', None) or error}",
            row=mark.line + 1 if mark is not None else None,
        ) from None
    _check_shape(manifest, path)

    sources = manifest.get("sources") or {}
    files = manifest.get("files") or {}
    for name, entry in files.items():
        for source_id in entry.get("sources") or []:
            if source_id not in sources:
                raise RawDataError(
                    path,
                    f"file {name} names unknown source {source_id!r}",
                    action="add the source under 'sources'",
                )
    for csv_path in sorted(raw_dir.glob("*.csv")):
        if csv_path.name not in files:
            raise RawDataError(
                csv_path,
                "raw file not listed in the manifest",
                action=f"describe its source under 'files' in {path}",
            )
    return manifest


def _check_shape(manifest: object, path: Path) -> None:
    """Raise RawDataError unless the manifest has the mappings the pipeline reads."""
    if not isinstance(manifest, dict):
        raise RawDataError(
            path,
            "expected a mapping with the keys 'sources' and 'files'",
            action="restore data/raw/sources.yaml from git",
        )
    for key in ("sources", "files"):
        if not isinstance(manifest.get(key) or {}, dict):
            raise RawDataError(
                path,
                f"'{key}' is not a mapping of names to entries",
                action="restore data/raw/sources.yaml from git",
            )
    for key in ("sources", "files"):
        for name, entry in (manifest.get(key) or {}).items():
            if not isinstance(entry, dict):
                raise RawDataError(
                    path,
                    f"the entry {name!r} under '{key}' is not a mapping",
                    action="indent its fields under the name",
                )
    for name, entry in (manifest.get("files") or {}).items():
        if not isinstance(name, str) or Path(name).name != name or name in ("", "."):
            raise RawDataError(
                path,
                f"the file name {name!r} is not a plain file name in the raw folder",
                action="list each raw file by its name, without a folder",
            )
        sources = entry.get("sources") or []
        if not isinstance(sources, list) or not all(
            isinstance(source, str) for source in sources
        ):
            raise RawDataError(
                path,
                f"the sources of {name} are not a list of source names",
                value=sources,
                action="write them as [name, ...]",
            )
        if not isinstance(entry.get("sha256") or "", str):
            raise RawDataError(
                path,
                f"the sha256 of {name} is not text",
                value=entry.get("sha256"),
                action="record it with `lerarenkaart checksums --write`",
            )


def verify_checksums(raw_dir: str | Path) -> dict[str, str]:
    """Compare each listed file with its recorded sha256 and return name -> sha256.

    Raises RawDataError naming the first file that is missing or whose bytes changed.
    """
    raw_dir = Path(raw_dir)
    manifest = load_manifest(raw_dir)
    checksums = {}
    for name, entry in sorted(manifest["files"].items()):
        path = raw_dir / name
        actual = _sha256_of_listed(path)
        if entry.get("sha256") != actual:
            raise RawDataError(
                path,
                f"sha256 differs from the manifest ({entry.get('sha256')} recorded, "
                f"{actual} found)",
                action="review the change against the source, then record it with "
                "`lerarenkaart checksums --write`",
            )
        checksums[name] = actual
    return checksums


def _sha256_of_listed(path: Path) -> str:
    if not path.is_file():
        raise RawDataError(
            path,
            "file listed in the manifest not found",
            action="restore it from git",
        )
    return sha256_of(path)


def write_checksums(raw_dir: str | Path) -> list[str]:
    """Record the current sha256 of every listed file in the manifest.

    Returns the names whose checksum changed. Only the ``sha256:`` lines are rewritten,
    so the manifest's comments and layout stay as they are. Raises RawDataError,
    leaving the manifest as it was, when a listed file is missing or its entry has
    no ``sha256:`` line.
    """
    raw_dir = Path(raw_dir)
    manifest = load_manifest(raw_dir)
    path = raw_dir / MANIFEST
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    changed, current, recorded = [], None, set()
    for index, line in enumerate(lines):
        stripped = line.strip()
        if (
            line.startswith("  ")
            and not line.startswith("   ")
            and stripped.endswith(":")
        ):
            name = stripped[:-1].strip("\"'")
            current = name if name in manifest["files"] else None
        elif current and stripped.startswith("sha256:"):
            actual = _sha256_of_listed(raw_dir / current)
            if manifest["files"][current].get("sha256") != actual:
                changed.append(current)
            indent = line[: len(line) - len(line.lstrip())]
            lines[index] = f"{indent}sha256: {actual}\n"
            recorded.add(current)
    unrecorded = sorted(set(manifest["files"]) - recorded)
    if unrecorded:
        raise RawDataError(
            path,
            f"the entry {unrecorded[0]} has no sha256 line",
            action="add a line 'sha256:' under it and run the command again",
        )
    # The rename is atomic, so a run that verifies the checksums meanwhile reads the
    # old or the new manifest and never half of it.
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    temporary.write_text("".join(lines), encoding="utf-8")
    os.replace(temporary, path)
    return changed


def source_table(manifest: dict) -> list[dict]:
    """Return one row per raw file and source: title, publisher, date, URL, licence."""
    rows = []
    for name, entry in sorted(manifest["files"].items()):
        for source_id in entry.get("sources", []):
            source = manifest["sources"][source_id]
            rows.append(
                {
                    "file": name,
                    "source_id": source_id,
                    "title": source.get("title", ""),
                    "publisher": source.get("publisher", ""),
                    "date": str(source.get("date", "")),
                    "url": source.get("url", ""),
                    "licence": source.get("licence", ""),
                    "sha256": entry.get("sha256") or "",
                }
            )
    return rows
