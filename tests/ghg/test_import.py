"""Import of activity data: dry run, errors by line and column, all or nothing, idempotent."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import PermissionDenied
from openpyxl import Workbook, load_workbook

from xanh.core.errors import ValidationFailed
from xanh.ghg import services
from xanh.ghg.importing import TEMPLATE_HEADERS, import_activities, template_workbook
from xanh.ghg.models import ActivityRecord, InventoryStatus

pytestmark = pytest.mark.django_db

HEADER = "Năm,Loại nguồn,Mô tả nguồn,Nhiên liệu,Số lượng,Đơn vị,Khối lượng riêng (kg/L)\n"
GOOD = (
    HEADER
    + '2023,Đốt nhiên liệu tại nguồn cố định,Lò hơi số 1,dầu DO,1.000,lít,"0,844"\n'
    + '2023,Điện mua vào,Điện lưới,,"1.234,5",MWh,\n'
    + "2022,stationary_combustion,Lò nung,Than antraxit,500,tấn,\n"
)


def csv_bytes(text: str) -> bytes:
    return text.encode("utf-8")


def test_dry_run_writes_nothing(inventory, contact) -> None:
    summary = import_activities(
        user=contact, content=csv_bytes(GOOD), filename="so-lieu.csv", inventory=inventory, dry_run=True
    )
    assert (summary.rows, summary.created, summary.updated) == (3, 3, 0)
    assert not ActivityRecord.objects.exists()


def test_import_then_reimport_is_unchanged(inventory, contact) -> None:
    summary = import_activities(
        user=contact, content=csv_bytes(GOOD), filename="so-lieu.csv", inventory=inventory
    )
    assert summary.created == 3
    records = {r.description: r for r in inventory.activities.select_related("result")}
    assert records["Lò hơi số 1"].result.co2e_t == pytest.approx(2.69806, rel=1e-5)
    assert records["Điện lưới"].quantity == 1234.5
    assert records["Lò hơi số 1"].origin == "so-lieu.csv, dòng 2"
    again = import_activities(
        user=contact, content=csv_bytes(GOOD), filename="so-lieu.csv", inventory=inventory
    )
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    changed = GOOD.replace("1.000,lít", "2.000,lít")
    third = import_activities(
        user=contact, content=csv_bytes(changed), filename="so-lieu.csv", inventory=inventory
    )
    assert (third.created, third.updated, third.unchanged) == (0, 1, 2)
    assert inventory.activities.count() == 3


def test_errors_name_line_and_column_and_nothing_is_written(inventory, contact) -> None:
    bad = (
        HEADER
        + "2023,Đốt nhiên liệu tại nguồn cố định,Lò hơi,dầu DO,1000,lít,\n"  # no density
        + "2023,Đốt nhiên liệu tại nguồn cố định,Lò 2,dầu dừa,10,tấn,\n"  # unknown fuel
        + "2023,nấu ăn,Bếp,LPG,-5,tấn,\n"  # bad source type, negative
        + "2030,Điện mua vào,Điện,,10,MWh,\n"  # year outside the period
        + "2023,Điện mua vào,Điện lưới,,10,MWh,\n"  # fine
    )
    with pytest.raises(ValidationFailed) as info:
        import_activities(user=contact, content=csv_bytes(bad), filename="loi.csv", inventory=inventory)
    found = {(p.row, p.column) for p in info.value.problems}
    assert (2, "Khối lượng riêng (kg/L)") in found
    assert (3, "Nhiên liệu") in found
    assert (4, "Loại nguồn") in found and (4, "Số lượng") in found
    assert (5, "Năm") in found
    assert all(p.source == "loi.csv" for p in info.value.problems)
    assert "dòng 3" in str(info.value)
    assert not ActivityRecord.objects.exists()


def test_missing_columns_and_duplicates(inventory, contact) -> None:
    with pytest.raises(ValidationFailed) as info:
        import_activities(
            user=contact,
            content=csv_bytes("Năm,Loại nguồn\n2023,điện\n"),
            filename="x.csv",
            inventory=inventory,
        )
    assert "Số lượng" in str(info.value) and "Đơn vị" in str(info.value)
    dup = HEADER + "2023,điện,A,,1,MWh,\n2023,điện,A,,2,MWh,\n"
    with pytest.raises(ValidationFailed) as info:
        import_activities(user=contact, content=csv_bytes(dup), filename="x.csv", inventory=inventory)
    assert "trùng với dòng 2" in str(info.value)


def test_xlsx_keeps_line_numbers_across_blank_rows(inventory, contact) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["Năm", "Loại nguồn", "Số lượng", "Đơn vị", "Cột lạ"])
    sheet.append([2023, "Điện mua vào", 100, "MWh", "x"])
    sheet.append([None, None, None, None, None])
    sheet.append([2023, "Điện mua vào", "abc", "MWh", None])
    buffer = io.BytesIO()
    book.save(buffer)
    with pytest.raises(ValidationFailed) as info:
        import_activities(
            user=contact, content=buffer.getvalue(), filename="so-lieu.xlsx", inventory=inventory
        )
    assert [(p.row, p.column) for p in info.value.problems] == [(4, "Số lượng")]


def test_facility_code_mode_opens_the_inventory(listing, period, contact) -> None:
    text = (
        "Mã cơ sở,"
        + HEADER
        + "XM01,2023,Điện mua vào,Điện lưới,,100,MWh,\nXX99,2023,Điện mua vào,Điện,,1,MWh,\n"
    )
    with pytest.raises(ValidationFailed) as info:
        import_activities(user=contact, content=csv_bytes(text), filename="nhieu.csv")
    assert [(p.row, p.column) for p in info.value.problems] == [(3, "facility_code")]
    ok = "Mã cơ sở," + HEADER + "XM01,2023,Điện mua vào,Điện lưới,,100,MWh,\n"
    dry = import_activities(user=contact, content=csv_bytes(ok), filename="nhieu.csv", dry_run=True)
    assert dry.inventories_opened == 1 and not listing.inventories.exists()
    summary = import_activities(user=contact, content=csv_bytes(ok), filename="nhieu.csv")
    inventory = listing.inventories.get()
    assert inventory.period == period and summary.created == 1


def test_pending_electricity_is_a_warning(listing, coordinator, contact) -> None:
    period = services.create_period(user=coordinator, obligation_group="A", submission_year=2025)
    inventory = services.open_inventory(user=contact, listing=listing, period=period)
    summary = import_activities(
        user=contact,
        content=csv_bytes(HEADER + "2024,Điện mua vào,Điện,,100,MWh,\n"),
        filename="a.csv",
        inventory=inventory,
    )
    assert summary.pending == 1 and "hệ số lưới điện" in summary.warnings[-1]
    assert not inventory.activities.get().result.ok


def test_locked_inventory_refuses_import(inventory, contact, coordinator) -> None:
    import_activities(user=contact, content=csv_bytes(GOOD), filename="a.csv", inventory=inventory)
    services.submit_inventory(user=contact, inventory=inventory)
    assert inventory.status == InventoryStatus.SUBMITTED
    with pytest.raises(PermissionDenied):
        import_activities(user=contact, content=csv_bytes(GOOD), filename="a.csv", inventory=inventory)


def test_not_utf8_and_wrong_extension(inventory, contact) -> None:
    with pytest.raises(ValidationFailed, match="UTF-8"):
        import_activities(user=contact, content=GOOD.encode("utf-16"), filename="a.csv", inventory=inventory)
    with pytest.raises(ValidationFailed, match="xlsx"):
        import_activities(user=contact, content=b"x", filename="a.pdf", inventory=inventory)


def test_template_has_the_headers_and_choices() -> None:
    book = load_workbook(io.BytesIO(template_workbook()))
    assert [c.value for c in book.worksheets[0][1]] == TEMPLATE_HEADERS
    assert book.worksheets[1]["A2"].value == "Đốt nhiên liệu tại nguồn cố định"
