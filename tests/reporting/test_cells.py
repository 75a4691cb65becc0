"""Reading form fields and Excel cells (pure): Vietnamese numbers, percentages, dates and task statuses."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xanh.core.numbers import format_number_vi
from xanh.reporting.cells import (
    TASK_STATUS_LABELS,
    CellError,
    parse_date,
    parse_number,
    parse_percent,
    parse_task_status,
    parse_text,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("12,5", 12.5),
        ("1.234,5", 1234.5),
        ("12.5", 12.5),
        (" 85 ", 85.0),
        (7, 7.0),
        (2.25, 2.25),
        ("-0,2", -0.2),
        ("", None),
        (None, None),
    ],
)
def test_numbers(raw, expected):
    assert parse_number(raw) == expected


@pytest.mark.parametrize("raw", ["mười hai", "12,5,3", "1e", True, dt.date(2025, 1, 1)])
def test_not_numbers(raw):
    with pytest.raises(CellError):
        parse_number(raw)


@given(st.floats(min_value=-1e9, max_value=1e9, allow_nan=False).map(lambda v: round(v, 3)))
def test_vietnamese_format_round_trips(value):
    assert parse_number(format_number_vi(value, 3, strip_zeros=True)) == pytest.approx(value, abs=1e-9)


@pytest.mark.parametrize(
    ("raw", "expected"), [("75", 75), ("75%", 75), ("99,5", 100), (0, 0), (100.0, 100), ("", None)]
)
def test_percent(raw, expected):
    assert parse_percent(raw) == expected


@pytest.mark.parametrize("raw", ["101", "-1", "bảy mươi"])
def test_bad_percent(raw):
    with pytest.raises(CellError):
        parse_percent(raw)


@given(st.integers(min_value=0, max_value=100))
def test_any_whole_percent_is_read_back(value):
    assert parse_percent(str(value)) == value == parse_percent(value)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("31/12/2025", dt.date(2025, 12, 31)),
        ("1/2/2025", dt.date(2025, 2, 1)),
        ("01-02-2025", dt.date(2025, 2, 1)),
        ("2025-02-01", dt.date(2025, 2, 1)),
        (dt.datetime(2025, 3, 4, 10, 0), dt.date(2025, 3, 4)),
        ("", None),
    ],
)
def test_dates(raw, expected):
    assert parse_date(raw) == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("12/31/2025", "không tồn tại"),
        ("tháng 5", "sai định dạng"),
        ("2025.13.01", "sai định dạng"),
        (45000, "không phải là ngày"),
    ],
)
def test_bad_dates(raw, message):
    with pytest.raises(CellError, match=message):
        parse_date(raw)


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_any_date_written_day_first_is_read_back(day):
    assert parse_date(day.strftime("%d/%m/%Y")) == day


def test_statuses_by_label_or_code():
    for code, label in TASK_STATUS_LABELS.items():
        assert parse_task_status(label) == code == parse_task_status(code)
        assert parse_task_status(f"  {label.upper()} ") == code
    assert parse_task_status("") == ""
    with pytest.raises(CellError, match="Chưa triển khai"):
        parse_task_status("xong rồi")


@given(st.text(max_size=30))
def test_status_parser_accepts_or_explains(text):
    try:
        code = parse_task_status(text)
    except CellError as exc:
        assert "không hợp lệ" in str(exc)
    else:
        assert code == "" or code in TASK_STATUS_LABELS


def test_text():
    assert parse_text(12.0) == "12" and parse_text(dt.date(2025, 1, 2)) == "02/01/2025"
    with pytest.raises(CellError, match="vượt giới hạn 5"):
        parse_text("quá dài", max_length=5)
