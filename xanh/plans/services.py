"""Plans, sections, targets and tasks. Every write checks permissions and leaves an audit record."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xanh.accounts import permissions
from xanh.agencies.models import Agency
from xanh.core.audit import stamp
from xanh.core.errors import Problem, ValidationFailed
from xanh.plans.models import (
    AssignmentRole,
    Plan,
    PlanStatus,
    Section,
    Target,
    TargetComponent,
    Task,
    TaskAssignment,
)

TARGET_FIELDS = {"text", "pillar", "kind", "year", "indicator", "method", "is_complete", "section", "number"}
COMPONENT_FIELDS = {
    "subject",
    "value",
    "low",
    "high",
    "unit",
    "comparator",
    "direction",
    "value_kind",
    "year",
    "scope",
    "baseline_value",
    "baseline_year",
    "limit",
    "indicator",
}




def _require_manage(user: Any, plan: Plan) -> None:
    permissions.require(
        permissions.can_manage_plan(user, plan), _("Chỉ cơ quan điều phối mới được sửa kế hoạch.")
    )


@transaction.atomic
def create_plan(
    *, user: Any, title: str, admin_unit: Any, period_start: int, period_end: int, **extra: Any
) -> Plan:
    permissions.require(permissions.coordinates_unit(user, admin_unit))
    if period_end < period_start:
        raise ValidationFailed([Problem(_("Năm kết thúc phải sau năm bắt đầu."), column="period_end")])
    plan = Plan(title=title, admin_unit=admin_unit, period_start=period_start, period_end=period_end, **extra)
    stamp(plan, user=user, reason="Tạo kế hoạch")
    plan.save()
    return plan


@transaction.atomic
def add_section(
    *,
    user: Any,
    plan: Plan,
    code: str,
    heading: str,
    label: str = "",
    parent: Section | None = None,
    position: int = 0,
) -> Section:
    _require_manage(user, plan)
    section = Section(plan=plan, code=code, heading=heading, label=label, parent=parent, position=position)
    stamp(section, user=user, reason="Thêm mục")
    section.save()
    return section


@transaction.atomic
def add_target(
    *, user: Any, plan: Plan, code: str, text: str, components: Iterable[dict[str, Any]] = (), **fields: Any
) -> Target:
    _require_manage(user, plan)
    unknown = set(fields) - TARGET_FIELDS - {"position"}
    if unknown:
        raise ValidationFailed([Problem(_("Trường không hợp lệ: %(f)s") % {"f": ", ".join(sorted(unknown))})])
    target = Target(plan=plan, code=code, text=text, **fields)
    stamp(target, user=user, reason="Thêm mục tiêu")
    target.save()
    for position, component in enumerate(components):
        add_component(user=user, target=target, position=position, **component)
    return target


@transaction.atomic
def add_component(*, user: Any, target: Target, position: int = 0, **fields: Any) -> TargetComponent:
    _require_manage(user, target.plan)
    unknown = set(fields) - COMPONENT_FIELDS
    if unknown:
        raise ValidationFailed([Problem(_("Trường không hợp lệ: %(f)s") % {"f": ", ".join(sorted(unknown))})])
    component = TargetComponent(target=target, position=position, **fields)
    if component.low is not None and component.high is not None and component.high < component.low:
        raise ValidationFailed([Problem(_("Cận trên phải lớn hơn hoặc bằng cận dưới."), column="high")])
    stamp(component, user=user, reason="Thêm thành phần mục tiêu")
    component.save()
    return component


@transaction.atomic
def update_target(*, user: Any, target: Target, reason: str = "Sửa mục tiêu", **fields: Any) -> Target:
    _require_manage(user, target.plan)
    unknown = set(fields) - TARGET_FIELDS
    if unknown:
        raise ValidationFailed([Problem(_("Trường không hợp lệ: %(f)s") % {"f": ", ".join(sorted(unknown))})])
    for key, value in fields.items():
        setattr(target, key, value)
    stamp(target, user=user, reason=reason)
    target.save()
    return target


@transaction.atomic
def update_component(
    *, user: Any, component: TargetComponent, reason: str = "Sửa thành phần mục tiêu", **fields: Any
) -> TargetComponent:
    _require_manage(user, component.target.plan)
    unknown = set(fields) - COMPONENT_FIELDS
    if unknown:
        raise ValidationFailed([Problem(_("Trường không hợp lệ: %(f)s") % {"f": ", ".join(sorted(unknown))})])
    for key, value in fields.items():
        setattr(component, key, value)
    stamp(component, user=user, reason=reason)
    component.save()
    return component


@transaction.atomic
def add_task(
    *,
    user: Any,
    plan: Plan,
    code: str,
    text: str,
    lead: Iterable[Agency | tuple[Agency, str]] = (),
    coordinating: Iterable[Agency | tuple[Agency, str]] = (),
    targets: Iterable[Target] = (),
    **fields: Any,
) -> Task:
    """Create a task and its assignments. Agencies may be given as (agency, mention-as-written) pairs."""
    _require_manage(user, plan)
    task = Task(plan=plan, code=code, text=text, **fields)
    stamp(task, user=user, reason="Thêm nhiệm vụ")
    task.save()
    for role, agencies in ((AssignmentRole.LEAD, lead), (AssignmentRole.COORDINATING, coordinating)):
        for item in agencies:
            agency, mention = item if isinstance(item, tuple) else (item, "")
            assign_agency(user=user, task=task, agency=agency, role=role, mention=mention)
    if targets:
        task.targets.set(list(targets))
    return task


@transaction.atomic
def assign_agency(*, user: Any, task: Task, agency: Agency, role: str, mention: str = "") -> TaskAssignment:
    _require_manage(user, task.plan)
    assignment, _created = TaskAssignment.objects.get_or_create(
        task=task, agency=agency, role=role, defaults={"mention": mention}
    )
    return assignment


@transaction.atomic
def publish_plan(*, user: Any, plan: Plan) -> Plan:
    """Publish a draft. If it supersedes another plan, that plan becomes superseded in the same transaction."""
    _require_manage(user, plan)
    if plan.status != PlanStatus.DRAFT:
        raise ValidationFailed(
            [Problem(_("Chỉ kế hoạch ở trạng thái dự thảo mới được công bố."), column="status")]
        )
    if plan.supersedes_id:
        old = plan.supersedes
        old.status = PlanStatus.SUPERSEDED
        stamp(old, user=user, reason=f"Được thay thế bởi phiên bản {plan.version}")
        old.save()
    plan.status = PlanStatus.PUBLISHED
    plan.published_at = timezone.now()
    stamp(plan, user=user, reason="Công bố kế hoạch")
    plan.save()
    return plan
