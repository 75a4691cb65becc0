"""Settings of the automatic QA checks.

No QA/QC acceptance rules for automatic-station data are known (monitoring-data.md §4: only the laboratory QA/QC
chapter of TT 10/2021 is), so every threshold here is Xanh's documented choice, configurable per deployment and
overridable per station parameter in the station registry.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Final


@dataclass(frozen=True, slots=True)
class RangeRule:
    """Plausible values of a parameter: readings outside [low, high] are device faults, not pollution."""

    low: float
    high: float

    def __post_init__(self) -> None:
        if not self.low < self.high:
            raise ValueError(
                f"khoảng hợp lý [{self.low}, {self.high}] không hợp lệ: cận dưới phải nhỏ hơn cận trên"
            )


# Ambient stations, µg/m³ (CO too, as VN_AQI uses; vn-aqi.md §2), °C and %. The upper bounds are the measuring
# ranges of common analysers, well above the top VN_AQI breakpoints (vn-aqi-breakpoints.csv); a negative
# concentration is a fault.
AMBIENT_RANGES: Final[Mapping[str, RangeRule]] = MappingProxyType(
    {
        "PM2_5": RangeRule(0.0, 1000.0),
        "PM10": RangeRule(0.0, 2000.0),
        "TSP": RangeRule(0.0, 5000.0),
        "O3": RangeRule(0.0, 2000.0),
        "CO": RangeRule(0.0, 150000.0),
        "SO2": RangeRule(0.0, 5000.0),
        "NO2": RangeRule(0.0, 5000.0),
        "NO": RangeRule(0.0, 5000.0),
        "NOx": RangeRule(0.0, 8000.0),
        "Temp": RangeRule(-5.0, 50.0),  # Vietnam's recorded extremes lie within this range
        "RH": RangeRule(0.0, 100.0),
    }
)

# Stack (emission) stations, mg/Nm³ for pollutants, % for O2, °C, m³/h.
STACK_RANGES: Final[Mapping[str, RangeRule]] = MappingProxyType(
    {
        "PM": RangeRule(0.0, 5000.0),
        "SO2": RangeRule(0.0, 10000.0),
        "NOx": RangeRule(0.0, 5000.0),
        "NO": RangeRule(0.0, 5000.0),
        "NO2": RangeRule(0.0, 5000.0),
        "CO": RangeRule(0.0, 10000.0),
        "H2S": RangeRule(0.0, 1000.0),
        "NH3": RangeRule(0.0, 1000.0),
        "O2": RangeRule(0.0, 21.0),
        "Temp": RangeRule(0.0, 1200.0),
        "Flow": RangeRule(0.0, 10_000_000.0),
        "P": RangeRule(-50.0, 50.0),
    }
)


@dataclass(frozen=True, slots=True)
class QaConfig:
    ranges: Mapping[str, RangeRule] = field(default_factory=lambda: AMBIENT_RANGES)
    # A flat line: consecutive status-00 readings that do not change (within the tolerance) for at least this long.
    # A real analyser's last digit moves within minutes; two hours of an unchanged value means a stuck sensor.
    flatline_minutes: int = 120
    flatline_min_readings: int = 6
    flatline_tolerance: float = 0.0
    # Parameters exempt from the flat-line check (e.g. RH stays at 100 % in rain). Per deployment.
    flatline_exempt: frozenset[str] = frozenset({"RH"})
    # Spikes (Hampel filter): a reading further than `spike_mads` scaled median absolute deviations from the median
    # of its neighbours (`spike_half_window` on each side), and by more than `spike_min_relative` × that median and
    # `spike_min_absolute`, is an isolated spike. A real episode lasts longer than the half window and moves the
    # median with it, so it is not flagged.
    spike_half_window: int = 6
    spike_mads: float = 6.0
    spike_min_relative: float = 1.0
    spike_min_absolute: float = 10.0

    def __post_init__(self) -> None:
        if self.flatline_minutes <= 0 or self.flatline_min_readings < 2:
            raise ValueError("flatline_minutes phải > 0 và flatline_min_readings phải ≥ 2")
        if self.spike_half_window < 2 or self.spike_mads <= 0:
            raise ValueError("spike_half_window phải ≥ 2 và spike_mads phải > 0")

    def range_for(self, parameter: str) -> RangeRule | None:
        return self.ranges.get(parameter)


DEFAULT_AMBIENT = QaConfig()
DEFAULT_STACK = QaConfig(ranges=STACK_RANGES, spike_min_absolute=50.0)
