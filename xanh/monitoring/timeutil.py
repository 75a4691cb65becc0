"""Local time of monitoring data.

Datalogger files carry naive local time. The regulation does not state the time zone (monitoring-data.md §4); Xanh
reads it as Vietnam time, Asia/Ho_Chi_Minh (UTC+7, no daylight saving), configurable with the setting
XANH_MONITORING_TIME_ZONE. The database stores aware times (UTC); the pure modules work on naive local times.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from zoneinfo import ZoneInfo

from django.conf import settings

HOUR = dt.timedelta(hours=1)


@lru_cache(maxsize=1)
def local_zone() -> ZoneInfo:
    return ZoneInfo(getattr(settings, "XANH_MONITORING_TIME_ZONE", "Asia/Ho_Chi_Minh"))


def aware(naive: dt.datetime) -> dt.datetime:
    return naive.replace(tzinfo=local_zone())


def naive_local(moment: dt.datetime) -> dt.datetime:
    return moment.astimezone(local_zone()).replace(tzinfo=None)


def local_now() -> dt.datetime:
    return naive_local(dt.datetime.now(dt.UTC))


def day_start(day: dt.date) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, tzinfo=local_zone())


def hour_label(moment: dt.datetime) -> dt.datetime:
    """The aware hour label (end of the hour, local) of an aware or naive-local moment."""
    local = naive_local(moment) if moment.tzinfo else moment
    floor = local.replace(minute=0, second=0, microsecond=0)
    return aware(floor if floor == local else floor + HOUR)
