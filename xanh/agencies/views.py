from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from xanh.agencies.models import Agency
from xanh.geo.models import AdminUnit


def agency_list(request: HttpRequest) -> HttpResponse:
    units = AdminUnit.objects.filter(agencies__isnull=False).distinct().order_by("name")
    unit_id = request.GET.get("don_vi")
    selected = units.filter(pk=unit_id).first() if unit_id and unit_id.isdigit() else units.first()
    agencies = (
        Agency.objects.filter(admin_unit=selected).select_related("successor").order_by("kind", "name")
        if selected
        else Agency.objects.none()
    )
    return render(
        request, "agencies/agency_list.html", {"units": units, "selected": selected, "agencies": agencies}
    )
