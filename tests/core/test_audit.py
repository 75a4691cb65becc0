from __future__ import annotations

import pytest

from tests.factories import CoordinatorFactory, PlanFactory, TargetFactory
from xanh.core.audit import history_of
from xanh.plans.services import update_target

pytestmark = pytest.mark.django_db


def test_every_change_keeps_who_when_before_and_after(client):
    coordinator = CoordinatorFactory(first_name="Lan")
    target = TargetFactory(plan=PlanFactory(admin_unit=coordinator.admin_unit), year=2030)
    update_target(user=coordinator, target=target, reason="Sửa năm mục tiêu", year=2025)
    # simple-history records the request user from middleware; services called outside requests set it explicitly
    entries = history_of(target)
    assert entries[0].action == "Sửa" and entries[0].reason == "Sửa năm mục tiêu"
    assert entries[0].who == "Lan"
    change = {c.field: (c.before, c.after) for c in entries[0].changes}
    assert change["year"] == (2030, 2025)
    assert entries[-1].action == "Tạo mới"
