"""Admin for GHG reference data. Inventories and activity data are written on the GHG pages (services); here they
are read only. A grid factor saved here goes through ``add_grid_factor`` so waiting inventories are recalculated."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from xanh.core.admin import ReadableByStaffAdmin
from xanh.ghg import services
from xanh.ghg.models import (
    ActivityRecord,
    DeadlineRuleRecord,
    FacilityInventory,
    GridEmissionFactor,
    InventoryListing,
    InventoryPeriod,
)


@admin.register(GridEmissionFactor)
class GridEmissionFactorAdmin(ReadableByStaffAdmin):
    list_display = ("year", "t_co2_per_mwh", "issuing_document", "confidence")

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        factor = services.add_grid_factor(
            user=request.user,
            year=obj.year,
            t_co2_per_mwh=obj.t_co2_per_mwh,
            issuing_document=obj.issuing_document,
            confidence=obj.confidence or "H",
        )
        obj.pk = factor.pk  # the admin logs and redirects to the saved row


@admin.register(DeadlineRuleRecord)
class DeadlineRuleAdmin(ReadableByStaffAdmin):
    list_display = (
        "key",
        "obligation_groups",
        "step",
        "month",
        "day",
        "first_submission_year",
        "instrument",
        "confidence",
    )


class ReadOnlyAdmin(ReadableByStaffAdmin):
    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(InventoryListing)
class InventoryListingAdmin(ReadOnlyAdmin):
    list_display = ("facility", "sector", "obligation_group", "listing_decision", "gwp_set")
    list_filter = ("sector", "obligation_group")


@admin.register(InventoryPeriod)
class InventoryPeriodAdmin(ReadOnlyAdmin):
    list_display = (
        "name",
        "obligation_group",
        "submission_year",
        "first_data_year",
        "last_data_year",
        "due_on",
    )


@admin.register(FacilityInventory)
class FacilityInventoryAdmin(ReadOnlyAdmin):
    list_display = ("listing", "period", "status", "gwp_set", "submitted_at", "appraised_at")
    list_filter = ("status",)


@admin.register(ActivityRecord)
class ActivityRecordAdmin(ReadOnlyAdmin):
    list_display = ("inventory", "year", "source_type", "fuel", "quantity", "unit", "origin")
    list_filter = ("source_type", "year")
