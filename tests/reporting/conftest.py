"""A small province for reporting tests: real agency catalogue (with the 2025 successor links), a published plan with
tasks led by pre-2025 and post-2025 agencies, indicators with a disaggregation, a coordinator and three reporters."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import pytest

from tests.factories import (
    AdminUnitFactory,
    CoordinatorFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    PlanFactory,
    ReporterFactory,
    TargetFactory,
    TaskAssignmentFactory,
    TaskFactory,
)
from xanh.agencies.models import Agency
from xanh.agencies.services import ensure_agencies
from xanh.indicators.models import ValueStatus

OPENS_2025 = dt.date(2025, 11, 1)
DUE_2025 = dt.date(2025, 11, 30)


@dataclass
class World:
    unit: Any
    plan: Any
    agencies: dict[str, Any]
    tasks: dict[str, Any]
    indicators: dict[str, Any]
    coordinator: Any
    reporter_ct: Any
    reporter_nnmt: Any
    reporter_tc: Any


@pytest.fixture
def world(db) -> World:  # type: ignore[no-untyped-def]
    unit = AdminUnitFactory(name="Thử Báo Cáo")
    ensure_agencies(unit)
    agencies = {a.key: a for a in Agency.objects.filter(admin_unit=unit)}
    for key in ("so-ct", "so-nnmt", "so-tc"):
        agencies[key].email = f"{key}@tinh-thu.invalid"
        agencies[key].save()
    plan = PlanFactory(admin_unit=unit, period_start=2021, period_end=2030)
    spec = [
        # code, lead keys, coordinating keys
        ("1.a", ["so-khdt"], ["so-ct"]),  # Sở KH&ĐT → Sở Tài chính from 1/3/2025
        ("1.b", ["so-tnmt"], ["so-nnptnt"]),  # both → Sở NN&MT: reported once, as lead
        ("2.a", ["cac-so-nganh"], ["so-ct"]),  # a collective lead cannot report
        ("2.b", ["so-ct"], []),
    ]
    tasks = {}
    for position, (code, leads, coordinating) in enumerate(spec):
        task = TaskFactory(
            plan=plan, code=code, text=f"Nhiệm vụ thử {code}: triển khai và báo cáo.", position=position
        )
        tasks[code] = task
        for key in leads:
            TaskAssignmentFactory(task=task, agency=agencies[key], role="lead")
        for key in coordinating:
            TaskAssignmentFactory(task=task, agency=agencies[key], role="coordinating")
    water = IndicatorFactory(
        code="T-NUOC",
        name="Tỷ lệ dân số dùng nước sạch",
        unit="%",
        responsible_agency_key="so-tnmt",
        disaggregations=["thành thị", "nông thôn"],
        max_change_factor=1.5,
        min_value=0,
        max_value=100,
    )
    energy = IndicatorFactory(
        code="T-DIEN",
        name="Điện thương phẩm",
        unit="triệu kWh",
        responsible_agency_key="so-ct",
        min_value=0,
        max_value=None,
        max_change_factor=None,
    )
    quarterly = IndicatorFactory(
        code="T-QUY",
        name="Chỉ tiêu theo quý",
        unit="%",
        responsible_agency_key="so-tc",
        periodicity="quarter",
    )
    for position, indicator in enumerate((water, energy, quarterly)):
        TargetFactory(plan=plan, code=str(position + 1), indicator=indicator, position=position)
    IndicatorValueFactory(
        indicator=water, admin_unit=unit, period="2024", year=2024, value=80.0, status=ValueStatus.APPROVED
    )
    return World(
        unit=unit,
        plan=plan,
        agencies=agencies,
        tasks=tasks,
        indicators={"water": water, "energy": energy, "quarterly": quarterly},
        coordinator=CoordinatorFactory(
            admin_unit=unit, email="dieuphoi@tinh-thu.invalid", first_name="Điều phối"
        ),
        reporter_ct=ReporterFactory(agency=agencies["so-ct"], email="ct@tinh-thu.invalid"),
        reporter_nnmt=ReporterFactory(agency=agencies["so-nnmt"], email="nnmt@tinh-thu.invalid"),
        reporter_tc=ReporterFactory(agency=agencies["so-tc"], email="tc@tinh-thu.invalid"),
    )


@pytest.fixture
def round_2025(world):  # type: ignore[no-untyped-def]
    from xanh.reporting.services import open_round

    return open_round(
        user=world.coordinator, plan=world.plan, period="2025", opens_on=OPENS_2025, due_on=DUE_2025
    )


def submission_of(round, agency):  # type: ignore[no-untyped-def]
    return round.submissions.get(agency=agency)


def fill_completely(user, submission):  # type: ignore[no-untyped-def]
    """Fill every required field of ``submission`` with plausible values, through the service."""
    from xanh.reporting.services import IndicatorInput, TaskInput, report_items, save_draft

    tasks, indicators = report_items(submission)
    submission.refresh_from_db()
    return save_draft(
        user=user,
        submission=submission,
        expected_version=submission.version,
        tasks={
            pk: TaskInput(status="in_progress", percent=60, narrative="Đã triển khai 60% khối lượng.")
            for pk in tasks
        },
        indicators={
            pk: IndicatorInput(
                value=85.5 if i.unit == "%" else 1234.5, data_source="Cục Thống kê tỉnh", note=""
            )
            for pk, i in indicators.items()
        },
    )
