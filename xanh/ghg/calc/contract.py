"""Plain-data contract of the calculation core: dicts (JSON) in, dicts out. Used by `xanh ghg calc` and importers.

Input: ``{"gwp_set": "AR5", "activities": [{"source_type": "stationary_combustion", "fuel": "diesel",
"quantity": 1000, "unit": "L", "density_kg_per_l": 0.844, "year": 2023}, ...]}``.
Field values may be codes or Vietnamese labels ("Điện mua vào", "dầu DO", "lít"); numbers may be written in
Vietnamese format ("1.000,5").
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from xanh.core.errors import Problem
from xanh.core.numbers import parse_number_vi
from xanh.core.text import fold

from .engine import calculate_many
from .tables import FactorTables, default_tables
from .types import (
    SECTOR_LABELS,
    SOURCE_TYPE_LABELS,
    ActivityInput,
    CalculationError,
    CombustionSector,
    CustomGas,
    GwpSet,
    Scope,
    SourceType,
)

_SOURCE_ALIASES = {
    "dot tinh": SourceType.STATIONARY_COMBUSTION,
    "nguon co dinh": SourceType.STATIONARY_COMBUSTION,
    "dot nhien lieu tinh": SourceType.STATIONARY_COMBUSTION,
    "di dong": SourceType.MOBILE_COMBUSTION,
    "giao thong": SourceType.MOBILE_COMBUSTION,
    "van tai": SourceType.MOBILE_COMBUSTION,
    "qua trinh": SourceType.PROCESS,
    "phat tan": SourceType.FUGITIVE,
    "ro ri": SourceType.FUGITIVE,
    "moi chat lanh": SourceType.REFRIGERANT,
    "chat thai": SourceType.WASTE,
    "dien": SourceType.PURCHASED_ELECTRICITY,
    "dien mua": SourceType.PURCHASED_ELECTRICITY,
    "nhiet": SourceType.PURCHASED_HEAT,
    "hoi nuoc": SourceType.PURCHASED_HEAT,
    "nhiet mua": SourceType.PURCHASED_HEAT,
}


def parse_source_type(text: str) -> SourceType | None:
    key = fold(text)
    for source in SourceType:
        if key in (source.value, fold(SOURCE_TYPE_LABELS[source])):
            return source
    return _SOURCE_ALIASES.get(key)


def parse_sector(text: str) -> CombustionSector | None:
    key = fold(text)
    for sector in CombustionSector:
        if key in (sector.value, fold(SECTOR_LABELS[sector]), fold(sector.ipcc_table)):
            return sector
    return {
        "nang luong": CombustionSector.ENERGY_INDUSTRIES,
        "cong nghiep": CombustionSector.MANUFACTURING,
        "che bien che tao": CombustionSector.MANUFACTURING,
        "thuong mai": CombustionSector.COMMERCIAL,
        "dich vu": CombustionSector.COMMERCIAL,
        "dan dung": CombustionSector.RESIDENTIAL,
        "ho gia dinh": CombustionSector.RESIDENTIAL,
    }.get(key)


def parse_gwp_set(text: Any) -> GwpSet | None:
    key = str(text or "").strip().upper()
    return GwpSet(key) if key in GwpSet.__members__ else None


def parse_number(raw: Any) -> float:
    """A number from JSON or a spreadsheet cell; Vietnamese-format strings accepted. ValueError in Vietnamese."""
    if isinstance(raw, bool):
        raise ValueError("giá trị đúng/sai không phải là số")
    if isinstance(raw, int | float):
        value = float(raw)
        if not math.isfinite(value):
            raise ValueError("số không hữu hạn")
        return value
    if raw is None:
        raise ValueError("ô trống, không phải là số")
    return parse_number_vi(str(raw))


def activity_from_dict(data: Mapping[str, Any], *, row: int | None = None) -> ActivityInput:
    """Validate one activity dict; raise CalculationError listing every bad field (with ``row``)."""
    problems: list[Problem] = []

    def bad(message: str, column: str) -> None:
        problems.append(Problem(message, row=row, column=column))

    if not isinstance(data, Mapping):
        raise CalculationError([Problem("mỗi bản ghi phải là một đối tượng JSON", row=row)])
    source = parse_source_type(str(data.get("source_type", "")))
    if source is None:
        bad(
            f"loại nguồn «{data.get('source_type', '')}» không hợp lệ; chọn một trong: "
            + "; ".join(f"{s.value} ({s.label})" for s in SourceType),
            "source_type",
        )
    year = 0
    try:
        year_value = parse_number(data.get("year"))
        if year_value != int(year_value):
            raise ValueError("năm phải là số nguyên")
        year = int(year_value)
    except ValueError as exc:
        bad(f"năm số liệu không hợp lệ: {exc}", "year")
    quantity = 0.0
    try:
        quantity = parse_number(data.get("quantity"))
        if quantity < 0:
            bad("số lượng bị âm; số liệu hoạt động không được âm", "quantity")
    except ValueError as exc:
        bad(f"số lượng không hợp lệ: {exc}", "quantity")
    sector = None
    if str(data.get("sector") or "").strip():
        sector = parse_sector(str(data["sector"]))
        if sector is None:
            bad(
                f"lĩnh vực «{data['sector']}» không hợp lệ; chọn một trong: "
                + "; ".join(f"{s.value} ({s.label})" for s in CombustionSector),
                "sector",
            )
    density = None
    if data.get("density_kg_per_l") not in (None, ""):
        try:
            density = parse_number(data["density_kg_per_l"])
        except ValueError as exc:
            bad(f"khối lượng riêng không hợp lệ: {exc}", "density_kg_per_l")
    overrides: dict[str, float] = {}
    raw_overrides = data.get("factor_overrides") or {}
    if not isinstance(raw_overrides, Mapping):
        bad("hệ số riêng phải là một đối tượng {khí: giá trị}", "factor_overrides")
    else:
        for gas, value in raw_overrides.items():
            if value in (None, ""):
                continue
            try:
                overrides[str(gas)] = parse_number(value)
            except ValueError as exc:
                bad(f"hệ số {gas} không hợp lệ: {exc}", "factor_overrides")
    custom = None
    raw_custom = data.get("custom_gas")
    if raw_custom:
        try:
            custom = CustomGas(
                name=str(raw_custom["name"]).strip(),
                gwp=parse_number(raw_custom["gwp"]),
                source=str(raw_custom.get("source", "")).strip(),
            )
        except (KeyError, TypeError, ValueError) as exc:
            bad(f"khí khác phải có tên (name), GWP (gwp) và nguồn (source): {exc}", "custom_gas")
    if problems:
        raise CalculationError(problems)
    assert source is not None
    return ActivityInput(
        source_type=source,
        year=year,
        quantity=quantity,
        unit=str(data.get("unit") or "").strip(),
        fuel=str(data.get("fuel") or "").strip() or None,
        sector=sector,
        density_kg_per_l=density,
        factor_overrides=overrides,
        factor_source=str(data.get("factor_source") or "").strip(),
        gas=str(data.get("gas") or "").strip() or None,
        custom_gas=custom,
        label=str(data.get("label") or data.get("description") or "").strip(),
    )


def run(payload: Any, *, gwp_set: GwpSet | None = None, tables: FactorTables | None = None) -> dict[str, Any]:
    """Calculate a list of activities. ``payload`` is ``{"gwp_set", "activities"}`` or a bare list (then
    ``gwp_set`` must be passed). Bad records do not stop the others; they are reported with their row (1-based)."""
    tables = tables or default_tables()
    if isinstance(payload, Mapping):
        chosen = parse_gwp_set(payload.get("gwp_set")) if payload.get("gwp_set") else gwp_set
        if payload.get("gwp_set") and chosen is None:
            raise CalculationError([Problem("bộ GWP phải là AR4 hoặc AR5", column="gwp_set")])
        records = payload.get("activities")
    else:
        chosen, records = gwp_set, payload
    if chosen is None:
        raise CalculationError([Problem("cần chọn bộ GWP: AR4 hoặc AR5", column="gwp_set")])
    if not isinstance(records, list):
        raise CalculationError(
            [Problem("cần một danh sách bản ghi hoạt động (activities)", column="activities")]
        )
    activities: list[ActivityInput | None] = []
    problems: list[Problem] = []
    for row, record in enumerate(records, start=1):
        try:
            activities.append(activity_from_dict(record, row=row))
        except CalculationError as exc:
            activities.append(None)
            problems.extend(exc.problems)
    valid = [(row, a) for row, a in enumerate(activities, start=1) if a is not None]
    out_rows: list[dict[str, Any]] = [
        {"row": row, "ok": False, "problems": []} for row in range(1, len(activities) + 1)
    ]
    totals = {"total_tCO2e": 0.0, "direct_tCO2e": 0.0, "indirect_tCO2e": 0.0, "biogenic_tCO2": 0.0}
    by_year: dict[str, float] = {}
    for row, activity in valid:
        batch = calculate_many([activity], gwp_set=chosen, tables=tables, first_row=row)
        result = batch.results[0]
        if result is None:
            problems.extend(batch.problems)
            continue
        out_rows[row - 1] = {"row": row, "ok": True, "result": result.to_dict()}
        totals["total_tCO2e"] += result.total_co2e_t
        totals["direct_tCO2e" if result.scope is Scope.DIRECT else "indirect_tCO2e"] += result.total_co2e_t
        totals["biogenic_tCO2"] += result.biogenic_co2_t
        by_year[str(result.activity.year)] = by_year.get(str(result.activity.year), 0.0) + result.total_co2e_t
    for item in problems:
        if item.row is not None:
            out_rows[item.row - 1]["problems"].append({"column": item.column, "message": item.message})
    return {
        "gwp_set": chosen.value,
        "tables_version": tables.version,
        "results": out_rows,
        "totals": {**totals, "by_year": dict(sorted(by_year.items()))},
        "problems": [str(p) for p in problems],
    }
