"""Read the facts of a synthesis report from the database (read-only).

Statuses come from the evaluation service (``xanh.evaluation.services.plan_evaluation_summary``) when it is
installed; otherwise they are computed here with the same pure methods (``xanh.evaluation.methods``) from the approved
indicator values, so the report never shows a status that the engine did not compute. Narratives, difficulties and
proposals come from the approved task reports (``xanh.reporting.services.approved_narratives``).
"""

from __future__ import annotations

import datetime as dt
import importlib
import logging
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db.models import Prefetch
from django.utils import timezone

from xanh.agencies.models import Agency
from xanh.core.errors import Problem, ValidationFailed
from xanh.indicators.models import IndicatorValue, ValueStatus
from xanh.indicators.periods import Period, parse_period
from xanh.plans.models import (
    AssignmentRole,
    Pillar,
    Plan,
    Target,
    TargetComponent,
    TargetKind,
    Task,
    TaskAssignment,
)
from xanh.reports.content import ReportKind
from xanh.reports.facts import (
    AgencyReportFacts,
    ComplianceFacts,
    DocumentFacts,
    OverrideFacts,
    PartFacts,
    PlanFacts,
    TargetFacts,
    TaskFacts,
)
from xanh.reports.vietnamese import clean, lower_first, place_name, short_date

logger = logging.getLogger(__name__)

Progress = Callable[[int, str], None]

#: national consolidator of provincial green-growth reports: MPI until 28/02/2025, then the Ministry of Finance
#: (../shared/domain/national-strategy.md §3 and agencies.md: MPI merged into MOF from 1/3/2025, NQ 176/2025/QH15).
MOF_FROM = dt.date(2025, 3, 1)


def _noop(percent: int, message: str) -> None:
    return None


def national_recipient(on: dt.date) -> str:
    return "Bộ Tài chính" if on >= MOF_FROM else "Bộ Kế hoạch và Đầu tư"


def parse_report_period(plan: Plan, period: str) -> Period:
    """The report period, checked against the plan's period; Vietnamese errors name the field."""
    try:
        parsed = parse_period(period)
    except ValueError as exc:
        raise ValidationFailed([Problem(str(exc), column="kỳ báo cáo")]) from exc
    if not plan.period_start <= parsed.year <= plan.period_end:
        raise ValidationFailed(
            [
                Problem(
                    f"Kỳ {parsed.code} nằm ngoài giai đoạn của kế hoạch ({plan.period_start}–{plan.period_end}).",
                    column="kỳ báo cáo",
                )
            ]
        )
    return parsed


def period_phrase(period: Period) -> str:
    return lower_first(period.label_vi)


# --- agencies and units ---------------------------------------------------------------------------------------


def agency_name(agency: Agency, on: dt.date) -> str:
    """The agency as the plan named it, with the body that does its work now ("Sở KH&ĐT (nay là Sở Tài chính)")."""
    current = agency.current(on)
    if current.pk != agency.pk:
        return f"{agency.name} (nay là {current.name})"
    return agency.name


def _issuer_and_notes(plan: Plan, on: dt.date) -> tuple[str, str, str, list[str]]:
    """(issuer, unit display name, place, notes). A plan of a unit merged in 2025 is reported by its successor."""
    unit = plan.admin_unit
    notes: list[str] = []
    issuer = plan.document.issuer if plan.document_id and plan.document and plan.document.issuer else ""
    current = unit
    for _hop in range(
        5
    ):  # successor chains are short (admin-units-2025.md); the bound guards against bad data
        if current.valid_to is not None and current.valid_to < on and current.successor_id:
            current = current.successor  # type: ignore[assignment]
        else:
            break
    if current.pk != unit.pk:
        notes.append(
            f"Kế hoạch do {unit.display_name} ban hành; từ {short_date(unit.valid_to + dt.timedelta(days=1))} "  # type: ignore[operator]
            f"địa bàn thuộc {current.display_name}, nên báo cáo do {current.display_name} ban hành"
        )
        issuer = ""
    if not issuer:
        issuer = f"Ủy ban nhân dân {lower_first(_display(current))}"
    return issuer, _display(current), place_name(current.name), notes


def _display(unit: Any) -> str:
    name: str = unit.display_name
    return name.split(" (")[0] if name.endswith(")") else name


# --- targets --------------------------------------------------------------------------------------------------


@dataclass
class _Assessed:
    targets: list[TargetFacts]
    source: str
    method_label: str


def _methods() -> Any | None:
    try:
        return importlib.import_module("xanh.evaluation.methods")
    except ImportError:  # pragma: no cover - the engine is part of the product; guard for partial installs
        return None


def _yearly_values(
    plan: Plan, indicator_ids: set[int], year: int
) -> dict[tuple[int, str], list[IndicatorValue]]:
    values: dict[tuple[int, str], list[IndicatorValue]] = defaultdict(list)
    if not indicator_ids:
        return values
    rows = (
        IndicatorValue.objects.filter(
            indicator_id__in=indicator_ids,
            admin_unit=plan.admin_unit,
            status=ValueStatus.APPROVED,
            year__lte=year,
        )
        .only("indicator_id", "period", "year", "disaggregation", "value", "source_detail", "unit")
        .order_by("year")
    )
    for row in rows:
        if row.period == str(row.year):  # yearly values only; sub-annual values are not a yearly series
            values[(row.indicator_id, row.disaggregation)].append(row)
    return values


_COMPARATORS = {">=", ">", "<=", "<", "=", "approx", "range"}


def _spec(
    methods: Any, target: Target, component: TargetComponent | None, plan: Plan, tasks: tuple[Any, ...]
) -> Any:
    m = methods
    if target.kind == TargetKind.MILESTONE:
        kind = m.TargetKind.MILESTONE
    elif component is not None and component.value_kind == "annual_rate":
        kind = m.TargetKind.ANNUAL_RATE
    else:
        kind = m.TargetKind.LEVEL
    if component is None:
        return m.TargetSpec(kind=kind, year=target.year, start_year=plan.period_start, tasks=tasks)
    comparator = m.Comparator(component.comparator) if component.comparator in _COMPARATORS else None
    direction = {"increase": m.Direction.INCREASE, "decrease": m.Direction.DECREASE}.get(component.direction)
    baseline = (
        m.Baseline(component.baseline_value, component.baseline_year)
        if component.baseline_value is not None and component.baseline_year is not None
        else None
    )
    return m.TargetSpec(
        kind=kind,
        value=component.value,
        low=component.low,
        high=component.high,
        unit=component.unit,
        comparator=comparator,
        direction=direction,
        year=component.year or target.year,
        baseline=baseline,
        limit=component.limit,
        start_year=plan.period_start,
        tasks=tasks,
        label=component.subject or component.scope,
    )


_TASK_PROGRESS = {
    "completed": "completed",
    "in_progress": "in_progress",
    "behind_schedule": "behind",
    # "không thực hiện" is further from completion than "chậm tiến độ"; the engine's nearest state is "behind"
    "not_implemented": "behind",
    "not_started": "not_started",
}


def _part_name(component: TargetComponent, siblings: int) -> str:
    name = component.subject or component.scope
    if not name and siblings > 1:
        return "chung"
    return name


def assess_with_methods(
    plan: Plan,
    targets: Sequence[Target],
    year: int,
    task_status: dict[int, tuple[str, int | None]],
    progress: Progress,
) -> _Assessed:
    """Compute every target's status with the pure engine over the approved yearly values up to ``year``."""
    m = _methods()
    if m is None:  # pragma: no cover
        raise ValidationFailed([Problem("Chưa cài đặt bộ máy đánh giá (xanh.evaluation.methods).")])
    method_name = m.DEFAULT_METHOD
    method = m.METHODS[method_name]
    indicator_ids: set[int] = set()
    for target in targets:
        if target.indicator_id:
            indicator_ids.add(target.indicator_id)
        for component in target.components.all():
            if component.indicator_id:
                indicator_ids.add(component.indicator_id)
    values = _yearly_values(plan, indicator_ids, year)
    overrides = active_overrides([t.pk for t in targets])
    pillar_labels = dict(Pillar.choices)
    result: list[TargetFacts] = []
    for index, target in enumerate(targets):
        progress(10 + int(30 * index / max(len(targets), 1)), f"Đang đánh giá {target.code}")
        chosen = target.method if target.method in m.METHODS else method_name
        engine = m.METHODS[chosen]
        components = list(target.components.all())
        states = tuple(
            m.TaskState(m.TaskProgress(_TASK_PROGRESS[status]), code=task.code)
            for task in target.tasks.all()
            if (status := task_status.get(task.pk, ("", None))[0]) in _TASK_PROGRESS
        )
        parts: list[tuple[str, Any, PartFacts]] = []
        for component in components or [None]:
            spec = _spec(m, target, component, plan, states)
            indicator_id = (component.indicator_id if component else None) or target.indicator_id
            scope = component.scope if component else ""
            rows = values.get((indicator_id, scope), []) if indicator_id else []
            observations = [m.Observation(r.year, r.value) for r in rows]
            try:
                assessment = engine.assess(spec, observations, as_of=year)
            except m.EvaluationInputError as exc:
                logger.warning("target %s of plan %s cannot be evaluated: %s", target.code, plan.pk, exc)
                assessment = m.Assessment(
                    m.Status.INSUFFICIENT_DATA, None, engine.name, engine.version, m.Components(), (str(exc),)
                )
            name = _part_name(component, len(components)) if component else ""
            parts.append((name, assessment, _part_facts(m, name, component, target, assessment, rows)))
        if len(parts) == 1:
            overall = parts[0][1]
        else:
            overall = m.combine_parts(
                [(n, a) for n, a, _ in parts], method=engine.name, version=engine.version
            )
        result.append(
            TargetFacts(
                code=target.code,
                text=target.text,
                pillar=target.pillar,
                pillar_label=pillar_labels.get(target.pillar, target.pillar),
                number=target.number,
                kind=target.kind,
                year=target.year,
                status=overall.status.value,
                status_label=overall.label,
                score=overall.score,
                explanation=(m.explain(overall), *overall.notes),
                parts=tuple(p for _, _, p in parts) if components else (),
                method=engine.name,
                task_codes=tuple(t.code for t in target.tasks.all()),
                override=overrides.get(target.pk),
            )
        )
    return _Assessed(result, "methods", method.title)


def active_overrides(target_ids: Sequence[int]) -> dict[int, OverrideFacts]:
    """Statuses a coordinator set by hand (the evaluation app's ``StatusOverride``), by target id."""
    try:
        model = apps.get_model("evaluation", "StatusOverride")
    except LookupError:
        return {}
    labels = dict(model._meta.get_field("status").choices)
    rows = model._default_manager.filter(target_id__in=target_ids, revoked_at__isnull=True).select_related(
        "created_by"
    )
    out: dict[int, OverrideFacts] = {}
    for row in rows:
        user = row.created_by
        out[row.target_id] = OverrideFacts(
            status=row.status,
            status_label=str(labels.get(row.status, row.status)),
            justification=row.justification,
            by=(user.get_full_name() or user.username) if user else "",
            on=timezone.localdate(row.created_at).isoformat() if row.created_at else "",
        )
    return out


def _part_facts(
    m: Any, name: str, component: TargetComponent | None, target: Target, a: Any, rows: list[IndicatorValue]
) -> PartFacts:
    c = a.components
    unit = component.unit if component else ""
    if component is not None:
        target_text = component.display_value
        if component.value_kind == "annual_rate" and component.direction in ("increase", "decrease"):
            verb = "giảm" if component.direction == "decrease" else "tăng"
            target_text = f"{verb} {target_text} bình quân"
    else:
        target_text = "hoàn thành" if target.kind == TargetKind.MILESTONE else "—"
    level_unit = rows[-1].unit if rows and rows[-1].unit else (unit if not unit.endswith("/năm") else "")
    return PartFacts(
        name=name,
        target_text=target_text,
        unit=unit,
        kind=c.kind,
        target_value=component.value if component else None,
        target_low=component.low if component else None,
        target_high=component.high if component else None,
        target_year=(component.year if component else None) or target.year,
        baseline=c.base_value,
        baseline_year=c.base_year,
        latest=c.latest_value,
        latest_year=c.latest_year,
        status=a.status.value,
        status_label=a.label,
        score=a.score,
        explanation=m.explain(a),
        series=tuple((r.year, r.value) for r in rows),
        sources=tuple(dict.fromkeys(r.source_detail for r in rows if r.source_detail)),
        decreasing=(component.direction == "decrease") if component else False,
        level_unit=level_unit,
        components=c.to_dict(),
    )


# --- the evaluation service (helper of the evaluation app), when installed -------------------------------------


def _service_summary() -> Callable[..., Any] | None:
    try:
        module = importlib.import_module("xanh.evaluation.services")
    except ImportError:
        return None
    return getattr(module, "plan_evaluation_summary", None)


def assess_targets(
    plan: Plan,
    targets: Sequence[Target],
    year: int,
    task_status: dict[int, tuple[str, int | None]],
    progress: Progress,
) -> _Assessed:
    summary = _service_summary()
    if summary is not None:
        from xanh.reports import evaluation_adapter

        try:
            adapted = evaluation_adapter.from_summary(summary(plan, year), targets)
        except evaluation_adapter.UnsupportedSummary as exc:
            logger.warning("evaluation summary not usable for reports (%s); using the pure methods", exc)
        else:
            progress(40, "Đã lấy kết quả đánh giá")
            return _Assessed(adapted.targets, "service", adapted.method_label)
    return assess_with_methods(plan, targets, year, task_status, progress)


# --- tasks and reports ----------------------------------------------------------------------------------------


def _reporting() -> Any | None:
    try:
        return importlib.import_module("xanh.reporting.services")
    except ImportError:
        return None


def latest_task_states(plan: Plan, year: int) -> dict[int, tuple[str, int | None, str]]:
    """task id -> (status, percent, status label) from the latest approved report in a round up to ``year``.

    Same rule as ``reporting.services.latest_task_status`` (latest round, lead agency first), read for every task of
    the plan in one query and limited to the report's period, so a 2025 report does not show a 2026 status.
    """
    try:
        from xanh.reporting.models import SubmissionStatus, TaskReport, TaskStatus
    except ImportError:  # pragma: no cover
        return {}
    labels = dict(TaskStatus.choices)
    rows = (
        TaskReport.objects.filter(
            task__plan=plan, submission__status=SubmissionStatus.APPROVED, submission__round__year__lte=year
        )
        .exclude(status="")
        .values_list(
            "task_id",
            "status",
            "percent",
            "role",
            "submission__round_id",
            "submission__round__year",
            "submission__round__due_on",
            "submission__approved_at",
        )
    )
    best: dict[int, tuple[tuple[Any, ...], tuple[str, int | None, str]]] = {}
    for task_id, status, percent, role, _round_id, round_year, due_on, approved_at in rows:
        key = (
            round_year,
            due_on,
            role == AssignmentRole.LEAD,
            approved_at or dt.datetime.min.replace(tzinfo=dt.UTC),
        )
        if task_id not in best or key > best[task_id][0]:
            best[task_id] = (key, (status, percent, str(labels.get(status, status))))
    return {task_id: value for task_id, (_key, value) in best.items()}


def _round_periods(plan: Plan, period: Period, kind: ReportKind) -> list[str]:
    from xanh.reporting.models import ReportingRound

    if kind is ReportKind.ANNUAL:
        return [period.code]
    return list(
        ReportingRound.objects.filter(plan=plan, year__gte=plan.period_start, year__lte=period.year)
        .order_by("year", "opens_on")
        .values_list("period", flat=True)
    )


def agency_reports(
    plan: Plan, period: Period, kind: ReportKind, on: dt.date
) -> dict[int, list[AgencyReportFacts]]:
    """task id -> what agencies reported on it in the approved reports of the period (all rounds of the review
    period for a mid-term or final review)."""
    reporting = _reporting()
    if reporting is None or not hasattr(reporting, "approved_narratives"):
        return {}
    from xanh.reporting.models import TaskStatus

    labels = dict(TaskStatus.choices)
    out: dict[int, list[AgencyReportFacts]] = defaultdict(list)
    for code in _round_periods(plan, period, kind):
        for task, report in reporting.approved_narratives(plan, code):
            out[task.pk].append(
                AgencyReportFacts(
                    agency=agency_name(report.submission.agency, on),
                    role=report.role,
                    period=code,
                    status=report.status,
                    status_label=str(labels.get(report.status, "")) if report.status else "",
                    percent=report.percent,
                    narrative=report.narrative,
                    difficulties=report.difficulties,
                    proposals=report.proposals,
                )
            )
    return out


def compliance(plan: Plan, period: Period) -> ComplianceFacts | None:
    try:
        from xanh.reporting.models import ReportingRound, SubmissionStatus
    except ImportError:  # pragma: no cover
        return None
    round_ = ReportingRound.objects.filter(plan=plan, period=period.code).first()
    if round_ is None:
        return None
    statuses = list(round_.submissions.values_list("status", "is_late"))
    count = lambda *wanted: sum(1 for s, _late in statuses if s in wanted)  # noqa: E731
    return ComplianceFacts(
        expected=len(statuses),
        approved=count(SubmissionStatus.APPROVED),
        submitted=count(SubmissionStatus.SUBMITTED),
        returned=count(SubmissionStatus.RETURNED),
        not_submitted=count(SubmissionStatus.NOT_STARTED, SubmissionStatus.DRAFT),
        late=sum(1 for _s, late in statuses if late),
        due_on=round_.due_on.isoformat(),
    )


def _section_titles(plan: Plan) -> dict[int, tuple[str, str]]:
    return {s.pk: (s.code, s.heading) for s in plan.sections.all()}


def task_facts(
    plan: Plan,
    tasks: Iterable[Task],
    states: dict[int, tuple[str, int | None, str]],
    reports: dict[int, list[AgencyReportFacts]],
    on: dt.date,
) -> list[TaskFacts]:
    sections = _section_titles(plan)
    out = []
    for task in tasks:
        code, heading = sections.get(task.section_id or 0, ("", ""))
        lead = [agency_name(a.agency, on) for a in task.assignments.all() if a.role == AssignmentRole.LEAD]
        coordinating = [
            agency_name(a.agency, on) for a in task.assignments.all() if a.role == AssignmentRole.COORDINATING
        ]
        status, percent, label = states.get(task.pk, ("", None, ""))
        out.append(
            TaskFacts(
                code=task.code,
                text=task.text,
                group_code=code,
                group_title=heading,
                lead=tuple(lead),
                coordinating=tuple(coordinating),
                deadline=task.deadline,
                status=status,
                status_label=label,
                percent=percent,
                reports=tuple(reports.get(task.pk, ())),
                target_codes=tuple(t.code for t in task.targets.all()),
            )
        )
    return out


# --- everything -----------------------------------------------------------------------------------------------


def collect_facts(
    plan: Plan,
    period: str,
    *,
    kind: ReportKind = ReportKind.ANNUAL,
    issued_on: dt.date | None = None,
    progress: Progress | None = None,
) -> PlanFacts:
    progress = progress or _noop
    issued_on = issued_on or timezone.localdate()
    parsed = parse_report_period(plan, period)
    progress(5, "Đang đọc dữ liệu kế hoạch")
    plan = Plan.objects.select_related(
        "admin_unit", "admin_unit__successor", "document", "coordinator_agency"
    ).get(pk=plan.pk)
    targets = list(
        plan.targets.select_related("indicator")
        .prefetch_related(
            Prefetch("components", queryset=TargetComponent.objects.order_by("position")),
            Prefetch("tasks", queryset=Task.objects.only("id", "code", "plan_id")),
        )
        .order_by("position", "id")
    )
    tasks = list(
        plan.tasks.prefetch_related(
            Prefetch(
                "assignments",
                queryset=TaskAssignment.objects.select_related("agency", "agency__successor").order_by(
                    "role", "id"
                ),
            ),
            Prefetch("targets", queryset=Target.objects.only("id", "code", "plan_id")),
        ).order_by("position", "id")
    )
    states = latest_task_states(plan, parsed.year)
    progress(10, "Đang đánh giá các mục tiêu, chỉ tiêu")
    assessed = assess_targets(
        plan, targets, parsed.year, {k: (v[0], v[1]) for k, v in states.items()}, progress
    )
    progress(45, "Đang tổng hợp báo cáo của các cơ quan")
    reports = agency_reports(plan, parsed, kind, issued_on)
    issuer, unit_name, place, notes = _issuer_and_notes(plan, issued_on)
    document = None
    if plan.document is not None:
        document = DocumentFacts(
            kind=plan.document.kind,
            number=plan.document.number,
            issued_on=plan.document.issued_on.isoformat() if plan.document.issued_on else "",
            issuer=plan.document.issuer,
        )
    coordinator = agency_name(plan.coordinator_agency, issued_on) if plan.coordinator_agency else ""
    pillars = tuple((code, str(label)) for code, label in Pillar.choices)
    return PlanFacts(
        plan_id=plan.pk,
        title=plan.title,
        unit_name=unit_name,
        place=place,
        issuer=issuer,
        period=parsed.code,
        period_label=period_phrase(parsed),
        year=parsed.year,
        period_start=plan.period_start,
        period_end=plan.period_end,
        kind=kind,
        issued_on=issued_on.isoformat(),
        is_demo=plan.is_demo,
        document=document,
        coordinator_agency=coordinator,
        pillars=pillars,
        targets=tuple(assessed.targets),
        tasks=tuple(task_facts(plan, tasks, states, reports, issued_on)),
        compliance=compliance(plan, parsed),
        recipient=national_recipient(issued_on),
        evaluation_source=assessed.source,
        evaluation_method=assessed.method_label,
        data_notes=tuple(clean(n) for n in notes),
    )


__all__ = ["OverrideFacts", "collect_facts", "parse_report_period"]
