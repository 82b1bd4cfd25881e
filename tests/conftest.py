"""Fixtures for the helper tests: the shipped raw data and writable copies of it."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from helpers import raw

RAW_DIR = Path(__file__).resolve().parents[1] / "data" / "raw"


class RawCopy:
    """A writable copy of ``data/raw/`` in which a test edits single lines.

    Line numbers are those an editor shows, so the header is line 1. An edit fails the
    test when the line to change is not in the file exactly once, so that a change to
    the shipped data cannot turn a test case into a no-op.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def path(self, name: str) -> Path:
        return self.folder / name

    def _lines(self, name: str, line: str) -> tuple[list[str], int]:
        lines = self.path(name).read_text(encoding="utf-8").splitlines()
        count = lines.count(line)
        assert count == 1, f"{name} contains {count} lines {line!r}, expected 1"
        return lines, lines.index(line)

    def _write(self, name: str, lines: list[str]) -> None:
        self.path(name).write_text("\n".join(lines) + "\n", encoding="utf-8")

    def replace(self, name: str, line: str, new_line: str) -> int:
        """Replace ``line`` by ``new_line`` and return the line number of the edit."""
        lines, index = self._lines(name, line)
        lines[index] = new_line
        self._write(name, lines)
        return index + 1

    def insert_after(self, name: str, line: str, new_line: str) -> int:
        """Insert ``new_line`` after ``line`` and return the new line's number."""
        lines, index = self._lines(name, line)
        lines.insert(index + 1, new_line)
        self._write(name, lines)
        return index + 2

    def delete(self, name: str, line: str) -> None:
        lines, index = self._lines(name, line)
        del lines[index]
        self._write(name, lines)


@pytest.fixture
def raw_dir() -> Path:
    """The shipped ``data/raw/``, to be read and never written."""
    return RAW_DIR


@pytest.fixture
def raw_copy(tmp_path: Path) -> RawCopy:
    """A copy of the shipped ``data/raw/`` in ``tmp_path``, for tests that edit it."""
    folder = tmp_path / "raw"
    shutil.copytree(RAW_DIR, folder)
    return RawCopy(folder)


@pytest.fixture(scope="session")
def tables() -> dict[str, pd.DataFrame]:
    """Every raw table loaded from the shipped data. Tests must not change them."""
    return raw.load_all(RAW_DIR)
