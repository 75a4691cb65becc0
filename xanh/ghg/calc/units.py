"""Units of activity data and their conversions (pure).

Each unit belongs to one kind and converts to the base unit of that kind: tonnes (mass), litres (volume),
terajoules (energy content of fuel or heat) and megawatt-hours (electricity). The factors are SI prefixes and the
definitions 1 m³ = 1 000 L and 1 Wh = 3 600 J, so they need no other source.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from xanh.core.text import fold


class UnitKind(StrEnum):
    MASS = "mass"
    VOLUME = "volume"
    ENERGY = "energy"
    ELECTRICITY = "electricity"


BASE_UNIT = {
    UnitKind.MASS: "t",
    UnitKind.VOLUME: "L",
    UnitKind.ENERGY: "TJ",
    UnitKind.ELECTRICITY: "MWh",
}


@dataclass(frozen=True)
class Unit:
    code: str
    kind: UnitKind
    to_base: float  # multiply a quantity in this unit by this to get the base unit of its kind
    label: str


UNITS: dict[str, Unit] = {
    u.code: u
    for u in (
        Unit("kg", UnitKind.MASS, 1e-3, "kilôgam"),
        Unit("t", UnitKind.MASS, 1.0, "tấn"),
        Unit("kt", UnitKind.MASS, 1e3, "nghìn tấn"),
        Unit("L", UnitKind.VOLUME, 1.0, "lít"),
        Unit("kL", UnitKind.VOLUME, 1e3, "nghìn lít"),
        Unit("m3", UnitKind.VOLUME, 1e3, "mét khối"),
        Unit("MJ", UnitKind.ENERGY, 1e-6, "megajun"),
        Unit("GJ", UnitKind.ENERGY, 1e-3, "gigajun"),
        Unit("TJ", UnitKind.ENERGY, 1.0, "terajun"),
        Unit("kWh", UnitKind.ELECTRICITY, 1e-3, "kilôoát giờ"),
        Unit("MWh", UnitKind.ELECTRICITY, 1.0, "megaoát giờ"),
        Unit("GWh", UnitKind.ELECTRICITY, 1e3, "gigaoát giờ"),
    )
}

# Spellings seen in facility spreadsheets, folded (lower case, no diacritics, no spaces).
_ALIASES: dict[str, str] = {
    "kg": "kg",
    "kilogam": "kg",
    "kilogram": "kg",
    "t": "t",
    "tan": "t",
    "tonne": "t",
    "tonnes": "t",
    "ton": "t",
    "kt": "kt",
    "nghintan": "kt",
    "ngantan": "kt",
    "l": "L",
    "lit": "L",
    "litre": "L",
    "liter": "L",
    "kl": "kL",
    "nghinlit": "kL",
    "nganlit": "kL",
    "m3": "m3",
    "m³": "m3",
    "metkhoi": "m3",
    "khoi": "m3",
    "mj": "MJ",
    "gj": "GJ",
    "tj": "TJ",
    "kwh": "kWh",
    "mwh": "MWh",
    "gwh": "GWh",
    "sodien": "kWh",
    "nghinkwh": "MWh",
    "trieukwh": "GWh",
}


def parse_unit(raw: str) -> Unit | None:
    """The unit written as ``raw`` ("tấn", "Lít", "m³", "MWh"...), or None if unknown."""
    text = raw.strip()
    if text in UNITS:
        return UNITS[text]
    key = fold(text).replace(" ", "").replace("³", "3").replace(".", "")
    code = _ALIASES.get(key)
    return UNITS[code] if code else None


def to_base(quantity: float, unit: Unit) -> float:
    return quantity * unit.to_base


def from_base(quantity: float, unit: Unit) -> float:
    return quantity / unit.to_base


def convert(quantity: float, source: Unit, target: Unit) -> float:
    if source.kind is not target.kind:
        raise ValueError(f"không đổi được {source.label} sang {target.label}: khác loại đại lượng")
    return from_base(to_base(quantity, source), target)


def accepted_units(*kinds: UnitKind) -> str:
    """The unit codes of ``kinds``, for error messages."""
    return ", ".join(u.code for u in UNITS.values() if u.kind in kinds)
