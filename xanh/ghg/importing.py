"""Import of activity data from Excel (.xlsx) or CSV: dry run, errors by row and column, all or nothing.

One row per activity. Headers are matched without regard to case or diacritics; Vietnamese or English names work
(see COLUMNS). Rows go to the inventory given, or, with a "Mã cơ sở" column, to the open inventory of that facility
whose period covers the row's year (opened on the fly when a period exists). A row with the same year, source type,
fuel, description and unit as an existing record updates it, so importing the same file twice changes nothing.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from xanh.accounts import permissions as base_permissions
from xanh.core.audit import stamp
from xanh.core.errors import Problem, ValidationFailed
from xanh.core.text import fold
from xanh.ghg import permissions, services
from xanh.ghg.calc import CalculationError, SourceType
from xanh.ghg.models import (
    EDITABLE_STATUSES,
    ActivityRecord,
    FacilityInventory,
    InventoryListing,
    InventoryPeriod,
)

COLUMNS: dict[str, tuple[str, ...]] = {
    "facility_code": ("Mã cơ sở", "ma_co_so", "facility_code", "facility"),
    "year": ("Năm", "Năm số liệu", "year"),
    "source_type": ("Loại nguồn", "Loại nguồn phát thải", "source_type"),
    "description": ("Mô tả nguồn", "Mô tả", "Nguồn thải", "description"),
    "fuel": ("Nhiên liệu", "Loại nhiên liệu", "fuel"),
    "sector": ("Lĩnh vực đốt nhiên liệu", "Lĩnh vực", "sector"),
    "quantity": ("Số lượng", "Lượng tiêu thụ", "quantity"),
    "unit": ("Đơn vị", "Đơn vị tính", "unit"),
    "density_kg_per_l": ("Khối lượng riêng (kg/L)", "Khối lượng riêng", "density_kg_per_l", "density"),
    "gas": ("Khí", "Khí phát thải", "gas"),
    "ef_CO2": ("Hệ số CO2", "ef_co2"),
    "ef_CH4": ("Hệ số CH4", "ef_ch4"),
    "ef_N2O": ("Hệ số N2O", "ef_n2o"),
    "factor_source": ("Nguồn hệ số", "factor_source"),
}
TEMPLATE_HEADERS = [names[0] for names in COLUMNS.values()]
REQUIRED = ("year", "source_type", "quantity", "unit")
_LOOKUP = {fold(name): key for key, names in COLUMNS.items() for name in names}


@dataclass
class ImportSummary:
    dry_run: bool
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    inventories_opened: int = 0
    pending: int = 0
    warnings: list[str] = field(default_factory=list)
    inventories: list[FacilityInventory] = field(default_factory=list)

    @property
    def changed(self) -> int:
        return self.created + self.updated


def read_rows(content: bytes, filename: str) -> list[tuple[int, dict[str, Any]]]:
    """(line number in the file, {header: value}) for each non-empty row; line numbers are what a person sees in
    Excel or a text editor, so error messages point at the right place."""
    if filename.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            sheet = load_workbook(io.BytesIO(content), read_only=True, data_only=True).worksheets[0]
        except Exception as exc:  # openpyxl raises many types for a corrupt file
            raise ValidationFailed(
                [Problem(_("tệp Excel bị hỏng hoặc không đọc được: %(e)s") % {"e": exc}, source=filename)]
            ) from exc
        lines = list(sheet.iter_rows(values_only=True))
        if not lines:
            return []
        header = [str(h).strip() if h is not None else "" for h in lines[0]]
        return [
            (number, dict(zip(header, values, strict=False)))
            for number, values in enumerate(lines[1:], start=2)
            if any(v not in (None, "") for v in values)
        ]
    if not filename.lower().endswith(".csv"):
        raise ValidationFailed([Problem(_("chỉ nhận tệp .xlsx hoặc .csv"), source=filename)])
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ValidationFailed([Problem(_("tệp CSV phải được mã hóa UTF-8"), source=filename)]) from exc
    reader = csv.DictReader(io.StringIO(text))
    rows = []
    for record in reader:
        if any((v or "").strip() for v in record.values() if isinstance(v, str)):
            rows.append((reader.line_num, dict(record)))
    return rows


def _normalise(raw: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    out: dict[str, Any] = {}
    unknown = []
    for header, value in raw.items():
        if header is None:
            continue
        key = _LOOKUP.get(fold(str(header)))
        if key is None:
            if str(header).strip():
                unknown.append(str(header))
            continue
        out[key] = value.strip() if isinstance(value, str) else value
    return out, unknown


def _payload(row: dict[str, Any]) -> dict[str, Any]:
    factors = {
        gas: row.get(f"ef_{gas}") for gas in ("CO2", "CH4", "N2O") if row.get(f"ef_{gas}") not in (None, "")
    }
    return {
        "year": row.get("year"),
        "source_type": row.get("source_type") or "",
        "description": row.get("description") or "",
        "label": row.get("description") or "",
        "fuel": row.get("fuel") or "",
        "sector": row.get("sector") or "",
        "quantity": row.get("quantity"),
        "unit": str(row.get("unit") or ""),
        "density_kg_per_l": row.get("density_kg_per_l"),
        "gas": row.get("gas") or "",
        "factor_overrides": factors,
        "factor_source": row.get("factor_source") or "",
    }


class _Resolver:
    """Finds (or plans to open) the inventory a row belongs to, caching by facility code and year."""

    def __init__(self, user: Any, inventory: FacilityInventory | None, filename: str) -> None:
        self.user = user
        self.fixed = inventory
        self.filename = filename
        self.cache: dict[tuple[str, int], FacilityInventory | Problem] = {}
        self.to_open: dict[tuple[int, int], tuple[InventoryListing, InventoryPeriod]] = {}

    def resolve(
        self, code: str, year: int, line: int
    ) -> FacilityInventory | tuple[InventoryListing, InventoryPeriod] | Problem:
        if self.fixed is not None:
            if code and code != self.fixed.listing.facility.code:
                return Problem(
                    _("mã cơ sở «%(c)s» khác cơ sở của báo cáo (%(f)s)")
                    % {"c": code, "f": self.fixed.listing.facility.code},
                    line,
                    "facility_code",
                    self.filename,
                )
            return self.fixed
        if not code:
            return Problem(_("thiếu mã cơ sở"), line, "facility_code", self.filename)
        cached = self.cache.get((code, year))
        if cached is not None:
            return cached
        listings = [
            listing
            for listing in InventoryListing.objects.filter(facility__code=code).select_related(
                "facility__admin_unit"
            )
            if permissions.manages(self.user, listing) or permissions.is_contact(self.user, listing)
        ]
        if not listings:
            return Problem(
                _("không có cơ sở mã «%(c)s» mà bạn phụ trách") % {"c": code},
                line,
                "facility_code",
                self.filename,
            )
        if len(listings) > 1:
            return Problem(
                _("mã «%(c)s» có ở nhiều tỉnh; hãy nhập từ trang báo cáo của cơ sở") % {"c": code},
                line,
                "facility_code",
                self.filename,
            )
        listing = listings[0]
        inventory = (
            FacilityInventory.objects.filter(
                listing=listing, period__first_data_year__lte=year, period__last_data_year__gte=year
            )
            .select_related("period", "listing__facility")
            .order_by("-period__submission_year")
            .first()
        )
        if inventory is not None:
            self.cache[(code, year)] = inventory
            return inventory
        period = (
            InventoryPeriod.objects.filter(
                obligation_group=listing.obligation_group, first_data_year__lte=year, last_data_year__gte=year
            )
            .order_by("-submission_year")
            .first()
        )
        if period is None:
            return Problem(
                _("chưa có kỳ kiểm kê nào của nhóm %(g)s chứa năm %(y)s")
                % {"g": listing.obligation_group, "y": year},
                line,
                "year",
                self.filename,
            )
        self.to_open[(listing.pk, period.pk)] = (listing, period)
        return (listing, period)


def import_activities(
    *,
    user: Any,
    content: bytes,
    filename: str,
    inventory: FacilityInventory | None = None,
    dry_run: bool = False,
) -> ImportSummary:
    """Validate every row, then (unless ``dry_run``) write all of them in one transaction. Any problem: nothing is
    written and ``ValidationFailed`` lists every problem with its line and column."""
    if inventory is not None:
        base_permissions.require(
            permissions.can_prepare(user, inventory), _("Báo cáo này không mở để nhập số liệu.")
        )
    rows = read_rows(content, filename)
    summary = ImportSummary(dry_run=dry_run, rows=len(rows))
    problems: list[Problem] = []
    if not rows:
        raise ValidationFailed([Problem(_("tệp không có dòng số liệu nào"), source=filename)])
    _first, unknown = _normalise(rows[0][1])
    if unknown:
        summary.warnings.append(_("Bỏ qua các cột không dùng: %(c)s") % {"c": ", ".join(unknown)})
    headers = {_LOOKUP.get(fold(str(h))) for h in rows[0][1] if h is not None}
    missing = [COLUMNS[key][0] for key in REQUIRED if key not in headers]
    if inventory is None and "facility_code" not in headers:
        missing.insert(0, COLUMNS["facility_code"][0])
    if missing:
        raise ValidationFailed(
            [Problem(_("thiếu cột bắt buộc: %(c)s") % {"c": ", ".join(missing)}, source=filename)]
        )
    resolver = _Resolver(user, inventory, filename)
    tables = services.factor_tables()
    planned: list[
        tuple[int, FacilityInventory | tuple[InventoryListing, InventoryPeriod], dict[str, Any]]
    ] = []
    seen: dict[tuple[Any, ...], int] = {}
    for line, raw in rows:
        row, _unknown = _normalise(raw)
        try:
            year = int(float(str(row.get("year") or "").replace(",", ".")))
        except ValueError:
            problems.append(
                Problem(_("năm «%(y)s» không hợp lệ") % {"y": row.get("year")}, line, "year", filename)
            )
            continue
        target = resolver.resolve(str(row.get("facility_code") or "").strip(), year, line)
        if isinstance(target, Problem):
            problems.append(target)
            continue
        check_inventory = target if isinstance(target, FacilityInventory) else _unsaved_inventory(*target)
        if isinstance(target, FacilityInventory) and target.status not in EDITABLE_STATUSES:
            problems.append(
                Problem(
                    _("báo cáo %(i)s đang ở trạng thái «%(s)s», không nhận thêm số liệu")
                    % {"i": target, "s": target.get_status_display()},
                    line,
                    "facility_code",
                    filename,
                )
            )
            continue
        if isinstance(target, FacilityInventory) and not permissions.can_prepare(user, target):
            problems.append(
                Problem(_("bạn không có quyền nhập số liệu cho %(i)s") % {"i": target}, line, None, filename)
            )
            continue
        try:
            fields = services.validate_activity(check_inventory, _payload(row), row=line, tables=tables)
        except CalculationError as exc:
            problems.extend(Problem(p.message, line, _column_label(p.column), filename) for p in exc.problems)
            continue
        target_key = target.pk if isinstance(target, FacilityInventory) else (target[0].pk, target[1].pk)
        key = (target_key, *services.activity_key(fields))
        if key in seen:
            problems.append(
                Problem(
                    _(
                        "trùng với dòng %(n)s (cùng năm, loại nguồn, nhiên liệu, mô tả, đơn vị); ghi mô tả nguồn khác nhau"
                    )
                    % {"n": seen[key]},
                    line,
                    "description",
                    filename,
                )
            )
            continue
        seen[key] = line
        if (
            fields["source_type"] == SourceType.PURCHASED_ELECTRICITY.value
            and fields["year"] not in tables.grid
        ):
            summary.pending += 1
        planned.append((line, target, fields))
    if problems:
        raise ValidationFailed(problems)
    if summary.pending:
        summary.warnings.append(
            _(
                "%(n)s dòng điện mua vào thuộc năm chưa có hệ số lưới điện chính thức: được lưu nhưng chưa tính, "
                "báo cáo chưa gửi được cho đến khi hệ số được công bố"
            )
            % {"n": summary.pending}
        )
    summary.inventories_opened = len(resolver.to_open)
    cache: Existing = {}
    if dry_run:
        _count(summary, planned, cache)
        return summary
    with transaction.atomic():
        opened = {
            key: services.open_inventory(user=user, listing=listing, period=period)
            for key, (listing, period) in resolver.to_open.items()
        }
        touched: dict[int, FacilityInventory] = {}
        for line, target, fields in planned:
            target_inventory = (
                target if isinstance(target, FacilityInventory) else opened[(target[0].pk, target[1].pk)]
            )
            touched[target_inventory.pk] = target_inventory
            _write(summary, user, target_inventory, fields, cache, origin=f"{filename}, dòng {line}")
        services.recalculate(inventories=touched.values())
        summary.inventories = list(touched.values())
    return summary


def _unsaved_inventory(listing: InventoryListing, period: InventoryPeriod) -> FacilityInventory:
    return FacilityInventory(listing=listing, period=period, gwp_set=listing.gwp_set)


def _column_label(column: str | None) -> str | None:
    mapping = {"density_kg_per_l": "density_kg_per_l", "factor_overrides": "ef_CO2"}
    key = mapping.get(column or "", column)
    if key in COLUMNS:
        return COLUMNS[key][0]
    return column


Existing = dict[int, dict[tuple[Any, ...], ActivityRecord]]


def _existing(cache: Existing, inventory: FacilityInventory, fields: dict[str, Any]) -> ActivityRecord | None:
    """The record with the same natural key; one query per inventory per import."""
    if inventory.pk not in cache:
        cache[inventory.pk] = {r.natural_key(): r for r in inventory.activities.all()}
    return cache[inventory.pk].get(services.activity_key(fields))


def _count(summary: ImportSummary, planned: list[tuple[int, Any, dict[str, Any]]], cache: Existing) -> None:
    for _line, target, fields in planned:
        record = _existing(cache, target, fields) if isinstance(target, FacilityInventory) else None
        if record is None:
            summary.created += 1
        elif all(getattr(record, k) == v for k, v in fields.items()):
            summary.unchanged += 1
        else:
            summary.updated += 1


def _write(
    summary: ImportSummary,
    user: Any,
    inventory: FacilityInventory,
    fields: dict[str, Any],
    cache: Existing,
    *,
    origin: str,
) -> None:
    record = _existing(cache, inventory, fields)
    if record is None:
        record = ActivityRecord(inventory=inventory, origin=origin, **fields)
        stamp(record, user=user, reason=f"Nhập từ tệp: {origin}")
        record.save()
        cache[inventory.pk][record.natural_key()] = record
        summary.created += 1
        return
    if all(getattr(record, k) == v for k, v in fields.items()):
        summary.unchanged += 1
        return
    for name, value in fields.items():
        setattr(record, name, value)
    record.origin = origin
    stamp(record, user=user, reason=f"Cập nhật từ tệp: {origin}")
    record.save()
    summary.updated += 1


def template_workbook() -> bytes:
    """An empty import workbook with the Vietnamese headers, an example row and a sheet of accepted values."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from xanh.ghg.calc import UNITS, CombustionSector, default_tables

    book = Workbook()
    sheet = book.active
    sheet.title = "Số liệu hoạt động"
    sheet.append(TEMPLATE_HEADERS)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.append(
        ["MA-CO-SO", 2025, "Đốt nhiên liệu tại nguồn cố định", "Lò hơi số 1", "dầu DO", "", 1000, "L", 0.844]
    )
    for column in sheet.columns:
        sheet.column_dimensions[column[0].column_letter].width = 22
    guide = book.create_sheet("Giá trị hợp lệ")
    guide.append(["Loại nguồn", "Nhiên liệu", "Đơn vị", "Lĩnh vực đốt nhiên liệu"])
    sources = [s.label for s in SourceType]
    fuels = [f.name_vi for f in default_tables().fuels.values()]
    units = [f"{u.code} ({u.label})" for u in UNITS.values()]
    sectors = [f"{s.label} ({s.ipcc_table})" for s in CombustionSector]
    for i in range(max(len(sources), len(fuels), len(units), len(sectors))):
        guide.append(
            [
                sources[i] if i < len(sources) else None,
                fuels[i] if i < len(fuels) else None,
                units[i] if i < len(units) else None,
                sectors[i] if i < len(sectors) else None,
            ]
        )
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
