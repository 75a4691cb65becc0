"""Exceedance events and their notifications.

Ambient stations: 1-hour, 8-hour and 24-hour averages compared with QCVN 05:2023/BTNMT (limits.py; the annual limits
are reported with the indicators, not as events). Stack stations: the hourly (or 8-hour, 24-hour) averages compared
with the permitted limit recorded on the station parameter (from the facility's environmental permit).

An event is a run of consecutive periods above the limit; it records start, end, number of periods, peak and the
time of the peak. For 8-hour averages the periods are the hours whose rolling 8-hour mean exceeds the limit.
Events are rebuilt around the hours that changed, so late data can extend, split or remove them.

New events are mailed to the coordinators of the province and, for stacks, to the facility's contacts; events that
ended more than `NOTIFY_WITHIN` ago (a backfill of old data) are recorded without mail.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db.models import Q
from django.utils import timezone

from .aqi import AqiConfig
from .fileformat import display_symbol
from .limits import QCVN_05_2023, Period, Run, ambient_averagings, ambient_limit, exceedance_runs
from .models import (
    Averaging,
    DailyValue,
    ExceedanceEvent,
    HourlyValue,
    Station,
    StationKind,
    StationParameter,
)
from .timeutil import HOUR, aware, day_start, naive_local

NOTIFY_WITHIN = dt.timedelta(hours=48)
DAY = dt.timedelta(days=1)
MAX_EXTENSIONS = 8


def _limits_for(station: Station, sensor: StationParameter) -> list[tuple[str, str]]:
    """(averaging, source) pairs to check for a sensor."""
    if station.kind == StationKind.AMBIENT:
        return [(a, QCVN_05_2023) for a in ambient_averagings(sensor.code) if a != Averaging.YEAR]
    if sensor.limit_value is not None and sensor.limit_averaging != Averaging.YEAR:
        source = sensor.limit_source or (
            f"Giấy phép môi trường {station.facility.permit_number}"
            if station.facility and station.facility.permit_number
            else "Giấy phép môi trường"
        )
        return [(sensor.limit_averaging, source)]
    return []


def _limit(station: Station, sensor: StationParameter, averaging: str, day: dt.date) -> float | None:
    if station.kind == StationKind.AMBIENT:
        return ambient_limit(sensor.code, averaging, day)
    return sensor.limit_value


def _hourly(sensor: StationParameter, start: dt.datetime, end: dt.datetime) -> dict[dt.datetime, float]:
    rows = HourlyValue.objects.filter(
        sensor=sensor, hour__gt=aware(start), hour__lte=aware(end), mean__isnull=False
    ).values_list("hour", "mean")
    return {naive_local(h): v for h, v in rows}


def _periods(
    station: Station,
    sensor: StationParameter,
    averaging: str,
    start: dt.datetime,
    end: dt.datetime,
    config: AqiConfig,
) -> list[Period]:
    """Periods of one averaging between start and end (naive local), in time order."""
    if averaging == Averaging.DAY:
        first, last = (start - HOUR).date(), (end - HOUR).date()
        values = dict(
            DailyValue.objects.filter(
                sensor=sensor, day__gte=first, day__lte=last, mean_24h__isnull=False
            ).values_list("day", "mean_24h")
        )
        periods = []
        day = first
        while day <= last:
            begin = dt.datetime(day.year, day.month, day.day)
            periods.append(
                Period(begin, begin + DAY, values.get(day), _limit(station, sensor, averaging, day))
            )
            day += DAY
        return periods
    hours = _hourly(sensor, start - 8 * HOUR, end)
    periods = []
    label = start.replace(minute=0, second=0, microsecond=0) + HOUR
    while label <= end:
        if averaging == Averaging.EIGHT_HOURS:
            window = [hours[label - HOUR * k] for k in range(8) if label - HOUR * k in hours]
            value = sum(window) / len(window) if len(window) >= config.min_hours_8h else None
        else:
            value = hours.get(label)
        periods.append(
            Period(label - HOUR, label, value, _limit(station, sensor, averaging, (label - HOUR).date()))
        )
        label += HOUR
    return periods


def refresh_sensor(
    station: Station,
    sensor: StationParameter,
    averaging: str,
    source: str,
    start: dt.datetime,
    end: dt.datetime,
    config: AqiConfig,
) -> tuple[int, list[ExceedanceEvent]]:
    """Rebuild the events of one sensor and averaging that overlap [start, end] (naive local).

    Returns (number of events now in the window, events that are new and need a notification).
    """
    existing = list(
        ExceedanceEvent.objects.filter(
            sensor=sensor, averaging=averaging, start__lt=aware(end), end__gt=aware(start)
        )
    )
    for event in existing:
        start = min(start, naive_local(event.start))
        end = max(end, naive_local(event.end))
    margin = DAY if averaging == Averaging.DAY else 12 * HOUR
    for _ in range(MAX_EXTENSIONS):
        lo, hi = start - margin, end + margin
        runs = exceedance_runs(_periods(station, sensor, averaging, lo, hi, config))
        if not any(r.start <= lo or r.end >= hi for r in runs):
            break
        margin *= 2
    relevant = [r for r in runs if r.start < end and r.end > start]
    # widen the replaced range to the runs found, so that no stored event is left overlapping a new one
    replace_lo = min([start, *(r.start for r in relevant)])
    replace_hi = max([end, *(r.end for r in relevant)])
    old = list(
        ExceedanceEvent.objects.filter(
            sensor=sensor, averaging=averaging, start__lt=aware(replace_hi), end__gt=aware(replace_lo)
        )
    )
    kept_keys = {(naive_local(e.start), naive_local(e.end), e.periods, e.peak_value) for e in old}
    unchanged = [r for r in relevant if (r.start, r.end, r.periods, r.peak_value) in kept_keys]
    if len(unchanged) == len(relevant) == len(old):
        return len(old), []
    new_events: list[ExceedanceEvent] = []
    to_notify: list[ExceedanceEvent] = []
    for run in relevant:
        overlapping = [e for e in old if naive_local(e.start) < run.end and naive_local(e.end) > run.start]
        notified = min((e.notified_at for e in overlapping if e.notified_at), default=None)
        event = _event(sensor, averaging, source, run, notified)
        new_events.append(event)
        if notified is None:
            to_notify.append(event)
    ExceedanceEvent.objects.filter(pk__in=[e.pk for e in old]).delete()
    ExceedanceEvent.objects.bulk_create(new_events)
    return len(new_events), to_notify


def _event(sensor: StationParameter, averaging: str, source: str, run: Run, notified: Any) -> ExceedanceEvent:
    return ExceedanceEvent(
        sensor=sensor,
        averaging=averaging,
        limit_value=run.limit,
        limit_source=source,
        start=aware(run.start),
        end=aware(run.end),
        periods=run.periods,
        peak_value=run.peak_value,
        peak_at=aware(run.peak_at),
        notified_at=notified,
    )


def refresh_station(
    station: Station,
    sensors: Sequence[StationParameter],
    hourly: dict[int, dict[dt.datetime, float]],
    hours: Sequence[dt.datetime],
    days: Sequence[dt.date],
    config: AqiConfig,
) -> tuple[int, int]:
    """Events around changed hours and days of a station; sends the notifications. Returns (events, mails)."""
    if not hours:
        return 0, 0
    events = 0
    to_notify: list[ExceedanceEvent] = []
    for sensor in sensors:
        for averaging, source in _limits_for(station, sensor):
            if averaging == Averaging.DAY:
                start = dt.datetime.combine(days[0], dt.time())
                end = dt.datetime.combine(days[-1], dt.time()) + DAY
            else:
                start = hours[0] - HOUR
                end = hours[-1] + (7 * HOUR if averaging == Averaging.EIGHT_HOURS else dt.timedelta())
            count, new = refresh_sensor(station, sensor, averaging, source, start, end, config)
            events += count
            to_notify += new
    return events, notify(station, to_notify)


def recipients(station: Station) -> list[str]:
    users = get_user_model().objects.filter(is_active=True, role="coordinator").exclude(email="")
    users = users.filter(Q(admin_unit__isnull=True) | Q(admin_unit=station.admin_unit))
    emails = [u.email for u in users]
    if station.facility is not None:
        emails += station.facility.contacts()
    return sorted(set(emails))


def _fmt(value: float) -> str:
    from xanh.core.numbers import format_number_vi

    return format_number_vi(value, 1, strip_zeros=True)


def notify(station: Station, events: Sequence[ExceedanceEvent]) -> int:
    """Mail new, recent events; mark them notified. Returns the number of mails sent."""
    now = timezone.now()
    recent = [e for e in events if e.end >= now - NOTIFY_WITHIN]
    if not recent:
        return 0
    to = recipients(station)
    if not to:
        return 0
    lines = []
    for event in recent:
        sensor = event.sensor
        start, end, peak = naive_local(event.start), naive_local(event.end), naive_local(event.peak_at)
        lines.append(
            f"- {display_symbol(sensor.code)} ({Averaging(event.averaging).label.lower()}): "
            f"từ {start:%H:%M %d/%m/%Y} đến {end:%H:%M %d/%m/%Y}, cao nhất {_fmt(event.peak_value)} {sensor.unit} "
            f"lúc {peak:%H:%M %d/%m/%Y}, giới hạn {_fmt(event.limit_value)} {sensor.unit} ({event.limit_source})."
        )
    owner = f" của {station.facility.name}" if station.facility else ""
    subject = f"[Xanh] Vượt giới hạn tại trạm {station.code}{owner}"
    body = (
        f"Trạm {station.code} — {station.name}{owner} ghi nhận giá trị vượt giới hạn:\n\n"
        + "\n".join(lines)
        + "\n\nThư gửi tự động từ hệ thống Xanh. Số liệu quan trắc tự động, chưa được thẩm định."
    )
    send_mail(subject, body, getattr(settings, "DEFAULT_FROM_EMAIL", None), to, fail_silently=False)
    ExceedanceEvent.objects.filter(pk__in=[e.pk for e in recent if e.pk]).update(notified_at=now)
    for event in recent:
        event.notified_at = now
    return 1


def exceedance_days(station_ids: Sequence[int], year: int) -> dict[int, set[dt.date]]:
    """Local days touched by any exceedance event of each station in a year."""
    start, end = day_start(dt.date(year, 1, 1)), day_start(dt.date(year + 1, 1, 1))
    out: dict[int, set[dt.date]] = {s: set() for s in station_ids}
    rows = ExceedanceEvent.objects.filter(
        sensor__station_id__in=station_ids, start__lt=end, end__gt=start
    ).values_list("sensor__station_id", "start", "end")
    for station_id, event_start, event_end in rows:
        first = naive_local(max(event_start, start))
        last = naive_local(min(event_end, end)) - dt.timedelta(microseconds=1)
        day = first.date()
        while day <= last.date():
            out[station_id].add(day)
            day += DAY
    return out
