"""Seaborn figures for the reports, embedded in the HTML as inline SVG images.

Figures are returned as ``<img>`` tags with a data URI, so the report needs no file or
server beside it, and they render whatever matplotlib backend the kernel uses (also
with MPLBACKEND=Agg, where ``plt.show`` would print nothing). The SVG carries no date
and a fixed hash salt, so the same data gives the same bytes.
"""

from __future__ import annotations

import base64
import io

import matplotlib

matplotlib.use("Agg")  # NOTE: figures are rendered to SVG text only, never shown.

import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import seaborn as sns  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402

from helpers.formatting import escape, format_count, format_decimal_nl  # noqa: E402

PALETTE = "crest"
COLOUR = "#2a6f97"
MODELLED_COLOUR = "#9c6644"


def _style() -> None:
    sns.set_theme(style="whitegrid", context="notebook")
    matplotlib.rcParams["svg.hashsalt"] = "lerarenkaart"
    matplotlib.rcParams["svg.fonttype"] = "path"


def figure_to_img(fig: plt.Figure, alt: str) -> str:
    """Render ``fig`` to an ``<img>`` tag with an inline SVG data URI and close it."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(fig)
    encoded = base64.b64encode(buffer.getvalue()).decode("ascii")
    return (
        f'<img class="report-figure" alt="{escape(alt)}" '
        f'src="data:image/svg+xml;base64,{encoded}">'
    )


def _count_axis(axis) -> None:
    axis.set_major_formatter(FuncFormatter(lambda value, _: format_count(value)))


def bar_chart(
    frame: pd.DataFrame,
    *,
    category: str,
    value: str,
    title: str,
    xlabel: str,
    decimal: bool = False,
    colour: str = COLOUR,
) -> plt.Figure:
    """Draw a horizontal bar chart of ``value`` per ``category``, labelled in Dutch
    notation, largest on top."""
    _style()
    ordered = frame.sort_values(value, ascending=False)
    fig, ax = plt.subplots(figsize=(8, 0.45 * len(ordered) + 1.2))
    sns.barplot(data=ordered, y=category, x=value, color=colour, ax=ax)
    for patch, number in zip(ax.patches, ordered[value], strict=True):
        label = format_decimal_nl(number, 1) if decimal else format_count(number)
        ax.annotate(
            label,
            (patch.get_width(), patch.get_y() + patch.get_height() / 2),
            xytext=(4, 0),
            textcoords="offset points",
            va="center",
            fontsize=9,
        )
    if decimal:
        ax.xaxis.set_major_formatter(
            FuncFormatter(lambda v, _: format_decimal_nl(v, 0))
        )
    else:
        _count_axis(ax.xaxis)
    ax.set_title(title, loc="left")
    ax.set_xlabel(xlabel)
    ax.set_ylabel("")
    ax.margins(x=0.15)
    return fig


def visits_chart(visits: pd.DataFrame, *, title: str) -> plt.Figure:
    """Draw website visits per year: exact years as points on a line, the approximate
    typical year before 2020 as a dashed reference line, and missing years marked."""
    _style()
    fig, ax = plt.subplots(figsize=(8, 3.6))
    known = visits[visits["year"].notna() & visits["visits"].notna()]
    years = known["year"].astype(int)
    ax.plot(
        years,
        known["visits"].astype(float),
        marker="o",
        color=COLOUR,
        label="bezoeken (exact cijfer)",
    )
    for year, number in zip(years, known["visits"], strict=True):
        ax.annotate(
            format_count(number),
            (year, float(number)),
            xytext=(0, 8),
            textcoords="offset points",
            ha="center",
            fontsize=9,
        )
    typical = visits[visits["status"] == "approximate"]["visits"].dropna()
    if not typical.empty:
        ax.axhline(
            float(typical.iloc[0]),
            linestyle="--",
            color="grey",
            label=f"ongeveer {format_count(typical.iloc[0])} per jaar vóór 2020",
        )
    missing = visits[(visits["status"] == "missing") & visits["year"].notna()]
    for year in missing["year"].astype(int):
        ax.axvline(
            year,
            linestyle=":",
            color=MODELLED_COLOUR,
            label=f"{year}: daling, geen cijfer bekend",
        )
    all_years = sorted(set(years) | set(missing["year"].astype(int)))
    ax.set_xticks(all_years)
    _count_axis(ax.yaxis)
    ax.set_ylim(0, None)
    ax.set_title(title, loc="left")
    ax.set_xlabel("")
    ax.set_ylabel("bezoeken")
    ax.legend(loc="lower right", fontsize=8)
    return fig
