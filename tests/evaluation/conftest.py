"""A small plan built with factories (fast; the full demo province is for the browser tests)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from tests.factories import (
    AgencyFactory,
    CoordinatorFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    PlanFactory,
    TargetComponentFactory,
    TargetFactory,
    TaskAssignmentFactory,
    TaskFactory,
)


def values(indicator, unit, series: dict[int, float], disaggregation: str = "") -> None:
    for year, value in series.items():
        IndicatorValueFactory(
            indicator=indicator,
            admin_unit=unit,
            period=str(year),
            year=year,
            value=value,
            disaggregation=disaggregation,
            source_detail=f"Niên giám thống kê {year + 1}",
        )


@pytest.fixture
def small_plan(db):  # type: ignore[no-untyped-def]
    plan = PlanFactory(period_start=2021, period_end=2030)
    unit = plan.admin_unit
    lead = AgencyFactory(admin_unit=unit, name="Sở Nông nghiệp và Môi trường", key="so-nnmt")
    other = AgencyFactory(admin_unit=unit, name="Sở Công Thương", key="so-ct")
    forest = IndicatorFactory(name="Tỷ lệ che phủ rừng")
    water = IndicatorFactory(name="Tỷ lệ dân số dùng nước sạch", disaggregations=["thành thị", "nông thôn"])
    energy = IndicatorFactory(
        name="Tiêu hao năng lượng trên GRDP", unit="kgOE/triệu đồng", direction="decrease", max_value=None
    )
    # 1. level target, on track: 40 -> 41.6 in 4 years toward 42 by 2030
    t_forest = TargetFactory(
        plan=plan,
        code="1",
        number=1,
        pillar="green_economy",
        indicator=forest,
        text="Tỷ lệ che phủ rừng đạt 42% vào năm 2030.",
    )
    TargetComponentFactory(target=t_forest, value=42, baseline_value=40.0, baseline_year=2020, limit=100)
    values(forest, unit, {2020: 40.0, 2022: 40.8, 2024: 41.6})
    # 2. component target: total 92 %, urban 100 %, rural 90 %
    t_water = TargetFactory(
        plan=plan,
        code="2",
        number=2,
        pillar="lifestyle",
        indicator=water,
        text="Tỷ lệ dân số dùng nước sạch đạt 92% (thành thị 100%; nông thôn 90%).",
    )
    TargetComponentFactory(target=t_water, value=92, position=0, limit=100)
    TargetComponentFactory(
        target=t_water, value=100, scope="thành thị", subject="thành thị", position=1, limit=100
    )
    TargetComponentFactory(
        target=t_water, value=90, scope="nông thôn", subject="nông thôn", position=2, limit=100
    )
    values(water, unit, {2020: 84.0, 2024: 86.0})
    values(water, unit, {2020: 95.0, 2024: 99.5}, "thành thị")
    values(water, unit, {2020: 80.5, 2024: 80.0}, "nông thôn")
    # 3. average-rate target: energy intensity falls 1.0–1.5 %/year (2021–2030)
    t_energy = TargetFactory(
        plan=plan,
        code="3",
        number=3,
        pillar="emissions",
        indicator=energy,
        text="Tiêu hao năng lượng trên GRDP giảm bình quân 1,0–1,5%/năm.",
    )
    TargetComponentFactory(
        target=t_energy,
        value=None,
        low=1.0,
        high=1.5,
        comparator="range",
        unit="%/năm",
        direction="decrease",
        value_kind="annual_rate",
    )
    values(energy, unit, {2020: 42.0, 2024: 41.0})
    # 4. milestone without reports
    t_milestone = TargetFactory(
        plan=plan,
        code="4",
        number=4,
        pillar="transition",
        kind="milestone",
        year=2026,
        text="Ban hành kế hoạch quản lý chất lượng không khí trong năm 2026.",
    )
    # tasks and lead agencies
    task_forest = TaskFactory(plan=plan, code="III.1")
    task_forest.targets.set([t_forest, t_water])
    TaskAssignmentFactory(task=task_forest, agency=lead)
    task_energy = TaskFactory(plan=plan, code="III.2")
    task_energy.targets.set([t_energy])
    TaskAssignmentFactory(task=task_energy, agency=other)
    task_air = TaskFactory(plan=plan, code="III.3", deadline="2026")
    task_air.targets.set([t_milestone])
    TaskAssignmentFactory(task=task_air, agency=lead)
    coordinator = CoordinatorFactory(admin_unit=unit)
    return SimpleNamespace(
        plan=plan,
        unit=unit,
        lead=lead,
        other=other,
        forest=forest,
        water=water,
        energy=energy,
        t_forest=t_forest,
        t_water=t_water,
        t_energy=t_energy,
        t_milestone=t_milestone,
        task_air=task_air,
        coordinator=coordinator,
        today=dt.date.today(),
    )
