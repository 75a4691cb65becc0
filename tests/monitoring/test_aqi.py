"""VN_AQI reference path: the worked examples of QĐ 1459/QĐ-TCMT (vn-aqi.md §6) and the rules of §5."""

from __future__ import annotations

import csv
import math
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xanh.monitoring.aqi import (
    CATEGORIES,
    AqiConfig,
    AqiInputError,
    DailyInput,
    HourlyInput,
    category_for,
    daily_aqi,
    hourly_aqi,
    nowcast,
    round_half_up,
    run,
    sub_index,
)
from xanh.monitoring.aqi.index import daily_o3_sub_index
from xanh.monitoring.aqi.series import (
    daily_input_for,
    day_of,
    hour_end,
    hourly_means,
    o3_8h_means,
    station_aqi,
)
from xanh.monitoring.aqi.tables import BREAKPOINTS, INDEX_EDGES

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared" / "domain"

# QĐ 1459 worked example (vn-aqi.md §6): PM2.5 hourly means 09:00 … 20:00; c1 = 20:00 is the newest.
EXAMPLE_PM25_OLDEST_FIRST = [26.9, 24.7, 20.5, 23.5, 19.5, 16.5, 19.0, 16.5, 20.3, 22.4, 19.6, 20.6]
EXAMPLE_PM25 = list(reversed(EXAMPLE_PM25_OLDEST_FIRST))


# --- worked examples of the decision ---------------------------------------------------------------------------


def test_nowcast_example_of_the_decision() -> None:
    value = nowcast(EXAMPLE_PM25)
    assert value is not None
    assert round(value, 2) == 20.27  # decision: 20.3 (exact 20.27); w = 16.5 / 26.9 = 0.61
    assert round(value, 1) == 20.3


def test_hourly_example_of_the_decision() -> None:
    result = hourly_aqi(HourlyInput(pm2_5=EXAMPLE_PM25, o3=136.1, no2=118.7))
    assert result.sub_indices["O3"] == 43  # exact 42.53
    assert result.exact["O3"] == pytest.approx(42.53, abs=0.005)
    assert (
        result.sub_indices["PM2_5"] == 41
    )  # 20.27 -> 40.53 (decision rounds NowCast to 20.3 -> 40.6); both 41
    # The decision publishes NO2 = 60 and AQI^h = 60, but its own formula gives 59.35 -> 59 (half up). This is a
    # documented inconsistency of QĐ 1459 (vn-aqi.md §6); Xanh follows the formula.
    assert result.exact["NO2"] == pytest.approx(59.35)
    assert result.sub_indices["NO2"] == 59
    assert result.aqi == 59
    assert result.dominant == "NO2"
    assert result.category is not None and result.category.label == "Trung bình"


def test_the_published_no2_value_needs_a_rule_that_breaks_the_other_examples() -> None:
    """Why the NO2 exception is kept: rounding up (ceil) gives the published 60 but breaks the O3 example (43)."""
    no2 = sub_index("NO2", 118.7)
    o3 = sub_index("O3_1h", 136.1)
    assert no2 is not None and o3 is not None
    assert math.ceil(no2) == 60  # the published value
    assert math.ceil(o3) == 43  # ceil also gives 43 here...
    assert (
        math.ceil(sub_index("NO2", 130.8) or 0) == 66
    )  # ...but the daily example publishes 65 for NO2 (65.4)
    assert round_half_up(sub_index("NO2", 130.8) or 0) == 65


def test_daily_example_of_the_decision() -> None:
    result = daily_aqi(DailyInput(o3_8h_max=89.3, o3_1h_max=114.6, no2_1h_max=130.8, pm2_5_24h=55.7))
    assert result.exact["O3_8h"] == pytest.approx(44.65)
    assert result.exact["O3_1h"] == pytest.approx(35.81, abs=0.005)
    assert result.sub_indices["O3"] == 45
    assert result.sub_indices["NO2"] == 65
    assert result.exact["PM2_5"] == pytest.approx(109.5)
    assert result.sub_indices["PM2_5"] == 110  # half up
    assert result.aqi == 110
    assert result.category is not None and result.category.label == "Kém"
    assert result.dominant == "PM2_5"
    assert result.concentrations["O3"] == 89.3


def test_contract_reproduces_the_examples() -> None:
    hourly = {"hourly": {"PM2_5": EXAMPLE_PM25, "O3": 136.1, "NO2": 118.7}}
    daily = {"daily": {"O3_8h_max": 89.3, "O3_1h_max": 114.6, "NO2_1h_max": 130.8, "PM2_5_24h": 55.7}}
    assert run(daily) == {
        "aqi": 110,
        "category": "Kém",
        "dominant": "PM2_5",
        "sub_indices": {"PM2_5": 110, "PM10": None, "O3": 45, "CO": None, "SO2": None, "NO2": 65},
    }
    results = run([hourly, daily, {"daily": {}}])
    assert [r["aqi"] for r in results] == [59, 110, None]
    assert results[2] == {
        "aqi": None,
        "category": None,
        "dominant": None,
        "sub_indices": dict.fromkeys(["PM2_5", "PM10", "O3", "CO", "SO2", "NO2"]),
    }


# --- breakpoints, sub-indices, categories ------------------------------------------------------------------------


def test_breakpoints_match_the_shared_csv() -> None:
    path = SHARED / "vn-aqi-breakpoints.csv"
    if not path.exists():
        pytest.skip("shared domain pack not available")
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [float(r["I"]) for r in rows] == list(INDEX_EDGES)
    for column in BREAKPOINTS:
        from_csv = tuple(float(r[column]) for r in rows if r[column])
        assert from_csv == BREAKPOINTS[column], column


@pytest.mark.parametrize("column", sorted(BREAKPOINTS))
def test_breakpoints_map_to_their_index_edges(column: str) -> None:
    for bp, edge in zip(BREAKPOINTS[column], INDEX_EDGES, strict=False):
        assert sub_index(column, bp) == pytest.approx(edge)


def test_band_edges_are_continuous() -> None:
    for column, bps in BREAKPOINTS.items():
        for bp in bps[1:-1]:
            below = sub_index(column, math.nextafter(bp, 0))
            above = sub_index(column, math.nextafter(bp, math.inf))
            assert below is not None and above is not None
            assert abs(above - below) < 1e-6, column


def test_pm25_interpolation_within_bands() -> None:
    assert sub_index("PM2_5", 12.5) == pytest.approx(25.0)
    assert sub_index("PM2_5", 65.0) == pytest.approx(125.0)
    assert sub_index("CO", 20000.0) == pytest.approx(75.0)  # µg/m³: 20 mg/m³


def test_values_above_the_top_breakpoint_are_capped_by_default() -> None:
    assert sub_index("PM2_5", 800.0) == 500.0
    assert sub_index("PM2_5", 800.0, AqiConfig(above_top="extrapolate")) == pytest.approx(
        500 + 300 * 100 / 150
    )
    assert hourly_aqi(HourlyInput(pm2_5=[900.0, 900.0])).aqi == 500


def test_o3_8h_has_no_sub_index_above_400() -> None:
    assert sub_index("O3_8h", 400.0) == 300.0
    assert sub_index("O3_8h", 400.1) is None
    combined, from_1h, from_8h = daily_o3_sub_index(450.0, 401.0)
    assert from_8h is None
    assert from_1h == pytest.approx(sub_index("O3_1h", 450.0))
    assert combined == from_1h
    # Below 400 the larger of the two is used.
    combined, from_1h, from_8h = daily_o3_sub_index(150.0, 160.0)
    assert combined == from_8h and from_8h is not None and from_1h is not None and from_8h > from_1h


def test_missing_and_invalid_concentrations() -> None:
    for bad in (None, -1.0, math.nan, math.inf):
        assert sub_index("PM10", bad) is None


def test_categories_and_colours_of_bang_1() -> None:
    expected = [
        (0, 50, "Tốt", (0, 228, 0), "#00E400"),
        (51, 100, "Trung bình", (255, 255, 0), "#FFFF00"),
        (101, 150, "Kém", (255, 126, 0), "#FF7E00"),
        (151, 200, "Xấu", (255, 0, 0), "#FF0000"),
        (201, 300, "Rất xấu", (143, 63, 151), "#8F3F97"),
        (301, 500, "Nguy hại", (126, 0, 35), "#7E0023"),
    ]
    assert [(c.low, c.high, c.label, c.rgb, c.hex) for c in CATEGORIES] == expected
    for c in CATEGORIES:
        assert c.hex == "#{:02X}{:02X}{:02X}".format(*c.rgb)
        assert c.advice_general and c.advice_sensitive
    assert category_for(50).label == "Tốt"  # type: ignore[union-attr]
    assert category_for(51).label == "Trung bình"  # type: ignore[union-attr]
    assert category_for(301).label == "Nguy hại"  # type: ignore[union-attr]
    assert category_for(650).label == "Nguy hại"  # type: ignore[union-attr]
    assert category_for(None) is None


def test_round_half_up() -> None:
    assert round_half_up(59.35) == 59
    assert round_half_up(109.5) == 110
    assert round_half_up(110.4999) == 110
    assert round_half_up(110.49999999999999) == 111  # binary error around an exact .5 is absorbed
    assert round_half_up(2.4999999999999996) == 3
    assert round_half_up(0.0) == 0


# --- NowCast rules ------------------------------------------------------------------------------------------------


def test_nowcast_two_of_three_rule() -> None:
    assert nowcast([10.0, None, None, 10.0]) is None
    assert nowcast([None, 10.0, None]) is None
    assert nowcast([10.0, None, 20.0]) is not None
    assert nowcast([None, 10.0, 20.0]) is not None
    assert nowcast([]) is None


def test_nowcast_weight_floor_at_one_half() -> None:
    # c1 = 10, c2 = 100: w* = 0.1 -> w = 0.5 -> (10 + 0.5 * 100) / 1.5 = 40
    assert nowcast([10.0, 100.0]) == pytest.approx(40.0)
    # literal formula of the decision: 1/2 * 10 + 1/4 * 100 = 30
    assert nowcast([10.0, 100.0], AqiConfig(nowcast_normalise_half=False)) == pytest.approx(30.0)


def test_nowcast_with_all_twelve_hours_literal_and_normalised_forms_are_close() -> None:
    values = [float(v) for v in (80, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120)]
    normalised = nowcast(values)
    literal = nowcast(values, AqiConfig(nowcast_normalise_half=False))
    assert normalised is not None and literal is not None
    assert abs(normalised - literal) / normalised < 0.0003  # vn-aqi.md §5.2: < 0.03 %


def test_nowcast_of_constant_and_zero_series() -> None:
    assert nowcast([30.0] * 12) == pytest.approx(30.0)
    assert nowcast([0.0] * 12) == 0.0
    assert nowcast([0.0, 0.0, 5.0]) is not None


def test_nowcast_rounding_setting() -> None:
    assert nowcast(EXAMPLE_PM25, AqiConfig(nowcast_decimals=1)) == 20.3


def test_nowcast_ignores_values_beyond_twelve_hours() -> None:
    assert nowcast([*EXAMPLE_PM25, 1000.0]) == nowcast(EXAMPLE_PM25)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.one_of(st.none(), st.floats(0, 1000)), min_size=0, max_size=12))
def test_nowcast_lies_between_min_and_max(values: list[float | None]) -> None:
    result = nowcast(values)
    present = [v for v in values if v is not None]
    if result is None:
        assert sum(v is not None for v in values[:3]) < 2
    else:
        assert min(present) - 1e-9 <= result <= max(present) + 1e-9


# --- PM mandatory, dominant, monotonicity -------------------------------------------------------------------------


def test_no_index_without_pm() -> None:
    result = hourly_aqi(HourlyInput(o3=500.0, no2=300.0))
    assert result.aqi is None and result.dominant is None and result.category is None
    assert result.sub_indices["O3"] is not None and result.sub_indices["NO2"] is not None


def test_pm10_alone_is_enough() -> None:
    result = daily_aqi(DailyInput(pm10_24h=100.0, so2_1h_max=400.0))
    # PM10 100 µg/m³ -> 75; SO2 400 µg/m³ -> 100 + (150 - 100) / (550 - 350) * (400 - 350) = 112.5 -> 113
    assert result.sub_indices["PM10"] == 75
    assert result.aqi == 113
    assert result.dominant == "SO2"


def test_dominant_ties_prefer_particulate_matter() -> None:
    # PM2.5 25 µg/m³ -> 50; PM10 50 -> 50; O3 160 -> 50
    result = hourly_aqi(HourlyInput(pm2_5=[25.0, 25.0], pm10=[50.0, 50.0], o3=160.0))
    assert result.aqi == 50
    assert result.dominant == "PM2_5"


sub_index_columns = st.sampled_from(sorted(BREAKPOINTS))


@settings(max_examples=300, deadline=None)
@given(sub_index_columns, st.floats(0, 200000), st.floats(0, 200000))
def test_sub_index_is_monotonic(column: str, a: float, b: float) -> None:
    low, high = sorted((a, b))
    s_low, s_high = sub_index(column, low), sub_index(column, high)
    if s_high is None:
        assert column == "O3_8h" and high > 400
        return
    assert s_low is not None
    assert s_low <= s_high + 1e-9
    assert 0.0 <= s_low <= 500.0


@settings(max_examples=200, deadline=None)
@given(
    st.fixed_dictionaries(
        {},
        optional={
            "PM2_5_24h": st.one_of(st.none(), st.floats(0, 700)),
            "PM10_24h": st.one_of(st.none(), st.floats(0, 800)),
            "O3_1h_max": st.one_of(st.none(), st.floats(0, 1500)),
            "O3_8h_max": st.one_of(st.none(), st.floats(0, 700)),
            "CO_1h_max": st.one_of(st.none(), st.floats(0, 200000)),
            "SO2_1h_max": st.one_of(st.none(), st.floats(0, 3000)),
            "NO2_1h_max": st.one_of(st.none(), st.floats(0, 5000)),
        },
    )
)
def test_contract_invariants(daily: dict[str, float | None]) -> None:
    result = run({"daily": daily})
    assert set(result) == {"aqi", "category", "dominant", "sub_indices"}
    subs = result["sub_indices"]
    assert isinstance(subs, dict)
    has_pm = daily.get("PM2_5_24h") is not None or daily.get("PM10_24h") is not None
    if not has_pm:
        assert result["aqi"] is None and result["category"] is None and result["dominant"] is None
        return
    present = [v for v in subs.values() if v is not None]
    assert result["aqi"] == max(present)
    assert subs[result["dominant"]] == result["aqi"]
    category = category_for(result["aqi"])  # type: ignore[arg-type]
    assert category is not None and result["category"] == category.label
    assert 0 <= result["aqi"] <= 500  # type: ignore[operator]


# --- contract input errors ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("payload", "fragment"),
    [
        ({"hourly": {"PM25": [1, 2]}}, "khóa không hợp lệ 'PM25'"),
        ({"daily": {"PM2_5_24h": "12"}}, "daily › PM2_5_24h: phải là một số"),
        ({"daily": {"PM2_5_24h": True}}, "phải là một số"),
        ({"daily": {"PM2_5_24h": -3}}, "không được âm"),
        ({"hourly": {"PM2_5": 12.0}}, "phải là danh sách"),
        ({"hourly": {"PM2_5": [1.0] * 13}}, "danh sách có 13 giá trị"),
        ({"hourly": {"PM2_5": [1.0, "x"]}}, "PM2_5 › [1]"),
        ({"hourly": {}, "daily": {}}, "cần đúng một khóa"),
        ({}, "đối tượng rỗng"),
        ([{"daily": {}}, 5], "phần tử [1]"),
        ({"daily": [1, 2]}, "phải là một đối tượng JSON"),
    ],
)
def test_contract_rejects_bad_input_with_a_located_message(payload: object, fragment: str) -> None:
    with pytest.raises(AqiInputError) as error:
        run(payload)
    assert fragment in str(error.value)


def test_contract_accepts_null_and_missing_keys() -> None:
    result = run({"hourly": {"PM2_5": [10, None, 12], "PM10": None, "O3": None}})
    # c1 = 10, c3 = 12 (2 of the 3 newest): w = 10/12, NowCast = (10 + w² · 12) / (1 + w²) = 10.82 -> 21.6 -> 22
    assert result["aqi"] == 22


def test_config_validation() -> None:
    with pytest.raises(ValueError, match="above_top"):
        AqiConfig(above_top="clip")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="min_hours_8h"):
        AqiConfig(min_hours_8h=9)
    with pytest.raises(ValueError, match="min_hour_coverage"):
        AqiConfig(min_hour_coverage=0)


# --- series: readings -> hourly means -> hourly and daily indices ------------------------------------------------


def test_hour_labels_are_hour_ends() -> None:
    assert hour_end(datetime(2025, 1, 15, 9, 5)) == datetime(2025, 1, 15, 10)
    assert hour_end(datetime(2025, 1, 15, 10, 0)) == datetime(2025, 1, 15, 10)
    assert day_of(datetime(2025, 1, 16, 0, 0)) == date(2025, 1, 15)
    assert day_of(datetime(2025, 1, 15, 1, 0)) == date(2025, 1, 15)


def test_hourly_means_need_coverage() -> None:
    start = datetime(2025, 1, 15, 9, 0)
    readings = [(start + timedelta(minutes=5 * k), 10.0 + k) for k in range(1, 13)]  # 09:05 … 10:00
    assert hourly_means(readings) == {datetime(2025, 1, 15, 10): pytest.approx(16.5)}
    assert hourly_means(readings[:8]) == {}  # 8 of 12 < 75 %
    assert hourly_means(readings[:9]) != {}
    assert hourly_means(readings[:1], config=AqiConfig(min_hour_coverage=0.01)) != {}
    assert hourly_means([(start, 5.0)], interval_seconds=3600) == {start: 5.0}


def _day_series(day: date, value: float, hours: int = 24) -> dict[datetime, float]:
    start = datetime(day.year, day.month, day.day)
    return {start + timedelta(hours=k): value for k in range(1, hours + 1)}


def test_daily_input_completeness() -> None:
    day = date(2025, 3, 1)
    series = {"PM2_5": _day_series(day, 40.0, hours=18), "NO2": _day_series(day, 50.0, hours=17)}
    data = daily_input_for(series, day)
    assert data.pm2_5_24h == pytest.approx(40.0)
    assert data.no2_1h_max is None  # 17 of 24 hours < 18
    literal = daily_input_for(series, day, AqiConfig(min_hours_daily_max=1))
    assert literal.no2_1h_max == 50.0


def test_o3_8h_rolling_means_use_the_previous_day() -> None:
    day = date(2025, 3, 2)
    o3 = {**_day_series(date(2025, 3, 1), 100.0), **_day_series(day, 20.0)}
    means = o3_8h_means(o3, day)
    assert means[0] == pytest.approx((7 * 100.0 + 20.0) / 8)  # 8-h mean ending 01:00 spans 18:00-01:00
    assert means[7] == pytest.approx(20.0)


def test_station_aqi_over_two_days() -> None:
    day = date(2025, 3, 1)
    series = {
        "PM2_5": {**_day_series(day, 30.0), **_day_series(day + timedelta(days=1), 60.0)},
        "O3": _day_series(day, 120.0),
    }
    hourly, daily = station_aqi(series)
    assert len(hourly) == 48 and len(daily) == 2
    # Day 1: PM2.5 30 µg/m³ -> 60; O3 1-h max 120 -> 37.5 and 8-h max 120 -> 100 (19 complete 8-h windows).
    assert daily[day].sub_indices["PM2_5"] == 60
    assert daily[day].exact["O3_1h"] == pytest.approx(37.5)
    assert daily[day].sub_indices["O3"] == 100
    assert daily[day].aqi == 100 and daily[day].dominant == "O3"
    # Day 2: PM2.5 60 -> 116.7; only two 8-h O3 windows (reaching back into day 1) are complete: no O3 index.
    assert daily[day + timedelta(days=1)].aqi == 117
    assert daily[day + timedelta(days=1)].sub_indices["O3"] is None
    first_hour = datetime(2025, 3, 1, 1)
    assert hourly[first_hour].aqi is None  # NowCast needs 2 of the 3 newest hours
    assert hourly[first_hour + timedelta(hours=1)].aqi == 60
