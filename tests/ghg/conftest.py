"""Fixtures of the GHG tests: a province, its coordinator, a facility contact, a listed facility and a cycle."""

from __future__ import annotations

import pytest

from tests.factories import AdminFactory, AdminUnitFactory, CoordinatorFactory, UserFactory

DIESEL = {
    "year": 2023,
    "source_type": "stationary_combustion",
    "fuel": "diesel",
    "quantity": 1000,
    "unit": "L",
    "density_kg_per_l": 0.844,
    "description": "Lò hơi số 1",
}


@pytest.fixture
def unit(db):  # type: ignore[no-untyped-def]
    return AdminUnitFactory(name="Thử Nghiệm")


@pytest.fixture
def coordinator(unit):  # type: ignore[no-untyped-def]
    return CoordinatorFactory(admin_unit=unit)


@pytest.fixture
def outsider(db):  # type: ignore[no-untyped-def]
    return CoordinatorFactory()  # coordinator of another province


@pytest.fixture
def admin(db):  # type: ignore[no-untyped-def]
    return AdminFactory()


@pytest.fixture
def contact(db):  # type: ignore[no-untyped-def]
    return UserFactory(username="coso-thu")


@pytest.fixture
def listing(unit, coordinator, contact):  # type: ignore[no-untyped-def]
    from xanh.ghg import services

    listing = services.register_facility(
        user=coordinator, admin_unit=unit, code="XM01", name="Nhà máy Xi măng Thử", sector="construction",
        is_large_source=True,
    )  # fmt: skip
    services.set_contacts(user=coordinator, listing=listing, contacts=[contact])
    return listing


@pytest.fixture
def period(coordinator):  # type: ignore[no-untyped-def]
    from xanh.ghg import services

    return services.create_period(
        user=coordinator,
        obligation_group="A",
        submission_year=2024,
        first_data_year=2022,
        last_data_year=2023,
    )


@pytest.fixture
def inventory(listing, period, contact):  # type: ignore[no-untyped-def]
    from xanh.ghg import services

    return services.open_inventory(user=contact, listing=listing, period=period)
