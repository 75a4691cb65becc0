"""Milestone (binary) targets: "issue a provincial regulation by 2025".

PM §5 proposes three states, following Open SDG's binary indicators (achieved / not achieved): achieved, not yet
due, overdue. Xanh maps them onto its six statuses from the reported state of the linked tasks (a design):

- every linked task completed, or the latest observation reaches the target figure (1 for a binary indicator)
  -> achieved;
- the deadline year has passed and it is not achieved -> limited progress ("chậm tiến độ": overdue);
- a linked task is reported behind schedule, or the deadline is this year and nothing has started
  -> acceleration needed;
- not yet due and the tasks are under way (or not yet started) -> on track;
- no linked task reported -> judged on the observations like a level target (see ``common.run``).

Scores are the lower edges of the Open SDG score bands (PM §1.3), so milestones weigh like numeric targets in
roll-ups.
"""

from __future__ import annotations

from dataclasses import replace

from xanh.evaluation.methods.common import STATUS_SCORES, meets_target, resolve_direction
from xanh.evaluation.methods.types import (
    Assessment,
    Components,
    Direction,
    Observation,
    Status,
    TargetKind,
    TargetSpec,
    TaskProgress,
)


def assess_milestone(
    spec: TargetSpec,
    series: list[Observation],
    *,
    as_of: int | None,
    method: str,
    version: str,
    notes: list[str],
    near_bound_rule: bool = False,
) -> Assessment:
    tasks = spec.tasks
    deadline = spec.year
    c = Components(
        kind=TargetKind.MILESTONE.value,
        target_year=deadline,
        target_value=spec.value,
        unit=spec.unit,
        as_of=as_of,
        observation_count=len(series),
        calculation="milestone",
    )
    completed = sum(1 for t in tasks if t.progress is TaskProgress.COMPLETED)
    behind = sum(1 for t in tasks if t.progress is TaskProgress.BEHIND)
    started = sum(1 for t in tasks if t.progress is not TaskProgress.NOT_STARTED)
    c.tasks_total = len(tasks)
    c.tasks_completed = completed
    c.tasks_behind = behind
    latest = series[-1] if series else None
    if latest is not None:
        c.latest_value = latest.value
        c.latest_year = latest.year

    def result(status: Status, note: str) -> Assessment:
        notes.append(note)
        return Assessment(status, STATUS_SCORES.get(status), method, version, c, tuple(notes))

    done_by_value = False
    if latest is not None:
        figure = spec if spec.has_figure else replace(spec, value=1.0, direction=Direction.INCREASE)
        reference = spec.baseline.value if spec.baseline is not None else series[0].value
        direction = resolve_direction(figure, reference)[0] or Direction.INCREASE
        done_by_value = meets_target(figure, latest.value, direction, near_bound_rule, notes)
    if completed == len(tasks) or done_by_value:
        if done_by_value and latest is not None:
            return result(Status.ACHIEVED, f"Số liệu năm {latest.year} cho thấy mốc đã hoàn thành.")
        return result(Status.ACHIEVED, f"Cả {len(tasks)} nhiệm vụ liên quan đã hoàn thành.")
    progress = _task_summary(len(tasks), completed, behind, started)
    if as_of is not None and deadline is not None and as_of > deadline:
        return result(
            Status.LIMITED_PROGRESS,
            f"Đã quá thời hạn năm {deadline} nhưng chưa hoàn thành. {progress}".strip(),
        )
    if as_of is None and deadline is not None:
        notes.append("Không rõ năm đánh giá nên chưa xét quá hạn.")
    if behind:
        return result(Status.ACCELERATION_NEEDED, progress)
    if started == 0 and as_of is not None and deadline is not None and as_of >= deadline:
        return result(
            Status.ACCELERATION_NEEDED, f"Đến hạn trong năm {deadline} nhưng các nhiệm vụ chưa triển khai."
        )
    when = f"chưa đến hạn năm {deadline}" if deadline is not None else "kế hoạch không ghi thời hạn"
    return result(Status.ON_TRACK, f"{progress} Mốc {when}.")


def _task_summary(total: int, completed: int, behind: int, started: int) -> str:
    parts = [f"{completed}/{total} nhiệm vụ đã hoàn thành"]
    in_progress = started - completed - behind
    if in_progress:
        parts.append(f"{in_progress} đang thực hiện")
    if behind:
        parts.append(f"{behind} chậm tiến độ")
    if total - started:
        parts.append(f"{total - started} chưa triển khai")
    return "; ".join(parts) + "."
