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

from helpers.errors import ProcessedTableError
from helpers.reading import read_text_table
from helpers.schemas import processed_schema, validate_processed

__all__ = [
    "TABLES",
    "ProcessedTableError",
    "read_table",
    "write_datapackage",
    "write_table",
]

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
    "assumptions": (
        "ASSUMED values that the estimates take as given, with their sources.",
        {
            "name": ("string", "identifier, see helpers/assumptions.py"),
            "value": ("string", "the value as the raw file writes it"),
            "unit": ("string", "share or percent"),
            "share": ("number", "the value as a share between 0 and 1"),
            "quote": ("string", "the source's sentence in Dutch, if quoted"),
            "source_id": ("string", "key into the raw manifest's sources"),
            "note": ("string", "what the value means and how far to trust it"),
            "status": ("string", "assumed"),
        },
    ),
    "official_staff": (
        "OFFICIAL staff per province from the optional raw file "
        "staff_by_province.csv; no rows when the file is not there.",
        {
            "year": ("integer", "card year"),
            "nis_code": ("string", "NIS code"),
            "province": ("string", "Dutch name"),
            "staff": ("integer", "staff count"),
            "unit": ("string", "persons or FTE"),
            "source": ("string", "the publication, as the raw file names it"),
        },
    ),
    "staff_by_province": (
        "The staff per province that the estimates divide by: MODELLED (a national "
        "total split by a key) or OFFICIAL (the raw file staff_by_province.csv).",
        {
            "year": ("integer", "card year"),
            "nis_code": ("string", "NIS code"),
            "province": ("string", "Dutch name"),
            "staff": ("number", "staff count, modelled or official"),
            "unit": ("string", "persons, FTE or jobs"),
            "denominator": (
                "string",
                "the national total that was split, or staff_by_province",
            ),
            "denominator_kind": ("string", "modelled or official"),
            "national_staff": ("number", "the national total; empty if official"),
            "proxy": ("string", "key of the split: pupils or population"),
            "share": ("number", "the province's share of the key"),
            "source": (
                "string",
                "source_id of the national total in the raw manifest, or the "
                "publication of the official counts",
            ),
            "reference": ("string", "school year or date of the key"),
        },
    ),
    "uptake_estimate": (
        "MODELLED cards per 100 staff per province and for Flanders with and "
        "without Brussels: lower bound, central estimate and upper bound.",
        {
            "year": ("integer", "card year"),
            "measure": (
                "string",
                "distributed (cards sent out) or held (cards held, MODELLED)",
            ),
            "level": ("string", "province (incl. Brussels) or total"),
            "nis_code": (
                "string",
                "NIS code, or for totals flanders or flanders_brussels",
            ),
            "area": ("string", "Dutch name of the province or total"),
            "region": ("string", "region; empty for totals"),
            "cards_lower": ("number", "pickup-point cards only"),
            "cards_central": (
                "number",
                "plus the cards with no province, shared out by channel_key",
            ),
            "cards_upper": (
                "number",
                "plus every card with no province, in this area's favour",
            ),
            "staff": ("number", "staff, see staff_by_province"),
            "unit": ("string", "unit of the staff count"),
            "lower": ("number", "lower bound, cards per 100 staff"),
            "central": ("number", "central estimate, cards per 100 staff"),
            "upper": ("number", "upper bound, cards per 100 staff"),
            "status": ("string", "modelled or not estimable (no staff)"),
            "denominator": ("string", "the national total split, or official"),
            "denominator_kind": ("string", "modelled or official"),
            "proxy": ("string", "key of the staff split; empty if official"),
            "channel_key": (
                "string",
                "key that shares out the cards with no province: pupils, "
                "population, pickup or none (kept apart)",
            ),
            "remainder": (
                "string",
                "cards in no channel: allocate (with the others) or apart",
            ),
            "held_share": (
                "number",
                "ASSUMED share of staff holding a card (held only; empty when a "
                "pickup rate was given)",
            ),
            "pickup_rate": (
                "number",
                "MODELLED share of pickup-point cards picked up (held only)",
            ),
        },
    ),
    "uptake_sensitivity": (
        "How far each assumption, varied on its own, moves the central estimate.",
        {
            "year": ("integer", "card year"),
            "measure": ("string", "distributed or held"),
            "assumption": (
                "string",
                "denominator, proxy, channel_key, remainder, held_share or pickup_rate",
            ),
            "nis_code": ("string", "NIS code or total identifier"),
            "area": ("string", "Dutch name"),
            "base_alternative": ("string", "the value the estimates use"),
            "base": ("number", "central estimate with that value"),
            "minimum": ("number", "lowest central estimate over the alternatives"),
            "maximum": ("number", "highest central estimate over the alternatives"),
            "spread": ("number", "maximum minus minimum, per 100 staff"),
            "at_minimum": ("string", "the alternative giving the minimum"),
            "at_maximum": ("string", "the alternative giving the maximum"),
            "estimable": ("integer", "alternatives that gave an estimate"),
            "alternatives": ("integer", "alternatives tried"),
            "tried": ("string", "the alternatives tried, base first, '; ' apart"),
        },
    ),
    "key_comparison": (
        "MODELLED distributed cards per 100 staff under each staff key: pupils by "
        "school (workplace) and population (residence).",
        {
            "year": ("integer", "card year"),
            "proxy": ("string", "pupils or population"),
            "basis": ("string", "workplace or residence"),
            "level": ("string", "province or total"),
            "nis_code": (
                "string",
                "NIS code, or flanders, flanders_brussels or brabant_brussels",
            ),
            "area": ("string", "Dutch name"),
            "cards_lower": ("number", "pickup-point cards only"),
            "cards_central": ("number", "plus the shared-out cards"),
            "staff": ("number", "MODELLED staff under this key"),
            "lower": ("number", "lower bound, cards per 100 staff"),
            "central": ("number", "central estimate, cards per 100 staff"),
            "upper": ("number", "upper bound, cards per 100 staff"),
            "denominator": ("string", "the national total split"),
            "channel_key": ("string", "key that shares out the other cards"),
        },
    ),
    "held_estimate": (
        "MODELLED cards held nationally, under each ASSUMED held share or 2016 "
        "pickup rate.",
        {
            "year": ("integer", "card year"),
            "variant": (
                "string",
                "the assumption used (see assumptions), or held_share_parameter",
            ),
            "basis": (
                "string",
                "held_share (share given, rate derived) or pickup_rate (rate "
                "given, share derived)",
            ),
            "held_share": ("number", "share of entitled staff holding a card"),
            "pickup_rate": ("number", "share of pickup-point cards picked up"),
            "entitled": ("integer", "the answer's total entitled"),
            "mailed_cards": ("integer", "subscription and (re)starters cards"),
            "pickup_cards": ("integer", "pickup-point cards"),
            "cards_held": ("number", "MODELLED cards held"),
            "held_from_pickup": ("number", "MODELLED cards picked up"),
        },
    ),
}


def write_table(frame: pd.DataFrame, folder: str | Path, name: str) -> Path:
    """Write ``frame`` as ``<folder>/<name>.csv`` after checking it against its schema.

    Raises ProcessedTableError, and writes nothing, when the columns differ from
    those documented in TABLES or a value fails the schema in ``helpers.schemas``.
    The frame is written as it is: the schema's coercion to the documented types is
    only for the check, so the bytes of the file do not depend on it.
    """
    folder = Path(folder)
    path = folder / f"{name}.csv"
    documented = list(TABLES[name][1])
    if list(frame.columns) != documented:
        raise ProcessedTableError(
            path,
            f"table {name} has columns {list(frame.columns)}, documented {documented}",
            row=1,
            action="update helpers/processed.py together with the notebook",
        )
    validate_processed(frame, _schema(name), path)
    folder.mkdir(parents=True, exist_ok=True)
    frame.to_csv(path, index=False, lineterminator="\n", float_format="%.6f")
    return path


def read_table(folder: str | Path, name: str, *, partial: bool = False) -> pd.DataFrame:
    """Read a processed table with its documented types (codes stay text).

    Raises FileNotFoundError naming a missing table, and ProcessedTableError for a
    file that is not CSV in UTF-8, has other columns than the documented ones, or has
    a value that fails the schema. With ``partial``, as for a table that an older
    version of the notebooks wrote, the documented columns that the file has are
    read and checked, and other columns are left out.
    """
    path = Path(folder) / f"{name}.csv"
    if not path.exists():
        raise FileNotFoundError(
            f"{path}: processed table not found; run the notebooks in order, because "
            "01_clean writes the tables that 02_uptake and 03_report read"
        )
    documented = list(TABLES[name][1])
    required = [] if partial else documented
    text = read_text_table(path, required, error_type=ProcessedTableError)
    if partial:
        documented = [column for column in documented if column in text.columns]
        text = text[[*documented, "_row"]]
    if list(text.columns[:-1]) != documented:
        raise ProcessedTableError(
            path,
            f"columns {list(text.columns[:-1])} differ from documented {documented}",
            row=1,
            action="rebuild the table with the current notebooks",
        )
    cells = text.drop(columns="_row")
    cells = cells.mask(cells == "")
    schema = _schema(name, documented)
    return validate_processed(cells, schema, path, lines=list(text["_row"]))


def _schema(name: str, columns: list[str] | None = None):
    documented = TABLES[name][1]
    if columns is not None:
        documented = {column: documented[column] for column in columns}
    return processed_schema(name, documented)


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
