"""Roll-ups (pure): a composite target from its components, and groups of targets by any key (pillar, plan, lead
agency), plus agency reporting compliance.

PM §1.3 aggregation: the indicator score is the mean of its series scores, sub-groups are averaged recursively so
that each sub-indicator weighs the same; the status follows from the score, and "achieved" is reported only if
every series achieved its target.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from statistics import fmean
from typing import TypeVar

from xanh.evaluation.methods.common import SCORE_MAX, status_from_score
from xanh.evaluation.methods.types import STATUS_ORDER, Assessment, Components, Status

T = TypeVar("T")
K = TypeVar("K", bound=Hashable)

Aggregate = Callable[[Sequence[float]], float]


def mean_score(scores: Sequence[float]) -> float:
    return fmean(scores)


def combine_parts(
    parts: Sequence[tuple[str, Assessment]],
    *,
    method: str,
    version: str,
    aggregate: Aggregate = mean_score,
) -> Assessment:
    """A target with components ("92%: thành thị 100%, nông thôn 90%"): each component is assessed, the target
    takes the aggregated score; it is achieved only when every component is."""
    c = Components(kind=parts[0][1].components.kind if parts else "level", calculation="composite")
    c.observation_count = sum(a.components.observation_count for _, a in parts)
    notes: list[str] = []
    scored = [(name, a) for name, a in parts if a.score is not None]
    missing = [name or f"thành phần {i + 1}" for i, (name, a) in enumerate(parts) if a.score is None]
    if missing:
        notes.append("Chưa đủ dữ liệu cho: " + ", ".join(missing) + ".")
    if not scored:
        notes.append("Không thành phần nào đủ dữ liệu để đánh giá.")
        return Assessment(Status.INSUFFICIENT_DATA, None, method, version, c, tuple(notes), tuple(parts))
    if all(a.status is Status.ACHIEVED for _, a in parts):
        return Assessment(Status.ACHIEVED, SCORE_MAX, method, version, c, tuple(notes), tuple(parts))
    score = aggregate([a.score for _, a in scored if a.score is not None])
    return Assessment(status_from_score(score), score, method, version, c, tuple(notes), tuple(parts))


@dataclass(frozen=True)
class Rollup:
    """Summary of a group of assessments."""

    count: int
    assessed: int
    score: float | None
    status: Status
    counts: dict[Status, int] = field(default_factory=dict)

    @property
    def achieved_share(self) -> float | None:
        return self.counts.get(Status.ACHIEVED, 0) / self.assessed if self.assessed else None

    @property
    def on_track_share(self) -> float | None:
        """Share of assessed targets that are achieved or on track."""
        if not self.assessed:
            return None
        return (self.counts.get(Status.ACHIEVED, 0) + self.counts.get(Status.ON_TRACK, 0)) / self.assessed

    @property
    def label(self) -> str:
        return self.status.label

    def ordered_counts(self) -> list[tuple[Status, int]]:
        return [(s, self.counts.get(s, 0)) for s in STATUS_ORDER]


def rollup(assessments: Iterable[Assessment], *, aggregate: Aggregate = mean_score) -> Rollup:
    items = list(assessments)
    counts = dict.fromkeys(STATUS_ORDER, 0)
    for a in items:
        counts[a.status] += 1
    scores = [a.score for a in items if a.score is not None]
    if not scores:
        return Rollup(len(items), 0, None, Status.INSUFFICIENT_DATA, counts)
    if all(a.status is Status.ACHIEVED for a in items):
        return Rollup(len(items), len(scores), SCORE_MAX, Status.ACHIEVED, counts)
    score = aggregate(scores)
    return Rollup(len(items), len(scores), score, status_from_score(score), counts)


def rollup_by(
    items: Iterable[T],
    key: Callable[[T], K],
    assessment: Callable[[T], Assessment],
    *,
    aggregate: Aggregate = mean_score,
) -> dict[K, Rollup]:
    """Group ``items`` by ``key`` and roll each group up; keys keep their first-seen order."""
    groups: dict[K, list[Assessment]] = {}
    for item in items:
        groups.setdefault(key(item), []).append(assessment(item))
    return {k: rollup(v, aggregate=aggregate) for k, v in groups.items()}


# --- reporting compliance --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Submission:
    """One expected report: its due date, when it was submitted (None: not yet) and whether it was complete."""

    due: dt.date
    submitted: dt.date | None
    complete: bool = True


@dataclass(frozen=True)
class Compliance:
    expected: int
    on_time_complete: int
    late: int
    incomplete: int
    missing: int

    @property
    def share(self) -> float | None:
        """Share of expected submissions that came on time and complete (None when nothing was due yet)."""
        return self.on_time_complete / self.expected if self.expected else None


def compliance(submissions: Iterable[Submission], *, as_of: dt.date | None = None) -> Compliance:
    """Count submissions that are due (by ``as_of``, or all when it is None). A submission that is both late and
    incomplete counts as late."""
    expected = on_time_complete = late = incomplete = missing = 0
    for s in submissions:
        if s.submitted is None and as_of is not None and s.due > as_of:
            continue  # not due yet
        if s.submitted is not None and as_of is not None and s.submitted > as_of and s.due > as_of:
            continue
        expected += 1
        if s.submitted is None or (as_of is not None and s.submitted > as_of):
            missing += 1
        elif s.submitted > s.due:
            late += 1
        elif not s.complete:
            incomplete += 1
        else:
            on_time_complete += 1
    return Compliance(expected, on_time_complete, late, incomplete, missing)
