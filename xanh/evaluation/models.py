"""Stored evaluations: one run per plan and evaluation year, one assessment per target (and per component), and
status overrides by a coordinator. The numbers come from the pure engine in ``methods/``; every calculation
component is kept so that each status can be explained later (PM "Always store the calculation")."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from xanh.evaluation.methods.types import STATUS_LABELS, Status


class AssessmentStatus(models.TextChoices):
    ACHIEVED = Status.ACHIEVED.value, STATUS_LABELS[Status.ACHIEVED]
    ON_TRACK = Status.ON_TRACK.value, STATUS_LABELS[Status.ON_TRACK]
    ACCELERATION_NEEDED = Status.ACCELERATION_NEEDED.value, STATUS_LABELS[Status.ACCELERATION_NEEDED]
    LIMITED_PROGRESS = Status.LIMITED_PROGRESS.value, STATUS_LABELS[Status.LIMITED_PROGRESS]
    DETERIORATION = Status.DETERIORATION.value, STATUS_LABELS[Status.DETERIORATION]
    INSUFFICIENT_DATA = Status.INSUFFICIENT_DATA.value, STATUS_LABELS[Status.INSUFFICIENT_DATA]


class EvaluationRun(models.Model):
    """The evaluation of one plan as of one year (observations up to that year). Re-evaluating replaces it."""

    plan = models.ForeignKey(
        "plans.Plan", verbose_name=_("kế hoạch"), on_delete=models.CASCADE, related_name="evaluation_runs"
    )
    as_of = models.PositiveSmallIntegerField(_("năm đánh giá"))
    computed_at = models.DateTimeField(_("tính lúc"))
    computed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người chạy"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    target_count = models.PositiveIntegerField(_("số mục tiêu"), default=0)
    summary = models.JSONField(_("tổng hợp"), default=dict, blank=True)

    class Meta:
        verbose_name = _("lượt đánh giá")
        verbose_name_plural = _("lượt đánh giá")
        ordering = ["plan", "-as_of"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "as_of"], name="evaluation_run_plan_year_unique")
        ]

    def __str__(self) -> str:
        return f"{self.plan} — đánh giá năm {self.as_of}"

    def get_absolute_url(self) -> str:
        return reverse("evaluation:plan", args=[self.plan_id]) + f"?nam={self.as_of}"


class Assessment(models.Model):
    """The assessment of a target (``component`` empty: the whole target, rolled up from its components) or of one
    of its components, with every calculation component."""

    run = models.ForeignKey(EvaluationRun, on_delete=models.CASCADE, related_name="assessments")
    target = models.ForeignKey(
        "plans.Target", verbose_name=_("mục tiêu"), on_delete=models.CASCADE, related_name="assessments"
    )
    component = models.ForeignKey(
        "plans.TargetComponent",
        verbose_name=_("thành phần"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="assessments",
    )
    as_of = models.PositiveSmallIntegerField(_("năm đánh giá"))
    method = models.CharField(_("phương pháp"), max_length=20)
    method_version = models.CharField(_("phiên bản phương pháp"), max_length=20)
    status = models.CharField(_("trạng thái"), max_length=20, choices=AssessmentStatus.choices)
    score = models.FloatField(_("điểm"), null=True, blank=True)
    components = models.JSONField(_("thành phần tính toán"), default=dict)
    notes = models.JSONField(_("ghi chú"), default=list, blank=True)
    explanation = models.TextField(_("diễn giải"), blank=True)
    observations = models.JSONField(
        _("số liệu đã dùng"), default=list, blank=True, help_text=_("[{year, value, unit_code, source}]")
    )
    computed_at = models.DateTimeField(_("tính lúc"))

    class Meta:
        verbose_name = _("đánh giá mục tiêu")
        verbose_name_plural = _("đánh giá mục tiêu")
        ordering = ["run", "target__position", "component__position"]
        constraints = [
            models.UniqueConstraint(
                fields=["run", "target"],
                condition=Q(component__isnull=True),
                name="assessment_run_target_unique",
            ),
            models.UniqueConstraint(
                fields=["run", "component"],
                condition=Q(component__isnull=False),
                name="assessment_run_component_unique",
            ),
        ]
        indexes = [models.Index(fields=["target", "as_of"])]

    def __str__(self) -> str:
        return f"{self.target.code} ({self.as_of}): {self.get_status_display()}"


class StatusOverrideQuerySet(models.QuerySet["StatusOverride"]):
    def active(self) -> StatusOverrideQuerySet:
        return self.filter(revoked_at__isnull=True)


class StatusOverride(models.Model):
    """A coordinator's manual status for a target, with a written justification. It is always shown as an override
    next to the computed status, never in its place silently. Revoking keeps the row (audited)."""

    target = models.ForeignKey(
        "plans.Target", verbose_name=_("mục tiêu"), on_delete=models.CASCADE, related_name="status_overrides"
    )
    status = models.CharField(_("trạng thái điều chỉnh"), max_length=20, choices=AssessmentStatus.choices)
    justification = models.TextField(_("lý do điều chỉnh"))
    computed_status = models.CharField(
        _("trạng thái tính toán lúc điều chỉnh"), max_length=20, choices=AssessmentStatus.choices, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người điều chỉnh"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("điều chỉnh lúc"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("hủy lúc"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người hủy"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revoke_reason = models.TextField(_("lý do hủy"), blank=True)
    history = HistoricalRecords()

    objects = StatusOverrideQuerySet.as_manager()

    class Meta:
        verbose_name = _("điều chỉnh trạng thái")
        verbose_name_plural = _("điều chỉnh trạng thái")
        ordering = ["target", "-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["target"], condition=Q(revoked_at__isnull=True), name="status_override_one_active"
            )
        ]

    def __str__(self) -> str:
        return f"{self.target.code}: {self.get_status_display()} (điều chỉnh)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
