"""Tests for helpers.manifest: the sources and sha256 checksums of data/raw/."""

from __future__ import annotations

import hashlib

import pytest
import yaml

from helpers.errors import RawDataError
from helpers.manifest import (
    MANIFEST,
    load_manifest,
    sha256_of,
    source_table,
    verify_checksums,
    write_checksums,
)


def sha256_by_hashlib(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def change_one_byte(path) -> None:
    content = bytearray(path.read_bytes())
    index = content.index(b"220.679")
    content[index + 6] = ord("8")  # 220.679 -> 220.678
    path.write_bytes(bytes(content))


def test_sha256_of_matches_hashlib(raw_dir):
    path = raw_dir / "cards_per_year.csv"
    assert sha256_of(path) == sha256_by_hashlib(path)


def test_verify_checksums_shipped_data(raw_dir):
    checksums = verify_checksums(raw_dir)
    assert sorted(checksums) == sorted(path.name for path in raw_dir.glob("*.csv"))
    for name, checksum in checksums.items():
        assert checksum == sha256_by_hashlib(raw_dir / name), name


def test_verify_checksums_changed_byte(raw_copy):
    path = raw_copy.path("cards_per_year.csv")
    change_one_byte(path)
    with pytest.raises(RawDataError) as caught:
        verify_checksums(raw_copy.folder)
    message = str(caught.value)
    assert message.startswith(str(path))
    assert sha256_by_hashlib(path) in message
    assert "checksums --write" in message


def test_verify_checksums_unlisted_csv(raw_copy):
    extra = raw_copy.path("extra_figures.csv")
    extra.write_text("year,cards\n2023,1\n", encoding="utf-8")
    with pytest.raises(RawDataError, match="not listed in the manifest") as caught:
        verify_checksums(raw_copy.folder)
    assert str(extra) in str(caught.value)


def test_verify_checksums_missing_file(raw_copy):
    path = raw_copy.path("website_visits.csv")
    path.unlink()
    with pytest.raises(RawDataError, match="not found") as caught:
        verify_checksums(raw_copy.folder)
    assert str(path) in str(caught.value)


def test_load_manifest_unknown_source(raw_copy):
    path = raw_copy.path(MANIFEST)
    text = path.read_text(encoding="utf-8")
    path.write_text(
        text.replace("sources: [statbel_population]", "sources: [statbel_pop]"),
        encoding="utf-8",
    )
    with pytest.raises(RawDataError, match="unknown source 'statbel_pop'"):
        load_manifest(raw_copy.folder)


def test_load_manifest_missing(raw_copy):
    raw_copy.path(MANIFEST).unlink()
    with pytest.raises(RawDataError, match="manifest not found"):
        load_manifest(raw_copy.folder)


def test_load_manifest_invalid_yaml(raw_copy):
    raw_copy.path(MANIFEST).write_text("files: [unclosed\n", encoding="utf-8")
    with pytest.raises(RawDataError, match="invalid YAML"):
        load_manifest(raw_copy.folder)


@pytest.mark.parametrize("text", ["", "# only a comment\n", "- a list\n"])
def test_load_manifest_not_mapping(raw_copy, text):
    path = raw_copy.path(MANIFEST)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(RawDataError) as caught:
        load_manifest(raw_copy.folder)
    assert str(path) in str(caught.value)


def test_write_checksums_records_change(raw_copy):
    path = raw_copy.path("cards_per_year.csv")
    change_one_byte(path)
    changed = write_checksums(raw_copy.folder)
    manifest = yaml.safe_load(raw_copy.path(MANIFEST).read_text(encoding="utf-8"))
    assert changed == ["cards_per_year.csv"]
    assert manifest["files"]["cards_per_year.csv"]["sha256"] == sha256_by_hashlib(path)
    assert verify_checksums(raw_copy.folder)["cards_per_year.csv"] == (
        sha256_by_hashlib(path)
    )


def test_write_checksums_keeps_comments(raw_copy):
    manifest_path = raw_copy.path(MANIFEST)
    before = manifest_path.read_text(encoding="utf-8").splitlines()
    change_one_byte(raw_copy.path("cards_per_year.csv"))
    write_checksums(raw_copy.folder)
    after = manifest_path.read_text(encoding="utf-8").splitlines()

    comments = [line for line in before if line.lstrip().startswith("#")]
    differing = [
        (old, new) for old, new in zip(before, after, strict=True) if old != new
    ]
    assert comments
    assert [line for line in after if line.lstrip().startswith("#")] == comments
    assert len(after) == len(before)
    assert len(differing) == 1
    assert differing[0][1].strip().startswith("sha256: ")


def test_write_checksums_unchanged_bytes(raw_copy):
    manifest_path = raw_copy.path(MANIFEST)
    before = manifest_path.read_bytes()
    assert write_checksums(raw_copy.folder) == []
    assert manifest_path.read_bytes() == before


def test_source_table_row_per_source(raw_dir):
    rows = source_table(load_manifest(raw_dir))
    staff = [row for row in rows if row["file"] == "staff_national.csv"]
    # The manifest lists four sources for staff_national.csv.
    assert [row["source_id"] for row in staff] == [
        "statistiek_vlaanderen_personeel",
        "mvo_vlaanderen_onderwijs",
        "npdata_bug_515",
        "weyts_press_2024",
    ]
    assert all(row["sha256"] for row in rows)
    assert {row["file"] for row in rows} == {
        path.name for path in raw_dir.glob("*.csv")
    }
