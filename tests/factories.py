"""factory_boy factories shared by every test module. Tests build their data here, never from copied fixtures."""

from __future__ import annotations

import datetime as dt

import factory

from xanh.accounts.models import Role, User
from xanh.agencies.models import Agency, AgencyKind
from xanh.documents.models import Document
from xanh.geo.models import AdminUnit, UnitLevel, UnitType
from xanh.indicators.models import Indicator, IndicatorValue, ValueStatus
from xanh.plans.models import (
    AssignmentRole,
    Plan,
    PlanStatus,
    Section,
    Target,
    TargetComponent,
    Task,
    TaskAssignment,
)

PASSWORD = "mat-khau-thu-nghiem-2026"


class AdminUnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AdminUnit

    code = factory.Sequence(lambda n: f"T{n:03d}")
    name = factory.Sequence(lambda n: f"Tỉnh Thử {n}")
    level = UnitLevel.PROVINCE
    unit_type = UnitType.PROVINCE
    valid_from = dt.date(2000, 1, 1)


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    admin_unit = factory.SubFactory(AdminUnitFactory)
    key = factory.Sequence(lambda n: f"co-quan-{n}")
    name = factory.Sequence(lambda n: f"Sở Thử nghiệm {n}")
    kind = AgencyKind.DEPARTMENT


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"nguoidung{n}")
    role = Role.VIEWER
    is_staff = True
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):  # type: ignore[no-untyped-def]
        if create:
            obj.save()


class CoordinatorFactory(UserFactory):
    role = Role.COORDINATOR
    admin_unit = factory.SubFactory(AdminUnitFactory)


class ReporterFactory(UserFactory):
    role = Role.REPORTER
    agency = factory.SubFactory(AgencyFactory)
    admin_unit = factory.SelfAttribute("agency.admin_unit")


class AdminFactory(UserFactory):
    role = Role.ADMIN
    is_superuser = True


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Document

    number = factory.Sequence(lambda n: f"{n + 100}/QĐ-UBND")
    kind = "Quyết định"
    issuer = "Ủy ban nhân dân tỉnh Thử"
    issued_on = dt.date(2022, 10, 15)
    title = "Ban hành Kế hoạch hành động tăng trưởng xanh"


class PlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Plan

    title = factory.Sequence(lambda n: f"Kế hoạch hành động tăng trưởng xanh số {n}")
    document = factory.SubFactory(DocumentFactory)
    admin_unit = factory.SubFactory(AdminUnitFactory)
    period_start = 2021
    period_end = 2030
    status = PlanStatus.PUBLISHED


class SectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Section

    plan = factory.SubFactory(PlanFactory)
    code = factory.Sequence(lambda n: f"III.{n}")
    heading = "Nhiệm vụ, giải pháp"


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Indicator

    code = factory.Sequence(lambda n: f"TEST-{n:03d}")
    name = factory.Sequence(lambda n: f"Chỉ tiêu thử {n}")
    unit = "%"
    direction = "increase"
    min_value = 0
    max_value = 100


class TargetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Target

    plan = factory.SubFactory(PlanFactory)
    code = factory.Sequence(lambda n: str(n + 1))
    text = "Tỷ lệ che phủ rừng đạt 42% vào năm 2030."
    pillar = "green_economy"
    year = 2030


class TargetComponentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TargetComponent

    target = factory.SubFactory(TargetFactory)
    value = 42.0
    unit = "%"
    comparator = "="
    direction = "increase"
    year = 2030


class TaskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Task

    plan = factory.SubFactory(PlanFactory)
    code = factory.Sequence(lambda n: f"III.1.{n}")
    text = "Bảo vệ và phát triển rừng."


class TaskAssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TaskAssignment

    task = factory.SubFactory(TaskFactory)
    agency = factory.SubFactory(AgencyFactory)
    role = AssignmentRole.LEAD


class IndicatorValueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IndicatorValue

    indicator = factory.SubFactory(IndicatorFactory)
    admin_unit = factory.SubFactory(AdminUnitFactory)
    period = "2024"
    year = 2024
    value = 40.0
    unit = "%"
    status = ValueStatus.APPROVED
