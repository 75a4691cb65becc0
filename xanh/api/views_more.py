"""API resources of the reporting and evaluation apps: task reports (read; agencies update theirs through
``reporting.services.save_draft``, the service behind the report form and the Excel template) and assessments
(read, with every calculation component)."""

from __future__ import annotations

from typing import Any

import django_filters as filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from xanh.api.fields import FieldSelectionMixin
from xanh.api.filters import IdFilter, YearFilter
from xanh.api.serializers import ChoiceLabel
from xanh.api.views import ReadOnlyViewSet, RowListMixin, XanhViewMixin
from xanh.evaluation.models import Assessment, AssessmentStatus
from xanh.plans.models import PlanStatus
from xanh.reporting import services as reporting
from xanh.reporting.models import SubmissionStatus, TaskReport, TaskStatus


class TaskReportSerializer(FieldSelectionMixin, serializers.ModelSerializer):  # type: ignore[type-arg]
    """What an agency reported on one task in one reporting round."""

    status_label = ChoiceLabel("status")
    agency = serializers.IntegerField(source="submission.agency_id", read_only=True)
    agency_name = serializers.CharField(source="submission.agency.name", read_only=True)
    period = serializers.CharField(source="submission.round.period", read_only=True)
    plan = serializers.IntegerField(source="submission.round.plan_id", read_only=True)
    submission_status = serializers.CharField(source="submission.status", read_only=True)
    submission_version = serializers.IntegerField(source="submission.version", read_only=True)

    class Meta:
        model = TaskReport
        fields = [
            "id",
            "task",
            "plan",
            "period",
            "agency",
            "agency_name",
            "role",
            "status",
            "status_label",
            "percent",
            "completed_on",
            "narrative",
            "difficulties",
            "proposals",
            "submission_status",
            "submission_version",
            "updated_at",
        ]


class TaskReportPatchSerializer(serializers.Serializer):  # type: ignore[type-arg]
    status = serializers.ChoiceField(
        choices=[c for c, _l in TaskStatus.choices], required=False, allow_blank=True
    )
    percent = serializers.IntegerField(min_value=0, max_value=100, required=False, allow_null=True)
    completed_on = serializers.DateField(required=False, allow_null=True)
    narrative = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    difficulties = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    proposals = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    version = serializers.IntegerField(
        required=False,
        min_value=1,
        max_value=2**31 - 1,
        help_text=_lazy("Phiên bản báo cáo đã đọc (submission_version); nếu người khác đã lưu sau đó: 409."),
    )


class TaskReportFilter(filters.FilterSet):
    task = IdFilter(field_name="task_id")
    submission = IdFilter(field_name="submission_id")
    plan = IdFilter(field_name="submission__round__plan_id")
    agency = IdFilter(field_name="submission__agency_id")
    period = filters.CharFilter(field_name="submission__round__period")
    year = YearFilter(field_name="submission__round__year")
    status = filters.ChoiceFilter(choices=TaskStatus.choices)

    class Meta:
        model = TaskReport
        fields: list[str] = []


def visible_task_reports(user: Any) -> QuerySet[TaskReport]:
    """Approved reports of public plans for everyone; the reports a user may see in the reporting app as well."""
    public = Q(submission__status=SubmissionStatus.APPROVED) & ~Q(
        submission__round__plan__status=PlanStatus.DRAFT
    )
    if getattr(user, "is_authenticated", False):
        return TaskReport.objects.filter(public | Q(submission__in=reporting.submissions_visible_to(user)))
    return TaskReport.objects.filter(public)


@extend_schema_view(
    list=extend_schema(summary=_lazy("Báo cáo tiến độ nhiệm vụ")),
    retrieve=extend_schema(summary=_lazy("Một báo cáo nhiệm vụ")),
    partial_update=extend_schema(
        summary=_lazy("Cập nhật báo cáo nhiệm vụ của cơ quan mình (lưu nháp)"),
        request=TaskReportPatchSerializer,
        responses={200: TaskReportSerializer},
    ),
)
class TaskReportViewSet(RowListMixin, XanhViewMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    serializer_class = TaskReportSerializer
    filterset_class = TaskReportFilter
    ordering_fields = ["id", "updated_at"]
    ordering = ["-submission__round__year", "task_id", "id"]
    http_method_names = ["get", "patch", "head", "options"]
    extra_error_codes = ("409",)

    def get_queryset(self) -> QuerySet[TaskReport]:
        return visible_task_reports(self.request.user).select_related(
            "submission", "submission__agency", "submission__round"
        )

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        item = self.get_object()
        incoming = TaskReportPatchSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = dict(incoming.validated_data)
        version = data.pop("version", None)
        current = {
            "status": item.status,
            "percent": item.percent,
            "completed_on": item.completed_on,
            "narrative": item.narrative,
            "difficulties": item.difficulties,
            "proposals": item.proposals,
        }
        current.update(data)
        reporting.save_draft(
            user=request.user,
            submission=item.submission,
            expected_version=version,
            tasks={item.pk: reporting.TaskInput(**current)},
            reason=_("Lưu qua API"),
        )
        item = self.get_queryset().get(pk=item.pk)
        return Response(TaskReportSerializer(item, context=self.get_serializer_context()).data)

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if not kwargs.get("partial"):
            return self.http_method_not_allowed(request)  # type: ignore[return-value]
        return self.partial_update(request, *args, **kwargs)


class AssessmentSerializer(FieldSelectionMixin, serializers.ModelSerializer):  # type: ignore[type-arg]
    """The evaluation of a target (``component`` null) or of one of its components, with every calculation
    component so that the status can be explained."""

    status_label = ChoiceLabel("status")
    plan = serializers.IntegerField(source="run.plan_id", read_only=True)

    class Meta:
        model = Assessment
        fields = [
            "id",
            "plan",
            "target",
            "component",
            "as_of",
            "method",
            "method_version",
            "status",
            "status_label",
            "score",
            "components",
            "notes",
            "explanation",
            "observations",
            "computed_at",
        ]


class AssessmentFilter(filters.FilterSet):
    plan = IdFilter(field_name="run__plan_id")
    target = IdFilter(field_name="target_id")
    as_of = YearFilter()
    status = filters.ChoiceFilter(choices=AssessmentStatus.choices)
    whole_target = filters.BooleanFilter(
        field_name="component",
        lookup_expr="isnull",
        help_text=_lazy("true: chỉ đánh giá cả mục tiêu; false: chỉ thành phần."),
    )

    class Meta:
        model = Assessment
        fields: list[str] = []


@extend_schema_view(
    list=extend_schema(summary=_lazy("Đánh giá mục tiêu (kèm thành phần tính toán)")),
    retrieve=extend_schema(summary=_lazy("Một đánh giá")),
)
class AssessmentViewSet(ReadOnlyViewSet):
    serializer_class = AssessmentSerializer
    filterset_class = AssessmentFilter
    ordering_fields = ["id", "as_of", "computed_at"]
    ordering = ["run__plan_id", "-as_of", "target__position", "id"]

    def get_queryset(self) -> QuerySet[Assessment]:
        from xanh.accounts.permissions import can_see_drafts

        qs = Assessment.objects.select_related("run")
        if can_see_drafts(self.request.user):
            return qs
        return qs.exclude(run__plan__status=PlanStatus.DRAFT)
