"""Tests for helpers.figures: inline SVG images and what the charts show."""

from __future__ import annotations

import base64
import re

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from helpers import figures
from helpers.figures import bar_chart, figure_to_img, visits_chart


def svg_of(img: str) -> bytes:
    match = re.search(r'src="data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)"', img)
    assert match, img[:120]
    return base64.b64decode(match.group(1))


@pytest.fixture
def pickup_2022(tables) -> pd.DataFrame:
    pickup = tables["pickup_by_province"]
    return pickup[pickup["year"] == 2022]


def draw_bars(frame: pd.DataFrame):
    return bar_chart(
        frame,
        category="province",
        value="cards",
        title="Kaarten via afhaalpunten",
        xlabel="kaarten",
    )


def test_figure_to_img_inline_svg(pickup_2022):
    img = figure_to_img(draw_bars(pickup_2022), alt="Kaarten per provincie")
    assert img.startswith('<img class="report-figure" alt="Kaarten per provincie"')
    assert svg_of(img).lstrip().startswith(b"<?xml")


def test_figure_to_img_escapes_alt():
    fig, _ = plt.subplots()
    img = figure_to_img(fig, alt='"><script>x</script>')
    assert "<script>" not in img
    assert 'alt="&quot;&gt;&lt;script&gt;' in img


def test_figure_to_img_closes_figure():
    fig, _ = plt.subplots()
    number = fig.number
    figure_to_img(fig, alt="leeg")
    assert not plt.fignum_exists(number)


def test_figure_to_img_same_bytes(pickup_2022):
    first = figure_to_img(draw_bars(pickup_2022), alt="a")
    second = figure_to_img(draw_bars(pickup_2022), alt="a")
    assert first == second


def test_bar_chart_dutch_labels(pickup_2022):
    fig = draw_bars(pickup_2022)
    labels = [text.get_text() for text in fig.axes[0].texts]
    plt.close(fig)
    assert "50.232" in labels
    assert len(labels) == 11


def test_bar_chart_largest_on_top(pickup_2022):
    fig = draw_bars(pickup_2022)
    categories = [label.get_text() for label in fig.axes[0].get_yticklabels()]
    plt.close(fig)
    assert categories[0] == "Antwerpen"
    assert categories[-1] == "Luxemburg"


def test_bar_chart_decimal_labels():
    frame = pd.DataFrame({"province": ["A", "B"], "ratio": [28.14, 3.5]})
    fig = bar_chart(
        frame, category="province", value="ratio", title="t", xlabel="x", decimal=True
    )
    labels = [text.get_text() for text in fig.axes[0].texts]
    plt.close(fig)
    assert labels == ["28,1", "3,5"]


def test_visits_chart_skips_missing_year(tables):
    fig = visits_chart(tables["website_visits"], title="Bezoeken")
    axis = fig.axes[0]
    line = axis.get_lines()[0]
    legend = [text.get_text() for text in axis.get_legend().get_texts()]
    plt.close(fig)
    # Only 2021 and 2022 have exact figures, and 2020 must not be drawn as zero.
    assert list(line.get_xdata()) == [2021, 2022]
    assert list(line.get_ydata()) == [700000.0, 800000.0]
    assert "2020: daling, geen cijfer bekend" in legend
    assert "ongeveer 600.000 per jaar vóór 2020" in legend


def test_interval_chart_cuts_far_upper_bound():
    frame = pd.DataFrame(
        {
            "area": ["Antwerpen", "Brussel"],
            "lower": [78.5, 26.1],
            "central": [100.7, 48.4],
            "upper": [159.3, 544.8],
            "range_low": [97.0, 29.6],
            "range_high": [114.8, 104.5],
        }
    )
    fig = figures.interval_chart(frame, title="t", xlabel="x", reference=100)
    axis = fig.axes[0]

    # The edge is 1.5 times the largest central or range value, 114.8.
    assert axis.get_xlim()[1] < 544.8
    labels = [text.get_text() for text in axis.texts]
    assert "tot 545" in labels
    assert "100,7" in labels
    tag = figure_to_img(fig, alt="interval")
    assert svg_of(tag).lstrip().startswith(b"<?xml")


def test_tile_map_marks_missing_areas():
    frame = pd.DataFrame(
        {
            "nis_code": ["10000", "04000", "90000"],
            "area": ["Antwerpen", "Brussel", "Namen"],
            "central": [100.7, 48.4, float("nan")],
        }
    )
    fig = figures.tile_map(
        frame, value="central", title="t", legend="l", missing="niet te schatten"
    )
    texts = [text.get_text() for text in fig.axes[0].texts]

    assert "Antwerpen\n100,7" in texts
    assert "Namen\nniet te schatten" in texts
    assert "Limburg\nniet te schatten" in texts
    # Every area of figures.TILES gets a square, also those not in the frame.
    assert len(texts) == len(figures.TILES)
    plt.close(fig)
