"""Evaluation results in the admin are read-only: they are computed (``evaluate_plan``) and overrides go through
``override_status`` on the target page, which checks the justification."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from xanh.core.admin import ReadableByStaffAdmin
from xanh.evaluation.models import Assessment, EvaluationRun, StatusOverride


class ReadOnlyAdmin(ReadableByStaffAdmin):
    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(EvaluationRun)
class EvaluationRunAdmin(ReadOnlyAdmin):
    list_display = ("plan", "as_of", "target_count", "computed_at", "computed_by")
    list_filter = ("as_of",)


@admin.register(Assessment)
class AssessmentAdmin(ReadOnlyAdmin):
    list_display = ("target", "component", "as_of", "status", "score", "method", "method_version")
    list_filter = ("status", "method", "as_of")
    search_fields = ("target__code", "target__text")


@admin.register(StatusOverride)
class StatusOverrideAdmin(ReadOnlyAdmin):
    list_display = ("target", "status", "computed_status", "created_by", "created_at", "revoked_at")
    list_filter = ("status",)
