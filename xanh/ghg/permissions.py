"""Who may do what with GHG inventories. Built only on the shared rules of xanh.accounts.permissions:
coordinators (and admins) of the facility's unit manage and appraise; the facility's contacts prepare and submit."""

from __future__ import annotations

from typing import Any

from xanh.accounts import permissions as base
from xanh.ghg.models import EDITABLE_STATUSES, FacilityInventory, InventoryListing, InventoryStatus


def _active(user: Any) -> bool:
    return user is not None and getattr(user, "is_authenticated", False) and getattr(user, "is_active", False)


def manages(user: Any, listing: InventoryListing) -> bool:
    """Coordinator of the facility's province (or of the unit it merged into), or an admin."""
    return base.coordinates_unit(user, listing.facility.admin_unit)


def is_contact(user: Any, listing: InventoryListing) -> bool:
    return _active(user) and listing.contacts.filter(pk=user.pk).exists()


def can_prepare(user: Any, inventory: FacilityInventory) -> bool:
    """Enter activity data, import, change the GWP set, submit: while the inventory is open."""
    return inventory.status in EDITABLE_STATUSES and (
        manages(user, inventory.listing) or is_contact(user, inventory.listing)
    )


def can_appraise(user: Any, inventory: FacilityInventory) -> bool:
    return inventory.status == InventoryStatus.SUBMITTED and manages(user, inventory.listing)


def can_reopen(user: Any, inventory: FacilityInventory) -> bool:
    return inventory.status == InventoryStatus.APPRAISED and manages(user, inventory.listing)


def can_view(user: Any, inventory: FacilityInventory) -> bool:
    """Appraised inventories are open to every signed-in user (large sources also publicly, on the summary page);
    drafts only to the facility's contacts and the coordinators of its unit."""
    if inventory.status == InventoryStatus.APPRAISED and _active(user):
        return True
    return manages(user, inventory.listing) or is_contact(user, inventory.listing)


def can_view_listing(user: Any, listing: InventoryListing) -> bool:
    return _active(user) and (
        manages(user, listing)
        or is_contact(user, listing)
        or listing.inventories.filter(status=InventoryStatus.APPRAISED).exists()
    )
