"""The whole reporting flow in Chromium: the coordinator opens a round → the reporter fills the form and submits →
the coordinator returns it with a comment → the reporter fixes it and resubmits → the coordinator approves → the
values appear as official observations.

Set XANH_GUIDE_SCREENSHOTS=1 to (re)write the screenshots of the user guide (docs/user-guide/img/reporting-*.png).
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login
from tests.factories import PASSWORD
from tests.reporting.conftest import round_2025, world  # noqa: F401 - fixtures
from xanh.core.demo_plan import DEMO_PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

IMG = Path(__file__).resolve().parents[2] / "docs" / "user-guide" / "img"
VALUES = {"LV-03": "41,9", "LV-04": "87,6", "LV-06": "89,5"}


def shot(page, name: str) -> None:  # type: ignore[no-untyped-def]
    if os.environ.get("XANH_GUIDE_SCREENSHOTS"):
        IMG.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(IMG / f"reporting-{name}.png"), full_page=True)


def logout(page) -> None:  # type: ignore[no-untyped-def]
    page.get_by_role("button", name="Đăng xuất").click()
    page.wait_for_load_state("networkidle")


def test_round_flow_from_opening_to_official_values(page, demo):  # type: ignore[no-untyped-def]
    from xanh.indicators.models import Indicator, IndicatorValue
    from xanh.reporting.models import ReportingRound, Submission

    today = dt.date.today()
    # 1. the coordinator opens a round for 2026
    login(page, "dieuphoi", DEMO_PASSWORD)
    page.get_by_role("link", name="Báo cáo định kỳ").first.click()
    shot(page, "danh-sach")
    page.get_by_role("link", name="Mở kỳ báo cáo mới").first.click()
    page.get_by_label("Kỳ báo cáo").fill("2026")
    page.get_by_label("Ngày mở kỳ").fill(today.isoformat())
    page.get_by_label("Hạn nộp").fill((today + dt.timedelta(days=14)).isoformat())
    page.wait_for_load_state("networkidle")
    assert page.get_by_label("Sở Nông nghiệp và Môi trường").is_checked()
    shot(page, "mo-ky")
    page.get_by_role("button", name="Mở kỳ báo cáo").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Kỳ báo cáo Năm 2026")
    expect(page.get_by_text("Đã mở kỳ báo cáo Năm 2026")).to_be_visible()
    logout(page)

    # 2. the reporter of Sở NN&MT fills the form and submits
    login(page, "baocao", DEMO_PASSWORD)
    page.get_by_role("link", name="Báo cáo định kỳ").first.click()
    page.get_by_role("link", name="Năm 2026").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Báo cáo Năm 2026")
    page.wait_for_load_state()  # all form rows are parsed before they are counted
    statuses = page.locator("select[name$='-status']")
    for index in range(statuses.count()):
        statuses.nth(index).select_option(label="Đang triển khai")
    percents = page.locator("input[name$='-percent']")
    for index in range(percents.count()):
        percents.nth(index).fill("50")
    narratives = page.locator("textarea[name$='-narrative']")
    for index in range(narratives.count()):
        narratives.nth(index).fill("Đã triển khai một nửa khối lượng công việc.")
    for code, value in VALUES.items():
        box = page.locator("fieldset.item", has_text=code).first
        box.locator("input[name$='-value']").fill(value)
        box.locator("input[name$='-data_source']").fill("Sở Nông nghiệp và Môi trường")
    shot(page, "bieu-mau")
    page.get_by_role("button", name="Nộp báo cáo").click()
    expect(page.get_by_text("Đã nộp báo cáo")).to_be_visible()
    logout(page)

    submission = Submission.objects.get(round__period="2026", agency__key="so-nnmt")
    assert submission.status == "submitted"

    # 3. the coordinator returns it with a comment on one task
    login(page, "dieuphoi", DEMO_PASSWORD)
    page.goto(f"{page.base_url}{ReportingRound.objects.get(period='2026').get_absolute_url()}")
    shot(page, "theo-doi")
    page.locator("#agency-so-nnmt").get_by_role("link", name="Xem xét").click()
    first_task = submission.task_reports.order_by("position").first()
    page.get_by_label(f"Ý kiến cho nhiệm vụ {first_task.task.code}").fill("Đề nghị nêu số cơ sở đã kiểm kê.")
    shot(page, "xem-xet")
    page.get_by_role("button", name="Trả lại để bổ sung").click()
    expect(page.get_by_text("Đã trả lại báo cáo")).to_be_visible()
    logout(page)

    # 4. the reporter sees the comment, fixes the task and resubmits
    login(page, "baocao", DEMO_PASSWORD)
    page.goto(f"{page.base_url}{submission.get_absolute_url()}")
    expect(page.get_by_text("Đề nghị nêu số cơ sở đã kiểm kê.")).to_be_visible()
    page.locator(f"#t-{first_task.pk}-narrative").fill("Đã kiểm kê 29/41 cơ sở thuộc danh mục.")
    shot(page, "bo-sung")
    page.get_by_role("button", name="Nộp báo cáo").click()
    expect(page.get_by_text("Đã nộp báo cáo")).to_be_visible()
    logout(page)

    # 5. the coordinator approves
    login(page, "dieuphoi", DEMO_PASSWORD)
    page.goto(f"{page.base_url}/bao-cao/nop/{submission.pk}/xem-xet/")
    page.get_by_role("button", name="Phê duyệt").click()
    expect(page.get_by_text("Đã phê duyệt báo cáo")).to_be_visible()

    # 6. the values are official observations, shown on the indicator page
    forest = Indicator.objects.get(code="LV-03")
    official = IndicatorValue.objects.get(indicator=forest, period="2026", disaggregation="")
    assert (official.status, official.value) == ("approved", 41.9)
    page.goto(f"{page.base_url}/chi-tieu/{forest.pk}/")
    row = page.locator("tr", has_text="2026")
    assert "41,9" in row.inner_text() and "Đã phê duyệt" in row.inner_text()


def test_reporter_form_is_usable_on_a_phone(phone_page, request):  # type: ignore[no-untyped-def]
    # a small province of its own (tests/reporting/conftest.py), so this test does not depend on the demo loaders
    small = request.getfixturevalue("world")
    open_round = request.getfixturevalue("round_2025")
    login(phone_page, small.reporter_nnmt.username, PASSWORD)
    mine = open_round.submissions.get(agency__key="so-nnmt")
    phone_page.goto(f"{phone_page.base_url}{mine.get_absolute_url()}")
    expect(phone_page.get_by_role("button", name="Lưu nháp")).to_be_visible()
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 380, f"the report form scrolls sideways on a phone: {width}px"
    shot(phone_page, "dien-thoai")
