"""Template filters of the GHG pages."""

from __future__ import annotations

from typing import Any

from django import template

from xanh.ghg.calc import fmt

register = template.Library()


@register.filter
def trailnum(value: Any) -> str:
    """Six significant digits in Vietnamese format, as in the calculation trail (0,036292; 2.689,24)."""
    try:
        return fmt(float(value))
    except (TypeError, ValueError):
        return "—"
