"""A reporter can never change another agency's data: not through a service, not through the admin."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from tests.factories import (
    PASSWORD,
    AgencyFactory,
    CoordinatorFactory,
    IndicatorFactory,
    IndicatorValueFactory,
    PlanFactory,
    ReporterFactory,
    TargetFactory,
    UserFactory,
)
from xanh.core.errors import ValidationFailed
from xanh.indicators.models import IndicatorValue, ValueStatus
from xanh.indicators.services import approve_value, record_value
from xanh.plans.services import update_target

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_agencies():
    reporter_a = ReporterFactory()
    unit = reporter_a.agency.admin_unit
    agency_b = AgencyFactory(admin_unit=unit)
    return reporter_a, agency_b


def test_reporter_records_for_own_agency_only(two_agencies):
    reporter, other = two_agencies
    indicator = IndicatorFactory()
    value, outcome = record_value(
        user=reporter, indicator=indicator, admin_unit=reporter.agency.admin_unit, period="2024", value=41.5,
        agency=reporter.agency, unit="%",
    )
    assert outcome == "created" and value.reporter == reporter
    with pytest.raises(PermissionDenied):
        record_value(user=reporter, indicator=indicator, admin_unit=other.admin_unit, period="2023", value=1.0,
                     agency=other)
    assert not IndicatorValue.objects.filter(agency=other).exists()


def test_reporter_cannot_take_over_another_agencys_value(two_agencies):
    reporter, other = two_agencies
    existing = IndicatorValueFactory(agency=other, admin_unit=other.admin_unit, status=ValueStatus.DRAFT)
    with pytest.raises(PermissionDenied):
        record_value(user=reporter, indicator=existing.indicator, admin_unit=existing.admin_unit,
                     period=existing.period, value=99.0, agency=reporter.agency)
    existing.refresh_from_db()
    assert existing.value == 40.0 and existing.agency == other


def test_reporter_and_foreign_coordinator_cannot_approve(two_agencies):
    reporter, other = two_agencies
    value = IndicatorValueFactory(agency=other, admin_unit=other.admin_unit, status=ValueStatus.SUBMITTED)
    with pytest.raises(PermissionDenied):
        approve_value(user=reporter, value=value)
    with pytest.raises(PermissionDenied):
        approve_value(user=CoordinatorFactory(), value=value)  # coordinator of another province
    approve_value(user=CoordinatorFactory(admin_unit=other.admin_unit), value=value)
    value.refresh_from_db()
    assert value.status == ValueStatus.APPROVED


def test_reporter_cannot_edit_plans():
    reporter = ReporterFactory()
    target = TargetFactory(plan=PlanFactory(admin_unit=reporter.agency.admin_unit))
    with pytest.raises(PermissionDenied):
        update_target(user=reporter, target=target, text="Đổi nội dung")


def test_approved_values_are_locked(two_agencies):
    reporter, _other = two_agencies
    value = IndicatorValueFactory(agency=reporter.agency, admin_unit=reporter.agency.admin_unit)
    with pytest.raises(ValidationFailed, match="bị khóa"):
        record_value(user=reporter, indicator=value.indicator, admin_unit=value.admin_unit, period="2024",
                     value=12.0, agency=reporter.agency)


def test_admin_hides_and_refuses_other_agencys_values(client, two_agencies):
    reporter, other = two_agencies
    own = IndicatorValueFactory(agency=reporter.agency, admin_unit=other.admin_unit, status=ValueStatus.DRAFT)
    foreign = IndicatorValueFactory(agency=other, admin_unit=other.admin_unit, status=ValueStatus.DRAFT,
                                    indicator=own.indicator, period="2023", year=2023)
    client.login(username=reporter.username, password=PASSWORD)
    listing = client.get("/quan-tri/indicators/indicatorvalue/")
    assert listing.status_code == 200
    assert f"/{own.pk}/change/" in listing.content.decode()
    assert f"/{foreign.pk}/change/" not in listing.content.decode()
    page = client.get(f"/quan-tri/indicators/indicatorvalue/{foreign.pk}/change/")
    assert page.status_code in (302, 403, 404)
    crafted = client.post(
        f"/quan-tri/indicators/indicatorvalue/{foreign.pk}/change/",
        {"value": "1", "period": "2023", "year": "2023", "indicator": foreign.indicator_id,
         "admin_unit": foreign.admin_unit_id, "status": "draft", "source": "report"},
    )
    assert crafted.status_code in (302, 403, 404)
    foreign.refresh_from_db()
    assert foreign.value == 40.0


def test_viewer_and_reporter_cannot_edit_plans_in_admin(client):
    plan = PlanFactory()
    for user in (UserFactory(), ReporterFactory(agency__admin_unit=plan.admin_unit)):
        client.login(username=user.username, password=PASSWORD)
        response = client.post(f"/quan-tri/plans/plan/{plan.pk}/change/", {"title": "Bị sửa"})
        assert response.status_code == 403
        plan.refresh_from_db()
        assert plan.title != "Bị sửa"
