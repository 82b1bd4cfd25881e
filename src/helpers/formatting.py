"""Belgian Dutch number formatting for the reports (220.679; 66,7 %).

Babel supplies the nl_BE separators. The percent sign follows the Dutch writing
convention of a space before "%", which Babel's nl_BE pattern leaves out.
"""

from __future__ import annotations

import html
import math

import pandas as pd
from babel.numbers import format_decimal

LOCALE = "nl_BE"
MISSING = "–"  # en dash: the usual mark for "no figure" in Dutch statistical tables
NO_BREAK_SPACE = "\u00a0"


def _missing(value: object) -> bool:
    return (
        value is None
        or value is pd.NA
        or (isinstance(value, float) and math.isnan(value))
    )


def format_count(value: object) -> str:
    """Format a whole number with a dot per thousand: 220679 -> "220.679"."""
    if _missing(value):
        return MISSING
    return format_decimal(int(round(float(value))), format="#,##0", locale=LOCALE)


def format_decimal_nl(value: object, digits: int = 1) -> str:
    """Format a number with a decimal comma: 66.666 -> "66,7" for one digit."""
    if _missing(value):
        return MISSING
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(float(value), format=pattern, locale=LOCALE)


def format_percent(share: object, digits: int = 1) -> str:
    """Format a share (0.667) as a Dutch percentage with a no-break space: "66,7 %"."""
    if _missing(share):
        return MISSING
    return format_decimal_nl(100.0 * float(share), digits) + NO_BREAK_SPACE + "%"


def format_signed_count(value: object) -> str:
    """Format a change with an explicit sign: 7237 -> "+7.237", -29 -> "−29"."""
    if _missing(value):
        return MISSING
    number = int(round(float(value)))
    if number > 0:
        sign = "+"
    elif number < 0:
        sign = "\u2212"
    else:
        sign = "±"
    return sign + format_count(abs(number))


def format_signed_decimal(value: object, digits: int = 1) -> str:
    """Format a change with a sign and a decimal comma: 2.04 -> "+2,0", -0.5 -> "−0,5".

    A change that rounds to zero at ``digits`` decimals shows as "±0,0".
    """
    if _missing(value):
        return MISSING
    number = round(float(value), digits)
    if number > 0:
        return "+" + format_decimal_nl(number, digits)
    if number < 0:
        return "\u2212" + format_decimal_nl(-number, digits)
    return "±" + format_decimal_nl(0.0, digits)


def escape(text: object) -> str:
    """Escape text from the data for HTML, so "<script>" shows as text."""
    return html.escape("" if _missing(text) else str(text), quote=True)


def html_table(frame: pd.DataFrame, *, caption: str = "", numeric=()) -> str:
    """Render a frame of already formatted values as an HTML table.

    Every cell and header is escaped; ``numeric`` names the columns to align right.
    """
    head = "".join(
        f'<th class="{"num" if column in numeric else "text"}">{escape(column)}</th>'
        for column in frame.columns
    )
    body = []
    for _, row in frame.iterrows():
        cells = "".join(
            f'<td class="{"num" if column in numeric else "text"}">'
            f"{escape(row[column])}</td>"
            for column in frame.columns
        )
        body.append(f"<tr>{cells}</tr>")
    caption_html = f"<caption>{escape(caption)}</caption>" if caption else ""
    return (
        f'<table class="report-table">{caption_html}<thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table>"
    )
