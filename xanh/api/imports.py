"""Writing indicator values through the API: one point (POST/PATCH) or many (bulk import). Every write goes through
``xanh.indicators.services.record_value``, the service the web forms and the Excel templates use, so permissions,
validation and the audit trail are the same.

Bulk import is DHIS2-style: the summary counts created / updated / unchanged rows and lists conflicts with their row
numbers. It is atomic: with any conflict nothing is written. It is idempotent: the same payload sent twice changes
nothing the second time (every row is "unchanged"). ``dry_run`` does all the work, then rolls it back.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from xanh.accounts import permissions
from xanh.agencies.models import Agency
from xanh.api.valuerows import ParsedRows, ValueRow
from xanh.core.errors import Problem, ValidationFailed
from xanh.geo.models import AdminUnit
from xanh.indicators.models import Indicator, IndicatorValue, ValueSource, ValueStatus
from xanh.indicators.periods import parse_period
from xanh.indicators.services import record_value


@dataclass
class ImportOutcome:
    dry_run: bool
    counts: dict[str, int] = field(
        default_factory=lambda: {"total": 0, "created": 0, "updated": 0, "unchanged": 0, "conflicts": 0}
    )
    conflicts: list[Problem] = field(default_factory=list)
    rows: list[dict[str, Any]] = field(default_factory=list)

    @property
    def imported(self) -> bool:
        return not self.dry_run and not self.conflicts

    @property
    def code(self) -> str:
        if self.conflicts:
            return "import_conflicts"
        return "dry_run" if self.dry_run else "imported"

    @property
    def message(self) -> str:
        counts = {k: self.counts[k] for k in ("created", "updated", "unchanged")} | {
            "conflicts": len(self.conflicts)
        }
        if self.conflicts:
            return (
                _(
                    "Có %(conflicts)d xung đột; không có gì được ghi. Sửa các dòng được nêu rồi gửi lại "
                    "(nếu không có xung đột: %(created)d mới, %(updated)d cập nhật, %(unchanged)d không đổi)."
                )
                % counts
            )
        if self.dry_run:
            return (
                _(
                    "Chạy thử: sẽ có %(created)d mới, %(updated)d cập nhật, %(unchanged)d không đổi; chưa ghi gì."
                )
                % counts
            )
        return _("Đã nhập: %(created)d mới, %(updated)d cập nhật, %(unchanged)d không đổi.") % counts

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "message": self.message,
            "dry_run": self.dry_run,
            "imported": self.imported,
            "counts": {**self.counts, "conflicts": len(self.conflicts)},
            "conflicts": [{"row": p.row, "field": p.column, "message": p.message} for p in self.conflicts],
            "rows": self.rows,
        }


class Resolver:
    """Turns the codes of many rows into objects with a few queries (not a few per row)."""

    def __init__(self, rows: list[ValueRow]) -> None:
        indicator_codes = {r.indicator_code for r in rows if r.indicator_id is None}
        indicator_ids = {r.indicator_id for r in rows if r.indicator_id is not None}
        self.indicators_by_code = {i.code: i for i in Indicator.objects.filter(code__in=indicator_codes)}
        self.indicators_by_id = {i.pk: i for i in Indicator.objects.filter(pk__in=indicator_ids)}
        unit_codes = {r.admin_unit_code for r in rows if r.admin_unit_id is None}
        unit_ids = {r.admin_unit_id for r in rows if r.admin_unit_id is not None}
        self.units_by_id: dict[int, AdminUnit] = {}
        self.units_by_code: dict[str, list[AdminUnit]] = {}
        for unit in AdminUnit.objects.filter(Q(code__in=unit_codes) | Q(pk__in=unit_ids)):
            self.units_by_id[unit.pk] = unit
            self.units_by_code.setdefault(unit.code, []).append(unit)
        keys = {r.agency_key for r in rows if r.agency_key}
        self.agencies: dict[tuple[int, str], Agency] = {
            (a.admin_unit_id, a.key): a
            for a in Agency.objects.filter(
                key__in=keys, admin_unit__in=list(self.units_by_id.values())
            ).select_related("admin_unit")
        }

    def indicator(self, row: ValueRow) -> Indicator | None:
        if row.indicator_id is not None:
            return self.indicators_by_id.get(row.indicator_id)
        return self.indicators_by_code.get(row.indicator_code)

    def unit(self, row: ValueRow) -> tuple[AdminUnit | None, str | None]:
        """The unit of a row. A code can name several units over time (Hà Nội before and after 1/7/2025): the one
        valid on the first day of the row's period is meant."""
        if row.admin_unit_id is not None:
            unit = self.units_by_id.get(row.admin_unit_id)
            return unit, None if unit else _("không có đơn vị hành chính mã số %(i)d") % {
                "i": row.admin_unit_id
            }
        candidates = list(self.units_by_code.get(row.admin_unit_code, []))
        if not candidates:
            return None, _("không có đơn vị hành chính mã «%(c)s»") % {"c": row.admin_unit_code}
        if len(candidates) == 1:
            return candidates[0], None
        try:
            period = parse_period(row.period)
        except ValueError:
            return candidates[0], None  # the service reports the bad period
        first_month = {
            "year": 1,
            "half_year": 1 if period.index == 1 else 7,
            "quarter": period.index * 3 - 2,
            "month": period.index,
        }[period.kind]
        first_day = dt.date(period.year, first_month, 1)
        valid = [u for u in candidates if u.is_valid_on(first_day)]
        if len(valid) == 1:
            return valid[0], None
        return None, _("mã đơn vị «%(c)s» ứng với nhiều đơn vị trong kỳ này; dùng cột admin_unit_id") % {
            "c": row.admin_unit_code
        }

    def agency(self, row: ValueRow, unit: AdminUnit, user: Any) -> tuple[Agency | None, str | None]:
        if row.agency_key:
            agency = self.agencies.get((unit.pk, row.agency_key))
            if agency is None:
                return None, _("đơn vị «%(u)s» không có cơ quan mã «%(k)s»") % {
                    "u": unit.name,
                    "k": row.agency_key,
                }
            return agency, None
        # a reporter reports for their own agency unless the row says otherwise
        if getattr(user, "is_reporter", False) and getattr(user, "agency_id", None):
            return user.agency, None
        return None, None


def _write(*, user: Any, row: ValueRow, resolver: Resolver, outcome: ImportOutcome) -> IndicatorValue | None:
    indicator = resolver.indicator(row)
    if indicator is None:
        column = "indicator_id" if row.indicator_id is not None else "indicator_code"
        outcome.conflicts.append(
            Problem(
                _("không có chỉ tiêu «%(c)s»") % {"c": row.indicator_id or row.indicator_code},
                row.row,
                column,
            )
        )
        return None
    unit, unit_problem = resolver.unit(row)
    if unit is None:
        column = "admin_unit_id" if row.admin_unit_id is not None else "admin_unit_code"
        outcome.conflicts.append(Problem(unit_problem or "", row.row, column))
        return None
    agency, agency_problem = resolver.agency(row, unit, user)
    if agency_problem:
        outcome.conflicts.append(Problem(agency_problem, row.row, "agency_key"))
        return None
    existing = IndicatorValue.objects.filter(
        indicator=indicator, admin_unit=unit, period=row.period, disaggregation=row.disaggregation
    ).first()
    if existing is not None and existing.is_locked and existing.value == row.value:
        # The same number for an approved point: nothing to do, so not a conflict (keeps re-sending idempotent).
        outcome.counts["unchanged"] += 1
        outcome.rows.append({"row": row.row, "action": "unchanged", "id": existing.pk})
        return existing
    try:
        obj, action = record_value(
            user=user,
            indicator=indicator,
            admin_unit=unit,
            period=row.period,
            value=row.value,
            agency=agency,
            unit=row.unit,
            disaggregation=row.disaggregation,
            source=ValueSource.API,
            source_detail=row.source_detail,
            note=row.note,
            status=row.status,
            reason=_("Nhập qua API"),
        )
    except ValidationFailed as exc:
        outcome.conflicts.extend(Problem(p.message, row.row, p.column) for p in exc.problems)
        return None
    except PermissionDenied as exc:
        outcome.conflicts.append(
            Problem(str(exc) or _("Bạn không có quyền thực hiện thao tác này."), row.row, "agency_key")
        )
        return None
    outcome.counts[action] += 1
    outcome.rows.append({"row": row.row, "action": action, "id": obj.pk})
    return obj


def import_values(*, user: Any, parsed: ParsedRows, dry_run: bool) -> ImportOutcome:
    """Import parsed rows as ``user``. All or nothing; see the module docstring."""
    permissions.require(getattr(user, "is_authenticated", False))
    outcome = ImportOutcome(dry_run=dry_run)
    outcome.counts["total"] = parsed.total
    outcome.conflicts.extend(parsed.problems)
    resolver = Resolver(parsed.rows)
    with transaction.atomic():
        for row in parsed.rows:
            _write(user=user, row=row, resolver=resolver, outcome=outcome)
        if outcome.conflicts or dry_run:
            transaction.set_rollback(True)
    if not outcome.imported:
        for entry in outcome.rows:
            if entry["action"] == "created":
                entry["id"] = None  # rolled back
    outcome.conflicts.sort(key=lambda p: (p.row is None, p.row or 0))
    return outcome


def write_one(*, user: Any, row: ValueRow, agency: Agency | None = None) -> tuple[IndicatorValue, str]:
    """Create or update one point (POST /indicator-values). Permission refusals propagate (403).
    ``agency`` given by id wins over ``row.agency_key``."""
    resolver = Resolver([row])
    indicator = resolver.indicator(row)
    problems: list[Problem] = []
    if indicator is None:
        problems.append(
            Problem(
                _("không có chỉ tiêu «%(c)s»") % {"c": row.indicator_id or row.indicator_code},
                None,
                "indicator",
            )
        )
    unit, unit_problem = resolver.unit(row)
    if unit is None:
        problems.append(Problem(unit_problem or "", None, "admin_unit"))
    if unit is not None and agency is None:
        agency, agency_problem = resolver.agency(row, unit, user)
        if agency_problem:
            problems.append(Problem(agency_problem, None, "agency_key"))
    if problems or indicator is None or unit is None:
        raise ValidationFailed(problems)
    return record_value(
        user=user,
        indicator=indicator,
        admin_unit=unit,
        period=row.period,
        value=row.value,
        agency=agency,
        unit=row.unit,
        disaggregation=row.disaggregation,
        source=ValueSource.API,
        source_detail=row.source_detail,
        note=row.note,
        status=row.status,
        reason=_("Nhập qua API"),
    )


def update_one(*, user: Any, value: IndicatorValue, changes: dict[str, Any]) -> tuple[IndicatorValue, str]:
    """PATCH: the point keeps its identity; the rest is merged and written through the same service."""
    return record_value(
        user=user,
        indicator=value.indicator,
        admin_unit=value.admin_unit,
        period=value.period,
        value=changes.get("value", value.value),
        agency=value.agency,
        unit=changes.get("unit", value.unit),
        disaggregation=value.disaggregation,
        source=ValueSource.API,
        source_detail=changes.get("source_detail", value.source_detail),
        note=changes.get("note", value.note),
        status=changes.get(
            "status", value.status if value.status != ValueStatus.REJECTED else ValueStatus.DRAFT
        ),
        reason=_("Sửa qua API"),
    )
