"""Public transparency portal (/cong-khai/): no login, server-rendered, only published plans and approved values."""

from __future__ import annotations

import json
import re

from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseNotModified
from django.shortcuts import get_object_or_404, render
from django.utils.http import http_date
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from xanh.geo.models import AdminUnit
from xanh.portal import opendata, queries
from xanh.portal.tidy import LICENSE_URL


def _base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri("/").rstrip("/")


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    return render(request, "portal/index.html", {"provinces": queries.provinces_with_plans(), "nav": "index"})


@require_GET
def province(request: HttpRequest, pk: int) -> HttpResponse:
    unit = get_object_or_404(AdminUnit.objects.select_related("successor"), pk=pk)
    return render(request, "portal/province.html", {"unit": unit, **queries.province_page(unit)})


@require_GET
def plan(request: HttpRequest, pk: int) -> HttpResponse:
    plan_obj = get_object_or_404(
        queries.public_plans().select_related(
            "admin_unit", "admin_unit__successor", "document", "coordinator_agency"
        ),
        pk=pk,
    )
    dataset = opendata.plan_dataset(plan_obj)
    return render(
        request,
        "portal/plan.html",
        {
            "plan": plan_obj,
            "downloads": [(label, dataset.url(fmt)) for fmt, (_media, label) in opendata.FORMATS.items()],
            **queries.plan_page(plan_obj),
        },
    )


@require_GET
def comparison(request: HttpRequest) -> HttpResponse:
    keys, rows = queries.comparison()
    return render(request, "portal/comparison.html", {"keys": keys, "rows": rows, "nav": "comparison"})


@require_GET
def open_data(request: HttpRequest) -> HttpResponse:
    listing = [
        (dataset, stats, [(label, dataset.url(fmt)) for fmt, (_media, label) in opendata.FORMATS.items()])
        for dataset, stats in opendata.dataset_listing()
    ]
    return render(
        request,
        "portal/open_data.html",
        {"datasets": listing, "license_url": LICENSE_URL, "nav": "open_data"},
    )


_SLUG = re.compile(r"^ke-hoach-(\d+)$")


@require_GET
@cache_control(public=True, max_age=300)
def download(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    if fmt not in opendata.FORMATS:
        raise Http404
    if slug == "quoc-gia":
        dataset = opendata.national_dataset()
    else:
        match = _SLUG.match(slug)
        if match is None:
            raise Http404
        plan_obj = get_object_or_404(
            opendata.public_plans().select_related("admin_unit", "document"), pk=int(match.group(1))
        )
        dataset = opendata.plan_dataset(plan_obj)
    path, etag, _stats = opendata.build_file(dataset, fmt, _base_url(request))
    quoted = f'"{etag}"'
    if request.headers.get("If-None-Match") == quoted:
        return HttpResponseNotModified()
    media_type, _label = opendata.FORMATS[fmt]
    response = FileResponse(
        path.open("rb"), content_type=media_type, as_attachment=True, filename=f"xanh-{slug}.{fmt}"
    )
    response["ETag"] = quoted
    response["Link"] = f'<{LICENSE_URL}>; rel="license"'
    return response


@require_GET
@cache_control(public=True, max_age=300)
def catalogue(request: HttpRequest) -> HttpResponse:
    document = opendata.catalogue(_base_url(request))
    response = HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=1), content_type="application/ld+json; charset=utf-8"
    )
    response["Last-Modified"] = http_date()
    return response
