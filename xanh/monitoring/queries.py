"""Read-side queries of the public pages and the API (no writes). Each page uses a handful of indexed queries, so
it answers quickly whatever the size of the measurement table."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F

from .aqi.tables import CATEGORIES, NO_DATA_HEX, NO_DATA_LABEL, Category, category_for
from .fileformat import display_symbol
from .models import DailyAqi, DailyValue, ExceedanceEvent, HourlyAqi, HourlyValue, Station, StationKind
from .timeutil import HOUR, aware, local_now, naive_local

CURRENT_WITHIN = dt.timedelta(hours=3)


@dataclass
class AqiCell:
    label: str  # hour or day, for people
    aqi: int | None
    dominant: str = ""

    @property
    def category(self) -> Category | None:
        return category_for(self.aqi)

    @property
    def colour(self) -> str:
        return self.category.hex if self.category else NO_DATA_HEX

    @property
    def text_colour(self) -> str:
        return self.category.text_hex if self.category else "#000000"

    @property
    def category_label(self) -> str:
        return self.category.label if self.category else NO_DATA_LABEL

    @property
    def dominant_label(self) -> str:
        return display_symbol(self.dominant) if self.dominant else ""


@dataclass
class StationCard:
    station: Station
    current: AqiCell
    updated: dt.datetime | None
    x: float = 0.0
    y: float = 0.0
    parameters: list[dict[str, Any]] = field(default_factory=list)


def last_completed_hour() -> dt.datetime:
    return local_now().replace(minute=0, second=0, microsecond=0)


def current_aqi(stations: list[Station]) -> dict[int, HourlyAqi]:
    """The latest hourly index of each station, if it is at most CURRENT_WITHIN old."""
    since = aware(last_completed_hour()) - CURRENT_WITHIN
    rows = (
        HourlyAqi.objects.filter(station__in=stations, hour__gt=since, aqi__isnull=False)
        .order_by("station_id", "-hour")
        .only("station_id", "hour", "aqi", "dominant", "sub_indices")
    )
    latest: dict[int, HourlyAqi] = {}
    for row in rows:
        latest.setdefault(row.station_id, row)
    return latest


def station_cards(stations: list[Station]) -> list[StationCard]:
    latest = current_aqi([s for s in stations if s.kind == StationKind.AMBIENT])
    cards = []
    for station in stations:
        row = latest.get(station.pk)
        cell = AqiCell("", row.aqi if row else None, row.dominant if row else "")
        cards.append(StationCard(station, cell, naive_local(row.hour) if row else None))
    return cards


def project(cards: list[StationCard], width: int = 640, height: int = 440, pad: int = 40) -> dict[str, Any]:
    """Place stations on an SVG canvas (equirectangular, scaled by cos(latitude)); returns grid lines too."""
    if not cards:
        return {"width": width, "height": height, "grid": []}
    lats = [c.station.latitude for c in cards]
    lons = [c.station.longitude for c in cards]
    lat0, lat1 = min(lats) - 0.02, max(lats) + 0.02
    lon0, lon1 = min(lons) - 0.02, max(lons) + 0.02
    kx = math.cos(math.radians((lat0 + lat1) / 2))
    span_x, span_y = (lon1 - lon0) * kx, lat1 - lat0
    scale = min((width - 2 * pad) / span_x, (height - 2 * pad) / span_y)
    off_x = (width - span_x * scale) / 2
    off_y = (height - span_y * scale) / 2
    for card in cards:
        card.x = round(off_x + (card.station.longitude - lon0) * kx * scale, 1)
        card.y = round(off_y + (lat1 - card.station.latitude) * scale, 1)
    grid = []
    step = 0.05
    value = math.ceil(lon0 / step) * step
    while value <= lon1:
        x = round(off_x + (value - lon0) * kx * scale, 1)
        grid.append({"x1": x, "y1": 0, "x2": x, "y2": height, "label": f"{value:.2f}°Đ".replace(".", ",")})
        value += step
    value = math.ceil(lat0 / step) * step
    while value <= lat1:
        y = round(off_y + (lat1 - value) * scale, 1)
        grid.append({"x1": 0, "y1": y, "x2": width, "y2": y, "label": f"{value:.2f}°B".replace(".", ",")})
        value += step
    return {"width": width, "height": height, "grid": grid}


def last_hours(station: Station, hours: int = 48) -> list[AqiCell]:
    end = last_completed_hour()
    start = end - HOUR * (hours - 1)
    rows = {
        naive_local(h): (a, d)
        for h, a, d in HourlyAqi.objects.filter(
            station=station, hour__gte=aware(start), hour__lte=aware(end)
        ).values_list("hour", "aqi", "dominant")
    }
    cells = []
    for k in range(hours):
        label = start + HOUR * k
        aqi, dominant = rows.get(label, (None, ""))
        cells.append(AqiCell(f"{label:%H:%M %d/%m}", aqi, dominant))
    return cells


def last_days(station: Station, days: int = 30) -> list[AqiCell]:
    today = local_now().date()
    first = today - dt.timedelta(days=days)
    rows = {
        d: (a, dom)
        for d, a, dom in DailyAqi.objects.filter(station=station, day__gte=first, day__lt=today).values_list(
            "day", "aqi", "dominant"
        )
    }
    cells = []
    for k in range(days):
        day = first + dt.timedelta(days=k)
        aqi, dominant = rows.get(day, (None, ""))
        cells.append(AqiCell(f"{day:%d/%m}", aqi, dominant))
    return cells


def latest_values(station: Station) -> list[dict[str, Any]]:
    """The latest hourly mean of each parameter (within CURRENT_WITHIN)."""
    since = aware(last_completed_hour()) - CURRENT_WITHIN
    sensors = list(station.parameters.filter(is_active=True).order_by("code"))
    rows = (
        HourlyValue.objects.filter(sensor__in=sensors, hour__gt=since, mean__isnull=False)
        .order_by("sensor_id", "-hour")
        .values_list("sensor_id", "hour", "mean")
    )
    latest: dict[int, tuple[dt.datetime, float]] = {}
    for sensor_id, hour, mean in rows:
        latest.setdefault(sensor_id, (naive_local(hour), mean))
    out = []
    for sensor in sensors:
        found = latest.get(sensor.pk)
        out.append(
            {
                "code": sensor.code,
                "label": display_symbol(sensor.code),
                "unit": sensor.unit,
                "value": found[1] if found else None,
                "hour": found[0] if found else None,
                "limit": sensor.limit_value,
            }
        )
    return out


def source_summaries(stations: list[Station], days: int = 30) -> list[dict[str, Any]]:
    """Large emission sources: per stack parameter with a permitted limit, the last `days` days against the limit."""
    today = local_now().date()
    first = today - dt.timedelta(days=days)
    out = []
    for station in stations:
        sensors = [s for s in station.parameters.all() if s.limit_value is not None and s.is_active]
        daily_max = {
            (sid, day): value
            for sid, day, value in DailyValue.objects.filter(
                sensor__in=sensors, day__gte=first, day__lt=today
            ).values_list("sensor_id", "day", "max_1h")
        }
        hours_over = dict(
            HourlyValue.objects.filter(
                sensor__in=sensors,
                hour__gte=aware(dt.datetime.combine(first, dt.time())),
                mean__gt=F("sensor__limit_value"),
            )
            .values("sensor_id")
            .annotate(n=Count("id"))
            .values_list("sensor_id", "n")
        )
        events = dict(
            ExceedanceEvent.objects.filter(
                sensor__in=sensors, end__gte=aware(dt.datetime.combine(first, dt.time()))
            )
            .values("sensor_id")
            .annotate(n=Count("id"))
            .values_list("sensor_id", "n")
        )
        rows = []
        for sensor in sensors:
            limit = float(sensor.limit_value or 0)
            cells = []
            for k in range(days):
                day = first + dt.timedelta(days=k)
                value = daily_max.get((sensor.pk, day))
                cells.append(
                    {"day": f"{day:%d/%m}", "value": value, "over": value is not None and value > limit}
                )
            rows.append(
                {
                    "sensor": sensor,
                    "label": display_symbol(sensor.code),
                    "limit": limit,
                    "cells": cells,
                    "hours_over": hours_over.get(sensor.pk, 0),
                    "events": events.get(sensor.pk, 0),
                    "peak": max((c["value"] for c in cells if c["value"] is not None), default=None),
                }
            )
        out.append({"station": station, "rows": rows})
    return out


def categories() -> tuple[Category, ...]:
    return CATEGORIES
