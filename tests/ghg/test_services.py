"""GHG services: permissions, validation, calculation stored with its trail, workflow, audit, indicators."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from tests.factories import UserFactory
from tests.ghg.conftest import DIESEL
from xanh.core.errors import ValidationFailed
from xanh.ghg import services
from xanh.ghg.models import EmissionResult, InventoryStatus
from xanh.indicators.models import IndicatorValue, ValueSource, ValueStatus
from xanh.monitoring.models import Facility

pytestmark = pytest.mark.django_db


def columns(exc: ValidationFailed) -> set[str | None]:
    return {p.column for p in exc.problems}


class TestFacilities:
    def test_register_reuses_the_monitoring_facility(self, unit, coordinator) -> None:
        facility = Facility.objects.create(
            admin_unit=unit, code="ND01", name="Nhiệt điện Thử", is_large_source=True
        )
        listing = services.register_facility(
            user=coordinator, admin_unit=unit, code="ND01", name="bỏ qua", sector="industry_trade"
        )
        assert listing.facility == facility
        assert Facility.objects.filter(code="ND01").count() == 1
        again = services.register_facility(
            user=coordinator,
            admin_unit=unit,
            code="ND01",
            name="x",
            sector="industry_trade",
            obligation_group="B",
        )
        assert again.pk == listing.pk and again.obligation_group == "B"

    def test_only_the_provinces_coordinator_registers(self, unit, outsider, contact) -> None:
        for user in (outsider, contact):
            with pytest.raises(PermissionDenied):
                services.register_facility(user=user, admin_unit=unit, code="A", name="A", sector="waste")

    def test_bad_fields_are_named(self, unit, coordinator) -> None:
        with pytest.raises(ValidationFailed) as info:
            services.register_facility(
                user=coordinator, admin_unit=unit, code="", name="", sector="x", gwp_set="AR6"
            )
        assert columns(info.value) == {"code", "name", "sector", "gwp_set"}


class TestPeriods:
    def test_period_from_the_rule_in_force(self, coordinator) -> None:
        period = services.create_period(user=coordinator, obligation_group="A", submission_year=2027)
        assert (period.first_data_year, period.last_data_year) == (2025, 2026)
        assert period.due_on == dt.date(2027, 3, 31)
        assert "NĐ 119/2025" in period.deadline_rule.instrument

    def test_without_rule_years_are_required(self, coordinator) -> None:
        with pytest.raises(ValidationFailed) as info:
            services.create_period(user=coordinator, obligation_group="A", submission_year=2026)
        assert "first_data_year" in columns(info.value)

    def test_trial_period_has_no_due_date(self, period) -> None:
        assert period.due_on is None and period.deadline_rule is None

    def test_seeded_reference_rows(self) -> None:
        from xanh.ghg.models import DeadlineRuleRecord, GridEmissionFactor

        assert GridEmissionFactor.objects.get(year=2022).issuing_document.startswith("Công văn 327")
        assert not GridEmissionFactor.objects.filter(year=2024).exists()
        assert DeadlineRuleRecord.objects.filter(key="nd119-group-a").exists()


class TestActivities:
    def test_worked_example_is_stored_with_its_trail(self, inventory, contact) -> None:
        record = services.add_activity(user=contact, inventory=inventory, data=DIESEL)
        result = EmissionResult.objects.get(activity=record)
        assert result.ok and result.gwp_set == "AR5" and result.scope == 1
        assert result.co2e_t == pytest.approx(2.69806, rel=1e-5)
        expressions = [s["expression"] for s in result.trail["steps"]]
        assert "0,844 t × 43 TJ/Gg ÷ 1.000" in expressions
        assert all(f["source"] for f in result.trail["factors"])
        assert record.origin == "nhập trên trang"

    def test_default_sector_comes_from_the_listing(self, inventory, contact, listing, coordinator) -> None:
        record = services.add_activity(
            user=contact,
            inventory=inventory,
            data={**DIESEL, "fuel": "anthracite", "quantity": 1, "unit": "TJ"},
        )
        assert record.combustion_sector == ""
        assert record.result.ch4_kg == pytest.approx(10)  # manufacturing, Table 2.3
        listing.combustion_sector = "energy_industries"
        listing.save()
        services.recalculate(inventories=[inventory])
        record.refresh_from_db()
        assert record.result.ch4_kg == pytest.approx(1)  # Table 2.2

    def test_year_outside_the_period(self, inventory, contact) -> None:
        with pytest.raises(ValidationFailed) as info:
            services.add_activity(user=contact, inventory=inventory, data={**DIESEL, "year": 2021})
        assert columns(info.value) == {"year"}
        assert "2022–2023" in str(info.value)

    def test_structural_problems_are_refused(self, inventory, contact) -> None:
        with pytest.raises(ValidationFailed) as info:
            services.add_activity(
                user=contact, inventory=inventory, data={**DIESEL, "density_kg_per_l": None}
            )
        assert columns(info.value) == {"density_kg_per_l"}
        assert not inventory.activities.exists()

    def test_duplicate_line(self, inventory, contact) -> None:
        services.add_activity(user=contact, inventory=inventory, data=DIESEL)
        with pytest.raises(ValidationFailed):
            services.add_activity(user=contact, inventory=inventory, data=DIESEL)
        services.add_activity(
            user=contact, inventory=inventory, data={**DIESEL, "description": "Lò hơi số 2"}
        )
        assert inventory.activities.count() == 2

    def test_update_and_delete(self, inventory, contact) -> None:
        record = services.add_activity(user=contact, inventory=inventory, data=DIESEL)
        services.update_activity(user=contact, record=record, data={**DIESEL, "quantity": 2000})
        record.refresh_from_db()
        assert record.result.co2e_t == pytest.approx(2 * 2.69806, rel=1e-5)
        services.delete_activity(user=contact, record=record, reason="nhập nhầm")
        assert not inventory.activities.exists()

    def test_strangers_cannot_write(self, inventory, outsider) -> None:
        viewer = UserFactory()
        for user in (outsider, viewer):
            with pytest.raises(PermissionDenied):
                services.add_activity(user=user, inventory=inventory, data=DIESEL)

    def test_gwp_change_needs_a_reason_and_recalculates(self, inventory, contact) -> None:
        record = services.add_activity(user=contact, inventory=inventory, data=DIESEL)
        with pytest.raises(ValidationFailed):
            services.change_gwp_set(user=contact, inventory=inventory, gwp_set="AR4", reason=" ")
        services.change_gwp_set(
            user=contact, inventory=inventory, gwp_set="AR4", reason="Theo hướng dẫn của Bộ"
        )
        record.refresh_from_db()
        assert record.result.gwp_set == "AR4"
        assert record.result.co2e_t == pytest.approx(2.69845, rel=1e-5)
        assert "Theo hướng dẫn" in inventory.history.first().history_change_reason


class TestElectricityWaitingForFactor:
    def test_pending_until_the_official_factor_is_added(self, listing, coordinator, contact, admin) -> None:
        period = services.create_period(user=coordinator, obligation_group="A", submission_year=2025)
        assert period.data_years == [2024]
        inventory = services.open_inventory(user=contact, listing=listing, period=period)
        record = services.add_activity(
            user=contact,
            inventory=inventory,
            data={"year": 2024, "source_type": "purchased_electricity", "quantity": 1000, "unit": "MWh"},
        )
        assert not record.result.ok and "2024" in record.result.problem
        with pytest.raises(ValidationFailed) as info:
            services.submit_inventory(user=contact, inventory=inventory)
        assert "chưa tính được" in str(info.value)
        with pytest.raises(PermissionDenied):
            services.add_grid_factor(
                user=coordinator, year=2024, t_co2_per_mwh=0.7, issuing_document="CV thử"
            )
        with pytest.raises(ValidationFailed):
            services.add_grid_factor(user=admin, year=2024, t_co2_per_mwh=0.7, issuing_document=" ")
        services.add_grid_factor(
            user=admin, year=2024, t_co2_per_mwh=0.7, issuing_document="Công văn thử/BĐKH"
        )
        record.refresh_from_db()
        assert record.result.ok and record.result.co2e_t == pytest.approx(700)
        services.submit_inventory(user=contact, inventory=inventory)


class TestWorkflow:
    def test_draft_submitted_returned_appraised_reopened(self, inventory, contact, coordinator) -> None:
        with pytest.raises(ValidationFailed):
            services.submit_inventory(user=contact, inventory=inventory)  # empty
        services.add_activity(user=contact, inventory=inventory, data=DIESEL)
        services.submit_inventory(user=contact, inventory=inventory)
        assert inventory.status == InventoryStatus.SUBMITTED and inventory.submitted_by == contact
        with pytest.raises(PermissionDenied):
            services.add_activity(user=contact, inventory=inventory, data={**DIESEL, "description": "khác"})
        with pytest.raises(PermissionDenied):
            services.appraise_inventory(user=contact, inventory=inventory)
        with pytest.raises(ValidationFailed):
            services.return_inventory(user=coordinator, inventory=inventory, reason="")
        services.return_inventory(user=coordinator, inventory=inventory, reason="Thiếu số liệu điện")
        services.add_activity(
            user=contact,
            inventory=inventory,
            data={"year": 2023, "source_type": "purchased_electricity", "quantity": 10, "unit": "MWh"},
        )
        services.submit_inventory(user=contact, inventory=inventory)
        services.appraise_inventory(user=coordinator, inventory=inventory, note="Đạt")
        assert inventory.status == InventoryStatus.APPRAISED and inventory.appraised_by == coordinator
        with pytest.raises(PermissionDenied):
            services.reopen_inventory(user=contact, inventory=inventory, reason="x")
        with pytest.raises(ValidationFailed):
            services.reopen_inventory(user=coordinator, inventory=inventory, reason="")
        services.reopen_inventory(user=coordinator, inventory=inventory, reason="Sai hệ số")
        assert inventory.status == InventoryStatus.RETURNED
        reasons = [h.history_change_reason for h in inventory.history.all()]
        assert "Mở lại: Sai hệ số" in reasons and "Trả lại: Thiếu số liệu điện" in reasons
        who = {h.history_user for h in inventory.history.all()}
        assert {contact, coordinator} <= who

    def test_quota_facility_needs_a_verifier(self, unit, coordinator) -> None:
        listing = services.register_facility(
            user=coordinator,
            admin_unit=unit,
            code="TH01",
            name="Thép",
            sector="industry_trade",
            obligation_group="B",
        )
        period = services.create_period(
            user=coordinator,
            obligation_group="B",
            submission_year=2024,
            first_data_year=2022,
            last_data_year=2023,
        )
        inventory = services.open_inventory(user=coordinator, listing=listing, period=period)
        services.add_activity(user=coordinator, inventory=inventory, data=DIESEL)
        services.submit_inventory(user=coordinator, inventory=inventory)
        with pytest.raises(ValidationFailed) as info:
            services.appraise_inventory(user=coordinator, inventory=inventory)
        assert columns(info.value) == {"verifier"}
        services.appraise_inventory(user=coordinator, inventory=inventory, verifier="Tổ chức thẩm tra X")

    def test_group_must_match(self, listing, coordinator) -> None:
        period = services.create_period(
            user=coordinator,
            obligation_group="C",
            submission_year=2024,
            first_data_year=2023,
            last_data_year=2023,
        )
        with pytest.raises(ValidationFailed):
            services.open_inventory(user=coordinator, listing=listing, period=period)


class TestProvincialIndicators:
    @pytest.fixture
    def appraised(self, inventory, contact, coordinator):  # type: ignore[no-untyped-def]
        services.add_activity(user=contact, inventory=inventory, data=DIESEL)
        services.add_activity(
            user=contact,
            inventory=inventory,
            data={"year": 2022, "source_type": "purchased_electricity", "quantity": 1000, "unit": "MWh"},
        )
        services.add_activity(
            user=contact,
            inventory=inventory,
            data={
                "year": 2023,
                "source_type": "stationary_combustion",
                "fuel": "trấu",
                "quantity": 10,
                "unit": "t",
            },
        )
        services.submit_inventory(user=contact, inventory=inventory)
        services.appraise_inventory(user=coordinator, inventory=inventory)
        return inventory

    def test_only_appraised_inventories_count(self, inventory, contact, unit) -> None:
        services.add_activity(user=contact, inventory=inventory, data=DIESEL)
        assert services.provincial_totals(unit) == {}

    def test_values_by_year_and_sector(self, appraised, unit, coordinator) -> None:
        summary = services.publish_provincial_totals(user=coordinator, admin_unit=unit)
        assert summary.years == [2022, 2023] and summary.created > 0
        values = {
            (v.indicator.code, v.period, v.disaggregation): v
            for v in IndicatorValue.objects.filter(admin_unit=unit).select_related("indicator")
        }
        direct_2023 = values[("KNK-CS-01", "2023", "")]
        assert direct_2023.source == ValueSource.GHG and direct_2023.status == ValueStatus.SUBMITTED
        assert direct_2023.value == pytest.approx(
            2.69806 + (0.116 * 30 * 28 + 0.116 * 4 * 265) / 1000, abs=1e-3
        )
        assert values[("KNK-CS-01", "2023", "sector=construction")].value == direct_2023.value
        assert values[("KNK-CS-02", "2022", "")].value == pytest.approx(676.6)
        assert values[("KNK-CS-03", "2023", "")].value == pytest.approx(11.6)
        assert values[("KNK-CS-04", "2023", "")].value == 1
        assert "1.2" in direct_2023.indicator.source
        again = services.publish_provincial_totals(user=coordinator, admin_unit=unit)
        assert again.created == 0 and again.updated == 0 and again.unchanged == summary.created

    def test_approved_values_are_locked(self, appraised, unit, coordinator, contact) -> None:
        services.publish_provincial_totals(user=coordinator, admin_unit=unit, approve=True)
        services.reopen_inventory(user=coordinator, inventory=appraised, reason="Sửa")
        services.add_activity(
            user=contact, inventory=appraised, data={**DIESEL, "description": "Lò hơi số 3"}
        )
        services.submit_inventory(user=contact, inventory=appraised)
        services.appraise_inventory(user=coordinator, inventory=appraised)
        with pytest.raises(ValidationFailed) as info:
            services.publish_provincial_totals(user=coordinator, admin_unit=unit)
        assert "khóa" in str(info.value)

    def test_only_coordinators_of_the_unit_publish(self, appraised, unit, outsider, contact) -> None:
        for user in (outsider, contact):
            with pytest.raises(PermissionDenied):
                services.publish_provincial_totals(user=user, admin_unit=unit)

    def test_public_disclosure_lists_appraised_large_sources(self, appraised, unit) -> None:
        rows = list(services.public_disclosures(unit))
        assert rows == [appraised]
        assert rows[0].direct == pytest.approx(2.69806 + 0.22040, rel=1e-4)
        assert rows[0].indirect == pytest.approx(676.6)


def test_visibility_of_listings(listing, contact, outsider, coordinator) -> None:
    assert list(services.listings_visible_to(contact)) == [listing]
    assert list(services.listings_visible_to(coordinator)) == [listing]
    assert list(services.listings_visible_to(outsider)) == []
    assert list(services.listings_visible_to(UserFactory())) == []
