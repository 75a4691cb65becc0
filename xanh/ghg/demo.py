"""Demonstration GHG inventories of the demo province (dữ liệu minh họa). Idempotent.

Three fictional facilities: the cement plant and the thermal power plant of the monitoring demo (reused: one facility
notion) and a textile mill. Two data years (2022, 2023) in a trial cycle that is appraised and published to the
provincial indicators, and a 2025 cycle (data 2024) in preparation whose electricity line waits for the official
2024 grid factor. All quantities are invented; the process factor of the cement plant is invented too.
"""

from __future__ import annotations

from typing import Any, TextIO

from django.apps import apps as django_apps
from django.db.models import Q

from xanh.accounts.models import Role, User
from xanh.core.demo_plan import DEMO_LABEL, DEMO_PASSWORD
from xanh.ghg import services
from xanh.ghg.models import FacilityInventory, InventoryStatus
from xanh.ghg.reference import seed_reference
from xanh.indicators.models import IndicatorValue, ValueSource

CONTACT_USERNAME = "coso"
INVENTED_FACTOR = f"hệ số riêng của cơ sở (giả định, {DEMO_LABEL})"

FACILITIES = [
    # code, name, sector, combustion sector, large source
    ("XMTHANHSON", "Nhà máy Xi măng Thanh Sơn (minh họa)", "construction", "manufacturing", True),
    ("NDKHUCONG", "Nhà máy Nhiệt điện Khu Công (minh họa)", "industry_trade", "energy_industries", True),
    ("DETMAYLV", "Công ty Dệt may Lục Vân (minh họa)", "industry_trade", "manufacturing", False),
]


def _fuel(year: int, fuel: str, quantity: float, unit: str, description: str, **extra: Any) -> dict[str, Any]:
    return {
        "year": year,
        "source_type": extra.pop("source_type", "stationary_combustion"),
        "fuel": fuel,
        "quantity": quantity,
        "unit": unit,
        "description": description,
        "label": description,
        **extra,
    }


def _electricity(year: int, mwh: float) -> dict[str, Any]:
    return {
        "year": year,
        "source_type": "purchased_electricity",
        "quantity": mwh,
        "unit": "MWh",
        "description": "Điện lưới",
    }


def _clinker(year: int, tonnes: float) -> dict[str, Any]:
    return {
        "year": year,
        "source_type": "process",
        "quantity": tonnes,
        "unit": "t clinker",
        "description": "Nung clinker",
        "label": "Nung clinker",
        "factor_overrides": {"CO2": 510},
        "factor_source": INVENTED_FACTOR,
    }


TRIAL_ACTIVITIES: dict[str, list[dict[str, Any]]] = {
    "XMTHANHSON": [
        _fuel(2022, "anthracite", 120_000, "t", "Lò nung clinker"),
        _fuel(
            2022,
            "diesel",
            250_000,
            "L",
            "Xe tải của nhà máy",
            source_type="mobile_combustion",
            density_kg_per_l=0.844,
        ),
        _electricity(2022, 95_000),
        _clinker(2022, 900_000),
        _fuel(2023, "anthracite", 118_500, "t", "Lò nung clinker"),
        _fuel(
            2023,
            "diesel",
            240_000,
            "L",
            "Xe tải của nhà máy",
            source_type="mobile_combustion",
            density_kg_per_l=0.844,
        ),
        _electricity(2023, 93_000),
        _clinker(2023, 880_000),
    ],
    "NDKHUCONG": [
        _fuel(2022, "other_bituminous_coal", 1_450_000, "t", "Lò hơi tổ máy 1–2"),
        _fuel(2022, "residual_fuel_oil", 3_200, "t", "Khởi động lò"),
        _fuel(2023, "other_bituminous_coal", 1_520_000, "t", "Lò hơi tổ máy 1–2"),
        _fuel(2023, "residual_fuel_oil", 2_900, "t", "Khởi động lò"),
    ],
    "DETMAYLV": [
        _fuel(2022, "other_solid_biomass", 12_000, "t", "Lò hơi đốt trấu"),
        _fuel(2022, "lpg", 85, "t", "Bếp ăn tập thể", sector="commercial"),
        _electricity(2022, 21_000),
        _fuel(2023, "other_solid_biomass", 12_600, "t", "Lò hơi đốt trấu"),
        _fuel(2023, "lpg", 90, "t", "Bếp ăn tập thể", sector="commercial"),
        _electricity(2023, 21_800),
    ],
}
CURRENT_ACTIVITIES = {
    "DETMAYLV": [
        _fuel(2024, "other_solid_biomass", 13_100, "t", "Lò hơi đốt trấu"),
        _electricity(2024, 22_500),
    ]
}


def _operator(unit: Any) -> User | None:
    return (
        User.objects.filter(is_active=True, role=Role.COORDINATOR)
        .filter(Q(admin_unit=unit) | Q(admin_unit__isnull=True))
        .order_by("id")
        .first()
        or User.objects.filter(is_active=True, is_superuser=True).order_by("id").first()
    )


def _contact() -> User:
    user = User.objects.filter(username=CONTACT_USERNAME).first()
    if user is None:
        user = User(
            username=CONTACT_USERNAME,
            role=Role.VIEWER,
            first_name="Cán bộ môi trường Công ty Dệt may Lục Vân (minh họa)",
            email=f"{CONTACT_USERNAME}@example.invalid",
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user


def _fill(user: Any, inventory: FacilityInventory, rows: list[dict[str, Any]]) -> None:
    if inventory.activities.exists():
        return
    for row in rows:
        services.add_activity(user=user, inventory=inventory, data=row, origin=f"Nạp {DEMO_LABEL}")


def load_demo(*, province_unit: Any, plan: Any = None, stdout: TextIO | None = None) -> None:
    seed_reference(
        django_apps
    )  # the rules may have been flushed (browser tests); creates only what is missing
    user = _operator(province_unit)
    if user is None:
        if stdout:
            stdout.write("Khí nhà kính: chưa có tài khoản điều phối, bỏ qua dữ liệu minh họa.\n")
        return
    contact = _contact()
    listings = {}
    for code, name, sector, combustion_sector, large in FACILITIES:
        listing = services.register_facility(
            user=user,
            admin_unit=province_unit,
            code=code,
            name=name,
            sector=sector,
            combustion_sector=combustion_sector,
            is_large_source=large,
            is_demo=True,
        )
        listings[code] = listing
    services.set_contacts(user=user, listing=listings["DETMAYLV"], contacts=[contact])
    trial = services.create_period(
        user=user,
        obligation_group="A",
        submission_year=2024,
        first_data_year=2022,
        last_data_year=2023,
        name=f"Kiểm kê thử nghiệm số liệu 2022–2023 ({DEMO_LABEL})",
        is_demo=True,
    )
    current = services.create_period(user=user, obligation_group="A", submission_year=2025, is_demo=True)
    services.create_period(user=user, obligation_group="A", submission_year=2027, is_demo=True)
    for code, rows in TRIAL_ACTIVITIES.items():
        inventory = services.open_inventory(user=user, listing=listings[code], period=trial)
        _fill(user, inventory, rows)
        if inventory.status == InventoryStatus.DRAFT:
            services.submit_inventory(user=user, inventory=inventory)
        if inventory.status == InventoryStatus.SUBMITTED:
            services.appraise_inventory(user=user, inventory=inventory, note=f"Thẩm định đạt ({DEMO_LABEL}).")
    for code, rows in CURRENT_ACTIVITIES.items():
        inventory = services.open_inventory(user=contact, listing=listings[code], period=current)
        _fill(contact, inventory, rows)
    summary = services.publish_provincial_totals(user=user, admin_unit=province_unit, approve=True)
    IndicatorValue.objects.filter(admin_unit=province_unit, source=ValueSource.GHG, is_demo=False).update(
        is_demo=True
    )
    if stdout:
        stdout.write(
            f"Khí nhà kính: {len(listings)} cơ sở minh họa, chỉ tiêu tỉnh năm {', '.join(map(str, summary.years))} "
            f"(thêm {summary.created}); tài khoản cơ sở: {CONTACT_USERNAME} / {DEMO_PASSWORD}\n"
        )
