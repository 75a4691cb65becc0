"""Retention of generated report files: `xanh report prune` keeps the newest files, removes old ones, keeps the
job rows as history, fails jobs a stopped worker left hanging, and a deleted job takes its file with it."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from tests.factories import CoordinatorFactory, PlanFactory
from xanh.reports.models import JobStatus, ReportJob
from xanh.reports.services import prune_report_files

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 24, 2, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.MEDIA_ROOT = tmp_path / "media"


def _job(plan, *, days_ago: float, fmt: str = "docx", period: str = "2024", status=JobStatus.SUCCEEDED):  # type: ignore[no-untyped-def]
    job = ReportJob.objects.create(plan=plan, period=period, format=fmt, status=status)
    finished = NOW - dt.timedelta(days=days_ago)
    if status == JobStatus.SUCCEEDED:
        job.file.save(f"r.{fmt}", ContentFile(b"x" * 1000), save=False)
    ReportJob.objects.filter(pk=job.pk).update(
        file=job.file.name, size=1000 if job.file else None, finished_at=finished, created_at=finished
    )
    job.refresh_from_db()
    return job


def _exists(job: ReportJob) -> bool:
    return bool(job.file) and Path(job.file.path).exists()


def test_keeps_the_newest_per_series_and_removes_old_files(django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    plan = PlanFactory()
    docx = [_job(plan, days_ago=d) for d in (1, 40, 50, 60, 70)]  # newest first
    pdf_old = _job(plan, days_ago=90, fmt="pdf")  # the only PDF of the period: always kept, however old
    recent = _job(plan, days_ago=5, period="2023")
    with django_capture_on_commit_callbacks(execute=True):
        summary = prune_report_files(keep_latest=3, keep_days=30, now=NOW)
    assert (summary.expired, summary.freed_bytes, summary.kept) == (2, 2000, 5)
    for job in (*docx[:3], pdf_old, recent):
        job.refresh_from_db()
        assert job.status == JobStatus.SUCCEEDED and _exists(job)
    for job in docx[3:]:
        path = Path(job.file.path)
        job.refresh_from_db()
        assert job.status == JobStatus.EXPIRED and not job.file and not path.exists()
        assert job.message == "Tệp đã được dọn ngày 24/11/2026 theo chính sách lưu trữ; hãy tạo lại nếu cần."


def test_dry_run_changes_nothing_and_a_second_run_finds_nothing(django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    plan = PlanFactory()
    jobs = [_job(plan, days_ago=d) for d in (1, 40, 50, 60)]
    with django_capture_on_commit_callbacks(execute=True):
        assert prune_report_files(keep_latest=1, keep_days=30, now=NOW, dry_run=True).expired == 3
    assert all(_exists(j) for j in jobs)
    assert set(ReportJob.objects.values_list("status", flat=True)) == {JobStatus.SUCCEEDED}
    with django_capture_on_commit_callbacks(execute=True):
        assert prune_report_files(keep_latest=1, keep_days=30, now=NOW).expired == 3
        assert prune_report_files(keep_latest=1, keep_days=30, now=NOW).expired == 0


def test_hanging_jobs_are_failed_so_people_can_ask_again() -> None:
    plan = PlanFactory()
    stuck = _job(plan, days_ago=1, status=JobStatus.RUNNING)
    fresh = ReportJob.objects.create(plan=plan, period="2024", format="xlsx", status=JobStatus.QUEUED)
    summary = prune_report_files(stale_minutes=120, now=timezone.now())
    assert summary.stale_failed == 1
    stuck.refresh_from_db()
    fresh.refresh_from_db()
    assert stuck.status == JobStatus.FAILED and "hãy yêu cầu tạo lại" in stuck.message
    assert fresh.status == JobStatus.QUEUED


def test_expired_job_page_says_so_and_download_is_gone(client, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    plan = PlanFactory()
    coordinator = CoordinatorFactory(admin_unit=plan.admin_unit)
    _job(plan, days_ago=1)
    old = _job(plan, days_ago=100)
    with django_capture_on_commit_callbacks(execute=True):
        prune_report_files(keep_latest=1, keep_days=30, now=NOW)
    client.force_login(coordinator)
    page = client.get(old.get_absolute_url()).content.decode()
    assert "Tệp đã được dọn" in page and "Tải về" not in page
    assert client.get(reverse("reports:download", args=[old.pk])).status_code == 404


def test_deleting_a_job_deletes_its_file(django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    job = _job(PlanFactory(), days_ago=1)
    path = Path(job.file.path)
    assert path.exists()
    with django_capture_on_commit_callbacks(execute=True):
        job.plan.delete()  # cascades to the job
    assert not path.exists()


def test_cli_reports_in_vietnamese_and_rejects_a_bad_policy(django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    plan = PlanFactory()
    for days in (1, 2, 3, 400):
        _job(plan, days_ago=days)
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("report", "prune", "--keep-latest", "3", "--keep-days", "30", stdout=out)
    assert out.getvalue().strip() == (
        "Đã dọn 1 tệp báo cáo (0 MB); giữ 3 tệp; 0 yêu cầu treo được đánh dấu không tạo được."
    )
    with pytest.raises(CommandError, match="Chính sách lưu trữ không hợp lệ"):
        call_command("report", "prune", "--keep-latest", "0")
