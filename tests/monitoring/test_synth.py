"""The deterministic generator of station files: same seed, same files; realistic shape; parseable."""

from __future__ import annotations

import hashlib
from datetime import datetime

import numpy as np

from xanh.monitoring.fileformat import parse_csv, parse_datalogger
from xanh.monitoring.synth import SynthStation, demo_stations, generate, render_csv, render_files, write_files

START = datetime(2025, 1, 1)
NOW = datetime(2026, 1, 1)


def digest(station: SynthStation, days: int, seed: int = 2026) -> str:
    h = hashlib.sha256()
    for name, content in render_files(generate(station, START, days, seed=seed)):
        h.update(name.encode())
        h.update(content.encode())
    return h.hexdigest()


def test_deterministic() -> None:
    station = demo_stations()[0]
    assert digest(station, 3) == digest(station, 3)
    assert digest(station, 3) != digest(station, 3, seed=7)
    assert digest(station, 3) != digest(demo_stations()[1], 3)


def test_files_follow_the_datalogger_format_and_parse_cleanly() -> None:
    data = generate(demo_stations()[0], START, 2)
    files = list(render_files(data))
    assert 500 < len(files) <= 576  # 288 per day, a few lost
    name, content = files[0]
    assert name == "XD_STNMT_KK01_20250101000500.txt"
    first_line = content.splitlines()[0].split("\t")
    assert first_line[0] == "PM2,5" and len(first_line) == 5
    total = 0
    for name, content in files:
        parsed = parse_datalogger(name, content.encode(), now=NOW)
        assert parsed.errors == [], parsed.errors[:3]
        total += len(parsed.readings)
    assert total == len(files) * 8


def test_csv_rendering_parses_to_the_same_readings() -> None:
    data = [generate(s, START, 1) for s in demo_stations(count=2, stacks=1)]
    parsed = parse_csv("all.csv", render_csv(data), now=NOW)
    assert parsed.errors == []
    expected = sum(int(d.sent.sum()) * len(d.station.parameters) for d in data)
    assert len(parsed.readings) == expected


def test_realistic_shape() -> None:
    data = generate(SynthStation("XD", "S", "K", "ambient", device_error_rate=0), START, 60)
    hours = np.array([t.hour for t in data.times])
    pm = data.values["PM2_5"]
    o3 = data.values["O3"]
    assert pm[(hours >= 7) & (hours <= 9)].mean() > pm[(hours >= 2) & (hours <= 4)].mean()  # morning traffic
    assert o3[(hours >= 13) & (hours <= 15)].mean() > 1.5 * o3[(hours >= 2) & (hours <= 4)].mean()
    assert 10 < np.median(pm) < 80
    assert (data.status["PM2_5"] == "00").all()


def test_device_behaviour_is_injected() -> None:
    data = generate(SynthStation("XD", "S", "K", "ambient"), START, 90)
    statuses = np.concatenate(list(data.status.values()))
    assert (statuses == "01").any() and (statuses == "02").any()
    assert not data.sent.all()


def test_stack_station_units() -> None:
    data = generate(SynthStation("XD", "NM", "OK1", "stack"), START, 1)
    _, content = next(render_files(data))
    assert "mg/Nm3" in content and content.startswith("Flow\t")


def test_write_files(tmp_path) -> None:  # type: ignore[no-untyped-def]
    data = generate(demo_stations()[0], START, 1)
    count = write_files(data, tmp_path / "inbox")
    assert count == len(list((tmp_path / "inbox").iterdir())) == int(data.sent.sum())


def test_values_depend_only_on_the_moment_not_on_the_range() -> None:
    """Regenerating an overlapping range gives identical readings, so the daily demo load is idempotent."""
    station = SynthStation("XD", "S", "K", "stack")
    long = generate(station, START, 6)
    short = generate(station, datetime(2025, 1, 3, 12, 0), 2)
    assert short.times[0] == datetime(2025, 1, 3, 12, 0)
    offset = long.times.index(short.times[0])
    n = len(short.times)
    for code in long.values:
        assert np.array_equal(long.values[code][offset : offset + n], short.values[code])
        assert np.array_equal(long.status[code][offset : offset + n], short.status[code])
    assert np.array_equal(long.sent[offset : offset + n], short.sent)
