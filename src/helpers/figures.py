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
from matplotlib.cm import ScalarMappable  # noqa: E402
from matplotlib.colors import Normalize  # noqa: E402
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.patches import Rectangle  # noqa: E402
from matplotlib.ticker import FuncFormatter  # noqa: E402

from helpers.formatting import escape, format_count, format_decimal_nl  # noqa: E402
from helpers.provinces import BY_CODE  # noqa: E402

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


def interval_chart(
    frame: pd.DataFrame,
    *,
    title: str,
    xlabel: str,
    label: str = "area",
    reference: float | None = None,
) -> plt.Figure:
    """Draw a dot per row at ``central`` with a line from ``lower`` to ``upper``.

    Rows are drawn top to bottom in the frame's order. Optional columns range_low and
    range_high add a thick bar (the range of the central estimate over the
    assumptions). Upper bounds beyond 1.5 times the largest central estimate are
    cut at the plot's edge with an arrow and their value, so the dots stay readable.
    ``reference`` draws a dashed vertical line, such as 100 per 100 staff.
    """
    _style()
    fig, ax = plt.subplots(figsize=(8, 0.55 * len(frame) + 1.4))
    positions = list(range(len(frame)))[::-1]
    spread = frame.get("range_high", frame["central"])
    edge = 1.5 * float(max(frame["central"].max(), spread.max()))
    for y, row in zip(positions, frame.itertuples(), strict=True):
        upper = min(row.upper, edge)
        ax.hlines(y, row.lower, upper, color="grey", linewidth=1.2)
        if row.upper > edge:
            ax.annotate(
                f"tot {format_decimal_nl(row.upper, 0)}",
                (edge, y),
                xytext=(-2, 6),
                textcoords="offset points",
                ha="right",
                fontsize=8,
                color="grey",
            )
            ax.plot(edge, y, marker=">", color="grey", markersize=6)
        else:
            ax.plot(row.upper, y, marker="|", color="grey", markersize=10)
        ax.plot(row.lower, y, marker="|", color="grey", markersize=10)
        if "range_low" in frame:
            ax.hlines(
                y, row.range_low, row.range_high, color=MODELLED_COLOUR, linewidth=5
            )
        ax.plot(row.central, y, "o", color=COLOUR, markersize=7, zorder=3)
        ax.annotate(
            format_decimal_nl(row.central, 1),
            (row.central, y),
            xytext=(0, -13),
            textcoords="offset points",
            ha="center",
            fontsize=8,
        )
    if reference is not None:
        ax.axvline(reference, linestyle="--", color="grey", linewidth=0.8)
    handles = [
        Line2D(
            [], [], color=COLOUR, marker="o", linestyle="", label="centrale schatting"
        ),
        Line2D([], [], color="grey", marker="|", label="ondergrens tot bovengrens"),
    ]
    if "range_low" in frame:
        handles.append(
            Line2D(
                [],
                [],
                color=MODELLED_COLOUR,
                linewidth=5,
                label="bereik over de aannames",
            )
        )
    ax.legend(
        handles=handles,
        loc="upper center",
        bbox_to_anchor=(0.5, -0.12 - 0.25 / len(frame)),
        ncol=len(handles),
        fontsize=8,
        frameon=False,
    )
    ax.set_yticks(positions)
    ax.set_yticklabels(frame[label])
    ax.set_xlim(0, edge * 1.02)
    ax.set_ylim(-0.7, len(frame) - 0.3)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: format_decimal_nl(v, 0)))
    ax.set_title(title, loc="left")
    ax.set_xlabel(xlabel)
    ax.set_ylabel("")
    return fig


# Tile positions (column, row from the top) of the eleven areas, keyed by NIS code,
# in their rough arrangement on the map of Belgium.
TILES: dict[str, tuple[int, int]] = {
    "30000": (0, 0),  # West-Vlaanderen
    "40000": (1, 0),  # Oost-Vlaanderen
    "10000": (2, 0),  # Antwerpen
    "70000": (3, 0),  # Limburg
    "04000": (1, 1),  # Brussel
    "20001": (2, 1),  # Vlaams-Brabant
    "50000": (0, 2),  # Henegouwen
    "20002": (1, 2),  # Waals-Brabant
    "90000": (2, 2),  # Namen
    "60000": (3, 2),  # Luik
    "80000": (3, 3),  # Luxemburg
}


def tile_map(
    frame: pd.DataFrame,
    *,
    value: str,
    title: str,
    legend: str,
    missing: str,
) -> plt.Figure:
    """Draw the provinces as a grid of squares coloured by ``value``.

    ``frame`` has nis_code and ``value``; an area with no value, or not in the
    frame, is grey and labelled ``missing``. Each tile shows the Dutch name. Needs
    no boundary file: the squares keep only the rough arrangement of the
    provinces (TILES).
    """
    _style()
    values = frame.set_index("nis_code")
    known = values[value].dropna().astype("float64")
    colours = sns.color_palette(PALETTE, as_cmap=True)
    norm = Normalize(known.min(), known.max())
    fig, ax = plt.subplots(figsize=(7, 5.6))
    for code, (column, row) in TILES.items():
        number = values[value].get(code) if code in values.index else None
        has_value = number is not None and not pd.isna(number)
        face = colours(norm(float(number))) if has_value else "#d9d9d9"
        ax.add_patch(
            Rectangle((column, -row), 0.95, 0.95, facecolor=face, edgecolor="white")
        )
        dark = has_value and norm(float(number)) > 0.55
        name = BY_CODE[code].name.replace("-", "-\n")
        text = format_decimal_nl(number, 1) if has_value else missing
        ax.text(
            column + 0.475,
            -row + 0.475,
            f"{name}\n{text}",
            ha="center",
            va="center",
            fontsize=8.5,
            color="white" if dark else "black",
        )
    ax.set_xlim(-0.05, 4)
    ax.set_ylim(-3.05, 1)
    ax.set_aspect("equal")
    ax.axis("off")
    bar = fig.colorbar(
        ScalarMappable(norm=norm, cmap=colours),
        ax=ax,
        shrink=0.6,
        format=FuncFormatter(lambda v, _: format_decimal_nl(v, 0)),
    )
    bar.set_label(legend)
    ax.set_title(title, loc="left")
    return fig
