"""What the public pages show, gathered in a few queries per page. Only published (or superseded) plans and approved
values appear here, whoever is signed in: the portal is the public record."""

from __future__ import annotations

import datetime as dt
from collections import OrderedDict, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from xanh.core.text import fold
from xanh.evaluation.charts import Words, plan_series, trajectory_svg
from xanh.geo.models import AdminUnit, UnitLevel
from xanh.indicators.models import IndicatorValue
from xanh.plans.models import (
    AssignmentRole,
    Pillar,
    Plan,
    PlanStatus,
    Target,
    TargetComponent,
    Task,
    TaskAssignment,
)
from xanh.portal.national import KEY_TARGETS, KeyTarget, match_key_target


@dataclass(frozen=True)
class Observed:
    value: float
    period: str
    year: int
    unit: str
    unit_name: str = ""


@dataclass
class Status:
    code: str
    label: str
    explanation: str = ""
    is_override: bool = False
    computed_label: str = ""
    as_of: int | None = None


@dataclass
class ComponentRow:
    component: TargetComponent
    latest: Observed | None


@dataclass
class TargetRow:
    target: Target
    components: list[ComponentRow]
    latest: Observed | None
    chart: SafeString
    status: Status | None = None


@dataclass
class TaskRow:
    task: Task
    leads: list[Any]
    coordinating: list[Any]
    status_label: str = ""
    status_code: str = ""
    period_label: str = ""
    percent: int | None = None


def public_plans() -> QuerySet[Plan]:
    return Plan.objects.exclude(status=PlanStatus.DRAFT)


def chart_words() -> Words:
    """The chart's words (``xanh.evaluation.charts.Words``) in the visitor's language."""
    return Words(
        observed=_("Số liệu thực hiện"),
        required=_("Lộ trình cần đạt"),
        projected=_("Dự báo theo tốc độ hiện tại"),
        target=_("Mục tiêu"),
        target_band=_("Khoảng mục tiêu"),
        baseline=_("giá trị cơ sở"),
        no_data=_("Chưa có số liệu đã phê duyệt."),
        no_observations=_("Chưa có số liệu đã phê duyệt"),
        data_range=_("Số liệu từ năm {first} ({first_value}) đến năm {last} ({last_value})"),
        each_year=_("từng năm"),
        goal=_("mục tiêu {value} năm {year}"),
        projection=_("dự báo {value} năm {year}"),
        status=_("trạng thái: {label}"),
        default_title=_("Diễn biến so với lộ trình cần đạt"),
    )


def _scope_matches(disaggregation: str, scope: str) -> bool:
    if not scope:
        return disaggregation == ""
    return disaggregation == scope or disaggregation.endswith(f"={scope}")


def value_series(
    indicator_ids: Iterable[int], units: list[AdminUnit]
) -> dict[tuple[int, str], list[Observed]]:
    """Approved values by (indicator, disaggregation), oldest first. Where several units of a lineage have a value for
    the same period (a merged province and its successor), the first unit of ``units`` wins."""
    rank = {u.pk: i for i, u in enumerate(units)}
    names = {u.pk: u.name for u in units}
    rows = (
        IndicatorValue.objects.official()
        .filter(indicator_id__in=set(indicator_ids), admin_unit_id__in=list(rank))
        .values_list("indicator_id", "disaggregation", "period", "year", "value", "unit", "admin_unit_id")
    )
    best: dict[tuple[int, str, str], tuple[int, Observed]] = {}
    for indicator_id, disagg, period, year, value, unit, unit_id in rows:
        key = (indicator_id, disagg, period)
        candidate = (rank[unit_id], Observed(value, period, year, unit, names[unit_id]))
        if key not in best or candidate[0] < best[key][0]:
            best[key] = candidate
    series: dict[tuple[int, str], list[Observed]] = defaultdict(list)
    for (indicator_id, disagg, _period), (_rank, obs) in best.items():
        series[(indicator_id, disagg)].append(obs)
    for values in series.values():
        values.sort(key=lambda o: (o.year, o.period))
    return series


def _latest(values: list[Observed]) -> Observed | None:
    return values[-1] if values else None


def _annual(values: list[Observed]) -> list[Observed]:
    return [v for v in values if v.period.isdigit()] or values


def assessment_statuses(target_ids: list[int]) -> dict[int, Status]:
    """The latest evaluation status of each target, and an active coordinator override shown as such (evaluation
    app, when installed; otherwise nothing)."""
    try:
        assessment = apps.get_model("evaluation", "Assessment")
        override = apps.get_model("evaluation", "StatusOverride")
    except LookupError:
        return {}
    out: dict[int, Status] = {}
    rows = (
        assessment.objects.filter(target_id__in=target_ids, component__isnull=True)
        .order_by("target_id", "-as_of", "-computed_at")
        .only("target_id", "status", "explanation", "as_of")
    )
    for row in rows:
        if row.target_id not in out:
            out[row.target_id] = Status(
                row.status, row.get_status_display(), row.explanation, as_of=row.as_of
            )
    for row in override.objects.filter(target_id__in=target_ids, revoked_at__isnull=True):
        computed = out.get(row.target_id)
        out[row.target_id] = Status(
            row.status,
            row.get_status_display(),
            row.justification,
            is_override=True,
            computed_label=computed.label if computed else "",
            as_of=computed.as_of if computed else None,
        )
    return out


def task_statuses(task_ids: list[int]) -> dict[int, Any]:
    """Latest approved report per task (reporting app, through evaluation's reader, when installed)."""
    try:
        from xanh.evaluation.sources import latest_task_reports
    except ImportError:
        return {}
    return latest_task_reports(task_ids, approved_only=True)


def plan_page(plan: Plan) -> dict[str, Any]:
    targets = list(
        plan.targets.select_related("indicator")
        .prefetch_related(Prefetch("components", queryset=TargetComponent.objects.order_by("position", "id")))
        .order_by("position")
    )
    indicator_ids = {t.indicator_id for t in targets if t.indicator_id}
    indicator_ids |= {c.indicator_id for t in targets for c in t.components.all() if c.indicator_id}
    units = plan.admin_unit.lineage()
    series = value_series(indicator_ids, units)
    statuses = assessment_statuses([t.pk for t in targets])
    words = chart_words()
    pillars: OrderedDict[str, dict[str, Any]] = OrderedDict(
        (value, {"code": value, "label": label, "targets": [], "counts": OrderedDict()})
        for value, label in Pillar.choices
    )
    for target in targets:
        components = list(target.components.all())
        rows = []
        for component in components:
            indicator_id = component.indicator_id or target.indicator_id
            values = (
                series.get((indicator_id, _scope_key(series, indicator_id, component.scope)), [])
                if indicator_id
                else []
            )
            rows.append(ComponentRow(component, _latest(values)))
        main = next((c for c in components if not c.scope), components[0] if components else None)
        indicator_id = (main.indicator_id if main else None) or target.indicator_id
        main_values = (
            series.get((indicator_id, _scope_key(series, indicator_id, main.scope if main else "")), [])
            if indicator_id
            else []
        )
        chart = mark_safe("")
        status = statuses.get(target.pk)
        if main is not None and indicator_id:
            baseline = (
                (main.baseline_year, float(main.baseline_value))
                if main.baseline_year is not None and main.baseline_value is not None
                else None
            )
            goal_year = main.year or target.year
            goal_value, goal_low, goal_high = main.value, main.low, main.high
            unit = main.unit or (target.indicator.unit if target.indicator_id else "")
            if main.value_kind == "annual_rate":
                # "giảm bình quân 1,0–1,5%/năm": the level the rate implies at the target year, from the baseline
                unit = target.indicator.unit if target.indicator_id else ""
                goal_value, goal_low, goal_high = implied_levels(main, goal_year)
                if goal_value is None and goal_low is None:
                    baseline = None
            has_goal = goal_value is not None or goal_low is not None
            spec = plan_series(
                [(o.year, o.value) for o in _annual(main_values)],
                base=baseline,
                target_year=goal_year if has_goal else None,
                target_value=goal_value,
                target_low=goal_low,
                target_high=goal_high,
                decreasing=main.direction == "decrease",
                title=_("Mục tiêu %(code)s: giá trị quan sát và mục tiêu") % {"code": target.code},
                unit=unit,
                status=status.code if status else "insufficient_data",
                status_label=status.label if status else "",
            )
            chart = mark_safe(trajectory_svg(spec, chart_id=f"chart-{target.pk}", words=words))
        row = TargetRow(target, rows, _latest(main_values), chart, status)
        group = pillars[target.pillar]
        group["targets"].append(row)
        if row.status is not None:
            group["counts"][row.status.label] = group["counts"].get(row.status.label, 0) + 1
    tasks = list(
        plan.tasks.prefetch_related(
            Prefetch(
                "assignments",
                queryset=TaskAssignment.objects.select_related("agency").order_by("role", "id"),
            )
        ).order_by("position")
    )
    reports = task_statuses([t.pk for t in tasks])
    task_rows = []
    for task in tasks:
        assignments = list(task.assignments.all())
        info = reports.get(task.pk)
        task_rows.append(
            TaskRow(
                task,
                [a.agency for a in assignments if a.role == AssignmentRole.LEAD],
                [a.agency for a in assignments if a.role == AssignmentRole.COORDINATING],
                status_label=getattr(info, "status_label", ""),
                status_code=getattr(info, "status", ""),
                period_label=getattr(info, "period_label", ""),
                percent=getattr(info, "percent", None),
            )
        )
    return {
        "pillars": [p for p in pillars.values() if p["targets"]],
        "tasks": task_rows,
        "has_statuses": bool(statuses),
        "has_task_reports": bool(reports),
    }


def implied_levels(
    component: TargetComponent, year: int | None
) -> tuple[float | None, float | None, float | None]:
    """For an average annual rate ("giảm bình quân 1,0–1,5%/năm") with a baseline: the level(s) it implies in
    ``year``, compounding from the baseline year. Returns (value, low, high); Nones when it cannot be computed."""
    if component.baseline_value is None or component.baseline_year is None or year is None:
        return None, None, None
    years = year - component.baseline_year
    if years <= 0:
        return None, None, None
    sign = -1.0 if component.direction == "decrease" else 1.0

    def level(rate: float | None) -> float | None:
        if rate is None:
            return None
        return float(component.baseline_value) * (1 + sign * rate / 100) ** years  # type: ignore[arg-type]

    if component.low is not None and component.high is not None:
        a, b = level(component.low), level(component.high)
        assert a is not None and b is not None
        return None, min(a, b), max(a, b)
    return level(component.value), None, None


def _scope_key(series: dict[tuple[int, str], list[Observed]], indicator_id: int, scope: str) -> str:
    """The disaggregation key that a component's scope ("thành thị") has in the data ("thành thị" or "area=thành thị")."""
    if not scope:
        return ""
    for indicator, disagg in series:
        if indicator == indicator_id and _scope_matches(disagg, scope):
            return disagg
    return scope


# ---- province page ----------------------------------------------------------------------------------------------


def province_page(unit: AdminUnit) -> dict[str, Any]:
    lineage = unit.lineage()
    plans = list(
        public_plans()
        .filter(admin_unit__in=lineage)
        .select_related("admin_unit", "document")
        .order_by("-period_start", "admin_unit__name")
    )
    rows = (
        IndicatorValue.objects.official()
        .filter(admin_unit__in=lineage, disaggregation="")
        .select_related("indicator")
        .order_by("indicator__code", "-year", "-period")
    )
    latest: OrderedDict[int, tuple[Any, IndicatorValue]] = OrderedDict()
    for value in rows:
        latest.setdefault(value.indicator_id, (value.indicator, value))
    return {
        "lineage": [u for u in lineage if u.pk != unit.pk],
        "plans": plans,
        "indicators": list(latest.values()),
    }


def provinces_with_plans() -> list[tuple[AdminUnit, list[Plan]]]:
    """Current provincial units (and demonstration units) with the public plans of their lineage."""
    today = timezone.localdate()
    units = list(
        AdminUnit.objects.filter(level=UnitLevel.PROVINCE).only(
            "id", "code", "name", "unit_type", "successor_id", "valid_from", "valid_to", "is_demo"
        )
    )
    current = _current_of(units, today)
    plans_by_current: dict[int, list[Plan]] = defaultdict(list)
    for plan in public_plans().select_related("admin_unit").order_by("-period_start"):
        owner = current.get(plan.admin_unit_id)
        if owner is not None:
            plans_by_current[owner.pk].append(plan)
    listing = [u for u in units if u.is_valid_on(today) and (not u.is_demo or plans_by_current.get(u.pk))]
    listing.sort(key=lambda u: (not plans_by_current.get(u.pk), fold(u.name)))
    return [(u, plans_by_current.get(u.pk, [])) for u in listing]


def _current_of(units: list[AdminUnit], on: dt.date) -> dict[int, AdminUnit]:
    """Unit id -> the unit that carries it on ``on`` (itself if still valid), following successor links."""
    by_id = {u.pk: u for u in units}
    out: dict[int, AdminUnit] = {}
    for unit in units:
        current = unit
        for _hop in range(10):
            if current.is_valid_on(on) or current.successor_id is None or current.successor_id not in by_id:
                break
            current = by_id[current.successor_id]
        out[unit.pk] = current
    return out


# ---- national comparison ----------------------------------------------------------------------------------------


@dataclass
class CellEntry:
    plan: Plan
    target: Target
    display: str
    year: int | None
    latest: Observed | None
    from_unit: str = ""  # a predecessor's name when the plan is of a merged unit
    status: Status | None = None


@dataclass
class ComparisonRow:
    unit: AdminUnit
    cells: list[list[CellEntry]] = field(default_factory=list)
    has_plan: bool = False


def comparison() -> tuple[tuple[KeyTarget, ...], list[ComparisonRow]]:
    today = timezone.localdate()
    units = list(AdminUnit.objects.filter(level=UnitLevel.PROVINCE))
    current = _current_of(units, today)
    plans = {p.pk: p for p in public_plans().select_related("admin_unit")}
    targets = list(
        Target.objects.filter(plan_id__in=list(plans))
        .select_related("indicator")
        .prefetch_related(Prefetch("components", queryset=TargetComponent.objects.order_by("position", "id")))
        .order_by("plan_id", "position")
    )
    matched: list[tuple[Target, KeyTarget]] = []
    for target in targets:
        text = f"{target.text} {target.indicator.name if target.indicator_id else ''}"
        key = match_key_target(text)
        if key is not None:
            matched.append((target, key))
    indicator_ids = {t.indicator_id for t, _k in matched if t.indicator_id}
    rows_by_unit: dict[int, ComparisonRow] = {}
    listing = [u for u in units if u.is_valid_on(today)]
    plan_owner = {pid: current.get(p.admin_unit_id) for pid, p in plans.items()}
    demo_with_plans = {o.pk for o in plan_owner.values() if o is not None and o.is_demo}
    listing = [u for u in listing if not u.is_demo or u.pk in demo_with_plans]
    owners_with_plans = {o.pk for o in plan_owner.values() if o is not None}
    listing.sort(key=lambda u: (u.pk not in owners_with_plans, fold(u.name)))
    key_index = {k.key: i for i, k in enumerate(KEY_TARGETS)}
    for unit in listing:
        rows_by_unit[unit.pk] = ComparisonRow(unit, [[] for _ in KEY_TARGETS])
    for owner in plan_owner.values():
        if owner is not None and owner.pk in rows_by_unit:
            rows_by_unit[owner.pk].has_plan = True
    latest = _latest_values(indicator_ids, [u.pk for u in units])
    statuses = assessment_statuses([t.pk for t, _k in matched])
    seen: set[tuple[int, str, int]] = set()
    for target, key in matched:
        plan = plans[target.plan_id]
        owner = plan_owner.get(plan.pk)
        if owner is None or owner.pk not in rows_by_unit:
            continue
        if (owner.pk, key.key, plan.pk) in seen:
            continue  # one target per plan and key (the first, in plan order)
        seen.add((owner.pk, key.key, plan.pk))
        components = list(target.components.all())
        main = next((c for c in components if not c.scope), components[0] if components else None)
        candidates = [
            latest.get((target.indicator_id, plan.admin_unit_id)),
            latest.get((target.indicator_id, owner.pk)),
        ]
        observed = max(
            (c for c in candidates if c is not None), key=lambda o: (o.year, o.period), default=None
        )
        rows_by_unit[owner.pk].cells[key_index[key.key]].append(
            CellEntry(
                plan=plan,
                target=target,
                display=main.display_value if main else target.text,
                year=(main.year if main else None) or target.year,
                latest=observed,
                from_unit=plan.admin_unit.name if plan.admin_unit_id != owner.pk else "",
                status=statuses.get(target.pk),
            )
        )
    return KEY_TARGETS, [rows_by_unit[u.pk] for u in listing]


def _latest_values(indicator_ids: set[int], unit_ids: list[int]) -> dict[tuple[int, int], Observed]:
    out: dict[tuple[int, int], Observed] = {}
    if not indicator_ids:
        return out
    rows = (
        IndicatorValue.objects.official()
        .filter(indicator_id__in=indicator_ids, admin_unit_id__in=unit_ids, disaggregation="")
        .order_by("-year", "-period")
        .values_list("indicator_id", "admin_unit_id", "value", "period", "year", "unit")
    )
    for indicator_id, unit_id, value, period, year, unit in rows:
        out.setdefault((indicator_id, unit_id), Observed(value, period, year, unit))
    return out


def format_observed(obs: Observed | None) -> SafeString:
    if obs is None:
        return format_html("{}", "—")
    from xanh.core.numbers import format_number_vi

    unit = obs.unit or ""
    text = format_number_vi(obs.value, 2, strip_zeros=True) + (
        unit if unit == "%" else (f" {unit}" if unit else "")
    )
    return format_html('{} <span class="muted">({})</span>', text, obs.period)
