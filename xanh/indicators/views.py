from __future__ import annotations

from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from xanh.accounts.permissions import can_see_drafts
from xanh.core.audit import history_of
from xanh.indicators.models import Indicator, IndicatorValue, ValueStatus


def _visible_values(request: HttpRequest):  # type: ignore[no-untyped-def]
    values = IndicatorValue.objects.all()
    return values if can_see_drafts(request.user) else values.filter(status=ValueStatus.APPROVED)


def indicator_list(request: HttpRequest) -> HttpResponse:
    indicators = Indicator.objects.annotate(
        n_values=Count("values", filter=Q(values__status=ValueStatus.APPROVED))
    ).order_by("code")
    return render(request, "indicators/indicator_list.html", {"indicators": indicators})


def indicator_detail(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = get_object_or_404(Indicator, pk=pk)
    values = (
        _visible_values(request)
        .filter(indicator=indicator)
        .select_related("admin_unit", "agency")
        .order_by("admin_unit__name", "disaggregation", "period")
    )
    return render(request, "indicators/indicator_detail.html", {"indicator": indicator, "values": values})


def value_detail(request: HttpRequest, pk: int) -> HttpResponse:
    value = get_object_or_404(
        _visible_values(request).select_related("indicator", "admin_unit", "agency"), pk=pk
    )
    return render(request, "indicators/value_detail.html", {"value": value, "history": history_of(value)})
