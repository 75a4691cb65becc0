from django.contrib import admin

from xanh.core.admin import ReadableByStaffAdmin
from xanh.documents.models import Document, DocumentReference


class ReferenceInline(admin.TabularInline):
    model = DocumentReference
    fk_name = "source"
    extra = 0
    autocomplete_fields = ("target",)


@admin.register(Document)
class DocumentAdmin(ReadableByStaffAdmin):
    list_display = ("number", "kind", "issuer", "issued_on", "is_demo")
    list_filter = ("kind", "is_demo")
    search_fields = ("number", "title", "issuer")
    inlines = [ReferenceInline]
    exclude = ("text",)

    def has_add_permission(self, request, *args):  # type: ignore[no-untyped-def]
        return super().has_add_permission(request) or getattr(request.user, "role", None) == "coordinator"

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return (
            super().has_change_permission(request, obj)
            or getattr(request.user, "role", None) == "coordinator"
        )
