"""The tidy tables in ``data/processed/<year>/``: their columns, types and meaning.

Each notebook writes and reads processed tables through this module, so that the column
documentation in ``datapackage.json`` (the Frictionless Data Package layout) and the
files themselves cannot drift apart. CSV output keeps the row order given and uses "\\n"
line ends, so the same inputs give the same bytes.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

# name -> (description, {column: (Frictionless type, description)})
TABLES: dict[str, tuple[str, dict[str, tuple[str, str]]]] = {
    "cards_per_year": (
        "Cards distributed per year as the answer states them, in text and table.",
        {
            "year": ("integer", "card year"),
            "statement": (
                "string",
                "text (answer point 1) or table_total_entitled "
                "(table column 'Totaal aantal rechthebbenden')",
            ),
            "cards": ("integer", "cards distributed"),
        },
    ),
    "channels": (
        "Cards per delivery channel per year, national only.",
        {
            "year": ("integer", "card year"),
            "channel": ("string", "subscription, starters or pickup_points"),
            "channel_nl": ("string", "Dutch label of the channel"),
            "cards": ("integer", "cards distributed through the channel"),
        },
    ),
    "pickup_by_province": (
        "Cards distributed via pickup points, per province of the pickup point.",
        {
            "year": ("integer", "card year"),
            "nis_code": ("string", "NIS code of the province; 04000 is Brussels"),
            "province": ("string", "Dutch name"),
            "region": (
                "string",
                "Vlaams Gewest, Waals Gewest or Brussels Hoofdstedelijk Gewest",
            ),
            "cards": ("integer", "cards distributed via pickup points"),
        },
    ),
    "website_visits": (
        "Visits to lerarenkaart.be, with how precise the source is.",
        {
            "period": ("string", "a year, or 'typical year before 2020'"),
            "year": ("integer", "the year; empty for the typical year"),
            "visits": ("integer", "visits; empty where the source gives no number"),
            "status": ("string", "exact, approximate or missing"),
            "quote": ("string", "the answer's sentence, in Dutch"),
        },
    ),
    "staff_national": (
        "National staff totals with the date they refer to.",
        {
            "measure": (
                "string",
                "budget_fte, rsz_employees, rsz_jobs, rsz_fte or salaried_staff",
            ),
            "reference": ("string", "reference period as the source names it"),
            "reference_date": ("date", "date the figure refers to"),
            "value": ("integer", "the figure"),
            "unit": ("string", "FTE, persons or jobs"),
            "scope": ("string", "who is counted"),
            "source_id": ("string", "key into the raw manifest's sources"),
        },
    ),
    "proxies": (
        "Per-province proxies for where staff work (pupils) or live (population).",
        {
            "year": ("integer", "card year"),
            "proxy": ("string", "pupils or population"),
            "reference": ("string", "school year or date of the proxy"),
            "nis_code": ("string", "NIS code"),
            "province": ("string", "Dutch name"),
            "proxy_value": ("integer", "pupils or inhabitants"),
        },
    ),
    "milestones": (
        "Milestones of the digital Lerarenkaart.",
        {
            "date": ("date", "date of the milestone"),
            "status": ("string", "done, under_way or planned"),
            "event": ("string", "the milestone, in Dutch"),
        },
    ),
    "findings": (
        "Consistency checks between the answer's tables, per year.",
        {
            "check": (
                "string",
                "provinces_vs_pickup_total, channels_vs_total or text_vs_table_total",
            ),
            "year": ("integer", "card year"),
            "expected": ("integer", "the total the source states"),
            "observed": (
                "integer",
                "the sum or the other statement it is compared with",
            ),
            "difference": ("integer", "expected minus observed"),
            "status": ("string", "ok or discrepancy"),
        },
    ),
    "sources": (
        "The public source of every raw file, from the raw manifest.",
        {
            "file": ("string", "raw file name"),
            "source_id": ("string", "key of the source in the manifest"),
            "title": ("string", "title of the source"),
            "publisher": ("string", "publisher"),
            "date": ("string", "date or period of the source"),
            "url": ("string", "where to find it"),
            "licence": ("string", "licence or terms of reuse"),
            "sha256": ("string", "checksum of the raw file"),
        },
    ),
    "uptake_by_province": (
        "Pickup-point cards per 100 staff per province; the staff are MODELLED.",
        {
            "year": ("integer", "card year"),
            "nis_code": ("string", "NIS code"),
            "province": ("string", "Dutch name"),
            "region": ("string", "region"),
            "cards": ("integer", "cards distributed via pickup points"),
            "proxy_value": (
                "number",
                "proxy count; empty outside Flanders and Brussels",
            ),
            "share": ("number", "province's share of the proxy"),
            "modelled_staff": ("number", "MODELLED staff: national total times share"),
            "cards_per_100_staff": (
                "number",
                "pickup-point cards per 100 modelled staff",
            ),
            "status": ("string", "modelled or not estimable"),
            "denominator": ("string", "national total that was split"),
            "denominator_kind": ("string", "modelled"),
            "proxy": ("string", "pupils or population"),
        },
    ),
    "uptake_national": (
        "All cards distributed per 100 staff, against each national staff total.",
        {
            "year": ("integer", "card year"),
            "denominator": ("string", "the staff measure"),
            "denominator_kind": ("string", "official (a published count)"),
            "staff": ("integer", "the staff count"),
            "unit": ("string", "persons, FTE or jobs"),
            "scope": ("string", "who the staff count covers"),
            "cards": ("integer", "cards distributed (answer's text total)"),
            "cards_per_100_staff": ("number", "cards per 100 staff"),
        },
    ),
    "held_estimate": (
        "MODELLED cards held and the pickup rate that the 'two thirds' implies.",
        {
            "year": ("integer", "card year"),
            "held_share": ("number", "assumed share of entitled staff holding a card"),
            "entitled": ("integer", "the answer's total entitled"),
            "cards_held": ("number", "MODELLED: held_share times entitled"),
            "mailed_cards": ("integer", "subscription and (re)starters cards"),
            "held_from_pickup": ("number", "MODELLED: held cards not sent by post"),
            "pickup_rate": ("number", "MODELLED share of pickup-point cards picked up"),
        },
    ),
}


class ProcessedTableError(ValueError):
    """A processed table whose columns differ from its documentation."""


def write_table(frame: pd.DataFrame, folder: str | Path, name: str) -> Path:
    """Write ``frame`` as ``<folder>/<name>.csv`` after checking its columns.

    Raises ProcessedTableError when the columns differ from those documented in TABLES.
    """
    documented = list(TABLES[name][1])
    if list(frame.columns) != documented:
        raise ProcessedTableError(
            f"table {name} has columns {list(frame.columns)}, documented {documented}; "
            "update helpers/processed.py together with the notebook"
        )
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.csv"
    frame.to_csv(path, index=False, lineterminator="\n", float_format="%.6f")
    return path


def read_table(folder: str | Path, name: str) -> pd.DataFrame:
    """Read a processed table with its documented types (codes stay text)."""
    columns = TABLES[name][1]
    dtypes = {}
    for column, (kind, _) in columns.items():
        dtypes[column] = {"integer": "Int64", "number": "float64"}.get(kind, "string")
    frame = pd.read_csv(
        Path(folder) / f"{name}.csv",
        dtype=dtypes,
        keep_default_na=False,
        na_values=[""],
    )
    return frame


def write_datapackage(folder: str | Path, year: int) -> Path:
    """Write ``datapackage.json`` describing every processed table present in folder."""
    folder = Path(folder)
    resources = []
    for name, (description, columns) in TABLES.items():
        if not (folder / f"{name}.csv").exists():
            continue
        resources.append(
            {
                "name": name.replace("_", "-"),
                "path": f"{name}.csv",
                "description": description,
                "schema": {
                    "fields": [
                        {"name": column, "type": kind, "description": text}
                        for column, (kind, text) in columns.items()
                    ]
                },
            }
        )
    package = {
        "name": f"lerarenkaart-{year}",
        "title": f"Lerarenkaart {year}: processed tables",
        "resources": resources,
    }
    path = folder / "datapackage.json"
    path.write_text(
        json.dumps(package, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return path
