"""The folder layout of the project, in one place."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

NOTEBOOKS = ("01_clean.ipynb", "02_uptake.ipynb", "03_report.ipynb")
REPORT_NOTEBOOK = "03_report.ipynb"
TEMPLATES = Path(__file__).parent / "templates"

# Inside a version folder reports/<year>/<version>/.
MANIFEST = "manifest.json"
TABLES = "tables"
EXECUTED = "notebooks"
# Inside a year folder reports/<year>/: the pointer to the current version, and the
# page that redirects to its report.
LATEST = "latest.json"
YEAR_INDEX = "index.html"
VERSION_LENGTH = 12


class UnsafePathError(ValueError):
    """An output path built from a year or version that would leave its folder."""


def inside(base: Path, *parts: object) -> Path:
    """Join ``parts`` to ``base`` and return the path if it stays under ``base``.

    Raises UnsafePathError for a part such as "..", "/tmp" or "2022/../../x" that
    would write outside ``base``, and for an empty part.
    """
    texts = [str(part) for part in parts]
    if any(text in ("", ".") for text in texts):
        raise UnsafePathError(f"empty path part in {texts} under {base}")
    path = Path(base, *texts).resolve()
    if not path.is_relative_to(Path(base).resolve()) or path == Path(base).resolve():
        raise UnsafePathError(
            f"{'/'.join(texts)!r} would leave {base}; use a plain year or version"
        )
    return path


def find_root(start: Path | None = None) -> Path:
    """Return the project root.

    That is $LERARENKAART_ROOT if set, else the nearest folder upwards from ``start``
    (default: the working folder) that contains pyproject.toml and notebooks/.
    """
    if os.environ.get("LERARENKAART_ROOT"):
        return Path(os.environ["LERARENKAART_ROOT"]).resolve()
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "pyproject.toml").exists() and (folder / "notebooks").is_dir():
            return folder
    raise FileNotFoundError(
        f"no project root above {here}: run from inside the repository or set "
        "LERARENKAART_ROOT"
    )


def report_name(year: int) -> str:
    """Return the file name of a year's HTML report inside its version folder."""
    return f"lerarenkaart-{year}.html"


def is_version_name(name: str) -> bool:
    """Tell whether a folder name in reports/<year>/ has the form of a version id."""
    return len(name) == VERSION_LENGTH and all(c in "0123456789abcdef" for c in name)


@dataclass(frozen=True)
class Layout:
    """Folders the runner reads (notebooks, raw) and writes (processed, reports).

    A report version lives in ``reports/<year>/<version>/``: the HTML report, its
    manifest, the processed tables as CSV under ``tables/`` and the executed notebooks
    under ``notebooks/``. A version folder is written once and never changed.
    """

    root: Path
    raw_dir: Path
    processed_dir: Path
    reports_dir: Path

    @classmethod
    def at(cls, root: Path, *, raw_dir=None, processed_dir=None, reports_dir=None):
        root = Path(root).resolve()
        return cls(
            root=root,
            raw_dir=Path(raw_dir or root / "data" / "raw").resolve(),
            processed_dir=Path(processed_dir or root / "data" / "processed").resolve(),
            reports_dir=Path(reports_dir or root / "reports").resolve(),
        )

    @property
    def notebooks_dir(self) -> Path:
        return self.root / "notebooks"

    @property
    def helpers_dir(self) -> Path:
        return self.root / "src" / "helpers"

    @property
    def lock_file(self) -> Path:
        return self.root / "requirements.lock"

    def year_dir(self, year: int) -> Path:
        return inside(self.reports_dir, year)

    def version_dir(self, year: int, version: str) -> Path:
        return inside(self.year_dir(year), version)

    def report_html(self, year: int, version: str) -> Path:
        return self.version_dir(year, version) / report_name(year)

    @property
    def index_html(self) -> Path:
        return self.reports_dir / "index.html"

    @property
    def staging_dir(self) -> Path:
        return self.reports_dir / ".staging"

    @property
    def failed_dir(self) -> Path:
        return self.reports_dir / "_failed"
