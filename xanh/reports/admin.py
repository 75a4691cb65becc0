from django.contrib import admin

from xanh.reports.models import ReportJob


@admin.register(ReportJob)
class ReportJobAdmin(admin.ModelAdmin):
    """Read-only: jobs are created from the plan page or the CLI and written only by the background job."""

    list_display = ("plan", "period", "kind", "format", "status", "progress", "requested_by", "created_at")
    list_filter = ("status", "format", "kind")
    search_fields = ("plan__title", "period", "filename")
    readonly_fields = [f.name for f in ReportJob._meta.fields]

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
