from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Dự thảo")
    PUBLISHED = "published", _("Đã công bố")
    SUPERSEDED = "superseded", _("Đã được thay thế")


class PlanQuerySet(models.QuerySet["Plan"]):
    def published(self) -> PlanQuerySet:
        return self.filter(status=PlanStatus.PUBLISHED)

    def visible_to(self, user: object) -> PlanQuerySet:
        """Anonymous users and viewers see published and superseded plans; staff roles also see drafts."""
        from xanh.accounts.permissions import can_see_drafts

        if can_see_drafts(user):
            return self
        return self.exclude(status=PlanStatus.DRAFT)


class Plan(models.Model):
    """A green-growth action plan of one administrative unit, issued by a Document, for a period."""

    title = models.CharField(_("tên kế hoạch"), max_length=500)
    document = models.ForeignKey(
        "documents.Document",
        verbose_name=_("văn bản ban hành"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="plans",
    )
    admin_unit = models.ForeignKey(
        "geo.AdminUnit", verbose_name=_("đơn vị hành chính"), on_delete=models.PROTECT, related_name="plans"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("kế hoạch cấp trên"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="children",
    )
    period_start = models.PositiveSmallIntegerField(_("từ năm"))
    period_end = models.PositiveSmallIntegerField(_("đến năm"))
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    supersedes = models.OneToOneField(
        "self",
        verbose_name=_("thay thế kế hoạch"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="superseded_by",
    )
    version = models.PositiveSmallIntegerField(_("phiên bản"), default=1)
    coordinator_agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("cơ quan đầu mối"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="coordinated_plans",
    )
    summary = models.TextField(_("mục tiêu tổng quát"), blank=True)
    is_demo = models.BooleanField(_("dữ liệu minh họa"), default=False)
    published_at = models.DateTimeField(_("ngày công bố"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("kế hoạch")
        verbose_name_plural = _("kế hoạch")
        ordering = ["admin_unit__name", "-period_start", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="plan_period_order"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("plans:detail", args=[self.pk])


class Section(models.Model):
    """A numbered part of a plan. ``code`` is the path of labels joined by dots: III, III.8, III.8.1, II.1.đ."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="sections")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children"
    )
    code = models.CharField(_("mã mục"), max_length=40)
    label = models.CharField(_("số thứ tự"), max_length=20, blank=True)
    heading = models.TextField(_("tiêu đề"))
    position = models.PositiveIntegerField(_("thứ tự"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("mục")
        verbose_name_plural = _("mục")
        ordering = ["plan", "position"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="section_plan_code_unique")]

    def __str__(self) -> str:
        return f"{self.code}. {self.heading[:80]}"


class Pillar(models.TextChoices):
    """The strategic objectives of QĐ 1658/QĐ-TTg (../shared/domain/national-strategy.md)."""

    EMISSIONS = "emissions", _("Giảm cường độ phát thải khí nhà kính")
    GREEN_ECONOMY = "green_economy", _("Xanh hóa các ngành kinh tế")
    LIFESTYLE = "lifestyle", _("Xanh hóa lối sống và tiêu dùng bền vững")
    TRANSITION = "transition", _("Xanh hóa quá trình chuyển đổi theo nguyên tắc bình đẳng, bao trùm")
    OTHER = "other", _("Khác")


class TargetKind(models.TextChoices):
    QUANTITATIVE = "quantitative", _("Định lượng")
    MILESTONE = "milestone", _("Mốc hoàn thành")


class Target(models.Model):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="targets")
    section = models.ForeignKey(
        Section, null=True, blank=True, on_delete=models.SET_NULL, related_name="targets"
    )
    code = models.CharField(_("mã"), max_length=40)
    number = models.PositiveSmallIntegerField(_("số thứ tự"), null=True, blank=True)
    text = models.TextField(_("nội dung mục tiêu"))
    pillar = models.CharField(_("trụ cột"), max_length=20, choices=Pillar.choices, default=Pillar.OTHER)
    kind = models.CharField(
        _("loại"), max_length=20, choices=TargetKind.choices, default=TargetKind.QUANTITATIVE
    )
    year = models.PositiveSmallIntegerField(_("năm mục tiêu"), null=True, blank=True)
    indicator = models.ForeignKey(
        "indicators.Indicator",
        verbose_name=_("chỉ tiêu thống kê"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="targets",
    )
    method = models.CharField(_("phương pháp đánh giá"), max_length=20, default="osdg")
    is_complete = models.BooleanField(_("đã hoàn thành (mốc)"), null=True, blank=True)
    position = models.PositiveIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("mục tiêu")
        verbose_name_plural = _("mục tiêu")
        ordering = ["plan", "position"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="target_plan_code_unique")]

    def __str__(self) -> str:
        return f"{self.code}: {self.text[:80]}"

    def get_absolute_url(self) -> str:
        return reverse("plans:target", args=[self.plan_id, self.pk])


class Comparator(models.TextChoices):
    EQ = "=", "="
    GE = ">=", "≥"
    GT = ">", ">"
    LE = "<=", "≤"
    LT = "<", "<"
    RANGE = "range", _("khoảng")
    APPROX = "approx", _("khoảng chừng")


class Direction(models.TextChoices):
    INCREASE = "increase", _("tăng")
    DECREASE = "decrease", _("giảm")
    REACH = "reach", _("đạt")


class ValueKind(models.TextChoices):
    LEVEL = "level", _("mức")
    ANNUAL_RATE = "annual_rate", _("tốc độ bình quân năm")


class TargetComponent(models.Model):
    """One measurable part of a target: "92% (thành thị 100%, nông thôn 90%)" has three components."""

    target = models.ForeignKey(Target, on_delete=models.CASCADE, related_name="components")
    subject = models.CharField(_("đối tượng"), max_length=500, blank=True)
    value = models.FloatField(_("giá trị"), null=True, blank=True)
    low = models.FloatField(_("cận dưới"), null=True, blank=True)
    high = models.FloatField(_("cận trên"), null=True, blank=True)
    unit = models.CharField(_("đơn vị"), max_length=50, blank=True)
    comparator = models.CharField(
        _("so sánh"), max_length=10, choices=Comparator.choices, default=Comparator.EQ
    )
    direction = models.CharField(_("chiều"), max_length=10, choices=Direction.choices, blank=True)
    value_kind = models.CharField(
        _("loại giá trị"), max_length=20, choices=ValueKind.choices, default=ValueKind.LEVEL
    )
    year = models.PositiveSmallIntegerField(_("năm"), null=True, blank=True)
    scope = models.CharField(
        _("phạm vi"), max_length=100, blank=True, help_text=_("Ví dụ: thành thị, nông thôn.")
    )
    baseline_value = models.FloatField(_("giá trị cơ sở"), null=True, blank=True)
    baseline_year = models.PositiveSmallIntegerField(_("năm cơ sở"), null=True, blank=True)
    limit = models.FloatField(_("giới hạn tự nhiên"), null=True, blank=True)
    indicator = models.ForeignKey(
        "indicators.Indicator",
        verbose_name=_("chỉ tiêu thống kê"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="target_components",
    )
    position = models.PositiveIntegerField(default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("thành phần mục tiêu")
        verbose_name_plural = _("thành phần mục tiêu")
        ordering = ["target", "position"]
        constraints = [
            models.CheckConstraint(
                condition=Q(low__isnull=True) | Q(high__isnull=True) | Q(high__gte=models.F("low")),
                name="component_range_order",
            )
        ]

    def __str__(self) -> str:
        return f"{self.subject or self.target.code}: {self.display_value}"

    @property
    def display_value(self) -> str:
        """The target as people write it: "≥ 35%", "1–1,5 %/năm", "khoảng 17.000 ha"."""
        from xanh.core.numbers import format_number_vi

        def fmt(v: float | None) -> str:
            return "?" if v is None else format_number_vi(v, 3, strip_zeros=True)

        unit = f" {self.unit}" if self.unit and self.unit != "%" else (self.unit or "")
        if self.comparator == Comparator.RANGE:
            return f"{fmt(self.low)}–{fmt(self.high)}{unit}"
        prefix = {">=": "≥ ", ">": "> ", "<=": "≤ ", "<": "< ", "approx": "khoảng "}.get(self.comparator, "")
        return f"{prefix}{fmt(self.value)}{unit}"


class Task(models.Model):
    """A task (nhiệm vụ, giải pháp) with its lead and coordinating agencies."""

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="tasks")
    section = models.ForeignKey(
        Section, null=True, blank=True, on_delete=models.SET_NULL, related_name="tasks"
    )
    code = models.CharField(_("mã"), max_length=40)
    text = models.TextField(_("nội dung nhiệm vụ"))
    deadline = models.CharField(_("thời hạn"), max_length=120, blank=True)
    due_date = models.DateField(_("hạn hoàn thành"), null=True, blank=True)
    periodicity = models.CharField(_("định kỳ"), max_length=60, blank=True)
    agencies = models.ManyToManyField(
        "agencies.Agency", through="TaskAssignment", related_name="tasks", verbose_name=_("cơ quan")
    )
    targets = models.ManyToManyField(
        Target, blank=True, related_name="tasks", verbose_name=_("mục tiêu liên quan")
    )
    position = models.PositiveIntegerField(default=0)
    history = HistoricalRecords(m2m_fields=[targets])

    class Meta:
        verbose_name = _("nhiệm vụ")
        verbose_name_plural = _("nhiệm vụ")
        ordering = ["plan", "position"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="task_plan_code_unique")]

    def __str__(self) -> str:
        return f"{self.code}: {self.text[:80]}"

    @property
    def lead_agencies(self) -> list:
        return [a.agency for a in self.assignments.all() if a.role == AssignmentRole.LEAD]

    @property
    def coordinating_agencies(self) -> list:
        return [a.agency for a in self.assignments.all() if a.role == AssignmentRole.COORDINATING]


class AssignmentRole(models.TextChoices):
    LEAD = "lead", _("Chủ trì")
    COORDINATING = "coordinating", _("Phối hợp")


class TaskAssignment(models.Model):
    """An agency's role on a task. ``mention`` keeps the wording of the plan ("Sở TT&TT") for the record."""

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="assignments")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="assignments")
    role = models.CharField(_("vai trò"), max_length=20, choices=AssignmentRole.choices)
    mention = models.CharField(_("tên trong văn bản"), max_length=255, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("phân công")
        verbose_name_plural = _("phân công")
        constraints = [
            models.UniqueConstraint(
                fields=["task", "agency", "role"], name="assignment_task_agency_role_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.task.code} — {self.agency} ({self.get_role_display()})"
