"""Write a SYNTHETIC raw data folder with any number of card years, for the benchmark.

The rows of the latest real year in ``data/raw/`` are copied to every synthetic year
with counts scaled by a small, fixed factor per year, so the notebooks run as they do
on real data. Every file is marked synthetic: the folder is named
``raw-synthetic-<N>-years``, it contains SYNTHETIC.txt, and the notes, quotes, scopes
and source titles in the files start with "SYNTHETIC". The folder is meant for a
temporary directory and must never be written to ``data/raw/``.
"""

from __future__ import annotations

import csv
import shutil
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
REAL_RAW = ROOT / "data" / "raw"
TEMPLATE_YEAR = 2022
LAST_YEAR = 2022
MARK = "SYNTHETIC benchmark data, not a real figure"


def _scale(text: str, factor: float) -> str:
    """Scale a count, keeping its notation: Dutch thousands dots or plain digits."""
    value = round(int(text.replace(".", "")) * factor)
    if "." not in text:
        return str(value)
    return f"{value:,}".replace(",", ".")


def _factor(year: int) -> float:
    """Return the scale of a synthetic year: 0.5 % less for each year back."""
    return 1 - 0.005 * (LAST_YEAR - year)


def _read(name: str) -> tuple[list[str], list[dict[str, str]]]:
    with open(REAL_RAW / name, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames), list(reader)


def _write(path: Path, columns: list[str], rows: list[dict[str, str]]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def _per_year(name: str, select, change, years: list[int]) -> tuple[list, list]:
    """Copy the template rows of ``name`` to each year, changed by ``change``."""
    columns, rows = _read(name)
    template = [row for row in rows if select(row)]
    if not template:
        raise ValueError(f"{REAL_RAW / name}: no row of {TEMPLATE_YEAR} to copy")
    result = []
    for year in years:
        for row in template:
            result.append(change(dict(row), year, _factor(year)))
    return columns, result


def write_synthetic_raw(parent: Path, count: int) -> Path:
    """Write ``count`` synthetic card years ending in 2022 and return the folder.

    Raises ValueError when ``count`` is below 1, or when the folder would be inside
    the real ``data/raw/``.
    """
    if count < 1:
        raise ValueError(f"invalid number of years {count}, expected 1 or more")
    folder = Path(parent).resolve() / f"raw-synthetic-{count}-years"
    if folder.is_relative_to(REAL_RAW.resolve()):
        raise ValueError(f"synthetic data must not be written under {REAL_RAW}")
    folder.mkdir(parents=True)
    years = list(range(LAST_YEAR - count + 1, LAST_YEAR + 1))

    def cards_per_year(row, year, factor):
        return {
            **row,
            "year": str(year),
            "cards": _scale(row["cards"], factor),
            "note": MARK,
        }

    def cards_by_channel(row, year, factor):
        return {**row, "year": str(year), "cards": _scale(row["cards"], factor)}

    def staff(row, year, factor):
        reference = row["reference"]
        if reference == f"{TEMPLATE_YEAR - 1}-{TEMPLATE_YEAR}":
            reference = f"{year - 1}-{year}"
        else:
            reference = reference.replace(str(TEMPLATE_YEAR), str(year))
        return {
            **row,
            "reference": reference,
            "reference_date": f"{year}-01-01",
            "value": _scale(row["value"], factor),
            "scope": f"{MARK}; {row['scope']}",
        }

    def pupils(row, year, factor):
        return {
            **row,
            "school_year": f"{year - 1}-{year}",
            "count_date": f"1 February {year}",
            "pupils": _scale(row["pupils"], factor),
        }

    def population(row, year, factor):
        return {
            **row,
            "date": f"{year}-01-01",
            "legal_population": _scale(row["legal_population"], factor),
        }

    tables = {
        "cards_per_year.csv": _per_year(
            "cards_per_year.csv",
            lambda row: row["year"] == str(TEMPLATE_YEAR),
            cards_per_year,
            years,
        ),
        "cards_by_channel.csv": _per_year(
            "cards_by_channel.csv",
            lambda row: row["year"] == str(TEMPLATE_YEAR),
            cards_by_channel,
            years,
        ),
        "staff_national.csv": _per_year(
            "staff_national.csv",
            lambda row: row["reference_date"] == f"{TEMPLATE_YEAR}-01-01",
            staff,
            years,
        ),
        "pupils_by_school_province.csv": _per_year(
            "pupils_by_school_province.csv",
            lambda row: row["school_year"] == f"{TEMPLATE_YEAR - 1}-{TEMPLATE_YEAR}",
            pupils,
            years,
        ),
        "population_by_province.csv": _per_year(
            "population_by_province.csv",
            lambda row: row["date"] == f"{TEMPLATE_YEAR}-01-01",
            population,
            years,
        ),
    }

    columns, rows = _read("pickup_cards_by_province.csv")
    pickup = [
        {
            "province": row["province"],
            **{
                str(year): _scale(row[str(TEMPLATE_YEAR)], _factor(year))
                for year in years
            },
        }
        for row in rows
    ]
    tables["pickup_cards_by_province.csv"] = (
        ["province", *map(str, years)],
        pickup,
    )

    columns, rows = _read("website_visits.csv")
    template = next(row for row in rows if row["period"] == str(TEMPLATE_YEAR))
    visits = [row for row in rows if row["status"] == "approximate"]
    for year in years:
        visits.append(
            {
                **template,
                "period": str(year),
                "visits": _scale(template["visits"], _factor(year)),
                "quote": MARK,
            }
        )
    tables["website_visits.csv"] = (columns, visits)

    for name, (columns, rows) in tables.items():
        _write(folder / name, columns, rows)
    # Files without card years, such as the milestones and assumptions, are copied.
    for path in sorted(REAL_RAW.glob("*.csv")):
        if path.name not in tables:
            shutil.copy2(path, folder / path.name)
    _write_manifest(folder)
    (folder / "SYNTHETIC.txt").write_text(
        f"SYNTHETIC benchmark data: {count} card years ({years[0]}-{years[-1]}) "
        f"made from the {TEMPLATE_YEAR} rows of data/raw/ by bench/synthetic.py.\n"
        "No figure in this folder is real.\n",
        encoding="utf-8",
    )
    return folder


def _write_manifest(folder: Path) -> None:
    """Copy sources.yaml with every title marked synthetic and new checksums."""
    from helpers.manifest import sha256_of

    manifest = yaml.safe_load((REAL_RAW / "sources.yaml").read_text(encoding="utf-8"))
    for source in manifest["sources"].values():
        source["title"] = f"SYNTHETIC, derived from: {source['title']}"
    for name, entry in manifest["files"].items():
        entry["description"] = f"{MARK}. {entry.get('description', '')}"
        entry["sha256"] = sha256_of(folder / name)
    text = "# SYNTHETIC benchmark data, made by bench/synthetic.py.\n" + yaml.safe_dump(
        manifest, allow_unicode=True, sort_keys=False, width=88
    )
    (folder / "sources.yaml").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    print(write_synthetic_raw(Path(sys.argv[1]), int(sys.argv[2])))
