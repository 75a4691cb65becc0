"""The demo province loaded once per test module (rolled back at the end), because loading it with its reporting
rounds takes several seconds; each test still runs in its own savepoint."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.db import transaction
from django.test import override_settings


@pytest.fixture(scope="module")
def module_demo(django_db_setup: Any, django_db_blocker: Any) -> Iterator[dict[str, Any]]:
    from xanh.core.demo import load_demo
    from xanh.geo.services import load_units
    from xanh.indicators.services import load_known_indicators

    with (
        django_db_blocker.unblock(),
        override_settings(
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
            EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
            TASKS={"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}},
        ),
        transaction.atomic(),
    ):
        load_units()
        load_known_indicators()
        data = load_demo()
        yield data
        transaction.set_rollback(True)


@pytest.fixture
def demo(module_demo: dict[str, Any], db: Any) -> dict[str, Any]:
    """Overrides the suite's function-scoped ``demo`` for this directory: the same data, loaded once per module."""
    from xanh.plans.models import Plan

    module_demo["plan"] = Plan.objects.get(pk=module_demo["plan"].pk)
    return module_demo
