from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Periodicity(models.TextChoices):
    YEAR = "year", _("Năm")
    HALF_YEAR = "half_year", _("6 tháng")
    QUARTER = "quarter", _("Quý")
    MONTH = "month", _("Tháng")
    FIVE_YEARS = "five_years", _("5 năm")


class IndicatorDirection(models.TextChoices):
    INCREASE = "increase", _("Càng cao càng tốt")
    DECREASE = "decrease", _("Càng thấp càng tốt")
    NEUTRAL = "neutral", _("Không xác định")


class Indicator(models.Model):
    """A statistical indicator: the green-growth set of Thông tư 10/2023/TT-BKHĐT (../shared/domain/indicators.md)
    plus indicators a province defines for its own plan (``admin_unit`` set)."""

    code = models.CharField(_("mã"), max_length=40, unique=True)
    name = models.CharField(_("tên chỉ tiêu"), max_length=500)
    name_en = models.CharField(_("tên tiếng Anh"), max_length=500, blank=True)
    unit = models.CharField(_("đơn vị tính"), max_length=50, blank=True)
    direction = models.CharField(
        _("chiều mong muốn"),
        max_length=10,
        choices=IndicatorDirection.choices,
        default=IndicatorDirection.NEUTRAL,
    )
    periodicity = models.CharField(
        _("kỳ công bố"), max_length=20, choices=Periodicity.choices, default=Periodicity.YEAR
    )
    disaggregations = models.JSONField(
        _("phân tổ"),
        default=list,
        blank=True,
        help_text=_('Danh sách giá trị phân tổ cho phép, ví dụ ["thành thị", "nông thôn"].'),
    )
    objective = models.CharField(_("nhóm mục tiêu"), max_length=20, blank=True)
    responsible_agency_key = models.CharField(
        _("cơ quan chịu trách nhiệm (mã danh mục)"),
        max_length=80,
        blank=True,
        help_text=_("Mã cơ quan cấp tỉnh trong danh mục, ví dụ so-tnmt."),
    )
    responsible_body = models.CharField(_("cơ quan chủ trì (trung ương)"), max_length=255, blank=True)
    coordinating_bodies = models.CharField(_("cơ quan phối hợp (trung ương)"), max_length=500, blank=True)
    min_value = models.FloatField(_("giá trị nhỏ nhất hợp lý"), null=True, blank=True)
    max_value = models.FloatField(_("giá trị lớn nhất hợp lý"), null=True, blank=True)
    max_change_factor = models.FloatField(
        _("hệ số thay đổi tối đa so với kỳ trước"),
        null=True,
        blank=True,
        help_text=_("Giá trị thay đổi vượt hệ số này so với kỳ trước phải có giải trình."),
    )
    admin_unit = models.ForeignKey(
        "geo.AdminUnit",
        verbose_name=_("đơn vị định nghĩa"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="indicators",
    )
    confidence = models.CharField(_("độ tin cậy"), max_length=1, blank=True)
    source = models.CharField(_("nguồn"), max_length=500, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("chỉ tiêu thống kê")
        verbose_name_plural = _("chỉ tiêu thống kê")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(min_value__isnull=True)
                | Q(max_value__isnull=True)
                | Q(max_value__gte=models.F("min_value")),
                name="indicator_range_order",
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} — {self.name}"


class ValueStatus(models.TextChoices):
    DRAFT = "draft", _("Nháp")
    SUBMITTED = "submitted", _("Đã gửi")
    APPROVED = "approved", _("Đã phê duyệt")
    REJECTED = "rejected", _("Bị trả lại")


class ValueSource(models.TextChoices):
    REPORT = "report", _("Báo cáo của cơ quan")
    IMPORT = "import", _("Nhập từ tệp")
    API = "api", _("API")
    MONITORING = "monitoring", _("Quan trắc tự động")
    GHG = "ghg", _("Kiểm kê khí nhà kính")
    DEMO = "demo", _("Dữ liệu minh họa")


class IndicatorValueQuerySet(models.QuerySet["IndicatorValue"]):
    def official(self) -> IndicatorValueQuerySet:
        """Values that evaluation and open data may use."""
        return self.filter(status=ValueStatus.APPROVED)


class IndicatorValue(models.Model):
    """One observation of an indicator for a unit, a period and a disaggregation (DHIS2-style data value).

    ``period`` is an ISO-like code: "2024", "2024H1", "2024Q3", "2024-05". ``disaggregation`` is "" for the total or a
    canonical "dimension=value" key such as "area=urban". Approved values are locked (services refuse to change them).
    """

    indicator = models.ForeignKey(Indicator, on_delete=models.PROTECT, related_name="values")
    admin_unit = models.ForeignKey("geo.AdminUnit", on_delete=models.PROTECT, related_name="indicator_values")
    period = models.CharField(_("kỳ"), max_length=10)
    year = models.PositiveSmallIntegerField(_("năm"), db_index=True)
    disaggregation = models.CharField(_("phân tổ"), max_length=100, blank=True, default="")
    value = models.FloatField(_("giá trị"))
    unit = models.CharField(_("đơn vị"), max_length=50, blank=True)
    status = models.CharField(
        _("trạng thái"), max_length=20, choices=ValueStatus.choices, default=ValueStatus.DRAFT
    )
    source = models.CharField(
        _("nguồn"), max_length=20, choices=ValueSource.choices, default=ValueSource.REPORT
    )
    source_detail = models.CharField(_("nguồn số liệu"), max_length=500, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)
    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("cơ quan báo cáo"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="indicator_values",
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người báo cáo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_demo = models.BooleanField(_("dữ liệu minh họa"), default=False)
    approved_at = models.DateTimeField(_("ngày phê duyệt"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    objects = IndicatorValueQuerySet.as_manager()

    class Meta:
        verbose_name = _("giá trị chỉ tiêu")
        verbose_name_plural = _("giá trị chỉ tiêu")
        ordering = ["indicator", "admin_unit", "period", "disaggregation"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "admin_unit", "period", "disaggregation"],
                name="indicator_value_point_unique",
            )
        ]
        indexes = [models.Index(fields=["indicator", "admin_unit", "status", "year"])]

    def __str__(self) -> str:
        return f"{self.indicator.code} {self.admin_unit.name} {self.period}: {self.value}"

    @property
    def is_locked(self) -> bool:
        return self.status == ValueStatus.APPROVED
