"""Open SDG / Statistics Canada CAGR-ratio method (PM §1, the default).

Source: Open SDG progress methodology (github.com/open-sdg/open-sdg, docs/progress-methodology.md) and its reference
code (github.com/open-sdg/sdg-build, sdg/ProgressMeasure.py), as summarised in
../shared/domain/progress-methods.md §1.
"""

from __future__ import annotations

from collections.abc import Sequence

from xanh.core.numbers import format_number_vi
from xanh.evaluation.methods import linear
from xanh.evaluation.methods.common import (
    SCORE_MAX,
    SCORE_MIN,
    ZERO_SUBSTITUTE,
    Prepared,
    compound_rate,
    opposite_signs,
    run,
    score_from_ratio,
    snap,
    status_from_ratio,
)
from xanh.evaluation.methods.types import Assessment, Direction, Observation, Status, TargetSpec

NAME = "osdg"
VERSION = "1.0"

# PM §1.2: thresholds of the progress value v for series without a target (1.5 %, 0.5 % and 0 per year).
HIGH = 0.015
MED = 0.005
# PM §1.2: exponent of the natural-limit factor C.
LIMIT_EXPONENT = 4.44

ZERO_NOTE = "Giá trị {what} bằng 0 được thay bằng 0,001 để tính tốc độ tăng kép (quy tắc Open SDG)."
SIGN_NOTE = (
    "Giá trị cơ sở và {other} trái dấu nên tốc độ tăng kép không xác định; đánh giá theo phương pháp quỹ đạo "
    "tuyến tính."
)


def _fallback_to_linear(p: Prepared, other: str) -> Assessment:
    p.notes.append(SIGN_NOTE.format(other=other))
    p.components.calculation = "linear"
    return linear.with_target(p)


def with_target(p: Prepared) -> Assessment:
    """PM §1.1: R = s·d·CAGR_obs / |CAGR_req|, banded at 0.95 / 0.60 / 0; the score of PM §1.3."""
    assert p.target is not None
    c = p.components
    y0, t0 = p.base.value, p.base.year
    yi, ti = p.latest.value, p.latest.year
    y_target, t_target = p.target, p.target_year
    if opposite_signs(y0, yi):
        return _fallback_to_linear(p, "giá trị mới nhất")
    zero_notes = []
    if y0 == 0:
        zero_notes.append(ZERO_NOTE.format(what="cơ sở"))
        y0 = ZERO_SUBSTITUTE if (yi or y_target) >= 0 else -ZERO_SUBSTITUTE
    if y_target == 0:
        zero_notes.append(ZERO_NOTE.format(what="mục tiêu"))
        y_target = ZERO_SUBSTITUTE if y0 > 0 else -ZERO_SUBSTITUTE
    if p.required_rate is None and opposite_signs(y_target, y0):
        return _fallback_to_linear(p, "giá trị mục tiêu")
    p.notes.extend(zero_notes)
    # A zero base that is still zero has not changed (the 0.001 substitution would read it as a 100 % fall).
    cagr_obs = 0.0 if p.base.value == 0 and yi == 0 else compound_rate(y0, yi, ti - t0)
    cagr_req = p.required_rate if p.required_rate is not None else compound_rate(y0, y_target, t_target - t0)
    assert cagr_obs is not None and cagr_req is not None
    c.growth_kind = "compound"
    c.observed_growth = cagr_obs
    c.required_growth = cagr_req
    c.ratio_name = "R"
    if snap(cagr_req) == 0:
        p.notes.append(
            "Tốc độ cần thiết bằng 0 (mục tiêu bằng giá trị cơ sở) mà giá trị mới nhất đi ngược chiều."
        )
        return p.result(Status.DETERIORATION, SCORE_MIN)
    s = -1 if y0 < 0 else 1
    ratio = s * p.sign * cagr_obs / abs(cagr_req)
    c.ratio = ratio
    return p.result(status_from_ratio(ratio), score_from_ratio(ratio))


def limit_factor(base: float, limit: float) -> float:
    """PM §1.2 natural-limit factor C, on |y0| and |y_lim|."""
    y0, lim = abs(base), abs(limit)
    if lim == 0:
        return 1.0
    if y0 <= lim:
        return float(1.0 - (y0 / lim) ** LIMIT_EXPONENT)
    if y0 < 2 * lim:
        return float(1.0 - ((2 * lim - y0) / lim) ** LIMIT_EXPONENT)
    return 1.0


def progress_score(v: float, factor: float) -> float:
    """PM §1.3, series without a target (C = ``factor``)."""
    if v < 0:
        return max(125.0 * v - 2.5, SCORE_MIN)
    if factor == 0:
        return SCORE_MAX
    if v < MED * factor:
        return 500.0 * v / factor - 2.5
    if v < HIGH * factor:
        return 250.0 * v / factor - 1.25
    return min(500.0 * v / factor - 5.0, SCORE_MAX)


def progress_status(v: float, factor: float) -> Status:
    v = snap(v)
    if v < 0:
        return Status.DETERIORATION
    if factor == 0 or v >= snap(HIGH * factor):
        return Status.ON_TRACK
    if v >= snap(MED * factor):
        return Status.ACCELERATION_NEEDED
    return Status.LIMITED_PROGRESS


def without_target(p: Prepared) -> Assessment:
    """PM §1.2: v = s·d·CAGR_obs against 1.5 % / 0.5 % per year, scaled by the natural-limit factor C."""
    c = p.components
    y0, t0 = p.base.value, p.base.year
    yi, ti = p.latest.value, p.latest.year
    if opposite_signs(y0, yi):
        return p.insufficient(
            "Giá trị cơ sở và giá trị mới nhất trái dấu; không tính được tốc độ tăng kép cho chỉ tiêu không có "
            "giá trị mục tiêu."
        )
    if y0 == 0:
        p.notes.append(ZERO_NOTE.format(what="cơ sở"))
        y0 = ZERO_SUBSTITUTE if yi >= 0 else -ZERO_SUBSTITUTE
    cagr_obs = compound_rate(y0, yi, ti - t0)
    assert cagr_obs is not None
    s = -1 if y0 < 0 else 1
    v = s * p.sign * cagr_obs
    factor = 1.0 if p.spec.limit is None else limit_factor(p.base.value, p.spec.limit)
    c.growth_kind = "compound"
    c.observed_growth = cagr_obs
    c.progress_value = v
    c.limit_factor = factor
    c.required_growth = p.sign * HIGH * factor
    if p.spec.limit is not None:
        p.notes.append(
            f"Giới hạn tự nhiên {format_number_vi(p.spec.limit, 2, strip_zeros=True)}: ngưỡng đánh giá nhân với "
            f"hệ số C = {format_number_vi(factor, 3)}."
        )
    if factor == 0 and v >= 0:
        p.notes.append("Giá trị cơ sở đã ở mức giới hạn tự nhiên và không giảm: đúng tiến độ.")
    if p.direction is Direction.MAINTAIN:  # pragma: no cover - the driver never sends maintain here
        raise AssertionError("maintain targets always have a band")
    return p.result(progress_status(v, factor), progress_score(v, factor))


def assess(spec: TargetSpec, observations: Sequence[Observation], as_of: int | None = None) -> Assessment:
    return run(
        spec,
        observations,
        as_of=as_of,
        method=NAME,
        version=VERSION,
        with_target=with_target,
        without_target=without_target,
    )
