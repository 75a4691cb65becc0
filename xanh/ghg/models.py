"""Facility greenhouse-gas inventories: listing, reporting periods, activity data and computed results.

The facility itself is ``monitoring.Facility`` (one facility notion for the whole installation); ``InventoryListing``
adds what the GHG obligation needs (listing decision, sector column, obligation group, GWP choice, contacts).
Calculation is done by the pure core ``xanh.ghg.calc``; ``EmissionResult`` rows keep its output and trail.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from xanh.ghg.calc import (
    ActivityInput,
    CombustionSector,
    CustomGas,
    GwpSet,
    ObligationGroup,
    SourceType,
    Step,
)
from xanh.ghg.calc.deadlines import DeadlineRule
from xanh.ghg.calc.types import SECTOR_LABELS, SOURCE_TYPE_LABELS


class ListingSector(models.TextChoices):
    """The columns of the facility list of QĐ 13/2024/QĐ-TTg (ghg.md §2): the ministry that manages the sector."""

    INDUSTRY_TRADE = "industry_trade", _("Công Thương")
    TRANSPORT = "transport", _("Giao thông vận tải")
    CONSTRUCTION = "construction", _("Xây dựng")
    WASTE = "waste", _("Chất thải (tài nguyên và môi trường)")


GWP_CHOICES = [(g.value, g.label) for g in GwpSet]
GROUP_CHOICES = [(g.value, g.label) for g in ObligationGroup]
STEP_CHOICES = [(s.value, s.label) for s in Step]
SOURCE_TYPE_CHOICES = [(s.value, SOURCE_TYPE_LABELS[s]) for s in SourceType]
SECTOR_CHOICES = [(s.value, f"{SECTOR_LABELS[s]} ({s.ipcc_table})") for s in CombustionSector]


class InventoryListing(models.Model):
    facility = models.OneToOneField(
        "monitoring.Facility", verbose_name=_("cơ sở"), on_delete=models.PROTECT, related_name="ghg_listing"
    )
    listing_decision = models.CharField(
        _("quyết định danh mục"),
        max_length=80,
        default="QĐ 13/2024/QĐ-TTg",
        help_text=_("Ví dụ QĐ 13/2024/QĐ-TTg."),
    )
    sector = models.CharField(_("lĩnh vực quản lý"), max_length=20, choices=ListingSector.choices)
    obligation_group = models.CharField(
        _("nhóm nghĩa vụ"), max_length=1, choices=GROUP_CHOICES, default=ObligationGroup.A.value
    )
    combustion_sector = models.CharField(
        _("lĩnh vực đốt nhiên liệu mặc định"),
        max_length=20,
        choices=SECTOR_CHOICES,
        default=CombustionSector.MANUFACTURING.value,
        help_text=_("Chọn bảng hệ số CH4/N2O của IPCC 2006 cho nguồn đốt cố định."),
    )
    gwp_set = models.CharField(
        _("bộ hệ số GWP"),
        max_length=3,
        choices=GWP_CHOICES,
        default=GwpSet.AR5.value,
        help_text=_("Cơ sở nêu rõ lựa chọn và giữ nguyên giữa các kỳ."),
    )
    contacts = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người liên hệ của cơ sở"),
        blank=True,
        related_name="ghg_listings",
    )
    is_demo = models.BooleanField(_("dữ liệu minh họa"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("cơ sở phải kiểm kê khí nhà kính")
        verbose_name_plural = _("cơ sở phải kiểm kê khí nhà kính")
        ordering = ["facility__name"]

    def __str__(self) -> str:
        return str(self.facility)


class GridEmissionFactor(models.Model):
    """Official grid emission factor of one year (ghg.md §4); the issuing document is required."""

    year = models.PositiveSmallIntegerField(_("năm số liệu"), unique=True)
    t_co2_per_mwh = models.FloatField(_("hệ số (tCO2/MWh)"))
    issuing_document = models.CharField(_("văn bản công bố"), max_length=255)
    confidence = models.CharField(_("độ tin cậy"), max_length=1, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("hệ số phát thải lưới điện")
        verbose_name_plural = _("hệ số phát thải lưới điện")
        ordering = ["year"]
        constraints = [
            models.CheckConstraint(condition=models.Q(t_co2_per_mwh__gt=0), name="ghg_grid_factor_positive"),
            models.CheckConstraint(condition=~models.Q(issuing_document=""), name="ghg_grid_factor_document"),
        ]

    def __str__(self) -> str:
        return f"{self.year}: {self.t_co2_per_mwh} tCO2/MWh"


class DeadlineRuleRecord(models.Model):
    """A deadline rule with the instrument that sets it (see xanh.ghg.calc.deadlines)."""

    key = models.SlugField(_("mã quy tắc"), max_length=60, unique=True)
    obligation_groups = models.CharField(_("nhóm áp dụng"), max_length=10, help_text=_("Ví dụ A;B;C"))
    step = models.CharField(_("bước"), max_length=20, choices=STEP_CHOICES)
    recipient = models.CharField(_("nơi nhận"), max_length=120)
    month = models.PositiveSmallIntegerField(_("tháng"))
    day = models.PositiveSmallIntegerField(_("ngày"))
    first_submission_year = models.PositiveSmallIntegerField(_("năm nộp đầu tiên"))
    every_years = models.PositiveSmallIntegerField(_("chu kỳ (năm)"))
    first_data_year = models.PositiveSmallIntegerField(_("năm số liệu đầu tiên"))
    data_years = models.PositiveSmallIntegerField(_("số năm số liệu mỗi lần nộp"))
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    instrument = models.CharField(_("văn bản quy định"), max_length=255)
    confidence = models.CharField(_("độ tin cậy"), max_length=1, blank=True)
    source = models.CharField(_("nguồn"), max_length=255, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("quy tắc thời hạn")
        verbose_name_plural = _("quy tắc thời hạn")
        ordering = ["first_submission_year", "key"]

    def __str__(self) -> str:
        return f"{self.key} ({self.instrument})"

    def to_rule(self) -> DeadlineRule:
        return DeadlineRule(
            key=self.key,
            groups=frozenset(
                ObligationGroup(g.strip()) for g in self.obligation_groups.split(";") if g.strip()
            ),
            step=Step(self.step),
            recipient=self.recipient,
            month=self.month,
            day=self.day,
            first_submission_year=self.first_submission_year,
            every_years=self.every_years,
            first_data_year=self.first_data_year,
            data_years=self.data_years,
            valid_from=self.valid_from,
            valid_to=self.valid_to,
            instrument=self.instrument,
            confidence=self.confidence,
            source=self.source,
        )


class InventoryPeriod(models.Model):
    """A reporting cycle of one obligation group: which data years, when it is due and which rule says so."""

    name = models.CharField(_("tên kỳ"), max_length=200)
    obligation_group = models.CharField(_("nhóm nghĩa vụ"), max_length=1, choices=GROUP_CHOICES)
    step = models.CharField(
        _("bước"), max_length=20, choices=STEP_CHOICES, default=Step.INVENTORY_REPORT.value
    )
    submission_year = models.PositiveSmallIntegerField(_("năm nộp"))
    first_data_year = models.PositiveSmallIntegerField(_("từ năm số liệu"))
    last_data_year = models.PositiveSmallIntegerField(_("đến năm số liệu"))
    due_on = models.DateField(_("hạn nộp"), null=True, blank=True)
    deadline_rule = models.ForeignKey(
        DeadlineRuleRecord,
        verbose_name=_("quy tắc thời hạn"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="periods",
    )
    is_demo = models.BooleanField(_("dữ liệu minh họa"), default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("kỳ kiểm kê")
        verbose_name_plural = _("kỳ kiểm kê")
        ordering = ["-submission_year", "obligation_group"]
        constraints = [
            models.UniqueConstraint(
                fields=["obligation_group", "step", "submission_year"], name="ghg_period_group_step_year"
            ),
            models.CheckConstraint(
                condition=models.Q(last_data_year__gte=models.F("first_data_year")), name="ghg_period_years"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def data_years(self) -> list[int]:
        return list(range(self.first_data_year, self.last_data_year + 1))

    @property
    def data_years_label(self) -> str:
        if self.first_data_year == self.last_data_year:
            return str(self.first_data_year)
        return f"{self.first_data_year}–{self.last_data_year}"

    def is_overdue(self, today: dt.date) -> bool:
        return self.due_on is not None and today > self.due_on


class InventoryStatus(models.TextChoices):
    DRAFT = "draft", _("Đang lập")
    SUBMITTED = "submitted", _("Đã gửi thẩm định")
    RETURNED = "returned", _("Bị trả lại để sửa")
    APPRAISED = "appraised", _("Đã thẩm định")


EDITABLE_STATUSES = (InventoryStatus.DRAFT, InventoryStatus.RETURNED)


class FacilityInventory(models.Model):
    listing = models.ForeignKey(
        InventoryListing, verbose_name=_("cơ sở"), on_delete=models.PROTECT, related_name="inventories"
    )
    period = models.ForeignKey(
        InventoryPeriod, verbose_name=_("kỳ kiểm kê"), on_delete=models.PROTECT, related_name="inventories"
    )
    gwp_set = models.CharField(_("bộ hệ số GWP"), max_length=3, choices=GWP_CHOICES)
    status = models.CharField(
        _("trạng thái"), max_length=12, choices=InventoryStatus.choices, default=InventoryStatus.DRAFT
    )
    submitted_at = models.DateTimeField(_("ngày gửi"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    appraised_at = models.DateTimeField(_("ngày thẩm định"), null=True, blank=True)
    appraised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    appraisal_note = models.TextField(_("ý kiến thẩm định"), blank=True)
    verifier = models.CharField(
        _("tổ chức thẩm tra"),
        max_length=255,
        blank=True,
        help_text=_("Bắt buộc với cơ sở được phân bổ hạn ngạch."),
    )
    return_reason = models.TextField(_("lý do trả lại"), blank=True)
    is_demo = models.BooleanField(_("dữ liệu minh họa"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("báo cáo kiểm kê cơ sở")
        verbose_name_plural = _("báo cáo kiểm kê cơ sở")
        ordering = ["-period__submission_year", "listing__facility__name"]
        constraints = [
            models.UniqueConstraint(fields=["listing", "period"], name="ghg_inventory_listing_period")
        ]
        indexes = [models.Index(fields=["status"])]

    def __str__(self) -> str:
        return f"{self.listing} — {self.period}"

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES


class ActivityRecord(models.Model):
    """One line of activity data of an inventory (source type per TT 38/2023 Art. 16)."""

    inventory = models.ForeignKey(
        FacilityInventory,
        verbose_name=_("báo cáo kiểm kê"),
        on_delete=models.CASCADE,
        related_name="activities",
    )
    year = models.PositiveSmallIntegerField(_("năm số liệu"))
    source_type = models.CharField(_("loại nguồn"), max_length=30, choices=SOURCE_TYPE_CHOICES)
    description = models.CharField(
        _("mô tả nguồn"), max_length=255, blank=True, help_text=_("Ví dụ: lò hơi số 1, xe tải của cơ sở.")
    )
    fuel = models.CharField(_("nhiên liệu"), max_length=40, blank=True)
    combustion_sector = models.CharField(
        _("lĩnh vực đốt nhiên liệu"), max_length=20, choices=SECTOR_CHOICES, blank=True
    )
    quantity = models.FloatField(_("số lượng"))
    unit = models.CharField(_("đơn vị"), max_length=40)
    density_kg_per_l = models.FloatField(_("khối lượng riêng (kg/L)"), null=True, blank=True)
    gas = models.CharField(_("khí phát thải"), max_length=30, blank=True)
    factor_overrides = models.JSONField(_("hệ số riêng"), default=dict, blank=True)
    factor_source = models.CharField(_("nguồn hệ số riêng"), max_length=255, blank=True)
    custom_gas = models.JSONField(_("khí khác (tên, GWP, nguồn)"), null=True, blank=True)
    origin = models.CharField(_("nguồn số liệu"), max_length=255, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("số liệu hoạt động")
        verbose_name_plural = _("số liệu hoạt động")
        ordering = ["year", "source_type", "id"]

    def __str__(self) -> str:
        return f"{self.year} {self.get_source_type_display()} {self.fuel} {self.quantity} {self.unit}"

    def natural_key(self) -> tuple[Any, ...]:
        return (self.year, self.source_type, self.fuel, self.description.strip().casefold(), self.unit)

    def to_input(self, *, default_sector: str = "") -> ActivityInput:
        sector = self.combustion_sector or default_sector
        custom = self.custom_gas or None
        return ActivityInput(
            source_type=SourceType(self.source_type),
            year=self.year,
            quantity=self.quantity,
            unit=self.unit,
            fuel=self.fuel or None,
            sector=CombustionSector(sector) if sector else None,
            density_kg_per_l=self.density_kg_per_l,
            factor_overrides=dict(self.factor_overrides or {}),
            factor_source=self.factor_source,
            gas=self.gas or None,
            custom_gas=CustomGas(str(custom["name"]), float(custom["gwp"]), str(custom.get("source", "")))
            if custom
            else None,
            label=self.description,
        )


class EmissionResult(models.Model):
    """The computed emissions of one activity record, with the calculation trail. Derived data: recomputed whenever
    the record, the GWP set or the factor tables change, so it has no history of its own."""

    activity = models.OneToOneField(ActivityRecord, on_delete=models.CASCADE, related_name="result")
    inventory = models.ForeignKey(FacilityInventory, on_delete=models.CASCADE, related_name="results")
    year = models.PositiveSmallIntegerField(_("năm số liệu"))
    scope = models.PositiveSmallIntegerField(_("phạm vi"), null=True, blank=True)
    gwp_set = models.CharField(_("bộ hệ số GWP"), max_length=3, choices=GWP_CHOICES)
    ok = models.BooleanField(_("đã tính được"), default=True)
    problem = models.TextField(_("lý do chưa tính được"), blank=True)
    energy_tj = models.FloatField(_("năng lượng (TJ)"), null=True, blank=True)
    co2_kg = models.FloatField(_("CO2 (kg)"), default=0)
    ch4_kg = models.FloatField(_("CH4 (kg)"), default=0)
    n2o_kg = models.FloatField(_("N2O (kg)"), default=0)
    other_co2e_kg = models.FloatField(_("khí khác (kg CO2e)"), default=0)
    co2e_t = models.FloatField(_("tổng (tCO2e)"), default=0)
    biogenic_co2_t = models.FloatField(_("CO2 sinh khối (t)"), default=0)
    trail = models.JSONField(_("diễn giải cách tính"), default=dict)
    tables_version = models.CharField(_("phiên bản bảng hệ số"), max_length=20, blank=True)
    calculated_at = models.DateTimeField(_("thời điểm tính"), auto_now=True)

    class Meta:
        verbose_name = _("kết quả tính phát thải")
        verbose_name_plural = _("kết quả tính phát thải")
        indexes = [models.Index(fields=["inventory", "year", "scope"])]

    def __str__(self) -> str:
        return f"{self.activity}: {self.co2e_t} tCO2e"
