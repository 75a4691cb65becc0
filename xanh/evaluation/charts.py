"""The one trajectory chart of Xanh: plain data (``TrajectorySeries``), one set of colours and words, two renderers.

``series_from_assessment`` (a stored assessment) and ``plan_series`` (a plan's figures without an assessment, e.g.
the public portal) decide what a chart shows: observed values, the required trajectory from the base to the target,
the target (a point or a band) and the UNSD projection when there is one. ``trajectory_svg`` draws it for every web
page (dashboards and portal) as inline SVG written directly, with no plotting library: text stays text, no script,
nothing from a CDN, a ``<title>``/``<desc>`` text alternative that says the status in words, WCAG AA colours, and a
few hundred microseconds per chart. ``trajectory_png`` draws the same series with matplotlib (imported only then) for
the DOCX/PDF reports. No Django imports: usable from jobs, the CLI and benchmarks.
"""

from __future__ import annotations

import hashlib
import io
import math
import textwrap
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from html import escape
from typing import Any, Literal

from xanh.core.numbers import MISSING, format_number_vi

# Colours with at least 4.5:1 contrast on white (WCAG AA); status is also always written in words with a chart.
STATUS_COLOURS: dict[str, str] = {
    "achieved": "#0b6b3a",
    "on_track": "#1f7a3f",
    "acceleration_needed": "#8a4b00",
    "limited_progress": "#b3261e",
    "deterioration": "#7a0e12",
    "insufficient_data": "#4a524e",
}
REQUIRED_COLOUR = "#1d4f91"
TARGET_COLOUR = "#1d4f91"
PROJECTION_COLOUR = "#6b4fa0"
INK = "#1b1f1d"
GRID = "#d4dbd7"

Format = Literal["svg", "png"]
Size = Literal["full", "spark"]
Point = tuple[int, float]


@dataclass(frozen=True)
class Words:
    """The words of the chart (legend and text alternative); the portal passes translated ones."""

    observed: str = "Số liệu thực hiện"
    required: str = "Lộ trình cần đạt"
    projected: str = "Dự báo theo tốc độ hiện tại"
    target: str = "Mục tiêu"
    target_band: str = "Khoảng mục tiêu"
    baseline: str = "giá trị cơ sở"
    no_data: str = "Chưa có số liệu"
    no_observations: str = "Chưa có số liệu quan sát"
    data_range: str = "Số liệu từ năm {first} ({first_value}) đến năm {last} ({last_value})"
    each_year: str = "từng năm"
    goal: str = "mục tiêu {value} năm {year}"
    projection: str = "dự báo {value} năm {year}"
    status: str = "trạng thái: {label}"
    default_title: str = "Diễn biến so với lộ trình cần đạt"


WORDS = Words()


@dataclass(frozen=True)
class TrajectorySeries:
    """Everything a trajectory chart shows, as plain numbers."""

    title: str = ""
    unit: str = ""
    status: str = "insufficient_data"
    observed: tuple[Point, ...] = ()
    required: tuple[Point, ...] = ()
    projected: tuple[Point, ...] = ()
    base: Point | None = None
    target_year: int | None = None
    target_value: float | None = None
    target_low: float | None = None
    target_high: float | None = None
    status_label: str = ""
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def has_band(self) -> bool:
        return (
            self.target_low is not None
            and self.target_high is not None
            and self.target_low != self.target_high
        )

    def describe(self, words: Words = WORDS, *, with_title: bool = True) -> str:
        """A text alternative of the chart (every number of the picture, the status in words)."""
        parts = [self.title] if self.title and with_title else []
        if self.observed:
            (y0, v0), (y1, v1) = self.observed[0], self.observed[-1]
            parts.append(
                words.data_range.format(first=y0, first_value=self._q(v0), last=y1, last_value=self._q(v1))
            )
            if len(self.observed) > 2:
                listed = ", ".join(f"{y}: {self._q(v)}" for y, v in self.observed)
                parts.append(f"{words.each_year}: {listed}")
        else:
            parts.append(words.no_observations)
        if self.base is not None and (not self.observed or self.base != self.observed[0]):
            parts.append(f"{words.baseline} {self._q(self.base[1])} ({self.base[0]})")
        if self.target_low is not None and self.target_high is not None and self.has_band:
            goal = f"{_num(self.target_low)}–{self._q(self.target_high)}"
            parts.append(words.goal.format(value=goal, year=self.target_year))
        elif self.target_value is not None:
            parts.append(words.goal.format(value=self._q(self.target_value), year=self.target_year))
        if self.projected:
            year, value = self.projected[-1]
            parts.append(words.projection.format(value=self._q(value), year=year))
        if self.status_label:
            parts.append(words.status.format(label=self.status_label))
        return "; ".join(parts) + "."

    def _q(self, value: float) -> str:
        """A quantity: the number in Vietnamese format with the unit."""
        text = _num(value)
        if not self.unit:
            return text
        return f"{text}{self.unit}" if self.unit == "%" else f"{text} {self.unit}"


def _num(value: float, decimals: int = 2) -> str:
    return format_number_vi(value, decimals, strip_zeros=True)


# --- what a chart shows -----------------------------------------------------------------------------------------


def required_path(base: Point, threshold: float, target_year: int, *, compound: bool) -> tuple[Point, ...]:
    """The trajectory from the base to the target threshold, one point a year: compound for the CAGR-based methods
    (the path that meets the required rate exactly), straight for the linear method."""
    t0, y0 = base
    if target_year <= t0:
        return ()
    years = range(t0, target_year + 1)
    y1 = threshold
    if compound and y0 != 0 and y1 != 0 and (y0 > 0) == (y1 > 0):
        rate = (y1 / y0) ** (1.0 / (target_year - t0))
        return tuple((t, y0 * rate ** (t - t0)) for t in years)
    return tuple((t, y0 + (y1 - y0) * (t - t0) / (target_year - t0)) for t in years)


def plan_series(
    observations: Sequence[tuple[int, float]],
    *,
    base: Point | None = None,
    target_year: int | None = None,
    target_value: float | None = None,
    target_low: float | None = None,
    target_high: float | None = None,
    decreasing: bool = False,
    compound: bool = False,
    with_path: bool = True,
    projected: tuple[Point, ...] = (),
    title: str = "",
    unit: str = "",
    status: str = "insufficient_data",
    status_label: str = "",
) -> TrajectorySeries:
    """Chart data from a target's figures. The required path (unless ``with_path`` is false) runs from the base (else
    the first observation) to the target, or to the edge of its band that has to be reached: straight, or compound
    for the CAGR-based methods. Used as is where there is no stored assessment (the public portal)."""
    observed = tuple(sorted((int(y), float(v)) for y, v in observations))
    band = target_low is not None and target_high is not None
    threshold = (target_high if decreasing else target_low) if band else target_value
    start = base or (observed[0] if observed else None)
    required: tuple[Point, ...] = ()
    if with_path and start is not None and threshold is not None and target_year is not None:
        required = required_path(start, float(threshold), int(target_year), compound=compound)
    return TrajectorySeries(
        title=title,
        unit=unit,
        status=status,
        observed=observed,
        required=required,
        projected=projected,
        base=base,
        target_year=None if target_year is None else int(target_year),
        target_value=None if band or target_value is None else float(target_value),
        target_low=None if target_low is None else float(target_low),
        target_high=None if target_high is None else float(target_high),
        status_label=status_label,
    )


def series_from_assessment(
    components: Mapping[str, Any],
    observations: Sequence[tuple[int, float]],
    *,
    title: str = "",
    status: str = "insufficient_data",
    status_label: str = "",
    method: str = "osdg",
) -> TrajectorySeries:
    """Chart data from an assessment's calculation components (``Components.to_dict()``) and its observations: an
    average-rate target is drawn as the level the required rate reaches from the base, a milestone without a target
    figure, and the UNSD projection from the latest value when the method made one."""
    c = components
    kind = c.get("kind")
    base_year, base_value = c.get("base_year"), c.get("base_value")
    base = (int(base_year), float(base_value)) if base_year is not None and base_value is not None else None
    target_year = c.get("target_year")
    low, high, value = c.get("target_low"), c.get("target_high"), c.get("target_value")
    if kind == "annual_rate":
        rate = c.get("required_growth")
        low = high = value = None
        if base is not None and rate is not None and target_year is not None:
            value = base[1] * (1.0 + float(rate)) ** (int(target_year) - base[0])
    elif kind == "milestone":
        low = high = value = None
    projected: tuple[Point, ...] = ()
    projected_value = c.get("projected_value")
    latest_year, latest_value = c.get("latest_year"), c.get("latest_value")
    if (
        projected_value is not None
        and latest_year is not None
        and latest_value is not None
        and target_year is not None
        and c.get("transformed") is None
        and math.isfinite(float(projected_value))
    ):
        projected = ((int(latest_year), float(latest_value)), (int(target_year), float(projected_value)))
    return plan_series(
        observations,
        base=base,
        target_year=target_year,
        target_value=value,
        target_low=low,
        target_high=high,
        decreasing=c.get("direction") == "decrease",
        compound=method != "linear" and c.get("calculation") != "linear",
        with_path=base is not None and c.get("direction") != "maintain",
        projected=projected,
        title=title,
        unit="" if kind == "annual_rate" else str(c.get("unit") or ""),
        status=status,
        status_label=status_label,
    )


# --- SVG for web pages ------------------------------------------------------------------------------------------

#: (width, height) of the SVG view box
_VIEW: dict[str, tuple[int, int]] = {"full": (640, 300), "spark": (240, 64)}
_LIMIT = 1e15  # larger magnitudes are no indicator's and print badly; such values are only written, not drawn


def _drawable(points: Sequence[Point]) -> list[Point]:
    return [(y, v) for y, v in points if math.isfinite(v) and abs(v) < _LIMIT]


def _ticks(low: float, high: float, count: int = 5) -> list[tuple[float, str]]:
    """About ``count`` round values between ``low`` and ``high`` with their labels, each label printed once."""
    raw = (high - low) / count
    candidates: list[tuple[float, int]] = [(low, 2), (high, 2)]
    if math.isfinite(raw) and raw > 0:
        exponent = math.floor(math.log10(raw))
        magnitude = 10.0**exponent
        mantissa = next(m for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
        step = mantissa * magnitude
        decimals = min(max(0, -exponent + (1 if mantissa == 2.5 else 0)), 20)
        first, last = math.ceil(low / step - 1e-9), math.floor(high / step + 1e-9)
        if step > 0 and last - first < 4 * count:
            candidates = [(round(i * step, decimals), decimals) for i in range(first, last + 1)]
    ticks: dict[str, float] = {}
    for value, decimals in candidates:
        label = _num(value, decimals)
        if label != MISSING:  # beyond the precision of a decimal label
            ticks.setdefault(label, value)
    return [(value, label) for label, value in ticks.items()]


def _id(series: TrajectorySeries, size: str) -> str:
    return "chart-" + hashlib.sha256(repr((series, size)).encode()).hexdigest()[:10]


def _polyline(points: Sequence[tuple[float, float]]) -> str:
    return " ".join(f"{x:.1f},{y:.1f}" for x, y in points)


def trajectory_svg(
    series: TrajectorySeries, *, size: Size = "full", chart_id: str = "", words: Words = WORDS
) -> str:
    """Inline SVG for an HTML page: ``role="img"`` named by its ``<title>`` and ``<desc>``; observed values (solid
    line, round markers, in the status colour), the required path (dashed), the projection (dotted), the target
    (diamond, or a band for a range). ``chart_id`` must be unique on the page (default: from the content)."""
    spark = size == "spark"
    width, height = _VIEW[size]
    cid = escape(chart_id or _id(series, size))
    title = series.title or words.default_title
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{cid}-t {cid}-d" class="chart chart-{size}" focusable="false">'
        f'<title id="{cid}-t">{escape(title)}</title>'
        f'<desc id="{cid}-d">{escape(series.describe(words, with_title=False))}</desc>'
    )
    observed = _drawable(series.observed)
    required = _drawable(series.required)
    projected = _drawable(series.projected)
    base = _drawable([series.base]) if series.base is not None else []
    goal_value = _drawable([(0, series.target_value)]) if series.target_value is not None else []
    band: list[Point] = []
    if series.has_band and series.target_low is not None and series.target_high is not None:
        band = _drawable([(0, series.target_low), (0, series.target_high)])
        band = band if len(band) == 2 else []
    anchors = observed + required + projected + base
    values = [v for _, v in anchors] + [v for _, v in goal_value] + [v for _, v in band]
    years = [y for y, _ in anchors]
    if series.target_year is not None and (goal_value or band):
        years.append(series.target_year)
    out = [head]
    top = 10.0 if spark else 14.0
    if not spark and series.title:
        for i, line in enumerate(textwrap.wrap(series.title, 88, max_lines=2, placeholder=" …")):
            out.append(
                f'<text x="8" y="{18 + 17 * i}" font-size="13" font-weight="600" fill="{INK}">'
                f"{escape(line)}</text>"
            )
            top += 17
    if not years or not values:
        if not spark:
            out.append(
                f'<text x="{width / 2:.0f}" y="{height / 2:.0f}" text-anchor="middle" fill="{INK}" '
                f'font-size="14">{escape(words.no_data)}</text>'
            )
        out.append("</svg>")
        return "".join(out)

    legend = [] if spark else _legend(series, words, bool(observed), bool(required), bool(projected), band)
    legend_rows = _legend_rows(legend, width - 16)
    left, right = (6.0, 6.0) if spark else (64.0, 16.0)
    bottom = height - (6.0 if spark else 32.0 + 18.0 * len(legend_rows))
    first_year, last_year = min(years), max(years)
    if first_year == last_year:
        first_year, last_year = first_year - 1, last_year + 1
    low, high = min(values), max(values)
    pad = (high - low) * 0.1 or (abs(high) * 0.1 or 1.0)
    low, high = low - pad, high + pad
    if min(values) >= 0 > low:
        low = 0.0

    def x(year: float) -> float:
        return left + (year - first_year) / (last_year - first_year) * (width - left - right)

    def y(value: float) -> float:
        return top + (high - value) / (high - low) * (bottom - top)

    if not spark:
        out.append(f'<g font-size="12" fill="{INK}">')
        for tick, label in _ticks(low, high):
            ty = y(tick)
            out.append(
                f'<line x1="{left:.0f}" x2="{width - right:.0f}" y1="{ty:.1f}" y2="{ty:.1f}" stroke="{GRID}"/>'
                f'<text x="{left - 6:.0f}" y="{ty + 4:.1f}" text-anchor="end">{label}</text>'
            )
        span = last_year - first_year
        step = 1 if span <= 8 else 2 if span <= 16 else 5 if span <= 40 else 10
        for year in range(first_year, last_year + 1):
            if (year - first_year) % step == 0 or year == last_year:
                out.append(
                    f'<text x="{x(year):.1f}" y="{bottom + 18:.0f}" text-anchor="middle">{year}</text>'
                )
        if series.unit:
            out.append(f'<text x="8" y="{top - 2:.0f}" font-size="11">{escape(series.unit)}</text>')
        out.append("</g>")
    if band:
        y1, y2 = sorted((y(band[0][1]), y(band[1][1])))
        out.append(
            f'<rect x="{left:.0f}" y="{y1:.1f}" width="{width - left - right:.0f}" height="{max(y2 - y1, 1):.1f}" '
            f'fill="{TARGET_COLOUR}" fill-opacity="0.12"/>'
        )
    thin = 1.2 if spark else 1.6
    if len(required) > 1:
        out.append(
            f'<polyline class="required" points="{_polyline([(x(a), y(b)) for a, b in required])}" fill="none" '
            f'stroke="{REQUIRED_COLOUR}" stroke-width="{thin}" stroke-dasharray="6 4"/>'
        )
    if len(projected) > 1:
        out.append(
            f'<polyline class="projected" points="{_polyline([(x(a), y(b)) for a, b in projected])}" '
            f'fill="none" stroke="{PROJECTION_COLOUR}" stroke-width="{thin}" stroke-dasharray="2 3"/>'
        )
    colour = STATUS_COLOURS.get(series.status, INK)
    if observed:
        if len(observed) > 1:
            out.append(
                f'<polyline class="observed" points="{_polyline([(x(a), y(b)) for a, b in observed])}" '
                f'fill="none" stroke="{colour}" stroke-width="{1.8 if spark else 2.5}"/>'
            )
        r = 2.2 if spark else 3.5
        out.extend(
            f'<circle class="point" cx="{x(a):.1f}" cy="{y(b):.1f}" r="{r}" fill="{colour}"/>'
            for a, b in observed
        )
    if goal_value and series.target_year is not None:
        tx, ty, d = x(series.target_year), y(goal_value[0][1]), 4.0 if spark else 7.0
        out.append(
            f'<path class="target" d="M{tx:.1f} {ty - d:.1f} L{tx + d:.1f} {ty:.1f} L{tx:.1f} {ty + d:.1f} '
            f'L{tx - d:.1f} {ty:.1f} Z" fill="{TARGET_COLOUR}"/>'
        )
    out.extend(_legend_svg(legend_rows, height - 18.0 * len(legend_rows) + 4))
    out.append("</svg>")
    return "".join(out)


_Swatch = tuple[str, str]  # (label, SVG of a 22 x 10 sample at the origin)


def _legend(
    s: TrajectorySeries, words: Words, observed: bool, required: bool, projected: bool, band: list[Point]
) -> list[_Swatch]:
    items: list[_Swatch] = []
    if observed:
        colour = STATUS_COLOURS.get(s.status, INK)
        items.append(
            (
                words.observed,
                f'<line x1="0" x2="22" y1="5" y2="5" stroke="{colour}" stroke-width="2.5"/>'
                f'<circle cx="11" cy="5" r="3.5" fill="{colour}"/>',
            )
        )
    if required:
        items.append(
            (
                words.required,
                f'<line x1="0" x2="22" y1="5" y2="5" stroke="{REQUIRED_COLOUR}" stroke-width="1.6" '
                f'stroke-dasharray="6 4"/>',
            )
        )
    if projected:
        items.append(
            (
                words.projected,
                f'<line x1="0" x2="22" y1="5" y2="5" stroke="{PROJECTION_COLOUR}" stroke-width="1.6" '
                f'stroke-dasharray="2 3"/>',
            )
        )
    if band:
        items.append(
            (
                words.target_band,
                f'<rect x="0" y="0" width="22" height="10" fill="{TARGET_COLOUR}" fill-opacity="0.25"/>',
            )
        )
    elif s.target_value is not None and s.target_year is not None:
        items.append((words.target, f'<path d="M11 -1 L17 5 L11 11 L5 5 Z" fill="{TARGET_COLOUR}"/>'))
    return items


def _legend_rows(items: list[_Swatch], width: float) -> list[list[_Swatch]]:
    rows: list[list[_Swatch]] = []
    used = width
    for item in items:
        need = 30 + 6.0 * len(item[0]) + 16
        if used + need > width:
            rows.append([])
            used = 0.0
        rows[-1].append(item)
        used += need
    return rows


def _legend_svg(rows: list[list[_Swatch]], top: float) -> list[str]:
    out: list[str] = []
    for i, row in enumerate(rows):
        x = 8.0
        for label, sample in row:
            ty = top + 18 * i
            out.append(
                f'<g transform="translate({x:.0f} {ty - 9:.0f})">{sample}</g>'
                f'<text x="{x + 28:.0f}" y="{ty:.0f}" font-size="11" fill="{INK}">{escape(label)}</text>'
            )
            x += 30 + 6.0 * len(label) + 16
    return out


# --- PNG for documents ------------------------------------------------------------------------------------------

# matplotlib's figure machinery is not thread-safe across figures sharing rcParams; serialise renders.
_LOCK = threading.Lock()
_RC: dict[Any, Any] = {
    "font.family": ["DejaVu Sans"],  # whole-font TTF with every Vietnamese letter
    "axes.edgecolor": GRID,
    "axes.labelcolor": INK,
    "xtick.color": INK,
    "ytick.color": INK,
}


def trajectory_png(series: TrajectorySeries, *, dpi: int = 110, words: Words = WORDS) -> bytes:
    """The chart as a PNG for DOCX/PDF, with a fixed layout (legend on the right): the automatic layout of matplotlib
    costs about three times as much and a provincial report has dozens of charts (docs/benchmarks.md)."""
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib.figure import Figure
    from matplotlib.ticker import FixedLocator, FuncFormatter, MaxNLocator

    with _LOCK, matplotlib.rc_context(_RC):
        fig = Figure(figsize=(5.6, 2.3), dpi=dpi)
        fig.patch.set_facecolor("white")
        ax = fig.add_axes((0.11, 0.2, 0.6, 0.72))
        years: list[int] = []
        if series.has_band and series.target_low is not None and series.target_high is not None:
            ax.axhspan(
                series.target_low,
                series.target_high,
                color=TARGET_COLOUR,
                alpha=0.12,
                lw=0,
                label=words.target_band,
            )
        for points, style, colour, label in (
            (series.required, "--", REQUIRED_COLOUR, words.required),
            (series.projected, ":", PROJECTION_COLOUR, words.projected),
        ):
            if points:
                years += [p[0] for p in points]
                ax.plot(
                    [p[0] for p in points],
                    [p[1] for p in points],
                    linestyle=style,
                    color=colour,
                    lw=1.2,
                    label=label,
                )
        if series.observed:
            years += [p[0] for p in series.observed]
            ax.plot(
                [p[0] for p in series.observed],
                [p[1] for p in series.observed],
                color=STATUS_COLOURS.get(series.status, INK),
                lw=1.8,
                marker="o",
                markersize=3.5,
                label=words.observed,
            )
        if series.target_year is not None and series.target_value is not None:
            years.append(series.target_year)
            ax.plot(
                [series.target_year],
                [series.target_value],
                marker="D",
                markersize=5,
                color=TARGET_COLOUR,
                linestyle="none",
                label=words.target,
            )
        if years:
            first, last = min(years), max(years)
            step = 1 if last - first <= 6 else (2 if last - first <= 12 else 5)
            ticks = list(range(first, last + 1, step))
            if ticks[-1] != last:
                ticks.append(last)
            ax.xaxis.set_major_locator(FixedLocator(ticks))
            ax.set_xlim(first - 0.5, last + 0.5)
        else:
            ax.text(0.5, 0.5, words.no_data, transform=ax.transAxes, ha="center", va="center", color=INK)
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: str(int(v))))
        ax.yaxis.set_major_locator(MaxNLocator(4))
        ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _p: _num(v)))
        ax.tick_params(labelsize=7.5, length=2)
        ax.spines[["top", "right"]].set_visible(False)
        ax.grid(axis="y", color="#e3e7e5", linewidth=0.6)
        if series.unit:
            ax.set_ylabel(series.unit, fontsize=7.5)
        if ax.get_legend_handles_labels()[0]:
            ax.legend(loc="center left", bbox_to_anchor=(1.02, 0.5), fontsize=7, frameon=False)
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", pil_kwargs={"compress_level": 3})
    return buffer.getvalue()


def trajectory_chart(
    series: TrajectorySeries, fmt: Format = "svg", *, size: Size = "full", dpi: int = 110
) -> bytes:
    """The chart in ``fmt``: SVG (UTF-8, ready to inline in HTML) for pages, PNG for documents."""
    if fmt == "svg":
        return trajectory_svg(series, size=size).encode("utf-8")
    if fmt == "png":
        return trajectory_png(series, dpi=dpi)
    raise ValueError(f"Định dạng biểu đồ không hỗ trợ: {fmt!r} (chỉ svg hoặc png).")
