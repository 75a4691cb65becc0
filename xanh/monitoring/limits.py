"""Ambient limits of QCVN 05:2023/BTNMT and exceedance runs (pure).

QCVN 05:2023/BTNMT, issued by Thông tư 01/2023/TT-BTNMT (13/03/2023), in force 12/09/2023 (vn-aqi.md §8).
Units µg/Nm³ (25 °C, 760 mmHg); ambient stations report µg/m³ at those conditions, so the values compare directly.
The PM2.5 24-hour limit is 50 µg/m³, and 45 µg/m³ from 01/01/2026.
Exceedances compare averages of the matching period with the limit; the VN_AQI categories are a separate scale.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Final

QCVN_05_2023: Final = "QCVN 05:2023/BTNMT"
PM25_24H_CHANGE: Final = date(2026, 1, 1)

# parameter -> averaging -> limit (µg/m³); PM2_5 24h is resolved by date in ambient_limit().
_AMBIENT: Final[dict[str, dict[str, float]]] = {
    "SO2": {"1h": 350.0, "24h": 125.0, "year": 50.0},
    "CO": {"1h": 30000.0, "8h": 10000.0},
    "NO2": {"1h": 200.0, "24h": 100.0, "year": 40.0},
    "O3": {"1h": 200.0, "8h": 120.0},
    "TSP": {"1h": 300.0, "24h": 200.0, "year": 100.0},
    "PM10": {"24h": 100.0, "year": 50.0},
    "PM2_5": {"24h": 50.0, "year": 25.0},
}


def ambient_limit(parameter: str, averaging: str, on: date) -> float | None:
    """The QCVN 05:2023 limit of a parameter for an averaging period ("1h", "8h", "24h", "year") on a date."""
    if parameter == "PM2_5" and averaging == "24h" and on >= PM25_24H_CHANGE:
        return 45.0
    return _AMBIENT.get(parameter, {}).get(averaging)


def ambient_averagings(parameter: str) -> tuple[str, ...]:
    return tuple(_AMBIENT.get(parameter, {}))


@dataclass(frozen=True, slots=True)
class Period:
    start: datetime
    end: datetime
    value: float | None
    limit: float | None


@dataclass(frozen=True, slots=True)
class Run:
    """Consecutive periods above their limit."""

    start: datetime
    end: datetime
    periods: int
    peak_value: float
    peak_at: datetime  # end of the period with the peak
    limit: float  # the limit at the peak (limits can change inside a run, e.g. PM2.5 on 01/01/2026)


def exceedance_runs(periods: Iterable[Period]) -> list[Run]:
    """Group periods (in time order) whose value exceeds its limit into runs. A run breaks at a period that does
    not exceed, has no value, or does not start where the previous one ended (a gap in the data)."""
    runs: list[Run] = []
    current: list[Period] = []

    def close() -> None:
        if current:
            peak = max(current, key=lambda p: p.value or 0.0)
            assert peak.value is not None and peak.limit is not None
            runs.append(
                Run(current[0].start, current[-1].end, len(current), peak.value, peak.end, peak.limit)
            )
            current.clear()

    for period in periods:
        exceeds = period.value is not None and period.limit is not None and period.value > period.limit
        if not exceeds:
            close()
            continue
        if current and current[-1].end != period.start:
            close()
        current.append(period)
    close()
    return runs
