"""Pandera schemas of every raw and processed table, and their failures as TableError.

The loaders in ``helpers.raw`` first parse the source's notation (Dutch numbers,
province names in three languages) and then check the typed frame against its schema
here: types, ranges, allowed values, missing values and the keys that must be unique.
``helpers.processed`` does the same for every table a notebook writes or reads.

A schema failure becomes one RawDataError or ProcessedTableError. It names the file,
the first failing row as an editor shows it (the header is line 1), the column, the
value and what was expected, so a person can fix the file without a traceback.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from helpers.assumptions import UNITS as ASSUMPTION_UNITS
from helpers.channels import CHANNEL_IDS
from helpers.errors import ProcessedTableError, RawDataError, TableError
from helpers.provinces import (
    BY_CODE,
    FLEMISH_COMMUNITY_CODES,
    PROVINCES,
)

# Allowed values of the raw files, as the manifest data/raw/sources.yaml describes
# them.
STATEMENTS = ("text", "table_total_entitled")
VISIT_STATUSES = ("exact", "approximate", "missing")
MILESTONE_STATUSES = ("done", "under_way", "planned")
NATIONAL_STAFF_UNITS = ("FTE", "persons", "jobs")
PROVINCE_STAFF_UNITS = ("persons", "FTE")

# Allowed values of the processed tables that the notebooks derive.
PROXIES = ("pupils", "population")
FINDING_STATUSES = ("ok", "discrepancy")
UPTAKE_STATUSES = ("modelled", "not estimable")

ROW = "_row"  # column that read_raw_csv adds, with the file line of each record
YEAR_PATTERN = r"(19|20)\d\d"
FIRST_DATA_LINE = 2  # file line of the first record, below the header


def _is_iso_date(text: object) -> bool:
    try:
        datetime.date.fromisoformat(str(text))
    except ValueError:
        return False
    return bool(re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(text)))


def _one_of(values: tuple[str, ...] | list[str]) -> pa.Check:
    return pa.Check.isin(
        list(values), error="invalid value, expected one of: " + ", ".join(values)
    )


COUNT = pa.Check.ge(0, error="invalid count, expected 0 or more")
YEAR = pa.Check.in_range(
    1900, 2099, error="invalid year, expected four digits from 1900 to 2099"
)
ISO_DATE = pa.Check(
    _is_iso_date, element_wise=True, error="invalid date, expected YYYY-MM-DD"
)
SCHOOL_YEAR = pa.Check(
    lambda text: (
        bool(re.fullmatch(r"\d{4}-\d{4}", str(text)))
        and int(str(text)[5:]) == int(str(text)[:4]) + 1
    ),
    element_wise=True,
    error="invalid school year, expected two consecutive years such as 2020-2021",
)
NIS_CODE = pa.Check.isin(
    list(BY_CODE),
    error="invalid NIS code, expected that of a province or Brussels: "
    + ", ".join(BY_CODE),
)
FLEMISH_COMMUNITY_CODE = pa.Check.isin(
    list(FLEMISH_COMMUNITY_CODES),
    error="invalid NIS code, expected that of a Flemish province or Brussels: "
    + ", ".join(FLEMISH_COMMUNITY_CODES),
)
PROVINCE_NAME = _one_of([province.name for province in PROVINCES])
REGION = _one_of(sorted({province.region for province in PROVINCES}))
SHARE = pa.Check.in_range(0, 1, error="invalid share, expected 0 to 1")
POSITIVE_STAFF = pa.Check.gt(0, error="invalid staff count, expected more than 0")
NOT_EMPTY = pa.Check.str_length(min_value=1, error="missing text")
SHA256 = pa.Check.str_matches(
    r"^[0-9a-f]{64}$", error="invalid sha256, expected 64 hexadecimal digits"
)


def _table(columns: dict[str, pa.Column], unique: list[str] | None = None):
    return pa.DataFrameSchema(
        columns,
        unique=unique,
        report_duplicates="exclude_first",
        strict=True,
        ordered=False,
    )


def _text(*checks: pa.Check, nullable: bool = False) -> pa.Column:
    return pa.Column(str, list(checks), nullable=nullable)


def _count(*, nullable: bool = False) -> pa.Column:
    return pa.Column("Int64", COUNT, nullable=nullable)


# The raw tables as the loaders of helpers.raw return them, before "_row" is dropped.
RAW_SCHEMAS: dict[str, pa.DataFrameSchema] = {
    "cards_per_year": _table(
        {
            "year": pa.Column(int, YEAR),
            "statement": _text(_one_of(STATEMENTS)),
            "cards": _count(),
            "note": _text(),
        },
        unique=["year", "statement"],
    ),
    "cards_by_channel": _table(
        {
            "year": pa.Column(int, YEAR),
            "channel": _text(_one_of(CHANNEL_IDS)),
            "cards": _count(),
        },
        unique=["year", "channel"],
    ),
    # Wide, as in the answer's table: one count column per year. Unique provinces
    # and a header without a repeated year make (year, province) unique.
    "pickup_by_province": _table(
        {
            "nis_code": _text(NIS_CODE),
            "province": _text(PROVINCE_NAME),
            f"^{YEAR_PATTERN}$": pa.Column("Int64", COUNT, regex=True),
        },
        unique=["nis_code"],
    ),
    "website_visits": _table(
        {
            "period": _text(NOT_EMPTY),
            "year": pa.Column("Int64", YEAR, nullable=True),
            "visits": _count(nullable=True),
            "status": _text(_one_of(VISIT_STATUSES)),
            "quote": _text(),
        },
        unique=["period"],
    ),
    "staff_national": _table(
        {
            "measure": _text(NOT_EMPTY),
            "reference": _text(NOT_EMPTY),
            "reference_date": _text(ISO_DATE),
            "value": _count(),
            "unit": _text(_one_of(NATIONAL_STAFF_UNITS)),
            "scope": _text(),
            "source_id": _text(NOT_EMPTY),
        },
        unique=["measure", "reference_date"],
    ),
    "pupils": _table(
        {
            "school_year": _text(SCHOOL_YEAR),
            "count_date": _text(),
            "nis_code": _text(FLEMISH_COMMUNITY_CODE),
            "province": _text(PROVINCE_NAME),
            "level_code": _text(
                pa.Check.str_matches(
                    r"^\d{3}$", error="invalid level code, expected three digits"
                )
            ),
            "level": _text(),
            "pupils": _count(),
        },
        unique=["school_year", "nis_code", "level_code"],
    ),
    "population": _table(
        {
            "date": _text(ISO_DATE),
            "nis_code": _text(NIS_CODE),
            "province": _text(PROVINCE_NAME),
            "source_code": _text(),
            "population": _count(),
        },
        unique=["date", "nis_code"],
    ),
    "milestones": _table(
        {
            "date": _text(ISO_DATE),
            "status": _text(_one_of(MILESTONE_STATUSES)),
            "event": _text(NOT_EMPTY),
        },
        unique=["date", "event"],
    ),
    "assumptions": _table(
        {
            "name": _text(NOT_EMPTY),
            "value": _text(NOT_EMPTY),
            "unit": _text(_one_of(list(ASSUMPTION_UNITS))),
            "share": pa.Column(float, SHARE),
            "quote": _text(),
            "source_id": _text(NOT_EMPTY),
            "note": _text(),
        },
        unique=["name"],
    ),
    # Optional: official staff per province, when a user adds such a file.
    "staff_by_province": _table(
        {
            "year": pa.Column(int, YEAR),
            "nis_code": _text(FLEMISH_COMMUNITY_CODE),
            "province": _text(PROVINCE_NAME),
            "staff": pa.Column("Int64", POSITIVE_STAFF),
            "unit": _text(_one_of(PROVINCE_STAFF_UNITS)),
            "source": _text(NOT_EMPTY),
        },
        unique=["year", "nis_code"],
    ),
}


# Checks of the processed tables beyond the types that helpers.processed.TABLES
# documents: per column name in every table with PROCESSED_RULES, then per table.
_CHECKS_BY_COLUMN: dict[str, list[pa.Check]] = {
    "year": [YEAR],
    "nis_code": [NIS_CODE],
    "province": [PROVINCE_NAME],
    "region": [REGION],
    "channel": [_one_of(CHANNEL_IDS)],
    "cards": [COUNT],
}
_PANDAS_TYPES = {
    "integer": "Int64",
    "number": "float64",
    "string": "string",
    "date": "string",
}


@dataclass(frozen=True)
class ProcessedRules:
    """Checks of one processed table: unique keys, nullable columns, column checks."""

    unique: list[str]
    nullable: tuple[str, ...] = ()
    checks: dict[str, list[pa.Check]] = field(default_factory=dict)


# NOTE: staff_by_province, uptake_estimate, uptake_sensitivity and key_comparison
# have no entry yet, so only their types and years are checked, not keys or ranges.
PROCESSED_RULES: dict[str, ProcessedRules] = {
    "cards_per_year": ProcessedRules(
        ["year", "statement"], checks={"statement": [_one_of(STATEMENTS)]}
    ),
    "channels": ProcessedRules(["year", "channel"]),
    "pickup_by_province": ProcessedRules(["year", "nis_code"]),
    "website_visits": ProcessedRules(
        ["period"],
        nullable=("year", "visits"),
        checks={"visits": [COUNT], "status": [_one_of(VISIT_STATUSES)]},
    ),
    "staff_national": ProcessedRules(
        ["measure", "reference_date"],
        checks={
            "reference_date": [ISO_DATE],
            "value": [COUNT],
            "unit": [_one_of(NATIONAL_STAFF_UNITS)],
        },
    ),
    "proxies": ProcessedRules(
        ["year", "proxy", "nis_code"],
        checks={"proxy": [_one_of(PROXIES)], "proxy_value": [COUNT]},
    ),
    "milestones": ProcessedRules(
        ["date", "event"],
        checks={"date": [ISO_DATE], "status": [_one_of(MILESTONE_STATUSES)]},
    ),
    "findings": ProcessedRules(
        ["check", "year"],
        checks={
            "expected": [COUNT],
            "observed": [COUNT],
            "status": [_one_of(FINDING_STATUSES)],
        },
    ),
    "sources": ProcessedRules(
        ["file", "source_id"],
        nullable=("title", "publisher", "date", "url", "licence", "sha256"),
        checks={"sha256": [SHA256]},
    ),
    "uptake_national": ProcessedRules(
        ["year", "denominator"],
        checks={
            "denominator_kind": [_one_of(["official"])],
            "staff": [POSITIVE_STAFF],
            "cards_per_100_staff": [COUNT],
        },
    ),
    "held_estimate": ProcessedRules(
        ["year", "variant", "basis"],
        nullable=("held_share", "pickup_rate", "cards_held", "held_from_pickup"),
        checks={
            "entitled": [COUNT],
            "mailed_cards": [COUNT],
            "pickup_cards": [COUNT],
            "basis": [_one_of(["held_share", "pickup_rate"])],
        },
    ),
    "assumptions": ProcessedRules(
        ["name"],
        nullable=("quote", "note"),
        checks={
            "unit": [_one_of(list(ASSUMPTION_UNITS))],
            "share": [SHARE],
            "status": [_one_of(["assumed"])],
        },
    ),
    "official_staff": ProcessedRules(
        ["year", "nis_code"],
        checks={
            "nis_code": [FLEMISH_COMMUNITY_CODE],
            "staff": [POSITIVE_STAFF],
            "unit": [_one_of(PROVINCE_STAFF_UNITS)],
        },
    ),
}


def processed_schema(name: str, columns: dict[str, tuple[str, str]]):
    """Build the schema of processed table ``name`` from its documented columns.

    ``columns`` maps each column to its Frictionless type and description, as
    ``helpers.processed.TABLES`` has them. A table without an entry in
    PROCESSED_RULES gets type checks and the year range only, and may have missing
    values anywhere.
    """
    rules = PROCESSED_RULES.get(name)
    schema_columns = {}
    for column, (kind, _) in columns.items():
        checks = [YEAR] if column == "year" else []
        nullable = True
        if rules is not None:
            checks = list(_CHECKS_BY_COLUMN.get(column, []))
            checks += rules.checks.get(column, [])
            nullable = column in rules.nullable
        if kind == "date":
            checks.append(ISO_DATE)
        schema_columns[column] = pa.Column(
            _PANDAS_TYPES[kind], checks, nullable=nullable
        )
    # A table read with only some of its columns is checked for the keys it has.
    unique = rules.unique if rules else None
    if unique is not None and not set(unique) <= set(columns):
        unique = None
    return pa.DataFrameSchema(
        schema_columns,
        unique=unique,
        report_duplicates="exclude_first",
        strict=True,
        ordered=True,
        coerce=True,
    )


def validate_raw(frame: pd.DataFrame, name: str, path: str | Path) -> pd.DataFrame:
    """Check a loaded raw table against RAW_SCHEMAS[name] and return it unchanged.

    ``frame`` still has the "_row" column of ``read_raw_csv``, which locates each
    failure in the file. Raises RawDataError for the first failing row.
    """
    data = frame.drop(columns=ROW)
    try:
        RAW_SCHEMAS[name].validate(data, lazy=True)
    except SchemaErrors as errors:
        raise _first_failure(
            errors.failure_cases, path, lambda index: int(frame.at[index, ROW])
        ) from None
    return frame


def validate_processed(
    frame: pd.DataFrame,
    schema: pa.DataFrameSchema,
    path: str | Path,
    *,
    lines: list[int] | None = None,
) -> pd.DataFrame:
    """Check a processed table, coerce it to its documented types and return it.

    ``lines`` gives the file line of each row of a table read from ``path``. Without
    it, as for a table about to be written, row i is line i + 2. Raises
    ProcessedTableError for the first failing row.
    """
    frame = frame.reset_index(drop=True)

    def line_of(index: object) -> int:
        position = int(index)
        return lines[position] if lines is not None else position + FIRST_DATA_LINE

    try:
        return schema.validate(frame, lazy=True)
    except SchemaErrors as errors:
        raise _first_failure(
            errors.failure_cases, path, line_of, ProcessedTableError
        ) from None


_UNIQUENESS_CHECKS = ("field_uniqueness", "multiple_fields_uniqueness")


# Header problems reported on line 1: pandera check name -> (problem, what to do).
_HEADER_PROBLEMS = {
    "column_in_dataframe": (
        "missing column {value!r}",
        "name the columns as documented",
    ),
    "column_in_schema": (
        "unexpected column {value!r}",
        "remove the column or document it",
    ),
    "column_ordered": (
        "column {value!r} is out of the documented order",
        "write the columns in the documented order",
    ),
}
_HEADER_CHECKS = tuple(_HEADER_PROBLEMS)


def _first_failure(
    cases: pd.DataFrame,
    path: str | Path,
    line_of: Callable[[object], int],
    error_type: type[TableError] = RawDataError,
) -> TableError:
    """Turn pandera's failure cases into one error naming the first failing line.

    Problems in the header come first, then rows in file order, then problems of a
    whole column (such as a wrong type), which pandera reports without a row.
    """
    cases = cases.reset_index(drop=True)
    # A cell that cannot be coerced to its type makes the value checks of its column
    # fail without a row. Only the cell's own failure is worth reporting.
    located = set(cases.loc[cases["index"].notna(), "column"])
    consequences = cases["index"].isna() & cases["column"].isin(located)
    cases = cases[~consequences].reset_index(drop=True)
    lines = []
    for check, index in zip(cases["check"], cases["index"], strict=True):
        if check in _HEADER_CHECKS:
            lines.append(1)
        elif index is None or pd.isna(index):
            lines.append(None)
        else:
            lines.append(line_of(index))
    cases["line"] = pd.array(lines, dtype="Int64")
    order = cases["line"].fillna(1 << 30).sort_values(kind="stable").index
    first = cases.loc[order[0]]
    line = None if pd.isna(first["line"]) else int(first["line"])
    others = len(set(zip(cases["line"], cases["column"], strict=True))) - 1
    more = f" ({others} more problems in this file)" if others > 0 else ""
    check = str(first["check"])
    column = None if pd.isna(first["column"]) else str(first["column"])
    value = first["failure_case"]

    if check in _HEADER_PROBLEMS:
        problem, action = _HEADER_PROBLEMS[check]
        return error_type(
            path, problem.format(value=value), row=1, action=action + more
        )
    if check in _UNIQUENESS_CHECKS:
        same_row = cases[(cases["check"] == check) & (cases["index"] == first["index"])]
        keys = [str(key) for key in same_row["column"]]
        values = ", ".join(
            f"{key}={case}"
            for key, case in zip(keys, same_row["failure_case"], strict=True)
        )
        return error_type(
            path,
            "duplicate row: another row has the same " + " and ".join(keys),
            row=line,
            value=values,
            action="keep one row per " + " and ".join(keys) + more,
        )
    if check == "not_nullable":
        return error_type(
            path,
            "missing value",
            row=line,
            column=column,
            action="fill in the value" + more,
        )
    if check.startswith(("dtype(", "coerce_dtype(")):
        expected = re.sub(r"^(coerce_)?dtype\('?(.*?)'?\)$", r"\2", check)
        return error_type(
            path,
            f"invalid type, expected {expected}",
            row=line,
            column=column,
            value=None if value is None or pd.isna(value) else value,
            action=error_type.default_action + more,
        )
    return error_type(
        path,
        check,
        row=line,
        column=column,
        value=value,
        action=error_type.default_action + more,
    )
