"""Report generation as a background job from the plan page: permissions, progress, download, failures.

Tests run jobs with django-tasks' immediate backend (tests/conftest.py), so a request runs its job at once."""

from __future__ import annotations

import io

import docx
import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from xanh.accounts.models import User
from xanh.reports import services
from xanh.reports.models import JobStatus, ReportJob

pytestmark = pytest.mark.django_db


def _client(client, username: str):  # type: ignore[no-untyped-def]
    client.force_login(User.objects.get(username=username))
    return client


def test_coordinator_generates_and_downloads_a_docx(demo, client) -> None:  # type: ignore[no-untyped-def]
    plan = demo["plan"]
    c = _client(client, "dieuphoi")
    response = c.post(reverse("reports:request", args=[plan.pk]), {"period": "2024", "format": "docx"})
    job = ReportJob.objects.get(plan=plan)
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    assert job.status == JobStatus.SUCCEEDED and job.progress == 100
    assert job.filename == "bao-cao-tong-hop-luc-van-2024.docx"
    assert job.review_count and "cần rà soát" in job.message
    assert job.requested_by.username == "dieuphoi"
    page = c.get(job.get_absolute_url())
    assert "Tải về bao-cao-tong-hop-luc-van-2024.docx" in page.content.decode()
    download = c.get(job.get_download_url())
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith(
        'attachment; filename="bao-cao-tong-hop-luc-van-2024.docx"'
    )
    document = docx.Document(io.BytesIO(b"".join(download.streaming_content)))
    assert "I. KẾT QUẢ THỰC HIỆN" in [p.text for p in document.paragraphs]


def test_viewer_downloads_but_cannot_generate(demo, client) -> None:  # type: ignore[no-untyped-def]
    plan = demo["plan"]
    coordinator = User.objects.get(username="dieuphoi")
    job = services.request_report(user=coordinator, plan=plan, period="2024", fmt="xlsx")
    assert job.status == JobStatus.SUCCEEDED
    c = _client(client, "xem")
    assert (
        c.post(reverse("reports:request", args=[plan.pk]), {"period": "2024", "format": "docx"}).status_code
        == 403
    )
    with pytest.raises(PermissionDenied):
        services.request_report(user=User.objects.get(username="xem"), plan=plan, period="2024", fmt="docx")
    assert c.get(job.get_download_url()).status_code == 200
    page = c.get(plan.get_absolute_url()).content.decode()
    assert "Báo cáo tổng hợp" in page and "Tạo báo cáo tổng hợp" not in page
    assert job.get_download_url() in page


def test_reporters_and_anonymous_users_get_nothing(demo, client) -> None:  # type: ignore[no-untyped-def]
    plan = demo["plan"]
    job = services.request_report(
        user=User.objects.get(username="dieuphoi"), plan=plan, period="2024", fmt="xlsx"
    )
    anonymous = client.get(job.get_download_url())
    assert anonymous.status_code == 302 and "dang-nhap" in anonymous["Location"]
    assert 'id="report-panel"' not in client.get(plan.get_absolute_url()).content.decode()
    c = _client(client, "baocao")
    assert c.get(job.get_download_url()).status_code == 403
    assert (
        c.post(reverse("reports:request", args=[plan.pk]), {"period": "2024", "format": "pdf"}).status_code
        == 403
    )
    assert 'id="report-panel"' not in c.get(plan.get_absolute_url()).content.decode()


def test_plan_page_shows_the_button_to_coordinators(demo, client) -> None:  # type: ignore[no-untyped-def]
    plan = demo["plan"]
    page = _client(client, "dieuphoi").get(plan.get_absolute_url()).content.decode()
    assert "Tạo báo cáo tổng hợp" in page
    assert 'hx-post="{}"'.format(reverse("reports:request", args=[plan.pk])) in page
    assert "django_htmx/htmx-2.min.js" in page  # htmx is served locally, never from a CDN
    for year in range(plan.period_start, 2026):
        assert f'<option value="{year}"' in page


def test_htmx_request_returns_the_job_row_and_polling_stops_when_done(demo, client) -> None:  # type: ignore[no-untyped-def]
    plan = demo["plan"]
    c = _client(client, "dieuphoi")
    response = c.post(
        reverse("reports:request", args=[plan.pk]),
        {"period": "2024", "format": "xlsx"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    job = ReportJob.objects.get(plan=plan)
    assert f'id="report-job-{job.pk}"' in html
    assert 'hx-swap-oob="delete"' in html  # removes "no report yet"
    assert "hx-trigger" not in html.split('id="report-jobs-empty"')[0]  # finished: no more polling
    assert "Tải về" in html


def test_a_waiting_job_is_polled_and_shows_its_progress(demo, client) -> None:  # type: ignore[no-untyped-def]
    plan = demo["plan"]
    job = ReportJob.objects.create(
        plan=plan,
        period="2025",
        format="pdf",
        status=JobStatus.RUNNING,
        progress=42,
        message="Đang vẽ biểu đồ",
    )
    html = _client(client, "dieuphoi").get(job.get_absolute_url(), HTTP_HX_REQUEST="true").content.decode()
    assert f'hx-get="{job.get_absolute_url()}"' in html and 'hx-trigger="every 1s"' in html
    assert 'value="42"' in html and "Đang vẽ biểu đồ" in html
    assert "Tải về" not in html
    full = _client(client, "xem").get(job.get_absolute_url()).content.decode()
    assert '<meta http-equiv="refresh"' in full  # still moves without JavaScript


def test_progress_is_recorded_and_only_moves_forward(demo, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    seen: list[tuple[int, str]] = []
    original = services._JobProgress.__call__

    def spy(self, percent: int, message: str) -> None:  # type: ignore[no-untyped-def]
        original(self, percent, message)
        seen.append((ReportJob.objects.get(pk=self.job_id).progress, message))

    monkeypatch.setattr(services._JobProgress, "__call__", spy)
    job = services.request_report(
        user=User.objects.get(username="dieuphoi"), plan=demo["plan"], period="2024", fmt="docx"
    )
    assert job.status == JobStatus.SUCCEEDED and job.progress == 100
    recorded = [p for p, _ in seen]
    assert recorded == sorted(recorded)
    assert 0 < recorded[0] < recorded[-1] < 100
    assert any("biểu đồ" in m for _, m in seen) and any("Word" in m for _, m in seen)


def test_a_failing_job_says_so_in_vietnamese(demo, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    def broken(*args: object, **kwargs: object) -> bytes:
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "render_report", broken)
    job = services.request_report(
        user=User.objects.get(username="dieuphoi"), plan=demo["plan"], period="2024", fmt="pdf"
    )
    assert job.status == JobStatus.FAILED
    assert job.message.startswith("Không tạo được báo cáo do lỗi hệ thống")
    assert "disk full" in job.error
    assert not job.file


def test_an_identical_waiting_request_is_not_queued_twice(demo) -> None:  # type: ignore[no-untyped-def]
    plan = demo["plan"]
    waiting = ReportJob.objects.create(plan=plan, period="2024", format="docx", status=JobStatus.QUEUED)
    again = services.request_report(
        user=User.objects.get(username="dieuphoi"), plan=plan, period="2024", fmt="docx"
    )
    assert again.pk == waiting.pk and ReportJob.objects.filter(plan=plan).count() == 1


def test_bad_requests_name_the_field(demo, client) -> None:  # type: ignore[no-untyped-def]
    plan = demo["plan"]
    c = _client(client, "dieuphoi")
    response = c.post(reverse("reports:request", args=[plan.pk]), {"period": "2040", "format": "docx"})
    assert response.status_code == 400
    assert "nằm ngoài giai đoạn của kế hoạch" in response.content.decode()
    response = c.post(
        reverse("reports:request", args=[plan.pk]),
        {"period": "2024", "format": "odt"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200 and 'role="alert"' in response.content.decode()
    assert "Định dạng «odt» không hỗ trợ" in response.content.decode()
    assert not ReportJob.objects.exists()
