"""Read representations of the API resources. Field names are English; choice fields come with a ``*_label`` in
the request's language. Links to related lists let clients walk the data without building URLs."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from xanh.agencies.models import Agency
from xanh.api.fields import FieldSelectionMixin
from xanh.documents.models import Document
from xanh.geo.models import AdminUnit
from xanh.indicators.models import Indicator, IndicatorValue
from xanh.plans.models import Plan, Section, Target, TargetComponent, Task, TaskAssignment


class Base(FieldSelectionMixin, serializers.ModelSerializer):  # type: ignore[type-arg]
    pass


@extend_schema_field({"type": "string"})
class ChoiceLabel(serializers.Field):  # type: ignore[type-arg]
    """The label of a choice field in the request's language. Cheaper than ``source="get_x_display"``, which makes
    DRF inspect the method's signature for every row."""

    def __init__(self, field_name: str, **kwargs: Any) -> None:
        kwargs.setdefault("read_only", True)
        kwargs["source"] = field_name
        super().__init__(**kwargs)
        self._field_name = field_name
        self._labels: dict[Any, Any] | None = None

    def to_representation(self, value: Any) -> str:
        if self._labels is None:  # lazy labels: str() below picks the request's language
            model = self.parent.Meta.model  # type: ignore[union-attr]
            self._labels = dict(model._meta.get_field(self._field_name).flatchoices)
        return str(self._labels.get(value, value))


class AdminUnitSerializer(Base):
    level_label = ChoiceLabel("level")
    unit_type_label = ChoiceLabel("unit_type")
    successor_code = serializers.CharField(
        source="successor.code", read_only=True, allow_null=True, default=None
    )
    successor_name = serializers.CharField(
        source="successor.name", read_only=True, allow_null=True, default=None
    )
    predecessors = serializers.SerializerMethodField()

    class Meta:
        model = AdminUnit
        fields = [
            "id",
            "code",
            "name",
            "display_name",
            "level",
            "level_label",
            "unit_type",
            "unit_type_label",
            "parent",
            "valid_from",
            "valid_to",
            "successor",
            "successor_code",
            "successor_name",
            "predecessors",
            "admin_centre",
            "is_demo",
            "source",
        ]

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_predecessors(self, unit: AdminUnit) -> list[int]:
        """Ids of the units merged into this one (prefetched by the view)."""
        return [p.pk for p in unit.predecessors.all()]


class AgencySerializer(Base):
    kind_label = ChoiceLabel("kind")
    admin_unit_name = serializers.CharField(source="admin_unit.name", read_only=True)

    class Meta:
        model = Agency
        fields = [
            "id",
            "key",
            "name",
            "kind",
            "kind_label",
            "admin_unit",
            "admin_unit_name",
            "abbreviations",
            "aliases",
            "valid_from",
            "valid_to",
            "successor",
            "successor_from",
        ]


class DocumentSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    class Meta:
        model = Document
        fields = ["id", "number", "kind", "issuer", "issued_on", "signer", "title"]


class PlanSerializer(Base):
    status_label = ChoiceLabel("status")
    admin_unit_code = serializers.CharField(source="admin_unit.code", read_only=True)
    admin_unit_name = serializers.CharField(source="admin_unit.name", read_only=True)
    document = DocumentSerializer(read_only=True, allow_null=True)
    links = serializers.SerializerMethodField()

    class Meta:
        model = Plan
        fields = [
            "id",
            "title",
            "admin_unit",
            "admin_unit_code",
            "admin_unit_name",
            "document",
            "parent",
            "period_start",
            "period_end",
            "status",
            "status_label",
            "version",
            "supersedes",
            "coordinator_agency",
            "summary",
            "is_demo",
            "published_at",
            "updated_at",
            "links",
        ]

    @extend_schema_field(
        {
            "type": "object",
            "properties": {
                k: {"type": "string"} for k in ("sections", "targets", "tasks", "portal", "download_csv")
            },
        }
    )
    def get_links(self, plan: Plan) -> dict[str, str]:
        request = self.context.get("request")

        def absolute(path: str) -> str:
            return request.build_absolute_uri(path) if request is not None else path

        return {
            "sections": absolute(f"/api/v1/sections?plan={plan.pk}"),
            "targets": absolute(f"/api/v1/targets?plan={plan.pk}"),
            "tasks": absolute(f"/api/v1/tasks?plan={plan.pk}"),
            "portal": absolute(f"/cong-khai/ke-hoach/{plan.pk}/"),
            "download_csv": absolute(f"/cong-khai/du-lieu/ke-hoach-{plan.pk}.csv"),
        }


class SectionSerializer(Base):
    class Meta:
        model = Section
        fields = ["id", "plan", "parent", "code", "label", "heading", "position"]


class TargetComponentSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    comparator_label = ChoiceLabel("comparator")
    value_kind_label = ChoiceLabel("value_kind")
    display_value = serializers.CharField(read_only=True)

    class Meta:
        model = TargetComponent
        fields = [
            "id",
            "subject",
            "scope",
            "comparator",
            "comparator_label",
            "value",
            "low",
            "high",
            "unit",
            "direction",
            "value_kind",
            "value_kind_label",
            "year",
            "baseline_value",
            "baseline_year",
            "limit",
            "indicator",
            "display_value",
        ]


class TargetSerializer(Base):
    pillar_label = ChoiceLabel("pillar")
    kind_label = ChoiceLabel("kind")
    indicator_code = serializers.CharField(
        source="indicator.code", read_only=True, allow_null=True, default=None
    )
    components = TargetComponentSerializer(many=True, read_only=True)

    class Meta:
        model = Target
        fields = [
            "id",
            "plan",
            "section",
            "code",
            "number",
            "text",
            "pillar",
            "pillar_label",
            "kind",
            "kind_label",
            "year",
            "indicator",
            "indicator_code",
            "method",
            "is_complete",
            "position",
            "components",
        ]


class TaskAssignmentSerializer(serializers.ModelSerializer):  # type: ignore[type-arg]
    agency_name = serializers.CharField(source="agency.name", read_only=True)
    agency_key = serializers.CharField(source="agency.key", read_only=True)
    role_label = ChoiceLabel("role")

    class Meta:
        model = TaskAssignment
        fields = ["agency", "agency_key", "agency_name", "role", "role_label", "mention"]


class TaskSerializer(Base):
    assignments = TaskAssignmentSerializer(many=True, read_only=True)
    targets = serializers.SerializerMethodField()

    class Meta:
        model = Task
        fields = [
            "id",
            "plan",
            "section",
            "code",
            "text",
            "deadline",
            "due_date",
            "periodicity",
            "position",
            "assignments",
            "targets",
        ]

    @extend_schema_field(serializers.ListField(child=serializers.IntegerField()))
    def get_targets(self, task: Task) -> list[int]:
        return [t.pk for t in task.targets.all()]


class IndicatorSerializer(Base):
    direction_label = ChoiceLabel("direction")
    periodicity_label = ChoiceLabel("periodicity")
    disaggregations = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = Indicator
        fields = [
            "id",
            "code",
            "name",
            "name_en",
            "unit",
            "direction",
            "direction_label",
            "periodicity",
            "periodicity_label",
            "disaggregations",
            "objective",
            "responsible_agency_key",
            "responsible_body",
            "coordinating_bodies",
            "min_value",
            "max_value",
            "admin_unit",
            "confidence",
            "source",
        ]


class IndicatorValueSerializer(Base):
    indicator_code = serializers.CharField(source="indicator.code", read_only=True)
    admin_unit_code = serializers.CharField(source="admin_unit.code", read_only=True)
    status_label = ChoiceLabel("status")

    class Meta:
        model = IndicatorValue
        fields = [
            "id",
            "indicator",
            "indicator_code",
            "admin_unit",
            "admin_unit_code",
            "period",
            "year",
            "disaggregation",
            "value",
            "unit",
            "status",
            "status_label",
            "source",
            "source_detail",
            "note",
            "agency",
            "is_demo",
            "approved_at",
            "updated_at",
        ]


class IndicatorValueWriteSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """One data point to create or update. Give the indicator and the unit by id or by code."""

    indicator = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
    indicator_code = serializers.CharField(required=False, max_length=40)
    admin_unit = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1)
    admin_unit_code = serializers.CharField(required=False, max_length=10)
    period = serializers.CharField(max_length=10)
    value = serializers.FloatField()
    disaggregation = serializers.CharField(required=False, allow_blank=True, max_length=100, default="")
    unit = serializers.CharField(required=False, allow_blank=True, max_length=50, default="")
    agency = serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1, allow_null=True)
    agency_key = serializers.CharField(required=False, max_length=80)
    status = serializers.ChoiceField(choices=["draft", "submitted"], default="draft")
    source_detail = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")
    note = serializers.CharField(required=False, allow_blank=True, max_length=5000, default="")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        from django.utils.translation import gettext as _

        errors: dict[str, list[str]] = {}
        if attrs.get("indicator") is None and not attrs.get("indicator_code"):
            errors["indicator"] = [_("Cần «indicator» (mã số) hoặc «indicator_code».")]
        if attrs.get("admin_unit") is None and not attrs.get("admin_unit_code"):
            errors["admin_unit"] = [_("Cần «admin_unit» (mã số) hoặc «admin_unit_code».")]
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class IndicatorValuePatchSerializer(serializers.Serializer):  # type: ignore[type-arg]
    """Fields of an existing data point that may change; the point itself (indicator, unit, period, disaggregation)
    is its identity and cannot change."""

    value = serializers.FloatField(required=False)
    unit = serializers.CharField(required=False, allow_blank=True, max_length=50)
    status = serializers.ChoiceField(choices=["draft", "submitted"], required=False)
    source_detail = serializers.CharField(required=False, allow_blank=True, max_length=500)
    note = serializers.CharField(required=False, allow_blank=True, max_length=5000)


class ApproveSerializer(serializers.Serializer):  # type: ignore[type-arg]
    reason = serializers.CharField(required=False, allow_blank=True, max_length=500, default="")


class ImportCountsSerializer(serializers.Serializer):  # type: ignore[type-arg]
    total = serializers.IntegerField()
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    conflicts = serializers.IntegerField()


class ImportConflictSerializer(serializers.Serializer):  # type: ignore[type-arg]
    row = serializers.IntegerField(allow_null=True)
    field = serializers.CharField(allow_null=True)
    message = serializers.CharField()


class ImportRowSerializer(serializers.Serializer):  # type: ignore[type-arg]
    row = serializers.IntegerField()
    action = serializers.ChoiceField(choices=["created", "updated", "unchanged"])
    id = serializers.IntegerField(allow_null=True)


class ImportSummarySerializer(serializers.Serializer):  # type: ignore[type-arg]
    code = serializers.ChoiceField(choices=["imported", "dry_run", "import_conflicts"])
    message = serializers.CharField()
    dry_run = serializers.BooleanField()
    imported = serializers.BooleanField(
        help_text="true khi dữ liệu đã được ghi (không phải chạy thử, không có xung đột)."
    )
    counts = ImportCountsSerializer()
    conflicts = ImportConflictSerializer(many=True)
    rows = ImportRowSerializer(many=True)


class HealthSerializer(serializers.Serializer):  # type: ignore[type-arg]
    status = serializers.CharField()
    version = serializers.CharField()


class MeSerializer(serializers.Serializer):  # type: ignore[type-arg]
    username = serializers.CharField()
    full_name = serializers.CharField()
    role = serializers.CharField()
    role_label = serializers.CharField()
    agency = serializers.IntegerField(allow_null=True)
    agency_name = serializers.CharField(allow_null=True)
    admin_unit = serializers.IntegerField(allow_null=True)
    authentication = serializers.ChoiceField(choices=["token", "session"])
    token_prefix = serializers.CharField(allow_null=True)
