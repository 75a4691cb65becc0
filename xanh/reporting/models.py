"""Reporting rounds: a coordinator asks every participating agency for one report per period; the agency fills it in
(browser form or Excel template), the coordinator reviews it, and approved indicator values become official.

State machine of a submission (``Submission.status``)::

    not_started ─save─► draft ─submit─► submitted ─approve─► approved ─reopen (reason)─► returned
         └──────────────submit──────────────┘   └─return─► returned ─save/submit─┘

The minimum content of a report follows Công văn 3685/VPCP-NN (../shared/domain/national-strategy.md §3): progress of
the assigned tasks (TaskReport), degree of target achievement (IndicatorReport) and difficulties with proposed
solutions (TaskReport.difficulties / proposals).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from xanh.plans.models import AssignmentRole


class RoundStatus(models.TextChoices):
    OPEN = "open", _("Đang mở")
    CLOSED = "closed", _("Đã đóng")


class ReportingRoundQuerySet(models.QuerySet["ReportingRound"]):
    def managed_by(self, user: object) -> ReportingRoundQuerySet:
        """Rounds of the plans ``user`` coordinates (all rounds for administrators)."""
        from xanh.accounts import permissions

        if permissions.is_admin(user):
            return self
        if not permissions.is_coordinator(user):
            return self.none()
        unit_id = getattr(user, "admin_unit_id", None)
        if unit_id is None:
            return self
        # a coordinator manages plans of the unit and of units merged into it (successor chain, at most two hops
        # in the 2025 reform: district → commune is not used for plans, province → province is one hop)
        return self.filter(
            Q(plan__admin_unit_id=unit_id)
            | Q(plan__admin_unit__successor_id=unit_id)
            | Q(plan__admin_unit__successor__successor_id=unit_id)
        )


class ReportingRound(models.Model):
    """A reporting round (kỳ báo cáo) of one plan for one period: "2025", "2025H1" or "2025Q3"."""

    plan = models.ForeignKey(
        "plans.Plan", verbose_name=_("kế hoạch"), on_delete=models.PROTECT, related_name="reporting_rounds"
    )
    period = models.CharField(_("kỳ báo cáo"), max_length=10)
    year = models.PositiveSmallIntegerField(_("năm"), db_index=True)
    opens_on = models.DateField(_("ngày mở"))
    due_on = models.DateField(_("hạn nộp"))
    status = models.CharField(
        _("trạng thái"), max_length=10, choices=RoundStatus.choices, default=RoundStatus.OPEN
    )
    instructions = models.TextField(_("hướng dẫn cho cơ quan báo cáo"), blank=True)
    participants = models.ManyToManyField(
        "agencies.Agency",
        through="Submission",
        related_name="reporting_rounds",
        verbose_name=_("cơ quan tham gia"),
    )
    is_demo = models.BooleanField(_("dữ liệu minh họa"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người mở kỳ"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("ngày tạo"), auto_now_add=True)
    closed_at = models.DateTimeField(_("ngày đóng"), null=True, blank=True)
    history = HistoricalRecords()

    objects = ReportingRoundQuerySet.as_manager()

    class Meta:
        verbose_name = _("kỳ báo cáo")
        verbose_name_plural = _("kỳ báo cáo")
        ordering = ["-opens_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "period"], name="round_plan_period_unique"),
            models.CheckConstraint(
                condition=Q(due_on__gte=models.F("opens_on")), name="round_due_after_open"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period_label} — {self.plan}"

    def get_absolute_url(self) -> str:
        return reverse("reporting:tracker", args=[self.pk])

    @property
    def period_label(self) -> str:
        from xanh.indicators.periods import parse_period

        try:
            return parse_period(self.period).label_vi
        except ValueError:
            return self.period

    @property
    def is_open(self) -> bool:
        return self.status == RoundStatus.OPEN


class SubmissionStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Chưa bắt đầu")
    DRAFT = "draft", _("Đang soạn")
    SUBMITTED = "submitted", _("Đã nộp")
    RETURNED = "returned", _("Bị trả lại")
    APPROVED = "approved", _("Đã phê duyệt")


#: statuses in which the agency may still edit its report
EDITABLE_STATUSES = frozenset(
    {SubmissionStatus.NOT_STARTED, SubmissionStatus.DRAFT, SubmissionStatus.RETURNED}
)


class Submission(models.Model):
    """One agency's report in a round. ``version`` is bumped by every write (optimistic locking)."""

    round = models.ForeignKey(
        ReportingRound, verbose_name=_("kỳ báo cáo"), on_delete=models.CASCADE, related_name="submissions"
    )
    agency = models.ForeignKey(
        "agencies.Agency", verbose_name=_("cơ quan"), on_delete=models.PROTECT, related_name="submissions"
    )
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=SubmissionStatus.choices, default=SubmissionStatus.NOT_STARTED
    )
    summary = models.TextField(_("đánh giá chung"), blank=True)
    submitted_at = models.DateTimeField(_("ngày nộp"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người nộp"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_late = models.BooleanField(_("nộp muộn"), default=False)
    reviewed_at = models.DateTimeField(_("ngày xem xét"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người xem xét"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("ngày phê duyệt"), null=True, blank=True)
    reviewer_comment = models.TextField(_("ý kiến của cơ quan đầu mối"), blank=True)
    version = models.PositiveIntegerField(_("phiên bản"), default=1)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("báo cáo của cơ quan")
        verbose_name_plural = _("báo cáo của cơ quan")
        ordering = ["round", "agency__name"]
        constraints = [
            models.UniqueConstraint(fields=["round", "agency"], name="submission_round_agency_unique")
        ]
        indexes = [models.Index(fields=["round", "status"])]

    def __str__(self) -> str:
        return f"{self.agency} — {self.round.period_label}"

    def get_absolute_url(self) -> str:
        return reverse("reporting:submission", args=[self.pk])

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES


class TaskStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Chưa triển khai")
    IN_PROGRESS = "in_progress", _("Đang triển khai")
    COMPLETED = "completed", _("Hoàn thành")
    BEHIND = "behind_schedule", _("Chậm tiến độ")
    NOT_IMPLEMENTED = "not_implemented", _("Không thực hiện")


class TaskReport(models.Model):
    """What an agency reports on one task it leads or coordinates."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="task_reports")
    task = models.ForeignKey(
        "plans.Task", verbose_name=_("nhiệm vụ"), on_delete=models.PROTECT, related_name="reports"
    )
    role = models.CharField(
        _("vai trò"),
        max_length=20,
        choices=AssignmentRole.choices,
        default=AssignmentRole.LEAD,
    )
    status = models.CharField(_("tình trạng"), max_length=20, choices=TaskStatus.choices, blank=True)
    percent = models.PositiveSmallIntegerField(_("tỷ lệ hoàn thành (%)"), null=True, blank=True)
    completed_on = models.DateField(_("ngày hoàn thành"), null=True, blank=True)
    narrative = models.TextField(_("kết quả thực hiện"), blank=True)
    difficulties = models.TextField(_("khó khăn, vướng mắc"), blank=True)
    proposals = models.TextField(_("đề xuất, kiến nghị"), blank=True)
    position = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("báo cáo nhiệm vụ")
        verbose_name_plural = _("báo cáo nhiệm vụ")
        ordering = ["submission", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "task"], name="task_report_submission_task_unique"),
            models.CheckConstraint(
                condition=Q(percent__isnull=True) | Q(percent__lte=100), name="task_report_percent_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task.code} — {self.submission.agency}"


class IndicatorReport(models.Model):
    """A value an agency reports for an indicator it is responsible for. On approval it becomes an official
    ``IndicatorValue`` (``official_value``)."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="indicator_reports")
    indicator = models.ForeignKey(
        "indicators.Indicator", verbose_name=_("chỉ tiêu"), on_delete=models.PROTECT, related_name="reports"
    )
    period = models.CharField(_("kỳ"), max_length=10)
    disaggregation = models.CharField(_("phân tổ"), max_length=100, blank=True, default="")
    value = models.FloatField(_("giá trị"), null=True, blank=True)
    unit = models.CharField(_("đơn vị tính"), max_length=50, blank=True)
    data_source = models.CharField(_("nguồn số liệu"), max_length=500, blank=True)
    note = models.TextField(_("ghi chú, giải trình"), blank=True)
    official_value = models.ForeignKey(
        "indicators.IndicatorValue",
        verbose_name=_("giá trị chính thức"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    position = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(_("cập nhật lúc"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("báo cáo chỉ tiêu")
        verbose_name_plural = _("báo cáo chỉ tiêu")
        ordering = ["submission", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "indicator", "period", "disaggregation"],
                name="indicator_report_point_unique",
            )
        ]

    def __str__(self) -> str:
        scope = f" ({self.disaggregation})" if self.disaggregation else ""
        return f"{self.indicator.code}{scope} {self.period} — {self.submission.agency}"

    @property
    def is_total(self) -> bool:
        return self.disaggregation == ""


class ReviewComment(models.Model):
    """A reviewer's comment on one item (task or indicator) of a submission, or on the submission as a whole."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="comments")
    task_report = models.ForeignKey(
        TaskReport, null=True, blank=True, on_delete=models.CASCADE, related_name="comments"
    )
    indicator_report = models.ForeignKey(
        IndicatorReport, null=True, blank=True, on_delete=models.CASCADE, related_name="comments"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người nhận xét"), null=True, on_delete=models.SET_NULL
    )
    text = models.TextField(_("nội dung"))
    created_at = models.DateTimeField(_("thời điểm"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("đã xử lý lúc"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("ý kiến xem xét")
        verbose_name_plural = _("ý kiến xem xét")
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(task_report__isnull=True) | Q(indicator_report__isnull=True),
                name="review_comment_one_item",
            )
        ]

    def __str__(self) -> str:
        return self.text[:80]


def evidence_path(instance: Evidence, filename: str) -> str:
    # the stored name is opaque; the original name is kept in ``original_name`` and sent back on download
    return f"reporting/evidence/{instance.task_report.submission.round_id}/{instance.sha256[:32]}{instance.extension}"


class Evidence(models.Model):
    """An evidence file attached to a task report. Served only through a permission-checked view."""

    task_report = models.ForeignKey(TaskReport, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(_("tệp"), upload_to=evidence_path, max_length=255)
    original_name = models.CharField(_("tên tệp"), max_length=255)
    kind = models.CharField(_("loại tệp"), max_length=10)
    content_type = models.CharField(_("kiểu nội dung"), max_length=100)
    size = models.PositiveBigIntegerField(_("dung lượng (byte)"))
    sha256 = models.CharField(max_length=64)
    extension = models.CharField(max_length=10)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người tải lên"), null=True, on_delete=models.SET_NULL
    )
    uploaded_at = models.DateTimeField(_("tải lên lúc"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("tệp minh chứng")
        verbose_name_plural = _("tệp minh chứng")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class UploadStatus(models.TextChoices):
    PREVIEWED = "previewed", _("Đã xem trước")
    APPLIED = "applied", _("Đã áp dụng")
    DISCARDED = "discarded", _("Đã hủy")


class TemplateUpload(models.Model):
    """An uploaded Excel template kept between the dry-run preview and the apply step."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="uploads")
    content = models.BinaryField(_("nội dung tệp"))
    filename = models.CharField(_("tên tệp"), max_length=255)
    sha256 = models.CharField(max_length=64)
    base_version = models.PositiveIntegerField(_("phiên bản báo cáo khi tải lên"))
    status = models.CharField(
        _("trạng thái"), max_length=12, choices=UploadStatus.choices, default=UploadStatus.PREVIEWED
    )
    summary = models.JSONField(_("tóm tắt"), default=dict, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người tải lên"), null=True, on_delete=models.SET_NULL
    )
    uploaded_at = models.DateTimeField(_("tải lên lúc"), auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["content"])

    class Meta:
        verbose_name = _("tệp mẫu Excel đã tải lên")
        verbose_name_plural = _("tệp mẫu Excel đã tải lên")
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return self.filename


class Reminder(models.Model):
    """A reminder a coordinator sent to an agency about its report (kept as a record of the follow-up)."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="reminders")
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người gửi"), null=True, on_delete=models.SET_NULL
    )
    sent_at = models.DateTimeField(_("gửi lúc"), auto_now_add=True)
    message = models.TextField(_("nội dung"), blank=True)
    recipients = models.JSONField(_("người nhận"), default=list, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("nhắc nhở")
        verbose_name_plural = _("nhắc nhở")
        ordering = ["-sent_at", "-id"]

    def __str__(self) -> str:
        return f"{self.submission} — {self.sent_at:%d/%m/%Y}"


class NotificationKind(models.TextChoices):
    ROUND_OPENED = "round_opened", _("Mở kỳ báo cáo")
    REMINDER = "reminder", _("Nhắc nộp báo cáo")
    SUBMITTED = "submitted", _("Cơ quan đã nộp báo cáo")
    RETURNED = "returned", _("Báo cáo bị trả lại")
    APPROVED = "approved", _("Báo cáo được phê duyệt")
    REOPENED = "reopened", _("Báo cáo được mở lại")


class Notification(models.Model):
    """An in-app message to one user; the same text goes out by e-mail through Django's mail backend."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reporting_notifications"
    )
    kind = models.CharField(_("loại"), max_length=20, choices=NotificationKind.choices)
    submission = models.ForeignKey(
        Submission, null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    round = models.ForeignKey(
        ReportingRound, null=True, blank=True, on_delete=models.CASCADE, related_name="notifications"
    )
    title = models.CharField(_("tiêu đề"), max_length=255)
    body = models.TextField(_("nội dung"), blank=True)
    url = models.CharField(_("đường dẫn"), max_length=255, blank=True)
    created_at = models.DateTimeField(_("thời điểm"), auto_now_add=True)
    read_at = models.DateTimeField(_("đã đọc lúc"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("đã gửi thư lúc"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("thông báo")
        verbose_name_plural = _("thông báo")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.title
