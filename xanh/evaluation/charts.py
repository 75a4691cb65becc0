"""One chart definition for pages and reports: plain data (``TrajectorySeries``) -> matplotlib -> SVG or PNG.

Pages embed the SVG inline (text stays text, no script, nothing from a CDN); the report builders call
``trajectory_chart(series, fmt="png")`` for DOCX/PDF. ``series_from_assessment`` turns a stored assessment into
the plain data: observed values, the required trajectory from the base to the target, the target (a point or a
band), and the UNSD projection when there is one. No Django imports: usable from jobs, the CLI and benchmarks.
"""

from __future__ import annotations

import io
import math
import re
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal
from xml.sax.saxutils import escape

import matplotlib

matplotlib.use("Agg")

from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from xanh.core.numbers import format_number_vi

# Colours with at least 4.5:1 contrast on white (WCAG AA); status is also always written in words next to a chart.
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

_SIZES: dict[str, tuple[float, float]] = {"full": (7.2, 3.6), "spark": (2.4, 0.64)}
# matplotlib's figure machinery is not thread-safe across figures sharing rcParams; serialise renders.
_LOCK = threading.Lock()
_RC: dict[Any, Any] = {
    "svg.fonttype": "none",  # text as text in SVG: selectable, screen-reader friendly, page font
    "svg.hashsalt": "xanh",  # stable element ids: the same data gives the same bytes
    "font.family": ["DejaVu Sans"],  # whole-font TTF with every Vietnamese letter (PNG for reports)
    "axes.edgecolor": GRID,
    "axes.labelcolor": INK,
    "xtick.color": INK,
    "ytick.color": INK,
}


@dataclass(frozen=True)
class TrajectorySeries:
    """Everything a trajectory chart shows, as plain numbers."""

    title: str = ""
    unit: str = ""
    status: str = "insufficient_data"
    observed: tuple[tuple[int, float], ...] = ()
    required: tuple[tuple[int, float], ...] = ()
    projected: tuple[tuple[int, float], ...] = ()
    base: tuple[int, float] | None = None
    target_year: int | None = None
    target_value: float | None = None
    target_low: float | None = None
    target_high: float | None = None
    status_label: str = ""
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def is_empty(self) -> bool:
        return not self.observed and self.target_value is None and self.target_low is None

    def describe(self) -> str:
        """A text alternative of the chart, in Vietnamese."""
        parts = [self.title] if self.title else []
        if self.observed:
            first, last = self.observed[0], self.observed[-1]
            parts.append(
                f"Số liệu từ năm {first[0]} ({_num(first[1])}{_unit(self.unit)}) đến năm {last[0]} "
                f"({_num(last[1])}{_unit(self.unit)})"
            )
        else:
            parts.append("Chưa có số liệu quan sát")
        if (
            self.target_low is not None
            and self.target_high is not None
            and self.target_low != self.target_high
        ):
            parts.append(
                f"mục tiêu {_num(self.target_low)}–{_num(self.target_high)}{_unit(self.unit)} năm {self.target_year}"
            )
        elif self.target_value is not None:
            parts.append(f"mục tiêu {_num(self.target_value)}{_unit(self.unit)} năm {self.target_year}")
        if self.status_label:
            parts.append(f"trạng thái: {self.status_label}")
        return "; ".join(parts) + "."


def _num(value: float) -> str:
    return format_number_vi(value, 2, strip_zeros=True)


def _unit(unit: str) -> str:
    if not unit:
        return ""
    return unit if unit == "%" else f" {unit}"


def _path(y0: float, y1: float, t0: int, t1: int, compound: bool) -> list[tuple[int, float]]:
    if t1 <= t0:
        return []
    years = range(t0, t1 + 1)
    if compound and y0 != 0 and y1 != 0 and (y0 > 0) == (y1 > 0):
        rate = (y1 / y0) ** (1.0 / (t1 - t0))
        return [(t, y0 * rate ** (t - t0)) for t in years]
    return [(t, y0 + (y1 - y0) * (t - t0) / (t1 - t0)) for t in years]


def series_from_assessment(
    components: Mapping[str, Any],
    observations: Sequence[tuple[int, float]],
    *,
    title: str = "",
    status: str = "insufficient_data",
    status_label: str = "",
    method: str = "osdg",
) -> TrajectorySeries:
    """Chart data from an assessment's calculation components (``Components.to_dict()``) and its observations.

    The required trajectory runs from the base to the target threshold: compound for the CAGR-based methods (the
    path that meets the required rate exactly), straight for the linear method."""
    c = components
    kind = c.get("kind")
    unit = "" if kind == "annual_rate" else str(c.get("unit") or "")
    observed = tuple(sorted((int(y), float(v)) for y, v in observations))
    base_year, base_value = c.get("base_year"), c.get("base_value")
    base = (int(base_year), float(base_value)) if base_year is not None and base_value is not None else None
    target_year = c.get("target_year")
    low, high, value = c.get("target_low"), c.get("target_high"), c.get("target_value")
    direction = c.get("direction")
    threshold: float | None
    if kind == "annual_rate":
        rate = c.get("required_growth")
        threshold = None
        if base is not None and rate is not None and target_year is not None:
            threshold = base[1] * (1.0 + float(rate)) ** (int(target_year) - base[0])
        low = high = value = None
        target_value = threshold
    elif kind == "milestone":
        threshold, target_value = None, None
    else:
        if low is not None and high is not None:
            threshold = float(high) if direction == "decrease" else float(low)
        else:
            threshold = None if value is None else float(value)
        target_value = None if (low is not None and high is not None) else threshold
    required: tuple[tuple[int, float], ...] = ()
    if base is not None and threshold is not None and target_year is not None and direction != "maintain":
        compound = method != "linear" and c.get("calculation") != "linear"
        required = tuple(_path(base[1], threshold, base[0], int(target_year), compound))
    projected: tuple[tuple[int, float], ...] = ()
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
    return TrajectorySeries(
        title=title,
        unit=unit,
        status=status,
        observed=observed,
        required=required,
        projected=projected,
        base=base,
        target_year=None if target_year is None else int(target_year),
        target_value=target_value,
        target_low=None if low is None else float(low),
        target_high=None if high is None else float(high),
        status_label=status_label,
    )


def _draw(fig: Figure, s: TrajectorySeries, size: Size) -> None:
    spark = size == "spark"
    ax = fig.add_axes((0.02, 0.08, 0.96, 0.84)) if spark else fig.add_subplot()
    colour = STATUS_COLOURS.get(s.status, INK)
    years: list[int] = [y for y, _ in s.observed] + [y for y, _ in s.required] + [y for y, _ in s.projected]
    if s.target_year is not None:
        years.append(s.target_year)
    if s.target_low is not None and s.target_high is not None and years:
        ax.axhspan(
            s.target_low, s.target_high, color=TARGET_COLOUR, alpha=0.12, lw=0, label="Khoảng mục tiêu"
        )
    if s.required:
        ax.plot(
            [y for y, _ in s.required],
            [v for _, v in s.required],
            linestyle="--",
            color=REQUIRED_COLOUR,
            lw=1.0 if spark else 1.4,
            label="Lộ trình cần đạt",
        )
    if s.projected:
        ax.plot(
            [y for y, _ in s.projected],
            [v for _, v in s.projected],
            linestyle=":",
            color=PROJECTION_COLOUR,
            lw=1.0 if spark else 1.4,
            label="Dự báo theo tốc độ hiện tại",
        )
    if s.observed:
        ax.plot(
            [y for y, _ in s.observed],
            [v for _, v in s.observed],
            color=colour,
            lw=1.6 if spark else 2.2,
            marker="o",
            markersize=2.5 if spark else 5,
            label="Số liệu thực hiện",
        )
    if s.target_year is not None and s.target_value is not None:
        ax.plot(
            [s.target_year],
            [s.target_value],
            marker="D",
            markersize=4 if spark else 8,
            color=TARGET_COLOUR,
            linestyle="none",
            label="Mục tiêu",
        )
    if spark:
        ax.axis("off")
        ax.margins(x=0.04, y=0.15)
        return
    ax.grid(True, color=GRID, lw=0.6)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=8))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _p: f"{round(x)}"))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda y, _p: format_number_vi(y, 2, strip_zeros=True)))
    if s.unit:
        ax.set_ylabel(s.unit)
    if s.title:
        ax.set_title(_wrap(s.title, 90), fontsize=10, loc="left", color=INK)
    if years:
        first, last = min(years), max(years)
        ax.set_xlim(first - 0.5, last + 0.5)
        if last - first <= 8:
            ax.set_xticks(list(range(first, last + 1)))
    handles, labels = ax.get_legend_handles_labels()
    if handles:
        ax.legend(handles, labels, loc="best", fontsize=8, frameon=False)
    if s.is_empty:
        ax.text(0.5, 0.5, "Chưa có số liệu", transform=ax.transAxes, ha="center", va="center", color=INK)
    fig.tight_layout()


def _wrap(text: str, width: int) -> str:
    if len(text) <= width:
        return text
    words, lines, line = text.split(), [], ""
    for word in words:
        if len(line) + len(word) + 1 > width and line:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "\n".join(lines[:3])


_SVG_HEAD = re.compile(r"^.*?(<svg\b)", re.S)
_SVG_TAG = re.compile(r"<svg\b([^>]*)>")
_METADATA = re.compile(r"\s*<metadata>.*?</metadata>", re.S)


def trajectory_chart(
    series: TrajectorySeries, fmt: Format = "svg", *, size: Size = "full", dpi: int = 150
) -> bytes:
    """Render the chart. SVG is returned ready to inline in HTML (no XML prolog, ``role="img"`` and a ``<title>``
    with the text alternative); PNG is for documents."""
    if fmt not in ("svg", "png"):
        raise ValueError(f"Định dạng biểu đồ không hỗ trợ: {fmt!r} (chỉ svg hoặc png).")
    width, height = _SIZES[size]
    with _LOCK, matplotlib.rc_context(_RC):
        fig = Figure(figsize=(width, height), dpi=dpi)
        _draw(fig, series, size)
        buffer = io.BytesIO()
        if fmt == "png":
            fig.savefig(buffer, format="png", dpi=dpi, facecolor="white")
            return buffer.getvalue()
        fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None}, transparent=True)
    svg = _SVG_HEAD.sub(r"\1", buffer.getvalue().decode("utf-8"), count=1)
    svg = _METADATA.sub("", svg, count=1)
    text = series.describe()
    title, attribute = escape(text), escape(text, {'"': "&quot;"})
    svg = _SVG_TAG.sub(
        lambda m: (
            f'<svg{m.group(1)} role="img" aria-label="{attribute}" class="chart chart-{size}" '
            f'focusable="false"><title>{title}</title>'
        ),
        svg,
        count=1,
    )
    return svg.encode("utf-8")
