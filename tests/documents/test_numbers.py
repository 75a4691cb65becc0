"""Vietnamese number parsing (pure)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xanh.documents.parsing.numbers import parse_vn_number


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1,5", 1.5),
        ("17.000", 17000),
        ("1.234,5", 1234.5),
        ("2.000.000", 2_000_000),
        ("0,85", 0.85),
        ("80,0", 80.0),
        ("100", 100),
        ("1.5", 1.5),
        ("0.85", 0.85),
        ("1,234,567", 1_234_567),
        ("1,234.5", 1234.5),
        ("17 000", 17000),
        ("-3,5", -3.5),
        ("  42  ", 42),
    ],
)
def test_parse_vn_number(text: str, value: float) -> None:
    assert parse_vn_number(text) == pytest.approx(value)


@pytest.mark.parametrize("text", ["", "abc", "1,2,3,4", "12ab", "%", "1/2", "--1", "..."])
def test_not_a_number(text: str) -> None:
    assert parse_vn_number(text) is None


def _format_vn(value: float, decimals: int) -> str:
    integer, _, fraction = f"{value:.{decimals}f}".partition(".")
    groups = []
    while len(integer) > 3:
        groups.insert(0, integer[-3:])
        integer = integer[:-3]
    groups.insert(0, integer)
    text = ".".join(groups)
    return f"{text},{fraction}" if decimals else text


@given(st.integers(min_value=0, max_value=10**12), st.integers(min_value=0, max_value=3))
@settings(max_examples=400, deadline=None)
def test_vietnamese_format_round_trips(cents: int, decimals: int) -> None:
    value = cents / (10**decimals)
    parsed = parse_vn_number(_format_vn(value, decimals))
    assert parsed == pytest.approx(round(value, decimals))


@given(st.text(max_size=40))
@settings(max_examples=300, deadline=None)
def test_never_raises(text: str) -> None:
    result = parse_vn_number(text)
    assert result is None or isinstance(result, float)
