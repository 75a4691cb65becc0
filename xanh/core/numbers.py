"""Vietnamese number formatting (pure, no Django): 1234.5 -> "1.234,5".

Vietnamese administrative writing groups thousands with a dot and separates decimals with a comma. Rounding is
half-up on the decimal representation that Python prints for the float (so 0.125 -> "0,13", as people expect),
not banker's rounding.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

MISSING = "—"


def format_number_vi(
    value: float | int | Decimal | None,
    decimals: int = 0,
    *,
    strip_zeros: bool = False,
    sign: bool = False,
) -> str:
    """Format ``value`` with ``decimals`` decimal places in Vietnamese style.

    ``strip_zeros`` drops trailing decimal zeros (37,50 -> 37,5; 37,00 -> 37). ``sign`` prints "+" before positive
    numbers (for changes). ``None`` and NaN print as an em dash; infinities as "∞" / "-∞".
    """
    if decimals < 0:
        raise ValueError("decimals must be >= 0")
    if value is None:
        return MISSING
    if isinstance(value, float):
        if math.isnan(value):
            return MISSING
        if math.isinf(value):
            return "∞" if value > 0 else "-∞"
    try:
        number = Decimal(str(value)) if not isinstance(value, Decimal) else value
        quantum = Decimal(1).scaleb(-decimals)
        rounded = number.quantize(quantum, rounding=ROUND_HALF_UP)
    except InvalidOperation:
        return MISSING
    if rounded == 0:
        rounded = abs(rounded)  # never print "-0"
    negative = rounded < 0
    text = f"{abs(rounded):.{decimals}f}"
    integer, _, fraction = text.partition(".")
    groups: list[str] = []
    while len(integer) > 3:
        groups.insert(0, integer[-3:])
        integer = integer[:-3]
    groups.insert(0, integer)
    result = ".".join(groups)
    if strip_zeros:
        fraction = fraction.rstrip("0")
    if fraction:
        result = f"{result},{fraction}"
    if negative:
        return f"-{result}"
    if sign and rounded > 0:
        return f"+{result}"
    return result


def format_percent_vi(
    fraction: float | None, decimals: int = 1, *, strip_zeros: bool = False, sign: bool = False
) -> str:
    """Format a fraction (0.012) as a Vietnamese percentage ("1,2%")."""
    if fraction is None or (isinstance(fraction, float) and math.isnan(fraction)):
        return MISSING
    return f"{format_number_vi(fraction * 100, decimals, strip_zeros=strip_zeros, sign=sign)}%"


def parse_number_vi(text: str) -> float:
    """Parse a number written in Vietnamese style ("1.234,5", "37,5", "-0,2") or plain style ("37.5").

    A single dot followed by exactly three digits is read as a thousands separator ("1.234" -> 1234), which is the
    Vietnamese reading; raise ``ValueError`` with a Vietnamese message on anything else.
    """
    raw = text.strip().replace("\u2212", "-").replace("\u00a0", "").replace(" ", "")
    if raw.endswith("%"):
        raw = raw[:-1]
    if not raw:
        raise ValueError("Ô trống, không phải là số.")
    if "," in raw:
        normalized = raw.replace(".", "").replace(",", ".")
    else:
        parts = raw.lstrip("+-").split(".")
        if len(parts) > 2 or (len(parts) == 2 and len(parts[1]) == 3 and parts[0] not in ("", "0")):
            normalized = raw.replace(".", "")
        else:
            normalized = raw
    try:
        result = float(normalized)
    except ValueError as exc:
        raise ValueError(f"«{text}» không phải là số (dùng dạng 1.234,5).") from exc
    if not math.isfinite(result):
        raise ValueError(f"«{text}» không phải là số hữu hạn.")
    return result
