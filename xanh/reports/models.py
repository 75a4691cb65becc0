from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from xanh.reports.content import ReportKind


class ReportFormat(models.TextChoices):
    DOCX = "docx", _("Word (DOCX)")
    XLSX = "xlsx", _("Excel (XLSX) — các phụ lục")
    PDF = "pdf", _("PDF")


class ReportKindChoice(models.TextChoices):
    ANNUAL = ReportKind.ANNUAL.value, _("Báo cáo định kỳ")
    MIDTERM = ReportKind.MIDTERM.value, _("Báo cáo sơ kết giữa kỳ")
    FINAL = ReportKind.FINAL.value, _("Báo cáo tổng kết")


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("Đang chờ xử lý")
    RUNNING = "running", _("Đang tạo")
    SUCCEEDED = "succeeded", _("Đã tạo xong")
    FAILED = "failed", _("Không tạo được")
    EXPIRED = "expired", _("Tệp đã được dọn")


ACTIVE_STATUSES = (JobStatus.QUEUED, JobStatus.RUNNING)


def report_file_path(instance: ReportJob, filename: str) -> str:
    # the stored name is opaque; people get ``filename`` back on download
    return f"reports/{instance.plan_id}/{uuid.uuid4().hex}.{instance.format}"


class ReportJob(models.Model):
    """One request to generate a synthesis report, run as a background job; the page polls its progress."""

    plan = models.ForeignKey(
        "plans.Plan", verbose_name=_("kế hoạch"), on_delete=models.CASCADE, related_name="report_jobs"
    )
    period = models.CharField(_("kỳ báo cáo"), max_length=10)
    kind = models.CharField(
        _("loại báo cáo"), max_length=10, choices=ReportKindChoice.choices, default=ReportKindChoice.ANNUAL
    )
    format = models.CharField(_("định dạng"), max_length=5, choices=ReportFormat.choices)
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED
    )
    progress = models.PositiveSmallIntegerField(_("tiến độ (%)"), default=0)
    message = models.CharField(_("thông báo"), max_length=255, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người yêu cầu"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="report_jobs",
    )
    created_at = models.DateTimeField(_("yêu cầu lúc"), auto_now_add=True)
    started_at = models.DateTimeField(_("bắt đầu lúc"), null=True, blank=True)
    finished_at = models.DateTimeField(_("kết thúc lúc"), null=True, blank=True)
    file = models.FileField(_("tệp"), upload_to=report_file_path, max_length=255, blank=True)
    filename = models.CharField(_("tên tệp"), max_length=255, blank=True)
    size = models.PositiveIntegerField(_("dung lượng (byte)"), null=True, blank=True)
    review_count = models.PositiveIntegerField(_("số nội dung cần rà soát"), null=True, blank=True)
    task_result_id = models.CharField(_("mã công việc nền"), max_length=64, blank=True)
    error = models.TextField(_("chi tiết lỗi"), blank=True)

    class Meta:
        verbose_name = _("yêu cầu tạo báo cáo tổng hợp")
        verbose_name_plural = _("yêu cầu tạo báo cáo tổng hợp")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["plan", "-created_at"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="report_job_progress_range"),
        ]

    def __str__(self) -> str:
        return f"{self.plan} — {self.period} ({self.format})"

    def get_absolute_url(self) -> str:
        return reverse("reports:job", args=[self.pk])

    def get_download_url(self) -> str:
        return reverse("reports:download", args=[self.pk])

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def succeeded(self) -> bool:
        return self.status == JobStatus.SUCCEEDED

    @property
    def failed(self) -> bool:
        return self.status == JobStatus.FAILED

    @property
    def period_label(self) -> str:
        from xanh.indicators.periods import parse_period

        try:
            return parse_period(self.period).label_vi
        except ValueError:
            return self.period
