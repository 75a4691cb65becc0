"""Tier 1 emission calculation (pure): ghg.md §6 and TT 38/2023/TT-BCT Appendix II §2.

    energy [TJ]   = fuel [t] × NCV [TJ/Gg] / 1000          (litres: t = L × density [kg/L] / 1000)
    gas [kg]      = energy [TJ] × EF [kg/TJ]
    CO2e [t]      = Σ gas [kg] × GWP(gas) / 1000           (GWP set AR4 or AR5, stored with the result)
    electricity   = MWh × grid factor of the SAME year     (refused when the year has no official factor)

Biomass CO2 is biogenic: kept in the result, not in the total. Nothing is rounded here; pages round for display.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from xanh.core.errors import Problem
from xanh.core.numbers import format_number_vi

from .tables import FactorTables, FuelFactor, GasFactors, default_tables
from .types import (
    CH4,
    CO2,
    COMBUSTION_GASES,
    ActivityInput,
    CalculationError,
    CombustionSector,
    EmissionResult,
    FactorUse,
    GasAmount,
    GwpSet,
    Scope,
    SourceType,
    TrailStep,
)
from .units import Unit, UnitKind, accepted_units, parse_unit, to_base

MIN_YEAR = 1990
MAX_YEAR = 2100
DEFAULT_SECTOR = (
    CombustionSector.MANUFACTURING
)  # ghg.md §5: Table 2.3 is the usual case for listed facilities
USER_SUPPLIED = "số liệu do cơ sở cung cấp"


def fmt(value: float) -> str:
    """A number for a calculation trail: six significant digits, Vietnamese format (2.689,24; 0,036292).

    Hot path (every step of every record), so it uses the float formatter rather than Decimal; the rounding of a
    trail figure is for reading only, totals are never rounded.
    """
    if value == 0 or not math.isfinite(value):
        return format_number_vi(value, 0)
    magnitude = math.floor(math.log10(abs(value)))
    decimals = max(0, min(12, 5 - magnitude))
    text = f"{abs(value):,.{decimals}f}"
    if decimals:
        text = text.rstrip("0").rstrip(".")
    text = text.translate(_VI_SEPARATORS)
    return f"-{text}" if value < 0 and text.strip("0,") else text


_VI_SEPARATORS = str.maketrans({",": ".", ".": ","})


def normalize_gas(name: str) -> str:
    return name.strip().upper().replace("₂", "2").replace("₄", "4").replace("₆", "6").replace(" ", "")


def _conversion(quantity: float, unit: Unit) -> str:
    """ "500 kg ÷ 1.000", "2 GWh × 1.000" or just "10 t" when the unit is already the base unit."""
    if unit.to_base == 1:
        return f"{fmt(quantity)} {unit.code}"
    if unit.to_base < 1:
        return f"{fmt(quantity)} {unit.code} ÷ {fmt(1 / unit.to_base)}"
    return f"{fmt(quantity)} {unit.code} × {fmt(unit.to_base)}"


class MissingGridFactor(CalculationError):
    """The activity is valid but its year has no official grid factor yet: keep it and calculate it later."""


@dataclass
class _Work:
    """Accumulates the parts of a result while a calculation runs."""

    problems: list[Problem] = field(default_factory=list)
    factors: list[FactorUse] = field(default_factory=list)
    steps: list[TrailStep] = field(default_factory=list)
    masses: list[tuple[str, float, bool]] = field(default_factory=list)  # (gas, kg, biogenic)
    energy_tj: float | None = None
    missing_grid_factor: bool = False

    def fail(self, message: str, column: str) -> None:
        self.problems.append(Problem(message, column=column))

    def step(self, label: str, expression: str, value: float, unit: str) -> float:
        self.steps.append(TrailStep(label, expression, value, unit))
        return value


def calculate(
    activity: ActivityInput, *, gwp_set: GwpSet, tables: FactorTables | None = None
) -> EmissionResult:
    """Emissions of one activity; raise ``CalculationError`` naming every wrong field (in Vietnamese)."""
    tables = tables or default_tables()
    work = _Work()
    _check_common(activity, work)
    if work.problems:
        raise CalculationError(work.problems)
    source = activity.source_type
    if source.is_combustion:
        _combustion(activity, tables, work)
    elif source is SourceType.PURCHASED_ELECTRICITY:
        _electricity(activity, tables, work)
    else:
        _other(activity, tables, work)
    if work.problems:
        if work.missing_grid_factor and len(work.problems) == 1:
            raise MissingGridFactor(work.problems)
        raise CalculationError(work.problems)
    return _finish(activity, gwp_set, tables, work)


def _check_common(activity: ActivityInput, work: _Work) -> None:
    quantity = activity.quantity
    if not isinstance(quantity, int | float) or not math.isfinite(quantity):
        work.fail("số lượng phải là một số hữu hạn", "quantity")
    elif quantity < 0:
        work.fail(f"số lượng {fmt(quantity)} bị âm; số liệu hoạt động không được âm", "quantity")
    if not MIN_YEAR <= activity.year <= MAX_YEAR:
        work.fail(f"năm {activity.year} nằm ngoài khoảng {MIN_YEAR}–{MAX_YEAR}", "year")
    if not activity.unit.strip():
        work.fail("thiếu đơn vị tính", "unit")
    if activity.factor_overrides and not activity.factor_source.strip():
        work.fail(
            "hệ số phát thải riêng phải ghi rõ nguồn (văn bản phê duyệt hoặc danh mục hệ số quốc gia)",
            "factor_source",
        )
    for gas, value in activity.factor_overrides.items():
        if not math.isfinite(value) or value < 0:
            work.fail(
                f"hệ số phát thải {gas} = {value} không hợp lệ (phải là số không âm)", "factor_overrides"
            )


def _fuel_mass_t(activity: ActivityInput, fuel: FuelFactor, work: _Work) -> float | None:
    """Fuel mass in tonnes, or None when the quantity is already an energy amount."""
    unit = parse_unit(activity.unit)
    if unit is None or unit.kind not in (UnitKind.MASS, UnitKind.VOLUME, UnitKind.ENERGY):
        work.fail(
            f"đơn vị «{activity.unit}» không dùng được cho nhiên liệu; dùng một trong: "
            f"{accepted_units(UnitKind.MASS, UnitKind.VOLUME, UnitKind.ENERGY)}",
            "unit",
        )
        return None
    q = activity.quantity
    if unit.kind is UnitKind.ENERGY:
        work.energy_tj = work.step("Năng lượng của nhiên liệu", _conversion(q, unit), to_base(q, unit), "TJ")
        return None
    if unit.kind is UnitKind.MASS:
        return work.step("Khối lượng nhiên liệu", _conversion(q, unit), to_base(q, unit), "t")
    density = activity.density_kg_per_l
    if density is None or not math.isfinite(density) or density <= 0:
        work.fail(
            f"nhiên liệu tính theo thể tích ({unit.code}) cần khối lượng riêng (kg/L) lớn hơn 0 để đổi ra tấn",
            "density_kg_per_l",
        )
        return None
    litres = to_base(q, unit)
    work.factors.append(FactorUse(f"Khối lượng riêng — {fuel.name_vi}", density, "kg/L", USER_SUPPLIED))
    litre_text = f"{fmt(q)} {unit.code}" if unit.code == "L" else f"{fmt(q)} {unit.code} = {fmt(litres)} L"
    return work.step(
        "Khối lượng nhiên liệu",
        f"{litre_text} × {fmt(density)} kg/L ÷ 1.000",
        litres * density / 1000.0,
        "t",
    )


def _combustion(activity: ActivityInput, tables: FactorTables, work: _Work) -> None:
    if not activity.fuel:
        work.fail("thiếu loại nhiên liệu", "fuel")
        return
    fuel = tables.find_fuel(activity.fuel)
    if fuel is None:
        work.fail(
            f"không có nhiên liệu «{activity.fuel}» trong bảng hệ số; chọn một trong: "
            + ", ".join(f.name_vi for f in tables.fuels.values()),
            "fuel",
        )
        return
    unknown = [g for g in activity.factor_overrides if normalize_gas(g) not in COMBUSTION_GASES]
    if unknown:
        work.fail(
            "hệ số riêng cho đốt nhiên liệu chỉ nhận CO2, CH4, N2O (kg/TJ); không nhận: "
            + ", ".join(unknown),
            "factor_overrides",
        )
    gas_factors: GasFactors | None
    if activity.source_type is SourceType.MOBILE_COMBUSTION:
        gas_factors = tables.road.get(fuel.key)
        if gas_factors is None and not _overrides_cover_all(activity.factor_overrides):
            work.fail(
                f"chưa có hệ số vận tải đường bộ cho «{fuel.name_vi}» (chỉ có xăng, diesel, LPG, khí thiên nhiên nén); "
                "nhập hệ số riêng CO2, CH4, N2O (kg/TJ) kèm nguồn",
                "fuel",
            )
            return
        where = "vận tải đường bộ"
    else:
        sector = activity.sector or DEFAULT_SECTOR
        gas_factors = tables.stationary.get((fuel.category, sector))
        if gas_factors is None and not _overrides_cover_all(activity.factor_overrides):
            work.fail(
                f"chưa có hệ số CH4/N2O cho nhóm nhiên liệu {fuel.category}, lĩnh vực {sector.label}",
                "sector",
            )
            return
        where = f"nguồn cố định, lĩnh vực {sector.label} ({sector.ipcc_table} IPCC 2006)"
        if activity.sector is None:
            where += ", mặc định"
    mass_t = _fuel_mass_t(activity, fuel, work)
    if work.problems:
        return
    if mass_t is not None:
        work.factors.append(
            FactorUse(
                f"Nhiệt trị thực (NCV) — {fuel.name_vi}",
                fuel.ncv_tj_per_gg,
                "TJ/Gg",
                fuel.source,
                fuel.confidence,
            )
        )
        work.energy_tj = work.step(
            "Năng lượng",
            f"{fmt(mass_t)} t × {fmt(fuel.ncv_tj_per_gg)} TJ/Gg ÷ 1.000",
            mass_t * fuel.ncv_tj_per_gg / 1000.0,
            "TJ",
        )
    energy = work.energy_tj or 0.0
    overrides = {normalize_gas(g): v for g, v in activity.factor_overrides.items()}
    for gas in COMBUSTION_GASES:
        if gas in overrides:
            factor, source, confidence = overrides[gas], f"hệ số riêng: {activity.factor_source.strip()}", ""
        else:
            default = _default_factor(gas, fuel, gas_factors)
            if default is None:  # pragma: no cover - guarded by _overrides_cover_all above
                continue
            factor, source, confidence = default
        biogenic = gas == CO2 and fuel.biogenic
        work.factors.append(
            FactorUse(f"Hệ số phát thải {gas} — {fuel.name_vi}, {where}", factor, "kg/TJ", source, confidence)
        )
        label = f"Phát thải {gas}" + (" sinh khối (báo cáo riêng, không cộng vào tổng)" if biogenic else "")
        mass = work.step(label, f"{fmt(energy)} TJ × {fmt(factor)} kg/TJ", energy * factor, "kg")
        work.masses.append((gas, mass, biogenic))


def _default_factor(
    gas: str, fuel: FuelFactor, gas_factors: GasFactors | None
) -> tuple[float, str, str] | None:
    """The Tier 1 factor (kg/TJ), its source and confidence; road-transport tables carry their own CO2 factor."""
    if gas == CO2:
        if gas_factors is not None and gas_factors.co2_kg_per_tj is not None:
            return gas_factors.co2_kg_per_tj, gas_factors.source, gas_factors.confidence
        return fuel.co2_kg_per_tj, fuel.source, fuel.confidence
    if gas_factors is None:
        return None
    value = gas_factors.ch4_kg_per_tj if gas == CH4 else gas_factors.n2o_kg_per_tj
    return value, gas_factors.source, gas_factors.confidence


def _overrides_cover_all(overrides: Mapping[str, float]) -> bool:
    return {normalize_gas(g) for g in overrides} >= set(COMBUSTION_GASES)


def _electricity(activity: ActivityInput, tables: FactorTables, work: _Work) -> None:
    unit = parse_unit(activity.unit)
    if unit is None or unit.kind is not UnitKind.ELECTRICITY:
        work.fail(
            f"đơn vị «{activity.unit}» không dùng được cho điện; dùng một trong: {accepted_units(UnitKind.ELECTRICITY)}",
            "unit",
        )
    if activity.factor_overrides:
        work.fail(
            "điện mua vào phải dùng hệ số phát thải lưới điện chính thức của cùng năm, không nhận hệ số riêng",
            "factor_overrides",
        )
    grid = tables.grid.get(activity.year)
    if grid is None:
        work.missing_grid_factor = True
        years = sorted(tables.grid)
        known = f"{years[0]}–{years[-1]}" if years else "chưa có năm nào"
        work.fail(
            f"chưa có hệ số phát thải lưới điện chính thức cho năm {activity.year} (đã có: {known}); "
            "điện phải tính bằng hệ số của đúng năm số liệu do Cục Biến đổi khí hậu công bố, "
            "không dùng ước tính không chính thức — hãy chờ hệ số được công bố rồi tính lại",
            "year",
        )
    if work.problems or unit is None or grid is None:
        return
    mwh = work.step(
        "Điện năng mua vào",
        _conversion(activity.quantity, unit),
        to_base(activity.quantity, unit),
        "MWh",
    )
    work.factors.append(
        FactorUse(
            f"Hệ số phát thải lưới điện năm {grid.year}",
            grid.t_co2_per_mwh,
            "tCO2/MWh",
            grid.issuing_document,
            grid.confidence,
        )
    )
    co2_t = work.step(
        "Phát thải CO2", f"{fmt(mwh)} MWh × {fmt(grid.t_co2_per_mwh)} tCO2/MWh", mwh * grid.t_co2_per_mwh, "t"
    )
    work.masses.append((CO2, co2_t * 1000.0, False))


def _gwp_for(gas: str, activity: ActivityInput, tables: FactorTables, work: _Work, column: str) -> bool:
    if gas in tables.gwp:
        return True
    custom = activity.custom_gas
    if custom is not None and normalize_gas(custom.name) == gas:
        if custom.gwp <= 0 or not math.isfinite(custom.gwp):
            work.fail(f"GWP của {custom.name} phải lớn hơn 0", "custom_gas")
            return False
        if not custom.source.strip():
            work.fail(f"GWP của {custom.name} phải ghi rõ nguồn (bảng IPCC)", "custom_gas")
            return False
        return True
    work.fail(
        f"khí «{gas}» chưa có GWP trong bảng ({', '.join(tables.gwp)}); với khí khác (ví dụ HFC) hãy nhập GWP và nguồn",
        column,
    )
    return False


def _other(activity: ActivityInput, tables: FactorTables, work: _Work) -> None:
    """Process, fugitive, refrigerant, waste and purchased heat: the facility supplies the gas mass or a factor."""
    if activity.fuel:
        work.fail("chỉ nguồn đốt nhiên liệu mới ghi loại nhiên liệu; để trống ô này", "fuel")
    if activity.gas and activity.factor_overrides:
        work.fail("chỉ chọn một cách: khối lượng khí phát thải, hoặc số liệu hoạt động × hệ số", "gas")
        return
    if activity.gas:
        gas = normalize_gas(activity.gas)
        unit = parse_unit(activity.unit)
        if unit is None or unit.kind is not UnitKind.MASS:
            work.fail(
                f"khối lượng khí phải tính theo đơn vị khối lượng ({accepted_units(UnitKind.MASS)}), không phải «{activity.unit}»",
                "unit",
            )
            return
        if not _gwp_for(gas, activity, tables, work, "gas"):
            return
        kg = work.step(
            f"Khối lượng {gas} phát thải",
            _conversion(activity.quantity, Unit(unit.code, unit.kind, unit.to_base * 1000.0, unit.label)),
            to_base(activity.quantity, unit) * 1000.0,
            "kg",
        )
        work.masses.append((gas, kg, False))
        return
    if not activity.factor_overrides:
        work.fail(
            f"nguồn «{activity.source_type.label}» cần khối lượng khí phát thải (cột khí) "
            "hoặc hệ số phát thải (kg khí trên một đơn vị số liệu hoạt động) kèm nguồn",
            "factor_overrides",
        )
        return
    for raw_gas, factor in activity.factor_overrides.items():
        gas = normalize_gas(raw_gas)
        if not _gwp_for(gas, activity, tables, work, "factor_overrides"):
            continue
        work.factors.append(
            FactorUse(
                f"Hệ số phát thải {gas} — {activity.source_type.label}",
                factor,
                f"kg/{activity.unit.strip()}",
                f"hệ số riêng: {activity.factor_source.strip()}",
            )
        )
        kg = work.step(
            f"Phát thải {gas}",
            f"{fmt(activity.quantity)} {activity.unit.strip()} × {fmt(factor)} kg/{activity.unit.strip()}",
            activity.quantity * factor,
            "kg",
        )
        work.masses.append((gas, kg, False))


def _finish(activity: ActivityInput, gwp_set: GwpSet, tables: FactorTables, work: _Work) -> EmissionResult:
    gases: list[GasAmount] = []
    terms: list[str] = []
    used_gwp: set[str] = set()
    for gas, kg, biogenic in work.masses:
        gwp = tables.gwp_of(gas, gwp_set)
        if gwp is None:
            custom = activity.custom_gas
            assert custom is not None  # checked by _gwp_for
            gwp = custom.gwp
            if gas not in used_gwp:
                work.factors.append(FactorUse(f"GWP {gas}", gwp, "", f"do cơ sở khai báo: {custom.source}"))
        elif gas not in used_gwp and gas != CO2:
            work.factors.append(
                FactorUse(f"GWP {gas} ({gwp_set.value})", gwp, "", tables.gwp[gas].sources[gwp_set], "H")
            )
        used_gwp.add(gas)
        gases.append(GasAmount(gas, kg, gwp, kg * gwp, biogenic))
        if not biogenic:
            terms.append(fmt(kg) if gwp == 1 else f"{fmt(kg)} × {fmt(gwp)}")
    total_kg = sum(g.co2e_kg for g in gases if not g.biogenic)
    biogenic_t = sum(g.mass_kg for g in gases if g.biogenic) / 1000.0
    work.step(
        f"Quy đổi CO2 tương đương ({gwp_set.value})", " + ".join(terms) if terms else "0", total_kg, "kg CO2e"
    )
    total_t = work.step("Tổng phát thải", f"{fmt(total_kg)} kg ÷ 1.000", total_kg / 1000.0, "tCO2e")
    scope = Scope.DIRECT if activity.source_type.is_direct else Scope.INDIRECT
    return EmissionResult(
        activity=activity,
        gwp_set=gwp_set,
        scope=scope,
        energy_tj=work.energy_tj,
        gases=tuple(gases),
        total_co2e_t=total_t,
        biogenic_co2_t=biogenic_t,
        factors=tuple(work.factors),
        steps=tuple(work.steps),
        tables_version=tables.version,
    )


@dataclass(frozen=True)
class BatchResult:
    """Results of many activities; ``results[i]`` is None where ``problems`` name row ``i + first_row``."""

    results: tuple[EmissionResult | None, ...]
    problems: tuple[Problem, ...]

    @property
    def total_co2e_t(self) -> float:
        return sum(r.total_co2e_t for r in self.results if r is not None)

    @property
    def biogenic_co2_t(self) -> float:
        return sum(r.biogenic_co2_t for r in self.results if r is not None)

    def total_by_scope(self) -> dict[Scope, float]:
        out = dict.fromkeys(Scope, 0.0)
        for result in self.results:
            if result is not None:
                out[result.scope] += result.total_co2e_t
        return out


def calculate_many(
    activities: Sequence[ActivityInput] | Iterable[ActivityInput],
    *,
    gwp_set: GwpSet,
    tables: FactorTables | None = None,
    first_row: int = 1,
) -> BatchResult:
    """Calculate every activity; a bad one does not stop the others. Problems carry the row number."""
    tables = tables or default_tables()
    results: list[EmissionResult | None] = []
    problems: list[Problem] = []
    for row, activity in enumerate(activities, start=first_row):
        try:
            results.append(calculate(activity, gwp_set=gwp_set, tables=tables))
        except CalculationError as exc:
            results.append(None)
            problems.extend(
                Problem(p.message, row=row, column=p.column, source=p.source) for p in exc.problems
            )
    return BatchResult(tuple(results), tuple(problems))
