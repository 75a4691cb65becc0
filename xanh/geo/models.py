from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from xanh.core.text import fold


class UnitLevel(models.TextChoices):
    PROVINCE = "province", _("Cấp tỉnh")
    COMMUNE = "commune", _("Cấp xã")


class UnitType(models.TextChoices):
    PROVINCE = "province", _("Tỉnh")
    CITY = "city", _("Thành phố trực thuộc trung ương")
    COMMUNE = "commune", _("Xã")
    WARD = "ward", _("Phường")
    SPECIAL_ZONE = "special_zone", _("Đặc khu")


class AdminUnitQuerySet(models.QuerySet["AdminUnit"]):
    def valid_on(self, day: dt.date) -> AdminUnitQuerySet:
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day)
        )

    def provinces(self) -> AdminUnitQuerySet:
        return self.filter(level=UnitLevel.PROVINCE)


class AdminUnit(models.Model):
    """An administrative unit as it existed over a period.

    A unit that was merged keeps its row (valid_to set) and points to the unit that carries on its territory, so plans
    and data issued for it stay attached to history instead of being rewritten (see ../shared/domain/admin-units-2025.md §4).
    Communes fit the same table through ``level`` and ``parent``.
    """

    code = models.CharField(
        _("mã"), max_length=10, help_text=_("Mã đơn vị hành chính kiểu Tổng cục Thống kê.")
    )
    name = models.CharField(_("tên"), max_length=120)
    name_folded = models.CharField(max_length=120, editable=False, db_index=True)
    level = models.CharField(_("cấp"), max_length=20, choices=UnitLevel.choices, default=UnitLevel.PROVINCE)
    unit_type = models.CharField(_("loại"), max_length=20, choices=UnitType.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("đơn vị cấp trên"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("đơn vị kế thừa"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="predecessors",
    )
    admin_centre = models.CharField(_("trung tâm hành chính"), max_length=120, blank=True)
    is_demo = models.BooleanField(_("dữ liệu minh họa"), default=False)
    source = models.CharField(_("nguồn"), max_length=255, blank=True)
    history = HistoricalRecords()

    objects = AdminUnitQuerySet.as_manager()

    class Meta:
        verbose_name = _("đơn vị hành chính")
        verbose_name_plural = _("đơn vị hành chính")
        ordering = ["level", "code", "-valid_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["level", "code", "valid_from"], name="geo_unit_code_period_unique"
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True)
                | Q(valid_from__isnull=True)
                | Q(valid_to__gte=models.F("valid_from")),
                name="geo_unit_valid_range",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    def save(self, *args: object, **kwargs: object) -> None:
        self.name_folded = fold(self.name)
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    @property
    def display_name(self) -> str:
        if self.unit_type == UnitType.CITY:
            return f"Thành phố {self.name}"
        if self.unit_type == UnitType.PROVINCE:
            return f"Tỉnh {self.name}"
        return self.name

    def is_valid_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )

    def lineage(self) -> list[AdminUnit]:
        """This unit and every unit merged into it, directly or through a chain."""
        seen: dict[int, AdminUnit] = {self.pk: self}
        frontier = [self]
        while frontier:
            preds = list(AdminUnit.objects.filter(successor__in=frontier).exclude(pk__in=seen))
            for unit in preds:
                seen[unit.pk] = unit
            frontier = preds
        return list(seen.values())
