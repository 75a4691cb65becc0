"""Vietnamese number parsing: ``1,5`` is 1.5, ``17.000`` is 17000, ``1.234,5`` is 1234.5."""

from __future__ import annotations

import re

__all__ = ["NUMBER_PATTERN", "parse_vn_number"]

# A number as written in Vietnamese texts (thousands groups with "." or a space, decimal ","),
# also tolerating English-style numbers. Bounded quantifiers only: no catastrophic backtracking.
NUMBER_PATTERN = (
    r"\d{1,3}(?:[.\u00a0 ]\d{3}){1,5}(?:,\d{1,6})?(?!\d)"
    r"|\d{1,3}(?:,\d{3}){2,5}(?:\.\d{1,6})?(?!\d)"  # 1,234,567 (English thousands)
    r"|\d{1,3}(?:,\d{3})+\.\d{1,6}(?!\d)"  # 1,234.5
    r"|\d{1,15}(?:[.,]\d{1,6})?(?!\d)"
)
_NUMBER_RE = re.compile(rf"^(?:{NUMBER_PATTERN})$")


def parse_vn_number(text: str) -> float | None:
    """Parse a number written the Vietnamese way; ``None`` if ``text`` is not a number.

    >>> parse_vn_number("1,5"), parse_vn_number("17.000"), parse_vn_number("1.234,5")
    (1.5, 17000.0, 1234.5)
    """
    raw = text.strip().replace("\u00a0", " ")
    if not raw:
        return None
    negative = raw[0] in "-−–"
    if negative:
        raw = raw[1:].strip()
    if not raw or not raw[0].isdigit() or not _NUMBER_RE.match(raw):
        return None
    raw = raw.replace(" ", "")
    has_dot, has_comma = "." in raw, "," in raw
    if has_dot and has_comma:
        # Whichever comes last is the decimal separator ("1.234,5" or "1,234.5").
        if raw.rfind(",") > raw.rfind("."):
            raw = raw.replace(".", "").replace(",", ".")
        else:
            raw = raw.replace(",", "")
    elif has_dot:
        groups = raw.split(".")
        # "17.000" and "1.000.000" group thousands; "1.5" and "0.85" are decimals.
        if len(groups) > 2 or (len(groups) == 2 and len(groups[1]) == 3 and groups[0] != "0"):
            raw = raw.replace(".", "")
    elif has_comma:
        groups = raw.split(",")
        if len(groups) > 2 and all(len(g) == 3 for g in groups[1:]):
            raw = raw.replace(",", "")  # "1,234,567" (English thousands)
        else:
            raw = raw.replace(",", ".")  # Vietnamese decimal comma
    try:
        value = float(raw)
    except ValueError:
        return None
    return -value if negative else value
