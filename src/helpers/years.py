"""Which reference dates of the other statistics belong to a card year.

The card of year Y is handed out from late December of Y-1 and is valid for year Y.
Its natural reference points are therefore staff on 1 January of Y, pupils of school
year (Y-1)-Y (counted on 1 February of Y) and population on 1 January of Y. The
minister's answer does not state this pairing. It is this project's reading, kept here
in one place so that it can be changed.
"""

from __future__ import annotations


def school_year(card_year: int) -> str:
    """Return the school year matched with ``card_year``: 2021 -> "2020-2021"."""
    return f"{card_year - 1}-{card_year}"


def reference_date(card_year: int) -> str:
    """Return the ISO date of the population and staff counts for ``card_year``."""
    return f"{card_year}-01-01"
