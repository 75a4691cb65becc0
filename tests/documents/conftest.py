"""Shared by the import tests: the Lâm Sơn corpus plan, its unit and coordinator, uploads in a temporary folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.factories import AdminUnitFactory, CoordinatorFactory

CORPUS = Path(__file__).resolve().parent / "corpus"
LAM_SON = (CORPUS / "ke_hoach_lam_son.txt").read_bytes()


@pytest.fixture
def media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def unit():  # type: ignore[no-untyped-def]
    return AdminUnitFactory(name="Lâm Sơn")


@pytest.fixture
def coordinator(unit):  # type: ignore[no-untyped-def]
    return CoordinatorFactory(admin_unit=unit)
