"""Static chart images for the synthesis report (PNG, used by both the DOCX and the PDF).

A target's trajectory chart is the evaluation app's chart definition: ``xanh.evaluation.charts.series_from_assessment``
gives the plain data (observed values, the required path from the base to the target, the projection, the target or
its band) with the same colours and legend as the web pages. The report draws that ``TrajectorySeries`` with a fixed
layout (``draw_series``) because the shared renderer's automatic layout costs about three times as much per chart and
a provincial report has dozens (``XANH_REPORT_CHARTS=shared`` uses the shared renderer itself). Without the evaluation
app's chart module, ``draw_trajectory`` draws the same elements from the report's own facts. Images are memoised by
content, and drawn in forked worker processes when there are many and the process is single-threaded.
"""

from __future__ import annotations

import hashlib
import importlib
import io
import logging
import multiprocessing
import os
import sys
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from xanh.core.numbers import format_number_vi
from xanh.reports.compose import STATUS_LABELS, STATUS_ORDER
from xanh.reports.facts import PartFacts, PlanFacts, TargetFacts

logger = logging.getLogger(__name__)

#: one colour per status, best to worst; chosen to stay distinguishable in greyscale print (dark to light ramp plus
#: a hatched grey for "chưa đủ dữ liệu")
STATUS_COLOURS = {
    "achieved": "#0b6b3a",
    "on_track": "#4f9a5c",
    "acceleration_needed": "#e0a526",
    "limited_progress": "#d4642a",
    "deterioration": "#a4161a",
    "insufficient_data": "#b8bfbb",
}
OBSERVED = "#1d4f91"
REQUIRED = "#6b6f6d"
TARGET = "#0b6b3a"
DPI = 110

_cache: OrderedDict[str, bytes] = OrderedDict()
_cache_lock = threading.Lock()
_CACHE_SIZE = 512


def _memo(key_parts: Sequence[Any], draw: Callable[[], bytes]) -> bytes:
    key = hashlib.sha256(repr(tuple(key_parts)).encode()).hexdigest()
    with _cache_lock:
        hit = _cache.get(key)
        if hit is not None:
            _cache.move_to_end(key)
            return hit
    png = draw()
    with _cache_lock:
        _cache[key] = png
        while len(_cache) > _CACHE_SIZE:
            _cache.popitem(last=False)
    return png


def clear_cache() -> None:
    with _cache_lock:
        _cache.clear()


def _figure(width_in: float, height_in: float) -> Any:
    import matplotlib

    matplotlib.use("Agg", force=False)
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width_in, height_in), dpi=DPI)
    fig.patch.set_facecolor("white")
    return fig


def _png(fig: Any) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", pil_kwargs={"compress_level": 3})
    return buf.getvalue()


def _vi(value: float, _pos: object = None) -> str:
    return format_number_vi(value, 2, strip_zeros=True)


# --- target trajectory ------------------------------------------------------------------------------------------


def required_path(part: PartFacts) -> list[tuple[int, float, float]]:
    """(year, low, high) of the path the target requires, from the base value to the target year.

    Level targets: a straight line from the base (or the first observation) to the target figure (a band for a
    range). Average-rate targets ("giảm 1–1,5%/năm"): the base value compounded at the required rates.
    """
    start = _start(part)
    end_year = part.target_year
    if start is None or end_year is None or end_year <= start[0]:
        return []
    y0, v0 = start
    years = list(range(y0, end_year + 1))
    if part.kind == "annual_rate":
        low = part.target_low if part.target_low is not None else part.target_value
        high = part.target_high if part.target_high is not None else part.target_value
        if low is None or high is None:
            return []
        sign = -1.0 if part.decreasing else 1.0
        return [
            (y, v0 * (1 + sign * low / 100) ** (y - y0), v0 * (1 + sign * high / 100) ** (y - y0))
            for y in years
        ]
    low = part.target_low if part.target_low is not None else part.target_value
    high = part.target_high if part.target_high is not None else part.target_value
    if low is None or high is None:
        return []
    span = end_year - y0
    return [(y, v0 + (low - v0) * (y - y0) / span, v0 + (high - v0) * (y - y0) / span) for y in years]


def _start(part: PartFacts) -> tuple[int, float] | None:
    if part.baseline is not None and part.baseline_year is not None:
        return part.baseline_year, part.baseline
    if part.series:
        return part.series[0]
    return None


def draw_trajectory(part: PartFacts, unit: str) -> bytes:
    from matplotlib.ticker import FixedLocator, FuncFormatter, MaxNLocator

    fig = _figure(5.6, 2.3)
    ax = fig.add_axes((0.11, 0.2, 0.62, 0.72))
    path = required_path(part)
    if path:
        years = [p[0] for p in path]
        lows = [p[1] for p in path]
        highs = [p[2] for p in path]
        if lows != highs:
            ax.fill_between(
                years, lows, highs, color=REQUIRED, alpha=0.18, linewidth=0, label="Lộ trình cần đạt"
            )
        else:
            ax.plot(years, lows, color=REQUIRED, linestyle="--", linewidth=1.2, label="Lộ trình cần đạt")
    if part.series:
        ax.plot(
            [y for y, _ in part.series],
            [v for _, v in part.series],
            color=OBSERVED,
            marker="o",
            markersize=3.5,
            linewidth=1.6,
            label="Giá trị quan sát",
        )
    if part.kind != "annual_rate" and part.target_year is not None:
        low = part.target_low if part.target_low is not None else part.target_value
        high = part.target_high if part.target_high is not None else part.target_value
        if low is not None and high is not None:
            ax.errorbar(
                [part.target_year],
                [(low + high) / 2],
                yerr=[[(high - low) / 2], [(high - low) / 2]] if high != low else None,
                fmt="D",
                color=TARGET,
                markersize=5,
                capsize=3,
                label=f"Mục tiêu {part.target_year}",
            )
    xs = [y for y, _ in part.series] + [p[0] for p in path]
    if part.target_year:
        xs.append(part.target_year)
    if xs:
        first, last = min(xs), max(xs)
        step = 1 if last - first <= 6 else (2 if last - first <= 12 else 5)
        ticks = list(range(first, last + 1, step))
        if ticks[-1] != last:
            ticks.append(last)
        ax.xaxis.set_major_locator(FixedLocator(ticks))
        ax.set_xlim(first - 0.5, last + 0.5)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: str(int(v))))
    ax.yaxis.set_major_locator(MaxNLocator(4))
    ax.yaxis.set_major_formatter(FuncFormatter(_vi))
    ax.tick_params(labelsize=7.5, length=2)
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="y", color="#e3e7e5", linewidth=0.6)
    if unit:
        ax.set_ylabel(unit, fontsize=7.5)
    ax.legend(loc="center left", bbox_to_anchor=(1.02, 0.5), fontsize=7, frameon=False)
    return _png(fig)


def _shared_trajectory() -> Callable[..., bytes] | None:
    try:
        module = importlib.import_module("xanh.evaluation.charts")
    except ImportError:
        return None
    return getattr(module, "trajectory_chart", None)


ChartJob = tuple[str, Any, str]


def chart_job(target: TargetFacts) -> ChartJob | None:
    """What to draw for a target: its main part (the target as a whole, else its first component) through the
    shared chart definition, or through the local drawing when the evaluation app's charts are absent."""
    if not target.parts:
        return None
    part = next((p for p in target.parts if p.name in ("", "chung", "toàn bộ")), target.parts[0])
    if not part.series:
        return None
    unit = part.level_unit or ("" if part.kind == "annual_rate" else part.unit)
    if _shared_trajectory() is not None:
        from xanh.reports import evaluation_adapter

        series = evaluation_adapter.chart_series(part, target)
        if series is not None:
            return ("shared", series, unit)
    return ("own", part, unit)


def _use_shared_renderer() -> bool:
    """``XANH_REPORT_CHARTS=shared`` draws report charts with ``xanh.evaluation.charts.trajectory_chart`` itself.
    By default the report draws the same ``TrajectorySeries`` (same data, colours and legend as the web pages) with
    ``draw_series``, whose fixed layout costs about a quarter of the CPU time: measured 0,23 s per chart for the
    shared renderer (tight layout, best legend placement) against about 0,05 s, which decides whether a 40-target
    provincial report stays under 5 s (docs/benchmarks.md)."""
    return os.environ.get("XANH_REPORT_CHARTS", "") == "shared"


def draw_job(job: ChartJob) -> bytes:
    kind, payload, unit = job
    if kind == "shared":
        shared = _shared_trajectory()
        try:
            if shared is not None and _use_shared_renderer():
                return shared(payload, fmt="png", dpi=DPI)
            return draw_series(payload)
        except Exception:  # a chart must never stop the report; the local drawing shows the same elements
            logger.exception("shared trajectory chart failed")
        return draw_trajectory(_part_from_series(payload), unit)
    return draw_trajectory(payload, unit)


def draw_series(series: Any) -> bytes:
    """A ``TrajectorySeries`` of the evaluation app's chart definition, drawn with a fixed layout for documents."""
    from matplotlib.ticker import FixedLocator, FuncFormatter, MaxNLocator

    shared = importlib.import_module("xanh.evaluation.charts")
    colours = getattr(shared, "STATUS_COLOURS", STATUS_COLOURS)
    required_colour = getattr(shared, "REQUIRED_COLOUR", REQUIRED)
    target_colour = getattr(shared, "TARGET_COLOUR", TARGET)
    projection_colour = getattr(shared, "PROJECTION_COLOUR", REQUIRED)
    fig = _figure(5.6, 2.3)
    ax = fig.add_axes((0.11, 0.2, 0.6, 0.72))
    years: list[int] = []
    if (
        series.target_low is not None
        and series.target_high is not None
        and series.target_low != series.target_high
    ):
        ax.axhspan(
            series.target_low,
            series.target_high,
            color=target_colour,
            alpha=0.12,
            lw=0,
            label="Khoảng mục tiêu",
        )
    if series.required:
        years += [y for y, _ in series.required]
        ax.plot(
            [y for y, _ in series.required],
            [v for _, v in series.required],
            linestyle="--",
            color=required_colour,
            lw=1.2,
            label="Lộ trình cần đạt",
        )
    if series.projected:
        years += [y for y, _ in series.projected]
        ax.plot(
            [y for y, _ in series.projected],
            [v for _, v in series.projected],
            linestyle=":",
            color=projection_colour,
            lw=1.2,
            label="Dự báo theo tốc độ hiện tại",
        )
    if series.observed:
        years += [y for y, _ in series.observed]
        ax.plot(
            [y for y, _ in series.observed],
            [v for _, v in series.observed],
            color=colours.get(series.status, OBSERVED),
            lw=1.8,
            marker="o",
            markersize=3.5,
            label="Số liệu thực hiện",
        )
    if series.target_year is not None and series.target_value is not None:
        years.append(series.target_year)
        ax.plot(
            [series.target_year],
            [series.target_value],
            marker="D",
            markersize=5,
            color=target_colour,
            linestyle="none",
            label="Mục tiêu",
        )
    if years:
        first, last = min(years), max(years)
        step = 1 if last - first <= 6 else (2 if last - first <= 12 else 5)
        ticks = list(range(first, last + 1, step))
        if ticks[-1] != last:
            ticks.append(last)
        ax.xaxis.set_major_locator(FixedLocator(ticks))
        ax.set_xlim(first - 0.5, last + 0.5)
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _p: str(int(v))))
    ax.yaxis.set_major_locator(MaxNLocator(4))
    ax.yaxis.set_major_formatter(FuncFormatter(_vi))
    ax.tick_params(labelsize=7.5, length=2)
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="y", color="#e3e7e5", linewidth=0.6)
    if series.unit:
        ax.set_ylabel(series.unit, fontsize=7.5)
    ax.legend(loc="center left", bbox_to_anchor=(1.02, 0.5), fontsize=7, frameon=False)
    return _png(fig)


def _part_from_series(series: Any) -> PartFacts:
    return PartFacts(
        name="",
        target_text="",
        unit=getattr(series, "unit", ""),
        target_value=getattr(series, "target_value", None),
        target_low=getattr(series, "target_low", None),
        target_high=getattr(series, "target_high", None),
        target_year=getattr(series, "target_year", None),
        baseline=(series.base[1] if getattr(series, "base", None) else None),
        baseline_year=(series.base[0] if getattr(series, "base", None) else None),
        series=tuple(getattr(series, "observed", ())),
    )


def _job_key(job: ChartJob) -> tuple[str, str]:
    return (job[0], repr(job[1:]))


def trajectory_png(target: TargetFacts) -> bytes | None:
    job = chart_job(target)
    if job is None:
        return None
    return _memo(_job_key(job), lambda: draw_job(job))


#: charts are drawn in forked worker processes when there are at least this many to draw
PARALLEL_FROM = 8


def _can_fork() -> bool:
    """Forking is safe only from a single-threaded process (a worker, the CLI): a lock held by another thread
    would stay locked in the child. XANH_REPORT_CHART_PROCESSES=0 turns it off."""
    if os.environ.get("XANH_REPORT_CHART_PROCESSES", "") == "0":
        return False
    return sys.platform == "linux" and threading.active_count() == 1 and (os.cpu_count() or 1) > 1


def draw_all(jobs: dict[str, ChartJob]) -> dict[str, bytes]:
    """Draw every job not already memoised; in parallel processes when that is safe and worth it."""
    out: dict[str, bytes] = {}
    todo: dict[str, ChartJob] = {}
    for code, job in jobs.items():
        key = hashlib.sha256(repr(_job_key(job)).encode()).hexdigest()
        with _cache_lock:
            hit = _cache.get(key)
        if hit is not None:
            out[code] = hit
        else:
            todo[code] = job
    if len(todo) >= PARALLEL_FROM and _can_fork():
        workers = min(os.cpu_count() or 2, 4)
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
            drawn = dict(zip(todo, pool.map(draw_job, todo.values(), chunksize=2), strict=True))
        for code, png in drawn.items():
            out[code] = _memo(_job_key(todo[code]), lambda png=png: png)  # type: ignore[misc]
    else:
        for code, job in todo.items():
            out[code] = _memo(_job_key(job), lambda job=job: draw_job(job))  # type: ignore[misc]
    return out


# --- status summary ---------------------------------------------------------------------------------------------


def status_counts_by_pillar(facts: PlanFacts) -> list[tuple[str, dict[str, int]]]:
    rows = []
    for code, label in facts.pillars:
        members = [t for t in facts.targets if t.pillar == code]
        if not members:
            continue
        counts = dict.fromkeys(STATUS_ORDER, 0)
        for target in members:
            counts[target.effective_status] = counts.get(target.effective_status, 0) + 1
        rows.append((label, counts))
    return rows


def _wrap(label: str, width: int = 28) -> str:
    words, lines, line = label.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "\n".join(lines[:3])


def draw_status_summary(rows: list[tuple[str, dict[str, int]]]) -> bytes:
    from matplotlib.ticker import MaxNLocator

    height = 0.9 + 0.55 * len(rows)
    fig = _figure(6.3, height)
    ax = fig.add_axes((0.34, 0.9 / height * 0.75 + 0.05, 0.63, 1 - (0.9 / height) - 0.02))
    labels = [_wrap(label) for label, _ in rows][::-1]
    counts = [c for _, c in rows][::-1]
    left = [0] * len(rows)
    for status in STATUS_ORDER:
        widths = [c.get(status, 0) for c in counts]
        if not any(widths):
            continue
        ax.barh(
            range(len(rows)),
            widths,
            left=left,
            color=STATUS_COLOURS[status],
            hatch="///" if status == "insufficient_data" else None,
            edgecolor="white",
            linewidth=0.6,
            label=STATUS_LABELS[status],
        )
        for i, w in enumerate(widths):
            if w:
                ax.text(
                    left[i] + w / 2,
                    i,
                    str(w),
                    ha="center",
                    va="center",
                    fontsize=7.5,
                    color="white" if status in ("achieved", "deterioration") else "black",
                )
        left = [a + b for a, b in zip(left, widths, strict=True)]
    ax.set_yticks(range(len(rows)), labels, fontsize=7.5)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.tick_params(axis="x", labelsize=7.5)
    ax.set_xlabel("Số mục tiêu, chỉ tiêu", fontsize=7.5)
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(
        loc="upper center", bbox_to_anchor=(0.35, -0.9 / height * 1.2), ncol=3, fontsize=7, frameon=False
    )
    return _png(fig)


def status_summary_png(facts: PlanFacts) -> bytes | None:
    rows = status_counts_by_pillar(facts)
    if not rows:
        return None
    key = tuple((label, tuple(sorted(c.items()))) for label, c in rows)
    return _memo(("status", key), lambda: draw_status_summary(rows))


def report_charts(facts: PlanFacts, progress: Callable[[int, str], None] | None = None) -> dict[str, bytes]:
    """Every chart the report shows: "status-summary" and one per target with data, keyed by target code."""
    charts: dict[str, bytes] = {}
    summary = status_summary_png(facts)
    if summary:
        charts["status-summary"] = summary
    jobs = {t.code: job for t in facts.targets if (job := chart_job(t)) is not None}
    if progress is not None:
        progress(55, f"Đang vẽ {len(jobs)} biểu đồ")
    charts.update(draw_all(jobs))
    return charts
