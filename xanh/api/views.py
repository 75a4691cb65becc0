"""REST API v1. Thin views: reading is filtered per role, writing calls the services (see imports.py)."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, parsers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotAuthenticated, ParseError, ValidationError
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import APIView

from xanh.accounts import permissions as rules
from xanh.accounts.models import ApiToken
from xanh.agencies.models import Agency
from xanh.api import filters, serializers
from xanh.api.fields import requested_fields
from xanh.api.imports import import_values, update_one, write_one
from xanh.api.renderers import CSVRenderer
from xanh.api.rows import Children, ModelProperty, RelatedIds, RowBuilder, SerializerMethod
from xanh.api.throttling import ImportRateThrottle
from xanh.api.valuerows import ValueRow, parse_csv, parse_json
from xanh.geo.models import AdminUnit
from xanh.indicators.models import Indicator, IndicatorValue, ValueStatus
from xanh.indicators.services import approve_value
from xanh.plans.models import Plan, PlanStatus, Section, Target, TargetComponent, Task, TaskAssignment


class XanhViewMixin:
    """Shared behaviour: JSON + CSV, field selection, JSON errors, NUL-safe query strings."""

    renderer_classes = [JSONRenderer, CSVRenderer]
    supports_field_selection = True
    supports_csv = True
    throttle_scope: str | None = None  # set per action (bulk import) for ImportRateThrottle
    request: Request

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        for key, values in request.query_params.lists():
            if "\x00" in key or any("\x00" in v for v in values):
                raise ValidationError({key.replace("\x00", ""): [_("Tham số chứa ký tự NUL không hợp lệ.")]})
        super().initial(request, *args, **kwargs)  # type: ignore[misc]

    def handle_exception(self, exc: Exception) -> Response:
        response: Response = super().handle_exception(exc)  # type: ignore[misc]
        request = getattr(self, "request", None)
        if isinstance(request, Request):
            request.accepted_renderer = JSONRenderer()  # errors are always JSON, even for ?format=csv
            request.accepted_media_type = "application/json"
        return response

    def get_serializer(self, *args: Any, **kwargs: Any) -> Any:
        if self.request.method == "GET" and self.supports_field_selection:
            fields = requested_fields(self.request)
            if fields:
                kwargs["fields"] = fields
        return super().get_serializer(*args, **kwargs)  # type: ignore[misc]


class RowListMixin:
    """List pages built by ``list_rows`` (xanh/api/rows.py: ``values_list()`` tuples, one query per nested relation)
    instead of model instances through the serializer; single objects, writes and the schema still use the
    serializer, which also defines which fields a row has (``?fields=`` included)."""

    list_rows: RowBuilder = RowBuilder()

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        fields = None
        if request.method == "GET" and getattr(self, "supports_field_selection", False):
            fields = requested_fields(request)  # unknown names: 400, as through get_serializer()
        plan = self.list_rows.plan(self.get_serializer_class(), fields)  # type: ignore[attr-defined]
        queryset = self.list_rows.values(plan, self.filter_queryset(self.get_queryset()))  # type: ignore[attr-defined]
        page = self.paginate_queryset(queryset)  # type: ignore[attr-defined]
        context = self.get_serializer_context()  # type: ignore[attr-defined]
        rows = self.list_rows.rows(plan, page if page is not None else queryset, context)
        if page is not None:
            return self.get_paginated_response(rows)  # type: ignore[attr-defined,no-any-return]
        return Response(rows)


class ReadOnlyViewSet(RowListMixin, XanhViewMixin, viewsets.ReadOnlyModelViewSet):  # type: ignore[type-arg]
    pass


def _public_plans_filter(user: Any, prefix: str = "plan__") -> Q:
    """Anonymous users and viewers see published (and superseded) plans; staff roles also see drafts."""
    if rules.can_see_drafts(user):
        return Q()
    return ~Q(**{f"{prefix}status": PlanStatus.DRAFT})


@extend_schema_view(
    list=extend_schema(
        summary=_("Đơn vị hành chính"),
        description=_("Tỉnh, thành phố (và xã) với thời gian hiệu lực và đơn vị kế thừa sau sáp nhập."),
    ),
    retrieve=extend_schema(summary=_("Một đơn vị hành chính")),
)
class AdminUnitViewSet(ReadOnlyViewSet):
    serializer_class = serializers.AdminUnitSerializer
    filterset_class = filters.AdminUnitFilter
    ordering_fields = ["id", "code", "name", "valid_from", "valid_to"]
    ordering = ["level", "code", "-valid_from"]
    list_rows = RowBuilder(
        {
            "display_name": ModelProperty("unit_type", "name"),
            "predecessors": RelatedIds("predecessors", ("id",)),
        }
    )
    queryset = AdminUnit.objects.select_related("successor").prefetch_related(
        Prefetch("predecessors", queryset=AdminUnit.objects.only("id", "successor_id").order_by("id"))
    )


@extend_schema_view(
    list=extend_schema(summary=_("Cơ quan")), retrieve=extend_schema(summary=_("Một cơ quan"))
)
class AgencyViewSet(ReadOnlyViewSet):
    serializer_class = serializers.AgencySerializer
    filterset_class = filters.AgencyFilter
    ordering_fields = ["id", "name", "key", "valid_from"]
    ordering = ["admin_unit__name", "kind", "name"]
    queryset = Agency.objects.select_related("admin_unit")


@extend_schema_view(
    list=extend_schema(
        summary=_("Kế hoạch"), description=_("Người chưa đăng nhập chỉ thấy kế hoạch đã công bố.")
    ),
    retrieve=extend_schema(summary=_("Một kế hoạch")),
)
class PlanViewSet(ReadOnlyViewSet):
    serializer_class = serializers.PlanSerializer
    filterset_class = filters.PlanFilter
    ordering_fields = ["id", "title", "period_start", "published_at", "updated_at"]
    ordering = ["admin_unit__name", "-period_start", "title"]
    list_rows = RowBuilder({"links": SerializerMethod(pk="pk")})

    def get_queryset(self) -> QuerySet[Plan]:
        return Plan.objects.visible_to(self.request.user).select_related("admin_unit", "document")


@extend_schema_view(
    list=extend_schema(summary=_("Mục của kế hoạch")), retrieve=extend_schema(summary=_("Một mục"))
)
class SectionViewSet(ReadOnlyViewSet):
    serializer_class = serializers.SectionSerializer
    filterset_class = filters.SectionFilter
    ordering_fields = ["id", "position", "code"]
    ordering = ["plan_id", "position"]

    def get_queryset(self) -> QuerySet[Section]:
        return Section.objects.filter(_public_plans_filter(self.request.user))


@extend_schema_view(
    list=extend_schema(summary=_("Mục tiêu, chỉ tiêu của kế hoạch (kèm thành phần)")),
    retrieve=extend_schema(summary=_("Một mục tiêu")),
)
class TargetViewSet(ReadOnlyViewSet):
    serializer_class = serializers.TargetSerializer
    filterset_class = filters.TargetFilter
    ordering_fields = ["id", "position", "year", "code"]
    ordering = ["plan_id", "position"]
    list_rows = RowBuilder(
        {
            "components": Children(
                "components",
                ("position", "id"),
                {"display_value": ModelProperty("comparator", "low", "high", "value", "unit")},
            )
        }
    )

    def get_queryset(self) -> QuerySet[Target]:
        return (
            Target.objects.filter(_public_plans_filter(self.request.user))
            .select_related("indicator")
            .prefetch_related(
                Prefetch("components", queryset=TargetComponent.objects.order_by("position", "id"))
            )
        )


@extend_schema_view(
    list=extend_schema(summary=_("Nhiệm vụ, giải pháp (kèm cơ quan chủ trì, phối hợp)")),
    retrieve=extend_schema(summary=_("Một nhiệm vụ")),
)
class TaskViewSet(ReadOnlyViewSet):
    serializer_class = serializers.TaskSerializer
    filterset_class = filters.TaskFilter
    ordering_fields = ["id", "position", "code", "due_date"]
    ordering = ["plan_id", "position"]
    list_rows = RowBuilder(
        {"assignments": Children("assignments", ("role", "id")), "targets": RelatedIds("targets")}
    )

    def get_queryset(self) -> QuerySet[Task]:
        return Task.objects.filter(_public_plans_filter(self.request.user)).prefetch_related(
            Prefetch(
                "assignments",
                queryset=TaskAssignment.objects.select_related("agency").order_by("role", "id"),
            ),
            Prefetch("targets", queryset=Target.objects.only("id")),
        )


@extend_schema_view(
    list=extend_schema(summary=_("Chỉ tiêu thống kê")), retrieve=extend_schema(summary=_("Một chỉ tiêu"))
)
class IndicatorViewSet(ReadOnlyViewSet):
    serializer_class = serializers.IndicatorSerializer
    filterset_class = filters.IndicatorFilter
    ordering_fields = ["id", "code", "name"]
    ordering = ["code"]
    queryset = Indicator.objects.all()


def visible_values(user: Any) -> QuerySet[IndicatorValue]:
    """Approved values for everyone; a reporter also sees their agency's unapproved values; coordinators and
    administrators see all."""
    values = IndicatorValue.objects.all()
    if rules.can_see_drafts(user):
        return values
    agency_id = getattr(user, "agency_id", None) if getattr(user, "is_authenticated", False) else None
    if agency_id and getattr(user, "is_reporter", False):
        return values.filter(Q(status=ValueStatus.APPROVED) | Q(agency_id=agency_id))
    return values.filter(status=ValueStatus.APPROVED)


class CSVTextParser(parsers.BaseParser):
    media_type = "text/csv"

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> str:
        raw = stream.read()
        try:
            return raw.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise ParseError(_("Tệp CSV phải được mã hóa UTF-8.")) from exc


_VALUE_WRITE_RESPONSES = {
    200: OpenApiResponse(serializers.IndicatorValueSerializer, description=_("Đã cập nhật hoặc không đổi.")),
    201: OpenApiResponse(serializers.IndicatorValueSerializer, description=_("Đã tạo.")),
}


@extend_schema_view(
    list=extend_schema(
        summary=_("Giá trị chỉ tiêu"),
        description=_(
            "Mỗi dòng là một quan sát: chỉ tiêu × đơn vị × kỳ × phân tổ. Người chưa đăng nhập chỉ thấy giá trị đã phê duyệt."
        ),
    ),
    retrieve=extend_schema(summary=_("Một giá trị chỉ tiêu")),
    create=extend_schema(
        summary=_("Nhập hoặc cập nhật một giá trị"),
        request=serializers.IndicatorValueWriteSerializer,
        responses=_VALUE_WRITE_RESPONSES,
    ),
    partial_update=extend_schema(
        summary=_("Sửa một giá trị chưa phê duyệt"),
        request=serializers.IndicatorValuePatchSerializer,
        responses={200: serializers.IndicatorValueSerializer},
    ),
)
class IndicatorValueViewSet(
    RowListMixin,
    XanhViewMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.ReadOnlyModelViewSet,
):  # type: ignore[type-arg]
    serializer_class = serializers.IndicatorValueSerializer
    filterset_class = filters.IndicatorValueFilter
    ordering_fields = ["id", "period", "year", "value", "updated_at", "approved_at"]
    ordering = ["indicator_id", "admin_unit_id", "period", "disaggregation"]
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self) -> QuerySet[IndicatorValue]:
        return visible_values(self.request.user).select_related("indicator", "admin_unit")

    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        incoming = serializers.IndicatorValueWriteSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        data = incoming.validated_data
        row = ValueRow(
            row=1,
            indicator_code=data.get("indicator_code", ""),
            indicator_id=data.get("indicator"),
            admin_unit_code=data.get("admin_unit_code", ""),
            admin_unit_id=data.get("admin_unit"),
            period=data["period"].strip().upper(),
            value=data["value"],
            disaggregation=data.get("disaggregation", ""),
            unit=data.get("unit", ""),
            agency_key=data.get("agency_key", ""),
            status=data["status"],
            note=data.get("note", ""),
            source_detail=data.get("source_detail", ""),
        )
        agency = get_object_or_404(Agency, pk=data["agency"]) if data.get("agency") else None
        value, outcome = write_one(user=request.user, row=row, agency=agency)
        value = self.get_queryset().get(pk=value.pk)
        code = status.HTTP_201_CREATED if outcome == "created" else status.HTTP_200_OK
        return Response(
            serializers.IndicatorValueSerializer(value, context=self.get_serializer_context()).data,
            status=code,
        )

    def partial_update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        value = self.get_object()
        incoming = serializers.IndicatorValuePatchSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        update_one(user=request.user, value=value, changes=dict(incoming.validated_data))
        value = self.get_queryset().get(pk=value.pk)
        return Response(
            serializers.IndicatorValueSerializer(value, context=self.get_serializer_context()).data
        )

    def update(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if not kwargs.get("partial"):
            return self.http_method_not_allowed(request)  # type: ignore[return-value]
        return self.partial_update(request, *args, **kwargs)

    @extend_schema(
        summary=_("Phê duyệt một giá trị"),
        description=_(
            "Chỉ điều phối viên của đơn vị (hoặc quản trị) được phê duyệt; giá trị đã phê duyệt bị khóa."
        ),
        request=serializers.ApproveSerializer,
        responses={200: serializers.IndicatorValueSerializer},
    )
    @action(detail=True, methods=["post"], url_path="approve")
    def approve(self, request: Request, pk: str | None = None) -> Response:
        value = self.get_object()
        incoming = serializers.ApproveSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        approve_value(
            user=request.user,
            value=value,
            reason=incoming.validated_data.get("reason") or _("Phê duyệt qua API"),
        )
        value = self.get_queryset().get(pk=value.pk)
        return Response(
            serializers.IndicatorValueSerializer(value, context=self.get_serializer_context()).data
        )

    @extend_schema(
        summary=_("Nhập hàng loạt giá trị chỉ tiêu (CSV hoặc JSON)"),
        description=_(
            'Gửi CSV (text/csv hoặc tệp trong multipart trường «file») hoặc JSON (danh sách, hoặc {"values": [...]}).'
            " Trả về tóm tắt kiểu DHIS2: số dòng mới, cập nhật, không đổi và các xung đột kèm số dòng. Nguyên tử: có xung"
            " đột thì không ghi gì (HTTP 409). Lặp lại cùng dữ liệu không thay đổi gì. ?dry_run=true để chạy thử."
        ),
        parameters=[
            OpenApiParameter(
                "dry_run", OpenApiTypes.BOOL, description=_("true: kiểm tra và tóm tắt, không ghi gì.")
            )
        ],
        request={
            "application/json": {"type": "array", "items": {"type": "object", "additionalProperties": True}},
            "text/csv": {"type": "string"},
            "multipart/form-data": {
                "type": "object",
                "properties": {"file": {"type": "string", "format": "binary"}},
                "required": ["file"],
            },
        },
        responses={
            200: OpenApiResponse(
                serializers.ImportSummarySerializer,
                description=_("Đã nhập, hoặc chạy thử không có xung đột."),
            ),
            409: OpenApiResponse(
                serializers.ImportSummarySerializer, description=_("Có xung đột; không có gì được ghi.")
            ),
        },
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="import",
        parser_classes=[parsers.JSONParser, CSVTextParser, parsers.MultiPartParser],
        throttle_classes=[*api_settings.DEFAULT_THROTTLE_CLASSES, ImportRateThrottle],
        throttle_scope="import",
        renderer_classes=[JSONRenderer],
        supports_csv=False,
        supports_field_selection=False,
    )
    def bulk_import(self, request: Request) -> Response:
        dry_run_raw = request.query_params.get("dry_run", "false").strip().lower()
        if dry_run_raw not in {"true", "false", "1", "0", "yes", "no"}:
            raise ValidationError({"dry_run": [_("Dùng true hoặc false.")]})
        dry_run = dry_run_raw in {"true", "1", "yes"}
        data = request.data
        if hasattr(data, "getlist") and "file" in getattr(request, "FILES", {}):
            upload = request.FILES["file"]
            content = upload.read()
            try:
                text = content.decode("utf-8-sig")
            except UnicodeDecodeError as exc:
                raise ParseError(_("Tệp phải được mã hóa UTF-8.")) from exc
            if upload.name.lower().endswith(".json") or text.lstrip().startswith(("[", "{")):
                try:
                    parsed = parse_json(json.loads(text), gettext=_)
                except json.JSONDecodeError as exc:
                    raise ParseError(_("Tệp JSON không hợp lệ: %(e)s") % {"e": exc}) from exc
            else:
                parsed = parse_csv(text, gettext=_)
        elif isinstance(data, str):
            parsed = parse_csv(data, gettext=_)
        elif isinstance(data, list | dict) and not hasattr(data, "getlist"):
            parsed = parse_json(data, gettext=_)
        else:
            raise ValidationError({"file": [_("Cần gửi CSV, JSON, hoặc tệp trong trường «file».")]})
        outcome = import_values(user=request.user, parsed=parsed, dry_run=dry_run)
        return Response(
            outcome.as_dict(), status=status.HTTP_409_CONFLICT if outcome.conflicts else status.HTTP_200_OK
        )


@extend_schema(summary=_("Tình trạng dịch vụ"), responses={200: serializers.HealthSerializer})
class HealthView(XanhViewMixin, APIView):
    renderer_classes = [JSONRenderer]
    permission_classes = [AllowAny]
    throttle_classes: list[Any] = []
    supports_csv = False
    supports_field_selection = False

    def get(self, request: Request) -> Response:
        return Response({"status": "ok", "version": settings.SPECTACULAR_SETTINGS["VERSION"]})


@extend_schema(
    summary=_("Người dùng của khóa hoặc phiên hiện tại"), responses={200: serializers.MeSerializer}
)
class MeView(XanhViewMixin, APIView):
    renderer_classes = [JSONRenderer]
    permission_classes = [IsAuthenticated]
    supports_csv = False
    supports_field_selection = False

    def get(self, request: Request) -> Response:
        user = request.user
        if not user.is_authenticated:
            raise NotAuthenticated()
        token = request.auth if isinstance(request.auth, ApiToken) else None
        return Response(
            {
                "username": user.username,
                "full_name": user.get_full_name(),
                "role": user.role if not user.is_superuser else "admin",
                "role_label": user.get_role_display(),
                "agency": user.agency_id,
                "agency_name": user.agency.name if user.agency_id else None,
                "admin_unit": user.admin_unit_id,
                "authentication": "token" if token else "session",
                "token_prefix": token.prefix if token else None,
            }
        )
