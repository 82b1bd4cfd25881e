"""Staff per province: the denominators of the uptake estimates.

No public source counts education staff per province, so by default a national total
is split over the provinces in proportion to a key: pupils by province of the school
(where staff work) or population by province (where people live). The national
totals are official; the split is modelled. A user who has official per-province
counts drops them into ``data/raw/staff_by_province.csv``; for the years that file
covers, its counts replace the modelled ones.
"""

from __future__ import annotations

import pandas as pd

from helpers.provinces import BY_CODE, FLEMISH_COMMUNITY_CODES, FLEMISH_REGION
from helpers.uptake import (
    MODELLED,
    OFFICIAL,
    NotEstimableError,
    model_staff_by_province,
)
from helpers.years import reference_date

# The answer's two national totals; both count cards, one per entitled person.
CARD_TOTALS = ("table_total_entitled", "text")
# The denominator name of the official per-province counts.
OFFICIAL_BY_PROVINCE = "staff_by_province"

KEYS = ("pupils", "population")
KEY_BASIS = {"pupils": "workplace", "population": "residence"}

FLEMISH_PROVINCE_CODES: tuple[str, ...] = tuple(
    code for code in FLEMISH_COMMUNITY_CODES if BY_CODE[code].region == FLEMISH_REGION
)

# RSZ counts staff by workplace in the Flemish Region only (npdata.be BuG 515), so a
# split of an RSZ total covers the five Flemish provinces and leaves Brussels out.
# Every other total covers the Flemish Community: the five provinces and Brussels.
_FLEMISH_REGION_MEASURES = ("rsz_employees", "rsz_jobs", "rsz_fte")


def scope_of(denominator: str) -> tuple[str, ...]:
    """Return the NIS codes of the areas that a national total covers."""
    if denominator in _FLEMISH_REGION_MEASURES:
        return FLEMISH_PROVINCE_CODES
    return FLEMISH_COMMUNITY_CODES


def national_totals(
    cards_per_year: pd.DataFrame, staff_national: pd.DataFrame, year: int
) -> pd.DataFrame:
    """List the official national totals that can be split for ``year``.

    Returns denominator, staff, unit, source_id: the answer's two totals for the
    card year, and every staff measure of ``staff_national`` dated 1 January of the
    card year (see helpers.years). A measure of another date is left out.
    """
    rows = []
    cards = cards_per_year[cards_per_year["year"] == year]
    for statement, count in zip(cards["statement"], cards["cards"], strict=True):
        rows.append(
            {
                "denominator": statement,
                "staff": int(count),
                "unit": "persons",
                "source_id": "vraag_590",
            }
        )
    dated = staff_national[staff_national["reference_date"] == reference_date(year)]
    for record in dated.itertuples():
        rows.append(
            {
                "denominator": record.measure,
                "staff": int(record.value),
                "unit": record.unit,
                "source_id": record.source_id,
            }
        )
    return pd.DataFrame(rows, columns=["denominator", "staff", "unit", "source_id"])


def key_values(
    proxies: pd.DataFrame, key: str, areas: tuple[str, ...] = FLEMISH_COMMUNITY_CODES
) -> pd.DataFrame:
    """Return nis_code and proxy_value of the key ``key`` for each of ``areas``.

    ``proxies`` has proxy, nis_code and proxy_value for one year. Raises
    NotEstimableError for an unknown key or an area without a value.
    """
    if key not in KEYS:
        raise NotEstimableError(f"unknown key {key!r}; use one of {', '.join(KEYS)}")
    rows = proxies[proxies["proxy"] == key].set_index("nis_code")["proxy_value"]
    missing = [code for code in areas if code not in rows.index]
    if missing:
        names = ", ".join(BY_CODE[code].name for code in missing)
        raise NotEstimableError(f"key {key!r} has no value for {names}")
    return pd.DataFrame(
        {"nis_code": list(areas), "proxy_value": rows.loc[list(areas)].to_numpy()}
    )


def key_shares(
    proxies: pd.DataFrame, key: str, areas: tuple[str, ...] = FLEMISH_COMMUNITY_CODES
) -> pd.Series:
    """Return each area's share of the key ``key``, indexed by nis_code.

    The shares add up to 1 over ``areas``. Raises NotEstimableError as key_values
    does, and for a negative value or a zero total.
    """
    values = key_values(proxies, key, areas).set_index("nis_code")["proxy_value"]
    return shares_of(values, description=f"key {key!r}")


def shares_of(values: pd.Series, *, description: str) -> pd.Series:
    """Divide ``values`` by their sum. Raises NotEstimableError for a missing or
    negative value or a sum that is not positive, naming ``description``."""
    values = values.astype("float64")
    if values.isna().any() or (values < 0).any():
        raise NotEstimableError(
            f"{description}: values must be present and not negative"
        )
    total = values.sum()
    if not total > 0:
        raise NotEstimableError(
            f"{description}: values sum to zero, so no share exists"
        )
    return (values / total).rename("share")


def modelled_staff(
    totals: pd.DataFrame, denominator: str, proxies: pd.DataFrame, key: str
) -> pd.DataFrame:
    """Split the national total ``denominator`` over its areas by ``key``.

    ``totals`` comes from national_totals. Returns nis_code, staff, unit,
    denominator, denominator_kind (modelled), national_staff, proxy, share and
    source (the manifest's source_id of the national total). Raises
    NotEstimableError for a total that ``totals`` does not list or that is not
    positive, and for a key that helpers.uptake.model_staff_by_province rejects.
    """
    chosen = totals[totals["denominator"] == denominator]
    if chosen.empty:
        available = ", ".join(totals["denominator"])
        raise NotEstimableError(
            f"national total {denominator!r} not available for this year; "
            f"available: {available}"
        )
    total = chosen.iloc[0]
    values = key_values(proxies, key, scope_of(denominator))
    split = model_staff_by_province(int(total["staff"]), values)
    return pd.DataFrame(
        {
            "nis_code": split["nis_code"],
            "staff": split["modelled_staff"],
            "unit": total["unit"],
            "denominator": denominator,
            "denominator_kind": MODELLED,
            "national_staff": int(total["staff"]),
            "proxy": key,
            "share": split["share"],
            "source": total["source_id"],
        }
    )


def official_staff(official: pd.DataFrame, year: int) -> pd.DataFrame:
    """Return the official per-province counts of ``year`` in the columns of
    modelled_staff; empty when the raw file has no rows for the year."""
    rows = official[official["year"] == year]
    return pd.DataFrame(
        {
            "nis_code": rows["nis_code"].to_numpy(),
            "staff": rows["staff"].astype("float64").to_numpy(),
            "unit": rows["unit"].to_numpy(),
            "denominator": OFFICIAL_BY_PROVINCE,
            "denominator_kind": OFFICIAL,
            "national_staff": float("nan"),
            "proxy": "",
            "share": float("nan"),
            "source": rows["source"].to_numpy(),
        }
    )


def choose_denominator(requested: str, official: pd.DataFrame, year: int) -> str:
    """Return staff_by_province when the official file has rows for ``year``, and
    ``requested`` otherwise: official counts take precedence over a modelled split."""
    if (official["year"] == year).any():
        return OFFICIAL_BY_PROVINCE
    return requested


def staff_by_province(
    totals: pd.DataFrame,
    proxies: pd.DataFrame,
    official: pd.DataFrame,
    *,
    year: int,
    denominator: str,
    key: str,
) -> pd.DataFrame:
    """Return the staff per area that the estimates divide by.

    ``denominator`` staff_by_province takes the official counts of ``year``; any
    other value names a national total to split by ``key``. Raises
    NotEstimableError when the chosen counts are not there for the year.
    """
    if denominator != OFFICIAL_BY_PROVINCE:
        return modelled_staff(totals, denominator, proxies, key)
    from_file = official_staff(official, year)
    if from_file.empty:
        raise NotEstimableError(
            f"no official staff per province for {year} in "
            "data/raw/staff_by_province.csv; choose a national total instead"
        )
    return from_file
