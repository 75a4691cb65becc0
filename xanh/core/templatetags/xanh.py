"""Template filters: Vietnamese number format everywhere a number is shown (1.234,5)."""

from __future__ import annotations

from typing import Any

from django import template

from xanh.core.numbers import format_number_vi

register = template.Library()


@register.filter
def vnum(value: Any, decimals: Any = 2) -> str:
    """``{{ x|vnum }}`` → up to 2 decimals, trailing zeros dropped; ``{{ x|vnum:1 }}`` → exactly 1 decimal."""
    if value in (None, ""):
        return "—"
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    if decimals == 2:
        return format_number_vi(number, 2, strip_zeros=True)
    return format_number_vi(number, int(decimals))
