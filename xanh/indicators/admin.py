from typing import Any

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from xanh.accounts import permissions
from xanh.core.admin import ReadableByStaffAdmin
from xanh.indicators.models import Indicator, IndicatorValue


@admin.register(Indicator)
class IndicatorAdmin(ReadableByStaffAdmin):
    list_display = ("code", "name", "unit", "direction", "periodicity", "responsible_body")
    search_fields = ("code", "name")
    list_filter = ("direction", "periodicity")


@admin.register(IndicatorValue)
class IndicatorValueAdmin(ReadableByStaffAdmin):
    """Values are read here; they are written through the reporting forms, imports and API (the services).

    A reporter only sees the agency's own values, and nobody can edit an approved value here.
    """

    list_display = (
        "indicator",
        "admin_unit",
        "period",
        "disaggregation",
        "value",
        "unit",
        "status",
        "agency",
        "source",
    )
    list_filter = ("status", "source", "admin_unit")
    search_fields = ("indicator__code", "indicator__name")
    list_select_related = ("indicator", "admin_unit", "agency")

    def get_queryset(self, request: HttpRequest) -> Any:
        qs = super().get_queryset(request)
        if getattr(request.user, "role", None) == "reporter" and not request.user.is_superuser:
            return qs.filter(agency_id=request.user.agency_id)
        return qs

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if not request.user.is_authenticated or getattr(request.user, "role", None) == "viewer":
            return False
        if obj is None:
            return permissions.can_see_drafts(request.user)
        return not obj.is_locked and permissions.acts_for_agency(request.user, obj.agency)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        obj._change_reason = "Sửa trong trang quản trị"
        super().save_model(request, obj, form, change)
