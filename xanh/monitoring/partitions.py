"""Monthly range partitions of monitoring_measurement on PostgreSQL (created on demand before each load).

Bounds are local (Vietnam) month starts, so a month of data sits in one partition. There is no default partition:
a row whose month has no partition would fail loudly instead of landing in a catch-all that later blocks creating
the month's partition.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import connection

from .timeutil import local_zone

TABLE = "monitoring_measurement"


def partition_name(year: int, month: int) -> str:
    return f"{TABLE}_p{year:04d}{month:02d}"


def ensure_partitions(months: Iterable[tuple[int, int]]) -> list[str]:
    """Create the partitions of the given (year, month) pairs if missing; returns the names created.

    No process-wide cache: DDL is transactional on PostgreSQL, so a partition created in a rolled-back transaction
    is gone; one catalogue lookup per month of a batch is cheap.
    """
    if connection.vendor != "postgresql":
        return []
    created: list[str] = []
    zone = local_zone()
    with connection.cursor() as cursor:
        for year, month in sorted(set(months)):
            start = dt.datetime(year, month, 1, tzinfo=zone)
            end = dt.datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=zone)
            name = partition_name(year, month)
            cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [name])
            if not cursor.fetchone()[0]:
                # Name and bounds are built from integers and a fixed time zone: nothing user-supplied.
                cursor.execute(
                    f"CREATE TABLE IF NOT EXISTS {name} PARTITION OF {TABLE} "
                    f"FOR VALUES FROM ('{start.isoformat()}') TO ('{end.isoformat()}')"
                )
                created.append(name)
    return created


def list_partitions() -> list[str]:
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "JOIN pg_class p ON p.oid = i.inhparent WHERE p.relname = %s ORDER BY c.relname",
            [TABLE],
        )
        return [row[0] for row in cursor.fetchall()]
