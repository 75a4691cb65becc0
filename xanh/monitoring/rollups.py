"""The dirty-hour queue: automatic QA -> hourly means -> daily aggregates -> VN_AQI -> exceedances.

Ingestion and operator flags queue the (station, hour) pairs whose measurements or validity changed. Processing
recomputes only what those hours touch: the hours themselves (and hours whose automatic QA flags changed), the
12 hours whose NowCast includes them, the days they belong to (and the next day, whose first 8-hour O3 means reach
back into them), and the exceedance events around them. Nothing is recomputed from scratch.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from django.db import transaction

from . import exceedances
from .aqi import DEFAULT_CONFIG, AqiConfig
from .aqi.series import o3_8h_means
from .aqi.tables import PARAMETERS as AQI_PARAMETERS
from .aqi.vectorized import daily_aqi_grid, grid_from_series, hourly_aqi_grid
from .models import (
    DailyAqi,
    DailyValue,
    DirtyHour,
    FlagSource,
    HourlyAqi,
    HourlyValue,
    Measurement,
    QaFlag,
    Station,
    StationKind,
    StationParameter,
)
from .qa import (
    DEFAULT_AMBIENT,
    DEFAULT_STACK,
    ParameterSeries,
    QaConfig,
    RangeRule,
    check_station,
    excluded_mask,
)
from .qa.checks import QaFlag as PureFlag
from .timeutil import HOUR, aware, local_now, naive_local
from .units import UnitMismatch, conversion_factor

STATUS_TEXT = {0: "00", 1: "01", 2: "02"}
BLOCK_GAP = dt.timedelta(hours=6)
BLOCK_SPAN = dt.timedelta(days=7)
QA_CONTEXT = dt.timedelta(
    hours=3
)  # readings around the dirty hours that QA needs (flat lines, spike windows)
AQI_UNIT = "µg/m3"


@dataclass
class ProcessResult:
    stations: int = 0
    dirty_hours: int = 0
    hours: int = 0
    days: int = 0
    aqi_hours: int = 0
    flags_added: int = 0
    flags_removed: int = 0
    events: int = 0
    notified: int = 0
    per_station: dict[str, int] = field(default_factory=dict)

    def add(self, other: ProcessResult) -> None:
        for f in dataclasses.fields(self):
            if f.name != "per_station":
                setattr(self, f.name, getattr(self, f.name) + getattr(other, f.name))


def qa_config_for(station: Station, sensors: Sequence[StationParameter]) -> QaConfig:
    """The automatic QA settings of a station: defaults for its kind, with the registry's per-parameter ranges."""
    base = DEFAULT_STACK if station.kind == StationKind.STACK else DEFAULT_AMBIENT
    ranges = dict(base.ranges)
    for sensor in sensors:
        if sensor.valid_min is not None or sensor.valid_max is not None:
            default = ranges.get(sensor.code)
            low = (
                sensor.valid_min if sensor.valid_min is not None else (default.low if default else -math.inf)
            )
            high = (
                sensor.valid_max if sensor.valid_max is not None else (default.high if default else math.inf)
            )
            if low < high:
                ranges[sensor.code] = RangeRule(low, high)
    return dataclasses.replace(base, ranges=ranges)


def _blocks(hours: Sequence[dt.datetime]) -> list[list[dt.datetime]]:
    """Split sorted hours into blocks that are processed together (bounded memory for long backfills)."""
    blocks: list[list[dt.datetime]] = []
    for hour in hours:
        if blocks and hour - blocks[-1][-1] <= BLOCK_GAP and hour - blocks[-1][0] <= BLOCK_SPAN:
            blocks[-1].append(hour)
        else:
            blocks.append([hour])
    return blocks


def _pure_flag(flag: QaFlag) -> PureFlag:
    return PureFlag(
        "",
        tuple(flag.parameters),
        naive_local(flag.start),
        naive_local(flag.end),
        flag.kind,
        flag.reason,
        flag.invalidates,
    )


def process_dirty(*, limit_hours: int | None = None, config: AqiConfig = DEFAULT_CONFIG) -> ProcessResult:
    """Process the queue (all of it, or about `limit_hours` hours)."""
    result = ProcessResult()
    queue = DirtyHour.objects.order_by("station_id", "hour").values_list("id", "station_id", "hour")
    if limit_hours:
        queue = queue[:limit_hours]
    by_station: dict[int, list[tuple[int, dt.datetime]]] = defaultdict(list)
    for pk, station_id, hour in queue:
        by_station[station_id].append((pk, hour))
    stations = Station.objects.in_bulk(list(by_station))
    for station_id, items in by_station.items():
        station = stations.get(station_id)
        ids = [pk for pk, _ in items]
        if station is None:
            DirtyHour.objects.filter(pk__in=ids).delete()
            continue
        hours = sorted({naive_local(h) for _, h in items})
        station_result = ProcessResult(stations=1, dirty_hours=len(ids))
        for block in _blocks(hours):
            with transaction.atomic():
                station_result.add(process_block(station, block, config))
        DirtyHour.objects.filter(pk__in=ids).delete()
        result.add(station_result)
        result.per_station[station.code] = station_result.hours
    return result


def _measurements(
    sensors: Sequence[StationParameter], start: dt.datetime, end: dt.datetime
) -> dict[int, tuple[list[dt.datetime], list[float], list[str]]]:
    """Readings of the sensors with start < time <= end (naive local bounds), ascending per sensor."""
    data: dict[int, tuple[list[dt.datetime], list[float], list[str]]] = {s.pk: ([], [], []) for s in sensors}
    rows = (
        Measurement.objects.filter(sensor_id__in=list(data), time__gt=aware(start), time__lte=aware(end))
        .order_by("sensor_id", "time")
        .values_list("sensor_id", "time", "value", "status")
    )
    for sensor_id, moment, value, status in rows.iterator(chunk_size=20000):
        times, values, statuses = data[sensor_id]
        times.append(naive_local(moment))
        values.append(value)
        statuses.append(STATUS_TEXT.get(status, "02"))
    return data


def process_block(
    station: Station, dirty: Sequence[dt.datetime], config: AqiConfig = DEFAULT_CONFIG
) -> ProcessResult:
    """Recompute everything that a block of dirty hours (naive local hour labels) of one station touches."""
    result = ProcessResult()
    sensors = list(station.parameters.filter(is_active=True))
    if not sensors:
        return result
    # 1. automatic QA over the block with context; old automatic flags overlapping it are replaced.
    window_start = dirty[0] - HOUR - QA_CONTEXT
    window_end = dirty[-1] + QA_CONTEXT
    old_auto = list(
        QaFlag.objects.filter(
            station=station,
            source=FlagSource.AUTO,
            start__lte=aware(window_end),
            end__gte=aware(window_start),
        )
    )
    for flag in old_auto:
        window_start = min(window_start, naive_local(flag.start) - HOUR)
        window_end = max(window_end, naive_local(flag.end))
    readings = _measurements(sensors, window_start, window_end)
    qa_config = qa_config_for(station, sensors)
    series = [ParameterSeries(s.code, *readings[s.pk]) for s in sensors if readings[s.pk][0]]
    new_flags = check_station(station.code, series, qa_config)
    old_keys = {(tuple(f.parameters), naive_local(f.start), naive_local(f.end), f.kind) for f in old_auto}
    new_keys = {(f.parameters, f.start, f.end, f.kind) for f in new_flags}
    changed_hours: set[dt.datetime] = set()
    if old_keys != new_keys:
        for flag in old_auto:
            if (
                tuple(flag.parameters),
                naive_local(flag.start),
                naive_local(flag.end),
                flag.kind,
            ) not in new_keys:
                changed_hours |= _hours_between(naive_local(flag.start), naive_local(flag.end))
        removed = [
            f.pk
            for f in old_auto
            if (tuple(f.parameters), naive_local(f.start), naive_local(f.end), f.kind) not in new_keys
        ]
        QaFlag.objects.filter(pk__in=removed).delete()
        added = [f for f in new_flags if (f.parameters, f.start, f.end, f.kind) not in old_keys]
        QaFlag.objects.bulk_create(
            [
                QaFlag(
                    station=station,
                    parameters=list(f.parameters),
                    start=aware(f.start),
                    end=aware(f.end),
                    kind=f.kind,
                    reason=f.reason,
                    invalidates=f.invalidates,
                    source=FlagSource.AUTO,
                )
                for f in added
            ]
        )
        for f in added:
            changed_hours |= _hours_between(f.start, f.end)
        result.flags_added += len(added)
        result.flags_removed += len(removed)
    hours = sorted({h for h in set(dirty) | changed_hours if window_start < h <= window_end + HOUR})
    # 2. hourly means from valid readings (status 00, not covered by an invalidating flag).
    operator_flags = QaFlag.objects.filter(
        station=station,
        source=FlagSource.OPERATOR,
        revoked_at__isnull=True,
        invalidates=True,
        start__lte=aware(window_end),
        end__gte=aware(window_start),
    )
    flags = [*new_flags, *(_pure_flag(f) for f in operator_flags)]
    _write_hourly(station, sensors, readings, flags, hours, config)
    result.hours += len(hours)
    # 3. daily aggregates, 4. AQI, 5. exceedances
    days = sorted({(h - HOUR).date() for h in hours} | {(h + 7 * HOUR - HOUR).date() for h in hours})
    hourly = _hourly_series(sensors, days[0] - dt.timedelta(days=1), days[-1] + dt.timedelta(days=1))
    _write_daily(sensors, hourly, days, config)
    result.days += len(days)
    if station.kind == StationKind.AMBIENT:
        result.aqi_hours += _write_aqi(station, sensors, hourly, hours, days, config)
    events, notified = exceedances.refresh_station(station, sensors, hourly, hours, days, config)
    result.events += events
    result.notified += notified
    return result


def _hours_between(start: dt.datetime, end: dt.datetime) -> set[dt.datetime]:
    """Labels of the hours that contain readings between start and end (inclusive)."""
    from .aqi.series import hour_end

    out = set()
    hour, last = hour_end(start), hour_end(end)
    while hour <= last:
        out.add(hour)
        hour += HOUR
    return out


def _write_hourly(
    station: Station,
    sensors: Sequence[StationParameter],
    readings: dict[int, tuple[list[dt.datetime], list[float], list[str]]],
    flags: Sequence[PureFlag],
    hours: Sequence[dt.datetime],
    config: AqiConfig,
) -> None:
    from .aqi.series import hour_end, min_readings_per_hour

    needed = min_readings_per_hour(station.interval_minutes * 60, config)
    wanted = set(hours)
    objects: list[HourlyValue] = []
    for sensor in sensors:
        times, values, statuses = readings[sensor.pk]
        excluded = excluded_mask(sensor.code, times, statuses, flags) if times else np.zeros(0, dtype=bool)
        totals: dict[dt.datetime, int] = defaultdict(int)
        valid: dict[dt.datetime, list[float]] = defaultdict(list)
        for k, moment in enumerate(times):
            label = hour_end(moment)
            if label not in wanted:
                continue
            totals[label] += 1
            if not excluded[k]:
                valid[label].append(values[k])
        for label in hours:
            kept = valid.get(label, [])
            total = 0.0
            for v in kept:
                total += v
            objects.append(
                HourlyValue(
                    sensor=sensor,
                    hour=aware(label),
                    mean=total / len(kept) if len(kept) >= needed else None,
                    maximum=max(kept) if kept else None,
                    n_valid=len(kept),
                    n_total=totals.get(label, 0),
                )
            )
    HourlyValue.objects.bulk_create(
        objects,
        update_conflicts=True,
        unique_fields=["sensor", "hour"],
        update_fields=["mean", "maximum", "n_valid", "n_total"],
        batch_size=2000,
    )


def _hourly_series(
    sensors: Sequence[StationParameter], first_day: dt.date, last_day: dt.date
) -> dict[int, dict[dt.datetime, float]]:
    """Stored hourly means of the sensors for whole days (naive local hour labels)."""
    start = dt.datetime(first_day.year, first_day.month, first_day.day)
    end = dt.datetime(last_day.year, last_day.month, last_day.day) + dt.timedelta(days=1)
    series: dict[int, dict[dt.datetime, float]] = {s.pk: {} for s in sensors}
    rows = HourlyValue.objects.filter(
        sensor_id__in=list(series), hour__gt=aware(start), hour__lte=aware(end), mean__isnull=False
    ).values_list("sensor_id", "hour", "mean")
    for sensor_id, hour, mean in rows:
        series[sensor_id][naive_local(hour)] = mean
    return series


def _write_daily(
    sensors: Sequence[StationParameter],
    hourly: dict[int, dict[dt.datetime, float]],
    days: Sequence[dt.date],
    config: AqiConfig,
) -> None:
    from .aqi.series import hours_of_day

    objects = []
    for sensor in sensors:
        values = hourly[sensor.pk]
        for day in days:
            present = [values[h] for h in hours_of_day(day) if h in values]
            eight = [v for v in o3_8h_means(values, day, config) if v is not None]
            total = 0.0
            for v in present:
                total += v
            objects.append(
                DailyValue(
                    sensor=sensor,
                    day=day,
                    mean_24h=total / len(present) if len(present) >= config.min_hours_24h else None,
                    max_1h=max(present) if len(present) >= config.min_hours_daily_max else None,
                    max_8h=max(eight) if len(eight) >= config.min_periods_8h_daily else None,
                    n_hours=len(present),
                )
            )
    DailyValue.objects.bulk_create(
        objects,
        update_conflicts=True,
        unique_fields=["sensor", "day"],
        update_fields=["mean_24h", "max_1h", "max_8h", "n_hours"],
        batch_size=2000,
    )


def aqi_series(
    sensors: Iterable[StationParameter], hourly: dict[int, dict[dt.datetime, float]]
) -> dict[str, dict[dt.datetime, float]]:
    """Hourly means of the VN_AQI parameters in µg/m³ (CO too), keyed by the AQI module's parameter codes."""
    series: dict[str, dict[dt.datetime, float]] = {}
    for sensor in sensors:
        if sensor.code not in AQI_PARAMETERS:
            continue
        try:
            factor = conversion_factor(sensor.code, sensor.unit, AQI_UNIT)
        except UnitMismatch:
            continue
        values = hourly.get(sensor.pk, {})
        series[sensor.code] = values if factor == 1.0 else {h: v * factor for h, v in values.items()}
    return {k: v for k, v in series.items() if v}


def _jsonable(values: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in values.items():
        if value is None or (isinstance(value, float) and not math.isfinite(value)):
            out[key] = None
        elif isinstance(value, float | np.floating):
            out[key] = round(float(value), 3)
        else:
            out[key] = value
    return out


def _write_aqi(
    station: Station,
    sensors: Sequence[StationParameter],
    hourly: dict[int, dict[dt.datetime, float]],
    hours: Sequence[dt.datetime],
    days: Sequence[dt.date],
    config: AqiConfig,
) -> int:
    series = aqi_series(sensors, hourly)
    # NowCast at hour h uses hours h-11 … h, so a changed hour changes the next 12 indices; never publish the future.
    latest = hour_label_now()
    wanted_hours = {h + HOUR * k for h in hours for k in range(12)}
    wanted_hours = {h for h in wanted_hours if h <= latest}
    days = [d for d in days if d <= (latest - HOUR).date()]
    hourly_rows: list[HourlyAqi] = []
    daily_rows: list[DailyAqi] = []
    if series:
        grid = grid_from_series(series)
        hourly_result = hourly_aqi_grid(grid, config)
        daily_result = daily_aqi_grid(grid, config)
        labels = grid.hour_labels()
        index = {label: k for k, label in enumerate(labels)}
        for label in sorted(wanted_hours):
            k = index.get(label)
            if k is None:
                continue
            aqi = int(hourly_result.aqi[k])
            hourly_rows.append(
                HourlyAqi(
                    station=station,
                    hour=aware(label),
                    aqi=aqi if aqi >= 0 else None,
                    dominant=hourly_result.dominant_name(k) or "",
                    sub_indices={p: _round_sub(hourly_result.exact[p][k]) for p in AQI_PARAMETERS},
                )
            )
        day_index = {day: k for k, day in enumerate(grid.days())}
        for day in days:
            k = day_index.get(day)
            if k is None:
                daily_rows.append(
                    DailyAqi(station=station, day=day, aqi=None, sub_indices={}, concentrations={})
                )
                continue
            aqi = int(daily_result.aqi[k])
            daily_rows.append(
                DailyAqi(
                    station=station,
                    day=day,
                    aqi=aqi if aqi >= 0 else None,
                    dominant=daily_result.dominant_name(k) or "",
                    sub_indices={p: _round_sub(daily_result.exact[p][k]) for p in AQI_PARAMETERS},
                    concentrations=_jsonable(
                        {p: float(daily_result.concentrations[p][k]) for p in AQI_PARAMETERS}
                    ),
                )
            )
    else:
        hourly_rows = [
            HourlyAqi(station=station, hour=aware(h), aqi=None, sub_indices={}) for h in sorted(wanted_hours)
        ]
        daily_rows = [
            DailyAqi(station=station, day=d, aqi=None, sub_indices={}, concentrations={}) for d in days
        ]
    HourlyAqi.objects.bulk_create(
        hourly_rows,
        update_conflicts=True,
        unique_fields=["station", "hour"],
        update_fields=["aqi", "dominant", "sub_indices"],
        batch_size=2000,
    )
    DailyAqi.objects.bulk_create(
        daily_rows,
        update_conflicts=True,
        unique_fields=["station", "day"],
        update_fields=["aqi", "dominant", "sub_indices", "concentrations"],
        batch_size=2000,
    )
    return len(hourly_rows)


def hour_label_now() -> dt.datetime:
    """The label of the last completed hour (naive local): indices up to it may be published."""
    return local_now().replace(minute=0, second=0, microsecond=0)


def _round_sub(value: float) -> int | None:
    from .aqi.index import round_half_up

    return None if not math.isfinite(value) else round_half_up(float(value))
