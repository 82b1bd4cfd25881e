"""Output paths stay under reports/ and data/processed/, and text from the raw data
is escaped in the HTML report."""

from __future__ import annotations

import shutil

import pytest
from project_copy import ROOT, run_cli

from helpers.manifest import write_checksums
from lerarenkaart.build import build_year
from lerarenkaart.layout import Layout, UnsafePathError, inside

PAYLOAD = "<script>alert(1)</script>"


@pytest.mark.parametrize("part", ["..", "../x", "/tmp", "2022/../..", "", "."])
def test_inside_rejects_escaping_part(tmp_path, part):
    with pytest.raises(UnsafePathError):
        inside(tmp_path / "reports", part)


@pytest.mark.parametrize("parts", [(2022,), ("2022", "v1"), ("_failed", 2021)])
def test_inside_accepts_plain_parts(tmp_path, parts):
    path = inside(tmp_path / "reports", *parts)
    assert path.is_relative_to(tmp_path / "reports")


def test_build_rejects_escaping_year(tmp_path):
    layout = Layout.at(
        ROOT, processed_dir=tmp_path / "processed", reports_dir=tmp_path / "reports"
    )
    with pytest.raises(UnsafePathError):
        build_year(layout, "../../outside")
    assert not (tmp_path / "outside").exists()
    assert not (tmp_path / "reports").exists()


@pytest.mark.parametrize("year", ["../2022", "2022/..", "-1", "22"])
def test_cli_rejects_invalid_year(tmp_path, year):
    result = run_cli(ROOT, "run", "--year", year, "--reports-dir", str(tmp_path))
    assert result.returncode == 2
    assert f"invalid year {year!r}" in result.stderr
    assert not any(tmp_path.iterdir())


@pytest.mark.parametrize("name", ["year", "raw_dir", "processed_dir", "previous_dir"])
def test_cli_rejects_reserved_parameter(tmp_path, name):
    result = run_cli(
        ROOT, "run", "--all", "--param", f"{name}=/tmp", "--reports-dir", str(tmp_path)
    )
    assert result.returncode == 2
    assert f"parameter {name!r} is set by the runner" in result.stderr
    assert not any(tmp_path.iterdir())


def test_report_escapes_raw_text(tmp_path):
    raw = tmp_path / "raw"
    shutil.copytree(ROOT / "data" / "raw", raw)
    milestones = raw / "digital_card_milestones.csv"
    text = milestones.read_text(encoding="utf-8")
    event = "Gunning voor de ontwikkeling van een digitale Lerarenkaart lopende"
    assert event in text
    milestones.write_text(text.replace(event, PAYLOAD), encoding="utf-8")
    manifest = raw / "sources.yaml"
    lines = manifest.read_text(encoding="utf-8").splitlines(keepends=True)
    index = next(i for i, line in enumerate(lines) if "title: Bevolking" in line)
    lines[index] = f'    title: "{PAYLOAD} Bevolking per gemeente"\n'
    manifest.write_text("".join(lines), encoding="utf-8")
    write_checksums(raw)
    layout = Layout.at(
        ROOT,
        raw_dir=raw,
        processed_dir=tmp_path / "processed",
        reports_dir=tmp_path / "reports",
    )

    result = build_year(layout, 2022)

    html = result.html.read_text(encoding="utf-8")
    assert PAYLOAD not in html
    assert html.count("&lt;script&gt;alert(1)&lt;/script&gt;") == 2
