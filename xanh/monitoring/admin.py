"""Station registry in the admin: coordinators manage the stations of their province; administrators everything."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from xanh.accounts import permissions
from xanh.core.admin import ReadableByStaffAdmin, _role

from .ingest import raw_content
from .models import ExceedanceEvent, Facility, IngestedFile, QaFlag, Station, StationParameter

RAW_PREVIEW_BYTES = 20_000


class UnitScopedAdmin(ReadableByStaffAdmin):
    unit_path = "admin_unit"

    def _unit(self, obj: Any) -> Any:
        for part in self.unit_path.split("__"):
            obj = getattr(obj, part)
        return obj

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return _role(request) in {"admin", "coordinator"}

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if _role(request) not in {"admin", "coordinator"}:
            return False
        return obj is None or permissions.coordinates_unit(request.user, self._unit(obj))

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_change_permission(request, obj)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        permissions.require(permissions.coordinates_unit(request.user, self._unit(obj)))
        obj._change_reason = "Sửa trong trang quản trị"
        super().save_model(request, obj, form, change)


class StationParameterInline(admin.TabularInline):
    model = StationParameter
    extra = 0
    fields = (
        "code",
        "unit",
        "valid_min",
        "valid_max",
        "limit_value",
        "limit_averaging",
        "limit_source",
        "is_active",
    )


@admin.register(Facility)
class FacilityAdmin(UnitScopedAdmin):
    list_display = ("name", "code", "admin_unit", "permit_number", "is_large_source")
    list_filter = ("admin_unit", "is_large_source")
    search_fields = ("name", "code", "permit_number")


@admin.register(Station)
class StationAdmin(UnitScopedAdmin):
    list_display = ("code", "name", "kind", "admin_unit", "facility", "status", "is_public")
    list_filter = ("kind", "status", "admin_unit")
    search_fields = ("code", "name", "logger_station", "logger_facility")
    inlines = [StationParameterInline]


@admin.register(QaFlag)
class QaFlagAdmin(ReadableByStaffAdmin):
    list_display = ("station", "kind", "start", "end", "source", "revoked_at")
    list_filter = ("kind", "source")
    readonly_fields = [f.name for f in QaFlag._meta.fields]


@admin.register(IngestedFile)
class IngestedFileAdmin(ReadableByStaffAdmin):
    list_display = ("name", "station", "received_at", "lines", "stored", "rejected", "outcome")
    list_filter = ("outcome", "kind")
    search_fields = ("name", "sha256")
    readonly_fields = [*(f.name for f in IngestedFile._meta.fields), "raw_file"]

    @admin.display(description="nội dung tệp gốc")
    def raw_file(self, obj: IngestedFile) -> str:
        """The archived bytes (a member of the chunk's tar), for audit; long files are cut."""
        try:
            content = raw_content(obj)
        except OSError as exc:
            return f"không đọc được bản lưu: {exc}"
        text = content[:RAW_PREVIEW_BYTES].decode("utf-8", "replace")
        if len(content) > RAW_PREVIEW_BYTES:
            text += f"\n… (còn {len(content) - RAW_PREVIEW_BYTES} byte)"
        return text


@admin.register(ExceedanceEvent)
class ExceedanceEventAdmin(ReadableByStaffAdmin):
    list_display = ("sensor", "averaging", "start", "end", "peak_value", "limit_value", "notified_at")
    list_filter = ("averaging",)
    readonly_fields = [f.name for f in ExceedanceEvent._meta.fields]
