"""Test set-up shared by the whole suite. The same tests run on SQLite and on PostgreSQL (DATABASE_URL)."""

from __future__ import annotations

import os

import pytest
from hypothesis import settings

# scripts/test (and so CI) runs with --hypothesis-profile=ci: a fixed seed, so a commit that passed stays green and
# a failure can be replayed. Run pytest without the flag to explore new random cases while developing.
settings.register_profile("ci", derandomize=True, print_blob=True)

os.environ.setdefault("XANH_TESTING", "1")
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _fast_passwords(settings):  # type: ignore[no-untyped-def]
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.SECURE_SSL_REDIRECT = False
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


@pytest.fixture
def reference_units(db):  # type: ignore[no-untyped-def]
    """The real 63 + 34 provincial units."""
    from xanh.geo.services import load_units

    load_units()


@pytest.fixture
def demo(db):  # type: ignore[no-untyped-def]
    """The whole demonstration province, as the first README command loads it."""
    from xanh.core.demo import load_demo
    from xanh.geo.services import load_units
    from xanh.indicators.services import load_known_indicators

    load_units()
    load_known_indicators()
    return load_demo()
