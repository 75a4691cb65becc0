"""Plain data of the GHG calculation core: source types, sectors, GWP sets, inputs and results (no Django)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum, StrEnum
from typing import Any

from xanh.core.errors import Problem, ValidationFailed


class SourceType(StrEnum):
    """The eight source types of TT 38/2023/TT-BCT Art. 16 (ghg.md §3): six direct, two indirect."""

    STATIONARY_COMBUSTION = "stationary_combustion"
    MOBILE_COMBUSTION = "mobile_combustion"
    PROCESS = "process"
    FUGITIVE = "fugitive"
    REFRIGERANT = "refrigerant"
    WASTE = "waste"
    PURCHASED_ELECTRICITY = "purchased_electricity"
    PURCHASED_HEAT = "purchased_heat"

    @property
    def label(self) -> str:
        return SOURCE_TYPE_LABELS[self]

    @property
    def is_direct(self) -> bool:
        return self not in (SourceType.PURCHASED_ELECTRICITY, SourceType.PURCHASED_HEAT)

    @property
    def is_combustion(self) -> bool:
        return self in (SourceType.STATIONARY_COMBUSTION, SourceType.MOBILE_COMBUSTION)


SOURCE_TYPE_LABELS: dict[SourceType, str] = {
    SourceType.STATIONARY_COMBUSTION: "Đốt nhiên liệu tại nguồn cố định",
    SourceType.MOBILE_COMBUSTION: "Đốt nhiên liệu của phương tiện vận tải",
    SourceType.PROCESS: "Quá trình công nghiệp",
    SourceType.FUGITIVE: "Phát tán (rò rỉ)",
    SourceType.REFRIGERANT: "Môi chất lạnh",
    SourceType.WASTE: "Xử lý chất thải",
    SourceType.PURCHASED_ELECTRICITY: "Điện mua vào",
    SourceType.PURCHASED_HEAT: "Nhiệt, hơi nước mua vào",
}


class Scope(int, Enum):
    DIRECT = 1
    INDIRECT = 2

    @property
    def label(self) -> str:
        return "Phát thải trực tiếp" if self is Scope.DIRECT else "Phát thải gián tiếp"


class CombustionSector(StrEnum):
    """Which IPCC 2006 Vol. 2 Ch. 2 table gives the stationary CH4/N2O factors (ghg.md §5)."""

    ENERGY_INDUSTRIES = "energy_industries"
    MANUFACTURING = "manufacturing"
    COMMERCIAL = "commercial"
    RESIDENTIAL = "residential"

    @property
    def label(self) -> str:
        return SECTOR_LABELS[self]

    @property
    def ipcc_table(self) -> str:
        return SECTOR_TABLES[self]


SECTOR_LABELS: dict[CombustionSector, str] = {
    CombustionSector.ENERGY_INDUSTRIES: "Công nghiệp năng lượng",
    CombustionSector.MANUFACTURING: "Công nghiệp chế biến, chế tạo và xây dựng",
    CombustionSector.COMMERCIAL: "Thương mại, dịch vụ, cơ quan",
    CombustionSector.RESIDENTIAL: "Dân dụng",
}
SECTOR_TABLES: dict[CombustionSector, str] = {
    CombustionSector.ENERGY_INDUSTRIES: "Bảng 2.2",
    CombustionSector.MANUFACTURING: "Bảng 2.3",
    CombustionSector.COMMERCIAL: "Bảng 2.4",
    CombustionSector.RESIDENTIAL: "Bảng 2.5",
}


class GwpSet(StrEnum):
    """100-year global warming potentials (ghg.md §3.1). Which set Vietnam mandates is not known, so the set is
    chosen per inventory and stored with every result."""

    AR4 = "AR4"
    AR5 = "AR5"

    @property
    def label(self) -> str:
        return "IPCC AR4 (CH4 25, N2O 298)" if self is GwpSet.AR4 else "IPCC AR5 (CH4 28, N2O 265)"


CO2 = "CO2"
CH4 = "CH4"
N2O = "N2O"
SF6 = "SF6"
COMBUSTION_GASES = (CO2, CH4, N2O)


class CalculationError(ValidationFailed):
    """An activity cannot be calculated; ``problems`` say which field is wrong, in Vietnamese."""


@dataclass(frozen=True)
class CustomGas:
    """A gas outside the built-in GWP table (e.g. an HFC refrigerant): its GWP must come with its source."""

    name: str
    gwp: float
    source: str


@dataclass(frozen=True)
class ActivityInput:
    """One line of activity data.

    Combustion: ``fuel`` (a key of the fuel table), ``quantity`` in a mass, volume (with ``density_kg_per_l``) or
    energy unit; ``sector`` picks the stationary CH4/N2O table. ``factor_overrides`` (kg/TJ, per gas) replace
    IPCC defaults with an approved facility or national factor (TT 38/2023 Art. 18 hierarchy) and need
    ``factor_source``.
    Electricity: ``quantity`` in kWh/MWh/GWh, factor of the same ``year`` (never an unofficial estimate).
    Process, fugitive, refrigerant, waste, purchased heat: either ``gas`` (the quantity IS the mass of that gas,
    e.g. refrigerant leaked) or ``factor_overrides`` in kg of gas per entered unit with ``factor_source``.
    """

    source_type: SourceType
    year: int
    quantity: float
    unit: str
    fuel: str | None = None
    sector: CombustionSector | None = None
    density_kg_per_l: float | None = None
    factor_overrides: Mapping[str, float] = field(default_factory=dict)
    factor_source: str = ""
    gas: str | None = None
    custom_gas: CustomGas | None = None
    label: str = ""

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "source_type": self.source_type.value,
            "year": self.year,
            "quantity": self.quantity,
            "unit": self.unit,
        }
        if self.fuel:
            data["fuel"] = self.fuel
        if self.sector is not None:
            data["sector"] = self.sector.value
        if self.density_kg_per_l is not None:
            data["density_kg_per_l"] = self.density_kg_per_l
        if self.factor_overrides:
            data["factor_overrides"] = dict(self.factor_overrides)
            data["factor_source"] = self.factor_source
        if self.gas:
            data["gas"] = self.gas
        if self.custom_gas is not None:
            data["custom_gas"] = {
                "name": self.custom_gas.name,
                "gwp": self.custom_gas.gwp,
                "source": self.custom_gas.source,
            }
        if self.label:
            data["label"] = self.label
        return data


@dataclass(frozen=True)
class FactorUse:
    """A factor used in a calculation, with the document or table it comes from."""

    name: str
    value: float
    unit: str
    source: str
    confidence: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "value": self.value,
            "unit": self.unit,
            "source": self.source,
            "confidence": self.confidence,
        }


@dataclass(frozen=True)
class TrailStep:
    """One intermediate value, with the arithmetic written out in Vietnamese number format."""

    label: str
    expression: str
    value: float
    unit: str

    def to_dict(self) -> dict[str, Any]:
        return {"label": self.label, "expression": self.expression, "value": self.value, "unit": self.unit}


@dataclass(frozen=True)
class GasAmount:
    gas: str
    mass_kg: float
    gwp: float
    co2e_kg: float
    biogenic: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "gas": self.gas,
            "mass_kg": self.mass_kg,
            "gwp": self.gwp,
            "co2e_kg": self.co2e_kg,
            "biogenic": self.biogenic,
        }


@dataclass(frozen=True)
class EmissionResult:
    """The emissions of one activity and how they were obtained.

    ``total_co2e_t`` is what counts in the facility total; biogenic CO2 of biomass is in ``biogenic_co2_t`` only
    (ghg.md §5: report separately). CH4 and N2O from biomass do count.
    """

    activity: ActivityInput
    gwp_set: GwpSet
    scope: Scope
    energy_tj: float | None
    gases: tuple[GasAmount, ...]
    total_co2e_t: float
    biogenic_co2_t: float
    factors: tuple[FactorUse, ...]
    steps: tuple[TrailStep, ...]
    tables_version: str

    def gas_kg(self, gas: str, *, biogenic: bool | None = None) -> float:
        return sum(
            g.mass_kg for g in self.gases if g.gas == gas and (biogenic is None or g.biogenic == biogenic)
        )

    @property
    def other_gases_co2e_kg(self) -> float:
        """CO2e of gases other than CO2, CH4 and N2O (SF6, HFCs...)."""
        return sum(g.co2e_kg for g in self.gases if g.gas not in COMBUSTION_GASES)

    def to_dict(self) -> dict[str, Any]:
        return {
            "activity": self.activity.to_dict(),
            "gwp_set": self.gwp_set.value,
            "scope": self.scope.value,
            "energy_TJ": self.energy_tj,
            "gases": [g.to_dict() for g in self.gases],
            "total_tCO2e": self.total_co2e_t,
            "biogenic_tCO2": self.biogenic_co2_t,
            "factors": [f.to_dict() for f in self.factors],
            "steps": [s.to_dict() for s in self.steps],
            "tables_version": self.tables_version,
        }


def problem(message: str, column: str, row: int | None = None) -> Problem:
    return Problem(message, row=row, column=column)
