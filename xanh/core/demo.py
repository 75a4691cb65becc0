"""Loads the demonstration province (see demo_plan.py). Idempotent: a second run finds everything and changes nothing."""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib
from typing import Any, TextIO

from django.apps import apps
from django.db import transaction
from django.utils import timezone

from xanh.accounts.models import Role, User
from xanh.agencies.models import Agency
from xanh.agencies.services import ensure_agencies
from xanh.core import demo_plan as D
from xanh.documents.models import Document, DocumentReference
from xanh.geo.models import AdminUnit, UnitLevel, UnitType
from xanh.indicators.models import Indicator, IndicatorValue, ValueSource, ValueStatus
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

REASON = "Nạp dữ liệu minh họa"


def _save(obj: Any) -> Any:
    obj._change_reason = REASON
    obj.save()
    return obj


def demo_unit() -> AdminUnit:
    unit = AdminUnit.objects.filter(code=D.PROVINCE["code"], is_demo=True).first()
    if unit is None:
        unit = _save(
            AdminUnit(
                code=D.PROVINCE["code"],
                name=D.PROVINCE["name"],
                level=UnitLevel.PROVINCE,
                unit_type=UnitType.PROVINCE,
                is_demo=True,
                valid_from=dt.date(2000, 1, 1),
                source="Đơn vị hư cấu — " + D.DEMO_LABEL,
            )
        )
    return unit


def demo_plan() -> Plan | None:
    return Plan.objects.filter(is_demo=True, document__number=D.DOCUMENT["number"]).first()


@transaction.atomic
def load_demo_plan(unit: AdminUnit) -> Plan:
    existing = demo_plan()
    if existing is not None:
        return existing
    agencies = {a.key: a for a in Agency.objects.filter(admin_unit=unit)}
    text = D.render_plan_text({k: a.name for k, a in agencies.items()})
    document = _save(
        Document(
            number=D.DOCUMENT["number"],
            kind=D.DOCUMENT["kind"],
            issuer=D.DOCUMENT["issuer"],
            issued_on=dt.date.fromisoformat(D.DOCUMENT["issued_on"]),
            signer=D.DOCUMENT["signer"],
            title=D.DOCUMENT["title"],
            text=text,
            content_hash=hashlib.sha256(text.encode()).hexdigest(),
            is_demo=True,
        )
    )
    for ref in D.REFERENCES:
        cited = Document.objects.filter(number=ref["number"]).first() or _save(
            Document(
                number=ref["number"],
                kind=ref["kind"],
                issued_on=dt.date.fromisoformat(ref["issued_on"]),
                title=ref["title"],
            )
        )
        DocumentReference.objects.get_or_create(
            source=document, target=cited, defaults={"cited_as": ref["number"]}
        )
    plan = _save(
        Plan(
            title=D.PLAN["title"],
            document=document,
            admin_unit=unit,
            period_start=D.PLAN["period_start"],
            period_end=D.PLAN["period_end"],
            summary=D.PLAN["summary"],
            status=PlanStatus.PUBLISHED,
            published_at=timezone.now(),
            is_demo=True,
            coordinator_agency=agencies.get("so-tc"),
        )
    )
    sections: dict[str, Section] = {}
    for position, (code, label, heading, parent) in enumerate(D.SECTIONS):
        sections[code] = _save(
            Section(
                plan=plan,
                code=code,
                label=label,
                heading=heading,
                parent=sections.get(parent or ""),
                position=position,
            )
        )
    indicators = {i.code: i for i in Indicator.objects.filter(code__in=[d.code for d in D.INDICATORS])}
    targets: dict[str, Target] = {}
    for position, spec in enumerate(D.TARGETS):
        target = _save(
            Target(
                plan=plan,
                code=spec.code,
                number=spec.number,
                text=spec.text,
                pillar=spec.pillar,
                kind=spec.kind,
                year=spec.year,
                indicator=indicators.get(spec.indicator or ""),
                position=position,
                section=sections[D.PILLAR_SECTIONS[spec.pillar][0]],
            )
        )
        targets[spec.code] = target
        for cpos, comp in enumerate(spec.components):
            _save(
                TargetComponent(
                    target=target,
                    subject=comp.subject,
                    value=comp.value,
                    low=comp.low,
                    high=comp.high,
                    unit=comp.unit,
                    comparator=comp.comparator,
                    direction=comp.direction,
                    value_kind=comp.value_kind,
                    year=spec.year,
                    scope=comp.scope,
                    baseline_value=comp.baseline[0] if comp.baseline else None,
                    baseline_year=comp.baseline[1] if comp.baseline else None,
                    limit=comp.limit,
                    indicator=target.indicator,
                    position=cpos,
                )
            )
    for position, spec in enumerate(D.TASKS):
        task = _save(
            Task(
                plan=plan,
                code=spec.code,
                section=sections[spec.section],
                text=spec.text,
                deadline=spec.deadline,
                position=position,
            )
        )
        for role, keys in (
            (AssignmentRole.LEAD, spec.lead),
            (AssignmentRole.COORDINATING, spec.coordinating),
        ):
            for key in keys:
                _save(TaskAssignment(task=task, agency=agencies[key], role=role, mention=agencies[key].name))
        task.targets.set([targets[c] for c in spec.targets])
    return plan


@transaction.atomic
def load_demo_indicators(unit: AdminUnit) -> int:
    """Demo indicators and their approved values for 2020–2025, labelled as demonstration data."""
    agencies = {a.key: a for a in Agency.objects.filter(admin_unit=unit)}
    written = 0
    for spec in D.INDICATORS:
        indicator = Indicator.objects.filter(code=spec.code).first() or _save(
            Indicator(
                code=spec.code,
                name=spec.name,
                unit=spec.unit,
                direction=spec.direction,
                admin_unit=unit,
                responsible_agency_key=spec.agency_key,
                min_value=spec.min_value,
                max_value=spec.max_value,
                max_change_factor=3.0,
                disaggregations=list(spec.disaggregations),
                source=D.DEMO_LABEL,
            )
        )
        series = [("", spec.series)] + [(scope, values) for scope, values in spec.by_scope.items()]
        for disaggregation, values in series:
            for year, value in values.items():
                _obj, created = IndicatorValue.objects.get_or_create(
                    indicator=indicator,
                    admin_unit=unit,
                    period=str(year),
                    disaggregation=disaggregation,
                    defaults={
                        "year": year,
                        "value": value,
                        "unit": spec.unit,
                        "status": ValueStatus.APPROVED,
                        "source": ValueSource.DEMO,
                        "source_detail": f"Số liệu {D.DEMO_LABEL}",
                        "agency": agencies.get(spec.agency_key),
                        "is_demo": True,
                        "approved_at": timezone.now(),
                    },
                )
                written += int(created)
    return written


def load_demo_users(unit: AdminUnit) -> list[tuple[str, str, str]]:
    agencies = {a.key: a for a in Agency.objects.filter(admin_unit=unit)}
    logins = []
    for username, role, agency_key, full_name in D.DEMO_USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, role=role, first_name=full_name)
            user.set_password(D.DEMO_PASSWORD)
            user.is_staff = role in {Role.ADMIN, Role.COORDINATOR, Role.REPORTER}
            user.is_superuser = role == Role.ADMIN
            user.agency = agencies.get(agency_key or "")
            user.admin_unit = unit if role in {Role.COORDINATOR, Role.REPORTER} else None
            user.email = f"{username}@example.invalid"
            user.save()
        logins.append((username, user.get_role_display(), user.agency.name if user.agency else ""))
    return logins


def load_demo(stdout: TextIO | None = None) -> dict[str, Any]:
    unit = demo_unit()
    ensure_agencies(unit)
    load_demo_indicators(unit)
    plan = load_demo_plan(unit)
    logins = load_demo_users(unit)
    # Each app may add its own demonstration data (reporting rounds, stations, ...).
    for config in apps.get_app_configs():
        if not config.name.startswith("xanh.") or config.name == "xanh.core":
            continue
        try:
            module = importlib.import_module(f"{config.name}.demo")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.demo":
                raise
            continue
        module.load_demo(province_unit=unit, plan=plan, stdout=stdout)
    return {"unit": unit, "plan": plan, "logins": logins}
