"""From readings to hourly means to hourly and daily VN_AQI: the pure reference path for one station.

Time is naive local time (Vietnam, UTC+7, no daylight saving). An hour is labelled by its end (vn-aqi.md §5.4):
the hourly mean labelled 10:00 covers readings after 09:00 up to and including 10:00, because a datalogger stamps a
reading with the time its averaging interval ends. A day D covers the hours labelled D 01:00 … D+1 00:00.

This path is the executable specification; vectorized.py computes the same numbers for a whole year at once and the
tests check that they agree.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from datetime import date, datetime, timedelta

from .config import DEFAULT_CONFIG, AqiConfig
from .index import (
    NOWCAST_HOURS,
    AqiResult,
    DailyInput,
    HourlyInput,
    daily_aqi,
    hourly_aqi,
    is_valid_concentration,
)
from .tables import CO, NO2, O3, PM2_5, PM10, SO2

HOUR = timedelta(hours=1)

# parameter -> hour end -> hourly mean (µg/m³)
HourlySeries = Mapping[str, Mapping[datetime, float]]


def hour_end(moment: datetime) -> datetime:
    """The label of the hour a reading belongs to: the next full hour, or the moment itself if it is a full hour."""
    floor = moment.replace(minute=0, second=0, microsecond=0)
    return floor if floor == moment else floor + HOUR


def day_of(hour_label: datetime) -> date:
    """The day an hourly mean belongs to (the hour labelled 00:00 closes the previous day)."""
    return (hour_label - HOUR).date()


def hours_of_day(day: date) -> list[datetime]:
    start = datetime(day.year, day.month, day.day)
    return [start + HOUR * k for k in range(1, 25)]


def min_readings_per_hour(interval_seconds: int, config: AqiConfig = DEFAULT_CONFIG) -> int:
    expected = max(1, 3600 // interval_seconds)
    return max(1, math.ceil(expected * config.min_hour_coverage - 1e-9))


def hourly_means(
    readings: Iterable[tuple[datetime, float]],
    *,
    interval_seconds: int = 300,
    config: AqiConfig = DEFAULT_CONFIG,
) -> dict[datetime, float]:
    """Hourly means of valid readings (already filtered to status 00 and QA-valid by the caller).

    An hour needs `config.min_hour_coverage` of the readings expected at the station's reporting interval.
    """
    sums: dict[datetime, float] = {}
    counts: dict[datetime, int] = {}
    for moment, value in readings:
        if not is_valid_concentration(value):
            continue
        label = hour_end(moment)
        sums[label] = sums.get(label, 0.0) + value
        counts[label] = counts.get(label, 0) + 1
    needed = min_readings_per_hour(interval_seconds, config)
    return {label: sums[label] / n for label, n in counts.items() if n >= needed}


def hourly_input_at(series: HourlySeries, label: datetime) -> HourlyInput:
    def last_12(parameter: str) -> list[float | None]:
        values = series.get(parameter, {})
        return [values.get(label - HOUR * k) for k in range(NOWCAST_HOURS)]

    def current(parameter: str) -> float | None:
        return series.get(parameter, {}).get(label)

    return HourlyInput(
        pm2_5=last_12(PM2_5),
        pm10=last_12(PM10),
        o3=current(O3),
        co=current(CO),
        so2=current(SO2),
        no2=current(NO2),
    )


def _mean_if_complete(values: list[float], needed: int) -> float | None:
    if len(values) < needed:
        return None
    total = 0.0
    for v in values:
        total += v
    return total / len(values)


def _max_if_complete(values: list[float], needed: int) -> float | None:
    return max(values) if len(values) >= needed else None


def o3_8h_means(
    o3: Mapping[datetime, float], day: date, config: AqiConfig = DEFAULT_CONFIG
) -> list[float | None]:
    """The 24 rolling 8-h O3 means ending at each hour of the day (vn-aqi.md §5.4)."""
    result: list[float | None] = []
    for label in hours_of_day(day):
        window = [o3[label - HOUR * k] for k in range(8) if (label - HOUR * k) in o3]
        result.append(_mean_if_complete(window, config.min_hours_8h))
    return result


def daily_input_for(series: HourlySeries, day: date, config: AqiConfig = DEFAULT_CONFIG) -> DailyInput:
    hours = hours_of_day(day)

    def values(parameter: str) -> list[float]:
        data = series.get(parameter, {})
        return [data[h] for h in hours if h in data]

    eight_hour = [v for v in o3_8h_means(series.get(O3, {}), day, config) if v is not None]
    return DailyInput(
        pm2_5_24h=_mean_if_complete(values(PM2_5), config.min_hours_24h),
        pm10_24h=_mean_if_complete(values(PM10), config.min_hours_24h),
        o3_1h_max=_max_if_complete(values(O3), config.min_hours_daily_max),
        o3_8h_max=_max_if_complete(eight_hour, config.min_periods_8h_daily),
        co_1h_max=_max_if_complete(values(CO), config.min_hours_daily_max),
        so2_1h_max=_max_if_complete(values(SO2), config.min_hours_daily_max),
        no2_1h_max=_max_if_complete(values(NO2), config.min_hours_daily_max),
    )


def hourly_aqi_at(series: HourlySeries, label: datetime, config: AqiConfig = DEFAULT_CONFIG) -> AqiResult:
    return hourly_aqi(hourly_input_at(series, label), config)


def daily_aqi_for(series: HourlySeries, day: date, config: AqiConfig = DEFAULT_CONFIG) -> AqiResult:
    return daily_aqi(daily_input_for(series, day, config), config)


def covered_days(series: HourlySeries) -> list[date]:
    """Every day from the first to the last day that has an hourly mean of any parameter."""
    labels = [label for values in series.values() for label in values]
    if not labels:
        return []
    first, last = day_of(min(labels)), day_of(max(labels))
    return [first + timedelta(days=k) for k in range((last - first).days + 1)]


def station_aqi(
    series: HourlySeries, config: AqiConfig = DEFAULT_CONFIG
) -> tuple[dict[datetime, AqiResult], dict[date, AqiResult]]:
    """Hourly and daily AQI for every hour and day covered by the series (whole days)."""
    days = covered_days(series)
    hourly = {label: hourly_aqi_at(series, label, config) for day in days for label in hours_of_day(day)}
    daily = {day: daily_aqi_for(series, day, config) for day in days}
    return hourly, daily
