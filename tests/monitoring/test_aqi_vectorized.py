"""The vectorised VN_AQI path agrees with the pure reference path (hypothesis), and handles whole years."""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xanh.monitoring.aqi import AqiConfig, AqiResult, nowcast, sub_index
from xanh.monitoring.aqi.series import HourlySeries, hourly_means, station_aqi
from xanh.monitoring.aqi.tables import BREAKPOINTS, PARAMETERS
from xanh.monitoring.aqi.vectorized import (
    AqiArrays,
    HourlyGrid,
    daily_aqi_grid,
    grid_from_series,
    hourly_aqi_grid,
    hourly_grid,
    nowcast_array,
    station_aqi_arrays,
    sub_index_array,
    to_seconds,
)

SCALE = {"PM2_5": 120.0, "PM10": 250.0, "O3": 350.0, "CO": 40000.0, "SO2": 600.0, "NO2": 500.0}

CONFIGS = st.sampled_from(
    [
        AqiConfig(),
        AqiConfig(min_hours_24h=1, min_hours_daily_max=1, min_hours_8h=1, min_periods_8h_daily=1),
        AqiConfig(above_top="extrapolate", nowcast_normalise_half=False, nowcast_decimals=1),
        AqiConfig(min_hour_coverage=0.25),
    ]
)


def _assert_same(pure: AqiResult, arrays: AqiArrays, k: int, where: object) -> None:
    expected_aqi = -1 if pure.aqi is None else pure.aqi
    assert int(arrays.aqi[k]) == expected_aqi, where
    for parameter in PARAMETERS:
        exact = pure.exact[parameter]
        vector = float(arrays.exact[parameter][k])
        if exact is None:
            assert math.isnan(vector), (where, parameter)
        else:
            assert vector == pytest.approx(exact, rel=1e-9, abs=1e-9), (where, parameter)
    if pure.dominant is not None:
        values = sorted((v for v in pure.exact.values() if v is not None), reverse=True)
        clear_winner = len(values) < 2 or values[0] - values[1] > 1e-6
        if clear_winner:
            assert arrays.dominant_name(k) == pure.dominant, where
    else:
        assert arrays.dominant_name(k) is None


def _compare_series(series: HourlySeries, grid: HourlyGrid, config: AqiConfig) -> None:
    pure_hourly, pure_daily = station_aqi(series, config)
    assert grid.days() == list(pure_daily)
    assert grid.hour_labels() == list(pure_hourly)
    hourly = hourly_aqi_grid(grid, config)
    daily = daily_aqi_grid(grid, config)
    for k, label in enumerate(grid.hour_labels()):
        _assert_same(pure_hourly[label], hourly, k, label)
    for k, day in enumerate(grid.days()):
        _assert_same(pure_daily[day], daily, k, day)


@st.composite
def hourly_series(draw: st.DrawFn) -> HourlySeries:
    """Hourly means over a few days with gaps; values rounded to 0.1 like datalogger output."""
    n_days = draw(st.integers(1, 3))
    start = datetime(2025, 1, 1) + timedelta(days=draw(st.integers(0, 400)), hours=draw(st.integers(1, 24)))
    parameters = draw(st.sets(st.sampled_from(PARAMETERS), min_size=1))
    seed = draw(st.integers(0, 2**32 - 1))
    gap = draw(st.sampled_from([0.0, 0.05, 0.3, 0.7]))
    rng = np.random.default_rng(seed)
    n = n_days * 24
    series: dict[str, dict[datetime, float]] = {}
    for parameter in sorted(parameters):
        values = np.round(rng.gamma(2.0, SCALE[parameter] / 2.0, n), 1)
        keep = rng.random(n) >= gap
        series[parameter] = {start + timedelta(hours=k): float(values[k]) for k in range(n) if keep[k]}
    return {p: v for p, v in series.items() if v}


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(hourly_series(), CONFIGS)
def test_vectorised_and_pure_agree_on_hourly_means(series: HourlySeries, config: AqiConfig) -> None:
    _compare_series(series, grid_from_series(series), config)


@st.composite
def raw_readings(draw: st.DrawFn) -> dict[str, list[tuple[datetime, float]]]:
    """5-minute readings over one or two days with gaps, outages and occasional invalid values."""
    n_days = draw(st.integers(1, 2))
    start = datetime(2025, 6, 1) + timedelta(minutes=5 * draw(st.integers(0, 600)))
    parameters = draw(st.sets(st.sampled_from(PARAMETERS), min_size=1, max_size=4))
    seed = draw(st.integers(0, 2**32 - 1))
    gap = draw(st.sampled_from([0.0, 0.2, 0.5]))
    rng = np.random.default_rng(seed)
    n = n_days * 288
    readings: dict[str, list[tuple[datetime, float]]] = {}
    for parameter in sorted(parameters):
        values = np.round(rng.gamma(2.0, SCALE[parameter] / 2.0, n), 1)
        values[rng.random(n) < 0.01] = -1.0  # invalid, ignored by both paths
        keep = rng.random(n) >= gap
        readings[parameter] = [
            (start + timedelta(minutes=5 * k), float(values[k])) for k in range(n) if keep[k]
        ]
    return readings


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw_readings(), CONFIGS)
def test_vectorised_and_pure_agree_from_raw_readings(
    readings: dict[str, list[tuple[datetime, float]]], config: AqiConfig
) -> None:
    series = {p: hourly_means(r, config=config) for p, r in readings.items()}
    series = {p: v for p, v in series.items() if v}
    arrays = {
        p: (to_seconds(m for m, _ in r), np.array([v for _, v in r], dtype=np.float64))
        for p, r in readings.items()
    }
    grid = hourly_grid(arrays, config=config)
    if not series:
        assert grid.n_hours == 0
        return
    for parameter, values in series.items():
        column = grid.get(parameter)
        for label, mean in values.items():
            k = grid.hour_labels().index(label)
            assert column[k] == pytest.approx(mean, rel=1e-12)
    _compare_series(series, grid, config)


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(sorted(BREAKPOINTS)),
    st.lists(st.one_of(st.floats(-10, 200000), st.just(math.nan)), min_size=1, max_size=30),
    st.sampled_from([AqiConfig(), AqiConfig(above_top="extrapolate")]),
)
def test_sub_index_array_matches_scalar(column: str, values: list[float], config: AqiConfig) -> None:
    array = sub_index_array(column, np.array(values), config)
    for value, got in zip(values, array, strict=True):
        expected = sub_index(column, value, config)
        if expected is None:
            assert math.isnan(got)
        else:
            assert got == expected  # bit-identical: same slopes, same formula


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.none(), st.floats(0, 600).map(lambda v: round(v, 1))), min_size=1, max_size=40))
def test_nowcast_array_matches_scalar(values: list[float | None]) -> None:
    hourly = np.array([math.nan if v is None else v for v in values])
    array = nowcast_array(hourly)
    for k in range(len(values)):
        window = [values[k - i] if k - i >= 0 else None for i in range(12)]
        expected = nowcast(window)
        if expected is None:
            assert math.isnan(array[k])
        else:
            assert array[k] == pytest.approx(expected, rel=1e-12)


def test_station_year_shapes_and_values() -> None:
    start = datetime(2025, 1, 1, 0, 5)
    n = 365 * 288
    rng = np.random.default_rng(7)
    times = to_seconds([start]) + np.arange(n, dtype=np.int64) * 300
    readings = {
        "PM2_5": (times, rng.gamma(2.0, 20.0, n)),
        "O3": (times, rng.gamma(2.0, 40.0, n)),
    }
    grid, hourly, daily = station_aqi_arrays(readings)
    assert grid.first_day == date(2025, 1, 1)
    assert grid.n_days == 365  # the last reading, 1 Jan 2026 00:00, closes the hour labelled 00:00 of 31 Dec
    assert hourly.aqi.shape == (grid.n_hours,)
    assert daily.aqi.shape == (grid.n_days,)
    assert (daily.aqi > 0).all()
    assert hourly.aqi[0] == -1  # NowCast needs two of the three newest hours


def test_empty_input() -> None:
    grid, hourly, daily = station_aqi_arrays({})
    assert grid.n_hours == 0 and hourly.aqi.size == 0 and daily.aqi.size == 0
    assert grid_from_series({}).n_hours == 0
