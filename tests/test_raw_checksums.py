"""Raw data is immutable: every run compares the raw files with the manifest's
checksums, and only `lerarenkaart checksums --write` records a reviewed change."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from helpers import manifest
from helpers.errors import RawDataError
from lerarenkaart.build import NotebookFailedError, build_year
from lerarenkaart.layout import Layout

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def raw_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "raw"
    shutil.copytree(ROOT / "data" / "raw", folder)
    return folder


def change(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_shipped_files_match_manifest(raw_dir):
    checksums = manifest.verify_checksums(raw_dir)
    assert sorted(checksums) == sorted(path.name for path in raw_dir.glob("*.csv"))


def test_changed_file_is_named(raw_dir):
    change(raw_dir / "website_visits.csv", "700.000", "710.000")
    with pytest.raises(RawDataError, match="sha256 differs") as error:
        manifest.verify_checksums(raw_dir)
    assert error.value.path == str(raw_dir / "website_visits.csv")
    assert "checksums --write" in error.value.action


def test_write_records_reviewed_change(raw_dir):
    change(raw_dir / "website_visits.csv", "700.000", "710.000")
    changed = manifest.write_checksums(raw_dir)
    assert changed == ["website_visits.csv"]
    assert manifest.verify_checksums(raw_dir)["website_visits.csv"] == (
        manifest.sha256_of(raw_dir / "website_visits.csv")
    )


def test_write_keeps_manifest_comments(raw_dir):
    before = (raw_dir / "sources.yaml").read_text(encoding="utf-8")
    change(raw_dir / "website_visits.csv", "700.000", "710.000")
    manifest.write_checksums(raw_dir)
    after = (raw_dir / "sources.yaml").read_text(encoding="utf-8")
    assert after.splitlines()[:4] == before.splitlines()[:4]
    assert len(after.splitlines()) == len(before.splitlines())


def test_write_rejects_entry_without_checksum(raw_dir):
    path = raw_dir / "sources.yaml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    index = next(i for i, line in enumerate(lines) if line.startswith("  website_"))
    sha_line = next(i for i in range(index, len(lines)) if "sha256:" in lines[i])
    del lines[sha_line]
    path.write_text("".join(lines), encoding="utf-8")
    before = path.read_bytes()
    with pytest.raises(RawDataError, match="website_visits.csv has no sha256 line"):
        manifest.write_checksums(raw_dir)
    assert path.read_bytes() == before


def test_missing_file_is_named(raw_dir):
    (raw_dir / "cards_by_channel.csv").unlink()
    with pytest.raises(RawDataError, match="listed in the manifest not found") as error:
        manifest.verify_checksums(raw_dir)
    assert error.value.path.endswith("cards_by_channel.csv")


def test_unlisted_file_is_named(raw_dir):
    (raw_dir / "extra.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    with pytest.raises(RawDataError, match="not listed in the manifest") as error:
        manifest.verify_checksums(raw_dir)
    assert error.value.path.endswith("extra.csv")


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("- a\n- b\n", "expected a mapping"),
        ("files: [a.csv]\n", "'files' is not a mapping"),
        ("files:\n  a.csv: 3\n", "entry 'a.csv' under 'files' is not a mapping"),
        ("files:\n  ../x.csv: {}\n", "not a plain file name"),
        ("files:\n  a.csv:\n    sources: vraag\n", "not a list of source names"),
        ("files: {a.csv: {sources: [nope]}}\n", "unknown source 'nope'"),
        ("files: [\n", "invalid YAML"),
    ],
)
def test_invalid_manifest_is_named(raw_dir, text, words):
    (raw_dir / "sources.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(RawDataError, match="sources.yaml") as error:
        manifest.load_manifest(raw_dir)
    assert words in str(error.value)
    assert "\n" not in str(error.value)


def test_clean_notebook_checks_checksums(raw_dir, tmp_path):
    change(raw_dir / "website_visits.csv", "700.000", "710.000")
    layout = Layout.at(
        ROOT,
        raw_dir=raw_dir,
        processed_dir=tmp_path / "processed",
        reports_dir=tmp_path / "reports",
    )
    with pytest.raises(NotebookFailedError) as failure:
        build_year(layout, 2022)
    assert failure.value.notebook == "01_clean.ipynb"
    assert "website_visits.csv" in failure.value.error
    assert "sha256 differs" in failure.value.error
    assert not layout.year_dir(2022).exists()
