"""Shared data for the API tests: one province, two agencies with a reporter each, a coordinator, a published and a
draft plan, approved and draft values."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from tests.factories import (
    AdminUnitFactory,
    AgencyFactory,
    CoordinatorFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    PlanFactory,
    ReporterFactory,
    TargetComponentFactory,
    TaskAssignmentFactory,
    UserFactory,
)


@pytest.fixture(autouse=True)
def _api_settings(settings):  # type: ignore[no-untyped-def]
    # generous limits so that tests exercise behaviour, not the throttle (tested on its own)
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "100000/min", "token": "100000/min", "import": "100000/min"},
    }
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def world(db):  # type: ignore[no-untyped-def]
    from xanh.accounts.tokens import create_token

    unit = AdminUnitFactory(code="T01", name="Tỉnh Thử")
    agency_a = AgencyFactory(admin_unit=unit, key="so-a", name="Sở A")
    agency_b = AgencyFactory(admin_unit=unit, key="so-b", name="Sở B")
    reporter_a = ReporterFactory(agency=agency_a, username="bao-cao-a")
    reporter_b = ReporterFactory(agency=agency_b, username="bao-cao-b")
    coordinator = CoordinatorFactory(admin_unit=unit, username="dieu-phoi")
    viewer = UserFactory(username="nguoi-xem")
    indicator = IndicatorFactory(code="TEST-FOREST", name="Tỷ lệ che phủ rừng", unit="%")
    published = PlanFactory(admin_unit=unit, title="Kế hoạch đã công bố")
    draft = PlanFactory(admin_unit=unit, status="draft", title="Kế hoạch dự thảo")
    target = TargetComponentFactory(
        target__plan=published, target__indicator=indicator, indicator=indicator
    ).target
    draft_target = TargetComponentFactory(target__plan=draft, target__text="Mục tiêu trong dự thảo").target
    TaskAssignmentFactory(task__plan=published, agency=agency_a)
    TaskAssignmentFactory(task__plan=draft, agency=agency_a, task__text="Nhiệm vụ trong dự thảo")
    approved = IndicatorValueFactory(
        indicator=indicator, admin_unit=unit, period="2023", year=2023, value=40.5, agency=agency_a
    )
    pending = IndicatorValueFactory(
        indicator=indicator,
        admin_unit=unit,
        period="2024",
        year=2024,
        value=41.0,
        status="submitted",
        agency=agency_a,
    )
    token_a, key_a = create_token(actor=reporter_a, owner=reporter_a, name="A")
    _token_b, key_b = create_token(actor=reporter_b, owner=reporter_b, name="B")
    _token_c, key_c = create_token(actor=coordinator, owner=coordinator, name="C")
    return SimpleNamespace(**locals())


def bearer(key: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


@pytest.fixture
def round_world(world):  # type: ignore[no-untyped-def]
    """``world`` with an open reporting round for 2025 on the published plan: agency A reports a task and the
    forest-cover indicator, agency B a task of its own. Submissions are still empty (not started)."""
    import datetime as dt

    from tests.factories import TaskAssignmentFactory
    from xanh.reporting.services import open_round

    world.indicator.responsible_agency_key = world.agency_a.key
    world.indicator.save()
    TaskAssignmentFactory(task__plan=world.published, task__code="B.1", agency=world.agency_b)
    round = open_round(
        user=world.coordinator,
        plan=world.published,
        period="2025",
        opens_on=dt.date(2025, 11, 1),
        due_on=dt.date(2099, 12, 31),
    )
    world.round = round
    world.submission_a = round.submissions.get(agency=world.agency_a)
    world.submission_b = round.submissions.get(agency=world.agency_b)
    return world
