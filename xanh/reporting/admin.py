"""Reporting data in the admin: read-only for every role (all writes go through the reporting services and screens)
and scoped like the screens: a reporter sees only the agency's own reports, a coordinator the rounds of the plans
they coordinate, a viewer nothing."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest

from xanh.core.admin import ReadableByStaffAdmin
from xanh.reporting import services
from xanh.reporting.models import (
    Evidence,
    IndicatorReport,
    Notification,
    Reminder,
    ReportingRound,
    ReviewComment,
    Submission,
    TaskReport,
    TemplateUpload,
)


class ReportingScopedAdmin(ReadableByStaffAdmin):
    """``submission_path`` leads from the model to its Submission ("" for Submission itself)."""

    submission_path: str = "submission"

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        qs = super().get_queryset(request)
        visible = services.submissions_visible_to(request.user)
        if self.submission_path:
            return qs.filter(**{f"{self.submission_path}__in": visible})
        return qs.filter(pk__in=visible.values("pk"))

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if not super().has_view_permission(request, obj):
            return False
        if obj is None:
            return True
        return self.get_queryset(request).filter(pk=obj.pk).exists()


@admin.register(ReportingRound)
class ReportingRoundAdmin(ReadableByStaffAdmin):
    list_display = ("period", "plan", "opens_on", "due_on", "status", "is_demo")
    list_filter = ("status", "is_demo")
    search_fields = ("period", "plan__title")
    list_select_related = ("plan",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return super().get_queryset(request).filter(pk__in=ReportingRound.objects.managed_by(request.user))

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Submission)
class SubmissionAdmin(ReportingScopedAdmin):
    submission_path = ""
    list_display = ("agency", "round", "status", "is_late", "submitted_at", "version")
    list_filter = ("status", "is_late")
    search_fields = ("agency__name",)
    list_select_related = ("agency", "round__plan")


@admin.register(TaskReport)
class TaskReportAdmin(ReportingScopedAdmin):
    list_display = ("task", "submission", "role", "status", "percent")
    list_filter = ("status", "role")
    search_fields = ("task__code", "task__text")
    list_select_related = ("task", "submission__agency", "submission__round")


@admin.register(IndicatorReport)
class IndicatorReportAdmin(ReportingScopedAdmin):
    list_display = ("indicator", "period", "disaggregation", "value", "unit", "submission")
    search_fields = ("indicator__code", "indicator__name")
    list_select_related = ("indicator", "submission__agency", "submission__round")


@admin.register(ReviewComment)
class ReviewCommentAdmin(ReportingScopedAdmin):
    list_display = ("submission", "text", "author", "created_at", "resolved_at")
    list_select_related = ("submission__agency", "submission__round", "author")


@admin.register(Evidence)
class EvidenceAdmin(ReportingScopedAdmin):
    submission_path = "task_report__submission"
    list_display = ("original_name", "kind", "size", "task_report", "uploaded_at")
    list_select_related = ("task_report__task", "task_report__submission__agency")
    exclude = ("file",)  # files are served only through the permission-checked download view


@admin.register(TemplateUpload)
class TemplateUploadAdmin(ReportingScopedAdmin):
    list_display = ("filename", "submission", "status", "uploaded_at")
    list_select_related = ("submission__agency", "submission__round")
    exclude = ("content",)


@admin.register(Reminder)
class ReminderAdmin(ReportingScopedAdmin):
    list_display = ("submission", "sent_at", "sent_by")
    list_select_related = ("submission__agency", "submission__round", "sent_by")


@admin.register(Notification)
class NotificationAdmin(ReadableByStaffAdmin):
    """Each person sees only their own notifications here; administrators see all."""

    list_display = ("title", "recipient", "kind", "created_at", "read_at", "emailed_at")
    list_filter = ("kind",)
    list_select_related = ("recipient",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        qs = super().get_queryset(request)
        if request.user.is_superuser or getattr(request.user, "role", None) == "admin":
            return qs
        return qs.filter(recipient_id=request.user.pk)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
