from django.contrib import admin

from xanh.core.admin import ReadableByStaffAdmin
from xanh.geo.models import AdminUnit


@admin.register(AdminUnit)
class AdminUnitAdmin(ReadableByStaffAdmin):
    list_display = ("code", "name", "unit_type", "level", "valid_from", "valid_to", "successor", "is_demo")
    list_filter = ("level", "unit_type", "is_demo")
    search_fields = ("name", "name_folded", "code")
    list_select_related = ("successor",)
    autocomplete_fields = ("successor", "parent")
