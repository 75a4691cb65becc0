"""Vietnamese administrative writing helpers for reports (pure, no Django).

The layout conventions (place and date line, leading zeros in dates, issuing body in capitals, "Số: …/BC-…") are those
of Vietnamese administrative documents (Nghị định 30/2020/NĐ-CP, Phụ lục I, on the format of administrative
documents); the shared domain pack shows them in the plans it quotes (e.g. "Bắc Giang, ngày 15 tháng 10 năm 2022").
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from xanh.core.text import slugify_vi

NBSP = "\u00a0"
_SPACES = re.compile(r"[ \t\u00a0]+")
_PAREN_SUFFIX = re.compile(r"\s*\([^()]*\)\s*$")
_UNIT_PREFIX = re.compile(r"^(tỉnh|thành phố|tp\.?)\s+", re.IGNORECASE)
_PEOPLES_COMMITTEE = "ủy ban nhân dân"
_PEOPLES_COMMITTEE_VARIANTS = ("ủy ban nhân dân", "uỷ ban nhân dân")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def clean(text: str) -> str:
    """NFC, no runs of spaces, no blank lines at either end; line breaks inside are kept."""
    lines = [_SPACES.sub(" ", line).strip() for line in nfc(text).replace("\r\n", "\n").split("\n")]
    return "\n".join(lines).strip()


def paragraphs(text: str) -> list[str]:
    """Split recorded free text into paragraphs (one per non-empty line); list markers people typed are dropped."""
    result = []
    for line in clean(text).split("\n"):
        stripped = re.sub(r"^(?:[-–•+*]\s+)", "", line).strip()
        if stripped:
            result.append(stripped)
    return result


def sentence(text: str) -> str:
    """End the text with a full stop unless it already ends with punctuation."""
    text = text.strip()
    if not text:
        return text
    return text if text[-1] in ".;:!?…)" else f"{text}."


def lower_first(text: str) -> str:
    """ "Kế hoạch hành động …" -> "kế hoạch hành động …"; acronyms ("KHHĐ", "UBND") are left alone."""
    if len(text) >= 2 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text


def upper_first(text: str) -> str:
    return text[:1].upper() + text[1:] if text else text


def day_month(value: int, *, pad_below: int) -> str:
    return f"{value:02d}" if value < pad_below else str(value)


def long_date(day: dt.date) -> str:
    """ "ngày 05 tháng 02 năm 2026": days below 10 and months below 3 get a leading zero (NĐ 30/2020, Phụ lục I)."""
    return f"ngày {day_month(day.day, pad_below=10)} tháng {day_month(day.month, pad_below=3)} năm {day.year}"


def short_date(day: dt.date) -> str:
    """ "15/10/2022", "05/02/2026" — the form used when a document is cited."""
    return f"{day_month(day.day, pad_below=10)}/{day_month(day.month, pad_below=3)}/{day.year}"


def place_date_line(place: str, day: dt.date | None) -> str:
    """ "Lục Vân, ngày 23 tháng 11 năm 2026"; without a date the day and month are left for the clerk to fill."""
    if day is None:
        gap = NBSP * 4
        return f"{place}, ngày{gap}tháng{gap}năm"
    return f"{place}, {long_date(day)}"


def place_name(unit_name: str) -> str:
    """The place in the date line: the unit's own name without "Tỉnh"/"Thành phố" and without a bracketed note."""
    name = _PAREN_SUFFIX.sub("", nfc(unit_name)).strip()
    return _UNIT_PREFIX.sub("", name).strip() or name


def issuer_lines(issuer: str) -> tuple[str, ...]:
    """The issuing body in capitals, split the way it is printed in the header block:
    "Ủy ban nhân dân tỉnh Lục Vân" -> ("ỦY BAN NHÂN DÂN", "TỈNH LỤC VÂN")."""
    text = _PAREN_SUFFIX.sub("", clean(issuer).replace("\n", " ")).strip()
    folded = text.lower()
    for variant in _PEOPLES_COMMITTEE_VARIANTS:
        if folded.startswith(variant + " "):
            rest = text[len(variant) :].strip()
            return ("ỦY BAN NHÂN DÂN", rest.upper())
    return (text.upper(),) if text else ()


def issuer_code(issuer: str) -> str:
    """The issuer part of a document symbol: "UBND" for a People's Committee, else the initials ("Sở Tài chính" ->
    "STC"), as in 1026/QĐ-UBND or 107/TTr-SKHĐT (domain README, "Symbol pattern")."""
    text = clean(issuer).lower().replace("uỷ", "ủy")
    if text.startswith(_PEOPLES_COMMITTEE):
        return "UBND"
    words = [w for w in re.split(r"[\s,]+", clean(issuer)) if w]
    initials = "".join(w[0].upper() for w in words if w[0].isalpha())
    return initials or "UBND"


def report_number(issuer: str) -> str:
    """ "Số:      /BC-UBND": the number itself is given by the clerk when the report is registered and issued."""
    return f"Số:{NBSP * 6}/BC-{issuer_code(issuer)}"


def file_stem(*parts: str) -> str:
    """An ASCII file name stem: ("Báo cáo tổng hợp", "Lục Vân", "2025") -> "bao-cao-tong-hop-luc-van-2025"."""
    return "-".join(p for p in (slugify_vi(part) for part in parts) if p) or "bao-cao"
