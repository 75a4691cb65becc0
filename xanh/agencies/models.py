from __future__ import annotations

import datetime as dt

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class AgencyKind(models.TextChoices):
    DEPARTMENT = "department", _("Sở, ban, ngành")
    OTHER = "other", _("Cơ quan, tổ chức khác")
    COLLECTIVE = "collective", _("Nhóm cơ quan (tập hợp)")


class AgencyQuerySet(models.QuerySet["Agency"]):
    def valid_on(self, day: dt.date) -> AgencyQuerySet:
        return self.filter(Q(valid_from__isnull=True) | Q(valid_from__lte=day)).filter(
            Q(valid_to__isnull=True) | Q(valid_to__gte=day)
        )


class Agency(models.Model):
    """A body of an administrative unit that can be given tasks and report (or a named collective of such bodies).

    ``key`` is the catalogue key shared by the same kind of body in every province (``so-khdt``); the pair
    (admin_unit, key) identifies one agency. Renamed or merged departments keep their row with ``valid_to`` and a
    ``successor`` (Sở KH&ĐT → Sở Tài chính from 2025-03-01, ../shared/domain/agencies-provincial.csv).
    Collectives ("Các sở, ban, ngành", "UBND các huyện, thành phố") are agencies of kind ``collective`` so that a task
    assigned to them is still structured data, not free text.
    """

    admin_unit = models.ForeignKey(
        "geo.AdminUnit",
        verbose_name=_("đơn vị hành chính"),
        on_delete=models.PROTECT,
        related_name="agencies",
    )
    key = models.SlugField(_("mã danh mục"), max_length=80)
    name = models.CharField(_("tên"), max_length=255)
    kind = models.CharField(
        _("loại"), max_length=20, choices=AgencyKind.choices, default=AgencyKind.DEPARTMENT
    )
    abbreviations = models.JSONField(_("tên viết tắt"), default=list, blank=True)
    aliases = models.JSONField(_("tên gọi khác"), default=list, blank=True)
    valid_from = models.DateField(_("hiệu lực từ"), null=True, blank=True)
    valid_to = models.DateField(_("hiệu lực đến"), null=True, blank=True)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("cơ quan kế thừa"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="predecessors",
    )
    successor_from = models.DateField(_("kế thừa từ ngày"), null=True, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    confidence = models.CharField(_("độ tin cậy"), max_length=1, blank=True)
    source = models.CharField(_("nguồn"), max_length=500, blank=True)
    history = HistoricalRecords()

    objects = AgencyQuerySet.as_manager()

    class Meta:
        verbose_name = _("cơ quan")
        verbose_name_plural = _("cơ quan")
        ordering = ["admin_unit__name", "kind", "name"]
        constraints = [models.UniqueConstraint(fields=["admin_unit", "key"], name="agency_unit_key_unique")]

    def __str__(self) -> str:
        return self.name

    @property
    def is_collective(self) -> bool:
        return self.kind == AgencyKind.COLLECTIVE

    def current(self, on: dt.date) -> Agency:
        """Follow successor links to the agency that does this agency's work on ``on``."""
        agency: Agency = self
        for _hop in range(10):  # successor chains are short; the bound guards against a cycle in bad data
            if agency.successor_id and agency.successor_from and on >= agency.successor_from:
                agency = agency.successor  # type: ignore[assignment]
            else:
                break
        return agency
