"""Small, accessible SVG charts for the public portal (pure, no Django).

Server-rendered inline SVG: no script, no external file, readable without colour (markers differ in shape), and a
text alternative (``<title>`` + ``<desc>``) that says the same as the picture, so screen readers get the numbers.
"""

from __future__ import annotations

import html
import math
from dataclasses import dataclass, field

from xanh.core.numbers import format_number_vi

WIDTH, HEIGHT = 560, 230
LEFT, RIGHT, TOP, BOTTOM = 58, 16, 16, 40
OBSERVED = "#0b6b3a"  # 7.2:1 on white
TARGET = "#1d4f91"  # 8.1:1 on white
GRID = "#d4dbd7"
INK = "#1b1f1d"


@dataclass(frozen=True)
class Point:
    year: int
    value: float


@dataclass(frozen=True)
class Words:
    """Translatable words used in the picture and its text alternative."""

    observed: str = "Giá trị quan sát"
    target: str = "Mục tiêu"
    baseline: str = "Năm cơ sở"
    path: str = "Lộ trình cần đạt"
    no_data: str = "Chưa có số liệu đã phê duyệt."


@dataclass(frozen=True)
class ProgressChart:
    chart_id: str
    title: str
    unit: str = ""
    points: tuple[Point, ...] = ()
    baseline: Point | None = None
    target_year: int | None = None
    target_value: float | None = None
    target_low: float | None = None
    target_high: float | None = None
    words: Words = field(default_factory=Words)


def _fmt(value: float, unit: str) -> str:
    text = format_number_vi(value, 2, strip_zeros=True)
    if not unit:
        return text
    return f"{text}{unit}" if unit == "%" else f"{text} {unit}"


def describe(chart: ProgressChart) -> str:
    """The chart in words (the SVG's ``<desc>``), e.g. "Giá trị quan sát: 2020: 40,1%; 2024: 41,5%. Mục tiêu 2030: 42%."."""
    parts: list[str] = []
    if chart.baseline is not None:
        parts.append(
            f"{chart.words.baseline} {chart.baseline.year}: {_fmt(chart.baseline.value, chart.unit)}."
        )
    if chart.points:
        series = "; ".join(f"{p.year}: {_fmt(p.value, chart.unit)}" for p in chart.points)
        parts.append(f"{chart.words.observed}: {series}.")
    else:
        parts.append(chart.words.no_data)
    if chart.target_year is not None:
        if chart.target_low is not None and chart.target_high is not None:
            goal = f"{_fmt(chart.target_low, '')}–{_fmt(chart.target_high, chart.unit)}"
        elif chart.target_value is not None:
            goal = _fmt(chart.target_value, chart.unit)
        else:
            goal = ""
        if goal:
            parts.append(f"{chart.words.target} {chart.target_year}: {goal}.")
    return " ".join(parts)


def _ticks(low: float, high: float, count: int = 4) -> list[float]:
    if high <= low:
        return [low]
    raw = (high - low) / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    start = math.floor(low / step) * step
    ticks = []
    value = start
    while value <= high + step * 1e-9:
        if value >= low - step * 1e-9:
            ticks.append(round(value, 10))
        value += step
    return ticks


def progress_svg(chart: ProgressChart) -> str:
    """An inline SVG: observed values (solid line, round markers), the straight path from the baseline to the target
    (dashed) and the target (diamond, or a band for a range)."""
    title = html.escape(chart.title)
    desc = html.escape(describe(chart))
    ids = f'aria-labelledby="{chart.chart_id}-t {chart.chart_id}-d"'
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" {ids} '
        f'class="chart" focusable="false"><title id="{chart.chart_id}-t">{title}</title>'
        f'<desc id="{chart.chart_id}-d">{desc}</desc>'
    )
    points = list(chart.points)
    anchors = [*points, *([chart.baseline] if chart.baseline else [])]
    goal_values = [
        v
        for v in (chart.target_value, chart.target_low, chart.target_high)
        if v is not None and math.isfinite(v)
    ]
    years = [p.year for p in anchors] + ([chart.target_year] if chart.target_year else [])
    values = [p.value for p in anchors if math.isfinite(p.value)] + goal_values
    if not years or not values:
        return head + (
            f'<text x="{WIDTH / 2}" y="{HEIGHT / 2}" text-anchor="middle" fill="{INK}" font-size="14">'
            f"{html.escape(chart.words.no_data)}</text></svg>"
        )
    first_year, last_year = min(years), max(years)
    if first_year == last_year:
        first_year -= 1
        last_year += 1
    low, high = min(values), max(values)
    pad = (high - low) * 0.1 or (abs(high) * 0.1 or 1.0)
    low, high = low - pad, high + pad
    if min(values) >= 0 > low:
        low = 0.0

    def x(year: float) -> float:
        return LEFT + (year - first_year) / (last_year - first_year) * (WIDTH - LEFT - RIGHT)

    def y(value: float) -> float:
        return TOP + (high - value) / (high - low) * (HEIGHT - TOP - BOTTOM)

    out = [head, '<g font-size="12" fill="' + INK + '">']
    for tick in _ticks(low, high):
        out.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" stroke="{GRID}"/>'
            f'<text x="{LEFT - 6}" y="{y(tick) + 4:.1f}" text-anchor="end">'
            f"{html.escape(format_number_vi(tick, 2, strip_zeros=True))}</text>"
        )
    span = last_year - first_year
    step = 1 if span <= 8 else (2 if span <= 16 else 5)
    for year in range(first_year, last_year + 1):
        if (year - first_year) % step == 0 or year == last_year:
            out.append(
                f'<text x="{x(year):.1f}" y="{HEIGHT - BOTTOM + 18}" text-anchor="middle">{year}</text>'
            )
    out.append("</g>")
    if chart.target_year is not None and goal_values:
        tx = x(chart.target_year)
        if chart.target_low is not None and chart.target_high is not None:
            y1, y2 = sorted((y(chart.target_low), y(chart.target_high)))
            out.append(
                f'<rect x="{tx - 6:.1f}" y="{y1:.1f}" width="12" height="{max(y2 - y1, 2):.1f}" '
                f'fill="{TARGET}" fill-opacity="0.35" stroke="{TARGET}"/>'
            )
            goal_mid = (chart.target_low + chart.target_high) / 2
        else:
            goal_mid = goal_values[0]
            ty = y(goal_mid)
            out.append(
                f'<path d="M{tx:.1f} {ty - 7:.1f} L{tx + 7:.1f} {ty:.1f} L{tx:.1f} {ty + 7:.1f} '
                f'L{tx - 7:.1f} {ty:.1f} Z" fill="{TARGET}"/>'
            )
        start = chart.baseline or (points[0] if points else None)
        if start is not None and start.year < chart.target_year:
            out.append(
                f'<line x1="{x(start.year):.1f}" y1="{y(start.value):.1f}" x2="{tx:.1f}" y2="{y(goal_mid):.1f}" '
                f'stroke="{TARGET}" stroke-width="2" stroke-dasharray="6 4"/>'
            )
    if points:
        path = " ".join(
            f"{'M' if i == 0 else 'L'}{x(p.year):.1f} {y(p.value):.1f}" for i, p in enumerate(points)
        )
        out.append(f'<path d="{path}" fill="none" stroke="{OBSERVED}" stroke-width="2.5"/>')
        out.extend(
            f'<circle cx="{x(p.year):.1f}" cy="{y(p.value):.1f}" r="3.5" fill="{OBSERVED}"/>' for p in points
        )
    out.append("</svg>")
    return "".join(out)
