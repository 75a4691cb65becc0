"""The synthesis report panel on the plan page: ``{% load reports_tags %}{% report_panel %}``."""

from __future__ import annotations

from typing import Any

from django import template

from xanh.reports import services
from xanh.reports.models import ReportFormat, ReportKindChoice

register = template.Library()


@register.inclusion_tag("reports/panel.html", takes_context=True)
def report_panel(context: template.Context) -> dict[str, Any]:
    plan = context.get("plan")
    request = context.get("request")
    user = getattr(request, "user", None)
    if plan is None or user is None:
        return {"show": False}
    can_generate = services.can_generate_report(user, plan)
    can_download = services.can_download_report(user, plan)
    if not (can_generate or can_download):
        return {"show": False}
    return {
        "show": True,
        "plan": plan,
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "can_generate": can_generate,
        "can_download": can_download,
        "jobs": services.jobs_for(plan),
        "periods": services.period_choices(plan),
        "default_period": services.default_period(plan),
        "kinds": ReportKindChoice.choices,
        "formats": ReportFormat.choices,
    }
