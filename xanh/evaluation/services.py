"""Evaluation services: evaluate a plan from its official data, override a status, and read the results.

``evaluate_plan`` is the only writer of ``EvaluationRun``/``Assessment``; ``override_status`` and
``revoke_override`` the only writers of ``StatusOverride``. ``plan_evaluation_summary`` is the read API for
dashboards and for the synthesis report builders (``xanh.reports``).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from xanh.accounts import permissions
from xanh.core.errors import Problem, ValidationFailed
from xanh.core.text import fold
from xanh.evaluation import sources
from xanh.evaluation.methods import (
    DEFAULT_METHOD,
    METHODS,
    STATUS_LABELS,
    Assessment,
    Baseline,
    Comparator,
    Compliance,
    Components,
    Direction,
    EvaluationInputError,
    Observation,
    Rollup,
    Status,
    TargetKind,
    TargetSpec,
    TaskState,
    combine_parts,
    compliance,
    explain,
    explain_lines,
    rollup,
)
from xanh.evaluation.methods.common import STATUS_SCORES
from xanh.evaluation.methods.explain import describe_target, explain_inputs
from xanh.evaluation.models import Assessment as AssessmentRow
from xanh.evaluation.models import EvaluationRun, StatusOverride
from xanh.indicators.models import IndicatorValue
from xanh.plans.models import AssignmentRole, Pillar, Plan, Target, TargetComponent, TaskAssignment

#: Minimum length of an override justification: a sentence, not "ok".
MIN_JUSTIFICATION = 20
NO_AGENCY = "Chưa phân công cơ quan chủ trì"

_COMPARATORS = {c.value: c for c in Comparator}


# --- reading the data ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ObservationPoint:
    """One official value used by an assessment, with where it came from (for the data table with sources)."""

    year: int
    value: float
    unit: str = ""
    source: str = ""
    source_detail: str = ""
    agency: str = ""
    admin_unit: str = ""
    disaggregation: str = ""
    approved_at: str = ""

    def as_json(self) -> dict[str, Any]:
        return {
            "year": self.year,
            "value": self.value,
            "unit": self.unit,
            "source": self.source,
            "source_detail": self.source_detail,
            "agency": self.agency,
            "admin_unit": self.admin_unit,
            "disaggregation": self.disaggregation,
            "approved_at": self.approved_at,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ObservationPoint:
        return cls(**{k: data[k] for k in cls.__dataclass_fields__ if k in data})


def _scope_key(text: str) -> str:
    """Disaggregations are stored as written ("thành thị") or as "dimension=value"; compare on the folded value."""
    return fold(text.rsplit("=", 1)[-1]) if text else ""


def plan_units(plan: Plan) -> list[Any]:
    """The plan's unit first, then the units merged into it (2025 reform): their data before the merger count for
    years the plan's own unit has no value."""
    unit = plan.admin_unit
    lineage = unit.lineage()
    return [unit] + [u for u in lineage if u.pk != unit.pk]


def read_observations(
    plan: Plan, indicator_ids: Iterable[int], *, as_of: int
) -> dict[tuple[int, str], list[ObservationPoint]]:
    """Official (approved) yearly values of the indicators for the plan's unit and its predecessors, keyed by
    (indicator id, folded disaggregation). One query. For each year the plan's own unit wins; a predecessor's value
    is used only when exactly one predecessor reported that year (shares cannot be added up)."""
    ids = sorted(set(indicator_ids))
    if not ids:
        return {}
    units = plan_units(plan)
    own = units[0].pk
    rows = (
        IndicatorValue.objects.official()
        .filter(indicator_id__in=ids, admin_unit__in=units, year__lte=as_of)
        .select_related("agency", "admin_unit")
        .order_by("indicator_id", "year", "id")
    )
    by_key: dict[tuple[int, str], dict[int, list[IndicatorValue]]] = defaultdict(lambda: defaultdict(list))
    for row in rows:
        if row.period != str(row.year):
            continue  # quarterly or monthly values are not yearly observations
        by_key[(row.indicator_id, _scope_key(row.disaggregation))][row.year].append(row)
    result: dict[tuple[int, str], list[ObservationPoint]] = {}
    for key, years in by_key.items():
        points = []
        for year in sorted(years):
            candidates = years[year]
            chosen = next((r for r in candidates if r.admin_unit_id == own), None)
            if chosen is None and len(candidates) == 1:
                chosen = candidates[0]
            if chosen is None:
                continue
            points.append(
                ObservationPoint(
                    year=chosen.year,
                    value=chosen.value,
                    unit=chosen.unit,
                    source=chosen.get_source_display(),
                    source_detail=chosen.source_detail,
                    agency=chosen.agency.name if chosen.agency else "",
                    admin_unit=chosen.admin_unit.name,
                    disaggregation=chosen.disaggregation,
                    approved_at=timezone.localtime(chosen.approved_at).strftime("%d/%m/%Y")
                    if chosen.approved_at
                    else "",
                )
            )
        result[key] = points
    return result


# --- building target specifications ----------------------------------------------------------------------------


def component_spec(component: TargetComponent, target: Target, plan: Plan) -> TargetSpec:
    """The engine's view of a target component (PM §5 shapes)."""
    indicator = component.indicator or target.indicator
    direction: Direction | None = None
    if component.direction in ("increase", "decrease"):
        direction = Direction(component.direction)
    elif indicator is not None and indicator.direction in ("increase", "decrease"):
        direction = Direction(indicator.direction)
    comparator = _COMPARATORS.get(component.comparator)
    low, high, value = component.low, component.high, component.value
    if comparator is Comparator.RANGE and (low is None or high is None):
        comparator = None
    baseline = None
    if component.baseline_value is not None and component.baseline_year is not None:
        baseline = Baseline(component.baseline_value, component.baseline_year)
    kind = TargetKind.ANNUAL_RATE if component.value_kind == "annual_rate" else TargetKind.LEVEL
    return TargetSpec(
        kind=kind,
        value=value if low is None or high is None else None,
        low=low if low is not None and high is not None else None,
        high=high if low is not None and high is not None else None,
        unit=component.unit,
        comparator=comparator,
        direction=direction,
        year=component.year or target.year or plan.period_end,
        baseline=baseline,
        limit=component.limit,
        start_year=plan.period_start,
        label=component.subject or component.scope,
    )


def milestone_spec(target: Target, plan: Plan, reports: dict[int, sources.TaskReportInfo]) -> TargetSpec:
    tasks = []
    for task in target.tasks.all():
        report = reports.get(task.pk)
        if report is not None and report.progress is not None:
            tasks.append(TaskState(report.progress, task.code))
    return TargetSpec(kind=TargetKind.MILESTONE, year=target.year or plan.period_end, tasks=tuple(tasks))


def _method_of(target: Target, notes: list[str]) -> str:
    if target.method in METHODS:
        return target.method
    notes.append(f"Phương pháp «{target.method}» không có; dùng phương pháp mặc định {DEFAULT_METHOD}.")
    return DEFAULT_METHOD


@dataclass
class _Evaluated:
    target: Target
    assessment: Assessment
    observations: list[ObservationPoint]
    parts: list[tuple[TargetComponent, Assessment, list[ObservationPoint]]] = field(default_factory=list)


def _with_notes(a: Assessment, notes: Sequence[str]) -> Assessment:
    if not notes:
        return a
    return Assessment(
        a.status, a.score, a.method, a.method_version, a.components, tuple(notes) + a.notes, a.parts
    )


def _evaluate_target(
    target: Target,
    plan: Plan,
    observations: dict[tuple[int, str], list[ObservationPoint]],
    reports: dict[int, sources.TaskReportInfo],
    as_of: int,
) -> _Evaluated:
    notes: list[str] = []
    method_name = _method_of(target, notes)
    method = METHODS[method_name]
    if target.kind == "milestone":
        spec = milestone_spec(target, plan, reports)
        points: list[ObservationPoint] = []
        series: list[Observation] = []
        if target.is_complete is True:
            series = [Observation(as_of, 1.0)]
            notes.append("Cơ quan đầu mối đã xác nhận mốc hoàn thành.")
        elif target.indicator_id is not None:
            points = observations.get((target.indicator_id, ""), [])
            series = [Observation(p.year, p.value) for p in points]
        a = method.assess(spec, series, as_of=as_of)
        return _Evaluated(target, _with_notes(a, notes), points)
    components = list(target.components.all())
    if not components:
        a = Assessment(
            Status.INSUFFICIENT_DATA,
            None,
            method.name,
            method.version,
            Components(target_year=target.year),
            (*notes, "Mục tiêu chưa có giá trị định lượng để đánh giá."),
        )
        return _Evaluated(target, a, [])
    parts: list[tuple[TargetComponent, Assessment, list[ObservationPoint]]] = []
    for component in components:
        indicator_id = component.indicator_id or target.indicator_id
        part_notes: list[str] = []
        if indicator_id is None:
            points = []
            part_notes.append("Chưa gắn chỉ tiêu thống kê nên chưa có số liệu.")
        else:
            points = observations.get((indicator_id, _scope_key(component.scope)), [])
        spec = component_spec(component, target, plan)
        try:
            a = method.assess(spec, [Observation(p.year, p.value) for p in points], as_of=as_of)
        except EvaluationInputError as exc:
            a = Assessment(
                Status.INSUFFICIENT_DATA,
                None,
                method.name,
                method.version,
                Components(),
                (f"Dữ liệu lỗi: {exc}",),
            )
        units = {p.unit for p in points if p.unit}
        if component.unit and units and units != {component.unit} and spec.kind is TargetKind.LEVEL:
            part_notes.append(
                f"Đơn vị của số liệu ({', '.join(sorted(units))}) khác đơn vị của mục tiêu ({component.unit})."
            )
        parts.append((component, _with_notes(a, part_notes), points))
    if len(parts) == 1:
        component, a, points = parts[0]
        return _Evaluated(target, _with_notes(a, notes), points, parts)
    named = [(c.subject or c.scope or _("toàn bộ"), a) for c, a, _p in parts]
    combined = combine_parts(named, method=method.name, version=method.version, aggregate=method.aggregate)
    headline = next((p for c, _a, p in parts if not c.scope), parts[0][2])
    return _Evaluated(target, _with_notes(combined, notes), headline, parts)


def _lead_agencies(target: Target, on: dt.date) -> list[Any]:
    seen: dict[int, Any] = {}
    for task in target.tasks.all():
        for assignment in task.assignments.all():
            if assignment.role == AssignmentRole.LEAD:
                agency = assignment.agency.current(on)
                seen.setdefault(agency.pk, agency)
    return list(seen.values())


def _targets_for_evaluation(plan: Plan) -> list[Target]:
    return list(
        plan.targets.select_related("indicator")
        .prefetch_related(
            Prefetch(
                "components",
                queryset=TargetComponent.objects.select_related("indicator").order_by("position"),
            ),
            Prefetch(
                "tasks__assignments",
                queryset=TaskAssignment.objects.select_related("agency", "agency__successor").order_by(
                    "role", "id"
                ),
            ),
        )
        .order_by("position", "id")
    )


# --- effective status (overrides) and roll-ups -------------------------------------------------------------------


def effective(a: Assessment, override: StatusOverride | None) -> Assessment:
    """The status shown: the override's when there is one (its score is the lower edge of its band, PM §1.3)."""
    if override is None:
        return a
    status = Status(override.status)
    return Assessment(
        status, STATUS_SCORES.get(status), a.method, a.method_version, a.components, a.notes, a.parts
    )


def _rollup_dict(r: Rollup) -> dict[str, Any]:
    return {
        "count": r.count,
        "assessed": r.assessed,
        "score": r.score,
        "status": r.status.value,
        "counts": {s.value: n for s, n in r.ordered_counts()},
    }


def _compliance_dict(c: Compliance | None) -> dict[str, Any] | None:
    if c is None:
        return None
    return {
        "expected": c.expected,
        "on_time_complete": c.on_time_complete,
        "late": c.late,
        "incomplete": c.incomplete,
        "missing": c.missing,
        "share": c.share,
    }


# --- the evaluation service --------------------------------------------------------------------------------------


def evaluate_plan(*, plan: Plan, as_of: int | None = None, user: Any = None) -> EvaluationRun:
    """Evaluate every target of ``plan`` from the official data up to ``as_of`` (default: this year), store the
    assessments and the roll-ups by pillar, plan and lead agency, replacing an earlier run for the same year.

    ``user`` is checked (coordinator of the plan's unit, or administrator); ``None`` means the system itself (CLI,
    scheduled job, demo loader)."""
    if user is not None:
        permissions.require(
            permissions.can_manage_plan(user, plan),
            _("Chỉ cơ quan đầu mối của kế hoạch mới chạy được đánh giá."),
        )
    today = timezone.localdate()
    year = as_of if as_of is not None else today.year
    if not 1990 <= year <= 2100:
        raise ValidationFailed([Problem(_("Năm đánh giá %(y)s không hợp lệ.") % {"y": year}, column="as_of")])
    targets = _targets_for_evaluation(plan)
    indicator_ids: set[int] = set()
    milestone_task_ids: list[int] = []
    for target in targets:
        if target.indicator_id:
            indicator_ids.add(target.indicator_id)
        for component in target.components.all():
            if component.indicator_id:
                indicator_ids.add(component.indicator_id)
        if target.kind == "milestone":
            milestone_task_ids.extend(t.pk for t in target.tasks.all())
    observations = read_observations(plan, indicator_ids, as_of=year)
    reports = sources.latest_task_reports(milestone_task_ids, as_of=year, approved_only=True)
    evaluated = [_evaluate_target(t, plan, observations, reports, year) for t in targets]
    overrides = {o.target_id: o for o in StatusOverride.objects.active().filter(target__plan=plan)}

    on = min(dt.date(year, 12, 31), today) if year >= today.year else dt.date(year, 12, 31)
    pillar_labels = dict(Pillar.choices)
    by_pillar: dict[str, list[Assessment]] = defaultdict(list)
    by_agency: dict[int | None, list[Assessment]] = defaultdict(list)
    agency_names: dict[int | None, str] = {None: NO_AGENCY}
    shown: list[Assessment] = []
    for item in evaluated:
        a = effective(item.assessment, overrides.get(item.target.pk))
        shown.append(a)
        by_pillar[item.target.pillar].append(a)
        leads = _lead_agencies(item.target, on)
        for agency in leads or [None]:
            key = agency.pk if agency is not None else None
            if agency is not None:
                agency_names[key] = agency.name
            by_agency[key].append(a)
    task_agencies: dict[int, Any] = {}
    for task_assignment in TaskAssignment.objects.filter(task__plan=plan).select_related(
        "agency", "agency__successor"
    ):
        agency = task_assignment.agency.current(on)
        task_agencies.setdefault(agency.pk, agency)
        agency_names.setdefault(agency.pk, agency.name)
    submissions = sources.agency_submissions(task_agencies, plan_id=plan.pk)
    compliance_by_agency = {
        agency_id: compliance(records, as_of=today) for agency_id, records in submissions.items()
    }
    aggregate = METHODS[DEFAULT_METHOD].aggregate
    summary = {
        "plan": _rollup_dict(rollup(shown, aggregate=aggregate)),
        "pillars": {
            code: {
                "label": str(pillar_labels.get(code, code)),
                **_rollup_dict(rollup(items, aggregate=aggregate)),
            }
            for code, items in by_pillar.items()
        },
        "agencies": {
            str(key if key is not None else ""): {
                "name": agency_names.get(key, ""),
                **_rollup_dict(rollup(items, aggregate=aggregate)),
                "compliance": _compliance_dict(compliance_by_agency.get(key)) if key is not None else None,
            }
            for key, items in by_agency.items()
        },
        "compliance": {
            str(agency_id): {"name": agency_names.get(agency_id, ""), **(_compliance_dict(c) or {})}
            for agency_id, c in compliance_by_agency.items()
        },
        "overrides": len(overrides),
        "methods": dict(_count(a.method for a in shown)),
    }

    now = timezone.now()
    with transaction.atomic():
        run, _created = EvaluationRun.objects.update_or_create(
            plan=plan,
            as_of=year,
            defaults={
                "computed_at": now,
                "computed_by": user,
                "target_count": len(targets),
                "summary": summary,
            },
        )
        run.assessments.all().delete()
        rows: list[AssessmentRow] = []
        for item in evaluated:
            rows.append(_row(run, item.target, None, item.assessment, item.observations, year, now))
            if len(item.parts) > 1:
                for component, a, points in item.parts:
                    rows.append(_row(run, item.target, component, a, points, year, now))
        AssessmentRow.objects.bulk_create(rows)
    return run


def _count(values: Iterable[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for v in values:
        counts[v] = counts.get(v, 0) + 1
    return counts


def _row(
    run: EvaluationRun,
    target: Target,
    component: TargetComponent | None,
    a: Assessment,
    points: list[ObservationPoint],
    year: int,
    now: dt.datetime,
) -> AssessmentRow:
    return AssessmentRow(
        run=run,
        target=target,
        component=component,
        as_of=year,
        method=a.method,
        method_version=a.method_version,
        status=a.status.value,
        score=a.score,
        components=a.components.to_dict(),
        notes=list(a.notes),
        explanation=explain(a),
        observations=[p.as_json() for p in points],
        computed_at=now,
    )


# --- overrides ---------------------------------------------------------------------------------------------------


def override_status(*, user: Any, target: Target, status: str, justification: str) -> StatusOverride:
    """Set a manual status for ``target`` with a written justification (coordinator of the plan, or admin). An
    earlier active override is revoked; both stay in the audit trail."""
    permissions.require(
        permissions.can_manage_plan(user, target.plan),
        _("Chỉ cơ quan đầu mối của kế hoạch mới được điều chỉnh trạng thái."),
    )
    problems = []
    if status not in {s.value for s in Status} or status == Status.INSUFFICIENT_DATA.value:
        problems.append(Problem(_("Trạng thái «%(s)s» không hợp lệ.") % {"s": status}, column="status"))
    text = (justification or "").strip()
    if len(text) < MIN_JUSTIFICATION:
        problems.append(
            Problem(
                _("Cần ghi lý do điều chỉnh (ít nhất %(n)d ký tự).") % {"n": MIN_JUSTIFICATION},
                column="justification",
            )
        )
    if problems:
        raise ValidationFailed(problems)
    latest = (
        AssessmentRow.objects.filter(target=target, component__isnull=True)
        .order_by("-as_of", "-computed_at")
        .first()
    )
    now = timezone.now()
    with transaction.atomic():
        for previous in StatusOverride.objects.active().select_for_update().filter(target=target):
            previous.revoked_at = now
            previous.revoked_by = user
            previous.revoke_reason = _("Thay bằng điều chỉnh mới.")
            previous._change_reason = "Thay bằng điều chỉnh mới"  # type: ignore[attr-defined]
            previous.save()
        override = StatusOverride(
            target=target,
            status=status,
            justification=text,
            computed_status=latest.status if latest else "",
            created_by=user,
        )
        override._change_reason = f"Điều chỉnh trạng thái: {STATUS_LABELS[Status(status)]}"  # type: ignore[attr-defined]
        override.save()
    return override


def revoke_override(*, user: Any, override: StatusOverride, reason: str) -> StatusOverride:
    permissions.require(
        permissions.can_manage_plan(user, override.target.plan),
        _("Chỉ cơ quan đầu mối của kế hoạch mới được hủy điều chỉnh."),
    )
    if not override.is_active:
        raise ValidationFailed([Problem(_("Điều chỉnh này đã được hủy trước đó."))])
    if len((reason or "").strip()) < 5:
        raise ValidationFailed([Problem(_("Cần ghi lý do hủy điều chỉnh."), column="reason")])
    override.revoked_at = timezone.now()
    override.revoked_by = user
    override.revoke_reason = reason.strip()
    override._change_reason = "Hủy điều chỉnh trạng thái"  # type: ignore[attr-defined]
    override.save()
    return override


# --- the read API: plan_evaluation_summary ------------------------------------------------------------------------


@dataclass(frozen=True)
class OverrideInfo:
    override_id: int
    status: Status
    computed_status: Status | None
    justification: str
    by: str
    at: dt.datetime

    @property
    def label(self) -> str:
        return self.status.label


@dataclass(frozen=True)
class ComponentResult:
    component_id: int | None
    name: str
    display_value: str
    assessment: Assessment
    observations: tuple[ObservationPoint, ...]

    @property
    def explanation(self) -> str:
        return explain(self.assessment)


@dataclass(frozen=True)
class LinkedTask:
    task_id: int
    code: str
    text: str
    deadline: str
    lead_agencies: tuple[str, ...]
    report: sources.TaskReportInfo | None


@dataclass(frozen=True)
class TargetResult:
    """One target with its assessment, ready for a card, a target page or a report row."""

    target_id: int
    plan_id: int
    code: str
    number: int | None
    text: str
    pillar: str
    pillar_label: str
    kind: str
    year: int | None
    indicator: str
    target_phrase: str
    computed: Assessment
    shown: Assessment
    override: OverrideInfo | None
    components: tuple[ComponentResult, ...]
    observations: tuple[ObservationPoint, ...]
    lead_agencies: tuple[str, ...]
    tasks: tuple[LinkedTask, ...]
    assessment_id: int | None
    computed_at: dt.datetime | None

    @property
    def status(self) -> Status:
        return self.shown.status

    @property
    def label(self) -> str:
        return self.shown.label

    @property
    def score(self) -> float | None:
        return self.shown.score

    @property
    def is_overridden(self) -> bool:
        return self.override is not None

    @property
    def explanation(self) -> str:
        return explain(self.computed)

    @property
    def inputs(self) -> str | None:
        return explain_inputs(self.computed)

    @property
    def lines(self) -> list[str]:
        return explain_lines(self.computed)

    @property
    def latest(self) -> ObservationPoint | None:
        return self.observations[-1] if self.observations else None

    def chart_series(self, component: ComponentResult | None = None) -> Any:
        from xanh.evaluation.charts import series_from_assessment

        a = component.assessment if component is not None else self._headline()
        points = component.observations if component is not None else self.observations
        title = self.text if component is None else f"{self.text} — {component.name}"
        return series_from_assessment(
            a.components.to_dict(),
            [(p.year, p.value) for p in points],
            title=title,
            status=self.status.value,
            status_label=self.label,
            method=a.method,
        )

    def _headline(self) -> Assessment:
        if self.computed.components.calculation == "composite" and self.components:
            headline = next(
                (c for c in self.components if not c.name or c.name == "toàn bộ"), self.components[0]
            )
            return headline.assessment
        return self.computed


@dataclass(frozen=True)
class PillarResult:
    code: str
    label: str
    rollup: Rollup
    targets: tuple[TargetResult, ...]


@dataclass(frozen=True)
class AgencyResult:
    agency_id: int | None
    name: str
    rollup: Rollup
    compliance: Compliance | None
    target_count: int


@dataclass(frozen=True)
class PlanEvaluationSummary:
    plan_id: int
    plan_title: str
    admin_unit: str
    period: str
    as_of: int
    computed_at: dt.datetime | None
    rollup: Rollup
    pillars: tuple[PillarResult, ...]
    targets: tuple[TargetResult, ...]
    agencies: tuple[AgencyResult, ...]
    compliance: dict[int, Compliance]
    overrides: int
    years: tuple[int, ...]

    def target(self, target_id: int) -> TargetResult | None:
        return next((t for t in self.targets if t.target_id == target_id), None)


def assessment_from_row(row: AssessmentRow, parts: Sequence[tuple[str, Assessment]] = ()) -> Assessment:
    known = Components.__dataclass_fields__
    components = Components(**{k: v for k, v in (row.components or {}).items() if k in known})
    return Assessment(
        Status(row.status),
        row.score,
        row.method,
        row.method_version,
        components,
        tuple(row.notes or ()),
        tuple(parts),
    )


def _override_info(o: StatusOverride) -> OverrideInfo:
    by = ""
    if o.created_by is not None:
        by = o.created_by.get_full_name() or o.created_by.username
    return OverrideInfo(
        o.pk,
        Status(o.status),
        Status(o.computed_status) if o.computed_status else None,
        o.justification,
        by,
        o.created_at,
    )


def latest_run(plan: Plan, as_of: int | None = None) -> EvaluationRun | None:
    runs = EvaluationRun.objects.filter(plan=plan)
    if as_of is not None:
        return runs.filter(as_of=as_of).first()
    this_year = timezone.localdate().year
    return runs.filter(as_of__lte=this_year).order_by("-as_of").first() or runs.order_by("-as_of").first()


def plan_evaluation_summary(
    plan: Plan, as_of: int | None = None, *, ensure: bool = True, with_reports: bool = True
) -> PlanEvaluationSummary:
    """Everything about the evaluation of ``plan`` as of ``as_of`` (default: the latest evaluation up to this year):
    pillars with their targets, each target's computed and shown status (with override), its explanation, its
    observations with sources, components, lead agencies, linked tasks with their latest reports, and the roll-ups.

    When no evaluation exists and ``ensure`` is true, the plan is evaluated first (as the system). The number of
    queries does not grow with the number of targets."""
    run = latest_run(plan, as_of)
    if run is None and ensure:
        run = evaluate_plan(plan=plan, as_of=as_of)
    years = tuple(EvaluationRun.objects.filter(plan=plan).order_by("-as_of").values_list("as_of", flat=True))
    targets = list(
        plan.targets.select_related("indicator")
        .prefetch_related(
            Prefetch("components", queryset=TargetComponent.objects.order_by("position")),
            Prefetch(
                "tasks__assignments",
                queryset=TaskAssignment.objects.select_related("agency", "agency__successor").order_by(
                    "role", "id"
                ),
            ),
        )
        .order_by("position", "id")
    )
    rows = (
        list(AssessmentRow.objects.filter(run=run).order_by("target_id", "component__position"))
        if run is not None
        else []
    )
    overrides = {
        o.target_id: o
        for o in StatusOverride.objects.active().filter(target__plan=plan).select_related("created_by")
    }
    task_ids = [task.pk for t in targets for task in t.tasks.all()]
    reports = sources.latest_task_reports(task_ids, as_of=run.as_of if run else None) if with_reports else {}
    year = run.as_of if run is not None else (as_of or timezone.localdate().year)
    on = dt.date(year, 12, 31)
    by_target: dict[int, AssessmentRow] = {}
    part_rows: dict[int, list[AssessmentRow]] = defaultdict(list)
    for row in rows:
        if row.component_id is None:
            by_target[row.target_id] = row
        else:
            part_rows[row.target_id].append(row)
    pillar_labels = dict(Pillar.choices)
    results: list[TargetResult] = []
    for target in targets:
        components = {c.pk: c for c in target.components.all()}
        row = by_target.get(target.pk)
        parts: list[ComponentResult] = []
        for part in part_rows.get(target.pk, []):
            comp = components.get(part.component_id or 0)
            name = (comp.subject or comp.scope) if comp else ""
            parts.append(
                ComponentResult(
                    part.component_id,
                    name or "toàn bộ",
                    comp.display_value if comp else "",
                    assessment_from_row(part),
                    tuple(ObservationPoint.from_json(o) for o in part.observations),
                )
            )
        if row is not None:
            computed = assessment_from_row(row, [(p.name, p.assessment) for p in parts])
            points = tuple(ObservationPoint.from_json(o) for o in row.observations)
        else:
            computed = Assessment(
                Status.INSUFFICIENT_DATA,
                None,
                target.method,
                "",
                Components(target_year=target.year),
                ("Mục tiêu chưa được đánh giá.",),
            )
            points = ()
        if not parts and row is not None and components:
            only = next(iter(components.values()))
            parts = [
                ComponentResult(
                    only.pk, only.subject or only.scope or "toàn bộ", only.display_value, computed, points
                )
            ]
        override = overrides.get(target.pk)
        tasks = tuple(
            LinkedTask(
                task.pk,
                task.code,
                task.text,
                task.deadline,
                tuple(
                    a.agency.current(on).name for a in task.assignments.all() if a.role == AssignmentRole.LEAD
                ),
                reports.get(task.pk),
            )
            for task in target.tasks.all()
        )
        results.append(
            TargetResult(
                target_id=target.pk,
                plan_id=plan.pk,
                code=target.code,
                number=target.number,
                text=target.text,
                pillar=target.pillar,
                pillar_label=str(pillar_labels.get(target.pillar, target.pillar)),
                kind=target.kind,
                year=target.year,
                indicator=str(target.indicator) if target.indicator else "",
                target_phrase="; ".join(
                    f"{c.scope}: {c.display_value}" if c.scope else c.display_value
                    for c in components.values()
                )
                or describe_target(computed.components),
                computed=computed,
                shown=effective(computed, override),
                override=_override_info(override) if override else None,
                components=tuple(parts),
                observations=points,
                lead_agencies=tuple(dict.fromkeys(name for t in tasks for name in t.lead_agencies)),
                tasks=tasks,
                assessment_id=row.pk if row else None,
                computed_at=row.computed_at if row else None,
            )
        )
    aggregate = METHODS[DEFAULT_METHOD].aggregate
    pillars = []
    for code, label in Pillar.choices:
        items = tuple(r for r in results if r.pillar == code)
        if items:
            pillars.append(
                PillarResult(code, str(label), rollup([r.shown for r in items], aggregate=aggregate), items)
            )
    agency_items: dict[str, list[TargetResult]] = defaultdict(list)
    for r in results:
        for name in r.lead_agencies or (NO_AGENCY,):
            agency_items[name].append(r)
    stored = (run.summary or {}) if run is not None else {}
    compliance_map: dict[int, Compliance] = {}
    for key, data in (stored.get("compliance") or {}).items():
        if key and data.get("expected") is not None:
            compliance_map[int(key)] = Compliance(
                data["expected"], data["on_time_complete"], data["late"], data["incomplete"], data["missing"]
            )
    name_to_id = {data.get("name"): int(k) for k, data in (stored.get("agencies") or {}).items() if k}
    agencies = tuple(
        AgencyResult(
            name_to_id.get(name),
            name,
            rollup([r.shown for r in items], aggregate=aggregate),
            compliance_map.get(name_to_id.get(name, -1)),
            len(items),
        )
        for name, items in sorted(agency_items.items(), key=lambda kv: (kv[0] == NO_AGENCY, kv[0]))
    )
    return PlanEvaluationSummary(
        plan_id=plan.pk,
        plan_title=plan.title,
        admin_unit=plan.admin_unit.display_name,
        period=f"{plan.period_start}–{plan.period_end}",
        as_of=year,
        computed_at=run.computed_at if run is not None else None,
        rollup=rollup([r.shown for r in results], aggregate=aggregate),
        pillars=tuple(pillars),
        targets=tuple(results),
        agencies=agencies,
        compliance=compliance_map,
        overrides=len(overrides),
        years=years,
    )
