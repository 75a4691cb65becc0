"""Pages: public air-quality pages per province and per station; staff pages for the ingestion log and flags."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from xanh.core.errors import ValidationFailed
from xanh.geo.models import AdminUnit

from . import queries, services
from .aqi.tables import CATEGORIES
from .fileformat import STATUS_LABELS
from .models import FlagSource, IngestedFile, QaFlag, Station, StationKind
from .qa.checks import KIND_LABELS


def index(request: HttpRequest) -> HttpResponse:
    units = AdminUnit.objects.filter(monitoring_stations__is_public=True).distinct().order_by("name")
    if len(units) == 1:
        return redirect("monitoring:province", code=units[0].code)
    return render(request, "monitoring/index.html", {"units": units})


def province(request: HttpRequest, code: str) -> HttpResponse:
    unit = get_object_or_404(
        AdminUnit.objects.filter(monitoring_stations__is_public=True).distinct(), code=code
    )
    stations = list(
        Station.objects.filter(admin_unit=unit, is_public=True)
        .select_related("facility")
        .order_by("kind", "code")
    )
    cards = queries.station_cards(stations)
    canvas = queries.project(cards)
    ambient = [c for c in cards if c.station.kind == StationKind.AMBIENT]
    sources = [
        s for s in stations if s.kind == StationKind.STACK and s.facility and s.facility.is_large_source
    ]
    worst = max((c.current.aqi for c in ambient if c.current.aqi is not None), default=None)
    return render(
        request,
        "monitoring/province.html",
        {
            "unit": unit,
            "cards": cards,
            "ambient": ambient,
            "canvas": canvas,
            "categories": CATEGORIES,
            "sources": queries.source_summaries(sources),
            "worst": queries.AqiCell("", worst),
            "now": queries.last_completed_hour(),
        },
    )


def station(request: HttpRequest, code: str) -> HttpResponse:
    station = get_object_or_404(
        Station.objects.select_related("admin_unit", "facility"), code=code, is_public=True
    )
    current = queries.current_aqi([station]).get(station.pk)
    cell = queries.AqiCell("", current.aqi if current else None, current.dominant if current else "")
    context = {
        "station": station,
        "current": cell,
        "current_subs": (current.sub_indices if current else {}),
        "hours": queries.last_hours(station),
        "days": queries.last_days(station),
        "values": queries.latest_values(station),
        "categories": CATEGORIES,
        "flags": QaFlag.objects.filter(station=station, revoked_at__isnull=True).order_by("-start")[:20],
        "kind_labels": KIND_LABELS,
        "can_manage": services.can_manage_station(request.user, station),
        "sources": queries.source_summaries([station]) if station.kind == StationKind.STACK else [],
    }
    return render(request, "monitoring/station.html", context)


@login_required
def ingestion_log(request: HttpRequest) -> HttpResponse:
    if not services.can_upload(request.user):
        raise PermissionDenied
    logs = IngestedFile.objects.select_related("station").order_by("-received_at", "name")
    outcome = request.GET.get("ket_qua")
    if outcome:
        logs = logs.filter(outcome=outcome)
    return render(
        request,
        "monitoring/log.html",
        {"logs": logs[:200], "outcome": outcome, "status_labels": STATUS_LABELS},
    )


@login_required
@require_POST
def flag_period(request: HttpRequest, code: str) -> HttpResponse:
    station = get_object_or_404(Station, code=code)
    try:
        start = dt.datetime.fromisoformat(request.POST.get("start", ""))
        end = dt.datetime.fromisoformat(request.POST.get("end", ""))
    except ValueError:
        messages.error(request, "Thời điểm không hợp lệ; dùng dạng YYYY-MM-DD hh:mm.")
        return redirect("monitoring:station", code=code)
    parameters = request.POST.getlist("parameters")
    try:
        services.flag_invalid(
            user=request.user,
            station=station,
            start=start,
            end=end,
            parameters=parameters,
            reason=request.POST.get("reason", ""),
        )
    except ValidationFailed as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Đã đánh dấu số liệu không hợp lệ; chỉ số và trung bình đã được tính lại.")
    return redirect("monitoring:station", code=code)


@login_required
@require_POST
def revoke_flag(request: HttpRequest, pk: int) -> HttpResponse:
    flag = get_object_or_404(QaFlag, pk=pk, source=FlagSource.OPERATOR)
    services.revoke_flag(user=request.user, flag=flag, reason=request.POST.get("reason", ""))
    messages.success(request, "Đã thu hồi đánh dấu.")
    return redirect("monitoring:station", code=flag.station.code)
