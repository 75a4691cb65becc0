from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.http import HttpRequest

from xanh.accounts.models import User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "get_full_name", "role", "agency", "admin_unit", "is_active")
    list_filter = ("role", "is_active")
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        ("Vai trò trong Xanh", {"fields": ("role", "agency", "admin_unit")}),
    )
    autocomplete_fields = ("agency", "admin_unit")

    def has_module_permission(self, request: HttpRequest) -> bool:
        return request.user.is_superuser or getattr(request.user, "role", None) == "admin"

    def has_view_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return self.has_module_permission(request)

    has_change_permission = has_view_permission
    has_add_permission = has_module_permission  # type: ignore[assignment]
    has_delete_permission = has_view_permission
