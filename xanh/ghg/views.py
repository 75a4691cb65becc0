"""GHG pages: provincial summary (public disclosure of large sources without login), facility list, facility page,
inventory page with the calculation trail, import. Views only read and call services."""

from __future__ import annotations

import base64
import datetime as dt
import secrets
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, Q, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from xanh.accounts import permissions as base_permissions
from xanh.core.audit import history_of
from xanh.core.errors import ValidationFailed
from xanh.geo.models import AdminUnit
from xanh.ghg import importing, permissions, services
from xanh.ghg.forms import ActivityForm, GwpForm, ImportForm
from xanh.ghg.models import (
    ActivityRecord,
    FacilityInventory,
    InventoryListing,
    InventoryPeriod,
    InventoryStatus,
    ListingSector,
)

SESSION_KEY = "ghg_import"


def _fail(request: HttpRequest, exc: ValidationFailed) -> None:
    for item in exc.problems:
        messages.error(request, str(item))


def summary(request: HttpRequest) -> HttpResponse:
    units = (
        AdminUnit.objects.filter(monitoring_facilities__ghg_listing__isnull=False).distinct().order_by("name")
    )
    sector_labels = dict(ListingSector.choices)
    provinces = []
    for unit in units:
        totals = services.provincial_totals(unit)
        years = []
        for year, by_key in totals.items():
            sectors = [
                {
                    "label": sector_labels.get(key.split("=", 1)[1], key),
                    "direct": by_key.get("direct", {}).get(key, 0.0),
                    "indirect": by_key.get("indirect", {}).get(key, 0.0),
                }
                for key in sorted(set(by_key.get("direct", {})) | set(by_key.get("indirect", {})))
                if key
            ]
            years.append(
                {
                    "year": year,
                    "direct": by_key.get("direct", {}).get("", 0.0),
                    "indirect": by_key.get("indirect", {}).get("", 0.0),
                    "biogenic": by_key.get("biogenic", {}).get("", 0.0),
                    "facilities": int(by_key.get("facilities", {}).get("", 0)),
                    "sectors": sectors,
                }
            )
        provinces.append(
            {
                "unit": unit,
                "years": years,
                "can_publish": base_permissions.coordinates_unit(request.user, unit),
                "published": services.published_values(unit)
                .filter(disaggregation="")
                .order_by("indicator__code", "period")
                if base_permissions.can_see_drafts(request.user)
                else [],
            }
        )
    context: dict[str, Any] = {
        "provinces": provinces,
        "disclosures": services.public_disclosures(),
        "is_staff_view": base_permissions.can_see_drafts(request.user),
    }
    if context["is_staff_view"]:
        context["periods"] = InventoryPeriod.objects.annotate(
            n_total=Count("inventories"),
            n_submitted=Count("inventories", filter=Q(inventories__status=InventoryStatus.SUBMITTED)),
            n_appraised=Count("inventories", filter=Q(inventories__status=InventoryStatus.APPRAISED)),
        ).select_related("deadline_rule")
        today = dt.date.today()
        context["deadlines"] = [
            (group, services.upcoming_deadlines(group, after=today)[:2]) for group in "ABC"
        ]
        context["today"] = today
    return render(request, "ghg/summary.html", context)


@login_required
def facility_list(request: HttpRequest) -> HttpResponse:
    listings = (
        services.listings_visible_to(request.user)
        .annotate(
            n_inventories=Count("inventories", distinct=True),
            last_year=Max("inventories__period__submission_year"),
        )
        .order_by("facility__admin_unit__name", "facility__name")
    )
    return render(request, "ghg/facility_list.html", {"listings": listings})


@login_required
def facility_detail(request: HttpRequest, pk: int) -> HttpResponse:
    listing = get_object_or_404(
        InventoryListing.objects.select_related("facility", "facility__admin_unit"), pk=pk
    )
    if not permissions.can_view_listing(request.user, listing):
        raise Http404
    inventories = [
        inv
        for inv in listing.inventories.select_related("period").annotate(
            total=Sum("results__co2e_t", filter=Q(results__ok=True)),
            pending=Count("results", filter=Q(results__ok=False)),
        )
        if permissions.can_view(request.user, inv)
    ]
    may_open = permissions.manages(request.user, listing) or permissions.is_contact(request.user, listing)
    open_periods = (
        InventoryPeriod.objects.filter(obligation_group=listing.obligation_group).exclude(
            inventories__listing=listing
        )
        if may_open
        else []
    )
    if request.method == "POST":
        if not may_open:
            raise PermissionDenied
        period = get_object_or_404(InventoryPeriod, pk=request.POST.get("period"))
        try:
            inventory = services.open_inventory(user=request.user, listing=listing, period=period)
        except ValidationFailed as exc:
            _fail(request, exc)
            return redirect("ghg:facility", pk=listing.pk)
        messages.success(request, "Đã lập báo cáo kiểm kê cho kỳ đã chọn.")
        return redirect("ghg:inventory", pk=inventory.pk)
    return render(
        request,
        "ghg/facility_detail.html",
        {
            "listing": listing,
            "inventories": inventories,
            "open_periods": open_periods,
            "deadlines": services.upcoming_deadlines(listing.obligation_group, after=dt.date.today())[:3],
            "contacts": listing.contacts.all() if may_open else [],
        },
    )


def _inventory_for(request: HttpRequest, pk: int) -> FacilityInventory:
    inventory = get_object_or_404(
        FacilityInventory.objects.select_related("listing__facility__admin_unit", "period__deadline_rule"),
        pk=pk,
    )
    if not permissions.can_view(request.user, inventory):
        if not request.user.is_authenticated:
            raise PermissionDenied
        raise Http404
    return inventory


@login_required
def inventory_detail(request: HttpRequest, pk: int) -> HttpResponse:
    inventory = _inventory_for(request, pk)
    activities = inventory.activities.select_related("result").order_by("year", "source_type", "id")
    can_prepare = permissions.can_prepare(request.user, inventory)
    return render(
        request,
        "ghg/inventory_detail.html",
        {
            "inventory": inventory,
            "listing": inventory.listing,
            "activities": activities,
            "totals": services.inventory_totals(inventory),
            "can_prepare": can_prepare,
            "can_appraise": permissions.can_appraise(request.user, inventory),
            "can_reopen": permissions.can_reopen(request.user, inventory),
            "form": ActivityForm(initial={"year": inventory.period.last_data_year}) if can_prepare else None,
            "gwp_form": GwpForm(initial={"gwp_set": inventory.gwp_set}) if can_prepare else None,
            "history": history_of(inventory),
            "needs_verifier": inventory.listing.obligation_group != "A",
        },
    )


@login_required
@require_POST
def activity_add(request: HttpRequest, pk: int) -> HttpResponse:
    inventory = _inventory_for(request, pk)
    form = ActivityForm(request.POST)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else field
            messages.error(request, f"trường «{label}»: {' '.join(errors)}")
        return redirect("ghg:inventory", pk=pk)
    try:
        services.add_activity(user=request.user, inventory=inventory, data=form.payload())
    except ValidationFailed as exc:
        _fail(request, exc)
    else:
        messages.success(request, "Đã thêm số liệu hoạt động và tính lại phát thải.")
    return redirect(reverse("ghg:inventory", kwargs={"pk": pk}) + "#so-lieu")


@login_required
@require_POST
def inventory_action(request: HttpRequest, pk: int) -> HttpResponse:
    inventory = _inventory_for(request, pk)
    action = request.POST.get("action", "")
    reason = request.POST.get("reason", "")
    done = {
        "submit": "Đã gửi báo cáo để thẩm định.",
        "return": "Đã trả lại báo cáo cho cơ sở.",
        "appraise": "Đã thẩm định báo cáo.",
        "reopen": "Đã mở lại báo cáo.",
        "gwp": "Đã đổi bộ hệ số GWP và tính lại.",
        "delete": "Đã xóa dòng số liệu.",
        "recalculate": "Đã tính lại theo bảng hệ số hiện hành.",
    }
    try:
        if action == "submit":
            services.submit_inventory(user=request.user, inventory=inventory)
        elif action == "return":
            services.return_inventory(user=request.user, inventory=inventory, reason=reason)
        elif action == "appraise":
            services.appraise_inventory(
                user=request.user,
                inventory=inventory,
                note=request.POST.get("note", ""),
                verifier=request.POST.get("verifier", ""),
            )
        elif action == "reopen":
            services.reopen_inventory(user=request.user, inventory=inventory, reason=reason)
        elif action == "gwp":
            services.change_gwp_set(
                user=request.user, inventory=inventory, gwp_set=request.POST.get("gwp_set", ""), reason=reason
            )
        elif action == "delete":
            record = get_object_or_404(ActivityRecord, pk=request.POST.get("record"), inventory=inventory)
            services.delete_activity(user=request.user, record=record, reason=reason)
            services.recalculate(inventories=[inventory])
        elif action == "recalculate":
            base_permissions.require(permissions.can_prepare(request.user, inventory))
            services.recalculate(inventories=[inventory])
        else:
            raise Http404
    except ValidationFailed as exc:
        _fail(request, exc)
    else:
        messages.success(request, done[action])
    return redirect("ghg:inventory", pk=pk)


@login_required
def import_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload → dry run (nothing written, problems by line and column) → confirm (written all at once)."""
    inventory = _inventory_for(request, pk)
    if not permissions.can_prepare(request.user, inventory):
        raise PermissionDenied
    form = ImportForm()
    summary = None
    token = ""
    if request.method == "POST" and request.POST.get("confirm"):
        stash = request.session.get(SESSION_KEY) or {}
        if stash.get("token") != request.POST.get("confirm") or stash.get("inventory") != inventory.pk:
            messages.error(request, "Phiên kiểm tra tệp đã hết hạn; hãy tải tệp lên lại.")
            return redirect("ghg:import", pk=pk)
        try:
            summary = importing.import_activities(
                user=request.user,
                content=base64.b64decode(stash["content"]),
                filename=stash["filename"],
                inventory=inventory,
            )
        except ValidationFailed as exc:
            _fail(request, exc)
            return redirect("ghg:import", pk=pk)
        request.session.pop(SESSION_KEY, None)
        messages.success(
            request,
            f"Đã nhập: thêm {summary.created}, cập nhật {summary.updated}, không đổi {summary.unchanged} dòng.",
        )
        for warning in summary.warnings:
            messages.warning(request, warning)
        return redirect("ghg:inventory", pk=pk)
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            content = upload.read()
            try:
                summary = importing.import_activities(
                    user=request.user,
                    content=content,
                    filename=upload.name,
                    inventory=inventory,
                    dry_run=True,
                )
            except ValidationFailed as exc:
                return render(
                    request,
                    "ghg/import.html",
                    {"inventory": inventory, "form": form, "problems": exc.problems, "filename": upload.name},
                    status=400,
                )
            token = secrets.token_urlsafe(16)
            request.session[SESSION_KEY] = {
                "token": token,
                "inventory": inventory.pk,
                "filename": upload.name,
                "content": base64.b64encode(content).decode(),
            }
    return render(
        request, "ghg/import.html", {"inventory": inventory, "form": form, "summary": summary, "token": token}
    )


def import_template(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(
        importing.template_workbook(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="mau-so-lieu-hoat-dong-kiem-ke-khi-nha-kinh.xlsx"'
    return response


@login_required
@require_POST
def publish(request: HttpRequest, unit_pk: int) -> HttpResponse:
    unit = get_object_or_404(AdminUnit, pk=unit_pk)
    try:
        result = services.publish_provincial_totals(
            user=request.user, admin_unit=unit, approve=request.POST.get("approve") == "1"
        )
    except ValidationFailed as exc:
        _fail(request, exc)
    else:
        messages.success(
            request,
            f"Đã tổng hợp vào chỉ tiêu: thêm {result.created}, cập nhật {result.updated}, không đổi {result.unchanged} giá trị.",
        )
    return redirect("ghg:summary")
