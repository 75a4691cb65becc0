"""Indicators computed from monitoring data, written as IndicatorValues with source "monitoring".

* QT-AQI-TOT-TB — share of days with a daily VN_AQI of Tốt or Trung bình (AQI ≤ 100), in %, among days that have a
  daily index; per station (disaggregation "station=<code>") and for the province (all station-days pooled).
* QT-PM25-TBNAM — annual mean PM2.5 (µg/m³): the mean of the valid 24-hour means of the year, per station; the
  province value is the mean of the station values. QCVN 05:2023 annual limit: 25 µg/m³.
* QT-NGAY-VUOT — number of days with at least one exceedance event (QCVN 05:2023 for ambient stations), per
  station; the province value counts days on which any ambient station exceeded.

Only ambient stations count. A value for a year still in progress, or with fewer than `MIN_DAY_SHARE` of its days
measured, is written as "submitted" (provisional) and labelled so in the note; a complete past year may be written
as approved so that evaluation and reports use it. Choices are Xanh's (no national method is known).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Avg, Count, Q

from xanh.indicators.models import Indicator, IndicatorDirection, ValueSource, ValueStatus
from xanh.indicators.services import record_value

from .exceedances import exceedance_days
from .models import DailyAqi, DailyValue, Station, StationKind
from .timeutil import local_now

MIN_DAY_SHARE = 0.75
SOURCE_DETAIL = "Quan trắc tự động; VN_AQI theo QĐ 1459/QĐ-TCMT, giới hạn theo QCVN 05:2023/BTNMT"

DEFINITIONS: dict[str, dict[str, Any]] = {
    "QT-AQI-TOT-TB": {
        "name": "Tỷ lệ số ngày có chỉ số chất lượng không khí (VN_AQI) ở mức Tốt hoặc Trung bình",
        "unit": "%",
        "direction": IndicatorDirection.INCREASE,
    },
    "QT-PM25-TBNAM": {
        "name": "Nồng độ bụi PM2,5 trung bình năm tại các trạm quan trắc tự động",
        "unit": "µg/m³",
        "direction": IndicatorDirection.DECREASE,
    },
    "QT-NGAY-VUOT": {
        "name": "Số ngày có thông số không khí vượt QCVN 05:2023/BTNMT tại trạm quan trắc tự động",
        "unit": "ngày",
        "direction": IndicatorDirection.DECREASE,
    },
}


def ensure_indicators() -> dict[str, Indicator]:
    out = {}
    for code, fields in DEFINITIONS.items():
        indicator, _ = Indicator.objects.get_or_create(
            code=code,
            defaults={
                **fields,
                "source": "Xanh — tính từ dữ liệu quan trắc tự động (QĐ 1459/QĐ-TCMT; QCVN 05:2023/BTNMT)",
                "responsible_agency_key": "so-tnmt",
            },
        )
        out[code] = indicator
    return out


@dataclass(frozen=True)
class StationYear:
    code: str
    days_with_aqi: int
    days_good_or_moderate: int
    pm25_mean: float | None
    pm25_days: int
    exceedance_days: int


def station_year_figures(stations: list[Station], year: int) -> tuple[list[StationYear], set[dt.date]]:
    ids = [s.pk for s in stations]
    aqi = {
        row["station_id"]: row
        for row in DailyAqi.objects.filter(station_id__in=ids, day__year=year, aqi__isnull=False)
        .values("station_id")
        .annotate(days=Count("id"), good=Count("id", filter=Q(aqi__lte=100)))
    }
    pm = {
        row["sensor__station_id"]: row
        for row in DailyValue.objects.filter(
            sensor__station_id__in=ids, sensor__code="PM2_5", day__year=year, mean_24h__isnull=False
        )
        .values("sensor__station_id")
        .annotate(mean=Avg("mean_24h"), days=Count("id"))
    }
    days_by_station = exceedance_days(ids, year)
    figures = []
    all_days: set[dt.date] = set()
    for station in stations:
        a = aqi.get(station.pk, {"days": 0, "good": 0})
        p = pm.get(station.pk, {"mean": None, "days": 0})
        exceeded = days_by_station.get(station.pk, set())
        all_days |= exceeded
        figures.append(StationYear(station.code, a["days"], a["good"], p["mean"], p["days"], len(exceeded)))
    return figures, all_days


def _days_in(year: int, today: dt.date) -> int:
    end = min(dt.date(year, 12, 31), today)
    return max(0, (end - dt.date(year, 1, 1)).days + 1)


def publish_indicators(*, user: Any, province_unit: Any, year: int, approve: bool = False) -> dict[str, int]:
    """Compute and write the monitoring indicators of a province for a year. Returns counts per outcome."""
    indicators = ensure_indicators()
    stations = list(
        Station.objects.filter(admin_unit=province_unit, kind=StationKind.AMBIENT).order_by("code")
    )
    figures, province_days = station_year_figures(stations, year)
    today = local_now().date()
    complete_year = today > dt.date(year, 12, 31)
    days_in_year = _days_in(year, today)
    counts = {"created": 0, "updated": 0, "unchanged": 0}

    def write(code: str, value: float, disaggregation: str, days_measured: int) -> None:
        share = days_measured / days_in_year if days_in_year else 0.0
        final = complete_year and share >= MIN_DAY_SHARE
        note = (
            f"Tính từ {days_measured} ngày có số liệu"
            + ("" if final else " — số liệu tạm tính (năm chưa kết thúc hoặc thiếu số liệu)")
            + "."
        )
        status = ValueStatus.APPROVED if (final and approve) else ValueStatus.SUBMITTED
        _, outcome = record_value(
            user=user,
            indicator=indicators[code],
            admin_unit=province_unit,
            period=str(year),
            value=round(value, 2),
            unit=indicators[code].unit,
            disaggregation=disaggregation,
            source=ValueSource.MONITORING,
            source_detail=SOURCE_DETAIL,
            note=note,
            status=status,
            reason="Tính từ dữ liệu quan trắc tự động",
        )
        counts[outcome] += 1

    total_days = sum(f.days_with_aqi for f in figures)
    total_good = sum(f.days_good_or_moderate for f in figures)
    pm_values = [f.pm25_mean for f in figures if f.pm25_mean is not None]
    for f in figures:
        key = f"station={f.code}"
        if f.days_with_aqi:
            write("QT-AQI-TOT-TB", 100.0 * f.days_good_or_moderate / f.days_with_aqi, key, f.days_with_aqi)
        if f.pm25_mean is not None:
            write("QT-PM25-TBNAM", f.pm25_mean, key, f.pm25_days)
        if f.days_with_aqi or f.pm25_days:
            write("QT-NGAY-VUOT", float(f.exceedance_days), key, max(f.days_with_aqi, f.pm25_days))
    if total_days:
        measured = max(f.days_with_aqi for f in figures)
        write("QT-AQI-TOT-TB", 100.0 * total_good / total_days, "", measured)
        write("QT-NGAY-VUOT", float(len(province_days)), "", measured)
    if pm_values:
        write("QT-PM25-TBNAM", sum(pm_values) / len(pm_values), "", max(f.pm25_days for f in figures))
    return counts
