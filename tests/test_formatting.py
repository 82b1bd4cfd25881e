"""Tests for helpers.formatting: Belgian Dutch numbers and HTML escaping."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from helpers.formatting import (
    MISSING,
    escape,
    format_count,
    format_decimal_nl,
    format_percent,
    format_signed_count,
    html_table,
)

MISSING_VALUES = [None, pd.NA, float("nan"), np.nan]


def test_missing_mark_is_en_dash():
    assert MISSING == "\u2013"


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (220679, "220.679"),
        (0, "0"),
        (999, "999"),
        (1000, "1.000"),
        (1234567, "1.234.567"),
        (49306.6, "49.307"),
        (np.int64(50232), "50.232"),
        (-1234, "-1.234"),
    ],
)
def test_format_count(value, text):
    assert format_count(value) == text


@pytest.mark.parametrize("value", MISSING_VALUES)
def test_format_count_missing(value):
    assert format_count(value) == MISSING


def test_format_percent_two_thirds():
    assert format_percent(2 / 3) == "66,7\u00a0%"


@pytest.mark.parametrize(
    ("share", "digits", "text"),
    [
        (0, 1, "0,0\u00a0%"),
        (1, 1, "100,0\u00a0%"),
        (0.004138, 2, "0,41\u00a0%"),
        (12.5, 0, "1.250\u00a0%"),
    ],
)
def test_format_percent_digits(share, digits, text):
    assert format_percent(share, digits) == text


@pytest.mark.parametrize("value", MISSING_VALUES)
def test_format_percent_missing(value):
    assert format_percent(value) == MISSING


@pytest.mark.parametrize(
    ("value", "digits", "text"),
    [
        (66.666, 1, "66,7"),
        (28.1, 1, "28,1"),
        (1234.5, 1, "1.234,5"),
        (3.14159, 2, "3,14"),
        (7.6, 0, "8"),
    ],
)
def test_format_decimal_nl(value, digits, text):
    assert format_decimal_nl(value, digits) == text


def test_format_decimal_nl_missing():
    assert format_decimal_nl(pd.NA) == MISSING


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (7237, "+7.237"),
        (-29, "\u221229"),
        (-1234, "\u22121.234"),
        (0, "±0"),
        (0.4, "±0"),
    ],
)
def test_format_signed_count(value, text):
    assert format_signed_count(value) == text


@pytest.mark.parametrize("value", MISSING_VALUES)
def test_format_signed_count_missing(value):
    assert format_signed_count(value) == MISSING


def test_escape_script_tag():
    assert escape("<script>") == "&lt;script&gt;"


def test_escape_quotes_and_ampersand():
    assert escape("a & \"b\" 'c'") == "a &amp; &quot;b&quot; &#x27;c&#x27;"


@pytest.mark.parametrize("value", MISSING_VALUES)
def test_escape_missing_is_empty(value):
    assert escape(value) == ""


def test_escape_number():
    assert escape(49307) == "49307"


def test_html_table_escapes_cells():
    frame = pd.DataFrame({"provincie": ["<script>alert(1)</script>", "Luik & co"]})
    table = html_table(frame)
    assert "<script>" not in table
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in table
    assert "Luik &amp; co" in table


def test_html_table_escapes_headers():
    frame = pd.DataFrame({"<b>kaarten</b>": ["1"]})
    table = html_table(frame)
    assert "<b>" not in table
    assert "&lt;b&gt;kaarten&lt;/b&gt;</th>" in table


def test_html_table_escapes_caption():
    table = html_table(pd.DataFrame({"a": ["1"]}), caption="<i>bron</i>")
    assert "<caption>&lt;i&gt;bron&lt;/i&gt;</caption>" in table


def test_html_table_without_caption():
    assert "<caption>" not in html_table(pd.DataFrame({"a": ["1"]}))


def test_html_table_aligns_numeric_columns():
    frame = pd.DataFrame({"provincie": ["Antwerpen"], "kaarten": ["49.307"]})
    table = html_table(frame, numeric=["kaarten"])
    assert '<th class="text">provincie</th>' in table
    assert '<th class="num">kaarten</th>' in table
    assert '<td class="num">49.307</td>' in table
    assert '<td class="text">Antwerpen</td>' in table


def test_html_table_row_per_record():
    frame = pd.DataFrame({"a": ["1", "2", "3"]})
    assert html_table(frame).count("<tr>") == 4  # header row and three rows


def test_html_table_missing_cell_empty():
    frame = pd.DataFrame({"a": ["1", None]})
    assert '<td class="text"></td>' in html_table(frame)
