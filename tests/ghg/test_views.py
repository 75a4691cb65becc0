"""GHG pages: public disclosure without login, permissions, trail in Vietnamese, forms, import, publishing."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory
from tests.ghg.conftest import DIESEL
from xanh.ghg import services
from xanh.ghg.models import InventoryStatus
from xanh.indicators.models import IndicatorValue

pytestmark = pytest.mark.django_db


def login(client, user) -> None:  # type: ignore[no-untyped-def]
    assert client.login(username=user.username, password=PASSWORD)


@pytest.fixture
def appraised(inventory, contact, coordinator):  # type: ignore[no-untyped-def]
    services.add_activity(user=contact, inventory=inventory, data=DIESEL)
    services.submit_inventory(user=contact, inventory=inventory)
    services.appraise_inventory(user=coordinator, inventory=inventory)
    return inventory


def test_summary_is_public_and_shows_only_appraised(client, inventory, contact) -> None:
    services.add_activity(user=contact, inventory=inventory, data=DIESEL)
    page = client.get(reverse("ghg:summary")).content.decode()
    assert "Công khai kết quả kiểm kê của nguồn thải lớn" in page
    assert "Chưa có kết quả được công khai." in page
    assert "Kỳ kiểm kê và thời hạn" not in page  # staff only


def test_disclosure_after_appraisal(client, appraised) -> None:
    page = client.get(reverse("ghg:summary")).content.decode()
    assert "Nhà máy Xi măng Thử" in page
    assert "2,7" in page  # 2,698 tCO2e shown with one decimal, Vietnamese format


def test_staff_summary_shows_periods_and_deadlines(client, coordinator, period) -> None:
    login(client, coordinator)
    page = client.get(reverse("ghg:summary")).content.decode()
    assert "Kỳ kiểm kê và thời hạn" in page and "Không có hạn theo quy định" in page
    assert "NĐ 119/2025" in page


def test_inventory_page_shows_the_trail_to_the_contact(client, inventory, contact) -> None:
    services.add_activity(user=contact, inventory=inventory, data=DIESEL)
    login(client, contact)
    page = client.get(reverse("ghg:inventory", args=[inventory.pk])).content.decode()
    assert "0,844 t × 43 TJ/Gg ÷ 1.000" in page
    assert "IPCC 2006" in page and "Thêm số liệu hoạt động" in page
    assert "Lịch sử thay đổi" in page


def test_drafts_are_hidden_from_other_users(client, inventory) -> None:
    login(client, UserFactory())
    assert client.get(reverse("ghg:inventory", args=[inventory.pk])).status_code == 404
    assert client.get(reverse("ghg:facility", args=[inventory.listing.pk])).status_code == 404


def test_appraised_inventory_is_readable_by_signed_in_users(client, appraised) -> None:
    login(client, UserFactory())
    page = client.get(reverse("ghg:inventory", args=[appraised.pk])).content.decode()
    assert "Đã thẩm định" in page and "Thêm số liệu hoạt động" not in page


def test_facility_list_needs_login(client, listing, contact) -> None:
    assert client.get(reverse("ghg:facilities")).status_code == 302
    login(client, contact)
    assert "Nhà máy Xi măng Thử" in client.get(reverse("ghg:facilities")).content.decode()


def test_add_activity_form_and_errors(client, inventory, contact) -> None:
    login(client, contact)
    url = reverse("ghg:activity_add", args=[inventory.pk])
    form = {"year": 2023, "source_type": "stationary_combustion", "fuel": "diesel", "quantity": "1.000",
            "unit": "L", "density_kg_per_l": "0,844", "description": "Lò hơi"}  # fmt: skip
    response = client.post(url, form, follow=True)
    assert "Đã thêm số liệu hoạt động" in response.content.decode()
    assert inventory.activities.get().quantity == 1000
    response = client.post(url, {**form, "description": "Lò 2", "density_kg_per_l": ""}, follow=True)
    assert "khối lượng riêng" in response.content.decode()


def test_submit_and_appraise_through_the_page(client, inventory, contact, coordinator) -> None:
    services.add_activity(user=contact, inventory=inventory, data=DIESEL)
    login(client, contact)
    client.post(reverse("ghg:action", args=[inventory.pk]), {"action": "submit"})
    inventory.refresh_from_db()
    assert inventory.status == InventoryStatus.SUBMITTED
    response = client.post(reverse("ghg:action", args=[inventory.pk]), {"action": "appraise"})
    assert response.status_code == 403
    client.logout()
    login(client, coordinator)
    client.post(reverse("ghg:action", args=[inventory.pk]), {"action": "appraise", "note": "Đạt"})
    inventory.refresh_from_db()
    assert inventory.status == InventoryStatus.APPRAISED


def test_import_dry_run_then_confirm(client, inventory, contact) -> None:
    login(client, contact)
    url = reverse("ghg:import", args=[inventory.pk])
    content = "Năm,Loại nguồn,Số lượng,Đơn vị\n2023,Điện mua vào,100,MWh\n".encode()
    response = client.post(url, {"file": SimpleUploadedFile("a.csv", content)})
    page = response.content.decode()
    assert "tệp hợp lệ" in page and not inventory.activities.exists()
    token = response.context["token"]
    response = client.post(url, {"confirm": token}, follow=True)
    assert "Đã nhập: thêm 1" in response.content.decode()
    assert inventory.activities.count() == 1
    bad = "Năm,Loại nguồn,Số lượng,Đơn vị\n2023,Điện mua vào,abc,MWh\n".encode()
    response = client.post(url, {"file": SimpleUploadedFile("b.csv", bad)})
    assert response.status_code == 400
    assert "dòng 2" in response.content.decode()


def test_template_download(client) -> None:
    response = client.get(reverse("ghg:template"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")


def test_publish_by_coordinator(client, appraised, coordinator, unit) -> None:
    login(client, coordinator)
    response = client.post(reverse("ghg:publish", args=[unit.pk]), follow=True)
    assert "Đã tổng hợp vào chỉ tiêu" in response.content.decode()
    assert IndicatorValue.objects.filter(indicator__code="KNK-CS-01", period="2023").exists()


def test_menu_entry(client) -> None:
    assert 'href="/khi-nha-kinh/"' in client.get(reverse("ghg:summary")).content.decode()


def test_admin_adds_a_grid_factor_through_the_service(client, admin, listing, coordinator, contact) -> None:
    period = services.create_period(user=coordinator, obligation_group="A", submission_year=2025)
    inventory = services.open_inventory(user=contact, listing=listing, period=period)
    record = services.add_activity(
        user=contact,
        inventory=inventory,
        data={"year": 2024, "source_type": "purchased_electricity", "quantity": 10, "unit": "MWh"},
    )
    assert not record.result.ok
    login(client, admin)
    response = client.post(
        "/quan-tri/ghg/gridemissionfactor/add/",
        {"year": 2024, "t_co2_per_mwh": "0.7", "issuing_document": "Công văn thử/BĐKH", "confidence": "H"},
    )
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.result.ok and record.result.co2e_t == pytest.approx(7)
