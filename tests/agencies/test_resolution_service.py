"""The Django side of agency resolution: mentions map to the agencies of one unit, and successors apply by date."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.factories import AdminUnitFactory
from xanh.agencies.models import Agency
from xanh.agencies.services import ensure_agencies, resolve_agency

pytestmark = pytest.mark.django_db


@pytest.fixture
def unit():
    unit = AdminUnitFactory(name="Bắc Giang")
    ensure_agencies(unit)
    return unit


@pytest.mark.parametrize(
    ("mention", "key"),
    [
        ("Sở Thông tin và Truyền thông", "so-tttt"),
        ("Sở Thông tin Truyền thông", "so-tttt"),
        ("Sở TT&TT", "so-tttt"),
        ("Sở Kế hoạch  và Đầu tư", "so-khdt"),
        ("SKHĐT", "so-khdt"),
        ("Sở Lao động – Thương binh và Xã hội", "so-ldtbxh"),
        ("Ngân hàng Nhà nước chi nhánh tỉnh Bắc Giang", "nhnn-cn"),
        ("UBND các huyện, thành phố", "ubnd-cap-huyen"),
    ],
)
def test_mentions_resolve_to_the_units_agency(unit, mention, key):
    agency = resolve_agency(mention, unit=unit)
    assert agency is not None and agency.key == key and agency.admin_unit == unit


def test_collectives_are_agencies_not_free_text(unit):
    agency = resolve_agency("Các sở, ban, ngành", unit=unit)
    assert agency is not None and agency.is_collective


def test_unknown_mentions_resolve_to_nothing(unit):
    assert resolve_agency("Công ty TNHH Một Thành Viên Ánh Dương", unit=unit) is None


def test_an_edit_saved_elsewhere_reaches_the_cached_matcher(unit):
    """An administrator adds an alias in the admin, served by another worker process: this process's cached matcher
    must see it (no cache clearing happens here, only the save)."""
    assert resolve_agency("Công ty TNHH Một Thành Viên Ánh Dương", unit=unit) is None
    agency = Agency.objects.get(admin_unit=unit, key="so-ct")
    agency.aliases = [*agency.aliases, "Công ty TNHH Một Thành Viên Ánh Dương"]
    agency.save()
    found = resolve_agency("Công ty TNHH Một Thành Viên Ánh Dương", unit=unit)
    assert found is not None and found.key == "so-ct"
    agency.delete()
    assert resolve_agency("Công ty TNHH Một Thành Viên Ánh Dương", unit=unit) is None


def test_successor_applies_from_its_date(unit):
    khdt = Agency.objects.get(admin_unit=unit, key="so-khdt")
    assert khdt.current(dt.date(2025, 2, 28)) == khdt
    assert khdt.current(dt.date(2025, 3, 1)).name == "Sở Tài chính"
    tnmt = Agency.objects.get(admin_unit=unit, key="so-tnmt")
    assert tnmt.current(dt.date(2026, 1, 1)).name == "Sở Nông nghiệp và Môi trường"


def test_instantiating_twice_changes_nothing(unit):
    before = Agency.objects.filter(admin_unit=unit).count()
    assert ensure_agencies(unit)["created"] == 0
    assert Agency.objects.filter(admin_unit=unit).count() == before
