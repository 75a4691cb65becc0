"""`xanh ghg` command and the demonstration loader."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tests.factories import AdminUnitFactory, CoordinatorFactory
from xanh.ghg.models import FacilityInventory, InventoryListing, InventoryStatus
from xanh.indicators.models import IndicatorValue


def run(*args: str, stdin: str | None = None) -> str:
    out = StringIO()
    if stdin is not None:
        import sys

        old = sys.stdin
        sys.stdin = StringIO(stdin)
        try:
            call_command("ghg", *args, stdout=out)
        finally:
            sys.stdin = old
    else:
        call_command("ghg", *args, stdout=out)
    return out.getvalue()


ACTIVITIES = [
    {"source_type": "stationary_combustion", "fuel": "diesel", "quantity": 1000, "unit": "L",
     "density_kg_per_l": 0.844, "year": 2023},
    {"source_type": "mobile_combustion", "fuel": "diesel", "quantity": 1000, "unit": "L",
     "density_kg_per_l": 0.844, "year": 2023},
]  # fmt: skip


def test_calc_json_offline(tmp_path: Path) -> None:
    path = tmp_path / "in.json"
    path.write_text(json.dumps(ACTIVITIES), encoding="utf-8")
    out = json.loads(run("calc", "-i", str(path), "--gwp", "AR5", "--json", "--offline"))
    totals = [r["result"]["total_tCO2e"] for r in out["results"]]
    assert totals == [pytest.approx(2.69806, rel=1e-5), pytest.approx(2.73071, rel=1e-5)]
    assert out["results"][0]["result"]["steps"][0]["expression"] == "1.000 L × 0,844 kg/L ÷ 1.000"


def test_calc_text_and_errors() -> None:
    text = run("calc", "--offline", stdin=json.dumps({"gwp_set": "AR4", "activities": ACTIVITIES}))
    assert "Tổng (AR4)" in text and "tCO2e" in text
    with pytest.raises(CommandError, match="AR4 hoặc AR5"):
        run("calc", "--offline", stdin=json.dumps(ACTIVITIES))
    with pytest.raises(CommandError, match="JSON không hợp lệ ở dòng 1"):
        run("calc", "--offline", stdin="[{")
    with pytest.raises(CommandError, match="1 lỗi"):
        run(
            "calc",
            "--offline",
            "--gwp",
            "AR5",
            stdin=json.dumps([{"source_type": "điện", "quantity": 1, "unit": "MWh", "year": 2024}]),
        )


@pytest.mark.django_db
def test_calc_uses_grid_factors_from_the_database() -> None:
    from xanh.ghg.models import GridEmissionFactor

    GridEmissionFactor.objects.create(year=2024, t_co2_per_mwh=0.7, issuing_document="Công văn thử")
    out = json.loads(
        run(
            "calc",
            "--gwp",
            "AR5",
            "--json",
            stdin=json.dumps([{"source_type": "điện", "quantity": 10, "unit": "MWh", "year": 2024}]),
        )
    )
    assert out["totals"]["total_tCO2e"] == pytest.approx(7)


@pytest.mark.django_db
def test_import_and_totals_commands(tmp_path: Path, inventory, coordinator, contact, unit) -> None:
    path = tmp_path / "so-lieu.csv"
    path.write_text(
        "Mã cơ sở,Năm,Loại nguồn,Số lượng,Đơn vị\nXM01,2023,Điện mua vào,100,MWh\n", encoding="utf-8"
    )
    assert "Kiểm tra (chưa ghi) 1 dòng: thêm 1" in run(
        "import", str(path), "--user", contact.username, "--dry-run"
    )
    assert "Đã nhập 1 dòng: thêm 1" in run("import", str(path), "--user", contact.username)
    with pytest.raises(CommandError, match="Không có người dùng"):
        run("import", str(path), "--user", "khong-co")
    path.write_text(
        "Mã cơ sở,Năm,Loại nguồn,Số lượng,Đơn vị\nXM01,2023,Điện mua vào,x,MWh\n", encoding="utf-8"
    )
    with pytest.raises(CommandError, match="dòng 2"):
        run("import", str(path), "--user", contact.username)
    from xanh.ghg import services

    services.submit_inventory(user=contact, inventory=inventory)
    services.appraise_inventory(user=coordinator, inventory=inventory)
    assert "năm 2023: thêm" in run("totals", unit.code, "--user", coordinator.username)
    with pytest.raises(CommandError):
        run("totals", unit.code, "--user", contact.username)


@pytest.mark.django_db
def test_demo_is_idempotent() -> None:
    from xanh.ghg.demo import load_demo

    unit = AdminUnitFactory(name="Minh Họa", is_demo=True)
    CoordinatorFactory(admin_unit=unit)
    out = StringIO()
    load_demo(province_unit=unit, plan=None, stdout=out)
    counts = (
        InventoryListing.objects.count(),
        FacilityInventory.objects.count(),
        IndicatorValue.objects.count(),
    )
    load_demo(province_unit=unit, plan=None, stdout=out)
    assert (
        InventoryListing.objects.count(),
        FacilityInventory.objects.count(),
        IndicatorValue.objects.count(),
    ) == counts
    assert counts[0] == 3
    assert FacilityInventory.objects.filter(status=InventoryStatus.APPRAISED).count() == 3
    pending = FacilityInventory.objects.get(status=InventoryStatus.DRAFT)
    assert pending.results.filter(ok=False).count() == 1  # electricity 2024 waits for the official factor
    assert all(v.is_demo for v in IndicatorValue.objects.all())
    assert (
        "dữ liệu minh họa" in InventoryListing.objects.first().facility.name or "minh họa" in out.getvalue()
    )
