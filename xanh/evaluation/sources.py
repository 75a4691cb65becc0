"""Where the evaluation reads task progress and reporting compliance from.

These functions are the only contact between evaluation and the reporting app, so that evaluation works before,
and independently of, reporting: when the reporting models are absent they return nothing and the evaluation says
so. The reporting engineer may refine them (e.g. which submission statuses count); the signatures are the contract.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db.models import Max, Model
from django.utils import timezone

from xanh.evaluation.methods import Submission as SubmissionRecord
from xanh.evaluation.methods import TaskProgress

#: reporting's TaskReport.status -> the engine's task states. "Không thực hiện" is counted as behind schedule: the
#: milestone cannot be reached without it.
TASK_STATUS_MAP: dict[str, TaskProgress] = {
    "completed": TaskProgress.COMPLETED,
    "in_progress": TaskProgress.IN_PROGRESS,
    "behind_schedule": TaskProgress.BEHIND,
    "not_implemented": TaskProgress.BEHIND,
    "not_started": TaskProgress.NOT_STARTED,
}
#: Submissions whose content counts as reported (approved) or pending review (submitted).
OFFICIAL_SUBMISSION = "approved"
PENDING_SUBMISSION = "submitted"


def _model(name: str) -> type[Model] | None:
    try:
        return apps.get_model("reporting", name)
    except LookupError:
        return None


def reporting_available() -> bool:
    return _model("Submission") is not None and _model("TaskReport") is not None


def latest_report_change(plan_id: int) -> dt.datetime | None:
    """When a task report of the plan last changed in an approved submission (None without reporting)."""
    model = _model("TaskReport")
    if model is None:
        return None
    result: Any = model._default_manager.filter(
        task__plan_id=plan_id, submission__status=OFFICIAL_SUBMISSION
    ).aggregate(latest=Max("updated_at"))
    latest: dt.datetime | None = result["latest"]
    return latest


@dataclass(frozen=True)
class TaskReportInfo:
    """The latest report on a task, for display and for milestone evaluation."""

    task_id: int
    status: str
    status_label: str
    percent: int | None
    narrative: str
    difficulties: str
    proposals: str
    period_label: str
    year: int
    agency_name: str
    approved: bool
    url: str

    @property
    def progress(self) -> TaskProgress | None:
        return TASK_STATUS_MAP.get(self.status)


def latest_task_reports(
    task_ids: Iterable[int], *, as_of: int | None = None, approved_only: bool = False
) -> dict[int, TaskReportInfo]:
    """The latest report of each task (by reporting year, then round opening date), from submitted or approved
    submissions; one query. Lead-agency reports win over coordinating ones of the same round."""
    ids = list(task_ids)
    model = _model("TaskReport")
    if model is None or not ids:
        return {}
    statuses = [OFFICIAL_SUBMISSION] if approved_only else [OFFICIAL_SUBMISSION, PENDING_SUBMISSION]
    qs: Any = (
        model._default_manager.filter(task_id__in=ids, submission__status__in=statuses)
        .exclude(status="")
        .select_related("submission__round", "submission__agency")
        .order_by("task_id", "-submission__round__year", "-submission__round__opens_on", "role", "-id")
    )
    if as_of is not None:
        qs = qs.filter(submission__round__year__lte=as_of)
    result: dict[int, TaskReportInfo] = {}
    for report in qs:
        if report.task_id in result:
            continue
        submission = report.submission
        result[report.task_id] = TaskReportInfo(
            task_id=report.task_id,
            status=report.status,
            status_label=report.get_status_display(),
            percent=report.percent,
            narrative=report.narrative,
            difficulties=report.difficulties,
            proposals=report.proposals,
            period_label=submission.round.period_label,
            year=submission.round.year,
            agency_name=submission.agency.name,
            approved=submission.status == OFFICIAL_SUBMISSION,
            url=submission.get_absolute_url(),
        )
    return result


def agency_submissions(
    agency_ids: Iterable[int], *, plan_id: int | None = None
) -> dict[int, list[SubmissionRecord]]:
    """Every expected submission of the agencies (one per reporting round they take part in), as plain records
    for ``methods.compliance``: due date, submission date, and whether it was complete (approved, or submitted and
    not returned)."""
    ids = list(agency_ids)
    model = _model("Submission")
    if model is None or not ids:
        return {}
    qs: Any = model._default_manager.filter(agency_id__in=ids).select_related("round")
    if plan_id is not None:
        qs = qs.filter(round__plan_id=plan_id)
    result: dict[int, list[SubmissionRecord]] = {i: [] for i in ids}
    for sub in qs:
        submitted: dt.date | None = None
        if sub.submitted_at is not None and sub.status in (
            OFFICIAL_SUBMISSION,
            PENDING_SUBMISSION,
            "returned",
        ):
            submitted = timezone.localdate(sub.submitted_at)
        complete = sub.status in (OFFICIAL_SUBMISSION, PENDING_SUBMISSION)
        result.setdefault(sub.agency_id, []).append(SubmissionRecord(sub.round.due_on, submitted, complete))
    return result
