from __future__ import annotations

import datetime as dt

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from xanh.geo.models import AdminUnit


def unit_list(request: HttpRequest) -> HttpResponse:
    raw = request.GET.get("ngay", "")
    error = ""
    day: dt.date | None = None
    if raw:
        try:
            day = dt.date.fromisoformat(raw)
        except ValueError:
            error = "Ngày không hợp lệ; dùng dạng YYYY-MM-DD."
    units = AdminUnit.objects.provinces().filter(is_demo=False).select_related("successor")
    if day:
        units = units.valid_on(day)
    units = units.order_by("valid_to", "code")
    return render(request, "geo/unit_list.html", {"units": units, "day": day, "raw": raw, "error": error})
