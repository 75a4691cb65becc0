from django.contrib import admin

from xanh.agencies.models import Agency
from xanh.core.admin import ReadableByStaffAdmin


@admin.register(Agency)
class AgencyAdmin(ReadableByStaffAdmin):
    list_display = ("name", "admin_unit", "kind", "valid_from", "valid_to", "successor", "successor_from")
    list_filter = ("kind", "admin_unit")
    search_fields = ("name", "key", "admin_unit__name")
    list_select_related = ("admin_unit", "successor")
    autocomplete_fields = ("admin_unit", "successor")
