"""Vietnamese administrative writing helpers (pure)."""

from __future__ import annotations

import datetime as dt
import re

from hypothesis import given
from hypothesis import strategies as st

from xanh.reports.compose import letter
from xanh.reports.vietnamese import (
    file_stem,
    issuer_code,
    issuer_lines,
    long_date,
    lower_first,
    paragraphs,
    place_date_line,
    place_name,
    report_number,
    sentence,
    short_date,
)


def test_dates_pad_days_below_ten_and_months_below_three() -> None:
    assert long_date(dt.date(2026, 2, 5)) == "ngày 05 tháng 02 năm 2026"
    assert long_date(dt.date(2022, 10, 15)) == "ngày 15 tháng 10 năm 2022"
    assert long_date(dt.date(2025, 9, 12)) == "ngày 12 tháng 9 năm 2025"
    assert short_date(dt.date(2025, 9, 12)) == "12/9/2025"
    assert short_date(dt.date(2026, 1, 3)) == "03/01/2026"


@given(st.dates(dt.date(1990, 1, 1), dt.date(2100, 12, 31)))
def test_long_date_round_trips(day: dt.date) -> None:
    match = re.fullmatch(r"ngày (\d{2}) tháng (\d{1,2}) năm (\d{4})", long_date(day))
    assert match is not None
    d, m, y = (int(g) for g in match.groups())
    assert dt.date(y, m, d) == day
    assert (len(match.group(2)) == 2) == (day.month < 3 or day.month >= 10)


def test_place_and_date_line() -> None:
    assert place_date_line("Lục Vân", dt.date(2026, 11, 23)) == "Lục Vân, ngày 23 tháng 11 năm 2026"
    assert place_date_line("Lục Vân", None).replace("\u00a0", " ") == "Lục Vân, ngày    tháng    năm"
    assert place_name("Lục Vân (minh họa)") == "Lục Vân"
    assert place_name("Tỉnh Bắc Ninh") == "Bắc Ninh"
    assert place_name("Thành phố Cần Thơ") == "Cần Thơ"


def test_issuer_lines_and_codes() -> None:
    assert issuer_lines("Ủy ban nhân dân tỉnh Lục Vân") == ("ỦY BAN NHÂN DÂN", "TỈNH LỤC VÂN")
    assert issuer_lines("Uỷ ban nhân dân thành phố Cần Thơ") == ("ỦY BAN NHÂN DÂN", "THÀNH PHỐ CẦN THƠ")
    assert issuer_lines("Sở Tài chính") == ("SỞ TÀI CHÍNH",)
    assert issuer_code("Ủy ban nhân dân tỉnh Bắc Giang") == "UBND"
    assert issuer_code("Sở Tài chính") == "STC"
    assert report_number("Ủy ban nhân dân tỉnh Lục Vân").endswith("/BC-UBND")


def test_text_helpers() -> None:
    assert lower_first("Kế hoạch hành động") == "kế hoạch hành động"
    assert lower_first("KHHĐ TTX") == "KHHĐ TTX"
    assert sentence("Đã hoàn thành") == "Đã hoàn thành."
    assert sentence("Đã hoàn thành;") == "Đã hoàn thành;"
    assert paragraphs("- Một.\n\n  • Hai  ba \r\n+ Bốn") == ["Một.", "Hai ba", "Bốn"]
    # text typed in decomposed form comes out precomposed (NFC), as fonts and PDF extraction expect
    assert paragraphs("Vie\u0302\u0323t") == ["Việt"]


def test_file_stem_is_ascii() -> None:
    assert file_stem("Báo cáo tổng hợp", "", "Lục Vân", "2025") == "bao-cao-tong-hop-luc-van-2025"


@given(st.text(max_size=60))
def test_file_stem_is_always_a_safe_name(text: str) -> None:
    stem = file_stem(text, "2025")
    assert re.fullmatch(r"[a-z0-9-]+", stem)


def test_letters_follow_vietnamese_numbering() -> None:
    assert [letter(i) for i in range(6)] == ["a", "b", "c", "d", "đ", "e"]
    assert letter(22) == "y" and letter(23) == "aa"
    assert len({letter(i) for i in range(500)}) == 500
