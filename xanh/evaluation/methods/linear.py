"""Linear-trajectory method (PM §4, a Xanh design): the share of the base-to-target distance already covered,
compared with the share of the period already elapsed. Works with zero and negative values (no logarithm)."""

from __future__ import annotations

from collections.abc import Sequence

from xanh.evaluation.methods.common import (
    SCORE_MIN,
    Prepared,
    run,
    score_from_ratio,
    status_from_ratio,
)
from xanh.evaluation.methods.types import Assessment, Observation, Status, TargetSpec

NAME = "linear"
VERSION = "1.0"


def with_target(p: Prepared) -> Assessment:
    assert p.target is not None
    c = p.components
    y0, t0 = p.base.value, p.base.year
    yi, ti = p.latest.value, p.latest.year
    y_target, t_target = p.target, p.target_year
    time_share = (ti - t0) / (t_target - t0)
    c.time_share = time_share
    c.expected_value = y0 + (y_target - y0) * time_share
    if p.required_rate is None:
        # Rate targets keep their compound rates (set by the driver); level targets show yearly changes in units.
        c.growth_kind = "absolute"
        c.observed_growth = (yi - y0) / (ti - t0)
        c.required_growth = (y_target - y0) / (t_target - t0)
    c.ratio_name = "L"
    if y_target == y0:
        # Not achieved although the target equals the base: the latest value is on the wrong side of it.
        p.notes.append("Mục tiêu bằng giá trị cơ sở nhưng giá trị mới nhất đi ngược chiều mong muốn.")
        return p.result(Status.DETERIORATION, SCORE_MIN)
    # d·(yi - y0) / |yT - y0| is PM §4's P whenever the target lies in the desired direction from the base; when the
    # base had already passed the target (and the latest value fell back), movement toward the target is movement
    # in the wrong direction and must count as negative progress.
    progress_share = p.sign * (yi - y0) / abs(y_target - y0)
    c.progress_share = progress_share
    ratio = progress_share / time_share
    c.ratio = ratio
    return p.result(status_from_ratio(ratio), score_from_ratio(ratio))


def without_target(p: Prepared) -> Assessment:
    return p.insufficient(
        "Phương pháp quỹ đạo tuyến tính cần giá trị mục tiêu; chỉ tiêu chỉ nêu chiều mong muốn nên hãy dùng "
        "phương pháp Open SDG."
    )


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
