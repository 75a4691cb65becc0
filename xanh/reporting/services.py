"""Reporting services: every write of the reporting app goes through one of these keyword-only functions.

Each one checks permissions with ``xanh.accounts.permissions``, validates, writes inside one transaction and leaves an
audit record (simple-history, with a reason). Views, the admin, Excel uploads, the demo loader and background jobs call
the same functions, so a rule cannot be bypassed by taking another path.

Read helpers for other apps (evaluation, synthesis reports) are at the end: ``latest_task_status``,
``agency_compliance`` and ``approved_narratives``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import math
import zipfile
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from xanh.accounts import permissions
from xanh.accounts.models import Role, User
from xanh.agencies.models import Agency, AgencyKind
from xanh.core.audit import stamp
from xanh.core.errors import Problem, ValidationFailed
from xanh.indicators.models import Indicator, IndicatorValue, Periodicity, ValueSource, ValueStatus
from xanh.indicators.periods import parse_period
from xanh.indicators.services import check_value, record_value, unlock_value
from xanh.plans.models import AssignmentRole, Plan, PlanStatus, Target, TargetComponent, Task, TaskAssignment
from xanh.reporting import filetypes, notify, workbook
from xanh.reporting.models import (
    EDITABLE_STATUSES,
    Evidence,
    IndicatorReport,
    NotificationKind,
    Reminder,
    ReportingRound,
    ReviewComment,
    RoundStatus,
    Submission,
    SubmissionStatus,
    TaskReport,
    TaskStatus,
    TemplateUpload,
    UploadStatus,
)

TEXT_MAX = 20_000
MAX_EVIDENCE_PER_TASK = 20

TASK_FIELD_LABELS = {
    "status": "Tình trạng",
    "percent": "Tỷ lệ hoàn thành (%)",
    "completed_on": "Ngày hoàn thành",
    "narrative": "Kết quả thực hiện",
    "difficulties": "Khó khăn, vướng mắc",
    "proposals": "Đề xuất, kiến nghị",
}
INDICATOR_FIELD_LABELS = {
    "value": "Giá trị",
    "data_source": "Nguồn số liệu",
    "note": "Ghi chú, giải trình",
    "unit": "Đơn vị tính",
    "disaggregation": "Phân tổ",
    "period": "Kỳ",
}
# field → column index in the Excel template (workbook.TASK_COLUMNS / INDICATOR_COLUMNS)
_TASK_COLUMN = {
    "status": 3,
    "percent": 4,
    "completed_on": 5,
    "narrative": 6,
    "difficulties": 7,
    "proposals": 8,
}
_INDICATOR_COLUMN = {"value": 5, "data_source": 6, "note": 7, "unit": 4, "disaggregation": 3, "period": 2}

# Which indicators a round asks for: an indicator is reported in rounds whose period is at least as long as the
# indicator's own periodicity (a yearly indicator in yearly rounds, a quarterly one in every round). Five-yearly
# indicators come from censuses and surveys, not from agency reports.
_PERIOD_KINDS_FOR = {
    "year": {Periodicity.YEAR, Periodicity.HALF_YEAR, Periodicity.QUARTER, Periodicity.MONTH},
    "half_year": {Periodicity.HALF_YEAR, Periodicity.QUARTER, Periodicity.MONTH},
    "quarter": {Periodicity.QUARTER, Periodicity.MONTH},
    "month": {Periodicity.MONTH},
}


# ---- errors and inputs ---------------------------------------------------------------------------------------


@dataclass
class ReportInvalid(ValidationFailed):
    """Rejected report input. ``fields`` maps form field names ("t-12-percent") to messages for inline display."""

    fields: dict[str, list[str]] = field(default_factory=dict)


@dataclass
class EditConflict(ValidationFailed):
    """Someone saved the report after the editor loaded it (optimistic locking); nothing was written."""

    current_version: int = 0


@dataclass(frozen=True)
class TaskInput:
    status: str = ""
    percent: int | None = None
    completed_on: dt.date | None = None
    narrative: str = ""
    difficulties: str = ""
    proposals: str = ""


@dataclass(frozen=True)
class IndicatorInput:
    value: float | None = None
    data_source: str = ""
    note: str = ""


@dataclass(frozen=True)
class Issue:
    """One problem with one field of one item; rendered as a form error or as an Excel row/column problem."""

    kind: str  # "task" | "indicator" | "submission"
    item_id: int | None
    field: str
    message: str


# ---- permissions -----------------------------------------------------------------------------------------------


def can_manage_round(user: Any, round: ReportingRound) -> bool:
    return permissions.can_manage_plan(user, round.plan)


def can_view_submission(user: Any, submission: Submission) -> bool:
    """Coordinators of the plan see every submission; a reporter sees only the agency's own."""
    if can_manage_round(user, submission.round):
        return True
    return (
        getattr(user, "is_authenticated", False)
        and getattr(user, "is_active", False)
        and getattr(user, "role", None) == Role.REPORTER
        and user.agency_id is not None
        and user.agency_id == submission.agency_id
    )


def can_edit_submission(user: Any, submission: Submission) -> bool:
    return (
        submission.is_editable
        and submission.round.is_open
        and can_view_submission(user, submission)
        and permissions.acts_for_agency(user, submission.agency)
    )


def submissions_visible_to(user: Any) -> QuerySet[Submission]:
    """The submissions ``user`` may see, as a queryset (used by views and the admin)."""
    qs = Submission.objects.all()
    if permissions.is_admin(user):
        return qs
    if permissions.is_coordinator(user):
        return qs.filter(round__in=ReportingRound.objects.managed_by(user))
    if getattr(user, "is_authenticated", False) and getattr(user, "role", None) == Role.REPORTER:
        agency_id = getattr(user, "agency_id", None)
        return qs.filter(agency_id=agency_id) if agency_id else qs.none()
    return qs.none()


def _require_manage(user: Any, round: ReportingRound) -> None:
    permissions.require(
        can_manage_round(user, round), "Chỉ cơ quan đầu mối của kế hoạch mới được thao tác này."
    )


def _require_edit(user: Any, submission: Submission) -> None:
    permissions.require(
        can_view_submission(user, submission) and permissions.acts_for_agency(user, submission.agency),
        "Bạn không có quyền sửa báo cáo của cơ quan này.",
    )
    if not submission.round.is_open:
        raise ValidationFailed([Problem("Kỳ báo cáo đã đóng; không sửa được báo cáo.", column="trạng thái")])
    if not submission.is_editable:
        raise ValidationFailed(
            [
                Problem(
                    f"Báo cáo đang ở trạng thái «{submission.get_status_display()}»; không sửa được. "
                    "Báo cáo chỉ sửa được khi đang soạn hoặc bị trả lại.",
                    column="trạng thái",
                )
            ]
        )


def _lock(submission: Submission) -> Submission:
    return (
        Submission.objects.select_for_update()
        .select_related("round__plan__admin_unit", "agency")
        .get(pk=submission.pk)
    )


def _check_version(submission: Submission, expected_version: int | None) -> None:
    if expected_version is not None and submission.version != expected_version:
        raise EditConflict(
            [
                Problem(
                    f"Báo cáo vừa được người khác cập nhật (phiên bản {submission.version}, bạn đang sửa phiên bản "
                    f"{expected_version}). Thay đổi của bạn chưa được lưu. Hãy tải lại trang để xem bản mới nhất "
                    "rồi nhập lại phần thay đổi.",
                    column="phiên bản",
                )
            ],
            current_version=submission.version,
        )


def _bump(submission: Submission, *, user: Any, reason: str) -> None:
    submission.version += 1
    stamp(submission, user=user, reason=reason)
    submission.save()


# ---- participants and items ------------------------------------------------------------------------------------


@dataclass
class ParticipantSuggestion:
    agency: Agency
    reasons: list[str] = field(default_factory=list)
    replaces: list[Agency] = field(default_factory=list)

    @property
    def reason_text(self) -> str:
        return "; ".join(self.reasons)


@dataclass
class RoundScope:
    """Who reports what in a round: per agency, its tasks (with role) and indicators."""

    tasks: dict[int, list[tuple[Task, str]]] = field(default_factory=lambda: defaultdict(list))
    indicators: dict[int, list[Indicator]] = field(default_factory=lambda: defaultdict(list))
    suggestions: dict[int, ParticipantSuggestion] = field(default_factory=dict)
    skipped: list[tuple[Agency, str]] = field(default_factory=list)


def plan_indicators(plan: Plan) -> list[Indicator]:
    """Indicators linked to the plan through its targets or target components, in target order."""
    ids: list[int] = []
    for indicator_id in (
        Target.objects.filter(plan=plan, indicator__isnull=False)
        .order_by("position")
        .values_list("indicator_id", flat=True)
    ):
        if indicator_id not in ids:
            ids.append(indicator_id)
    for indicator_id in (
        TargetComponent.objects.filter(target__plan=plan, indicator__isnull=False)
        .order_by("target__position", "position")
        .values_list("indicator_id", flat=True)
    ):
        if indicator_id not in ids:
            ids.append(indicator_id)
    by_id = Indicator.objects.in_bulk(ids)
    return [by_id[i] for i in ids if i in by_id]


def _reporting_agency(agency: Agency, on: dt.date) -> tuple[Agency | None, str]:
    """The agency that reports for ``agency`` on ``on`` (successor), or None with the reason it cannot report."""
    current = agency.current(on)
    if current.kind == AgencyKind.COLLECTIVE:
        return None, "nhóm cơ quan (không phải một cơ quan cụ thể)"
    if current.valid_from is not None and current.valid_from > on:
        return None, f"chỉ hoạt động từ {current.valid_from:%d/%m/%Y}, sau ngày mở kỳ"
    if current.valid_to is not None and current.valid_to < on:
        return None, f"đã thôi hoạt động từ {current.valid_to:%d/%m/%Y}, chưa xác định cơ quan kế thừa"
    return current, ""


def round_scope(*, plan: Plan, period: str, on: dt.date) -> RoundScope:
    """Default participants and their items for a round of ``plan`` for ``period`` opening on ``on``.

    Every lead or coordinating agency of a task, and every agency responsible for a linked indicator, mapped to the
    agency that does its work on ``on`` (Sở KH&ĐT → Sở Tài chính from 1/3/2025; ../shared/domain/agencies.md §2).
    Collectives ("các sở, ban, ngành") and bodies abolished without a known successor are listed as skipped.
    """
    scope = RoundScope()
    parsed = parse_period(period)
    seen_skipped: set[int] = set()

    def suggest(agency: Agency, original: Agency, reason: str) -> None:
        suggestion = scope.suggestions.setdefault(agency.pk, ParticipantSuggestion(agency))
        suggestion.reasons.append(reason)
        if original.pk != agency.pk and all(a.pk != original.pk for a in suggestion.replaces):
            suggestion.replaces.append(original)

    assignments = (
        TaskAssignment.objects.filter(task__plan=plan)
        .select_related("task", "agency__successor__successor__successor")
        .order_by("task__position", "task_id", "role", "id")
    )
    roles: dict[tuple[int, int], str] = {}
    order: list[tuple[int, Task]] = []
    for assignment in assignments:
        agency, why = _reporting_agency(assignment.agency, on)
        if agency is None:
            if assignment.agency_id not in seen_skipped:
                seen_skipped.add(assignment.agency_id)
                scope.skipped.append((assignment.agency, why))
            continue
        role_label = "chủ trì" if assignment.role == AssignmentRole.LEAD else "phối hợp"
        suggest(agency, assignment.agency, f"{role_label} nhiệm vụ {assignment.task.code}")
        key = (agency.pk, assignment.task_id)
        if key not in roles:
            order.append((agency.pk, assignment.task))
            roles[key] = assignment.role
        elif assignment.role == AssignmentRole.LEAD:
            roles[key] = AssignmentRole.LEAD  # an agency that leads and coordinates (after a merger) leads
    for agency_id, task in order:
        scope.tasks[agency_id].append((task, roles[(agency_id, task.pk)]))

    kinds = _PERIOD_KINDS_FOR[parsed.kind]
    indicators = [i for i in plan_indicators(plan) if i.periodicity in kinds and i.responsible_agency_key]
    keys = {i.responsible_agency_key for i in indicators}
    agencies = {
        a.key: a
        for a in Agency.objects.filter(admin_unit=plan.admin_unit, key__in=keys).select_related(
            "successor__successor__successor"
        )
    }
    for indicator in indicators:
        responsible = agencies.get(indicator.responsible_agency_key)
        if responsible is None:
            continue
        agency, why = _reporting_agency(responsible, on)
        if agency is None:
            if responsible.pk not in seen_skipped:
                seen_skipped.add(responsible.pk)
                scope.skipped.append((responsible, why))
            continue
        suggest(agency, responsible, f"chỉ tiêu {indicator.code}")
        scope.indicators[agency.pk].append(indicator)
    return scope


def candidate_agencies(plan: Plan, on: dt.date) -> list[Agency]:
    """Agencies a coordinator may add to a round: the plan unit's single bodies valid on ``on``."""
    return list(
        Agency.objects.filter(admin_unit=plan.admin_unit)
        .exclude(kind=AgencyKind.COLLECTIVE)
        .valid_on(on)
        .order_by("kind", "name")
    )


# ---- notifications ------------------------------------------------------------------------------------------------


def _reporters_of(agency_ids: Iterable[int]) -> dict[int, list[User]]:
    out: dict[int, list[User]] = defaultdict(list)
    for user in User.objects.filter(
        agency_id__in=list(agency_ids), role=Role.REPORTER, is_active=True
    ).order_by("id"):
        out[user.agency_id].append(user)  # type: ignore[index]
    return out


def _coordinators_of(plan: Plan) -> list[User]:
    unit = plan.admin_unit
    unit_ids = [unit.pk] + ([unit.successor_id] if unit.successor_id else [])
    return list(
        User.objects.filter(role=Role.COORDINATOR, is_active=True)
        .filter(Q(admin_unit_id__in=unit_ids) | Q(admin_unit__isnull=True))
        .order_by("id")
    )


# ---- rounds -------------------------------------------------------------------------------------------------------


@transaction.atomic
def open_round(
    *,
    user: Any,
    plan: Plan,
    period: str,
    opens_on: dt.date,
    due_on: dt.date,
    participants: Iterable[Agency] | None = None,
    instructions: str = "",
    is_demo: bool = False,
) -> ReportingRound:
    """Open a reporting round; every participant gets a submission pre-filled with exactly its tasks and indicators.

    ``participants`` None means the default set (``round_scope``). Reporters of each participant are notified.
    """
    permissions.require(
        permissions.can_manage_plan(user, plan), "Chỉ cơ quan đầu mối của kế hoạch mới được mở kỳ báo cáo."
    )
    problems: list[Problem] = []
    parsed = None
    try:
        parsed = parse_period(period)
    except ValueError as exc:
        problems.append(Problem(str(exc), column="Kỳ báo cáo"))
    if plan.status != PlanStatus.PUBLISHED:
        problems.append(Problem("Chỉ mở kỳ báo cáo cho kế hoạch đã công bố.", column="Kế hoạch"))
    if due_on < opens_on:
        problems.append(Problem("Hạn nộp phải sau hoặc trùng ngày mở kỳ.", column="Hạn nộp"))
    if parsed is not None:
        if not plan.period_start <= parsed.year <= plan.period_end:
            problems.append(
                Problem(
                    f"Kỳ {parsed.label_vi} nằm ngoài giai đoạn của kế hoạch ({plan.period_start}–{plan.period_end}).",
                    column="Kỳ báo cáo",
                )
            )
        if ReportingRound.objects.filter(plan=plan, period=parsed.code).exists():
            problems.append(Problem(f"Kế hoạch đã có kỳ báo cáo {parsed.label_vi}.", column="Kỳ báo cáo"))
    if problems or parsed is None:
        raise ValidationFailed(problems)

    scope = round_scope(plan=plan, period=parsed.code, on=opens_on)
    if participants is None:
        chosen = [s.agency for s in scope.suggestions.values()]
    else:
        chosen = list(dict.fromkeys(participants))
        for agency in chosen:
            if agency.admin_unit_id != plan.admin_unit_id:
                problems.append(
                    Problem(f"{agency.name} không thuộc {plan.admin_unit.name}.", column="Cơ quan tham gia")
                )
            elif agency.kind == AgencyKind.COLLECTIVE:
                problems.append(
                    Problem(
                        f"«{agency.name}» là nhóm cơ quan, không nộp báo cáo được; hãy chọn từng cơ quan.",
                        column="Cơ quan tham gia",
                    )
                )
    if not chosen:
        problems.append(Problem("Cần chọn ít nhất một cơ quan tham gia.", column="Cơ quan tham gia"))
    if problems:
        raise ValidationFailed(problems)

    round = ReportingRound(
        plan=plan,
        period=parsed.code,
        year=parsed.year,
        opens_on=opens_on,
        due_on=due_on,
        instructions=instructions.strip(),
        created_by=user if getattr(user, "pk", None) else None,
        is_demo=is_demo,
    )
    stamp(round, user=user, reason=f"Mở kỳ báo cáo {parsed.label_vi}")
    round.save()
    history_user = user if getattr(user, "pk", None) else None
    submissions = bulk_create_with_history(
        [Submission(round=round, agency=agency) for agency in sorted(chosen, key=lambda a: a.name)],
        Submission,
        default_user=history_user,
        default_change_reason="Mở kỳ báo cáo",
    )
    if any(s.pk is None for s in submissions):  # databases that do not return ids from bulk inserts
        submissions = list(Submission.objects.filter(round=round))
    task_reports: list[TaskReport] = []
    indicator_reports: list[IndicatorReport] = []
    for submission in submissions:
        for position, (task, role) in enumerate(scope.tasks.get(submission.agency_id, [])):
            task_reports.append(TaskReport(submission=submission, task=task, role=role, position=position))
        position = 0
        for indicator in scope.indicators.get(submission.agency_id, []):
            for disaggregation in ["", *indicator.disaggregations]:
                indicator_reports.append(
                    IndicatorReport(
                        submission=submission,
                        indicator=indicator,
                        period=parsed.code,
                        disaggregation=disaggregation,
                        unit=indicator.unit,
                        position=position,
                    )
                )
                position += 1
    bulk_create_with_history(
        task_reports, TaskReport, default_user=history_user, default_change_reason="Mở kỳ báo cáo"
    )
    bulk_create_with_history(
        indicator_reports, IndicatorReport, default_user=history_user, default_change_reason="Mở kỳ báo cáo"
    )
    reporters = _reporters_of(s.agency_id for s in submissions)
    for submission in submissions:
        notify.send(
            users=reporters.get(submission.agency_id, []),
            kind=NotificationKind.ROUND_OPENED,
            title=f"Mở kỳ báo cáo {round.period_label}: hạn nộp {due_on:%d/%m/%Y}",
            body=(
                f"Cơ quan đầu mối đã mở kỳ báo cáo {round.period_label} của «{plan.title}». "
                f"{submission.agency.name} cần nộp báo cáo trước ngày {due_on:%d/%m/%Y}."
                + (f"\n\nHướng dẫn: {round.instructions}" if round.instructions else "")
            ),
            url=submission.get_absolute_url(),
            submission=submission,
            round=round,
        )
    return round


@transaction.atomic
def close_round(*, user: Any, round: ReportingRound) -> ReportingRound:
    """Close a round: no more edits or submissions. Submitted reports can still be reviewed."""
    _require_manage(user, round)
    round = ReportingRound.objects.select_for_update().select_related("plan__admin_unit").get(pk=round.pk)
    if round.status == RoundStatus.CLOSED:
        return round
    round.status = RoundStatus.CLOSED
    round.closed_at = timezone.now()
    stamp(round, user=user, reason="Đóng kỳ báo cáo")
    round.save()
    return round


@transaction.atomic
def reopen_round(*, user: Any, round: ReportingRound, reason: str) -> ReportingRound:
    _require_manage(user, round)
    if not reason.strip():
        raise ValidationFailed([Problem("Cần nêu lý do mở lại kỳ báo cáo.", column="Lý do")])
    round = ReportingRound.objects.select_for_update().select_related("plan__admin_unit").get(pk=round.pk)
    round.status = RoundStatus.OPEN
    round.closed_at = None
    stamp(round, user=user, reason=f"Mở lại kỳ báo cáo: {reason.strip()}")
    round.save()
    return round


# ---- validation ----------------------------------------------------------------------------------------------------


def _task_issues(item: TaskReport, data: TaskInput, *, today: dt.date) -> list[Issue]:
    issues: list[Issue] = []

    def bad(name: str, message: str) -> None:
        issues.append(Issue("task", item.pk, name, message))

    if data.status and data.status not in TaskStatus.values:
        bad("status", f"tình trạng «{data.status}» không hợp lệ")
    if data.percent is not None and not 0 <= data.percent <= 100:
        bad("percent", f"tỷ lệ hoàn thành {data.percent} nằm ngoài khoảng 0–100")
    if data.status == TaskStatus.COMPLETED and data.percent is not None and data.percent != 100:
        bad("percent", f"đã chọn «Hoàn thành» thì tỷ lệ phải là 100%, không phải {data.percent}%")
    if data.status == TaskStatus.NOT_STARTED and data.percent not in (None, 0):
        bad("percent", f"đã chọn «Chưa triển khai» thì tỷ lệ phải là 0%, không phải {data.percent}%")
    if data.status != TaskStatus.COMPLETED and data.percent == 100 and data.status:
        bad("status", "tỷ lệ 100% thì tình trạng phải là «Hoàn thành»")
    if data.completed_on is not None:
        if data.status and data.status != TaskStatus.COMPLETED:
            bad("completed_on", "chỉ ghi ngày hoàn thành khi tình trạng là «Hoàn thành»")
        if data.completed_on > today:
            bad("completed_on", f"ngày hoàn thành {data.completed_on:%d/%m/%Y} ở sau ngày hôm nay")
        if data.completed_on.year < 2000:
            bad("completed_on", f"ngày hoàn thành {data.completed_on:%d/%m/%Y} không hợp lý")
    for name in ("narrative", "difficulties", "proposals"):
        text = getattr(data, name)
        if len(text) > TEXT_MAX:
            bad(name, f"nội dung dài {len(text)} ký tự, vượt giới hạn {TEXT_MAX} ký tự")
    return issues


def _indicator_issues(
    item: IndicatorReport, data: IndicatorInput, *, admin_unit: Any, for_submit: bool
) -> list[Issue]:
    issues: list[Issue] = []
    if len(data.data_source) > 500:
        issues.append(Issue("indicator", item.pk, "data_source", "nguồn số liệu dài quá 500 ký tự"))
    if data.value is None:
        return issues
    if not math.isfinite(data.value):
        issues.append(Issue("indicator", item.pk, "value", "giá trị không phải là số hữu hạn"))
        return issues
    check = check_value(
        indicator=item.indicator,
        admin_unit=admin_unit,
        period=item.period,
        value=data.value,
        unit=item.unit,
        disaggregation=item.disaggregation,
        note=data.note,
    )
    for problem in check.problems:
        # a jump from the previous period only needs its explanation when the report is submitted
        if problem.column == "note" and not for_submit:
            continue
        issues.append(Issue("indicator", item.pk, problem.column or "value", problem.message))
    return issues


def _item_label(item: TaskReport | IndicatorReport) -> str:
    if isinstance(item, TaskReport):
        return f"Nhiệm vụ {item.task.code}"
    scope = f" ({item.disaggregation})" if item.disaggregation else ""
    return f"Chỉ tiêu {item.indicator.code}{scope}"


def form_error(
    issues: Sequence[Issue],
    tasks: Mapping[int, TaskReport],
    indicators: Mapping[int, IndicatorReport],
    *,
    heading: str | None = None,
) -> ReportInvalid:
    problems: list[Problem] = []
    fields: dict[str, list[str]] = defaultdict(list)
    if heading:
        problems.append(Problem(heading))
    for issue in issues:
        if issue.kind == "task" and issue.item_id is not None:
            task_item = tasks[issue.item_id]
            problems.append(
                Problem(
                    issue.message,
                    column=TASK_FIELD_LABELS.get(issue.field, issue.field),
                    source=_item_label(task_item),
                )
            )
            fields[f"t-{issue.item_id}-{issue.field}"].append(issue.message)
        elif issue.kind == "indicator" and issue.item_id is not None:
            indicator_item = indicators[issue.item_id]
            problems.append(
                Problem(
                    issue.message,
                    column=INDICATOR_FIELD_LABELS.get(issue.field, issue.field),
                    source=_item_label(indicator_item),
                )
            )
            fields[f"i-{issue.item_id}-{issue.field}"].append(issue.message)
        else:
            problems.append(Problem(issue.message, column=issue.field))
            fields[issue.field].append(issue.message)
    return ReportInvalid(problems, dict(fields))


def report_items(submission: Submission) -> tuple[dict[int, TaskReport], dict[int, IndicatorReport]]:
    tasks = {t.pk: t for t in submission.task_reports.select_related("task").order_by("position", "id")}
    indicators = {
        i.pk: i for i in submission.indicator_reports.select_related("indicator").order_by("position", "id")
    }
    return tasks, indicators


def _task_values(item: TaskReport) -> TaskInput:
    return TaskInput(
        status=item.status,
        percent=item.percent,
        completed_on=item.completed_on,
        narrative=item.narrative,
        difficulties=item.difficulties,
        proposals=item.proposals,
    )


def _indicator_values(item: IndicatorReport) -> IndicatorInput:
    return IndicatorInput(value=item.value, data_source=item.data_source, note=item.note)


def _normalise_task(data: TaskInput) -> TaskInput:
    percent = data.percent
    if data.status == TaskStatus.COMPLETED and percent is None:
        percent = 100
    if data.status == TaskStatus.NOT_STARTED and percent is None:
        percent = 0
    return TaskInput(
        status=data.status,
        percent=percent,
        completed_on=data.completed_on,
        narrative=data.narrative.strip(),
        difficulties=data.difficulties.strip(),
        proposals=data.proposals.strip(),
    )


def _normalise_indicator(data: IndicatorInput) -> IndicatorInput:
    return IndicatorInput(value=data.value, data_source=data.data_source.strip(), note=data.note.strip())


def _is_blank_task(data: TaskInput) -> bool:
    return data == TaskInput()


def _is_blank_indicator(data: IndicatorInput) -> bool:
    return data == IndicatorInput()


def _write_items(
    *,
    user: Any,
    submission: Submission,
    tasks: Mapping[int, TaskReport],
    indicators: Mapping[int, IndicatorReport],
    task_inputs: Mapping[int, TaskInput],
    indicator_inputs: Mapping[int, IndicatorInput],
    reason: str,
) -> dict[str, int]:
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    for item_id, data in task_inputs.items():
        item = tasks[item_id]
        before = _task_values(item)
        if before == data:
            counts["unchanged"] += 1
            continue
        counts["created" if _is_blank_task(before) else "updated"] += 1
        for name, value in data.__dict__.items():
            setattr(item, name, value)
        stamp(item, user=user, reason=reason)
        item.save()
    for item_id, idata in indicator_inputs.items():
        indicator_item = indicators[item_id]
        ibefore = _indicator_values(indicator_item)
        if ibefore == idata:
            counts["unchanged"] += 1
            continue
        counts["created" if _is_blank_indicator(ibefore) else "updated"] += 1
        for name, value in idata.__dict__.items():
            setattr(indicator_item, name, value)
        stamp(indicator_item, user=user, reason=reason)
        indicator_item.save()
    return counts


# ---- agency side: save, submit ---------------------------------------------------------------------------------------


@transaction.atomic
def save_draft(
    *,
    user: Any,
    submission: Submission,
    expected_version: int | None,
    tasks: Mapping[int, TaskInput] | None = None,
    indicators: Mapping[int, IndicatorInput] | None = None,
    summary: str | None = None,
    reason: str = "Lưu nháp",
) -> Submission:
    """Save what the agency has entered so far. Only items of this submission can be written; values are checked
    against the indicator (unit, plausible range); the explanation of a jump is only required on submit."""
    submission = _lock(submission)
    _require_edit(user, submission)
    _check_version(submission, expected_version)
    task_items, indicator_items = report_items(submission)
    task_inputs = {k: _normalise_task(v) for k, v in (tasks or {}).items()}
    indicator_inputs = {k: _normalise_indicator(v) for k, v in (indicators or {}).items()}
    foreign = [k for k in task_inputs if k not in task_items] + [
        k for k in indicator_inputs if k not in indicator_items
    ]
    if foreign:
        raise PermissionDenied("Có mục không thuộc báo cáo này; không lưu gì.")
    today = timezone.localdate()
    issues: list[Issue] = []
    for item_id, data in task_inputs.items():
        issues += _task_issues(task_items[item_id], data, today=today)
    for item_id, idata in indicator_inputs.items():
        issues += _indicator_issues(
            indicator_items[item_id], idata, admin_unit=submission.round.plan.admin_unit, for_submit=False
        )
    if summary is not None and len(summary) > TEXT_MAX:
        issues.append(Issue("submission", None, "summary", f"đánh giá chung vượt giới hạn {TEXT_MAX} ký tự"))
    if issues:
        raise form_error(
            issues, task_items, indicator_items, heading="Chưa lưu được: có dữ liệu không hợp lệ."
        )
    counts = _write_items(
        user=user,
        submission=submission,
        tasks=task_items,
        indicators=indicator_items,
        task_inputs=task_inputs,
        indicator_inputs=indicator_inputs,
        reason=reason,
    )
    summary_changed = summary is not None and summary.strip() != submission.summary
    if summary is not None:
        submission.summary = summary.strip()
    if (
        counts["created"]
        or counts["updated"]
        or summary_changed
        or submission.status == SubmissionStatus.NOT_STARTED
    ):
        if submission.status == SubmissionStatus.NOT_STARTED:
            submission.status = SubmissionStatus.DRAFT
        _bump(submission, user=user, reason=reason)
    return submission


def required_gaps(
    task_items: Iterable[TaskReport], indicator_items: Iterable[IndicatorReport]
) -> list[Issue]:
    """Required fields that are still empty (no database access: works on loaded rows, also for the live form).

    Công văn 3685/VPCP-NN asks for task progress, target achievement and difficulties with proposals
    (../shared/domain/national-strategy.md §3); these are the fields that carry them.
    """
    issues: list[Issue] = []
    for item in task_items:
        if not item.status:
            issues.append(Issue("task", item.pk, "status", "chưa chọn tình trạng"))
            continue
        if item.percent is None and item.status not in (TaskStatus.NOT_STARTED, TaskStatus.NOT_IMPLEMENTED):
            issues.append(Issue("task", item.pk, "percent", "chưa ghi tỷ lệ hoàn thành"))
        if not item.narrative and item.status != TaskStatus.NOT_STARTED:
            issues.append(Issue("task", item.pk, "narrative", "chưa ghi kết quả thực hiện"))
        if item.status in (TaskStatus.BEHIND, TaskStatus.NOT_IMPLEMENTED) and not item.difficulties:
            issues.append(
                Issue(
                    "task",
                    item.pk,
                    "difficulties",
                    "nhiệm vụ chậm hoặc không thực hiện phải nêu khó khăn, vướng mắc",
                )
            )
    for indicator_item in indicator_items:
        if indicator_item.value is None:
            if indicator_item.is_total:
                issues.append(Issue("indicator", indicator_item.pk, "value", "chưa ghi giá trị"))
            continue
        if not indicator_item.data_source:
            issues.append(Issue("indicator", indicator_item.pk, "data_source", "chưa ghi nguồn số liệu"))
    return issues


def missing_items(submission: Submission) -> list[Issue]:
    """Everything that prevents ``submission`` from being submitted: empty required fields, values that fail the
    indicator checks, and jumps from the previous period without an explanation."""
    task_items, indicator_items = report_items(submission)
    today = timezone.localdate()
    issues = required_gaps(task_items.values(), indicator_items.values())
    for item in task_items.values():
        issues += _task_issues(item, _task_values(item), today=today)
    admin_unit = submission.round.plan.admin_unit
    for indicator_item in indicator_items.values():
        if indicator_item.value is not None:
            issues += _indicator_issues(
                indicator_item, _indicator_values(indicator_item), admin_unit=admin_unit, for_submit=True
            )
    return issues


@transaction.atomic
def submit(
    *, user: Any, submission: Submission, expected_version: int | None, now: dt.datetime | None = None
) -> Submission:
    """Submit the report for review. Refused, with the list of what is missing, unless every required field is
    filled. A submission after the due date is marked late (the coordinator can still accept it)."""
    submission = _lock(submission)
    _require_edit(user, submission)
    _check_version(submission, expected_version)
    issues = missing_items(submission)
    if issues:
        task_items, indicator_items = report_items(submission)
        raise form_error(
            issues,
            task_items,
            indicator_items,
            heading=f"Chưa nộp được: còn {len(issues)} mục thiếu hoặc chưa hợp lệ (danh sách dưới đây).",
        )
    now = now or timezone.now()
    round = submission.round
    submission.status = SubmissionStatus.SUBMITTED
    submission.submitted_at = now
    submission.submitted_by = user if getattr(user, "pk", None) else None
    submission.is_late = timezone.localdate(now) > round.due_on
    submission.comments.filter(resolved_at__isnull=True).update(resolved_at=now)
    _bump(submission, user=user, reason="Nộp báo cáo" + (" (sau hạn)" if submission.is_late else ""))
    notify.send(
        users=_coordinators_of(round.plan),
        kind=NotificationKind.SUBMITTED,
        title=f"{submission.agency.name} đã nộp báo cáo {round.period_label}"
        + (" (sau hạn)" if submission.is_late else ""),
        body=f"{submission.agency.name} đã nộp báo cáo kỳ {round.period_label} của «{round.plan.title}».",
        url=submission.get_absolute_url() + "xem-xet/",
        submission=submission,
        round=round,
    )
    return submission


# ---- coordinator side: review ----------------------------------------------------------------------------------------


@transaction.atomic
def return_submission(
    *,
    user: Any,
    submission: Submission,
    general_comment: str = "",
    task_comments: Mapping[int, str] | None = None,
    indicator_comments: Mapping[int, str] | None = None,
    expected_version: int | None = None,
) -> Submission:
    """Send a submitted report back to the agency with comments on specific items (and/or a general comment)."""
    submission = _lock(submission)
    _require_manage(user, submission.round)
    _check_version(submission, expected_version)
    if submission.status != SubmissionStatus.SUBMITTED:
        raise ValidationFailed(
            [Problem(f"Chỉ trả lại được báo cáo đã nộp; báo cáo đang «{submission.get_status_display()}».")]
        )
    task_items, indicator_items = report_items(submission)
    task_comments = {k: v.strip() for k, v in (task_comments or {}).items() if v and v.strip()}
    indicator_comments = {k: v.strip() for k, v in (indicator_comments or {}).items() if v and v.strip()}
    if any(k not in task_items for k in task_comments) or any(
        k not in indicator_items for k in indicator_comments
    ):
        raise PermissionDenied("Có ý kiến gắn với mục không thuộc báo cáo này.")
    general_comment = general_comment.strip()
    if not general_comment and not task_comments and not indicator_comments:
        raise ValidationFailed(
            [Problem("Cần ghi ý kiến (chung hoặc cho từng mục) khi trả lại báo cáo.", column="Ý kiến")]
        )
    author = user if getattr(user, "pk", None) else None
    comments = (
        [ReviewComment(submission=submission, author=author, text=general_comment)] if general_comment else []
    )
    comments += [
        ReviewComment(submission=submission, task_report=task_items[k], author=author, text=v)
        for k, v in task_comments.items()
    ]
    comments += [
        ReviewComment(submission=submission, indicator_report=indicator_items[k], author=author, text=v)
        for k, v in indicator_comments.items()
    ]
    bulk_create_with_history(
        comments, ReviewComment, default_user=author, default_change_reason="Trả lại báo cáo"
    )
    submission.status = SubmissionStatus.RETURNED
    submission.reviewer_comment = general_comment
    submission.reviewed_at = timezone.now()
    submission.reviewed_by = author
    count = len(comments)
    _bump(
        submission,
        user=user,
        reason=f"Trả lại báo cáo ({count} ý kiến)" + (f": {general_comment}" if general_comment else ""),
    )
    item_lines = [f"- {_item_label(task_items[k])}: {v}" for k, v in task_comments.items()]
    item_lines += [f"- {_item_label(indicator_items[k])}: {v}" for k, v in indicator_comments.items()]
    notify.send(
        users=_reporters_of([submission.agency_id]).get(submission.agency_id, []),
        kind=NotificationKind.RETURNED,
        title=f"Báo cáo {submission.round.period_label} bị trả lại để bổ sung",
        body="\n".join(
            [f"Cơ quan đầu mối đã trả lại báo cáo của {submission.agency.name}."]
            + ([f"Ý kiến chung: {general_comment}"] if general_comment else [])
            + (["Ý kiến theo từng mục:", *item_lines] if item_lines else [])
        ),
        url=submission.get_absolute_url(),
        submission=submission,
        round=submission.round,
    )
    return submission


@dataclass(frozen=True)
class OfficialConflict:
    report: IndicatorReport
    official: IndicatorValue


def official_conflicts(submission: Submission) -> list[OfficialConflict]:
    """Reported values that differ from an already approved (locked) official value of the same point."""
    reports = [r for r in submission.indicator_reports.select_related("indicator") if r.value is not None]
    if not reports:
        return []
    unit = submission.round.plan.admin_unit
    existing = {
        (v.indicator_id, v.period, v.disaggregation): v
        for v in IndicatorValue.objects.filter(
            admin_unit=unit,
            indicator_id__in={r.indicator_id for r in reports},
            period__in={r.period for r in reports},
            status=ValueStatus.APPROVED,
        )
    }
    out = []
    for report in reports:
        official = existing.get((report.indicator_id, report.period, report.disaggregation))
        if (
            official is not None
            and official.pk != report.official_value_id
            and official.value != report.value
        ):
            out.append(OfficialConflict(report, official))
    return out


@transaction.atomic
def approve(
    *,
    user: Any,
    submission: Submission,
    expected_version: int | None = None,
    replace_official: bool = False,
    reason: str = "",
    now: dt.datetime | None = None,
) -> Submission:
    """Approve a submitted report: it is locked, and its indicator values become official approved observations
    (``IndicatorValue`` with status approved, through ``xanh.indicators.services.record_value``).

    A value that differs from an already approved official value is refused unless ``replace_official`` is given with
    a written ``reason`` (the old value is unlocked with that reason, then replaced; both steps are audited).
    A late submission can be approved like any other.
    """
    submission = _lock(submission)
    _require_manage(user, submission.round)
    _check_version(submission, expected_version)
    if submission.status != SubmissionStatus.SUBMITTED:
        raise ValidationFailed(
            [Problem(f"Chỉ phê duyệt được báo cáo đã nộp; báo cáo đang «{submission.get_status_display()}».")]
        )
    round = submission.round
    conflicts = official_conflicts(submission)
    if conflicts and not (replace_official and reason.strip()):
        raise ValidationFailed(
            [
                Problem(
                    f"đã có giá trị chính thức {_num(c.official.value)} {c.official.unit} (đã phê duyệt, bị khóa), "
                    f"báo cáo ghi {_num(c.report.value)}. Muốn thay, hãy chọn «thay giá trị chính thức» và ghi lý do.",
                    column="Giá trị",
                    source=_item_label(c.report) + f" kỳ {c.report.period}",
                )
                for c in conflicts
            ]
        )
    approval_reason = f"Phê duyệt báo cáo của {submission.agency.name} kỳ {round.period_label}"
    for conflict in conflicts:
        unlock_value(user=user, value=conflict.official, reason=f"{reason.strip()} ({approval_reason})")
    now = now or timezone.now()
    for report in submission.indicator_reports.select_related("indicator").order_by("position"):
        if report.value is None:
            continue
        official = IndicatorValue.objects.filter(
            indicator=report.indicator,
            admin_unit=round.plan.admin_unit,
            period=report.period,
            disaggregation=report.disaggregation,
        ).first()
        if official is not None and official.is_locked and official.value == report.value:
            value = (
                official  # the same figure is already official (e.g. from an earlier round): keep it as it is
            )
        else:
            value, _outcome = record_value(
                user=user,
                indicator=report.indicator,
                admin_unit=round.plan.admin_unit,
                period=report.period,
                value=report.value,
                agency=submission.agency,
                unit=report.unit,
                disaggregation=report.disaggregation,
                source=ValueSource.REPORT,
                source_detail=report.data_source,
                note=report.note,
                status=ValueStatus.APPROVED,
                reason=approval_reason,
            )
        if report.official_value_id != value.pk:
            report.official_value = value
            stamp(report, user=user, reason=approval_reason)
            report.save(update_fields=["official_value", "updated_at"])
    submission.status = SubmissionStatus.APPROVED
    submission.approved_at = now
    submission.reviewed_at = now
    submission.reviewed_by = user if getattr(user, "pk", None) else None
    submission.comments.filter(resolved_at__isnull=True).update(resolved_at=now)
    _bump(
        submission,
        user=user,
        reason="Phê duyệt" + (" (nộp sau hạn, vẫn chấp nhận)" if submission.is_late else ""),
    )
    notify.send(
        users=_reporters_of([submission.agency_id]).get(submission.agency_id, []),
        kind=NotificationKind.APPROVED,
        title=f"Báo cáo {round.period_label} đã được phê duyệt",
        body=f"Báo cáo của {submission.agency.name} kỳ {round.period_label} đã được phê duyệt; số liệu đã khóa.",
        url=submission.get_absolute_url(),
        submission=submission,
        round=round,
    )
    return submission


@transaction.atomic
def reopen(
    *, user: Any, submission: Submission, reason: str, expected_version: int | None = None
) -> Submission:
    """Reopen an approved report so the agency can correct it. A written reason is required; it is kept in the
    audit trail of the report and of every official value it unlocks."""
    submission = _lock(submission)
    _require_manage(user, submission.round)
    _check_version(submission, expected_version)
    reason = reason.strip()
    if not reason:
        raise ValidationFailed([Problem("Cần ghi lý do mở lại báo cáo đã phê duyệt.", column="Lý do")])
    if submission.status != SubmissionStatus.APPROVED:
        raise ValidationFailed(
            [
                Problem(
                    f"Chỉ mở lại được báo cáo đã phê duyệt; báo cáo đang «{submission.get_status_display()}»."
                )
            ]
        )
    values = IndicatorValue.objects.filter(
        pk__in=submission.indicator_reports.filter(official_value__isnull=False).values("official_value_id"),
        status=ValueStatus.APPROVED,
    ).select_related("admin_unit")
    for value in values:
        unlock_value(user=user, value=value, reason=f"{reason} (mở lại báo cáo của {submission.agency.name})")
    author = user if getattr(user, "pk", None) else None
    comment = ReviewComment(submission=submission, author=author, text=f"Mở lại báo cáo: {reason}")
    stamp(comment, user=user, reason="Mở lại báo cáo")
    comment.save()
    submission.status = SubmissionStatus.RETURNED
    submission.reviewer_comment = f"Mở lại báo cáo: {reason}"
    submission.approved_at = None
    submission.reviewed_at = timezone.now()
    submission.reviewed_by = author
    _bump(submission, user=user, reason=f"Mở lại: {reason}")
    notify.send(
        users=_reporters_of([submission.agency_id]).get(submission.agency_id, []),
        kind=NotificationKind.REOPENED,
        title=f"Báo cáo {submission.round.period_label} được mở lại để điều chỉnh",
        body=f"Cơ quan đầu mối đã mở lại báo cáo đã phê duyệt của {submission.agency.name}. Lý do: {reason}",
        url=submission.get_absolute_url(),
        submission=submission,
        round=submission.round,
    )
    return submission


# ---- reminders ------------------------------------------------------------------------------------------------------


@transaction.atomic
def send_reminders(
    *,
    user: Any,
    round: ReportingRound,
    submissions: Iterable[Submission] | None = None,
    message: str = "",
) -> int:
    """Remind agencies that have not submitted yet (all of them, or the chosen ``submissions``): an in-app
    notification for each of their reporters and an e-mail to them and to the agency's official address.
    Returns the number of agencies reminded."""
    _require_manage(user, round)
    if not round.is_open:
        raise ValidationFailed([Problem("Kỳ báo cáo đã đóng; không gửi nhắc nhở.")])
    pending = round.submissions.filter(status__in=EDITABLE_STATUSES).select_related("agency")
    if submissions is not None:
        chosen = {s.pk for s in submissions}
        if Submission.objects.filter(pk__in=chosen).exclude(round=round).exists():
            raise PermissionDenied("Có báo cáo không thuộc kỳ này.")
        pending = pending.filter(pk__in=chosen)
    pending_list = list(pending)
    reporters = _reporters_of(s.agency_id for s in pending_list)
    today = timezone.localdate()
    days = (round.due_on - today).days
    when = (
        f"Hạn nộp là {round.due_on:%d/%m/%Y} (còn {days} ngày)."
        if days > 0
        else (
            "Hôm nay là hạn nộp."
            if days == 0
            else f"Đã quá hạn nộp {-days} ngày (hạn {round.due_on:%d/%m/%Y})."
        )
    )
    sender = user if getattr(user, "pk", None) else None
    for submission in pending_list:
        users = reporters.get(submission.agency_id, [])
        extra = [submission.agency.email] if submission.agency.email else []
        body = (
            f"Kính gửi {submission.agency.name},\n\nBáo cáo kỳ {round.period_label} của «{round.plan.title}» đang ở "
            f"trạng thái «{submission.get_status_display()}». {when}"
            + (f"\n\n{message.strip()}" if message.strip() else "")
        )
        notify.send(
            users=users,
            kind=NotificationKind.REMINDER,
            title=f"Nhắc nộp báo cáo {round.period_label}: {when}",
            body=body,
            url=submission.get_absolute_url(),
            submission=submission,
            round=round,
            extra_emails=extra,
        )
        reminder = Reminder(
            submission=submission,
            sent_by=sender,
            message=message.strip(),
            recipients=[u.email for u in users if u.email] + extra,
        )
        stamp(reminder, user=user, reason="Gửi nhắc nhở")
        reminder.save()
    return len(pending_list)


# ---- evidence --------------------------------------------------------------------------------------------------------


def evidence_max_bytes() -> int:
    return int(getattr(settings, "XANH_EVIDENCE_MAX_BYTES", settings.XANH_UPLOAD_MAX_BYTES))


@transaction.atomic
def add_evidence(*, user: Any, task_report: TaskReport, filename: str, content: bytes) -> Evidence:
    """Attach an evidence file (PDF, DOCX, XLSX or image; type checked from the content; size limited)."""
    submission = _lock(task_report.submission)
    _require_edit(user, submission)
    task_report = TaskReport.objects.select_related("task").get(pk=task_report.pk, submission=submission)
    name = (filename or "").replace("\\", "/").rsplit("/", 1)[-1].strip()[:200] or "tep"
    try:
        kind = filetypes.check_evidence(name, content, max_bytes=evidence_max_bytes())
    except filetypes.FileTypeError as exc:
        raise ValidationFailed(
            [Problem(str(exc), column="Tệp minh chứng", source=_item_label(task_report))]
        ) from exc
    if task_report.evidence.count() >= MAX_EVIDENCE_PER_TASK:
        raise ValidationFailed(
            [
                Problem(
                    f"mỗi nhiệm vụ có tối đa {MAX_EVIDENCE_PER_TASK} tệp minh chứng",
                    source=_item_label(task_report),
                )
            ]
        )
    digest = hashlib.sha256(content).hexdigest()
    extension = "." + name.rsplit(".", 1)[-1].lower()
    evidence = Evidence(
        task_report=task_report,
        original_name=name,
        kind=kind.code,
        content_type=kind.content_type,
        size=len(content),
        sha256=digest,
        extension=extension,
        uploaded_by=user if getattr(user, "pk", None) else None,
    )
    evidence.file.save(f"evidence{extension}", ContentFile(content), save=False)
    stamp(evidence, user=user, reason=f"Thêm minh chứng «{name}»")
    evidence.save()
    _bump(submission, user=user, reason=f"Thêm minh chứng cho {_item_label(task_report)}")
    return evidence


@transaction.atomic
def remove_evidence(*, user: Any, evidence: Evidence) -> None:
    submission = _lock(evidence.task_report.submission)
    _require_edit(user, submission)
    stamp(evidence, user=user, reason=f"Xóa minh chứng «{evidence.original_name}»")
    stored = evidence.file.name
    evidence.delete()
    # the stored file may be shared by an identical upload elsewhere (same hash): keep it then
    if stored and not Evidence.objects.filter(file=stored).exists():
        transaction.on_commit(lambda: Evidence.file.field.storage.delete(stored))
    _bump(submission, user=user, reason="Xóa minh chứng")


# ---- Excel templates --------------------------------------------------------------------------------------------------


def _secret() -> bytes:
    return ("xanh-reporting-template:" + settings.SECRET_KEY).encode("utf-8")


def template_spec(submission: Submission) -> workbook.TemplateSpec:
    round = submission.round
    tasks = tuple(
        workbook.TaskLine(
            code=t.task.code,
            text=t.task.text,
            role=t.role,
            status=t.status,
            percent=t.percent,
            completed_on=t.completed_on,
            narrative=t.narrative,
            difficulties=t.difficulties,
            proposals=t.proposals,
        )
        for t in submission.task_reports.select_related("task").order_by("position", "id")
    )
    indicators = tuple(
        workbook.IndicatorLine(
            code=i.indicator.code,
            name=i.indicator.name,
            period=i.period,
            disaggregation=i.disaggregation,
            unit=i.unit,
            value=i.value,
            data_source=i.data_source,
            note=i.note,
        )
        for i in submission.indicator_reports.select_related("indicator").order_by("position", "id")
    )
    return workbook.TemplateSpec(
        round_id=round.pk,
        round_label=round.period_label,
        period=round.period,
        plan_title=round.plan.title,
        agency_key=submission.agency.key,
        agency_name=submission.agency.name,
        due_on=round.due_on,
        tasks=tasks,
        indicators=indicators,
        instructions=round.instructions,
    )


def template_filename(submission: Submission) -> str:
    return f"bao-cao-{submission.round.period}-{submission.agency.key}.xlsx"


def generate_template(*, user: Any, submission: Submission) -> bytes:
    """The agency's Excel template for the round, pre-filled with exactly its tasks, indicators and current values."""
    permissions.require(
        can_view_submission(user, submission), "Bạn không có quyền xem báo cáo của cơ quan này."
    )
    return workbook.build_workbook(template_spec(submission), secret=_secret())


def generate_round_templates(*, user: Any, round: ReportingRound) -> bytes:
    """A ZIP with the template of every participating agency (for coordinators who send them by e-mail)."""
    _require_manage(user, round)
    buffer = io.BytesIO()
    submissions = round.submissions.select_related("agency", "round__plan").order_by("agency__name")
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for submission in submissions:
            archive.writestr(
                template_filename(submission),
                workbook.build_workbook(template_spec(submission), secret=_secret()),
            )
    return buffer.getvalue()


@dataclass
class ChangeLine:
    sheet: str
    row: int
    label: str
    outcome: str  # created | updated | unchanged
    changes: list[tuple[str, str, str]] = field(default_factory=list)  # (field label, before, after)


@dataclass
class ImportPreview:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)
    lines: list[ChangeLine] = field(default_factory=list)
    applied: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_summary(self) -> dict[str, Any]:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "errors": len(self.problems),
            "problems": [str(p) for p in self.problems[:500]],
        }


def _show(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, float):
        return _num(value)
    if isinstance(value, dt.date):
        return f"{value:%d/%m/%Y}"
    if value in TaskStatus.values:
        return str(TaskStatus(value).label)
    text = str(value)
    return text if len(text) <= 80 else text[:77] + "…"


def _num(value: float | None) -> str:
    from xanh.core.numbers import format_number_vi

    return format_number_vi(value, 6, strip_zeros=True)


def _diff(before: Any, after: Any, labels: Mapping[str, str]) -> list[tuple[str, str, str]]:
    return [
        (labels[name], _show(getattr(before, name)), _show(getattr(after, name)))
        for name in labels
        if hasattr(before, name) and getattr(before, name) != getattr(after, name)
    ]


def import_template(
    *,
    user: Any,
    submission: Submission,
    content: bytes,
    filename: str = "",
    dry_run: bool = True,
    expected_version: int | None = None,
) -> ImportPreview:
    """Read an uploaded template. With ``dry_run`` nothing is written and the preview lists created / updated /
    unchanged items and every problem with its sheet, row and column. Without it, the changes are applied in one
    transaction, and only if there is no problem at all."""
    with transaction.atomic():
        locked = (
            _lock(submission)
            if not dry_run
            else Submission.objects.select_related("round__plan__admin_unit", "agency").get(pk=submission.pk)
        )
        _require_edit(user, locked)
        if not dry_run:
            _check_version(locked, expected_version)
        preview, parsed = _preview(locked, content, filename)
        if dry_run or not preview.ok:
            return preview
        task_items, indicator_items = report_items(locked)
        task_by_code = {t.task.code: t for t in task_items.values()}
        indicator_by_key = {
            (i.indicator.code, i.period, i.disaggregation): i for i in indicator_items.values()
        }
        _write_items(
            user=user,
            submission=locked,
            tasks=task_items,
            indicators=indicator_items,
            task_inputs={task_by_code[r.code].pk: _task_input(r) for r in parsed.tasks},
            indicator_inputs={indicator_by_key[r.key].pk: _indicator_input(r) for r in parsed.indicators},
            reason=f"Nhập từ mẫu Excel «{filename}»" if filename else "Nhập từ mẫu Excel",
        )
        if preview.created or preview.updated or locked.status == SubmissionStatus.NOT_STARTED:
            if locked.status == SubmissionStatus.NOT_STARTED:
                locked.status = SubmissionStatus.DRAFT
            _bump(locked, user=user, reason="Nhập từ mẫu Excel")
        preview.applied = True
        return preview


def _task_input(row: workbook.TaskValues) -> TaskInput:
    return _normalise_task(
        TaskInput(
            status=row.status or "",
            percent=row.percent,
            completed_on=row.completed_on,
            narrative=row.narrative or "",
            difficulties=row.difficulties or "",
            proposals=row.proposals or "",
        )
    )


def _indicator_input(row: workbook.IndicatorValues) -> IndicatorInput:
    return _normalise_indicator(
        IndicatorInput(value=row.value, data_source=row.data_source or "", note=row.note or "")
    )


def _preview(
    submission: Submission, content: bytes, filename: str
) -> tuple[ImportPreview, workbook.ParsedTemplate]:
    preview = ImportPreview()
    parsed = workbook.ParsedTemplate()
    if filename and not filename.lower().endswith(".xlsx"):
        preview.problems.append(
            Problem(f"tệp «{filename}» không phải .xlsx; hãy tải lên đúng mẫu Excel đã tải về")
        )
        return preview, parsed
    parsed = workbook.read_workbook(content, secret=_secret())
    if parsed.round_id is not None:
        if parsed.round_id != submission.round_id:
            other = ReportingRound.objects.filter(pk=parsed.round_id).first()
            label = (
                f"kỳ {other.period_label}"
                if other is not None and other.plan_id == submission.round.plan_id
                else "kỳ báo cáo khác"
            )
            preview.problems.append(
                Problem(
                    f"mẫu này thuộc {label}, không phải kỳ {submission.round.period_label}; hãy tải mẫu của kỳ này",
                    source=workbook.META_SHEET,
                )
            )
        if parsed.agency_key != submission.agency.key:
            other_agency = Agency.objects.filter(
                admin_unit=submission.agency.admin_unit, key=parsed.agency_key
            ).first()
            name = other_agency.name if other_agency else parsed.agency_key
            preview.problems.append(
                Problem(
                    f"mẫu này của cơ quan «{name}», không phải của {submission.agency.name}",
                    source=workbook.META_SHEET,
                )
            )
        if preview.problems:
            return preview, parsed  # nothing in another agency's or round's file is looked at further
    preview.problems.extend(parsed.problems)
    if parsed.round_id is None:
        return preview, parsed
    task_items, indicator_items = report_items(submission)
    task_by_code = {t.task.code: t for t in task_items.values()}
    indicator_by_key = {(i.indicator.code, i.period, i.disaggregation): i for i in indicator_items.values()}
    today = timezone.localdate()
    admin_unit = submission.round.plan.admin_unit
    for row in parsed.tasks:
        item = task_by_code.get(row.code)
        if item is None:
            preview.problems.append(
                Problem(
                    f"nhiệm vụ «{row.code}» không còn thuộc báo cáo này",
                    row.row,
                    f"{workbook.TASK_COLUMNS[0][0]} (cột A)",
                    workbook.TASK_SHEET,
                )
            )
            continue
        data = _task_input(row)
        for issue in _task_issues(item, data, today=today):
            preview.problems.append(
                _sheet_problem(workbook.TASK_SHEET, row.row, _TASK_COLUMN, workbook.TASK_COLUMNS, issue)
            )
        _count_line(
            preview,
            workbook.TASK_SHEET,
            row.row,
            _item_label(item),
            _task_values(item),
            data,
            TASK_FIELD_LABELS,
        )
    for irow in parsed.indicators:
        indicator_item = indicator_by_key.get(irow.key)
        if indicator_item is None:
            preview.problems.append(
                Problem(
                    f"chỉ tiêu «{irow.code}» không còn thuộc báo cáo này",
                    irow.row,
                    f"{workbook.INDICATOR_COLUMNS[0][0]} (cột A)",
                    workbook.INDICATOR_SHEET,
                )
            )
            continue
        idata = _indicator_input(irow)
        for issue in _indicator_issues(indicator_item, idata, admin_unit=admin_unit, for_submit=False):
            preview.problems.append(
                _sheet_problem(
                    workbook.INDICATOR_SHEET, irow.row, _INDICATOR_COLUMN, workbook.INDICATOR_COLUMNS, issue
                )
            )
        _count_line(
            preview,
            workbook.INDICATOR_SHEET,
            irow.row,
            _item_label(indicator_item),
            _indicator_values(indicator_item),
            idata,
            {k: v for k, v in INDICATOR_FIELD_LABELS.items() if k in {"value", "data_source", "note"}},
        )
    return preview, parsed


def _sheet_problem(
    sheet: str,
    row: int,
    columns: Mapping[str, int],
    headers: Sequence[tuple[str, int, bool]],
    issue: Issue,
) -> Problem:
    index = columns.get(issue.field, 0)
    letter = chr(ord("A") + index)
    return Problem(issue.message, row, f"{headers[index][0]} (cột {letter})", sheet)


def _count_line(
    preview: ImportPreview,
    sheet: str,
    row: int,
    label: str,
    before: Any,
    after: Any,
    labels: Mapping[str, str],
) -> None:
    if before == after:
        preview.unchanged += 1
        preview.lines.append(ChangeLine(sheet, row, label, "unchanged"))
        return
    blank = _is_blank_task(before) if isinstance(before, TaskInput) else _is_blank_indicator(before)
    outcome = "created" if blank else "updated"
    if outcome == "created":
        preview.created += 1
    else:
        preview.updated += 1
    preview.lines.append(ChangeLine(sheet, row, label, outcome, _diff(before, after, labels)))


@transaction.atomic
def preview_upload(
    *, user: Any, submission: Submission, content: bytes, filename: str
) -> tuple[TemplateUpload, ImportPreview]:
    """Keep an uploaded template and its dry-run preview until the person applies or discards it."""
    preview = import_template(
        user=user, submission=submission, content=content, filename=filename, dry_run=True
    )
    upload = TemplateUpload(
        submission=submission,
        content=content,
        filename=filename[:255],
        sha256=hashlib.sha256(content).hexdigest(),
        base_version=Submission.objects.values_list("version", flat=True).get(pk=submission.pk),
        summary=preview.as_summary(),
        uploaded_by=user if getattr(user, "pk", None) else None,
    )
    stamp(upload, user=user, reason="Tải lên mẫu Excel (xem trước)")
    upload.save()
    return upload, preview


@transaction.atomic
def apply_upload(*, user: Any, upload: TemplateUpload) -> ImportPreview:
    """Apply a previewed upload atomically. Refused if the report changed since the preview (optimistic locking)."""
    upload = TemplateUpload.objects.select_for_update().select_related("submission").get(pk=upload.pk)
    if upload.status != UploadStatus.PREVIEWED:
        raise ValidationFailed([Problem("Tệp này đã được xử lý rồi; hãy tải lên lại nếu cần.")])
    preview = import_template(
        user=user,
        submission=upload.submission,
        content=bytes(upload.content),
        filename=upload.filename,
        dry_run=False,
        expected_version=upload.base_version,
    )
    if not preview.applied:
        raise ValidationFailed(preview.problems)
    upload.status = UploadStatus.APPLIED
    upload.summary = preview.as_summary()
    stamp(upload, user=user, reason="Áp dụng mẫu Excel")
    upload.save()
    return preview


@transaction.atomic
def discard_upload(*, user: Any, upload: TemplateUpload) -> None:
    upload = (
        TemplateUpload.objects.select_for_update()
        .select_related("submission__round__plan", "submission__agency")
        .get(pk=upload.pk)
    )
    permissions.require(
        can_view_submission(user, upload.submission)
        and permissions.acts_for_agency(user, upload.submission.agency)
    )
    if upload.status == UploadStatus.PREVIEWED:
        upload.status = UploadStatus.DISCARDED
        upload.content = b""
        stamp(upload, user=user, reason="Hủy tệp tải lên")
        upload.save()


# ---- notifications (reader side) ------------------------------------------------------------------------------------


def mark_notifications_read(*, user: Any, ids: Iterable[int] | None = None) -> int:
    from xanh.reporting.models import Notification

    qs = Notification.objects.filter(recipient_id=getattr(user, "pk", None), read_at__isnull=True)
    if ids is not None:
        qs = qs.filter(pk__in=list(ids))
    return qs.update(read_at=timezone.now())


# ---- read interface for evaluation and synthesis reports -------------------------------------------------------------


def latest_task_status(task: Task) -> tuple[str, int | None, TaskReport] | None:
    """The most recent approved report on ``task``: (status code, percent, report), or None if never reported.

    "Most recent" is the round with the latest period end (year, then period code), then the latest approval; the lead
    agency's report wins over a coordinating agency's in the same round.
    """
    report = (
        TaskReport.objects.filter(task=task, submission__status=SubmissionStatus.APPROVED)
        .exclude(status="")
        .select_related("submission__round", "submission__agency")
        .order_by("-submission__round__year", "-submission__round__due_on", "-submission__approved_at")
    )
    candidates = list(report[:20])
    if not candidates:
        return None
    newest_round = candidates[0].submission.round_id
    same_round = [r for r in candidates if r.submission.round_id == newest_round]
    chosen = next((r for r in same_round if r.role == AssignmentRole.LEAD), same_round[0])
    return chosen.status, chosen.percent, chosen


def agency_compliance(plan: Plan, *, today: dt.date | None = None) -> dict[int, dict[str, Any]]:
    """Reporting discipline per agency over the plan's rounds.

    For each agency id: ``rounds`` — rounds it took part in that are due (due date passed or round closed) or that it
    has already submitted; ``on_time`` — of those, submitted by the due date; ``complete`` — approved; ``share`` —
    on_time / rounds (0.0 when there is no due round yet).
    """
    today = today or timezone.localdate()
    out: dict[int, dict[str, Any]] = {}
    rows = Submission.objects.filter(round__plan=plan).values_list(
        "agency_id", "status", "is_late", "round__due_on", "round__status", "submitted_at"
    )
    for agency_id, status, is_late, due_on, round_status, submitted_at in rows:
        stats = out.setdefault(agency_id, {"rounds": 0, "on_time": 0, "complete": 0, "share": 0.0})
        has_submitted = submitted_at is not None
        counts = due_on < today or round_status == RoundStatus.CLOSED or has_submitted
        if not counts:
            continue
        stats["rounds"] += 1
        if has_submitted and not is_late:
            stats["on_time"] += 1
        if status == SubmissionStatus.APPROVED:
            stats["complete"] += 1
    for stats in out.values():
        stats["share"] = stats["on_time"] / stats["rounds"] if stats["rounds"] else 0.0
    return out


def approved_narratives(plan: Plan, period: str) -> list[tuple[Task, TaskReport]]:
    """(task, report) pairs of the approved reports of ``plan`` for ``period`` (the round's period code), in plan
    order, lead agency first: the narratives, difficulties and proposals for the synthesis report."""
    code = parse_period(period).code
    reports = (
        TaskReport.objects.filter(
            submission__round__plan=plan,
            submission__round__period=code,
            submission__status=SubmissionStatus.APPROVED,
        )
        .select_related("task", "task__section", "submission__agency")
        .order_by("task__position", "task_id", "role", "submission__agency__name")
    )
    # "coordinating" sorts before "lead" alphabetically: put the lead first explicitly
    ordered = sorted(reports, key=lambda r: (r.task.position, r.task_id, r.role != AssignmentRole.LEAD))
    return [(r.task, r) for r in ordered]
