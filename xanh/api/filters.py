"""Query parameters of the list endpoints (django-filter). Names are the API's field names; ids are integers,
codes are strings; ``valid_on`` answers "which units/agencies existed on this day"."""

from __future__ import annotations

import datetime as dt
from typing import Any

import django_filters as filters
from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field

from xanh.agencies.models import Agency, AgencyKind
from xanh.core.text import fold
from xanh.geo.models import AdminUnit, UnitLevel, UnitType
from xanh.indicators.models import (
    Indicator,
    IndicatorDirection,
    IndicatorValue,
    Periodicity,
    ValueSource,
    ValueStatus,
)
from xanh.plans.models import AssignmentRole, Pillar, Plan, PlanStatus, Section, Target, TargetKind, Task

MAX_ID = 2**63 - 1


class IdField(forms.IntegerField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


class UtcDateTimeField(filters.fields.IsoDateTimeField):
    """An ISO 8601 instant, handed to the database in UTC. Python accepts offsets up to ±23:59 that PostgreSQL
    refuses (±15:59 at most), and an instant near year 1 or 9999 can fall outside the calendar once shifted: both
    are a 400 naming the parameter, never a database error."""

    def to_python(self, value: Any) -> dt.datetime | None:
        moment = super().to_python(value)
        if moment is None:
            return None
        try:
            return moment.astimezone(dt.UTC)
        except OverflowError:
            raise forms.ValidationError(_("Thời điểm nằm ngoài phạm vi cho phép."), code="invalid") from None


class UtcDateTimeFilter(filters.IsoDateTimeFilter):
    field_class = UtcDateTimeField


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": 2**63 - 1})
class IdFilter(filters.NumberFilter):
    field_class = IdField


class YearField(forms.IntegerField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("min_value", 1900)
        kwargs.setdefault("max_value", 2100)
        super().__init__(*args, **kwargs)


@extend_schema_field({"type": "integer", "minimum": 1900, "maximum": 2100})
class YearFilter(filters.NumberFilter):
    field_class = YearField


class CodeListFilter(filters.BaseInFilter, filters.CharFilter):
    """``?indicator_code=LV-01,LV-02``"""


def _valid_on(queryset: QuerySet[Any], name: str, value: dt.date) -> QuerySet[Any]:
    return queryset.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=value)).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gte=value)
    )


class AdminUnitFilter(filters.FilterSet):
    level = filters.ChoiceFilter(choices=UnitLevel.choices)
    unit_type = filters.ChoiceFilter(choices=UnitType.choices)
    code = filters.CharFilter()
    parent = IdFilter(field_name="parent_id")
    successor = IdFilter(field_name="successor_id")
    has_successor = filters.BooleanFilter(field_name="successor", lookup_expr="isnull", exclude=True)
    valid_on = filters.DateFilter(
        method=_valid_on, help_text=_("Chỉ các đơn vị có hiệu lực vào ngày này (YYYY-MM-DD).")
    )
    name = filters.CharFilter(method="filter_name", help_text=_("Tên, không phân biệt hoa thường và dấu."))
    is_demo = filters.BooleanFilter()

    class Meta:
        model = AdminUnit
        fields: list[str] = []

    def filter_name(self, queryset: QuerySet[AdminUnit], name: str, value: str) -> QuerySet[AdminUnit]:
        return queryset.filter(name_folded__contains=fold(value))


class AgencyFilter(filters.FilterSet):
    admin_unit = IdFilter(field_name="admin_unit_id")
    key = filters.CharFilter()
    kind = filters.ChoiceFilter(choices=AgencyKind.choices)
    successor = IdFilter(field_name="successor_id")
    valid_on = filters.DateFilter(method=_valid_on, help_text=_("Chỉ các cơ quan có hiệu lực vào ngày này."))
    name = filters.CharFilter(field_name="name", lookup_expr="icontains")

    class Meta:
        model = Agency
        fields: list[str] = []


class PlanFilter(filters.FilterSet):
    admin_unit = IdFilter(field_name="admin_unit_id")
    admin_unit_code = filters.CharFilter(field_name="admin_unit__code")
    status = filters.ChoiceFilter(choices=PlanStatus.choices)
    year = YearFilter(method="filter_year", help_text=_("Kế hoạch có hiệu lực trong năm này."))
    is_demo = filters.BooleanFilter()

    class Meta:
        model = Plan
        fields: list[str] = []

    def filter_year(self, queryset: QuerySet[Plan], name: str, value: int) -> QuerySet[Plan]:
        return queryset.filter(period_start__lte=value, period_end__gte=value)


class SectionFilter(filters.FilterSet):
    plan = IdFilter(field_name="plan_id")
    parent = IdFilter(field_name="parent_id")
    code = filters.CharFilter()

    class Meta:
        model = Section
        fields: list[str] = []


class TargetFilter(filters.FilterSet):
    plan = IdFilter(field_name="plan_id")
    section = IdFilter(field_name="section_id")
    pillar = filters.ChoiceFilter(choices=Pillar.choices)
    kind = filters.ChoiceFilter(choices=TargetKind.choices)
    indicator = IdFilter(field_name="indicator_id")
    indicator_code = CodeListFilter(field_name="indicator__code")
    year = YearFilter()
    admin_unit = IdFilter(field_name="plan__admin_unit_id")

    class Meta:
        model = Target
        fields: list[str] = []


class TaskFilter(filters.FilterSet):
    plan = IdFilter(field_name="plan_id")
    section = IdFilter(field_name="section_id")
    agency = IdFilter(
        method="filter_agency", help_text=_("Nhiệm vụ có cơ quan này tham gia (chủ trì hoặc phối hợp).")
    )
    lead_agency = IdFilter(method="filter_lead", help_text=_("Nhiệm vụ do cơ quan này chủ trì."))
    target = IdFilter(field_name="targets", help_text=_("Nhiệm vụ gắn với mục tiêu này."))

    class Meta:
        model = Task
        fields: list[str] = []

    def filter_agency(self, queryset: QuerySet[Task], name: str, value: int) -> QuerySet[Task]:
        return queryset.filter(assignments__agency_id=value).distinct()

    def filter_lead(self, queryset: QuerySet[Task], name: str, value: int) -> QuerySet[Task]:
        return queryset.filter(assignments__agency_id=value, assignments__role=AssignmentRole.LEAD).distinct()


class IndicatorFilter(filters.FilterSet):
    code = CodeListFilter(field_name="code")
    objective = filters.CharFilter()
    periodicity = filters.ChoiceFilter(choices=Periodicity.choices)
    direction = filters.ChoiceFilter(choices=IndicatorDirection.choices)
    admin_unit = IdFilter(field_name="admin_unit_id")
    national = filters.BooleanFilter(
        field_name="admin_unit",
        lookup_expr="isnull",
        help_text=_("true: chỉ bộ chỉ tiêu quốc gia; false: chỉ tiêu do tỉnh đặt."),
    )
    q = filters.CharFilter(method="search", help_text=_("Tìm trong mã và tên."))

    class Meta:
        model = Indicator
        fields: list[str] = []

    def search(self, queryset: QuerySet[Indicator], name: str, value: str) -> QuerySet[Indicator]:
        return queryset.filter(
            Q(code__icontains=value) | Q(name__icontains=value) | Q(name_en__icontains=value)
        )


class IndicatorValueFilter(filters.FilterSet):
    indicator = IdFilter(field_name="indicator_id")
    indicator_code = CodeListFilter(
        field_name="indicator__code", help_text=_("Một hoặc nhiều mã, cách nhau bằng dấu phẩy.")
    )
    admin_unit = IdFilter(field_name="admin_unit_id")
    admin_unit_code = filters.CharFilter(field_name="admin_unit__code")
    period = CodeListFilter(
        field_name="period", help_text=_("Mã kỳ: 2024, 2024H1, 2024Q3, 2024-05 (một hoặc nhiều).")
    )
    year = YearFilter()
    year_min = YearFilter(field_name="year", lookup_expr="gte")
    year_max = YearFilter(field_name="year", lookup_expr="lte")
    disaggregation = filters.CharFilter(
        help_text=_("Khóa phân tổ, ví dụ «thành thị»; dùng total=true cho số tổng.")
    )
    total = filters.BooleanFilter(
        method="filter_total", help_text=_("true: chỉ số tổng (không phân tổ); false: chỉ số phân tổ.")
    )
    agency = IdFilter(field_name="agency_id")
    status = filters.ChoiceFilter(choices=ValueStatus.choices)
    source = filters.ChoiceFilter(choices=ValueSource.choices)
    updated_since = UtcDateTimeFilter(
        field_name="updated_at",
        lookup_expr="gte",
        help_text=_("Chỉ giá trị thay đổi từ thời điểm này (ISO 8601) — để đồng bộ dần."),
    )
    is_demo = filters.BooleanFilter()

    class Meta:
        model = IndicatorValue
        fields: list[str] = []

    def filter_total(
        self, queryset: QuerySet[IndicatorValue], name: str, value: bool
    ) -> QuerySet[IndicatorValue]:
        return queryset.filter(disaggregation="") if value else queryset.exclude(disaggregation="")
