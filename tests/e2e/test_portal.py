"""The public portal in a real browser: one h1 per page, alt text on every image, keyboard access, phone width,
the English switch."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

A11Y_PROBE = """() => {
  const problems = [];
  const h1 = document.querySelectorAll('h1').length;
  if (h1 !== 1) problems.push(`h1 count ${h1}`);
  if (!document.documentElement.lang) problems.push('no lang');
  for (const img of document.querySelectorAll('img')) {
    if (!img.hasAttribute('alt') || (img.getAttribute('alt').trim() === '' && img.getAttribute('role') !== 'presentation'))
      problems.push(`img without alt: ${img.src}`);
  }
  for (const svg of document.querySelectorAll('svg[role="img"]')) {
    const ids = (svg.getAttribute('aria-labelledby') || '').split(/\\s+/).filter(Boolean);
    const name = ids.map(id => (document.getElementById(id) || {}).textContent || '').join(' ').trim()
      || svg.getAttribute('aria-label') || '';
    if (!name) problems.push('svg image without a text alternative');
  }
  let last = 0;
  for (const h of document.querySelectorAll('h1, h2, h3, h4, h5, h6')) {
    const level = Number(h.tagName[1]);
    if (last && level > last + 1) problems.push(`heading jumps from h${last} to h${level}: ${h.textContent.trim().slice(0, 40)}`);
    last = level;
  }
  for (const a of document.querySelectorAll('a')) {
    if (!a.textContent.trim() && !a.getAttribute('aria-label')) problems.push(`empty link ${a.href}`);
  }
  return problems;
}"""


def _pages(demo):  # type: ignore[no-untyped-def]
    plan = demo["plan"]
    return [
        "/cong-khai/",
        f"/cong-khai/ke-hoach/{plan.pk}/",
        f"/cong-khai/tinh/{plan.admin_unit_id}/",
        "/cong-khai/so-sanh/",
        "/cong-khai/du-lieu/",
    ]


def test_portal_pages_accessible_switchable_and_phone_usable(page, phone_page, demo):  # type: ignore[no-untyped-def]
    for path in _pages(demo):
        page.goto(f"{page.base_url}{path}")
        problems = page.evaluate(A11Y_PROBE)
        assert problems == [], (path, problems)
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.textContent.trim()")
        assert focused == "Bỏ qua điều hướng", (path, focused)
    # the plan page draws its charts and lists tasks with their lead agency
    page.goto(f"{page.base_url}/cong-khai/ke-hoach/{demo['plan'].pk}/")
    assert page.locator('svg[role="img"]').count() >= 5
    expect(page.get_by_role("cell", name="Sở Nông nghiệp và Môi trường").first).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name="CSV", exact=True).click()
    assert download.value.suggested_filename == f"xanh-ke-hoach-{demo['plan'].pk}.csv"

    # the English switch, and back (same demonstration data: loading it is the slow part of these tests)
    page.goto(f"{page.base_url}/cong-khai/so-sanh/")
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", level=1)).to_have_text("Provinces compared against national targets")
    assert page.evaluate("document.documentElement.lang") == "en"
    page.get_by_role("button", name="Tiếng Việt").click()
    page.wait_for_load_state()
    expect(page.get_by_role("heading", level=1)).to_have_text("So sánh các tỉnh theo mục tiêu quốc gia")

    # usable on a phone: no sideways scrolling of the page (wide tables scroll inside their own region)
    for path in _pages(demo):
        phone_page.goto(f"{phone_page.base_url}{path}")
        expect(phone_page.get_by_role("heading", level=1)).to_be_visible()
        width = phone_page.evaluate("document.documentElement.scrollWidth")
        assert width <= 380, f"{path} scrolls sideways on a phone: {width}px"
