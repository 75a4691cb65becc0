"""Monitoring services: the only way views, the API, the CLI and jobs write monitoring data.

Who may do what (decided by xanh.accounts.permissions): an administrator everywhere; a coordinator for the stations
of their province. Folder ingestion from the command line runs with the rights of the server operator (user None),
because whoever can run `xanh` on the server can already write to the database.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from xanh.accounts import permissions
from xanh.core.audit import stamp
from xanh.core.errors import Problem, ValidationFailed

from . import indicators, rollups
from .ingest import BatchResult, FileInput, Registry, ingest
from .models import DirtyHour, FlagSource, IngestSource, QaFlag, Station
from .rollups import ProcessResult
from .timeutil import HOUR, aware, hour_label, naive_local

MAX_UPLOAD_FILES = 20_000


def can_manage_station(user: Any, station: Station) -> bool:
    return permissions.coordinates_unit(user, station.admin_unit)


def can_upload(user: Any) -> bool:
    return permissions.is_admin(user) or permissions.is_coordinator(user)


def ingest_files(
    *,
    user: Any,
    files: Iterable[FileInput],
    source: str = IngestSource.UPLOAD,
    process: bool = True,
    progress: Callable[[int], None] | None = None,
    now: dt.datetime | None = None,
) -> tuple[BatchResult, ProcessResult | None]:
    """Ingest station files (datalogger .txt or .csv). With `user` None the caller is the server operator.

    Files of stations the user may not manage are logged and rejected, not stored. With `process`, the dirty hours
    are processed right away (QA, rollups, AQI, exceedances); otherwise they wait for `process_queue`.
    """
    allowed: Callable[[Station], bool] | None = None
    if user is not None:
        permissions.require(
            can_upload(user), _("Chỉ quản trị hoặc cán bộ điều phối được gửi dữ liệu quan trắc.")
        )

        def allowed(station: Station) -> bool:
            return can_manage_station(user, station)

    batch = ingest(files, source=source, user=user, now=now, registry=Registry(), allowed_station=allowed,
                   progress=progress)  # fmt: skip
    processed = rollups.process_dirty() if process and batch.dirty_stations else None
    return batch, processed


def files_from_directory(directory: Path, *, pattern: str = "*") -> list[FileInput]:
    """Inbox files (.txt and .csv) in name order, which is time order for datalogger names."""
    if pattern != "*":
        names = sorted(p.name for p in directory.glob(pattern) if p.is_file())
    else:  # one scandir, no Path object per file until needed (an inbox day is 14,400 files)
        with os.scandir(directory) as entries:
            names = sorted(e.name for e in entries if e.is_file())
    files = []
    for name in names:
        if name[-4:].lower() not in (".txt", ".csv"):
            continue
        path = directory / name
        with open(path, "rb", buffering=0) as handle:
            files.append(FileInput(name, handle.read(), path))
    return files


def process_queue(*, limit_hours: int | None = None) -> ProcessResult:
    return rollups.process_dirty(limit_hours=limit_hours)


def _queue_hours(station: Station, start: dt.datetime, end: dt.datetime) -> int:
    first, last = hour_label(start), hour_label(end)
    hours = []
    hour = first
    while hour <= last:
        hours.append(DirtyHour(station=station, hour=hour))
        hour += HOUR
    DirtyHour.objects.bulk_create(hours, ignore_conflicts=True, batch_size=2000)
    return len(hours)


@transaction.atomic
def flag_invalid(
    *,
    user: Any,
    station: Station,
    start: dt.datetime,
    end: dt.datetime,
    parameters: Sequence[str] = (),
    reason: str,
    process: bool = True,
) -> QaFlag:
    """An operator marks a period of a station (some or all parameters) as invalid. The affected hourly means,
    daily values, indices and exceedance events are recomputed."""
    permissions.require(can_manage_station(user, station), _("Bạn không quản lý trạm này."))
    problems = []
    if not reason.strip():
        problems.append(Problem(_("cần ghi lý do đánh dấu số liệu không hợp lệ"), column="reason"))
    if start.tzinfo is None or end.tzinfo is None:
        start, end = (
            aware(start) if start.tzinfo is None else start,
            aware(end) if end.tzinfo is None else end,
        )
    if end < start:
        problems.append(Problem(_("thời điểm kết thúc phải sau thời điểm bắt đầu"), column="end"))
    if end - start > dt.timedelta(days=366):
        problems.append(Problem(_("mỗi lần đánh dấu tối đa một năm"), column="end"))
    known = set(station.parameters.values_list("code", flat=True))
    unknown = [p for p in parameters if p not in known]
    if unknown:
        problems.append(
            Problem(_("trạm không có thông số: %(p)s") % {"p": ", ".join(unknown)}, column="parameters")
        )
    if problems:
        raise ValidationFailed(problems)
    flag = QaFlag(
        station=station,
        parameters=sorted(set(parameters)),
        start=start,
        end=end,
        kind="operator",
        reason=reason.strip(),
        invalidates=True,
        source=FlagSource.OPERATOR,
        created_by=user if getattr(user, "pk", None) else None,
    )
    stamp(flag, user=user, reason=_("Đánh dấu số liệu không hợp lệ"))
    flag.save()
    _queue_hours(station, start, end)
    if process:
        transaction.on_commit(lambda: rollups.process_dirty())
    return flag


@transaction.atomic
def revoke_flag(*, user: Any, flag: QaFlag, reason: str, process: bool = True) -> QaFlag:
    """Withdraw an operator flag; the period counts again."""
    permissions.require(can_manage_station(user, flag.station), _("Bạn không quản lý trạm này."))
    if flag.source != FlagSource.OPERATOR:
        raise ValidationFailed([Problem(_("chỉ thu hồi được cờ do cán bộ đánh dấu"))])
    if flag.revoked_at is not None:
        return flag
    flag.revoked_at = timezone.now()
    stamp(flag, user=user, reason=reason or _("Thu hồi đánh dấu"))
    flag.save()
    _queue_hours(flag.station, flag.start, flag.end)
    if process:
        transaction.on_commit(lambda: rollups.process_dirty())
    return flag


def publish_indicators(*, user: Any, province_unit: Any, year: int, approve: bool = False) -> dict[str, int]:
    """Write the monitoring indicators (share of good/moderate days, annual mean PM2.5, exceedance days)."""
    permissions.require(
        permissions.coordinates_unit(user, province_unit), _("Bạn không điều phối số liệu của tỉnh này.")
    )
    return indicators.publish_indicators(user=user, province_unit=province_unit, year=year, approve=approve)


def local_period(start: dt.datetime, end: dt.datetime) -> str:
    return f"{naive_local(start):%H:%M %d/%m/%Y} – {naive_local(end):%H:%M %d/%m/%Y}"
