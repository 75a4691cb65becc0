"""The method registry: name -> Method, each with a version string stored with every assessment."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from statistics import fmean

from xanh.evaluation.methods import linear, osdg, unsd
from xanh.evaluation.methods.types import Assessment, Observation, TargetSpec

AssessFn = Callable[[TargetSpec, Sequence[Observation], int | None], Assessment]


@dataclass(frozen=True)
class Method:
    name: str
    version: str
    title: str
    source: str
    _assess: AssessFn

    def assess(
        self, spec: TargetSpec, observations: Sequence[Observation], *, as_of: int | None = None
    ) -> Assessment:
        return self._assess(spec, observations, as_of)

    def aggregate(self, scores: Sequence[float]) -> float:
        """PM §1.3: the mean of the scores (every method scores on the same -5..5 scale)."""
        return fmean(scores)


METHODS: dict[str, Method] = {
    osdg.NAME: Method(
        osdg.NAME,
        osdg.VERSION,
        "Open SDG / Thống kê Canada (tỷ lệ tốc độ tăng kép)",
        "github.com/open-sdg/open-sdg, docs/progress-methodology.md; progress-methods.md §1",
        osdg.assess,
    ),
    unsd.NAME: Method(
        unsd.NAME,
        unsd.VERSION,
        "UNSD Progress Chart (ngoại suy đến năm mục tiêu)",
        "UNSD Progress Chart Technical Note 2023, EUSTAT; progress-methods.md §2",
        unsd.assess,
    ),
    linear.NAME: Method(
        linear.NAME,
        linear.VERSION,
        "Quỹ đạo tuyến tính (so tiến độ với thời gian đã qua)",
        "progress-methods.md §4 (thiết kế của Xanh)",
        linear.assess,
    ),
}

DEFAULT_METHOD = osdg.NAME


def assess(
    spec: TargetSpec,
    observations: Sequence[Observation],
    *,
    method: str = DEFAULT_METHOD,
    as_of: int | None = None,
) -> Assessment:
    return METHODS[method].assess(spec, observations, as_of=as_of)
