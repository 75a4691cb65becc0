from __future__ import annotations

import math
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xanh.core.numbers import format_number_vi, format_percent_vi, parse_number_vi


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (1234.5, 1, "1.234,5"),
        (1234567.891, 2, "1.234.567,89"),
        (0.125, 2, "0,13"),  # half-up, not banker's
        (2.5, 0, "3"),
        (-1234.5, 1, "-1.234,5"),
        (-0.0001, 2, "0,00"),  # never "-0"
        (999.995, 2, "1.000,00"),
        (37, 0, "37"),
        (Decimal("12.5"), 1, "12,5"),
        (None, 1, "—"),
        (math.nan, 1, "—"),
        (math.inf, 1, "∞"),
    ],
)
def test_format_number_vi(value, decimals, expected):
    assert format_number_vi(value, decimals) == expected


def test_options():
    assert format_number_vi(37.5, 2, strip_zeros=True) == "37,5"
    assert format_number_vi(37.0, 2, strip_zeros=True) == "37"
    assert format_number_vi(1.2, 1, sign=True) == "+1,2"
    assert format_percent_vi(0.012) == "1,2%"
    assert format_percent_vi(None) == "—"
    with pytest.raises(ValueError):
        format_number_vi(1, -1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("1.234,5", 1234.5), ("37,5", 37.5), ("37.5", 37.5), ("1.234", 1234.0), ("0.125", 0.125), ("-0,2", -0.2),
     ("1.234.567", 1234567.0), ("45%", 45.0), ("\u22121,5", -1.5)],
)
def test_parse_number_vi(text, expected):
    assert parse_number_vi(text) == pytest.approx(expected)


@pytest.mark.parametrize("text", ["", "abc", "1,2,3", "nan"])
def test_parse_rejects_with_vietnamese_message(text):
    with pytest.raises(ValueError, match="số"):
        parse_number_vi(text)


@given(st.floats(min_value=-1e12, max_value=1e12, allow_nan=False), st.integers(0, 4))
def test_round_trip(value, decimals):
    text = format_number_vi(value, decimals)
    assert parse_number_vi(text) == pytest.approx(value, abs=10**-decimals)
