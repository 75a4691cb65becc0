"""Plan import in a real browser: upload → review → fix one item, decide an unknown agency, fix a cited document →
publish → the plan page shows them.

With XANH_SCREENSHOTS=1 the test also saves the screenshots used by docs/user-guide/nhap-ke-hoach.md.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login
from tests.factories import PASSWORD, AdminUnitFactory, CoordinatorFactory
from xanh.agencies.models import Agency
from xanh.documents.models import PlanImport
from xanh.plans.models import Plan

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

REPO = Path(__file__).resolve().parents[2]
DOCUMENT = REPO / "tests" / "documents" / "corpus" / "ke_hoach_lam_son.txt"
SHOTS = REPO / "docs" / "user-guide" / "img"


def _shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    if os.environ.get("XANH_SCREENSHOTS"):
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SHOTS / name), full_page=False)


def test_upload_review_fix_publish(page, settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"
    unit = AdminUnitFactory(name="Lâm Sơn")
    coordinator = CoordinatorFactory(admin_unit=unit, first_name="Lan", last_name="Nguyễn")
    login(page, coordinator.username, PASSWORD)

    page.get_by_role("link", name="Nhập kế hoạch").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Nhập kế hoạch từ văn bản")
    page.get_by_label("Tệp văn bản kế hoạch").set_input_files(str(DOCUMENT))
    _shot(page, "nhap-1-tai-len.png")
    page.get_by_role("button", name="Tải lên và đọc văn bản").click()

    # Review: the document on the left with highlighted items, the proposals on the right.
    expect(page.get_by_role("heading", level=1)).to_contain_text("Duyệt bản nhập")
    page.wait_for_load_state()  # the new page has committed; let it finish before counting
    assert page.locator(".doc-text .hl-target").count() >= 10
    assert page.locator(".doc-text .hl-task").count() >= 11
    expect(page.get_by_role("heading", name="Mục tiêu (10)")).to_be_visible()
    expect(page.get_by_text("Chưa có trong danh mục cơ quan: Trung tâm Khuyến nông tỉnh")).to_be_visible()
    _shot(page, "nhap-2-duyet.png")

    # The link next to an item jumps to its place in the text.
    first_target = page.locator("#edit-target-0")
    first_target.get_by_role("link", name="Xem trong văn bản").click()
    assert page.url.endswith("#src-target-0")

    # Fix one item: the forest-cover target becomes 46%.
    first_target.locator("textarea[name='t-0-text']").fill("Tỷ lệ che phủ rừng duy trì ổn định ở mức 46%.")
    first_target.locator("input[name='t-0-c-0-value']").fill("46")

    # The body the catalogue does not know becomes a new agency of the unit (decided once for the whole import).
    body = page.get_by_role("group", name="Cơ quan «Trung tâm Khuyến nông tỉnh»")
    expect(body.get_by_role("option", name="Sở Nông nghiệp và Môi trường")).to_have_count(
        1
    )  # among the suggestions
    body.get_by_label("Xử lý «Trung tâm Khuyến nông tỉnh»").select_option(
        label="Thêm vào danh mục cơ quan (cơ quan mới)"
    )
    body.get_by_label("Tên cơ quan mới").fill("Trung tâm Khuyến nông Lâm Sơn")
    body.get_by_label("Loại cơ quan mới").select_option(label="Cơ quan, tổ chức khác")
    # One cited document gets its missing date and its title.
    reference = page.get_by_role("group", name="Văn bản dẫn chiếu 4", exact=True)
    expect(reference.get_by_label("Số, ký hiệu")).to_have_value("3685/VPCP-NN")
    reference.get_by_label("Ngày ban hành").fill("2024-05-15")
    reference.get_by_label("Trích yếu").fill("Về việc thực hiện Chiến lược quốc gia về tăng trưởng xanh")
    body.scroll_into_view_if_needed()
    _shot(page, "nhap-5-co-quan.png")

    page.get_by_role("button", name="Lưu chỉnh sửa").click()
    expect(page.get_by_text("Đã lưu các chỉnh sửa.")).to_be_visible()
    expect(page.locator("input[name='t-0-c-0-value']")).to_have_value("46")
    expect(
        page.get_by_text("Đã xử lý khi duyệt: «Trung tâm Khuyến nông tỉnh» → thêm cơ quan mới")
    ).to_be_visible()
    expect(page.get_by_text("Chưa có trong danh mục cơ quan: Trung tâm Khuyến nông tỉnh")).to_have_count(0)
    expect(page.locator("input[name='r-3-issued_on']")).to_have_value("2024-05-15")
    assert not Agency.objects.filter(name="Trung tâm Khuyến nông Lâm Sơn").exists()  # not before publishing
    _shot(page, "nhap-3-sua.png")

    page.get_by_role("button", name="Công bố kế hoạch").click()
    plan = Plan.objects.get()
    assert plan.get_absolute_url() in page.url  # the browser keeps the "#src-…" fragment across the redirect
    expect(page.get_by_text("Đã công bố kế hoạch.")).to_be_visible()
    page.wait_for_load_state()
    expect(page.get_by_text("Tỷ lệ che phủ rừng duy trì ổn định ở mức 46%.").first).to_be_visible()
    expect(page.get_by_role("heading", name="Văn bản được dẫn chiếu")).to_be_visible()
    expect(page.get_by_text("Công văn 3685/VPCP-NN ngày 15/05/2024")).to_be_visible()
    expect(page.get_by_role("cell", name="Trung tâm Khuyến nông Lâm Sơn", exact=True)).to_be_visible()
    _shot(page, "nhap-4-ke-hoach.png")
    page.get_by_role("cell", name="Trung tâm Khuyến nông Lâm Sơn", exact=True).scroll_into_view_if_needed()
    _shot(page, "nhap-6-co-quan-da-cong-bo.png")
    assert PlanImport.objects.get().plan == plan
    assert plan.targets.order_by("position").first().components.get().value == 46
    task = plan.tasks.get(code="Phần III.III.3")
    lead = task.assignments.get(role="lead")
    assert lead.agency.name == "Trung tâm Khuyến nông Lâm Sơn" and lead.agency.admin_unit == unit
    assert "chưa có trong danh mục" not in task.text
