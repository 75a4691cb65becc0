from __future__ import annotations

import datetime as dt
from collections import OrderedDict

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from xanh.core.audit import history_of
from xanh.plans.models import Pillar, Plan, Target, TargetComponent, Task, TaskAssignment


def home(request: HttpRequest) -> HttpResponse:
    plans = (
        Plan.objects.visible_to(request.user)
        .select_related("admin_unit", "admin_unit__successor", "document")
        .order_by("admin_unit__name", "-period_start")
    )
    by_unit: OrderedDict[object, list[Plan]] = OrderedDict()
    for plan in plans:
        by_unit.setdefault(plan.admin_unit, []).append(plan)
    return render(request, "plans/home.html", {"plans_by_unit": by_unit})


def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    plan = get_object_or_404(
        Plan.objects.visible_to(request.user).select_related(
            "admin_unit", "document", "parent", "coordinator_agency"
        ),
        pk=pk,
    )
    targets = (
        plan.targets.select_related("indicator", "section")
        .prefetch_related(Prefetch("components", queryset=TargetComponent.objects.order_by("position")))
        .order_by("position")
    )
    pillars: OrderedDict[str, dict[str, object]] = OrderedDict()
    for value, label in Pillar.choices:
        pillars[value] = {"label": label, "targets": []}
    for target in targets:
        pillars[target.pillar]["targets"].append(target)  # type: ignore[attr-defined]
    tasks = (
        plan.tasks.select_related("section")
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=TaskAssignment.objects.select_related("agency", "agency__successor").order_by(
                    "role", "id"
                ),
            )
        )
        .order_by("position")
    )
    today = dt.date.today()
    return render(
        request,
        "plans/plan_detail.html",
        {
            "plan": plan,
            "pillars": [p for p in pillars.values() if p["targets"]],
            "tasks": tasks,
            "today": today,
            "references": plan.document.references.select_related("target") if plan.document_id else [],
        },
    )


def target_detail(request: HttpRequest, plan_pk: int, pk: int) -> HttpResponse:
    plan = get_object_or_404(Plan.objects.visible_to(request.user), pk=plan_pk)
    target = get_object_or_404(
        Target.objects.select_related("indicator", "section").prefetch_related("components", "tasks"),
        plan=plan,
        pk=pk,
    )
    return render(
        request,
        "plans/target_detail.html",
        {"plan": plan, "target": target, "history": history_of(target)},
    )


def task_detail(request: HttpRequest, plan_pk: int, pk: int) -> HttpResponse:
    plan = get_object_or_404(Plan.objects.visible_to(request.user), pk=plan_pk)
    task = get_object_or_404(
        Task.objects.select_related("section").prefetch_related("assignments__agency", "targets"),
        plan=plan,
        pk=pk,
    )
    return render(
        request, "plans/task_detail.html", {"plan": plan, "task": task, "history": history_of(task)}
    )
