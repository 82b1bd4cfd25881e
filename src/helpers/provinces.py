"""Belgian provinces and the Brussels-Capital Region, keyed by their NIS code.

The minister's answer names provinces in Dutch ("Luik", "Namen"), Statbel's files in the
language of the region ("Liège", "Brussels-Capital Region") and the pupil counts as
"Brussels Hoofdstedelijk Gewest". Every table in this project is keyed by the NIS code
(Statbel's refnis code; 04000 is the Brussels-Capital Region since 2019) and shows the
Dutch name.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

FLEMISH_REGION = "Vlaams Gewest"
WALLOON_REGION = "Waals Gewest"
BRUSSELS_REGION = "Brussels Hoofdstedelijk Gewest"


@dataclass(frozen=True)
class Province:
    """One of the eleven areas: ten provinces and the Brussels-Capital Region."""

    nis_code: str
    name: str
    region: str
    aliases: tuple[str, ...]


PROVINCES: tuple[Province, ...] = (
    Province("10000", "Antwerpen", FLEMISH_REGION, ("Anvers", "Antwerp")),
    Province(
        "20001",
        "Vlaams-Brabant",
        FLEMISH_REGION,
        ("Brabant flamand", "Flemish Brabant"),
    ),
    Province(
        "30000",
        "West-Vlaanderen",
        FLEMISH_REGION,
        ("Flandre occidentale", "West Flanders"),
    ),
    Province(
        "40000",
        "Oost-Vlaanderen",
        FLEMISH_REGION,
        ("Flandre orientale", "East Flanders"),
    ),
    Province("70000", "Limburg", FLEMISH_REGION, ("Limbourg",)),
    Province(
        "04000",
        "Brussel",
        BRUSSELS_REGION,
        (
            "Brussels Hoofdstedelijk Gewest",
            "Brussels Gewest",
            "Bruxelles",
            "Région de Bruxelles-Capitale",
            "Bruxelles-Capitale",
            "Brussels",
            "Brussels-Capital Region",
            "Brussels Capital Region",
            "Brussel-Hoofdstad",
        ),
    ),
    Province(
        "20002", "Waals-Brabant", WALLOON_REGION, ("Brabant wallon", "Walloon Brabant")
    ),
    Province("50000", "Henegouwen", WALLOON_REGION, ("Hainaut",)),
    Province("60000", "Luik", WALLOON_REGION, ("Liège", "Liege", "Luttich")),
    Province("80000", "Luxemburg", WALLOON_REGION, ("Luxembourg",)),
    Province("90000", "Namen", WALLOON_REGION, ("Namur",)),
)

BY_CODE: dict[str, Province] = {province.nis_code: province for province in PROVINCES}

# The areas with Dutch-language schools of the Flemish Community: the five Flemish
# provinces and Brussels. Only these have pupil counts and so a modelled staff count.
FLEMISH_COMMUNITY_CODES: tuple[str, ...] = tuple(
    province.nis_code for province in PROVINCES if province.region != WALLOON_REGION
)


# Rows that sum several areas, as Statbel's tables print them: the country and the
# Flemish and Walloon Regions, by name in Dutch, French and English and by NIS code.
# The Brussels-Capital Region is one of the eleven areas, so it is not listed.
AGGREGATES: tuple[str, ...] = (
    "België",
    "Belgique",
    "Belgium",
    "Rijk",
    "Royaume",
    "Kingdom",
    "01000",
    FLEMISH_REGION,
    "Vlaanderen",
    "Région flamande",
    "Flandre",
    "Flemish Region",
    "Flanders",
    "02000",
    WALLOON_REGION,
    "Wallonië",
    "Région wallonne",
    "Wallonie",
    "Walloon Region",
    "Wallonia",
    "03000",
)

# "Provincie Antwerpen", "Province d'Anvers", "Province of Antwerp": the word
# province in front of a name, after _fold.
_PROVINCE_PREFIX = re.compile(r"^(provincie|province|prov\.)\s+(de |du |d'|d’|of )?")


class UnknownProvinceError(ValueError):
    """A province name or code that matches none of the eleven areas."""


def _fold(text: str) -> str:
    """Fold case, accents, hyphens and spacing so that spellings compare equal."""
    decomposed = unicodedata.normalize("NFKD", text)
    without_accents = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[\s\-_]+", " ", without_accents).strip().casefold()


_LOOKUP: dict[str, Province] = {}
for _province in PROVINCES:
    for _spelling in (_province.name, _province.nis_code, *_province.aliases):
        _LOOKUP[_fold(_spelling)] = _province


_AGGREGATE_KEYS = {_fold(name) for name in AGGREGATES}


def is_aggregate(name_or_code: str) -> bool:
    """Return whether a name or code is the country or the Flemish or Walloon Region."""
    key = _fold(str(name_or_code))
    if key.isdigit() and len(key) == 4:
        key = "0" + key
    return key in _AGGREGATE_KEYS


def find_province(name_or_code: str) -> Province:
    """Find the area for a Dutch, French or English name or a NIS code.

    Case, accents, hyphens, spacing and a leading "Provincie", "Province de" or
    "Province of" do not matter. Raises UnknownProvinceError, listing the accepted
    Dutch names, when nothing matches. A bare "Brabant" is rejected because it could
    be either Brabant province.
    """
    key = _PROVINCE_PREFIX.sub("", _fold(str(name_or_code)))
    if key.isdigit() and len(key) == 4:
        key = "0" + key  # 04000 loses its leading zero in spreadsheets.
    province = _LOOKUP.get(key)
    if province is None:
        accepted = ", ".join(p.name for p in PROVINCES)
        raise UnknownProvinceError(
            f"unknown province {name_or_code!r}; use a Dutch, French or English name "
            f"or a NIS code of one of: {accepted}"
        )
    return province


def province_table():
    """Return the eleven areas as a data frame with nis_code, province and region."""
    import pandas as pd

    return pd.DataFrame(
        {
            "nis_code": [p.nis_code for p in PROVINCES],
            "province": [p.name for p in PROVINCES],
            "region": [p.region for p in PROVINCES],
        }
    )
