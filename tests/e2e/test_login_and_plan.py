"""A person logs in in Vietnamese, opens the demo plan and sees its targets and tasks."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login
from xanh.core.demo_plan import DEMO_PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_coordinator_logs_in_and_opens_plan(page, demo):  # type: ignore[no-untyped-def]
    login(page, "dieuphoi", DEMO_PASSWORD)
    expect(page.get_by_text("Điều phối kế hoạch").first).to_be_visible()
    page.get_by_role("link", name=demo["plan"].title).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(demo["plan"].title)
    expect(page.get_by_text("Tỷ lệ che phủ rừng đạt 42% vào năm 2030.")).to_be_visible()
    # lead agency of a task and the Vietnamese number format of a range target
    expect(page.get_by_role("cell", name="Sở Nông nghiệp và Môi trường").first).to_be_visible()
    expect(page.get_by_text("1–1,5 %/năm")).to_be_visible()


def test_wrong_password_is_refused_in_vietnamese(page, demo):  # type: ignore[no-untyped-def]
    login(page, "dieuphoi", "sai-mat-khau")
    assert page.get_by_role("alert").inner_text().strip() != ""
    assert "dang-nhap" in page.url


def test_plan_page_is_usable_on_a_phone(phone_page, demo):  # type: ignore[no-untyped-def]
    phone_page.goto(f"{phone_page.base_url}{demo['plan'].get_absolute_url()}")
    expect(phone_page.get_by_role("heading", level=1)).to_be_visible()
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 380, f"page scrolls sideways on a phone: {width}px"
