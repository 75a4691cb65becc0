"""A facility contact enters activity data and submits; the coordinator appraises and publishes; anyone sees the
disclosure of large sources, also on a phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login
from tests.factories import PASSWORD, AdminUnitFactory, CoordinatorFactory, UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def setup(db):  # type: ignore[no-untyped-def]
    from xanh.ghg import services

    unit = AdminUnitFactory(name="Thử Nghiệm")
    coordinator = CoordinatorFactory(admin_unit=unit, username="dieuphoi-ghg")
    contact = UserFactory(username="coso-ghg", first_name="Cán bộ cơ sở")
    listing = services.register_facility(
        user=coordinator, admin_unit=unit, code="XM01", name="Nhà máy Xi măng Thử", sector="construction",
        is_large_source=True,
    )  # fmt: skip
    services.set_contacts(user=coordinator, listing=listing, contacts=[contact])
    period = services.create_period(
        user=coordinator,
        obligation_group="A",
        submission_year=2024,
        first_data_year=2022,
        last_data_year=2023,
    )
    inventory = services.open_inventory(user=contact, listing=listing, period=period)
    return {"unit": unit, "inventory": inventory}


def test_contact_enters_data_and_coordinator_appraises(page, setup) -> None:  # type: ignore[no-untyped-def]
    inventory = setup["inventory"]
    login(page, "coso-ghg", PASSWORD)
    page.goto(f"{page.base_url}/khi-nha-kinh/kiem-ke/{inventory.pk}/")
    page.get_by_label("Năm số liệu").fill("2023")
    page.get_by_label("Loại nguồn", exact=True).select_option(label="Đốt nhiên liệu tại nguồn cố định")
    page.get_by_label("Mô tả nguồn").fill("Lò hơi số 1")
    page.get_by_label("Nhiên liệu", exact=True).select_option(label="Dầu diesel (DO)")
    page.get_by_label("Số lượng", exact=True).fill("1.000")
    page.get_by_label("Đơn vị", exact=True).select_option("L")
    page.get_by_label("Khối lượng riêng (kg/L)").fill("0,844")
    page.get_by_role("button", name="Thêm và tính").click()
    expect(page.get_by_text("Đã thêm số liệu hoạt động")).to_be_visible()
    expect(page.get_by_role("cell", name="2,698", exact=True).first).to_be_visible()
    page.get_by_text("Xem cách tính").first.click()
    expect(page.get_by_text("0,844 t × 43 TJ/Gg ÷ 1.000")).to_be_visible()
    page.get_by_role("button", name="Gửi để thẩm định").click()
    expect(page.get_by_text("Đã gửi báo cáo để thẩm định.")).to_be_visible()
    page.get_by_role("button", name="Đăng xuất").click()

    login(page, "dieuphoi-ghg", PASSWORD)
    page.goto(f"{page.base_url}/khi-nha-kinh/kiem-ke/{inventory.pk}/")
    page.get_by_label("Ý kiến thẩm định").fill("Số liệu đầy đủ.")
    page.get_by_role("button", name="Thẩm định đạt").click()
    expect(page.get_by_text("Đã thẩm định báo cáo.")).to_be_visible()
    page.get_by_role("link", name="Khí nhà kính").click()
    page.get_by_role("button", name="Tổng hợp vào chỉ tiêu").click()
    expect(page.get_by_text("Đã tổng hợp vào chỉ tiêu")).to_be_visible()


def test_disclosure_is_public_and_fits_a_phone(phone_page, setup) -> None:  # type: ignore[no-untyped-def]
    from xanh.ghg import services
    from xanh.ghg.models import InventoryListing

    inventory = setup["inventory"]
    listing = InventoryListing.objects.get()
    contact = listing.contacts.get()
    services.add_activity(
        user=contact,
        inventory=inventory,
        data={"year": 2023, "source_type": "purchased_electricity", "quantity": 1000, "unit": "MWh"},
    )
    services.submit_inventory(user=contact, inventory=inventory)
    coordinator = CoordinatorFactory._meta.model.objects.get(username="dieuphoi-ghg")
    services.appraise_inventory(user=coordinator, inventory=inventory)
    phone_page.goto(f"{phone_page.base_url}/khi-nha-kinh/")
    expect(
        phone_page.get_by_role("heading", name="Công khai kết quả kiểm kê của nguồn thải lớn")
    ).to_be_visible()
    expect(phone_page.get_by_role("rowheader", name="Nhà máy Xi măng Thử")).to_be_visible()
    expect(phone_page.get_by_text("659,2").first).to_be_visible()
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 380, f"page scrolls sideways on a phone: {width}px"
