"""Object-level permission rules. Services call these; views and the admin call the same functions.

One place decides who may do what, so a rule cannot be bypassed by taking another path (view, admin, API, upload).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from xanh.accounts.models import Role


def _role(user: Any) -> str | None:
    if user is None or not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return None
    if getattr(user, "is_superuser", False):
        return Role.ADMIN
    return getattr(user, "role", None)


def is_admin(user: Any) -> bool:
    return _role(user) == Role.ADMIN


def is_coordinator(user: Any) -> bool:
    return _role(user) == Role.COORDINATOR


def can_see_drafts(user: Any) -> bool:
    return _role(user) in {Role.ADMIN, Role.COORDINATOR}


def coordinates_unit(user: Any, admin_unit: Any) -> bool:
    """A coordinator manages the plans of their own unit (and of the units merged into it); admins manage all."""
    role = _role(user)
    if role == Role.ADMIN:
        return True
    if role != Role.COORDINATOR:
        return False
    if user.admin_unit_id is None:
        return True  # a coordinator not bound to a unit acts for the whole installation (single-province set-ups)
    if admin_unit is None:
        return False
    unit = admin_unit
    for _hop in range(5):
        if unit.pk == user.admin_unit_id:
            return True
        if unit.successor_id is None:
            break
        unit = unit.successor
    return False


def can_manage_plan(user: Any, plan: Any) -> bool:
    return coordinates_unit(user, plan.admin_unit)


def acts_for_agency(user: Any, agency: Any) -> bool:
    """Whether ``user`` may write data on behalf of ``agency``: its own reporter, or a coordinator of its unit."""
    role = _role(user)
    if role == Role.ADMIN:
        return True
    if role == Role.REPORTER:
        return agency is not None and user.agency_id == agency.pk
    if role == Role.COORDINATOR:
        return agency is not None and coordinates_unit(user, agency.admin_unit)
    return False


def require(condition: bool, message: str | None = None) -> None:
    if not condition:
        raise PermissionDenied(message or _("Bạn không có quyền thực hiện thao tác này."))
