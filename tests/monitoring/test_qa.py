"""QA checks: status, range, flat line and spike flags as time ranges; exclusion from averages."""

from __future__ import annotations

from datetime import datetime, timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xanh.monitoring.qa import (
    DEFAULT_AMBIENT,
    DEFAULT_STACK,
    ParameterSeries,
    QaConfig,
    QaFlag,
    RangeRule,
    check_parameter,
    check_station,
    excluded_mask,
)
from xanh.monitoring.synth import SynthStation, generate

START = datetime(2025, 3, 1)


def series(
    values: list[float], statuses: list[str] | None = None, parameter: str = "PM2_5"
) -> ParameterSeries:
    times = [START + timedelta(minutes=5 * (k + 1)) for k in range(len(values))]
    return ParameterSeries(parameter, times, values, statuses or ["00"] * len(values))


def wavy(n: int, base: float = 30.0) -> list[float]:
    return [round(base + 5 * np.sin(k / 3.0) + (k % 7) * 0.3, 1) for k in range(n)]


def test_clean_data_has_no_flags() -> None:
    assert check_parameter("S1", series(wavy(300))) == []


def test_status_flags_are_ranges_and_merge_across_parameters() -> None:
    statuses = ["00"] * 10 + ["01"] * 6 + ["00"] * 10 + ["02"] * 3 + ["00"] * 10
    values = wavy(len(statuses))
    pm = series(values, statuses, "PM2_5")
    no2 = series(values, statuses, "NO2")
    flags = check_station("S1", [pm, no2])
    calibrating = [f for f in flags if f.kind == "calibrating"]
    device = [f for f in flags if f.kind == "device_error"]
    assert len(calibrating) == 1 and len(device) == 1
    assert calibrating[0].parameters == ("NO2", "PM2_5")
    assert calibrating[0].start == pm.times[10] and calibrating[0].end == pm.times[15]
    assert device[0].start == pm.times[26] and device[0].end == pm.times[28]
    assert "trạng thái 01" in calibrating[0].reason


def test_range_check() -> None:
    values = wavy(40)
    values[5] = -3.0
    values[20:23] = [1500.0, 1600.0, 1700.0]
    flags = [f for f in check_parameter("S1", series(values)) if f.kind == "out_of_range"]
    assert [(f.start, f.end) for f in flags] == [
        (START + timedelta(minutes=30), START + timedelta(minutes=30)),
        (START + timedelta(minutes=105), START + timedelta(minutes=115)),
    ]
    assert "[0; 1000]" in flags[1].reason and "1700" in flags[1].reason
    # status 02 readings with garbage values are device errors, not range errors
    statuses = ["00"] * 40
    statuses[5] = "02"
    kinds = {f.kind for f in check_parameter("S1", series([*values[:5], -9999.0, *values[6:]], statuses))}
    assert "device_error" in kinds


def test_custom_ranges() -> None:
    config = QaConfig(ranges={"PM2_5": RangeRule(0, 40)})
    flags = check_parameter("S1", series([*wavy(30), 45.0, *wavy(30)]), config)
    assert any(f.kind == "out_of_range" for f in flags)
    with pytest.raises(ValueError, match="cận dưới"):
        RangeRule(5, 5)


def test_flat_line() -> None:
    values = wavy(30) + [42.0] * 30 + wavy(30)  # 30 readings = 145 minutes unchanged
    flags = [f for f in check_parameter("S1", series(values)) if f.kind == "flat_line"]
    assert len(flags) == 1
    flag = flags[0]
    assert flag.start == START + timedelta(minutes=5 * 31) and flag.end == START + timedelta(minutes=5 * 60)
    assert "42" in flag.reason and "phút" in flag.reason
    short = wavy(30) + [42.0] * 20 + wavy(30)  # 95 minutes: not flagged
    assert not [f for f in check_parameter("S1", series(short)) if f.kind == "flat_line"]
    exempt = [f for f in check_parameter("S1", series(values, parameter="RH")) if f.kind == "flat_line"]
    assert exempt == []


def test_spike_single_reading() -> None:
    values = wavy(100)
    values[50] = 400.0
    flags = [f for f in check_parameter("S1", series(values)) if f.kind == "spike"]
    assert len(flags) == 1 and flags[0].start == flags[0].end == START + timedelta(minutes=255)
    assert "400" in flags[0].reason


def test_a_real_episode_is_not_a_spike() -> None:
    values = wavy(60) + [v + 150 for v in wavy(60)] + wavy(60)  # a five-hour rise
    assert not [f for f in check_parameter("S1", series(values)) if f.kind == "spike"]


def test_excluded_mask() -> None:
    data = series(wavy(20), ["00"] * 3 + ["01"] + ["00"] * 16)
    operator = QaFlag("S1", (), data.times[10], data.times[12], "operator", "đo sai", True)
    other = QaFlag("S1", ("NO2",), data.times[0], data.times[19], "operator", "không liên quan", True)
    informative = QaFlag("S1", (), data.times[15], data.times[16], "spike", "x", invalidates=False)
    mask = excluded_mask("PM2_5", data.times, data.statuses, [operator, other, informative])
    assert np.flatnonzero(mask).tolist() == [3, 10, 11, 12]
    assert operator.covers("PM2_5", data.times[11]) and not other.covers("PM2_5", data.times[11])


def test_synthetic_year_finds_injected_faults_and_few_false_alarms() -> None:
    faulty = generate(SynthStation("XD", "F", "K1", "ambient"), START, 60, seed=1)
    clean = generate(SynthStation("XD", "F", "K2", "ambient", device_error_rate=0), START, 60, seed=1)
    for data, expect_faults in ((faulty, True), (clean, False)):
        flags = check_station(
            data.station.station,
            [ParameterSeries(c, data.times, data.values[c], data.status[c]) for c in data.values],
        )
        kinds = {f.kind for f in flags}
        if expect_faults:
            assert {"calibrating", "spike"} <= kinds
        else:
            assert len([f for f in flags if f.kind in ("spike", "flat_line")]) <= 2
            assert "device_error" not in kinds


def test_stack_defaults() -> None:
    data = generate(SynthStation("XD", "NM", "OK1", "stack", device_error_rate=0), START, 10, seed=3)
    flags = check_station(
        "OK1",
        [ParameterSeries(c, data.times, data.values[c], data.status[c]) for c in data.values],
        DEFAULT_STACK,
    )
    assert not [f for f in flags if f.kind == "out_of_range"]  # stack temperature 135 °C is fine for stacks
    ambient = check_parameter(
        "OK1", ParameterSeries("Temp", data.times, data.values["Temp"], data.status["Temp"]), DEFAULT_AMBIENT
    )
    assert any(f.kind == "out_of_range" for f in ambient)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.tuples(st.floats(-50, 2000, allow_nan=False), st.sampled_from(["00", "00", "00", "01", "02"])),
        min_size=1,
        max_size=200,
    )
)
def test_flags_are_well_formed(rows: list[tuple[float, str]]) -> None:
    data = series([v for v, _ in rows], [s for _, s in rows])
    flags = check_parameter("S1", data)
    for flag in flags:
        assert flag.start <= flag.end
        assert flag.parameters == ("PM2_5",)
        assert flag.reason
    mask = excluded_mask("PM2_5", data.times, data.statuses, flags)
    for k, (value, status) in enumerate(rows):
        if status != "00" or not 0 <= value <= 1000:
            assert mask[k]
