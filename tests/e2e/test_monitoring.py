"""A visitor opens the public air-quality page of the demo province: map coloured by the current VN_AQI, health
advice, large sources against their limits, then a station's last 48 hours and 30 days."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from xanh.monitoring.aqi.tables import CATEGORIES

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

COLOURS = {c.hex.lower() for c in CATEGORIES}


@pytest.fixture
def stations(transactional_db):  # type: ignore[no-untyped-def]
    """The demo province's stations with two days of generated data up to now (not the whole demo: faster)."""
    from xanh.core.demo import demo_unit
    from xanh.monitoring.demo import load_demo

    unit = demo_unit()
    load_demo(province_unit=unit, days=2)
    return unit


def test_public_air_quality_page(page, stations, tmp_path):  # type: ignore[no-untyped-def]
    page.goto(f"{page.base_url}/quan-trac/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Chất lượng không khí")
    circles = page.locator("svg circle")
    expect(circles).to_have_count(4)
    fills = {circles.nth(k).get_attribute("fill").lower() for k in range(4)}
    assert fills <= COLOURS, fills  # every ambient station has a current index with an official colour
    positions = [float(circles.nth(k).get_attribute("cx")) for k in range(4)]  # SVG numbers, not "123,4"
    assert len(set(positions)) == 4
    assert page.locator("svg rect").count() >= 2  # stack stations of the large sources
    expect(page.get_by_role("heading", name="Khuyến nghị sức khỏe theo mức chỉ số")).to_be_visible()
    expect(page.get_by_role("link", name="Nhà máy Xi măng Thanh Sơn (minh họa)", exact=True)).to_be_visible()
    page.screenshot(path=str(tmp_path / "province.png"), full_page=True)
    page.get_by_role("link", name="KK01 — Trạm Quảng trường Trung tâm").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Trạm KK01")
    strip = page.get_by_label("VN_AQI từng giờ, cũ nhất trước").locator("li")
    expect(strip).to_have_count(48)
    coloured = [strip.nth(k).evaluate("e => getComputedStyle(e).backgroundColor") for k in range(40, 48)]
    assert any(c != "rgb(189, 189, 189)" for c in coloured)  # recent hours have an index
    expect(page.get_by_label("VN_AQI từng ngày, cũ nhất trước").locator("li")).to_have_count(30)
    expect(page.get_by_text("Người nhạy cảm").first).to_be_visible()


def test_public_page_on_a_phone(phone_page, stations):  # type: ignore[no-untyped-def]
    phone_page.goto(f"{phone_page.base_url}/quan-trac/")
    expect(phone_page.locator("svg").first).to_be_visible()
    width = phone_page.evaluate("document.documentElement.scrollWidth")
    assert width <= 380, f"page scrolls sideways on a phone: {width}px"
