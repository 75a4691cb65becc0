"""Indicator catalogue and values. All writes to IndicatorValue go through ``record_value`` and ``approve_value``."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xanh.accounts import permissions
from xanh.core.audit import stamp
from xanh.core.errors import Problem, ValidationFailed
from xanh.core.numbers import parse_number_vi
from xanh.indicators.models import Indicator, IndicatorDirection, IndicatorValue, ValueSource, ValueStatus
from xanh.indicators.periods import parse_period

DATA_DIR = Path(__file__).resolve().parent / "data"
CATALOGUE_COLUMNS = ("code", "name_vi")


def _float(raw: Any, row: int, column: str, problems: list[Problem]) -> float | None:
    if raw is None or str(raw).strip() == "":
        return None
    try:
        return parse_number_vi(str(raw))
    except ValueError as exc:
        problems.append(Problem(str(exc), row, column))
        return None


def parse_indicator_rows(rows: list[dict[str, Any]], *, source: str) -> list[dict[str, Any]]:
    """Validate catalogue rows (CSV or XLSX, same columns). Columns: code, name_vi and optionally name_en, unit,
    direction, periodicity, objective, lead_agency, coordinating_agencies, responsible_agency_key, disaggregations,
    min_value, max_value, max_change_factor, confidence, source."""
    problems: list[Problem] = []
    out: list[dict[str, Any]] = []
    codes: set[str] = set()
    for row_no, raw in enumerate(rows, start=2):
        row = {str(k).strip(): ("" if v is None else str(v).strip()) for k, v in raw.items() if k is not None}
        code = row.get("code", "")
        if not code:
            problems.append(Problem(_("thiếu mã chỉ tiêu"), row_no, "code", source))
        elif code in codes:
            problems.append(Problem(_("mã «%(c)s» bị trùng") % {"c": code}, row_no, "code", source))
        codes.add(code)
        if not row.get("name_vi"):
            problems.append(Problem(_("thiếu tên chỉ tiêu"), row_no, "name_vi", source))
        direction = row.get("direction") or IndicatorDirection.NEUTRAL
        if direction not in IndicatorDirection.values:
            problems.append(
                Problem(_("chiều «%(d)s» không hợp lệ") % {"d": direction}, row_no, "direction", source)
            )
        numbers = {
            c: _float(row.get(c), row_no, c, problems)
            for c in ("min_value", "max_value", "max_change_factor")
        }
        out.append(
            {
                "code": code,
                "name": row.get("name_vi", ""),
                "name_en": row.get("name_en", ""),
                "unit": row.get("unit", ""),
                "direction": direction,
                "periodicity": row.get("periodicity") or "year",
                "objective": row.get("objective", ""),
                "responsible_body": row.get("lead_agency", ""),
                "coordinating_bodies": row.get("coordinating_agencies", ""),
                "responsible_agency_key": row.get("responsible_agency_key", ""),
                "disaggregations": [
                    d.strip() for d in row.get("disaggregations", "").split(";") if d.strip()
                ],
                "confidence": row.get("confidence", "")[:1],
                "source": row.get("source", "")[:500],
                **numbers,
            }
        )
    if problems:
        raise ValidationFailed(problems)
    return out


def read_table(content: bytes, filename: str) -> list[dict[str, Any]]:
    """Rows of a CSV (UTF-8, with or without BOM) or the first sheet of an XLSX, keyed by the header row."""
    if filename.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).worksheets[0]
        except Exception as exc:  # openpyxl raises many types for corrupt files
            raise ValidationFailed(
                [Problem(_("Tệp Excel bị hỏng hoặc không đọc được: %(e)s") % {"e": exc})]
            ) from exc
        rows = list(sheet.iter_rows(values_only=True))
        if not rows:
            return []
        header = [str(h).strip() if h is not None else "" for h in rows[0]]
        return [dict(zip(header, r, strict=False)) for r in rows[1:] if any(c not in (None, "") for c in r)]
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationFailed([Problem(_("Tệp CSV phải được mã hóa UTF-8."), source=filename)]) from exc
    return list(csv.DictReader(io.StringIO(text)))


@transaction.atomic
def import_indicator_catalogue(rows: list[dict[str, Any]], *, source: str = "catalogue") -> dict[str, int]:
    """Create or update indicators from validated rows; all or nothing. Idempotent."""
    parsed = parse_indicator_rows(rows, source=source)
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    for data in parsed:
        code = data.pop("code")
        indicator = Indicator.objects.filter(code=code).first()
        if indicator is None:
            Indicator.objects.create(code=code, **data)
            counts["created"] += 1
            continue
        changed = {k: v for k, v in data.items() if getattr(indicator, k) != v and v not in ("", None, [])}
        if changed:
            for k, v in changed.items():
                setattr(indicator, k, v)
            indicator.save()
            counts["updated"] += 1
        else:
            counts["unchanged"] += 1
    return counts


def load_known_indicators() -> dict[str, int]:
    """The indicators of Thông tư 10/2023/TT-BKHĐT whose names are known (../shared/domain/indicators-known.csv)."""
    with (DATA_DIR / "indicators-known.csv").open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    # Catalogue codes are prefixed "TT10-" to keep them apart from indicators a province defines. Rows whose code
    # the circular's available summaries do not give get a stable placeholder code "TT10-K<n>" (row order).
    for index, row in enumerate(rows, start=1):
        row["code"] = f"TT10-{row['code'].strip()}" if row.get("code", "").strip() else f"TT10-K{index:02d}"
        row.setdefault("direction", "")
    return import_indicator_catalogue(rows, source="indicators-known.csv")


@dataclass
class ValueCheck:
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def check_value(
    *,
    indicator: Indicator,
    admin_unit: Any,
    period: str,
    value: float,
    unit: str,
    disaggregation: str,
    note: str,
    row: int | None = None,
) -> ValueCheck:
    """Validate one value against the indicator: unit, plausible range, disaggregation, jump from previous period."""
    check = ValueCheck()
    try:
        parsed = parse_period(period)
    except ValueError as exc:
        check.problems.append(Problem(str(exc), row, "period"))
        parsed = None
    if unit and indicator.unit and unit.strip() != indicator.unit.strip():
        check.problems.append(
            Problem(
                _("đơn vị «%(u)s» không khớp đơn vị của chỉ tiêu «%(e)s»") % {"u": unit, "e": indicator.unit},
                row,
                "unit",
            )
        )
    if indicator.min_value is not None and value < indicator.min_value:
        check.problems.append(
            Problem(
                _("giá trị %(v)s nhỏ hơn mức hợp lý tối thiểu %(m)s")
                % {"v": value, "m": indicator.min_value},
                row,
                "value",
            )
        )
    if indicator.max_value is not None and value > indicator.max_value:
        check.problems.append(
            Problem(
                _("giá trị %(v)s lớn hơn mức hợp lý tối đa %(m)s") % {"v": value, "m": indicator.max_value},
                row,
                "value",
            )
        )
    if disaggregation and indicator.disaggregations:
        allowed = set(indicator.disaggregations)
        if disaggregation not in allowed:
            check.problems.append(
                Problem(
                    _("phân tổ «%(d)s» không được phép; chọn một trong: %(a)s")
                    % {"d": disaggregation, "a": ", ".join(sorted(allowed))},
                    row,
                    "disaggregation",
                )
            )
    if parsed is not None and indicator.max_change_factor:
        previous = (
            IndicatorValue.objects.filter(
                indicator=indicator,
                admin_unit=admin_unit,
                disaggregation=disaggregation,
                year__lt=parsed.year,
            )
            .order_by("-year", "-period")
            .values_list("value", flat=True)
            .first()
        )
        if previous not in (None, 0):
            factor = abs(value / previous)
            if (
                factor > indicator.max_change_factor or factor < 1 / indicator.max_change_factor
            ) and not note.strip():
                check.problems.append(
                    Problem(
                        _("giá trị thay đổi %(f).1f lần so với kỳ trước (%(p)s); cần ghi chú giải trình")
                        % {"f": factor, "p": previous},
                        row,
                        "note",
                    )
                )
    return check


@transaction.atomic
def record_value(
    *,
    user: Any,
    indicator: Indicator,
    admin_unit: Any,
    period: str,
    value: float,
    agency: Any = None,
    unit: str = "",
    disaggregation: str = "",
    source: str = ValueSource.REPORT,
    source_detail: str = "",
    note: str = "",
    status: str = ValueStatus.DRAFT,
    reason: str = "",
) -> tuple[IndicatorValue, str]:
    """Create or update one data point. Returns (value, "created" | "updated" | "unchanged").

    Reporters may write only for their own agency; approved values are locked. Audited through simple-history.
    """
    permissions.require(
        permissions.acts_for_agency(user, agency) if agency is not None else permissions.can_see_drafts(user),
        _("Bạn không có quyền nhập số liệu cho cơ quan này."),
    )
    check = check_value(
        indicator=indicator,
        admin_unit=admin_unit,
        period=period,
        value=value,
        unit=unit,
        disaggregation=disaggregation,
        note=note,
    )
    if check.problems:
        raise ValidationFailed(check.problems)
    parsed = parse_period(period)
    existing = (
        IndicatorValue.objects.select_for_update()
        .filter(indicator=indicator, admin_unit=admin_unit, period=parsed.code, disaggregation=disaggregation)
        .first()
    )
    fields = {
        "value": value,
        "unit": unit or indicator.unit,
        "source": source,
        "source_detail": source_detail,
        "note": note,
        "agency": agency,
        "status": status,
    }
    if existing is None:
        obj = IndicatorValue(
            indicator=indicator,
            admin_unit=admin_unit,
            period=parsed.code,
            year=parsed.year,
            disaggregation=disaggregation,
            reporter=user if getattr(user, "pk", None) else None,
            **fields,
        )
        if status == ValueStatus.APPROVED:
            obj.approved_at = timezone.now()
        stamp(obj, user=user, reason=reason or "Nhập mới")
        obj.save()
        return obj, "created"
    if existing.agency_id and existing.agency_id != getattr(agency, "pk", None):
        permissions.require(permissions.acts_for_agency(user, existing.agency))
    if all(getattr(existing, k) == v for k, v in fields.items()):
        return existing, "unchanged"
    if existing.is_locked:
        raise ValidationFailed(
            [
                Problem(
                    _("Giá trị %(p)s đã được phê duyệt và bị khóa; cần mở lại trước khi sửa.")
                    % {"p": parsed.code},
                    column="value",
                )
            ]
        )
    for k, v in fields.items():
        setattr(existing, k, v)
    if status == ValueStatus.APPROVED and existing.approved_at is None:
        existing.approved_at = timezone.now()
    existing.reporter = user if getattr(user, "pk", None) else existing.reporter
    stamp(existing, user=user, reason=reason or "Cập nhật")
    existing.save()
    return existing, "updated"


@transaction.atomic
def approve_value(*, user: Any, value: IndicatorValue, reason: str = "Phê duyệt") -> IndicatorValue:
    permissions.require(permissions.coordinates_unit(user, value.admin_unit))
    value.status = ValueStatus.APPROVED
    value.approved_at = timezone.now()
    stamp(value, user=user, reason=reason)
    value.save()
    return value


@transaction.atomic
def unlock_value(*, user: Any, value: IndicatorValue, reason: str) -> IndicatorValue:
    """Reopen an approved value. A written reason is required and kept in the audit trail."""
    permissions.require(permissions.coordinates_unit(user, value.admin_unit))
    if not reason.strip():
        raise ValidationFailed([Problem(_("Cần nêu lý do mở lại số liệu đã phê duyệt."), column="reason")])
    value.status = ValueStatus.SUBMITTED
    value.approved_at = None
    stamp(value, user=user, reason=f"Mở lại: {reason.strip()}")
    value.save()
    return value
