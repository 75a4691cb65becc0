"""The reporting workflow through the API: an agency's report in a round (``Submission``), read and moved through
its states by the same services as the browser (``xanh.reporting.services``: submit, return_submission, approve,
reopen). Permissions, validation, optimistic locking (``version``), notifications and the audit trail are the
services' own; these views only translate HTTP to service calls.

Visibility is ``submissions_visible_to(user)``: reports are never public (anonymous callers get 401), a reporter
sees its agency's reports, a coordinator those of the plans it manages. A submission the caller cannot see is a 404
(as for task reports); one it can see but not act on is a 403 with the service's reason.
"""

from __future__ import annotations

from typing import Any

import django_filters as filters
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext_lazy as _lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from xanh.api.fields import FieldSelectionMixin
from xanh.api.filters import IdFilter, YearFilter
from xanh.api.rows import RowBuilder, SerializerMethod
from xanh.api.serializers import ChoiceLabel
from xanh.api.views import ReadOnlyViewSet
from xanh.reporting import services as reporting
from xanh.reporting.models import IndicatorReport, Submission, SubmissionStatus, TaskReport

MAX_VERSION = 2**31 - 1
TEXT_MAX = reporting.TEXT_MAX


def _absolute(request: Any, path: str) -> str:
    return request.build_absolute_uri(path) if request is not None else path


class SubmissionSerializer(FieldSelectionMixin, serializers.ModelSerializer):  # type: ignore[type-arg]
    """One agency's report in one reporting round (list rows)."""

    status_label = ChoiceLabel("status")
    plan = serializers.IntegerField(source="round.plan_id", read_only=True)
    period = serializers.CharField(source="round.period", read_only=True)
    year = serializers.IntegerField(source="round.year", read_only=True)
    due_on = serializers.DateField(source="round.due_on", read_only=True)
    agency_name = serializers.CharField(source="agency.name", read_only=True)
    links = serializers.SerializerMethodField()

    class Meta:
        model = Submission
        fields = [
            "id",
            "round",
            "plan",
            "period",
            "year",
            "agency",
            "agency_name",
            "status",
            "status_label",
            "version",
            "due_on",
            "is_late",
            "submitted_at",
            "reviewed_at",
            "approved_at",
            "reviewer_comment",
            "updated_at",
            "links",
        ]

    @extend_schema_field(
        {"type": "object", "properties": {k: {"type": "string"} for k in ("self", "task_reports", "web")}}
    )
    def get_links(self, submission: Any) -> dict[str, str]:
        request = self.context.get("request")
        return {
            "self": _absolute(request, f"/api/v1/submissions/{submission.pk}"),
            "task_reports": _absolute(request, f"/api/v1/task-reports?submission={submission.pk}"),
            "web": _absolute(request, reverse("reporting:submission", args=[submission.pk])),
        }


class TaskItemSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    task_code = serializers.CharField(source="task.code", read_only=True)
    status = serializers.CharField(read_only=True, help_text=_lazy("Như status của task-reports."))
    status_label = ChoiceLabel("status")
    url = serializers.SerializerMethodField()

    class Meta:
        model = TaskReport
        fields = ["id", "task", "task_code", "role", "status", "status_label", "percent", "url"]

    def get_url(self, item: TaskReport) -> str:
        return _absolute(self.context.get("request"), f"/api/v1/task-reports/{item.pk}")


class IndicatorItemSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    indicator_code = serializers.CharField(source="indicator.code", read_only=True)

    class Meta:
        model = IndicatorReport
        fields = [
            "id",
            "indicator",
            "indicator_code",
            "period",
            "disaggregation",
            "value",
            "unit",
            "data_source",
            "note",
            "official_value",
        ]


class ItemsSummarySerializer(serializers.Serializer):  # type: ignore[type-arg]
    tasks = serializers.IntegerField(help_text=_lazy("Số nhiệm vụ trong báo cáo."))
    tasks_filled = serializers.IntegerField(help_text=_lazy("Số nhiệm vụ đã chọn tình trạng."))
    indicators = serializers.IntegerField(help_text=_lazy("Số giá trị chỉ tiêu trong báo cáo."))
    indicators_filled = serializers.IntegerField(help_text=_lazy("Số giá trị chỉ tiêu đã ghi."))
    missing = serializers.IntegerField(
        help_text=_lazy("Số mục còn thiếu hoặc chưa hợp lệ để nộp (0 khi báo cáo không còn sửa được).")
    )


class MissingItemSerializer(serializers.Serializer):  # type: ignore[type-arg]
    source = serializers.CharField(allow_null=True, help_text=_lazy("Mục của báo cáo, ví dụ «Nhiệm vụ 1.a»."))
    field = serializers.CharField(allow_null=True)
    message = serializers.CharField()


class SubmissionDetailSerializer(SubmissionSerializer):
    """A report with its items: what a client needs before submitting, returning or approving it."""

    # the enum of "status" is declared once, by the list rows (a choice set shared by two components would get a
    # hashed enum name in the schema)
    status = serializers.CharField(
        read_only=True, help_text=_lazy("Như trong danh sách: not_started … approved.")
    )
    summary = serializers.CharField(read_only=True)
    items = serializers.SerializerMethodField()
    missing = serializers.SerializerMethodField()
    task_reports = serializers.SerializerMethodField()
    indicator_reports = serializers.SerializerMethodField()

    class Meta(SubmissionSerializer.Meta):
        fields = [
            *SubmissionSerializer.Meta.fields,
            "summary",
            "items",
            "missing",
            "task_reports",
            "indicator_reports",
        ]

    def _items(self, submission: Submission) -> tuple[dict[int, TaskReport], dict[int, IndicatorReport]]:
        cache = self.context.setdefault("_items", {})
        if submission.pk not in cache:
            cache[submission.pk] = reporting.report_items(submission)
        return cache[submission.pk]  # type: ignore[no-any-return]

    def _missing(self, submission: Submission) -> list[dict[str, Any]]:
        cache = self.context.setdefault("_missing", {})
        if submission.pk not in cache:
            rows: list[dict[str, Any]] = []
            if submission.is_editable:
                issues = reporting.missing_items(submission)
                if issues:
                    tasks, indicators = self._items(submission)
                    error = reporting.form_error(issues, tasks, indicators)
                    rows = [
                        {"source": p.source or None, "field": p.column, "message": p.message}
                        for p in error.problems
                    ]
            cache[submission.pk] = rows
        return cache[submission.pk]  # type: ignore[no-any-return]

    @extend_schema_field(ItemsSummarySerializer)
    def get_items(self, submission: Submission) -> dict[str, int]:
        tasks, indicators = self._items(submission)
        return {
            "tasks": len(tasks),
            "tasks_filled": sum(1 for t in tasks.values() if t.status),
            "indicators": len(indicators),
            "indicators_filled": sum(1 for i in indicators.values() if i.value is not None),
            "missing": len(self._missing(submission)),
        }

    @extend_schema_field(MissingItemSerializer(many=True))
    def get_missing(self, submission: Submission) -> list[dict[str, Any]]:
        return self._missing(submission)

    @extend_schema_field(TaskItemSerializer(many=True))
    def get_task_reports(self, submission: Submission) -> list[dict[str, Any]]:
        tasks, _indicators = self._items(submission)
        return TaskItemSerializer(list(tasks.values()), many=True, context=self.context).data  # type: ignore[return-value]

    @extend_schema_field(IndicatorItemSerializer(many=True))
    def get_indicator_reports(self, submission: Submission) -> list[dict[str, Any]]:
        _tasks, indicators = self._items(submission)
        return IndicatorItemSerializer(list(indicators.values()), many=True, context=self.context).data  # type: ignore[return-value]


def _version_field() -> serializers.IntegerField:
    return serializers.IntegerField(
        min_value=1,
        max_value=MAX_VERSION,
        help_text=_lazy(
            "Phiên bản báo cáo đã đọc (version); nếu báo cáo đã thay đổi sau đó: 409 edit_conflict."
        ),
    )


class SubmitSerializer(serializers.Serializer):  # type: ignore[type-arg]
    version = _version_field()


class ItemCommentSerializer(serializers.Serializer):  # type: ignore[type-arg]
    task_report = serializers.IntegerField(min_value=1, max_value=MAX_VERSION, required=False)
    indicator_report = serializers.IntegerField(min_value=1, max_value=MAX_VERSION, required=False)
    comment = serializers.CharField(max_length=TEXT_MAX)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if ("task_report" in attrs) == ("indicator_report" in attrs):
            raise serializers.ValidationError(
                _lazy("Mỗi ý kiến gắn với đúng một mục: task_report hoặc indicator_report.")
            )
        return attrs


class ReturnSerializer(serializers.Serializer):  # type: ignore[type-arg]
    version = _version_field()
    comment = serializers.CharField(
        max_length=TEXT_MAX, help_text=_lazy("Ý kiến chung gửi cơ quan báo cáo (bắt buộc).")
    )
    item_comments = ItemCommentSerializer(
        many=True, required=False, help_text=_lazy("Ý kiến cho từng mục của báo cáo (không bắt buộc).")
    )


class ApproveSubmissionSerializer(serializers.Serializer):  # type: ignore[type-arg]
    version = _version_field()
    replace_official = serializers.BooleanField(
        required=False,
        default=False,
        help_text=_lazy("Thay giá trị chính thức đã phê duyệt khác với số liệu báo cáo (cần ghi lý do)."),
    )
    reason = serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=TEXT_MAX,
        help_text=_lazy("Lý do thay giá trị chính thức."),
    )


class ReopenSerializer(serializers.Serializer):  # type: ignore[type-arg]
    version = _version_field()
    reason = serializers.CharField(
        max_length=TEXT_MAX, help_text=_lazy("Lý do mở lại (bắt buộc, được lưu vết).")
    )


class SubmissionFilter(filters.FilterSet):
    round = IdFilter(field_name="round_id")
    plan = IdFilter(field_name="round__plan_id")
    agency = IdFilter(field_name="agency_id")
    period = filters.CharFilter(field_name="round__period")
    year = YearFilter(field_name="round__year")
    status = filters.ChoiceFilter(choices=SubmissionStatus.choices)
    is_late = filters.BooleanFilter()

    class Meta:
        model = Submission
        fields: list[str] = []


def _action_schema(summary: Any, description: Any, request: Any) -> Any:
    return extend_schema(
        summary=summary,
        description=description,
        request=request,
        responses={
            200: OpenApiResponse(SubmissionDetailSerializer, description=_lazy("Báo cáo sau thao tác."))
        },
    )


_ACTION = {
    "detail": True,
    "methods": ["post"],
    "renderer_classes": [JSONRenderer],
    "supports_csv": False,
    "supports_field_selection": False,
}


@extend_schema_view(
    list=extend_schema(
        summary=_lazy("Báo cáo của các cơ quan theo kỳ"),
        description=_lazy(
            "Cần đăng nhập: cơ quan báo cáo thấy báo cáo của mình, cơ quan đầu mối thấy báo cáo của kế hoạch mình "
            "điều phối."
        ),
    ),
    retrieve=extend_schema(
        summary=_lazy("Một báo cáo của cơ quan"),
        description=_lazy("Kèm danh sách nhiệm vụ, chỉ tiêu và các mục còn thiếu để nộp."),
        responses={200: SubmissionDetailSerializer},
    ),
)
class SubmissionViewSet(ReadOnlyViewSet):
    serializer_class = SubmissionSerializer
    filterset_class = SubmissionFilter
    permission_classes = [IsAuthenticated]
    ordering_fields = ["id", "updated_at", "submitted_at", "status"]
    ordering = ["-round__year", "round_id", "agency__name", "id"]
    list_rows = RowBuilder({"links": SerializerMethod(pk="pk")})
    extra_error_codes = ("409",)

    def get_queryset(self) -> QuerySet[Submission]:
        return reporting.submissions_visible_to(self.request.user).select_related("round__plan", "agency")

    def get_serializer_class(self) -> Any:
        if self.action == "list":
            return SubmissionSerializer
        return SubmissionDetailSerializer

    def _answer(self, submission: Submission) -> Response:
        fresh = self.get_queryset().get(pk=submission.pk)
        return Response(SubmissionDetailSerializer(fresh, context=self.get_serializer_context()).data)

    def _incoming(self, serializer_class: Any, request: Request) -> dict[str, Any]:
        incoming = serializer_class(data=request.data)
        incoming.is_valid(raise_exception=True)
        return dict(incoming.validated_data)

    @_action_schema(
        _lazy("Nộp báo cáo"),
        _lazy(
            "Cơ quan báo cáo nộp báo cáo của mình. Còn mục bắt buộc chưa ghi hoặc chưa hợp lệ: 400 với danh sách "
            "(errors[].source là mục, errors[].field là trường). Nộp sau hạn được đánh dấu is_late."
        ),
        SubmitSerializer,
    )
    @action(url_path="submit", **_ACTION)
    def submit(self, request: Request, pk: str | None = None) -> Response:
        submission = self.get_object()
        data = self._incoming(SubmitSerializer, request)
        submission = reporting.submit(
            user=request.user, submission=submission, expected_version=data["version"]
        )
        return self._answer(submission)

    @_action_schema(
        _lazy("Trả lại báo cáo kèm ý kiến"),
        _lazy(
            "Cơ quan đầu mối trả lại báo cáo đã nộp; cần ý kiến chung (comment), có thể thêm ý kiến từng mục."
        ),
        ReturnSerializer,
    )
    @action(url_path="return", url_name="return", **_ACTION)
    def return_(self, request: Request, pk: str | None = None) -> Response:
        submission = self.get_object()
        data = self._incoming(ReturnSerializer, request)
        items = data.get("item_comments") or []
        submission = reporting.return_submission(
            user=request.user,
            submission=submission,
            general_comment=data["comment"],
            task_comments={c["task_report"]: c["comment"] for c in items if "task_report" in c},
            indicator_comments={
                c["indicator_report"]: c["comment"] for c in items if "indicator_report" in c
            },
            expected_version=data["version"],
        )
        return self._answer(submission)

    @_action_schema(
        _lazy("Phê duyệt báo cáo"),
        _lazy(
            "Cơ quan đầu mối phê duyệt báo cáo đã nộp: báo cáo bị khóa và số liệu chỉ tiêu trở thành giá trị chính "
            "thức (đã phê duyệt)."
        ),
        ApproveSubmissionSerializer,
    )
    @action(url_path="approve", **_ACTION)
    def approve(self, request: Request, pk: str | None = None) -> Response:
        submission = self.get_object()
        data = self._incoming(ApproveSubmissionSerializer, request)
        submission = reporting.approve(
            user=request.user,
            submission=submission,
            expected_version=data["version"],
            replace_official=data.get("replace_official", False),
            reason=data.get("reason", ""),
        )
        return self._answer(submission)

    @_action_schema(
        _lazy("Mở lại báo cáo đã phê duyệt"),
        _lazy(
            "Cơ quan đầu mối mở lại báo cáo đã phê duyệt để cơ quan điều chỉnh; cần lý do (reason), được lưu vết."
        ),
        ReopenSerializer,
    )
    @action(url_path="reopen", **_ACTION)
    def reopen(self, request: Request, pk: str | None = None) -> Response:
        submission = self.get_object()
        data = self._incoming(ReopenSerializer, request)
        submission = reporting.reopen(
            user=request.user, submission=submission, reason=data["reason"], expected_version=data["version"]
        )
        return self._answer(submission)
