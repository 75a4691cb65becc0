"""Admin base classes that apply Xanh's role rules, so the admin is no way around the services' permissions."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from simple_history.admin import SimpleHistoryAdmin

from xanh.accounts import permissions


def _role(request: HttpRequest) -> str | None:
    user = request.user
    if not user.is_authenticated or not user.is_active or not user.is_staff:
        return None
    return "admin" if user.is_superuser else getattr(user, "role", None)


class ReadableByStaffAdmin(SimpleHistoryAdmin):
    """Every staff role may look; only system administrators may change reference data."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _role(request) is not None

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _role(request) is not None

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return _role(request) == "admin"

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _role(request) == "admin"

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _role(request) == "admin"


class PlanScopedAdmin(ReadableByStaffAdmin):
    """Plan content: coordinators of the plan's unit may edit; reporters and viewers read."""

    plan_path: str = "plan"

    def _plan(self, obj: Any) -> Any:
        for part in self.plan_path.split("__"):
            obj = getattr(obj, part)
        return obj

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return _role(request) in {"admin", "coordinator"}

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if _role(request) not in {"admin", "coordinator"}:
            return False
        return obj is None or permissions.can_manage_plan(request.user, self._plan(obj))

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self.has_change_permission(request, obj)

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        permissions.require(permissions.can_manage_plan(request.user, self._plan(obj)))
        obj._change_reason = "Sửa trong trang quản trị"
        super().save_model(request, obj, form, change)


admin.site.empty_value_display = "—"
