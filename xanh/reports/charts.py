"""Static chart images for the synthesis report (PNG, used by both the DOCX and the PDF).

A target's trajectory chart is the evaluation app's chart (``xanh.evaluation.charts``): the adapter turns the target's
main part into a ``TrajectorySeries`` (the same data, colours and legend as the web pages) and ``trajectory_png``
draws it. The status summary, a chart only the report has, is drawn here. Images are memoised by content, and drawn
in forked worker processes when there are many and the process is single-threaded.
"""

from __future__ import annotations

import hashlib
import io
import logging
import multiprocessing
import os
import sys
import textwrap
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import Any

from xanh.evaluation.charts import TrajectorySeries, trajectory_png
from xanh.reports.compose import STATUS_LABELS, STATUS_ORDER
from xanh.reports.evaluation_adapter import chart_series
from xanh.reports.facts import PlanFacts, TargetFacts

#: the status summary's colour per status, best to worst: unlike the trajectory (``xanh.evaluation.charts``, dark
#: colours for lines on white), stacked bars carry numbers and must stay apart in greyscale print (dark to light ramp
#: plus a hatched grey for "chưa đủ dữ liệu")
STATUS_COLOURS = {
    "achieved": "#0b6b3a",
    "on_track": "#4f9a5c",
    "acceleration_needed": "#e0a526",
    "limited_progress": "#d4642a",
    "deterioration": "#a4161a",
    "insufficient_data": "#b8bfbb",
}
DPI = 110

logger = logging.getLogger(__name__)

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


# --- target trajectory ------------------------------------------------------------------------------------------


def chart_job(target: TargetFacts) -> TrajectorySeries | None:
    """What to draw for a target: its main part (the target as a whole, else its first component)."""
    if not target.parts:
        return None
    part = next((p for p in target.parts if p.name in ("", "chung", "toàn bộ")), target.parts[0])
    if not part.series:
        return None
    return chart_series(part, target)


def draw_job(series: TrajectorySeries) -> bytes | None:
    """The PNG, or None when drawing fails: a chart must never stop the report (the target's table row remains)."""
    try:
        return trajectory_png(series, dpi=DPI)
    except Exception:
        logger.exception("trajectory chart failed")
        return None


def _job_key(series: TrajectorySeries) -> tuple[str, str]:
    return ("trajectory", repr(series))


#: charts are drawn in forked worker processes when there are at least this many to draw
PARALLEL_FROM = 8


def _can_fork() -> bool:
    """Forking is safe only from a single-threaded process (a worker, the CLI): a lock held by another thread
    would stay locked in the child. XANH_REPORT_CHART_PROCESSES=0 turns it off."""
    if os.environ.get("XANH_REPORT_CHART_PROCESSES", "") == "0":
        return False
    return sys.platform == "linux" and threading.active_count() == 1 and (os.cpu_count() or 1) > 1


def draw_all(jobs: dict[str, TrajectorySeries]) -> dict[str, bytes]:
    """Draw every job not already memoised; in parallel processes when that is safe and worth it."""
    out: dict[str, bytes] = {}
    todo: dict[str, TrajectorySeries] = {}
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
    else:
        drawn = {code: draw_job(job) for code, job in todo.items()}
    for code, png in drawn.items():
        if png is not None:
            out[code] = _memo(_job_key(todo[code]), lambda png=png: png)  # type: ignore[misc]
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
    return "\n".join(textwrap.wrap(label, width, max_lines=3, placeholder=" …"))


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
