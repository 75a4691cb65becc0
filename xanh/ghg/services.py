"""GHG inventory services. Every write goes through here: permission check, validation, one transaction, audit.

Calculation is delegated to the pure core ``xanh.ghg.calc``; results are stored in ``EmissionResult`` with their
trail. ``publish_provincial_totals`` turns appraised inventories into provincial indicator values (source "ghg").
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from xanh.accounts import permissions as base_permissions
from xanh.agencies.models import Agency
from xanh.core.audit import stamp
from xanh.core.errors import Problem, ValidationFailed
from xanh.geo.models import AdminUnit
from xanh.ghg import permissions
from xanh.ghg.calc import (
    ActivityInput,
    CalculationError,
    CombustionSector,
    FactorTables,
    GridFactor,
    GwpSet,
    MissingGridFactor,
    ObligationGroup,
    Scope,
    SourceType,
    Step,
    activity_from_dict,
    calculate,
    deadline_for,
    default_tables,
    next_deadlines,
)
from xanh.ghg.calc.deadlines import Deadline, DeadlineRule
from xanh.ghg.models import (
    ActivityRecord,
    DeadlineRuleRecord,
    EmissionResult,
    FacilityInventory,
    GridEmissionFactor,
    InventoryListing,
    InventoryPeriod,
    InventoryStatus,
    ListingSector,
)
from xanh.indicators.models import Indicator, IndicatorDirection, IndicatorValue, ValueSource, ValueStatus
from xanh.indicators.services import record_value
from xanh.monitoring.models import Facility

# ---------------------------------------------------------------------------------------------------------------
# Reference data


def factor_tables() -> FactorTables:
    """The shipped Tier 1 tables plus the grid factors stored in the database (an administrator adds a year when
    the climate-change department publishes it; each row carries its issuing document)."""
    extra = [
        GridFactor(g.year, g.t_co2_per_mwh, g.issuing_document, g.confidence)
        for g in GridEmissionFactor.objects.all()
    ]
    return default_tables().with_grid_factors(extra)


def deadline_rules() -> list[DeadlineRule]:
    return [r.to_rule() for r in DeadlineRuleRecord.objects.all()]


def upcoming_deadlines(group: str, *, after: dt.date) -> list[Deadline]:
    return next_deadlines(deadline_rules(), ObligationGroup(group), after=after)


@transaction.atomic
def add_grid_factor(
    *, user: Any, year: int, t_co2_per_mwh: float, issuing_document: str, confidence: str = "H"
) -> GridEmissionFactor:
    """Record an official grid factor and recalculate the open inventories that were waiting for it."""
    base_permissions.require(
        base_permissions.is_admin(user), _("Chỉ quản trị hệ thống được thêm hệ số lưới điện.")
    )
    problems = []
    if not issuing_document.strip():
        problems.append(
            Problem(
                _("phải ghi văn bản công bố hệ số (số, ngày, cơ quan ban hành)"), column="issuing_document"
            )
        )
    if not 0 < t_co2_per_mwh < 2:
        problems.append(
            Problem(_("hệ số %(v)s tCO2/MWh không hợp lý") % {"v": t_co2_per_mwh}, column="t_co2_per_mwh")
        )
    if problems:
        raise ValidationFailed(problems)
    factor = GridEmissionFactor.objects.filter(year=year).first() or GridEmissionFactor(year=year)
    factor.t_co2_per_mwh = t_co2_per_mwh
    factor.issuing_document = issuing_document.strip()
    factor.confidence = confidence
    stamp(factor, user=user, reason=f"Hệ số lưới điện năm {year}")
    factor.save()
    waiting = FacilityInventory.objects.filter(
        status__in=[InventoryStatus.DRAFT, InventoryStatus.RETURNED, InventoryStatus.SUBMITTED],
        activities__source_type=SourceType.PURCHASED_ELECTRICITY.value,
        activities__year=year,
    ).distinct()
    recalculate(inventories=waiting)
    return factor


# ---------------------------------------------------------------------------------------------------------------
# Facilities and periods


@transaction.atomic
def register_facility(
    *,
    user: Any,
    admin_unit: AdminUnit,
    code: str,
    name: str,
    sector: str,
    obligation_group: str = ObligationGroup.A.value,
    listing_decision: str = "QĐ 13/2024/QĐ-TTg",
    combustion_sector: str = "manufacturing",
    gwp_set: str = GwpSet.AR5.value,
    address: str = "",
    is_large_source: bool = False,
    is_demo: bool = False,
) -> InventoryListing:
    """Put a facility on the GHG list of its province. The facility row is shared with monitoring (one notion of
    facility); an existing facility with the same code in the unit is reused."""
    base_permissions.require(
        base_permissions.coordinates_unit(user, admin_unit), _("Chỉ điều phối viên của tỉnh được thêm cơ sở.")
    )
    problems = []
    if not code.strip():
        problems.append(Problem(_("thiếu mã cơ sở"), column="code"))
    if not name.strip():
        problems.append(Problem(_("thiếu tên cơ sở"), column="name"))
    if sector not in ListingSector.values:
        problems.append(Problem(_("lĩnh vực «%(s)s» không hợp lệ") % {"s": sector}, column="sector"))
    if obligation_group not in ObligationGroup.__members__:
        problems.append(Problem(_("nhóm nghĩa vụ phải là A, B hoặc C"), column="obligation_group"))
    if gwp_set not in GwpSet.__members__:
        problems.append(Problem(_("bộ GWP phải là AR4 hoặc AR5"), column="gwp_set"))
    if problems:
        raise ValidationFailed(problems)
    facility = Facility.objects.filter(admin_unit=admin_unit, code=code.strip()).first()
    if facility is None:
        facility = Facility(
            admin_unit=admin_unit,
            code=code.strip(),
            name=name.strip(),
            address=address,
            is_large_source=is_large_source,
            is_demo=is_demo,
        )
        stamp(facility, user=user, reason="Thêm cơ sở phải kiểm kê khí nhà kính")
        facility.save()
    listing = InventoryListing.objects.filter(facility=facility).first()
    if listing is None:
        listing = InventoryListing(facility=facility, is_demo=is_demo)
    listing.sector = sector
    listing.obligation_group = obligation_group
    listing.listing_decision = listing_decision
    listing.combustion_sector = combustion_sector
    listing.gwp_set = gwp_set
    stamp(listing, user=user, reason="Cập nhật danh mục cơ sở phải kiểm kê")
    listing.save()
    return listing


@transaction.atomic
def set_contacts(*, user: Any, listing: InventoryListing, contacts: Iterable[Any]) -> None:
    base_permissions.require(permissions.manages(user, listing))
    listing.contacts.set(list(contacts))
    stamp(listing, user=user, reason="Cập nhật người liên hệ của cơ sở")
    listing.save()


@transaction.atomic
def create_period(
    *,
    user: Any,
    obligation_group: str,
    submission_year: int,
    step: str = Step.INVENTORY_REPORT.value,
    first_data_year: int | None = None,
    last_data_year: int | None = None,
    name: str = "",
    is_demo: bool = False,
) -> InventoryPeriod:
    """Open a reporting cycle. Data years and due date come from the deadline rule in force; without a rule (a
    voluntary or trial cycle) the data years must be given and there is no legal due date."""
    base_permissions.require(
        base_permissions.can_see_drafts(user), _("Chỉ điều phối viên được mở kỳ kiểm kê.")
    )
    group = ObligationGroup(obligation_group)
    deadline = deadline_for(deadline_rules(), group, Step(step), submission_year)
    if deadline is not None:
        first, last = deadline.first_data_year, deadline.last_data_year
        rule = DeadlineRuleRecord.objects.get(key=deadline.rule.key)
        due_on: dt.date | None = deadline.due_on
    else:
        if first_data_year is None or last_data_year is None:
            raise ValidationFailed(
                [
                    Problem(
                        _("không có quy định thời hạn cho nhóm %(g)s năm %(y)s; hãy nhập năm số liệu của kỳ")
                        % {"g": group.value, "y": submission_year},
                        column="first_data_year",
                    )
                ]
            )
        first, last, rule, due_on = first_data_year, last_data_year, None, None
    if not first <= last < submission_year:
        raise ValidationFailed(
            [Problem(_("năm số liệu phải trước năm nộp và theo thứ tự tăng dần"), column="last_data_year")]
        )
    existing = InventoryPeriod.objects.filter(
        obligation_group=group.value, step=step, submission_year=submission_year
    ).first()
    if existing is not None:
        return existing
    years = str(first) if first == last else f"{first}–{last}"
    period = InventoryPeriod(
        name=name or f"Kiểm kê nhóm {group.value} nộp năm {submission_year} (số liệu {years})",
        obligation_group=group.value,
        step=step,
        submission_year=submission_year,
        first_data_year=first,
        last_data_year=last,
        due_on=due_on,
        deadline_rule=rule,
        is_demo=is_demo,
    )
    stamp(period, user=user, reason="Mở kỳ kiểm kê")
    period.save()
    return period


@transaction.atomic
def open_inventory(*, user: Any, listing: InventoryListing, period: InventoryPeriod) -> FacilityInventory:
    base_permissions.require(
        permissions.manages(user, listing) or permissions.is_contact(user, listing),
        _("Bạn không phụ trách cơ sở này."),
    )
    if period.obligation_group != listing.obligation_group:
        raise ValidationFailed(
            [
                Problem(
                    _("kỳ này dành cho nhóm %(p)s, cơ sở thuộc nhóm %(l)s")
                    % {"p": period.obligation_group, "l": listing.obligation_group},
                    column="period",
                )
            ]
        )
    inventory = FacilityInventory.objects.filter(listing=listing, period=period).first()
    if inventory is not None:
        return inventory
    inventory = FacilityInventory(
        listing=listing, period=period, gwp_set=listing.gwp_set, is_demo=listing.is_demo and period.is_demo
    )
    stamp(inventory, user=user, reason="Lập báo cáo kiểm kê")
    inventory.save()
    return inventory


@transaction.atomic
def change_gwp_set(
    *, user: Any, inventory: FacilityInventory, gwp_set: str, reason: str
) -> FacilityInventory:
    """TT 38/2023 reportedly asks the facility to keep its GWP choice across periods (ghg.md §3.1): a change needs a
    written reason, kept in the audit trail, and recalculates every result."""
    base_permissions.require(permissions.can_prepare(user, inventory))
    if gwp_set not in GwpSet.__members__:
        raise ValidationFailed([Problem(_("bộ GWP phải là AR4 hoặc AR5"), column="gwp_set")])
    if not reason.strip():
        raise ValidationFailed([Problem(_("cần nêu lý do đổi bộ hệ số GWP"), column="reason")])
    inventory.gwp_set = gwp_set
    stamp(inventory, user=user, reason=f"Đổi bộ GWP sang {gwp_set}: {reason.strip()}")
    inventory.save()
    recalculate(inventories=[inventory])
    return inventory


# ---------------------------------------------------------------------------------------------------------------
# Activity data


ACTIVITY_FIELDS = (
    "year",
    "source_type",
    "description",
    "fuel",
    "combustion_sector",
    "quantity",
    "unit",
    "density_kg_per_l",
    "gas",
    "factor_overrides",
    "factor_source",
    "custom_gas",
)


def validate_activity(
    inventory: FacilityInventory,
    data: Mapping[str, Any],
    *,
    row: int | None = None,
    tables: FactorTables | None = None,
) -> dict[str, Any]:
    """Check one activity against the calculation core and the inventory; return model field values.

    Structural problems raise ``CalculationError`` (Vietnamese, with row and column). An electricity record of a
    year without an official grid factor is valid: it is kept and calculated once the factor is published.
    """
    payload = dict(data)
    if payload.get("sector") in (None, "") and payload.get("combustion_sector"):
        payload["sector"] = payload["combustion_sector"]
    activity = activity_from_dict(payload, row=row)
    explicit_sector = activity.sector  # kept only when given, so the listing's default applies otherwise
    problems: list[Problem] = []
    period = inventory.period
    if not period.first_data_year <= activity.year <= period.last_data_year:
        problems.append(
            Problem(
                _("năm %(y)s không thuộc kỳ kiểm kê (số liệu %(p)s)")
                % {"y": activity.year, "p": period.data_years_label},
                row=row,
                column="year",
            )
        )
    tables = tables or factor_tables()
    if activity.sector is None and activity.source_type is SourceType.STATIONARY_COMBUSTION:
        activity = ActivityInput(**{**activity.__dict__, "sector": _listing_sector(inventory)})
    try:
        calculate(activity, gwp_set=GwpSet(inventory.gwp_set), tables=tables)
    except MissingGridFactor:
        pass
    except CalculationError as exc:
        problems.extend(Problem(p.message, row=row, column=p.column) for p in exc.problems)
    if problems:
        raise CalculationError(problems)
    fuel = tables.find_fuel(activity.fuel) if activity.fuel else None
    return {
        "year": activity.year,
        "source_type": activity.source_type.value,
        "description": activity.label,
        "fuel": fuel.key if fuel else (activity.fuel or ""),
        "combustion_sector": explicit_sector.value if explicit_sector else "",
        "quantity": activity.quantity,
        "unit": activity.unit,
        "density_kg_per_l": activity.density_kg_per_l,
        "gas": activity.gas or "",
        "factor_overrides": dict(activity.factor_overrides),
        "factor_source": activity.factor_source,
        "custom_gas": (
            {
                "name": activity.custom_gas.name,
                "gwp": activity.custom_gas.gwp,
                "source": activity.custom_gas.source,
            }
            if activity.custom_gas
            else None
        ),
    }


def _listing_sector(inventory: FacilityInventory) -> CombustionSector:
    return CombustionSector(inventory.listing.combustion_sector)


def activity_key(fields: Mapping[str, Any]) -> tuple[Any, ...]:
    return (
        fields["year"],
        fields["source_type"],
        fields["fuel"],
        str(fields["description"]).strip().casefold(),
        fields["unit"],
    )


def _refuse_duplicate(
    inventory: FacilityInventory, fields: Mapping[str, Any], exclude: int | None = None
) -> None:
    key = activity_key(fields)
    if any(other.natural_key() == key for other in inventory.activities.exclude(pk=exclude)):
        raise ValidationFailed(
            [
                Problem(
                    _(
                        "đã có dòng số liệu giống hệt (năm, loại nguồn, nhiên liệu, mô tả, đơn vị); hãy sửa dòng đó "
                        "hoặc ghi mô tả nguồn khác (ví dụ lò hơi số 2)"
                    ),
                    column="description",
                )
            ]
        )


@transaction.atomic
def add_activity(
    *, user: Any, inventory: FacilityInventory, data: Mapping[str, Any], origin: str = ""
) -> ActivityRecord:
    base_permissions.require(
        permissions.can_prepare(user, inventory), _("Báo cáo này không mở để nhập số liệu.")
    )
    fields = validate_activity(inventory, data)
    _refuse_duplicate(inventory, fields)
    record = ActivityRecord(inventory=inventory, origin=origin or "nhập trên trang", **fields)
    stamp(record, user=user, reason="Thêm số liệu hoạt động")
    record.save()
    recalculate(inventories=[inventory])
    return record


@transaction.atomic
def update_activity(*, user: Any, record: ActivityRecord, data: Mapping[str, Any]) -> ActivityRecord:
    inventory = record.inventory
    base_permissions.require(
        permissions.can_prepare(user, inventory), _("Báo cáo này không mở để sửa số liệu.")
    )
    fields = validate_activity(inventory, data)
    _refuse_duplicate(inventory, fields, exclude=record.pk)
    for name, value in fields.items():
        setattr(record, name, value)
    stamp(record, user=user, reason="Sửa số liệu hoạt động")
    record.save()
    recalculate(inventories=[inventory])
    return record


@transaction.atomic
def delete_activity(*, user: Any, record: ActivityRecord, reason: str = "") -> None:
    inventory = record.inventory
    base_permissions.require(
        permissions.can_prepare(user, inventory), _("Báo cáo này không mở để sửa số liệu.")
    )
    stamp(record, user=user, reason=f"Xóa số liệu hoạt động{': ' + reason.strip() if reason.strip() else ''}")
    record.delete()


# ---------------------------------------------------------------------------------------------------------------
# Calculation


def _result_row(record: ActivityRecord, inventory: FacilityInventory, tables: FactorTables) -> EmissionResult:
    gwp = GwpSet(inventory.gwp_set)
    row = EmissionResult(activity=record, inventory=inventory, year=record.year, gwp_set=gwp.value)
    try:
        result = calculate(
            record.to_input(default_sector=inventory.listing.combustion_sector), gwp_set=gwp, tables=tables
        )
    except CalculationError as exc:
        row.ok = False
        row.scope = Scope.DIRECT.value if SourceType(record.source_type).is_direct else Scope.INDIRECT.value
        row.problem = "; ".join(p.message for p in exc.problems)
        row.tables_version = tables.version
        return row
    row.scope = result.scope.value
    row.energy_tj = result.energy_tj
    row.co2_kg = result.gas_kg("CO2", biogenic=False)
    row.ch4_kg = result.gas_kg("CH4")
    row.n2o_kg = result.gas_kg("N2O")
    row.other_co2e_kg = result.other_gases_co2e_kg
    row.co2e_t = result.total_co2e_t
    row.biogenic_co2_t = result.biogenic_co2_t
    row.trail = {
        "factors": [f.to_dict() for f in result.factors],
        "steps": [s.to_dict() for s in result.steps],
        "gases": [g.to_dict() for g in result.gases],
    }
    row.tables_version = result.tables_version
    return row


def recalculate(
    *, inventories: Iterable[FacilityInventory] | QuerySet[FacilityInventory], batch_size: int = 2000
) -> int:
    """Recompute every result of ``inventories`` (derived data, replaced as a whole). Returns the number of rows."""
    tables = factor_tables()
    inventory_list = list(inventories)
    if not inventory_list:
        return 0
    by_id = {i.pk: i for i in inventory_list}
    records = ActivityRecord.objects.filter(inventory_id__in=by_id).select_related("inventory__listing")
    rows = [_result_row(r, by_id[r.inventory_id], tables) for r in records]
    with transaction.atomic():
        EmissionResult.objects.filter(inventory_id__in=by_id).delete()
        EmissionResult.objects.bulk_create(rows, batch_size=batch_size)
    return len(rows)


@dataclass
class InventoryTotals:
    by_year: dict[int, dict[str, float]] = field(default_factory=dict)
    direct_t: float = 0.0
    indirect_t: float = 0.0
    biogenic_t: float = 0.0
    pending: int = 0
    records: int = 0

    @property
    def total_t(self) -> float:
        return self.direct_t + self.indirect_t


def inventory_totals(inventory: FacilityInventory) -> InventoryTotals:
    totals = InventoryTotals()
    rows = (
        EmissionResult.objects.filter(inventory=inventory)
        .values("year", "scope", "ok")
        .annotate(co2e=Sum("co2e_t"), bio=Sum("biogenic_co2_t"), n=Count("id"))
    )
    for row in rows:
        totals.records += row["n"]
        if not row["ok"]:
            totals.pending += row["n"]
            continue
        year = totals.by_year.setdefault(row["year"], {"direct": 0.0, "indirect": 0.0, "biogenic": 0.0})
        key = "direct" if row["scope"] == Scope.DIRECT.value else "indirect"
        year[key] += row["co2e"] or 0.0
        year["biogenic"] += row["bio"] or 0.0
        if key == "direct":
            totals.direct_t += row["co2e"] or 0.0
        else:
            totals.indirect_t += row["co2e"] or 0.0
        totals.biogenic_t += row["bio"] or 0.0
    totals.by_year = dict(sorted(totals.by_year.items()))
    return totals


# ---------------------------------------------------------------------------------------------------------------
# Workflow: draft → submitted → appraised (or returned), per NĐ 06/2022 as amended by NĐ 119/2025


@transaction.atomic
def submit_inventory(*, user: Any, inventory: FacilityInventory) -> FacilityInventory:
    base_permissions.require(
        permissions.can_prepare(user, inventory), _("Báo cáo này không thể gửi lúc này.")
    )
    recalculate(inventories=[inventory])
    problems = []
    if not inventory.activities.exists():
        problems.append(Problem(_("báo cáo chưa có số liệu hoạt động nào"), column="activities"))
    pending = EmissionResult.objects.filter(inventory=inventory, ok=False).select_related("activity")
    for result in pending:
        problems.append(
            Problem(
                _("chưa tính được «%(a)s»: %(p)s") % {"a": result.activity, "p": result.problem},
                column="activities",
            )
        )
    if problems:
        raise ValidationFailed(problems)
    inventory.status = InventoryStatus.SUBMITTED
    inventory.submitted_at = timezone.now()
    inventory.submitted_by = user if getattr(user, "pk", None) else None
    inventory.return_reason = ""
    stamp(inventory, user=user, reason="Gửi báo cáo kiểm kê để thẩm định")
    inventory.save()
    return inventory


@transaction.atomic
def return_inventory(*, user: Any, inventory: FacilityInventory, reason: str) -> FacilityInventory:
    base_permissions.require(
        permissions.can_appraise(user, inventory), _("Bạn không thể trả lại báo cáo này.")
    )
    if not reason.strip():
        raise ValidationFailed([Problem(_("cần nêu lý do trả lại để cơ sở sửa"), column="reason")])
    inventory.status = InventoryStatus.RETURNED
    inventory.return_reason = reason.strip()
    stamp(inventory, user=user, reason=f"Trả lại: {reason.strip()}")
    inventory.save()
    return inventory


@transaction.atomic
def appraise_inventory(
    *, user: Any, inventory: FacilityInventory, note: str = "", verifier: str = ""
) -> FacilityInventory:
    """The provincial People's Committee appraises (group A); quota facilities (B, C) need an independent verifier
    (NĐ 119/2025, ghg.md §1), named here."""
    base_permissions.require(
        permissions.can_appraise(user, inventory), _("Bạn không thể thẩm định báo cáo này.")
    )
    if inventory.listing.obligation_group != ObligationGroup.A.value and not verifier.strip():
        raise ValidationFailed(
            [
                Problem(
                    _(
                        "cơ sở được phân bổ hạn ngạch phải có kết quả thẩm tra độc lập: ghi tên tổ chức thẩm tra"
                    ),
                    column="verifier",
                )
            ]
        )
    inventory.status = InventoryStatus.APPRAISED
    inventory.appraised_at = timezone.now()
    inventory.appraised_by = user if getattr(user, "pk", None) else None
    inventory.appraisal_note = note.strip()
    inventory.verifier = verifier.strip()
    stamp(inventory, user=user, reason="Thẩm định báo cáo kiểm kê")
    inventory.save()
    return inventory


@transaction.atomic
def reopen_inventory(*, user: Any, inventory: FacilityInventory, reason: str) -> FacilityInventory:
    base_permissions.require(permissions.can_reopen(user, inventory), _("Bạn không thể mở lại báo cáo này."))
    if not reason.strip():
        raise ValidationFailed([Problem(_("cần nêu lý do mở lại báo cáo đã thẩm định"), column="reason")])
    inventory.status = InventoryStatus.RETURNED
    inventory.return_reason = reason.strip()
    stamp(inventory, user=user, reason=f"Mở lại: {reason.strip()}")
    inventory.save()
    return inventory


# ---------------------------------------------------------------------------------------------------------------
# Provincial indicators


@dataclass(frozen=True)
class IndicatorSpec:
    code: str
    name: str
    unit: str
    key: str  # which total: direct, indirect, biogenic, facilities


# Facility inventories cover only the listed facilities, so they are a component of TT 10/2023 indicator 1.2 "Tổng
# lượng phát thải khí nhà kính" (indicators.md §4), not the indicator itself: they get their own provincial codes.
INDICATOR_SOURCE = (
    "Tổng hợp từ báo cáo kiểm kê khí nhà kính cấp cơ sở đã được thẩm định (NĐ 06/2022/NĐ-CP, sửa đổi bởi NĐ 119/2025/NĐ-CP); "
    "thành phần của chỉ tiêu 1.2 «Tổng lượng phát thải khí nhà kính», TT 10/2023/TT-BKHĐT"
)
INDICATORS = (
    IndicatorSpec(
        "KNK-CS-01", "Phát thải khí nhà kính trực tiếp của các cơ sở phải kiểm kê", "tCO2e", "direct"
    ),
    IndicatorSpec(
        "KNK-CS-02",
        "Phát thải khí nhà kính gián tiếp (điện, nhiệt mua vào) của các cơ sở phải kiểm kê",
        "tCO2e",
        "indirect",
    ),
    IndicatorSpec(
        "KNK-CS-03", "CO2 từ sinh khối của các cơ sở phải kiểm kê (báo cáo riêng)", "tCO2", "biogenic"
    ),
    IndicatorSpec(
        "KNK-CS-04", "Số cơ sở có báo cáo kiểm kê khí nhà kính đã thẩm định", "cơ sở", "facilities"
    ),
)
SECTOR_DIMENSION = "sector"


def sector_disaggregation(sector: str) -> str:
    return f"{SECTOR_DIMENSION}={sector}"


def ensure_indicators() -> dict[str, Indicator]:
    """Get or create the provincial GHG indicators (idempotent)."""
    out = {}
    allowed = [sector_disaggregation(s) for s in ListingSector.values]
    for spec in INDICATORS:
        indicator = Indicator.objects.filter(code=spec.code).first()
        if indicator is None:
            indicator = Indicator(
                code=spec.code,
                name=spec.name,
                unit=spec.unit,
                direction=IndicatorDirection.NEUTRAL
                if spec.key == "facilities"
                else IndicatorDirection.DECREASE,
                objective="1",
                disaggregations=allowed,
                responsible_agency_key="so-nnmt",
                responsible_body="Bộ Nông nghiệp và Môi trường (trước 1/3/2025: Bộ TN&MT)",
                min_value=0,
                source=INDICATOR_SOURCE,
                confidence="M",
            )
            stamp(indicator, user=None, reason="Tạo chỉ tiêu tổng hợp kiểm kê khí nhà kính")
            indicator.save()
        out[spec.key] = indicator
    return out


def provincial_totals(
    admin_unit: AdminUnit, years: Iterable[int] | None = None
) -> dict[int, dict[str, dict[str, float]]]:
    """{year: {total key: {disaggregation: value}}} from appraised inventories of facilities of ``admin_unit``
    (and of the units merged into it). Disaggregation "" is the total."""
    units = admin_unit.lineage()
    results = EmissionResult.objects.filter(
        ok=True,
        inventory__status=InventoryStatus.APPRAISED,
        inventory__listing__facility__admin_unit__in=units,
    )
    if years is not None:
        results = results.filter(year__in=list(years))
    rows = results.values("year", "scope", "inventory__listing__sector").annotate(
        co2e=Sum("co2e_t"), bio=Sum("biogenic_co2_t"), facilities=Count("inventory__listing", distinct=True)
    )
    out: dict[int, dict[str, dict[str, float]]] = defaultdict(lambda: defaultdict(lambda: defaultdict(float)))
    for row in rows:
        sector = sector_disaggregation(row["inventory__listing__sector"])
        key = "direct" if row["scope"] == Scope.DIRECT.value else "indirect"
        for disaggregation in ("", sector):
            out[row["year"]][key][disaggregation] += row["co2e"] or 0.0
            out[row["year"]]["biogenic"][disaggregation] += row["bio"] or 0.0
    facility_rows = (
        results.values("year", "inventory__listing__sector")
        .annotate(n=Count("inventory__listing", distinct=True))
        .order_by()
    )
    for row in facility_rows:
        out[row["year"]]["facilities"][sector_disaggregation(row["inventory__listing__sector"])] += row["n"]
    for year_row in results.values("year").annotate(n=Count("inventory__listing", distinct=True)).order_by():
        out[year_row["year"]]["facilities"][""] = year_row["n"]
    return {y: {k: dict(v) for k, v in d.items()} for y, d in sorted(out.items())}


@dataclass
class PublishSummary:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    years: list[int] = field(default_factory=list)


@transaction.atomic
def publish_provincial_totals(
    *, user: Any, admin_unit: AdminUnit, years: Iterable[int] | None = None, approve: bool = False
) -> PublishSummary:
    """Write the provincial totals as indicator values (source "ghg"), per year and per sector.

    Values are "submitted" unless ``approve``; an approved value is locked and is only rewritten after it has been
    reopened through the indicators service (record_value refuses otherwise, with a Vietnamese message).
    """
    base_permissions.require(
        base_permissions.coordinates_unit(user, admin_unit),
        _("Chỉ điều phối viên của tỉnh được tổng hợp số liệu."),
    )
    indicators = ensure_indicators()
    agency = Agency.objects.filter(admin_unit=admin_unit, key="so-nnmt").first()
    summary = PublishSummary()
    totals = provincial_totals(admin_unit, years)
    status = ValueStatus.APPROVED if approve else ValueStatus.SUBMITTED
    for year, by_key in totals.items():
        summary.years.append(year)
        for key, values in by_key.items():
            indicator = indicators[key]
            for disaggregation, value in sorted(values.items()):
                _value, outcome = record_value(
                    user=user,
                    indicator=indicator,
                    admin_unit=admin_unit,
                    period=str(year),
                    value=round(value, 3),
                    agency=agency,
                    unit=indicator.unit,
                    disaggregation=disaggregation,
                    source=ValueSource.GHG,
                    source_detail=f"Tổng hợp kiểm kê khí nhà kính cấp cơ sở đã thẩm định, năm {year}",
                    status=status,
                    reason="Tổng hợp từ kiểm kê khí nhà kính cấp cơ sở",
                )
                setattr(summary, outcome, getattr(summary, outcome) + 1)
    return summary


def published_values(admin_unit: AdminUnit) -> QuerySet[IndicatorValue]:
    return IndicatorValue.objects.filter(
        admin_unit=admin_unit, indicator__code__in=[s.code for s in INDICATORS], source=ValueSource.GHG
    ).select_related("indicator")


# ---------------------------------------------------------------------------------------------------------------
# Queries used by pages


def listings_visible_to(user: Any) -> QuerySet[InventoryListing]:
    listings = InventoryListing.objects.select_related("facility", "facility__admin_unit")
    if base_permissions.is_admin(user):
        return listings
    if not getattr(user, "is_authenticated", False):
        return listings.none()
    query = Q(contacts=user) | Q(inventories__status=InventoryStatus.APPRAISED)
    if base_permissions.is_coordinator(user):
        if user.admin_unit_id is None:
            return listings
        units = user.admin_unit.lineage()
        query |= Q(facility__admin_unit__in=units)
    return listings.filter(query).distinct()


def public_disclosures(admin_unit: AdminUnit | None = None) -> QuerySet[FacilityInventory]:
    """Appraised inventories of large sources: open to anyone."""
    inventories = FacilityInventory.objects.filter(
        status=InventoryStatus.APPRAISED, listing__facility__is_large_source=True
    ).select_related("listing__facility", "listing__facility__admin_unit", "period")
    if admin_unit is not None:
        inventories = inventories.filter(listing__facility__admin_unit__in=admin_unit.lineage())
    return inventories.annotate(
        direct=Sum("results__co2e_t", filter=Q(results__scope=Scope.DIRECT.value, results__ok=True)),
        indirect=Sum("results__co2e_t", filter=Q(results__scope=Scope.INDIRECT.value, results__ok=True)),
        biogenic=Sum("results__biogenic_co2_t", filter=Q(results__ok=True)),
    ).order_by("listing__facility__name", "-period__submission_year")
