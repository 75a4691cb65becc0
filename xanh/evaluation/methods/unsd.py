"""UNSD "Progress Chart" extrapolation method (PM §2), with EUSTAT's bands.

Source: UN Statistics Division, Progress Chart Technical Note 2023, as applied by EUSTAT
(github.com/EUSTAT-DES/site, _pages/en/metodologia.md), summarised in ../shared/domain/progress-methods.md §2.
The plan's target year replaces 2030 (PM §2, design). EUSTAT's lowest band ("stagnation or regression", CR < 0.10)
is split at CR = 0 into limited progress and deterioration so that the six Xanh statuses apply; the score scale
below is a Xanh design that puts the band edges at the same scores as Open SDG (PM §1.3), so that roll-ups can mix
methods.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from xanh.evaluation.methods import linear
from xanh.evaluation.methods.common import (
    SCORE_MAX,
    SCORE_MIN,
    ZERO_SUBSTITUTE,
    Prepared,
    compound_rate,
    opposite_signs,
    run,
    snap,
)
from xanh.evaluation.methods.types import Assessment, Observation, Status, TargetSpec

NAME = "unsd"
VERSION = "1.0"

# PM §2, EUSTAT bands of the completion ratio CR.
ON_TRACK_CR = 0.95
FAIR_CR = 0.10
# PM §2: without a target, CAGR is compared with +2 % and +0.5 % per year (mirrored for a desired decrease).
HIGH_RATE = 0.02
LOW_RATE = 0.005


def cr_status(cr: float) -> Status:
    x = snap(cr)
    if x >= ON_TRACK_CR:
        return Status.ON_TRACK
    if x >= FAIR_CR:
        return Status.ACCELERATION_NEEDED
    if x >= 0:
        return Status.LIMITED_PROGRESS
    return Status.DETERIORATION


def cr_score(cr: float) -> float:
    """Continuous, increasing, -5..5: CR 0.95 -> 2.5, 0.10 -> 0, 0 -> -2.5; 1.30 -> 5 and -0.6 -> -5 as in
    Open SDG's ratio scale."""
    x = snap(cr)
    if x >= ON_TRACK_CR:
        return min(2.5 + (x - ON_TRACK_CR) * 2.5 / 0.35, SCORE_MAX)
    if x >= FAIR_CR:
        return 2.5 * (x - FAIR_CR) / (ON_TRACK_CR - FAIR_CR)
    if x >= 0:
        return 25.0 * x - 2.5
    return max(25.0 / 6.0 * x - 2.5, SCORE_MIN)


def rate_status(v: float) -> Status:
    x = snap(v)
    if x >= HIGH_RATE:
        return Status.ON_TRACK
    if x >= LOW_RATE:
        return Status.ACCELERATION_NEEDED
    if x >= 0:
        return Status.LIMITED_PROGRESS
    return Status.DETERIORATION


def rate_score(v: float) -> float:
    if v < 0:
        return max(125.0 * v - 2.5, SCORE_MIN)
    if v < LOW_RATE:
        return 500.0 * v - 2.5
    if v < HIGH_RATE:
        return 2.5 * (v - LOW_RATE) / (HIGH_RATE - LOW_RATE)
    return min(125.0 * v, SCORE_MAX)


def _extrapolate(latest: float, rate: float, years: int) -> float:
    if years <= 0:
        return latest
    try:
        return float(latest * (1.0 + rate) ** years)
    except OverflowError:
        return math.copysign(math.inf, latest)


def with_target(p: Prepared) -> Assessment:
    """PM §2: CAGR_a over base..latest, extrapolated to the target year; CR = (v_e - v_b) / (v_T - v_b)."""
    assert p.target is not None
    c = p.components
    vb, b = p.base.value, p.base.year
    vt, t = p.latest.value, p.latest.year
    target, t_target = p.target, p.target_year
    if opposite_signs(vb, vt):
        p.notes.append(
            "Giá trị cơ sở và giá trị mới nhất trái dấu nên không ngoại suy theo tốc độ tăng kép được; đánh giá "
            "theo phương pháp quỹ đạo tuyến tính."
        )
        c.calculation = "linear"
        return linear.with_target(p)
    vb_rate = vb
    if vb == 0:
        p.notes.append("Giá trị cơ sở bằng 0 được thay bằng 0,001 để tính tốc độ tăng kép.")
        vb_rate = ZERO_SUBSTITUTE if vt >= 0 else -ZERO_SUBSTITUTE
    cagr = compound_rate(vb_rate, vt, t - b)
    assert cagr is not None
    projected = _extrapolate(vt, cagr, t_target - t)
    limit = p.spec.limit
    if limit is not None and c.transformed is None and vt <= limit < projected:
        # PM §5: extrapolations are capped at the natural limit.
        projected = limit
        p.notes.append("Giá trị ngoại suy được giới hạn ở mức giới hạn tự nhiên.")
    c.projected_value = projected
    c.observed_growth = cagr
    if p.required_rate is None:
        c.growth_kind = "compound"
        if not opposite_signs(target, vb_rate) and target != 0:
            c.required_growth = compound_rate(vb_rate, target, t_target - b)
    c.ratio_name = "CR"
    if target == vb:
        p.notes.append("Mục tiêu bằng giá trị cơ sở nhưng giá trị mới nhất đi ngược chiều mong muốn.")
        return p.result(Status.DETERIORATION, SCORE_MIN)
    # d·(v_e - v_b) / |v_T - v_b|: PM §2's CR when the target lies in the desired direction from the base, and
    # negative (regression) when a base that had passed the target falls back toward it.
    cr = p.sign * (projected - vb) / abs(target - vb)  # infinite when the extrapolation overflows
    c.ratio = cr
    return p.result(cr_status(cr), cr_score(cr))


def without_target(p: Prepared) -> Assessment:
    c = p.components
    vb, b = p.base.value, p.base.year
    vt, t = p.latest.value, p.latest.year
    if opposite_signs(vb, vt):
        return p.insufficient("Giá trị cơ sở và giá trị mới nhất trái dấu; không tính được tốc độ tăng kép.")
    if vb == 0:
        p.notes.append("Giá trị cơ sở bằng 0 được thay bằng 0,001 để tính tốc độ tăng kép.")
        vb = ZERO_SUBSTITUTE if vt >= 0 else -ZERO_SUBSTITUTE
    cagr = compound_rate(vb, vt, t - b)
    assert cagr is not None
    s = -1 if vb < 0 else 1
    v = s * p.sign * cagr
    c.growth_kind = "compound"
    c.observed_growth = cagr
    c.required_growth = p.sign * HIGH_RATE
    c.progress_value = v
    return p.result(rate_status(v), rate_score(v))


def assess(spec: TargetSpec, observations: Sequence[Observation], as_of: int | None = None) -> Assessment:
    return run(
        spec,
        observations,
        as_of=as_of,
        method=NAME,
        version=VERSION,
        with_target=with_target,
        without_target=without_target,
        near_bound_rule=True,
    )
