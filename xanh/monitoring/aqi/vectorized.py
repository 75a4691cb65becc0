"""Vectorised VN_AQI (numpy): hourly means, hourly and daily indices of a station for a whole period at once.

Same rules, same settings and the same numbers as the reference path (series.py, index.py); the tests check that
both agree on random data. Time is naive local time expressed as seconds since 1970-01-01 00:00 (as if UTC), so that
day and hour boundaries are local ones. Hour labels are "hour indices": hour index h labels the hour that ends at
h × 3600 s.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import numpy as np
from numpy.typing import NDArray

from .config import DEFAULT_CONFIG, AqiConfig
from .index import NOWCAST_HOURS, ROUND_TOLERANCE, SLOPES
from .series import HourlySeries, min_readings_per_hour
from .tables import (
    BREAKPOINTS,
    CO,
    HOURLY_COLUMN,
    INDEX_EDGES,
    NO2,
    O3,
    O3_1H,
    O3_8H,
    PARAMETERS,
    PM2_5,
    PM10,
    SO2,
)

FloatArray = NDArray[np.float64]
IntArray = NDArray[np.int64]

EPOCH = datetime(1970, 1, 1)
EPOCH_DAY = EPOCH.date()
NO_VALUE = -1  # in integer result arrays (aqi, dominant)


def to_seconds(moments: Iterable[datetime]) -> IntArray:
    """Naive local datetimes to int64 seconds since the epoch (as if UTC)."""
    return np.array([int((m - EPOCH).total_seconds()) for m in moments], dtype=np.int64)


def hour_label_datetime(hour_index: int) -> datetime:
    return EPOCH + timedelta(hours=int(hour_index))


def hour_index_of(label: datetime) -> int:
    return int((label - EPOCH).total_seconds()) // 3600


@dataclass(frozen=True, slots=True)
class HourlyGrid:
    """Hourly means of whole days. Element k is the hour labelled first_day 01:00 + k hours; NaN = no mean."""

    first_day: date
    means: dict[str, FloatArray]

    @property
    def n_hours(self) -> int:
        return next(iter(self.means.values())).shape[0] if self.means else 0

    @property
    def n_days(self) -> int:
        return self.n_hours // 24

    @property
    def first_hour_index(self) -> int:
        return (self.first_day - EPOCH_DAY).days * 24 + 1

    def hour_labels(self) -> list[datetime]:
        start = hour_label_datetime(self.first_hour_index)
        return [start + timedelta(hours=k) for k in range(self.n_hours)]

    def days(self) -> list[date]:
        return [self.first_day + timedelta(days=k) for k in range(self.n_days)]

    def get(self, parameter: str) -> FloatArray:
        found = self.means.get(parameter)
        return found if found is not None else np.full(self.n_hours, np.nan)


def _empty_grid() -> HourlyGrid:
    return HourlyGrid(first_day=EPOCH_DAY, means={})


def _trim(first_day_index: int, means: dict[str, FloatArray]) -> HourlyGrid:
    """Drop leading and trailing days that have no mean of any parameter (as series.covered_days does)."""
    if not means:
        return _empty_grid()
    any_value = np.zeros(next(iter(means.values())).shape[0], dtype=bool)
    for values in means.values():
        any_value |= np.isfinite(values)
    present_days = np.flatnonzero(any_value.reshape(-1, 24).any(axis=1))
    if present_days.size == 0:
        return _empty_grid()
    lo, hi = int(present_days[0]), int(present_days[-1]) + 1
    trimmed = {p: v[lo * 24 : hi * 24].copy() for p, v in means.items()}
    return HourlyGrid(first_day=EPOCH_DAY + timedelta(days=first_day_index + lo), means=trimmed)


def hourly_grid(
    readings: Mapping[str, tuple[IntArray, FloatArray]],
    *,
    interval_seconds: int = 300,
    config: AqiConfig = DEFAULT_CONFIG,
) -> HourlyGrid:
    """Hourly means from raw readings: parameter -> (times in seconds, values), already status/QA filtered."""
    hour_indices: dict[str, IntArray] = {}
    kept_values: dict[str, FloatArray] = {}
    lo: int | None = None
    hi: int | None = None
    for parameter, (times, values) in readings.items():
        values = np.asarray(values, dtype=np.float64)
        mask = np.isfinite(values) & (values >= 0.0)
        hours = -((-np.asarray(times, dtype=np.int64)[mask]) // 3600)
        hour_indices[parameter] = hours
        kept_values[parameter] = values[mask]
        if hours.size:
            first, last = int(hours.min()), int(hours.max())
            lo = first if lo is None else min(lo, first)
            hi = last if hi is None else max(hi, last)
    if lo is None or hi is None:
        return _empty_grid()
    first_day_index = (lo - 1) // 24
    last_day_index = (hi - 1) // 24
    n_hours = (last_day_index - first_day_index + 1) * 24
    first_hour = first_day_index * 24 + 1
    needed = min_readings_per_hour(interval_seconds, config)
    means: dict[str, FloatArray] = {}
    for parameter, hours in hour_indices.items():
        offsets = hours - first_hour
        sums = np.bincount(offsets, weights=kept_values[parameter], minlength=n_hours)
        counts = np.bincount(offsets, minlength=n_hours)
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = sums / counts
        mean[counts < needed] = np.nan
        means[parameter] = mean
    return _trim(first_day_index, means)


def grid_from_series(series: HourlySeries) -> HourlyGrid:
    """Hourly means already computed (e.g. stored rollups) laid out on a grid of whole days."""
    labels = [label for values in series.values() for label in values]
    if not labels:
        return _empty_grid()
    first_day_index = (hour_index_of(min(labels)) - 1) // 24
    last_day_index = (hour_index_of(max(labels)) - 1) // 24
    n_hours = (last_day_index - first_day_index + 1) * 24
    first_hour = first_day_index * 24 + 1
    means: dict[str, FloatArray] = {}
    for parameter, values in series.items():
        array = np.full(n_hours, np.nan)
        for label, value in values.items():
            array[hour_index_of(label) - first_hour] = value
        means[parameter] = array
    return _trim(first_day_index, means)


def sub_index_array(
    column: str, concentrations: FloatArray, config: AqiConfig = DEFAULT_CONFIG
) -> FloatArray:
    """Exact sub-indices (NaN = none), the array form of index.sub_index."""
    c = np.asarray(concentrations, dtype=np.float64)
    bps = np.array(BREAKPOINTS[column])
    slopes = np.array(SLOPES[column])
    edges = np.array(INDEX_EDGES[: bps.size])
    valid = np.isfinite(c) & (c >= 0.0)
    safe = np.where(valid, c, 0.0)
    band = np.clip(np.searchsorted(bps, safe, side="right") - 1, 0, bps.size - 2)
    out: FloatArray = slopes[band] * (safe - bps[band]) + edges[band]
    top = bps[-1]
    if column == O3_8H:
        out[safe == top] = edges[-1]
        out[safe > top] = np.nan
    elif config.above_top == "cap":
        out[safe >= top] = edges[-1]
    else:
        out[safe == top] = edges[-1]
    out[~valid] = np.nan
    return out


def _windows_newest_first(values: FloatArray, length: int) -> FloatArray:
    padded = np.concatenate([np.full(length - 1, np.nan), values])
    windows = np.lib.stride_tricks.sliding_window_view(padded, length)
    return np.ascontiguousarray(windows[:, ::-1])


def nowcast_array(hourly_means: FloatArray, config: AqiConfig = DEFAULT_CONFIG) -> FloatArray:
    """NowCast at every hour of an hourly series (NaN = no value), the array form of index.nowcast."""
    x = _windows_newest_first(np.asarray(hourly_means, dtype=np.float64), NOWCAST_HOURS)
    valid = np.isfinite(x) & (x >= 0.0)
    enough = valid[:, :3].sum(axis=1) >= 2
    c_max = np.where(valid, x, -np.inf).max(axis=1)
    c_min = np.where(valid, x, np.inf).min(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = c_min / c_max
    weight = np.where(ratio <= 0.5, 0.5, ratio)
    weight = np.where(np.isfinite(weight), weight, 1.0)
    exponents = np.arange(NOWCAST_HOURS, dtype=np.float64)
    powers = weight[:, None] ** exponents[None, :]
    xz = np.where(valid, x, 0.0)
    numerator = np.where(valid, powers * xz, 0.0).sum(axis=1)
    denominator = np.where(valid, powers, 0.0).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        result: FloatArray = numerator / denominator
    if not config.nowcast_normalise_half:
        halves = 0.5 ** (exponents + 1.0)
        literal = np.where(valid, halves[None, :] * xz, 0.0).sum(axis=1)
        result = np.where(weight == 0.5, literal, result)
    result = np.where(c_max == 0.0, 0.0, result)
    if config.nowcast_decimals is not None:
        scale = 10.0**config.nowcast_decimals
        result = np.floor(result * scale + 0.5 + ROUND_TOLERANCE) / scale
    result[~enough] = np.nan
    return result


@dataclass(frozen=True, slots=True)
class AqiArrays:
    """Hourly or daily results: `aqi` and `dominant` (index into tables.PARAMETERS) use -1 for "none"."""

    aqi: IntArray
    dominant: IntArray
    exact: dict[str, FloatArray]
    concentrations: dict[str, FloatArray]

    def dominant_name(self, k: int) -> str | None:
        index = int(self.dominant[k])
        return None if index < 0 else PARAMETERS[index]


def _combine(exact: dict[str, FloatArray], concentrations: dict[str, FloatArray]) -> AqiArrays:
    stacked = np.vstack([exact[p] for p in PARAMETERS])
    has_pm = np.isfinite(exact[PM2_5]) | np.isfinite(exact[PM10])
    filled = np.where(np.isfinite(stacked), stacked, -np.inf)
    dominant = filled.argmax(axis=0).astype(np.int64)
    best = filled.max(axis=0)
    safe_best = np.where(has_pm, best, 0.0)
    aqi = np.floor(safe_best + 0.5 + ROUND_TOLERANCE).astype(np.int64)
    aqi[~has_pm] = NO_VALUE
    dominant[~has_pm] = NO_VALUE
    return AqiArrays(aqi=aqi, dominant=dominant, exact=exact, concentrations=concentrations)


def hourly_aqi_grid(grid: HourlyGrid, config: AqiConfig = DEFAULT_CONFIG) -> AqiArrays:
    """AQI^h at every hour of the grid."""
    concentrations = {
        PM2_5: nowcast_array(grid.get(PM2_5), config),
        PM10: nowcast_array(grid.get(PM10), config),
    }
    for parameter in (O3, CO, SO2, NO2):
        values = grid.get(parameter)
        concentrations[parameter] = np.where(np.isfinite(values) & (values >= 0.0), values, np.nan)
    exact = {p: sub_index_array(HOURLY_COLUMN[p], concentrations[p], config) for p in PARAMETERS}
    return _combine(exact, concentrations)


def _daily_mean(values: FloatArray, needed: int) -> FloatArray:
    days = values.reshape(-1, 24)
    counts = np.isfinite(days).sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean: FloatArray = np.where(np.isfinite(days), days, 0.0).sum(axis=1) / counts
    mean[counts < needed] = np.nan
    return mean


def _daily_max(values: FloatArray, needed: int) -> FloatArray:
    days = values.reshape(-1, 24)
    finite = np.isfinite(days)
    result: FloatArray = np.where(finite, days, -np.inf).max(axis=1)
    result[finite.sum(axis=1) < needed] = np.nan
    return result


def o3_8h_array(o3: FloatArray, config: AqiConfig = DEFAULT_CONFIG) -> FloatArray:
    """Rolling 8-h O3 mean ending at every hour (NaN when fewer than `min_hours_8h` hours)."""
    windows = _windows_newest_first(np.asarray(o3, dtype=np.float64), 8)
    finite = np.isfinite(windows)
    counts = finite.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean: FloatArray = np.where(finite, windows, 0.0).sum(axis=1) / counts
    mean[counts < config.min_hours_8h] = np.nan
    return mean


def daily_inputs_grid(grid: HourlyGrid, config: AqiConfig = DEFAULT_CONFIG) -> dict[str, FloatArray]:
    """The aggregates of vn-aqi.md §5.4 for every day, keyed like the `daily` object of the JSON contract."""
    return {
        "PM2_5_24h": _daily_mean(grid.get(PM2_5), config.min_hours_24h),
        "PM10_24h": _daily_mean(grid.get(PM10), config.min_hours_24h),
        "O3_1h_max": _daily_max(grid.get(O3), config.min_hours_daily_max),
        "O3_8h_max": _daily_max(o3_8h_array(grid.get(O3), config), config.min_periods_8h_daily),
        "CO_1h_max": _daily_max(grid.get(CO), config.min_hours_daily_max),
        "SO2_1h_max": _daily_max(grid.get(SO2), config.min_hours_daily_max),
        "NO2_1h_max": _daily_max(grid.get(NO2), config.min_hours_daily_max),
    }


def daily_aqi_grid(grid: HourlyGrid, config: AqiConfig = DEFAULT_CONFIG) -> AqiArrays:
    """AQI^d for every day of the grid."""
    inputs = daily_inputs_grid(grid, config)
    o3_1h = sub_index_array(O3_1H, inputs["O3_1h_max"], config)
    o3_8h = sub_index_array(O3_8H, inputs["O3_8h_max"], config)
    o3 = np.fmax(o3_1h, o3_8h)
    exact = {
        PM2_5: sub_index_array(PM2_5, inputs["PM2_5_24h"], config),
        PM10: sub_index_array(PM10, inputs["PM10_24h"], config),
        O3: o3,
        CO: sub_index_array(CO, inputs["CO_1h_max"], config),
        SO2: sub_index_array(SO2, inputs["SO2_1h_max"], config),
        NO2: sub_index_array(NO2, inputs["NO2_1h_max"], config),
        O3_1H: o3_1h,
        O3_8H: o3_8h,
    }
    o3_from_1h = np.isfinite(o3) & (o3 == o3_1h)
    concentrations = {
        PM2_5: np.where(np.isfinite(exact[PM2_5]), inputs["PM2_5_24h"], np.nan),
        PM10: np.where(np.isfinite(exact[PM10]), inputs["PM10_24h"], np.nan),
        O3: np.where(np.isfinite(o3), np.where(o3_from_1h, inputs["O3_1h_max"], inputs["O3_8h_max"]), np.nan),
        CO: np.where(np.isfinite(exact[CO]), inputs["CO_1h_max"], np.nan),
        SO2: np.where(np.isfinite(exact[SO2]), inputs["SO2_1h_max"], np.nan),
        NO2: np.where(np.isfinite(exact[NO2]), inputs["NO2_1h_max"], np.nan),
    }
    return _combine(exact, concentrations)


def station_aqi_arrays(
    readings: Mapping[str, tuple[IntArray, FloatArray]],
    *,
    interval_seconds: int = 300,
    config: AqiConfig = DEFAULT_CONFIG,
) -> tuple[HourlyGrid, AqiArrays, AqiArrays]:
    """Raw readings of one station -> (hourly grid, hourly AQI, daily AQI)."""
    grid = hourly_grid(readings, interval_seconds=interval_seconds, config=config)
    if grid.n_hours == 0:
        empty_i = np.zeros(0, dtype=np.int64)
        empty = AqiArrays(aqi=empty_i, dominant=empty_i.copy(), exact={}, concentrations={})
        return grid, empty, empty
    return grid, hourly_aqi_grid(grid, config), daily_aqi_grid(grid, config)
