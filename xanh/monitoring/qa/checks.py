"""Automatic QA of station readings (pure; numpy).

Checks, in order, for each parameter of one station:
1. status: readings with status 01 (calibrating) or 02 (device error) are kept but never enter averages
   (monitoring-data.md §4 [design]); they are reported as flags so that people see why data is missing;
2. range: status-00 readings outside the plausible range of the parameter (config.RangeRule);
3. flat line: status-00 readings that stay unchanged for too long (a stuck sensor);
4. spike: isolated readings far from the median of their neighbours (Hampel filter).

A flag covers a time range (inclusive) of one station and one or more of its parameters. Consecutive flagged readings
form one flag; status flags that hit several parameters over the same range are merged into one flag.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Final, Literal

import numpy as np
from numpy.typing import NDArray

from .config import DEFAULT_AMBIENT, QaConfig

FlagKind = Literal["calibrating", "device_error", "out_of_range", "flat_line", "spike", "operator"]

KIND_LABELS: Final[dict[str, str]] = {
    "calibrating": "Đang hiệu chuẩn",
    "device_error": "Thiết bị báo lỗi",
    "out_of_range": "Ngoài khoảng hợp lý",
    "flat_line": "Giá trị không đổi bất thường",
    "spike": "Giá trị đột biến",
    "operator": "Cán bộ đánh dấu không hợp lệ",
}

BoolArray = NDArray[np.bool_]


@dataclass(frozen=True, slots=True)
class QaFlag:
    station: str
    parameters: tuple[str, ...]  # sorted; empty: every parameter of the station
    start: datetime
    end: datetime  # inclusive
    kind: str
    reason: str  # Vietnamese
    invalidates: bool = True

    def covers(self, parameter: str, moment: datetime) -> bool:
        return (not self.parameters or parameter in self.parameters) and self.start <= moment <= self.end


@dataclass(frozen=True, slots=True)
class ParameterSeries:
    """Readings of one parameter of one station, in ascending time order."""

    parameter: str
    times: Sequence[datetime]
    values: Sequence[float]
    statuses: Sequence[str]
    seconds: NDArray[np.int64] | None = None  # the same times as seconds_since_epoch, if already known

    def __post_init__(self) -> None:
        if not len(self.times) == len(self.values) == len(self.statuses):
            raise ValueError("times, values và statuses phải có cùng độ dài")

    def time_seconds(self) -> NDArray[np.int64]:
        return self.seconds if self.seconds is not None else seconds_since_epoch(self.times)


def _fmt(value: float) -> str:
    text = f"{value:.4g}" if abs(value) < 1000 else f"{value:.0f}"
    return text.replace(".", ",")


def _runs(mask: BoolArray) -> list[tuple[int, int]]:
    """Inclusive index ranges of consecutive True values."""
    if not mask.any():
        return []
    padded = np.concatenate([[False], mask, [False]]).astype(np.int8)
    edges = np.flatnonzero(np.diff(padded))
    return [(int(a), int(b) - 1) for a, b in zip(edges[::2], edges[1::2], strict=True)]


_EPOCH: Final = datetime(1970, 1, 1)


def seconds_since_epoch(times: Sequence[datetime]) -> NDArray[np.int64]:
    """Naive local datetimes as int64 seconds (a Python loop is faster than numpy's datetime conversion here)."""
    return np.array([int((t - _EPOCH).total_seconds()) for t in times], dtype=np.int64)


def _flat_line_mask(
    values: NDArray[np.float64], candidate: BoolArray, seconds: NDArray[np.int64], config: QaConfig
) -> BoolArray:
    n = values.size
    flagged = np.zeros(n, dtype=bool)
    if n < 2:
        return flagged
    same = np.zeros(n, dtype=bool)
    same[1:] = (
        candidate[1:] & candidate[:-1] & (np.abs(values[1:] - values[:-1]) <= config.flatline_tolerance)
    )
    for first, last in _runs(same):
        begin = first - 1  # the run starts with the reading before the first repeat
        count = last - begin + 1
        duration = (seconds[last] - seconds[begin]) / 60.0
        if count >= config.flatline_min_readings and duration >= config.flatline_minutes:
            flagged[begin : last + 1] = True
    return flagged


def _rolling_median(windows: NDArray[np.float64], k: int) -> NDArray[np.float64]:
    # np.nanmedian is slow; only the first and last k windows contain padding, so the rest use np.median.
    result = np.empty(windows.shape[0])
    inner = slice(k, windows.shape[0] - k)
    result[inner] = np.median(windows[inner], axis=1)
    edges = np.r_[0 : min(k, windows.shape[0]), max(windows.shape[0] - k, k) : windows.shape[0]]
    result[edges] = np.nanmedian(windows[edges], axis=1)
    return result


def _spike_mask(
    values: NDArray[np.float64], candidate: BoolArray, config: QaConfig
) -> tuple[BoolArray, NDArray[np.float64]]:
    n = values.size
    flagged = np.zeros(n, dtype=bool)
    medians = np.full(n, np.nan)
    index = np.flatnonzero(candidate)
    k = config.spike_half_window
    if index.size < 2 * k + 1:
        return flagged, medians
    x = values[index]
    padded = np.concatenate([np.full(k, np.nan), x, np.full(k, np.nan)])
    windows = np.lib.stride_tricks.sliding_window_view(padded, 2 * k + 1)
    median = _rolling_median(windows, k)
    mad = _rolling_median(np.abs(windows - median[:, None]), k)
    deviation = np.abs(x - median)
    threshold = np.maximum.reduce(
        [
            config.spike_mads * 1.4826 * mad,
            config.spike_min_relative * np.abs(median),
            np.full(x.size, config.spike_min_absolute),
        ]
    )
    is_spike = deviation > threshold
    flagged[index[is_spike]] = True
    medians[index] = median
    return flagged, medians


def check_parameter(
    station: str, series: ParameterSeries, config: QaConfig = DEFAULT_AMBIENT
) -> list[QaFlag]:
    """Flags of one parameter of one station."""
    n = len(series.times)
    if n == 0:
        return []
    values = np.asarray(series.values, dtype=np.float64)
    statuses = np.asarray(series.statuses)
    seconds = series.time_seconds()
    times = series.times
    parameter = series.parameter
    flags: list[QaFlag] = []

    def add(mask: BoolArray, kind: str, reason_of: str | Callable[[int, int], str]) -> None:
        for first, last in _runs(mask):
            reason = reason_of if isinstance(reason_of, str) else reason_of(first, last)
            flags.append(QaFlag(station, (parameter,), times[first], times[last], kind, reason))

    measuring = statuses == "00"
    add(
        statuses == "01",
        "calibrating",
        "Thiết bị đang hiệu chuẩn (trạng thái 01); số liệu không dùng để tính trung bình",
    )
    add(
        statuses == "02",
        "device_error",
        "Thiết bị báo lỗi (trạng thái 02); số liệu không dùng để tính trung bình",
    )

    rule = config.range_for(parameter)
    finite = np.isfinite(values)
    out_of_range = measuring & ~finite
    if rule is not None:
        out_of_range |= measuring & finite & ((values < rule.low) | (values > rule.high))

    def range_reason(first: int, last: int) -> str:
        chunk = values[first : last + 1][out_of_range[first : last + 1]]
        bounds = f" [{_fmt(rule.low)}; {_fmt(rule.high)}]" if rule is not None else ""
        return (
            f"Giá trị ngoài khoảng hợp lý{bounds}: thấp nhất {_fmt(float(np.nanmin(chunk)))}, "
            f"cao nhất {_fmt(float(np.nanmax(chunk)))}"
            if np.isfinite(chunk).any()
            else "Giá trị không hữu hạn"
        )

    add(out_of_range, "out_of_range", range_reason)
    candidate = measuring & ~out_of_range

    flat = np.zeros(n, dtype=bool)
    if parameter not in config.flatline_exempt:
        flat = _flat_line_mask(values, candidate, seconds, config)

        def flat_reason(first: int, last: int) -> str:
            minutes = int((seconds[last] - seconds[first]) // 60)
            return (
                f"Giá trị {_fmt(float(values[first]))} không đổi trong {minutes} phút "
                f"({last - first + 1} lần đo liên tiếp); nghi cảm biến bị kẹt"
            )

        add(flat, "flat_line", flat_reason)

    spikes, medians = _spike_mask(values, candidate & ~flat, config)

    def spike_reason(first: int, last: int) -> str:
        if first == last:
            return (
                f"Giá trị đột biến {_fmt(float(values[first]))} so với trung vị lân cận "
                f"{_fmt(float(medians[first]))}"
            )
        return f"{last - first + 1} giá trị đột biến liên tiếp, cao nhất {_fmt(float(values[first : last + 1].max()))}"

    add(spikes, "spike", spike_reason)
    return flags


def merge_flags(flags: Iterable[QaFlag]) -> list[QaFlag]:
    """Status flags (calibrating, device error) of several parameters over the same range become one flag."""
    merged: dict[tuple[str, str, datetime, datetime, str], set[str]] = {}
    others: list[QaFlag] = []
    for flag in flags:
        if flag.kind in ("calibrating", "device_error"):
            key = (flag.station, flag.kind, flag.start, flag.end, flag.reason)
            merged.setdefault(key, set()).update(flag.parameters)
        else:
            others.append(flag)
    combined = [
        QaFlag(station, tuple(sorted(parameters)), start, end, kind, reason)
        for (station, kind, start, end, reason), parameters in merged.items()
    ]
    return sorted(combined + others, key=lambda f: (f.start, f.end, f.kind, f.parameters))


def check_station(
    station: str, series: Iterable[ParameterSeries], config: QaConfig = DEFAULT_AMBIENT
) -> list[QaFlag]:
    """All flags of one station. Parameters that share one list of times convert it to seconds once."""
    converted: dict[int, NDArray[np.int64]] = {}
    flags: list[QaFlag] = []
    for one in series:
        if one.seconds is None:
            key = id(one.times)
            if key not in converted:
                converted[key] = seconds_since_epoch(one.times)
            one = ParameterSeries(one.parameter, one.times, one.values, one.statuses, converted[key])
        flags.extend(check_parameter(station, one, config))
    return merge_flags(flags)


def excluded_mask(
    parameter: str, times: Sequence[datetime], statuses: Sequence[str], flags: Iterable[QaFlag]
) -> BoolArray:
    """True for readings that must stay out of averages: status other than 00, or covered by an invalidating flag.

    `times` must be ascending.
    """
    seconds = seconds_since_epoch(times)
    excluded: BoolArray = np.asarray(statuses) != "00"
    for flag in flags:
        if not flag.invalidates or (flag.parameters and parameter not in flag.parameters):
            continue
        lo = int(np.searchsorted(seconds, int((flag.start - _EPOCH).total_seconds()), side="left"))
        hi = int(np.searchsorted(seconds, int((flag.end - _EPOCH).total_seconds()), side="right"))
        excluded[lo:hi] = True
    return excluded
