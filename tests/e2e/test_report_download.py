"""A coordinator clicks the report button on the plan page, watches the job finish and downloads the DOCX; a viewer
then finds it on the same page but cannot generate one. (One test: the demo province is loaded once.)"""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import login
from xanh.core.demo_plan import DEMO_PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_coordinator_generates_and_downloads_the_synthesis_report(page, demo):  # type: ignore[no-untyped-def]
    plan = demo["plan"]
    login(page, "dieuphoi", DEMO_PASSWORD)
    page.goto(f"{page.base_url}{plan.get_absolute_url()}")
    panel = page.locator("#report-panel")
    expect(panel.get_by_role("heading", name="Báo cáo tổng hợp")).to_be_visible()
    panel.get_by_label("Kỳ báo cáo").select_option("2024")
    panel.get_by_label("Định dạng").select_option("docx")
    panel.get_by_role("button", name="Tạo báo cáo tổng hợp").click()
    # the job row arrives through htmx (no page load) and ends with a download link
    link = panel.get_by_role("link", name="Tải về bao-cao-tong-hop-luc-van-2024.docx")
    link.wait_for(timeout=60_000)
    assert page.url.endswith(plan.get_absolute_url())
    job_row = panel.locator(".report-job").first
    assert job_row.get_attribute("data-status") == "succeeded"
    assert "100%" in job_row.inner_text()
    with page.expect_download() as info:
        link.click()
    download = info.value
    assert download.suggested_filename == "bao-cao-tong-hop-luc-van-2024.docx"
    document = docx.Document(io.BytesIO(Path(download.path()).read_bytes()))
    texts = [p.text for p in document.paragraphs]
    assert "I. KẾT QUẢ THỰC HIỆN" in texts and "Phụ lục 2" in texts
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in document.tables[0].rows[0].cells[1].text

    # a viewer sees the generated report and may download it, but has no button to generate one
    page.get_by_role("button", name="Đăng xuất").click()
    page.wait_for_load_state("networkidle")
    login(page, "xem", DEMO_PASSWORD)
    page.goto(f"{page.base_url}{plan.get_absolute_url()}")
    panel = page.locator("#report-panel")
    expect(panel.get_by_role("link", name="Tải về bao-cao-tong-hop-luc-van-2024.docx")).to_be_visible()
    expect(panel.get_by_role("button", name="Tạo báo cáo tổng hợp")).to_have_count(0)
