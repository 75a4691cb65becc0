"""Administrative units: loading reference data and answering "which unit, on which day"."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db import transaction
from django.utils.translation import gettext as _

from xanh.core.errors import Problem, ValidationFailed
from xanh.core.text import fold
from xanh.geo.models import AdminUnit, UnitLevel, UnitType
from xanh.geo.reference import UnitRecord, default_unit_records


@transaction.atomic
def load_units(records: Sequence[UnitRecord] | None = None) -> dict[str, int]:
    """Create or update provincial units; running it twice changes nothing. Returns counts."""
    records = list(records) if records is not None else default_unit_records()
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    by_code_period: dict[tuple[str, dt.date | None], AdminUnit] = {}
    for record in records:
        defaults = {
            "name": record.name,
            "unit_type": UnitType.CITY if record.unit_type == "city" else UnitType.PROVINCE,
            "valid_to": record.valid_to,
            "admin_centre": record.admin_centre,
            "source": record.source,
        }
        unit = AdminUnit.objects.filter(
            level=UnitLevel.PROVINCE, code=record.code, valid_from=record.valid_from
        ).first()
        if unit is None:
            unit = AdminUnit(
                level=UnitLevel.PROVINCE, code=record.code, valid_from=record.valid_from, **defaults
            )
            unit._change_reason = "Nạp dữ liệu tham chiếu"  # type: ignore[attr-defined]
            unit.save()
            counts["created"] += 1
        elif any(getattr(unit, k) != v for k, v in defaults.items()):
            for k, v in defaults.items():
                setattr(unit, k, v)
            unit._change_reason = "Cập nhật dữ liệu tham chiếu"  # type: ignore[attr-defined]
            unit.save()
            counts["updated"] += 1
        else:
            counts["unchanged"] += 1
        by_code_period[(record.code, record.valid_from)] = unit
    new_units = {code: unit for (code, start), unit in by_code_period.items() if start is not None}
    for record in records:
        if record.successor_code is None:
            continue
        unit = by_code_period[(record.code, record.valid_from)]
        successor = new_units[record.successor_code]
        if unit.successor_id != successor.pk:
            unit.successor = successor
            unit._change_reason = "Liên kết đơn vị kế thừa"  # type: ignore[attr-defined]
            unit.save()
    return counts


def units_on(day: dt.date, *, level: str = UnitLevel.PROVINCE, include_demo: bool = False) -> list[AdminUnit]:
    qs = AdminUnit.objects.valid_on(day).filter(level=level).order_by("code")
    if not include_demo:
        qs = qs.filter(is_demo=False)
    return list(qs)


def find_units(name: str) -> list[AdminUnit]:
    """Every unit (any period) whose name matches ``name`` without regard to case, diacritics or a "Tỉnh" prefix."""
    # Older names and short forms seen in data (../shared/domain/admin-units-2025.md §3).
    aliases = {"thua thien hue": "hue", "tp hcm": "ho chi minh", "tp.hcm": "ho chi minh", "hcm": "ho chi minh"}
    key = fold(name)
    keys = {key}
    for prefix in ("tinh ", "thanh pho ", "tp. ", "tp "):
        if key.startswith(prefix):
            keys.add(key[len(prefix) :])
    keys |= {aliases[k] for k in keys if k in aliases}
    return list(AdminUnit.objects.filter(name_folded__in=keys))


def successor_on(name: str, day: dt.date) -> AdminUnit:
    """The unit that carries on the territory of the unit called ``name`` on ``day``.

    Raises ValidationFailed with a Vietnamese message if the name is unknown or the day lies outside every validity.
    """
    units = find_units(name)
    if not units:
        raise ValidationFailed(
            [Problem(_("Không tìm thấy đơn vị hành chính «%(name)s».") % {"name": name}, column="name")]
        )
    valid = [u for u in units if u.is_valid_on(day)]
    if valid:
        return valid[0]
    # The named unit ended before ``day``: follow successor links forward.
    ended = sorted(
        (u for u in units if u.valid_to and u.valid_to < day), key=lambda u: u.valid_to, reverse=True
    )
    for unit in ended:
        current: AdminUnit | None = unit
        for _hop in range(10):
            if current is None:
                break
            if current.is_valid_on(day):
                return current
            current = current.successor
    raise ValidationFailed(
        [
            Problem(
                _(
                    "Đơn vị «%(name)s» không có hiệu lực vào ngày %(day)s và không có đơn vị kế thừa vào ngày đó."
                )
                % {"name": name, "day": day.strftime("%d/%m/%Y")},
                column="on",
            )
        ]
    )


def unit_as_dict(unit: AdminUnit) -> dict[str, object]:
    return {
        "code": unit.code,
        "name": unit.name,
        "type": unit.unit_type,
        "type_label": unit.get_unit_type_display(),
        "valid_from": unit.valid_from.isoformat() if unit.valid_from else None,
        "valid_to": unit.valid_to.isoformat() if unit.valid_to else None,
        "successor": unit.successor.code if unit.successor_id else None,
        "successor_name": unit.successor.name if unit.successor_id else None,
        "admin_centre": unit.admin_centre or None,
    }
