"""Units of monitoring data: spelling variants and conversions (pure).

The units per parameter symbol of TT 10/2021 Bảng 34 are not known (monitoring-data.md §4), so a station declares
the unit of each parameter and incoming values are converted to it when the conversion is unambiguous:
mass concentrations (mg ↔ µg per m³ or per Nm³) and, for the gases of VN_AQI, ppm/ppb ↔ µg/m³ at 25 °C and
760 mmHg, the reference conditions of QCVN 05:2023/BTNMT (vn-aqi.md §8): µg/m³ = ppb × M / 24.45.
"""

from __future__ import annotations

from typing import Final

# Spellings met in datalogger exports -> canonical spelling. Lookup keys are lower-case without spaces.
_ALIASES: Final[dict[str, str]] = {
    "ug/m3": "µg/m3",
    "µg/m3": "µg/m3",
    "μg/m3": "µg/m3",  # Greek mu (U+03BC) instead of the micro sign (U+00B5)
    "ug/m³": "µg/m3",
    "µg/m³": "µg/m3",
    "μg/m³": "µg/m3",
    "ug/nm3": "µg/Nm3",
    "µg/nm3": "µg/Nm3",
    "μg/nm3": "µg/Nm3",
    "mg/m3": "mg/m3",
    "mg/m³": "mg/m3",
    "mg/nm3": "mg/Nm3",
    "mg/nm³": "mg/Nm3",
    "ppm": "ppm",
    "ppb": "ppb",
    "%": "%",
    "%vol": "%",
    "oc": "°C",
    "°c": "°C",
    "degc": "°C",
    "m3/h": "m3/h",
    "m³/h": "m3/h",
    "nm3/h": "Nm3/h",
    "m3/s": "m3/s",
    "mg/l": "mg/L",
    "pt-co": "Pt-Co",
    "ntu": "NTU",
    "kpa": "kPa",
    "hpa": "hPa",
    "pa": "Pa",
    "m/s": "m/s",
    "-": "",
}

# Molar masses (g/mol) of the gases whose ppm/ppb readings can be converted to µg/m³.
MOLAR_MASS: Final[dict[str, float]] = {
    "SO2": 64.066,
    "NO2": 46.0055,
    "NO": 30.006,
    "CO": 28.010,
    "O3": 47.997,
}
MOLAR_VOLUME_25C: Final = 24.45  # L/mol at 25 °C and 760 mmHg (QCVN 05:2023 reference conditions)

_MASS_FACTORS: Final[dict[str, tuple[str, float]]] = {
    # canonical unit -> (volume basis, factor to µg)
    "µg/m3": ("m3", 1.0),
    "mg/m3": ("m3", 1000.0),
    "µg/Nm3": ("Nm3", 1.0),
    "mg/Nm3": ("Nm3", 1000.0),
}


def normalise_unit(unit: str) -> str:
    """Canonical spelling of a unit; unknown units are returned stripped, unchanged otherwise."""
    key = unit.strip().replace(" ", "").lower()
    return _ALIASES.get(key, unit.strip())


class UnitMismatch(ValueError):
    pass


def conversion_factor(parameter: str, from_unit: str, to_unit: str) -> float:
    """Factor f with value_in_to_unit = f × value_in_from_unit. Raises UnitMismatch with a Vietnamese message."""
    source, target = normalise_unit(from_unit), normalise_unit(to_unit)
    if source == target:
        return 1.0
    if source in _MASS_FACTORS and target in _MASS_FACTORS:
        (basis_s, to_ug_s), (basis_t, to_ug_t) = _MASS_FACTORS[source], _MASS_FACTORS[target]
        if basis_s == basis_t:
            return to_ug_s / to_ug_t
    mass = MOLAR_MASS.get(parameter)
    if mass is not None and target in ("µg/m3", "mg/m3") and source in ("ppm", "ppb"):
        ppb = 1000.0 if source == "ppm" else 1.0
        return ppb * mass / MOLAR_VOLUME_25C / _MASS_FACTORS[target][1]
    if mass is not None and source in ("µg/m3", "mg/m3") and target in ("ppm", "ppb"):
        return 1.0 / conversion_factor(parameter, target, source)
    raise UnitMismatch(f"không đổi được đơn vị «{from_unit}» sang «{to_unit}» cho thông số {parameter}")
