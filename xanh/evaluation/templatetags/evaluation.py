"""Template helpers of the evaluation pages (Vietnamese number format through xanh.core.numbers)."""

from __future__ import annotations

from typing import Any

from django import template

from xanh.core.numbers import format_number_vi
from xanh.evaluation.methods import Assessment
from xanh.evaluation.methods.explain import calculation_rows, explain_inputs

register = template.Library()


@register.filter
def pct(fraction: Any, decimals: int = 0) -> str:
    """0.625 -> "63%"; None -> "—"."""
    if fraction in (None, ""):
        return "—"
    return f"{format_number_vi(float(fraction) * 100, int(decimals))}%"


@register.filter
def quantity(value: Any, unit: str = "") -> str:
    """A value with its unit, Vietnamese style: 41,8% or 40,2 kgOE/triệu đồng."""
    if value in (None, ""):
        return "—"
    text = format_number_vi(float(value), 2, strip_zeros=True)
    if not unit:
        return text
    return f"{text}{unit}" if unit == "%" else f"{text} {unit}"


@register.filter
def share_width(count: Any, total: Any) -> str:
    """Width of a bar segment in percent, for an inline style (dot decimal, as CSS wants)."""
    try:
        return f"{100.0 * float(count) / float(total):.2f}" if float(total) else "0"
    except (TypeError, ValueError):
        return "0"


@register.filter
def calc_rows(assessment: Assessment) -> list[tuple[str, str]]:
    return calculation_rows(assessment)


@register.filter
def inputs_line(assessment: Assessment) -> str:
    return explain_inputs(assessment) or ""


@register.filter
def status_label(code: Any) -> str:
    from xanh.evaluation.methods import STATUS_LABELS, Status

    try:
        return STATUS_LABELS[Status(str(code))]
    except ValueError:
        return str(code)
