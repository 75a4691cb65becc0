"""Dashboards in a real browser: plan dashboard → target page (desktop and phone), a coordinator's override shown
as an override, and the agency page."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login
from xanh.core.demo_plan import DEMO_PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

STATUS_WORDS = {
    "Đã đạt",
    "Đúng tiến độ",
    "Cần đẩy nhanh",
    "Chậm tiến độ",
    "Đi ngược xu hướng",
    "Chưa đủ dữ liệu",
}


def dashboard_url(page, plan) -> str:  # type: ignore[no-untyped-def]
    return f"{page.base_url}/danh-gia/ke-hoach/{plan.pk}/?nam=2025"


def test_plan_dashboard_cards_open_the_target_page(page, phone_page, demo):  # type: ignore[no-untyped-def]
    plan = demo["plan"]
    page.goto(f"{page.base_url}/danh-gia/")
    page.get_by_role("link", name=plan.title).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Đánh giá thực hiện")
    page.goto(dashboard_url(page, plan))
    cards = page.locator("li.target-card")
    assert cards.count() == plan.targets.count()
    # every card has a sparkline drawn inline (no script, nothing from a CDN) and a status written in words
    drawn = page.locator("li.target-card svg[role=img]").count()
    milestones = page.locator("li.target-card", has_text="Mốc hoàn thành: đánh giá theo tiến độ").count()
    assert drawn + milestones == cards.count() and drawn >= cards.count() - 1
    expect(page.locator("script[src]")).to_have_count(0)
    labels = {page.locator("li.target-card .status").nth(i).inner_text() for i in range(cards.count())}
    assert labels <= STATUS_WORDS
    expect(page.get_by_role("heading", name="Tổng hợp toàn kế hoạch")).to_be_visible()
    page.locator("li.target-card[data-target='6'] h3 a").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Mục tiêu 6:")
    page.wait_for_load_state()
    expect(page.get_by_role("heading", name="Cách tính")).to_be_visible()
    expect(page.locator("figure.chart-box svg[role=img]")).to_have_count(3)  # total, urban, rural
    expect(page.get_by_role("heading", name="Số liệu đã dùng và nguồn")).to_be_visible()
    expect(page.get_by_role("cell", name="Lục Vân (minh họa)").first).to_be_visible()
    expect(page.get_by_role("heading", name="Nhiệm vụ liên quan và báo cáo mới nhất")).to_be_visible()
    expect(page.get_by_text("III.3.a", exact=True)).to_be_visible()
    # the calculation in plain Vietnamese, numbers with a decimal comma
    text = page.locator("section[aria-labelledby=cach-tinh]").inner_text()
    assert re.search(
        r"Tốc độ tăng bình quân quan sát: \d+,\d%/năm; cần: \d+,\d%/năm; tỷ lệ: \d+,\d\d →", text
    )
    # the same pages on a phone: no sideways scrolling
    for url in (dashboard_url(phone_page, plan), page.url):
        phone_page.goto(url.replace(page.base_url, phone_page.base_url))
        expect(phone_page.get_by_role("heading", level=1)).to_be_visible()
        width = phone_page.evaluate("document.documentElement.scrollWidth")
        assert width <= 380, f"{url} scrolls sideways on a phone: {width}px"


def test_coordinator_override_shows_as_override_and_agency_page(page, demo):  # type: ignore[no-untyped-def]
    plan = demo["plan"]
    target = plan.targets.get(code="7")
    login(page, "dieuphoi", DEMO_PASSWORD)
    page.goto(f"{page.base_url}/danh-gia/ke-hoach/{plan.pk}/muc-tieu/{target.pk}/?nam=2025")
    computed = page.locator("section[aria-labelledby=trang-thai] .status").first.inner_text()
    assert computed in STATUS_WORDS
    page.get_by_label("Trạng thái điều chỉnh").select_option("acceleration_needed")
    reason = "Đã ký hợp đồng mua sắm xanh quý IV, số liệu chưa kịp tổng hợp vào báo cáo năm."
    page.get_by_label("Lý do điều chỉnh").fill(reason)
    page.get_by_role("button", name="Lưu điều chỉnh").click()
    page.wait_for_load_state("networkidle")
    status_box = page.locator("section[aria-labelledby=trang-thai]").inner_text()
    assert "điều chỉnh thủ công" in status_box and reason in status_box
    assert computed in status_box  # the computed status stays visible next to the override
    page.goto(dashboard_url(page, plan))
    card = page.locator("li.target-card[data-target='7']").inner_text()
    assert "điều chỉnh thủ công" in card and "Cần đẩy nhanh" in card and "tính toán:" in card
    # the agency dashboard: tasks, compliance, indicators
    page.locator("section[aria-labelledby=co-quan]").get_by_role(
        "link", name="Sở Nông nghiệp và Môi trường"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sở Nông nghiệp và Môi trường")
    expect(page.get_by_role("heading", name="Chấp hành chế độ báo cáo")).to_be_visible()
    expect(page.get_by_role("heading", name=re.compile("^Nhiệm vụ trong"))).to_be_visible()
    expect(page.get_by_role("heading", name="Chỉ tiêu thống kê cơ quan chịu trách nhiệm")).to_be_visible()
