"""The raw-data manifest ``data/raw/sources.yaml``: sources, licences and checksums."""

from __future__ import annotations

import hashlib
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

    Raises RawDataError for a missing, invalid or empty manifest, a CSV file in
    ``raw_dir`` that the manifest does not list, or a file entry that names an unknown
    source.
    """
    raw_dir = Path(raw_dir)
    path = raw_dir / MANIFEST
    try:
        manifest = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise RawDataError(
            path, "manifest not found", action="restore data/raw/sources.yaml from git"
        ) from None
    except yaml.YAMLError as error:
        raise RawDataError(path, f"invalid YAML: {error}") from None
    if not isinstance(manifest, dict):
        raise RawDataError(
            path,
            "the manifest is empty or not a mapping of 'sources' and 'files'",
            action="restore data/raw/sources.yaml from git",
        )
    sources = manifest.get("sources") or {}
    files = manifest.get("files") or {}
    for name, entry in files.items():
        for source_id in entry.get("sources", []):
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


def verify_checksums(raw_dir: str | Path) -> dict[str, str]:
    """Compare each listed file with its recorded sha256 and return name -> sha256.

    Raises RawDataError naming the first file that is missing or whose bytes changed.
    """
    raw_dir = Path(raw_dir)
    manifest = load_manifest(raw_dir)
    checksums = {}
    for name, entry in sorted(manifest["files"].items()):
        path = raw_dir / name
        if not path.exists():
            raise RawDataError(
                path,
                "file listed in the manifest not found",
                action="restore it from git",
            )
        actual = sha256_of(path)
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


def write_checksums(raw_dir: str | Path) -> list[str]:
    """Record the current sha256 of every listed file in the manifest.

    Returns the names whose checksum changed. Only the ``sha256:`` lines are rewritten,
    so the manifest's comments and layout stay as they are.
    """
    raw_dir = Path(raw_dir)
    manifest = load_manifest(raw_dir)
    path = raw_dir / MANIFEST
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    changed, current = [], None
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
            actual = sha256_of(raw_dir / current)
            if manifest["files"][current].get("sha256") != actual:
                changed.append(current)
            indent = line[: len(line) - len(line.lstrip())]
            lines[index] = f"{indent}sha256: {actual}\n"
    path.write_text("".join(lines), encoding="utf-8")
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
