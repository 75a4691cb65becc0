"""Deterministic generator of realistic automatic-station data (pure; numpy).

Used by the demo province, the benchmarks and the tests. The same seed gives the same files on every machine (numpy's
PCG64 generator, pinned numpy). What it imitates:

* ambient stations (PM2,5, PM10, O3, CO, SO2, NO2, Temp, RH): traffic peaks in the morning and evening for PM, NO2
  and CO, an afternoon O3 peak, a dry-season (winter) rise of particulate matter, multi-day pollution episodes;
* stack stations (Flow, Temp, O2, PM, SO2, NOx, CO in mg/Nm3): steady operation with load changes and occasional
  hours above the permitted limit;
* device behaviour: a weekly calibration (status 01), device errors (status 02) with garbage values, stuck sensors
  (flat lines with status 00), single-reading spikes and lost transmissions (missing files).

All values are invented. They only look plausible; they are not measurements of any real place.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Final, Literal

import numpy as np
from numpy.typing import NDArray

from .fileformat import STATUS_CALIBRATING, STATUS_DEVICE_ERROR, STATUS_MEASURING

FloatArray = NDArray[np.float64]
StationKind = Literal["ambient", "stack"]


@dataclass(frozen=True, slots=True)
class SynthParameter:
    symbol: str  # as written in files (TT 10/2021 spelling, e.g. "PM2,5")
    code: str  # canonical code (fileformat.canonical_symbol)
    unit: str  # as written in files
    base: float  # typical level
    diurnal: Literal["traffic", "afternoon", "temperature", "humidity", "flat"]
    amplitude: float  # relative size of the daily cycle
    noise: float  # relative size of the short-term noise
    seasonal: float  # relative winter rise
    episodic: bool  # rises during pollution episodes
    decimals: int
    floor: float = 0.0


AMBIENT_PARAMETERS: Final[tuple[SynthParameter, ...]] = (
    SynthParameter("PM2,5", "PM2_5", "ug/m3", 32.0, "traffic", 0.45, 0.18, 0.45, True, 1),
    SynthParameter("PM10", "PM10", "ug/m3", 55.0, "traffic", 0.40, 0.18, 0.40, True, 1),
    SynthParameter("O3", "O3", "ug/m3", 55.0, "afternoon", 0.85, 0.15, -0.15, False, 1),
    SynthParameter("CO", "CO", "ug/m3", 1400.0, "traffic", 0.55, 0.15, 0.25, True, 0),
    SynthParameter("SO2", "SO2", "ug/m3", 18.0, "flat", 0.10, 0.25, 0.20, True, 1),
    SynthParameter("NO2", "NO2", "ug/m3", 32.0, "traffic", 0.60, 0.18, 0.20, True, 1),
    SynthParameter("Temp", "Temp", "oC", 26.0, "temperature", 0.15, 0.02, -0.18, False, 1, floor=-50.0),
    SynthParameter("RH", "RH", "%", 75.0, "humidity", 0.15, 0.03, 0.0, False, 1),
)

STACK_PARAMETERS: Final[tuple[SynthParameter, ...]] = (
    SynthParameter("Flow", "Flow", "m3/h", 180000.0, "flat", 0.05, 0.03, 0.0, False, 0),
    SynthParameter("Temp", "Temp", "oC", 135.0, "flat", 0.03, 0.01, 0.0, False, 1),
    SynthParameter("O2", "O2", "%", 11.5, "flat", 0.03, 0.02, 0.0, False, 2),
    SynthParameter("PM", "PM", "mg/Nm3", 28.0, "flat", 0.10, 0.15, 0.0, True, 2),
    SynthParameter("SO2", "SO2", "mg/Nm3", 240.0, "flat", 0.08, 0.10, 0.0, True, 2),
    SynthParameter("NOx", "NOx", "mg/Nm3", 420.0, "flat", 0.08, 0.08, 0.0, True, 2),
    SynthParameter("CO", "CO", "mg/Nm3", 95.0, "flat", 0.10, 0.20, 0.0, True, 2),
)


@dataclass(frozen=True, slots=True)
class SynthStation:
    province: str  # file-name codes
    facility: str
    station: str
    kind: StationKind = "ambient"
    level: float = 1.0  # scales every pollutant (a busier or cleaner place)
    device_error_rate: float = 1.0  # scales the frequency of device trouble (0 = a perfect station)
    interval_minutes: int = 5

    @property
    def parameters(self) -> tuple[SynthParameter, ...]:
        return AMBIENT_PARAMETERS if self.kind == "ambient" else STACK_PARAMETERS

    def seed(self, seed: int) -> int:
        return zlib.crc32(f"{self.province}_{self.facility}_{self.station}#{seed}".encode())


@dataclass(frozen=True, slots=True)
class StationData:
    """Generated readings of one station: one row per time, one column per parameter."""

    station: SynthStation
    times: list[datetime]
    values: dict[str, FloatArray]  # parameter code -> values (rounded as written)
    status: dict[str, NDArray[np.str_]]  # parameter code -> status codes
    sent: NDArray[np.bool_]  # False: the file of this time was lost in transmission

    def seconds(self) -> NDArray[np.int64]:
        start = int((self.times[0] - datetime(1970, 1, 1)).total_seconds()) if self.times else 0
        step = self.station.interval_minutes * 60
        return start + np.arange(len(self.times), dtype=np.int64) * step


def _diurnal(kind: str, hour: FloatArray) -> FloatArray:
    if kind == "traffic":
        shape = np.exp(-((hour - 8.0) ** 2) / 3.0) + 0.9 * np.exp(-((hour - 19.5) ** 2) / 5.0)
        return shape - 0.45
    if kind == "afternoon":
        return np.exp(-((hour - 14.0) ** 2) / 8.0) - 0.3
    if kind == "temperature":
        return np.cos((hour - 14.0) / 24.0 * 2 * np.pi)
    if kind == "humidity":
        return -np.cos((hour - 14.0) / 24.0 * 2 * np.pi)
    return np.zeros_like(hour)


def _rng(station: SynthStation, seed: int, purpose: str, day_number: int) -> np.random.Generator:
    """A random stream keyed by station, purpose and calendar day: the value generated for a moment does not depend
    on the range asked for, so regenerating an overlapping range (the demo, every day) gives the same files."""
    return np.random.default_rng([station.seed(seed), zlib.crc32(purpose.encode()), day_number + 1_000_000])


_KERNEL_SPANS: Final[dict[str, int]] = {"short": 6, "load": 36}


def _smooth_noise(
    station: SynthStation, seed: int, purpose: str, day_numbers: Sequence[int], per_day: int, span: int
) -> FloatArray:
    """Autocorrelated unit-variance noise over whole days: per-day white noise through a causal exponential kernel.
    The caller includes warm-up days before the range so that the first readings have their full history."""
    kernel = np.exp(-np.arange(span * 4) / span)
    kernel /= np.sqrt((kernel**2).sum())
    white = np.concatenate([_rng(station, seed, purpose, d).standard_normal(per_day) for d in day_numbers])
    return np.convolve(white, kernel, mode="full")[: white.size]


def _episode_factors(station: SynthStation, seed: int, day_numbers: Sequence[int]) -> dict[int, float]:
    """Daily multiplier of pollution episodes (2-5 days, smooth onset and decay), about one a month. Episodes are
    drawn per 32-day block of the calendar, from the block's own random stream."""
    factors: dict[int, float] = {}
    blocks = {d // 32 for d in day_numbers} | {d // 32 - 1 for d in day_numbers}
    for block in sorted(blocks):
        rng = _rng(station, seed, "episodes", block)
        day = block * 32
        while day < (block + 1) * 32:
            if rng.random() < 0.035:
                length = int(rng.integers(2, 6))
                peak = float(rng.uniform(1.6, 3.2))
                shape = np.sin(np.linspace(0.3, np.pi - 0.3, length))
                for k in range(length):
                    factors[day + k] = max(factors.get(day + k, 1.0), 1 + (peak - 1) * float(shape[k]))
                day += length + int(rng.integers(3, 10))
            else:
                day += 1
    return factors


def generate(station: SynthStation, start: datetime, days: int, *, seed: int = 2026) -> StationData:
    """Readings of one station for `days` whole days from the day of `start` (readings stamped at the end of each
    interval: 00:05 … 24:00 for 5-minute data); readings before `start` itself are left out. The values depend only
    on station, seed and time."""
    step = timedelta(minutes=station.interval_minutes)
    per_day = 24 * 60 // station.interval_minutes
    first_day = start.date()
    first_number = (first_day - datetime(1970, 1, 1).date()).days
    warmup = max(1, -(-_KERNEL_SPANS["load"] * 4 // per_day))
    numbers = list(range(first_number - warmup, first_number + days))
    total = per_day * len(numbers)
    origin = datetime(first_day.year, first_day.month, first_day.day) - timedelta(days=warmup)
    minutes = (np.arange(total, dtype=np.int64) + 1) * station.interval_minutes
    hour = (minutes % 1440) / 60.0
    day_offset = (minutes - 1) // 1440  # the reading at 24:00 belongs to the day it closes
    calendar = [origin.date() + timedelta(days=k) for k in range(len(numbers) + 1)]
    day_of_year = np.array([d.timetuple().tm_yday for d in calendar])
    winter = np.cos((day_of_year[day_offset] - 15) / 365.25 * 2 * np.pi)  # 1 in mid-January, -1 in mid-July
    episodes = _episode_factors(station, seed, numbers)
    episode = np.array([episodes.get(numbers[0] + k, 1.0) for k in range(len(numbers))])[day_offset]
    load = 1.0 + 0.06 * _smooth_noise(station, seed, "load", numbers, per_day, _KERNEL_SPANS["load"])

    values: dict[str, FloatArray] = {}
    status: dict[str, NDArray[np.str_]] = {}
    for parameter in station.parameters:
        is_pollutant = parameter.episodic or parameter.code == "O3"
        level = parameter.base * (station.level if is_pollutant else 1.0)
        noise = _smooth_noise(
            station, seed, f"noise:{parameter.code}", numbers, per_day, _KERNEL_SPANS["short"]
        )
        relative = (
            1.0
            + parameter.amplitude * _diurnal(parameter.diurnal, hour)
            + parameter.seasonal * winter
            + parameter.noise * noise
        )
        series = level * relative
        if parameter.episodic and station.kind == "ambient":
            series = series * episode
        if station.kind == "stack":
            series = series * load
        if parameter.diurnal == "humidity":
            series = np.clip(series, 30.0, 100.0)
        values[parameter.code] = np.maximum(series, parameter.floor)
        status[parameter.code] = np.full(total, STATUS_MEASURING, dtype="<U2")

    sent = np.ones(total, dtype=bool)
    for k, number in enumerate(numbers):
        _add_day_events(
            station, _rng(station, seed, "events", number), values, status, sent, k * per_day, per_day
        )
    _add_calibration(station, seed, numbers, origin, values, status, per_day)
    for parameter in station.parameters:
        values[parameter.code] = np.round(values[parameter.code], parameter.decimals)
    first_time = datetime(first_day.year, first_day.month, first_day.day) + step
    skip = 0
    while skip < per_day * days and first_time + step * skip < start:
        skip += 1
    keep = slice(warmup * per_day + skip, None)
    times = [first_time + step * k for k in range(skip, per_day * days)]
    return StationData(
        station=station,
        times=times,
        values={c: v[keep].copy() for c, v in values.items()},
        status={c: v[keep].copy() for c, v in status.items()},
        sent=sent[keep].copy(),
    )


def _add_day_events(
    station: SynthStation,
    rng: np.random.Generator,
    values: dict[str, FloatArray],
    status: dict[str, NDArray[np.str_]],
    sent: NDArray[np.bool_],
    offset: int,
    per_day: int,
) -> None:
    """The events that start on one day (they may run into the next day)."""
    per_hour = per_day // 24
    codes = list(values)
    rate = station.device_error_rate
    if station.kind == "stack":
        for code, factor in (("SO2", 2.6), ("PM", 2.4), ("NOx", 2.2)):
            for _ in range(int(rng.poisson(1 / 20.0))):  # about one event every 20 days per pollutant
                begin = offset + int(rng.integers(0, per_day))
                length = int(rng.integers(per_hour, per_hour * 4 + 1))
                chunk = values[code][begin : begin + length]
                chunk *= 1 + (factor - 1) * np.sin(np.linspace(0.2, np.pi - 0.2, chunk.size))
    if rate <= 0:
        return
    # Device errors: one analyser faulty for 30 min to 6 h with garbage values, about twice a month.
    for _ in range(int(rng.poisson(rate / 15.0))):
        code = codes[int(rng.integers(0, len(codes)))]
        begin = offset + int(rng.integers(0, per_day))
        span = slice(begin, begin + int(rng.integers(max(1, per_hour // 2), per_hour * 6 + 1)))
        status[code][span] = STATUS_DEVICE_ERROR
        values[code][span] = rng.choice([0.0, -9999.0, 99999.0])
    # Stuck sensors: the last value repeated for 2-5 h with status 00 (the logger does not notice).
    for _ in range(int(rng.poisson(rate / 45.0))):
        code = codes[int(rng.integers(0, len(codes)))]
        begin = offset + int(rng.integers(1, per_day))
        values[code][begin : begin + int(rng.integers(per_hour * 2, per_hour * 5 + 1))] = values[code][
            begin - 1
        ]
    # Single-reading spikes (electrical noise).
    for _ in range(int(rng.poisson(rate / 4.0))):
        code = codes[int(rng.integers(0, len(codes)))]
        k = offset + int(rng.integers(0, per_day))
        values[code][k] = values[code][k] * float(rng.uniform(6.0, 15.0)) + 50.0
    # Lost transmissions: single files (~0.4 %) and, about once a month, 1-3 hours.
    lost = rng.random(per_day) < 0.004 * rate
    sent[offset : offset + per_day] &= ~lost
    if rng.random() < rate / 30.0:
        begin = offset + int(rng.integers(0, per_day))
        sent[begin : begin + int(rng.integers(per_hour, per_hour * 3 + 1))] = False


def _add_calibration(
    station: SynthStation,
    seed: int,
    numbers: Sequence[int],
    origin: datetime,
    values: dict[str, FloatArray],
    status: dict[str, NDArray[np.str_]],
    per_day: int,
) -> None:
    """Weekly calibration on Monday 02:00-02:30: every parameter reports status 01 with zero/span gas values."""
    if station.device_error_rate <= 0:
        return
    for k, number in enumerate(numbers):
        if (origin + timedelta(days=k)).weekday() != 0:
            continue
        rng = _rng(station, seed, "calibration", number)
        offset = k * per_day
        first = offset + 120 // station.interval_minutes  # the reading stamped just after 02:00
        last = offset + 150 // station.interval_minutes
        for code in values:
            status[code][first:last] = STATUS_CALIBRATING
            values[code][first:last] *= rng.uniform(0.0, 0.2, last - first)


def _format_value(value: float, decimals: int) -> str:
    return f"{value:.{decimals}f}"


def file_name(station: SynthStation, moment: datetime) -> str:
    return f"{station.province}_{station.facility}_{station.station}_{moment:%Y%m%d%H%M%S}.txt"


def render_files(data: StationData) -> Iterator[tuple[str, str]]:
    """(file name, content) of every datalogger file that was sent, in time order (TT 10/2021 layout)."""
    parameters = data.station.parameters
    columns = [
        (p.symbol, p.unit, p.decimals, data.values[p.code].tolist(), data.status[p.code].tolist())
        for p in parameters
    ]
    for k, moment in enumerate(data.times):
        if not data.sent[k]:
            continue
        stamp = f"{moment:%Y%m%d%H%M%S}"
        lines = [
            f"{symbol}\t{_format_value(values[k], decimals)}\t{unit}\t{stamp}\t{statuses[k]}"
            for symbol, unit, decimals, values, statuses in columns
        ]
        yield file_name(data.station, moment), "\n".join(lines) + "\n"


def render_csv(data_sets: Sequence[StationData], *, header: bool = True) -> str:
    """The same readings as one CSV (station, parameter, time, value, unit, status); lost files are left out."""
    out: list[str] = ["station,parameter,time,value,unit,status"] if header else []
    for data in data_sets:
        station = data.station.station
        for parameter in data.station.parameters:
            values = data.values[parameter.code].tolist()
            statuses = data.status[parameter.code].tolist()
            symbol = '"PM2,5"' if parameter.symbol == "PM2,5" else parameter.symbol
            for k, moment in enumerate(data.times):
                if data.sent[k]:
                    out.append(
                        f"{station},{symbol},{moment:%Y%m%d%H%M%S},"
                        f"{_format_value(values[k], parameter.decimals)},{parameter.unit},{statuses[k]}"
                    )
    return "\n".join(out) + "\n"


def write_files(data: StationData, directory: Path) -> int:
    """Write the datalogger files of one station into `directory`; returns the number of files."""
    directory.mkdir(parents=True, exist_ok=True)
    count = 0
    for name, content in render_files(data):
        (directory / name).write_text(content, encoding="utf-8")
        count += 1
    return count


def demo_stations(province: str = "XD", count: int = 4, stacks: int = 2) -> list[SynthStation]:
    """A small province: ambient stations of different character plus stacks of two facilities."""
    ambient = [
        SynthStation(province, "STNMT", f"KK{k + 1:02d}", "ambient", level=(0.8, 1.25, 1.0, 0.65, 1.1)[k % 5])
        for k in range(count)
    ]
    facilities = ("XMTHANHSON", "NDKHUCONG")
    stack = [
        SynthStation(province, facilities[k % 2], f"OK{k + 1:02d}", "stack", level=1.0) for k in range(stacks)
    ]
    return ambient + stack
