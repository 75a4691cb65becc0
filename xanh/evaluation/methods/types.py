"""Plain data of the evaluation engine: target specifications, observations and assessments (no Django).

The methods and rules are those of ../shared/domain/progress-methods.md (cited as "PM §n" in the code).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields
from enum import StrEnum
from typing import Any


class Status(StrEnum):
    """The six statuses shown to users. PM §1.1 maps Open SDG's names onto these (target_achieved -> achieved,
    substantial_progress -> on_track, moderate_progress -> acceleration_needed)."""

    ACHIEVED = "achieved"
    ON_TRACK = "on_track"
    ACCELERATION_NEEDED = "acceleration_needed"
    LIMITED_PROGRESS = "limited_progress"
    DETERIORATION = "deterioration"
    INSUFFICIENT_DATA = "insufficient_data"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]


STATUS_LABELS: dict[Status, str] = {
    Status.ACHIEVED: "đã đạt",
    Status.ON_TRACK: "đúng tiến độ",
    Status.ACCELERATION_NEEDED: "cần đẩy nhanh",
    Status.LIMITED_PROGRESS: "chậm tiến độ",
    Status.DETERIORATION: "đi ngược xu hướng",
    Status.INSUFFICIENT_DATA: "chưa đủ dữ liệu",
}

#: Display order, best first (cards, legends, roll-up tables).
STATUS_ORDER: tuple[Status, ...] = (
    Status.ACHIEVED,
    Status.ON_TRACK,
    Status.ACCELERATION_NEEDED,
    Status.LIMITED_PROGRESS,
    Status.DETERIORATION,
    Status.INSUFFICIENT_DATA,
)


class TargetKind(StrEnum):
    LEVEL = "level"
    ANNUAL_RATE = "annual_rate"
    MILESTONE = "milestone"


class Comparator(StrEnum):
    GE = ">="
    GT = ">"
    LE = "<="
    LT = "<"
    EQ = "="
    APPROX = "approx"
    RANGE = "range"


class Direction(StrEnum):
    INCREASE = "increase"
    DECREASE = "decrease"
    MAINTAIN = "maintain"


DIRECTION_LABELS: dict[Direction, str] = {
    Direction.INCREASE: "tăng",
    Direction.DECREASE: "giảm",
    Direction.MAINTAIN: "duy trì",
}


class TaskProgress(StrEnum):
    """Reported state of a task linked to a milestone target (plain data from the reporting side)."""

    COMPLETED = "completed"
    IN_PROGRESS = "in_progress"
    BEHIND = "behind"
    NOT_STARTED = "not_started"


TASK_PROGRESS_LABELS: dict[TaskProgress, str] = {
    TaskProgress.COMPLETED: "đã hoàn thành",
    TaskProgress.IN_PROGRESS: "đang thực hiện",
    TaskProgress.BEHIND: "chậm tiến độ",
    TaskProgress.NOT_STARTED: "chưa triển khai",
}


@dataclass(frozen=True, slots=True)
class Observation:
    year: int
    value: float


@dataclass(frozen=True, slots=True)
class Baseline:
    value: float
    year: int


@dataclass(frozen=True, slots=True)
class TaskState:
    progress: TaskProgress
    code: str = ""


@dataclass(frozen=True, slots=True)
class TargetSpec:
    """What a target asks for.

    ``value`` or ``low``/``high`` give the target figure (a range when both bounds are set). For ``annual_rate``
    targets the figure is the average yearly rate in percent ("giảm 1,5%/năm" -> value 1.5, direction decrease, or
    value -1.5); observations are then the levels of the underlying indicator. ``start_year`` is the first year of
    the plan period; the base year of a rate target defaults to the year before it (PM §5). ``tasks`` carries the
    reported state of the tasks linked to a milestone target.
    """

    kind: TargetKind = TargetKind.LEVEL
    value: float | None = None
    low: float | None = None
    high: float | None = None
    unit: str = ""
    comparator: Comparator | None = None
    direction: Direction | None = None
    year: int | None = None
    baseline: Baseline | None = None
    limit: float | None = None
    start_year: int | None = None
    tasks: tuple[TaskState, ...] = ()
    label: str = ""

    @property
    def is_range(self) -> bool:
        return self.low is not None and self.high is not None

    @property
    def has_figure(self) -> bool:
        return self.value is not None or self.low is not None or self.high is not None


@dataclass(slots=True)
class Components:
    """Every input and intermediate value of a calculation, so that each status can be explained (PM "Always store
    the calculation")."""

    kind: str = TargetKind.LEVEL.value
    direction: str | None = None
    direction_inferred: bool = False
    comparator: str | None = None
    unit: str = ""
    target_value: float | None = None
    target_low: float | None = None
    target_high: float | None = None
    target_year: int | None = None
    target_year_assumed: bool = False
    base_value: float | None = None
    base_year: int | None = None
    baseline_from_observation: bool = False
    latest_value: float | None = None
    latest_year: int | None = None
    observation_count: int = 0
    required_growth: float | None = None
    observed_growth: float | None = None
    growth_kind: str | None = None  # "compound" (fraction per year) or "absolute" (units per year)
    ratio: float | None = None
    ratio_name: str | None = None  # "R" (Open SDG), "CR" (UNSD), "L" (linear)
    projected_value: float | None = None
    expected_value: float | None = None
    progress_share: float | None = None
    time_share: float | None = None
    progress_value: float | None = None
    limit: float | None = None
    limit_factor: float | None = None
    transformed: str | None = None  # "distance_to_band" for maintain targets
    tasks_total: int | None = None
    tasks_completed: int | None = None
    tasks_behind: int | None = None
    as_of: int | None = None
    calculation: str | None = None  # the method actually used when it differs (fallback) or "milestone"

    def to_dict(self) -> dict[str, Any]:
        # Every field is a scalar, so a flat copy is enough (dataclasses.asdict deep-copies and is 10× slower).
        return {name: _clean(getattr(self, name)) for name in _COMPONENT_FIELDS}


_COMPONENT_FIELDS = tuple(f.name for f in fields(Components))


def _clean(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


@dataclass(frozen=True, slots=True)
class Assessment:
    status: Status
    score: float | None
    method: str
    method_version: str
    components: Components = field(default_factory=Components)
    notes: tuple[str, ...] = ()
    parts: tuple[tuple[str, Assessment], ...] = ()

    @property
    def label(self) -> str:
        return self.status.label

    @property
    def is_assessed(self) -> bool:
        return self.status is not Status.INSUFFICIENT_DATA

    def to_dict(self) -> dict[str, Any]:
        from xanh.evaluation.methods.explain import explain

        result: dict[str, Any] = {
            "status": self.status.value,
            "label": self.label,
            "score": None if self.score is None else round(self.score, 6),
            "method": self.method,
            "method_version": self.method_version,
            "components": self.components.to_dict(),
            "notes": list(self.notes),
            "explanation": explain(self),
        }
        if self.parts:
            result["parts"] = [{"name": name, **part.to_dict()} for name, part in self.parts]
        return result


class EvaluationInputError(ValueError):
    """Input the engine cannot evaluate at all (not merely too little data). The message is Vietnamese."""
