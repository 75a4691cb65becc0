from django.contrib import admin

from xanh.core.admin import PlanScopedAdmin
from xanh.plans.models import Plan, Section, Target, TargetComponent, Task, TaskAssignment


class ComponentInline(admin.TabularInline):
    model = TargetComponent
    extra = 0
    fields = (
        "subject",
        "scope",
        "comparator",
        "value",
        "low",
        "high",
        "unit",
        "direction",
        "value_kind",
        "year",
        "baseline_value",
        "baseline_year",
        "indicator",
    )
    autocomplete_fields = ("indicator",)


class AssignmentInline(admin.TabularInline):
    model = TaskAssignment
    extra = 0
    autocomplete_fields = ("agency",)


@admin.register(Plan)
class PlanAdmin(PlanScopedAdmin):
    list_display = ("title", "admin_unit", "period_start", "period_end", "status", "version", "is_demo")
    list_filter = ("status", "is_demo", "admin_unit")
    search_fields = ("title", "document__number")
    list_select_related = ("admin_unit",)
    autocomplete_fields = ("admin_unit", "document", "parent", "coordinator_agency", "supersedes")

    def _plan(self, obj):  # type: ignore[no-untyped-def]
        return obj


@admin.register(Section)
class SectionAdmin(PlanScopedAdmin):
    list_display = ("code", "heading", "plan")
    list_filter = ("plan",)
    search_fields = ("code", "heading")


@admin.register(Target)
class TargetAdmin(PlanScopedAdmin):
    list_display = ("code", "text", "pillar", "kind", "year", "plan")
    list_filter = ("pillar", "kind", "plan")
    search_fields = ("text", "code")
    inlines = [ComponentInline]
    autocomplete_fields = ("indicator",)
    raw_id_fields = ("section",)


@admin.register(Task)
class TaskAdmin(PlanScopedAdmin):
    list_display = ("code", "text", "deadline", "plan")
    list_filter = ("plan",)
    search_fields = ("text", "code")
    inlines = [AssignmentInline]
    raw_id_fields = ("section",)
    filter_horizontal = ("targets",)
