"""Load each raw file of ``data/raw/`` into a tidy, typed data frame.

Each loader checks what the source's own notation allows. On input that no source
could have meant, such as a negative count, an unknown province, a duplicate row or a
total row among the provinces, it raises RawDataError with file, row, column and value.
Known discrepancies of the source itself are not errors here, because
``helpers.checks`` reports them as findings.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from helpers.assumptions import REQUIRED, UNITS, parse_share
from helpers.channels import find_channel
from helpers.errors import RawDataError
from helpers.manifest import load_manifest
from helpers.provinces import FLEMISH_COMMUNITY_CODES
from helpers.reading import (
    convert_counts,
    convert_provinces,
    parse_count,
    read_raw_csv,
)
from helpers.schemas import (
    MILESTONE_STATUSES,
    PROVINCE_STAFF_UNITS,
    STATEMENTS,
    VISIT_STATUSES,
    YEAR_PATTERN,
    validate_raw,
)

CARDS_PER_YEAR = "cards_per_year.csv"
CARDS_BY_CHANNEL = "cards_by_channel.csv"
PICKUP_BY_PROVINCE = "pickup_cards_by_province.csv"
WEBSITE_VISITS = "website_visits.csv"
STAFF_NATIONAL = "staff_national.csv"
PUPILS = "pupils_by_school_province.csv"
POPULATION = "population_by_province.csv"
MILESTONES = "digital_card_milestones.csv"
ASSUMPTIONS = "assumptions.csv"
# Optional: official staff per province, when a user drops such a file in.
STAFF_BY_PROVINCE = "staff_by_province.csv"

TYPICAL_YEAR_BEFORE_2020 = "typical year before 2020"
_YEAR = re.compile(YEAR_PATTERN)

__all__ = [
    "MILESTONE_STATUSES",
    "STATEMENTS",
    "VISIT_STATUSES",
    "available_years",
    "load_all",
    "parse_count",
]


def _years(frame: pd.DataFrame, column: str, path: Path) -> pd.Series:
    """Convert a column of four-digit years to int, naming the first invalid cell."""
    for text, row in zip(frame[column], frame["_row"], strict=True):
        if not _YEAR.fullmatch(text):
            raise RawDataError(
                path,
                "invalid year, expected four digits",
                row=row,
                column=column,
                value=text,
            )
    return frame[column].astype(int)


def _allowed(frame, column, allowed, path) -> None:
    for text, row in zip(frame[column], frame["_row"], strict=True):
        if text not in allowed:
            raise RawDataError(
                path,
                f"invalid value, expected one of {', '.join(allowed)}",
                row=row,
                column=column,
                value=text,
            )


def load_cards_per_year(raw_dir: str | Path) -> pd.DataFrame:
    """Load the yearly totals: columns year, statement, cards, note."""
    path = Path(raw_dir) / CARDS_PER_YEAR
    frame = read_raw_csv(path, ["year", "statement", "cards", "note"])
    frame["year"] = _years(frame, "year", path)
    frame = convert_counts(frame, ["cards"], path)
    validate_raw(frame, "cards_per_year", path)
    return frame.drop(columns="_row").sort_values(
        ["year", "statement"], ignore_index=True
    )


def load_cards_by_channel(raw_dir: str | Path) -> pd.DataFrame:
    """Load cards per channel: columns year, channel (identifier), cards."""
    path = Path(raw_dir) / CARDS_BY_CHANNEL
    frame = read_raw_csv(path, ["year", "channel", "cards"])
    frame["year"] = _years(frame, "year", path)
    channel_ids = []
    for text, row in zip(frame["channel"], frame["_row"], strict=True):
        try:
            channel_ids.append(find_channel(text).channel_id)
        except KeyError as error:
            raise RawDataError(
                path,
                str(error.args[0]),
                row=row,
                column="channel",
                action="use the column header of the answer's table",
            ) from None
    frame["channel"] = channel_ids
    frame = convert_counts(frame, ["cards"], path)
    validate_raw(frame, "cards_by_channel", path)
    return frame.drop(columns="_row").sort_values(
        ["year", "channel"], ignore_index=True
    )


def load_pickup_by_province(raw_dir: str | Path) -> pd.DataFrame:
    """Load pickup-point cards per province, from one column per year to long form.

    Returns columns year, nis_code, province, cards.
    """
    path = Path(raw_dir) / PICKUP_BY_PROVINCE
    frame = read_raw_csv(path, ["province"])
    year_columns = [
        column for column in frame.columns if column not in ("province", "_row")
    ]
    for column in year_columns:
        if not _YEAR.fullmatch(column):
            raise RawDataError(
                path,
                "a column header that is not a year",
                row=1,
                column=column,
                action="name every column after 'province' by its four-digit year",
            )
    if not year_columns:
        raise RawDataError(
            path,
            "no year columns",
            row=1,
            action="add one column per year, headed by the year",
        )
    frame = convert_provinces(frame, "province", path)
    frame = convert_counts(frame, year_columns, path)
    validate_raw(frame, "pickup_by_province", path)
    long = frame.melt(
        id_vars=["nis_code", "province"],
        value_vars=year_columns,
        var_name="year",
        value_name="cards",
    )
    long["year"] = long["year"].astype(int)
    long["cards"] = long["cards"].astype("Int64")
    return long.sort_values(["year", "nis_code"], ignore_index=True)[
        ["year", "nis_code", "province", "cards"]
    ]


def load_website_visits(raw_dir: str | Path) -> pd.DataFrame:
    """Load website visits: columns period, year (<NA> for the typical year), visits,
    status, quote. A missing figure stays <NA>; an exact one must be present."""
    path = Path(raw_dir) / WEBSITE_VISITS
    frame = read_raw_csv(path, ["period", "visits", "status", "quote"])
    years = []
    for text, row in zip(frame["period"], frame["_row"], strict=True):
        if text == TYPICAL_YEAR_BEFORE_2020:
            years.append(pd.NA)
        elif _YEAR.fullmatch(text):
            years.append(int(text))
        else:
            raise RawDataError(
                path,
                f"invalid period, expected a year or {TYPICAL_YEAR_BEFORE_2020!r}",
                row=row,
                column="period",
                value=text,
            )
    frame["year"] = pd.array(years, dtype="Int64")
    frame = convert_counts(frame, ["visits"], path, optional=("visits",))
    validate_raw(frame, "website_visits", path)
    for visits, status, row in zip(
        frame["visits"], frame["status"], frame["_row"], strict=True
    ):
        if (status == "missing") != pd.isna(visits):
            raise RawDataError(
                path,
                "status 'missing' goes with an empty visits cell and only then",
                row=row,
                column="status",
                value=status,
            )
    return frame[["period", "year", "visits", "status", "quote"]]


def load_staff_national(raw_dir: str | Path) -> pd.DataFrame:
    """Load national staff totals: measure, reference, reference_date, value, unit,
    scope, source_id."""
    path = Path(raw_dir) / STAFF_NATIONAL
    columns = [
        "measure",
        "reference",
        "reference_date",
        "value",
        "unit",
        "scope",
        "source_id",
    ]
    frame = read_raw_csv(path, columns)
    frame = convert_counts(frame, ["value"], path)
    validate_raw(frame, "staff_national", path)
    return frame.drop(columns="_row")


def load_pupils(raw_dir: str | Path) -> pd.DataFrame:
    """Load pupils by province of the school: school_year, nis_code, province,
    level_code, pupils."""
    path = Path(raw_dir) / PUPILS
    frame = read_raw_csv(
        path, ["school_year", "school_province", "level_code", "pupils"]
    )
    frame = convert_provinces(frame, "school_province", path)
    frame = convert_counts(frame, ["pupils"], path)
    validate_raw(frame, "pupils", path)
    return frame[["school_year", "nis_code", "province", "level_code", "pupils"]]


def load_population(raw_dir: str | Path) -> pd.DataFrame:
    """Load the legal population: date, nis_code, province, population."""
    path = Path(raw_dir) / POPULATION
    frame = read_raw_csv(path, ["date", "nis_code", "unit", "legal_population"])
    names = frame["unit"]
    frame = convert_provinces(
        frame.rename(columns={"nis_code": "source_code"}), "unit", path
    )
    for code, source_code, name, row in zip(
        frame["nis_code"], frame["source_code"], names, frame["_row"], strict=True
    ):
        if source_code.zfill(5) != code:
            raise RawDataError(
                path,
                f"NIS code does not match the name {name!r}, which is {code}",
                row=row,
                column="nis_code",
                value=source_code,
            )
    frame = convert_counts(frame, ["legal_population"], path)
    frame = frame.rename(columns={"legal_population": "population"})
    validate_raw(frame, "population", path)
    return frame[["date", "nis_code", "province", "population"]]


def load_milestones(raw_dir: str | Path) -> pd.DataFrame:
    """Load the digital-card milestones: date, status, event, sorted by date."""
    path = Path(raw_dir) / MILESTONES
    frame = read_raw_csv(path, ["date", "status", "event"])
    validate_raw(frame, "milestones", path)
    return frame.drop(columns="_row").sort_values("date", ignore_index=True)


def load_assumptions(raw_dir: str | Path) -> pd.DataFrame:
    """Load the assumed values: name, value (as written), unit, share, quote,
    source_id, note.

    ``share`` is the value as a share between 0 and 1. Raises RawDataError for an
    unknown unit, a value that is not a share, a duplicate or missing name, or a
    source_id that the manifest does not list.
    """
    path = Path(raw_dir) / ASSUMPTIONS
    frame = read_raw_csv(path, ["name", "value", "unit", "quote", "source_id", "note"])
    _allowed(frame, "unit", tuple(UNITS), path)
    sources = load_manifest(raw_dir).get("sources") or {}
    shares = []
    for value, unit, source_id, row in zip(
        frame["value"], frame["unit"], frame["source_id"], frame["_row"], strict=True
    ):
        try:
            shares.append(float(parse_share(value, unit)))
        except ValueError as error:
            raise RawDataError(
                path, str(error), row=row, column="value", value=value
            ) from None
        if source_id not in sources:
            raise RawDataError(
                path,
                "source_id not found among the manifest's sources",
                row=row,
                column="source_id",
                value=source_id,
                action="use a key under 'sources' in sources.yaml, or add the source",
            )
    frame["share"] = shares
    validate_raw(frame, "assumptions", path)
    missing = [name for name in REQUIRED if name not in set(frame["name"])]
    if missing:
        raise RawDataError(
            path,
            f"missing assumption {missing[0]!r}",
            action="add the row with its value, unit and source",
        )
    return frame[["name", "value", "unit", "share", "quote", "source_id", "note"]]


def load_staff_by_province(raw_dir: str | Path) -> pd.DataFrame:
    """Load the optional official staff per province: year, nis_code, province,
    staff, unit, source.

    Returns an empty frame with these columns when the file is not there, because
    no public source publishes such counts. Raises RawDataError for a province
    outside Flanders and Brussels, a staff count that is zero, an unknown unit, two
    units in one year, an empty source or a repeated province in a year.
    """
    path = Path(raw_dir) / STAFF_BY_PROVINCE
    columns = ["year", "nis_code", "province", "staff", "unit", "source"]
    if not path.exists():
        return pd.DataFrame(
            {
                "year": pd.array([], dtype="int64"),
                "nis_code": pd.array([], dtype=object),
                "province": pd.array([], dtype=object),
                "staff": pd.array([], dtype="Int64"),
                "unit": pd.array([], dtype=object),
                "source": pd.array([], dtype=object),
            }
        )
    frame = read_raw_csv(path, ["year", "province", "staff", "unit", "source"])
    frame["year"] = _years(frame, "year", path)
    _allowed(frame, "unit", PROVINCE_STAFF_UNITS, path)
    frame = convert_provinces(frame, "province", path)
    for code, name, row in zip(
        frame["nis_code"], frame["province"], frame["_row"], strict=True
    ):
        if code not in FLEMISH_COMMUNITY_CODES:
            raise RawDataError(
                path,
                f"{name} has no schools of the Flemish Community, so no staff count "
                "of it can be a denominator",
                row=row,
                column="province",
                value=name,
                action="keep the five Flemish provinces and Brussels",
            )
    frame = convert_counts(frame, ["staff"], path)
    for staff, source, row in zip(
        frame["staff"], frame["source"], frame["_row"], strict=True
    ):
        if staff == 0:
            raise RawDataError(
                path,
                "a staff count of zero gives no ratio",
                row=row,
                column="staff",
                value=staff,
                action="leave the province out, and it is shown as not estimable",
            )
        if not source:
            raise RawDataError(
                path,
                "missing source",
                row=row,
                column="source",
                action="name the publication the count comes from",
            )
    for year, rows in frame.groupby("year"):
        if rows["unit"].nunique() > 1:
            raise RawDataError(
                path,
                f"year {year} mixes units {', '.join(sorted(rows['unit'].unique()))}",
                row=int(rows["_row"].iloc[0]),
                column="unit",
                action="give every province of a year in the same unit",
            )
    validate_raw(frame, "staff_by_province", path)
    return frame.sort_values(["year", "nis_code"], ignore_index=True)[columns]


def load_all(raw_dir: str | Path) -> dict[str, pd.DataFrame]:
    """Load every raw table, so that one bad file stops a run before any notebook."""
    return {
        "cards_per_year": load_cards_per_year(raw_dir),
        "cards_by_channel": load_cards_by_channel(raw_dir),
        "pickup_by_province": load_pickup_by_province(raw_dir),
        "website_visits": load_website_visits(raw_dir),
        "staff_national": load_staff_national(raw_dir),
        "pupils": load_pupils(raw_dir),
        "population": load_population(raw_dir),
        "milestones": load_milestones(raw_dir),
        "assumptions": load_assumptions(raw_dir),
        "staff_by_province": load_staff_by_province(raw_dir),
    }


def available_years(raw_dir: str | Path) -> list[int]:
    """Return the card years that have both a yearly total and pickups per province."""
    totals = set(load_cards_per_year(raw_dir)["year"])
    provinces = set(load_pickup_by_province(raw_dir)["year"])
    return sorted(int(year) for year in totals & provinces)
