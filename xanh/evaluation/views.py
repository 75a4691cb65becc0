"""Dashboards: plan (pillars → status cards), target (chart, calculation, data, tasks, override), agency."""

from __future__ import annotations

import contextlib
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.db.models import Max, Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.views.decorators.http import require_POST

from xanh.accounts import permissions
from xanh.agencies.models import Agency
from xanh.core.errors import ValidationFailed
from xanh.evaluation import sources
from xanh.evaluation.charts import trajectory_svg
from xanh.evaluation.forms import EvaluateForm, OverrideForm, RevokeForm
from xanh.evaluation.methods import STATUS_ORDER, Status, compliance
from xanh.evaluation.models import EvaluationRun, StatusOverride
from xanh.evaluation.services import (
    PlanEvaluationSummary,
    TargetResult,
    evaluate_plan,
    latest_run,
    override_status,
    plan_evaluation_summary,
    revoke_override,
)
from xanh.indicators.models import Indicator, IndicatorValue
from xanh.plans.models import AssignmentRole, Plan, Task

CHART_TTL = 60 * 60 * 24


def _plan_or_404(request: HttpRequest, pk: int) -> Plan:
    return get_object_or_404(
        Plan.objects.visible_to(request.user).select_related("admin_unit", "document"), pk=pk
    )


def _year_param(request: HttpRequest) -> int | None:
    raw = request.GET.get("nam")
    if raw is None or raw == "":
        return None
    try:
        year = int(raw)
    except ValueError as exc:
        raise Http404("Năm không hợp lệ") from exc
    if not 2000 <= year <= 2100:
        raise Http404("Năm không hợp lệ")
    return year


def _data_changed_since(plan: Plan, run: EvaluationRun) -> bool:
    """Whether official values of the plan's indicators (for its unit or the units merged into it) or approved
    task reports changed after the run."""
    unit_q = (
        Q(admin_unit_id=plan.admin_unit_id)
        | Q(admin_unit__successor_id=plan.admin_unit_id)
        | Q(admin_unit__successor__successor_id=plan.admin_unit_id)
    )
    plan_q = Q(indicator__targets__plan_id=plan.pk) | Q(indicator__target_components__target__plan_id=plan.pk)
    changed = (
        IndicatorValue.objects.official()
        .filter(unit_q, plan_q, year__lte=run.as_of)
        .aggregate(latest=Max("updated_at"))["latest"]
    )
    if changed is not None and changed > run.computed_at:
        return True
    reported = sources.latest_report_change(plan.pk)
    return reported is not None and reported > run.computed_at


def current_summary(plan: Plan, as_of: int | None) -> PlanEvaluationSummary:
    """The summary for a page: evaluates first (as the system) when there is no evaluation yet for that year or the
    official data changed since, so that a dashboard never shows stale statuses."""
    run = latest_run(plan, as_of)
    if run is None or _data_changed_since(plan, run):
        # IntegrityError: a concurrent request evaluated the same plan and year first; read its result.
        with contextlib.suppress(IntegrityError):
            evaluate_plan(plan=plan, as_of=as_of if as_of is not None else (run.as_of if run else None))
    return plan_evaluation_summary(plan, as_of, ensure=False)


def _chart(result: TargetResult, size: str, component: Any = None) -> SafeString:
    """Inline SVG of a target's trajectory, cached per assessment, status and size."""
    stamp = result.computed_at.timestamp() if result.computed_at else 0
    part = component.component_id if component is not None else "t"
    key = f"xanh:eval:svg:{result.assessment_id}:{part}:{stamp}:{result.status.value}:{size}"
    svg = cache.get(key)
    if svg is None:
        chart_id = f"chart-{result.target_id}-{part}-{size}"
        svg = trajectory_svg(result.chart_series(component), size=size, chart_id=chart_id)  # type: ignore[arg-type]
        cache.set(key, svg, CHART_TTL)
    return mark_safe(svg)


def index(request: HttpRequest) -> HttpResponse:
    plans = list(
        Plan.objects.visible_to(request.user)
        .select_related("admin_unit")
        .order_by("admin_unit__name", "-period_start")
    )
    runs: dict[int, EvaluationRun] = {}
    for run in EvaluationRun.objects.filter(plan__in=plans).order_by("plan_id", "-as_of"):
        runs.setdefault(run.plan_id, run)
    rows = []
    for plan in plans:
        run = runs.get(plan.pk)
        data = (run.summary or {}).get("plan") if run else None
        rows.append({"plan": plan, "run": run, "rollup": data, "counts": _count_rows(data)})
    return render(request, "evaluation/index.html", {"rows": rows, "statuses": STATUS_ORDER})


def _count_rows(data: dict[str, Any] | None) -> list[tuple[Status, int]]:
    if not data:
        return []
    counts = data.get("counts", {})
    return [(s, int(counts.get(s.value, 0))) for s in STATUS_ORDER]


def plan_dashboard(request: HttpRequest, plan_pk: int) -> HttpResponse:
    plan = _plan_or_404(request, plan_pk)
    summary = current_summary(plan, _year_param(request))
    pillars = [
        {
            "pillar": pillar,
            "cards": [
                {
                    "t": t,
                    "spark": None if t.kind == "milestone" and not t.observations else _chart(t, "spark"),
                }
                for t in pillar.targets
            ],
        }
        for pillar in summary.pillars
    ]
    can_manage = permissions.can_manage_plan(request.user, plan)
    return render(
        request,
        "evaluation/plan_dashboard.html",
        {
            "plan": plan,
            "summary": summary,
            "pillars": pillars,
            "statuses": STATUS_ORDER,
            "can_manage": can_manage,
            "evaluate_form": EvaluateForm(initial={"as_of": summary.as_of}),
        },
    )


def target_page(request: HttpRequest, plan_pk: int, pk: int) -> HttpResponse:
    plan = _plan_or_404(request, plan_pk)
    summary = current_summary(plan, _year_param(request))
    result = summary.target(pk)
    if result is None:
        raise Http404("Không có mục tiêu này trong kế hoạch.")
    charts = [_chart(result, "full")]
    if len(result.components) > 1:
        charts = [_chart(result, "full", c) for c in result.components]
    elif result.kind == "milestone" and not result.observations:
        charts = []  # judged on the linked tasks: there is no series to draw
    can_manage = permissions.can_manage_plan(request.user, plan)
    overrides = list(
        StatusOverride.objects.filter(target_id=pk)
        .select_related("created_by", "revoked_by")
        .order_by("-created_at")
    )
    return render(
        request,
        "evaluation/target.html",
        {
            "plan": plan,
            "summary": summary,
            "t": result,
            "charts": charts,
            "can_manage": can_manage,
            "override_form": OverrideForm(initial={"status": result.computed.status.value})
            if can_manage
            else None,
            "revoke_form": RevokeForm() if can_manage else None,
            "overrides": overrides,
        },
    )


@require_POST
def evaluate(request: HttpRequest, plan_pk: int) -> HttpResponse:
    plan = _plan_or_404(request, plan_pk)
    form = EvaluateForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return HttpResponseRedirect(reverse("evaluation:plan", args=[plan.pk]))
    year = form.cleaned_data["as_of"]
    try:
        run = evaluate_plan(plan=plan, as_of=year, user=request.user)
    except PermissionDenied:
        raise
    except ValidationFailed as exc:
        messages.error(request, str(exc))
        return HttpResponseRedirect(reverse("evaluation:plan", args=[plan.pk]))
    messages.success(request, f"Đã đánh giá lại {run.target_count} mục tiêu theo số liệu đến năm {year}.")
    return HttpResponseRedirect(reverse("evaluation:plan", args=[plan.pk]) + f"?nam={year}")


@require_POST
def override(request: HttpRequest, plan_pk: int, pk: int) -> HttpResponse:
    plan = _plan_or_404(request, plan_pk)
    target = get_object_or_404(plan.targets.select_related("plan__admin_unit"), pk=pk)
    back = reverse("evaluation:target", args=[plan.pk, target.pk])
    form = OverrideForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            for error in errors:
                messages.error(request, f"{label}: {error}" if label else error)
        return HttpResponseRedirect(back + "#dieu-chinh")
    try:
        override_status(
            user=request.user,
            target=target,
            status=form.cleaned_data["status"],
            justification=form.cleaned_data["justification"],
        )
    except ValidationFailed as exc:
        messages.error(request, str(exc))
        return HttpResponseRedirect(back + "#dieu-chinh")
    messages.success(
        request, "Đã lưu trạng thái điều chỉnh; trạng thái tính toán vẫn được hiển thị bên cạnh."
    )
    return HttpResponseRedirect(back)


@require_POST
def revoke(request: HttpRequest, plan_pk: int, pk: int, override_pk: int) -> HttpResponse:
    plan = _plan_or_404(request, plan_pk)
    item = get_object_or_404(
        StatusOverride.objects.select_related("target__plan__admin_unit"),
        pk=override_pk,
        target_id=pk,
        target__plan=plan,
    )
    back = reverse("evaluation:target", args=[plan.pk, pk])
    form = RevokeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Cần ghi lý do hủy điều chỉnh (ít nhất 5 ký tự).")
        return HttpResponseRedirect(back + "#dieu-chinh")
    try:
        revoke_override(user=request.user, override=item, reason=form.cleaned_data["reason"])
    except ValidationFailed as exc:
        messages.error(request, str(exc))
        return HttpResponseRedirect(back + "#dieu-chinh")
    messages.success(request, "Đã hủy điều chỉnh; mục tiêu trở lại trạng thái tính toán.")
    return HttpResponseRedirect(back)


@login_required
def agency_dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    agency = get_object_or_404(Agency.objects.select_related("admin_unit", "successor"), pk=pk)
    today = timezone.localdate()
    # the agency and the agencies it took over (2025 mergers): their tasks are now its work
    merged = Agency.objects.filter(Q(successor=agency) | Q(successor__successor=agency)).values_list(
        "pk", flat=True
    )
    family = [agency.pk, *merged]
    plans = list(
        Plan.objects.visible_to(request.user)
        .filter(tasks__assignments__agency_id__in=family)
        .select_related("admin_unit")
        .distinct()
        .order_by("-period_start", "title")
    )
    chosen_id = request.GET.get("ke-hoach")
    plan = next((p for p in plans if str(p.pk) == chosen_id), plans[0] if plans else None)
    tasks: list[dict[str, Any]] = []
    targets: list[TargetResult] = []
    summary = None
    if plan is not None:
        summary = current_summary(plan, None)
        task_rows = list(
            Task.objects.filter(plan=plan, assignments__agency_id__in=family)
            .prefetch_related("assignments__agency", "targets")
            .distinct()
            .order_by("position")
        )
        reports = sources.latest_task_reports([t.pk for t in task_rows])
        by_target = {t.target_id: t for t in summary.targets}
        seen: set[int] = set()
        for task in task_rows:
            roles = {a.role for a in task.assignments.all() if a.agency_id in family}
            lead = AssignmentRole.LEAD in roles
            linked = [by_target[t.pk] for t in task.targets.all() if t.pk in by_target]
            if lead:
                for result in linked:
                    if result.target_id not in seen:
                        seen.add(result.target_id)
                        targets.append(result)
            tasks.append(
                {
                    "task": task,
                    "role": "Chủ trì" if lead else "Phối hợp",
                    "report": reports.get(task.pk),
                    "targets": linked,
                }
            )
    keys = list(Agency.objects.filter(pk__in=family).values_list("key", flat=True))
    indicators = list(
        Indicator.objects.filter(
            Q(responsible_agency_key__in=keys, admin_unit_id=agency.admin_unit_id)
            | Q(values__agency_id__in=family)
        )
        .distinct()
        .order_by("code")
    )
    latest_values: dict[int, IndicatorValue] = {}
    for value in (
        IndicatorValue.objects.official()
        .filter(indicator__in=indicators, admin_unit_id=agency.admin_unit_id, disaggregation="")
        .order_by("indicator_id", "-year", "-period")
    ):
        latest_values.setdefault(value.indicator_id, value)
    submissions = sources.agency_submissions(family)
    records = [r for items in submissions.values() for r in items]
    return render(
        request,
        "evaluation/agency.html",
        {
            "agency": agency,
            "current": agency.current(today),
            "plans": plans,
            "plan": plan,
            "summary": summary,
            "tasks": tasks,
            "targets": targets,
            "indicators": [(i, latest_values.get(i.pk)) for i in indicators],
            "compliance": compliance(records, as_of=today),
            "has_reporting": sources.reporting_available(),
            "today": today,
            "statuses": STATUS_ORDER,
        },
    )
