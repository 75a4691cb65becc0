"""Ingestion engine: files -> parse (pure) -> registry lookup -> bulk load -> file log -> dirty-hour queue.

Called by the services (xanh.monitoring.services.ingest_files), which check permissions. Idempotent: a measurement
is unique on (sensor, time); a value already stored with the same value and status is "unchanged", a different one
is a conflict (the stored value is kept, the new one reported with file and line). Every file gets an IngestedFile
row with its counts and problems, and the raw bytes are kept in the archive folder: one tar per chunk of files
(rawarchive.py), each log pointing at its member (raw_path = the tar, raw_offset = where the bytes start).

Bulk loading on PostgreSQL (the table is partitioned by month, partitions are created on demand): when no stored
measurement lies in any loaded sensor's time range (new data, the normal case) the rows are COPied straight into the
table inside a savepoint; otherwise, or if that COPY meets an existing key (a concurrent batch), COPY into a
temporary staging table then INSERT … ON CONFLICT DO NOTHING, which reports conflicts. SQLite: one-transaction
executemany with INSERT OR IGNORE (a bulk CSV file in the common case: csvsql.SqliteDirect, a plain INSERT).
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import json
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from . import csvsql, fileformat, rawarchive
from .fileformat import Issue, ParsedFile
from .models import DirtyHour, FileOutcome, IngestBatch, IngestedFile, Station
from .partitions import ensure_partitions
from .timeutil import HOUR, aware, local_now, local_zone
from .units import UnitMismatch, conversion_factor

STATUS_CODES = {"00": 0, "01": 1, "02": 2}
MAX_PROBLEMS_PER_FILE = 200
CHUNK_FILES = 5000
CHUNK_READINGS = 250_000
SQL_CSV = True  # bulk CSV: the well-formed lines go by the database paths of csvsql.py (PostgreSQL, SQLite)
PIPELINE = True  # PostgreSQL outside a transaction: store chunk n while parsing chunk n + 1 (see _STORER)


def archive_root() -> Path:
    return Path(
        getattr(settings, "XANH_MONITORING_ARCHIVE_DIR", Path(settings.MEDIA_ROOT) / "monitoring" / "raw")
    )


@dataclass(slots=True)
class FileInput:
    """One received file. `source_path` is set for inbox files, which are removed from the inbox once their chunk
    (with its raw tar) is committed."""

    name: str
    content: bytes
    source_path: Path | None = None


def raw_content(log: IngestedFile) -> bytes:
    """The raw bytes of a received file, as kept for audit: a member of a chunk's tar (raw_offset set) or, for logs
    written before the tar archive, a file of its own."""
    path = archive_root() / log.raw_path
    if log.raw_offset is None:
        return path.read_bytes()
    return rawarchive.read_member(path, log.raw_offset, log.size)


@dataclass(slots=True)
class FileResult:
    name: str
    outcome: str
    station: str | None
    lines: int
    parsed: int
    stored: int
    unchanged: int
    conflicts: int
    rejected: int
    problems: list[str]
    log_id: int | None = None


@dataclass(slots=True)
class BatchResult:
    batch_id: int
    files: list[FileResult] = field(default_factory=list)
    dirty_stations: set[int] = field(default_factory=set)

    @property
    def totals(self) -> dict[str, int]:
        keys = ("lines", "parsed", "stored", "unchanged", "conflicts", "rejected")
        return {k: sum(getattr(f, k) for f in self.files) for k in keys} | {"files": len(self.files)}


@dataclass(frozen=True, slots=True)
class SensorInfo:
    id: int
    station_id: int
    code: str
    unit: str


class Registry:
    """The station registry in memory for one batch: logger keys, station codes and sensors."""

    def __init__(self, stations: Iterable[Station] | None = None) -> None:
        if stations is None:
            stations = Station.objects.prefetch_related("parameters")
        self.by_logger: dict[tuple[str, str, str], Station] = {}
        self.by_code: dict[str, Station] = {}
        self.by_pk: dict[int, Station] = {}
        self.sensors: dict[tuple[int, str], SensorInfo] = {}
        for station in stations:
            key = (
                station.logger_province.upper(),
                station.logger_facility.upper(),
                station.logger_station.upper(),
            )
            self.by_logger[key] = station
            self.by_code[station.code.upper()] = station
            self.by_pk[station.pk] = station
            for p in station.parameters.all():
                if p.is_active:
                    self.sensors[(station.pk, p.code)] = SensorInfo(p.pk, station.pk, p.code, p.unit)
        self._factors: dict[tuple[str, str, str], float | str] = {}

    def station_for_file(self, parsed: ParsedFile) -> Station | None:
        name = parsed.file_name
        if name is None:
            return None
        return self.by_logger.get((name.province.upper(), name.facility.upper(), name.station.upper()))

    def factor(self, parameter: str, from_unit: str, to_unit: str) -> float | str:
        key = (parameter, from_unit, to_unit)
        found = self._factors.get(key)
        if found is None:
            try:
                found = conversion_factor(parameter, from_unit, to_unit)
            except UnitMismatch as exc:
                found = str(exc)
            self._factors[key] = found
        return found


class _TimeText:
    """Aware database representations of naive local times, memoised (a batch shares few distinct times)."""

    def __init__(self) -> None:
        self.vendor = connection.vendor
        self.zone = local_zone()
        self._memo: dict[dt.datetime, Any] = {}

    def __call__(self, naive: dt.datetime) -> Any:
        found = self._memo.get(naive)
        if found is None:
            moment = naive.replace(tzinfo=self.zone)
            if self.vendor == "postgresql":
                found = moment.isoformat(sep=" ")
            else:
                found = connection.ops.adapt_datetimefield_value(moment)
            self._memo[naive] = found
        return found


@dataclass(slots=True)
class _LogRow:
    """The fields of one IngestedFile row, as plain data (building a Django model per file costs more than parsing
    the file)."""

    batch_id: int
    name: str
    kind: str
    station_id: int | None
    sha256: str
    size: int
    raw_path: str
    raw_offset: int | None
    received_at: dt.datetime
    pk: int | None = None
    lines: int = 0
    parsed: int = 0
    stored: int = 0
    unchanged: int = 0
    conflicts: int = 0
    rejected: int = 0
    outcome: str = FileOutcome.OK
    problems: list[dict[str, Any]] = field(default_factory=list)
    problems_omitted: int = 0

    def model(self) -> IngestedFile:
        return IngestedFile(**{f: getattr(self, f) for f in _LOG_FIELDS})


_LOG_FIELDS = ("batch_id", "name", "kind", "station_id", "sha256", "size", "raw_path", "raw_offset", "received_at", "lines",
               "parsed", "stored", "unchanged", "conflicts", "rejected", "outcome", "problems", "problems_omitted")  # fmt: skip


@dataclass(slots=True)
class _FileWork:
    input: FileInput
    parsed: ParsedFile
    sha256: str
    station: Station | None
    raw_path: str = ""
    raw_offset: int | None = None
    log: _LogRow | None = None
    rows: list[tuple[int, Any, float, int, int]] = field(
        default_factory=list
    )  # sensor, time, value, status, line
    hours: set[tuple[int, dt.datetime]] = field(default_factory=set)
    extra: list[Issue] = field(default_factory=list)
    rejected_lines: set[int] = field(default_factory=set)
    stored: int = 0
    conflicts: int = 0
    sql_rows: int = 0  # rows read and checked by the database (csvsql.py), not in `rows`


def _problem_dict(issue: Issue) -> dict[str, Any]:
    return {
        "line": issue.line,
        "severity": issue.severity,
        "code": issue.code,
        "field": issue.field,
        "message": issue.message,
    }


def _resolve(work: _FileWork, registry: Registry, to_db_time: _TimeText) -> None:
    """Station and sensor lookup, unit conversion; fills work.rows and the problems of this stage."""
    parsed = work.parsed
    file = parsed.name
    unknown_parameters: dict[tuple[str, str], list[int]] = defaultdict(list)
    unit_problems: dict[tuple[str, str, str], list[int]] = defaultdict(list)
    missing_unit: list[int] = []
    unknown_stations: dict[str, list[int]] = defaultdict(list)
    rows = work.rows
    hours = work.hours
    sensors = registry.sensors
    if parsed.kind == "datalogger" and work.station is None and parsed.file_name is not None:
        fn = parsed.file_name
        work.extra.append(
            Issue(
                file,
                0,
                "error",
                "unknown_station",
                f"trạm {fn.province}_{fn.facility}_{fn.station} chưa có trong danh mục trạm; tệp được lưu lại để "
                "nhập lại sau khi đăng ký trạm",
            )
        )
        work.rejected_lines.update(r.line for r in parsed.readings)
        return
    fixed_station = work.station if parsed.kind == "datalogger" else None
    by_code = registry.by_code
    status_codes = STATUS_CODES
    last_time: dt.datetime | None = None
    db_time: Any = None
    hour: dt.datetime | None = None
    # The hot loop of ingestion (one pass per reading): attribute lookups hoisted, the time conversions done once
    # per distinct time (a datalogger file usually holds one time).
    for reading in parsed.readings:
        station = fixed_station
        if station is None:
            station = by_code.get(reading.station.upper())
            if station is None:
                unknown_stations[reading.station].append(reading.line)
                continue
        station_id = station.id
        sensor = sensors.get((station_id, reading.parameter))
        if sensor is None:
            unknown_parameters[(station.code, reading.parameter)].append(reading.line)
            continue
        value = reading.value
        if reading.unit != sensor.unit:
            if not reading.unit:
                missing_unit.append(reading.line)
            else:
                factor = registry.factor(reading.parameter, reading.unit, sensor.unit)
                if isinstance(factor, str):
                    unit_problems[(reading.parameter, reading.unit, sensor.unit)].append(reading.line)
                    continue
                value = value * factor
        moment = reading.time
        if moment != last_time:
            last_time, db_time, hour = moment, to_db_time(moment), _hour_label(moment)
        rows.append((sensor.id, db_time, value, status_codes[reading.status], reading.line))
        hours.add((station_id, hour))  # type: ignore[arg-type]
    for code, lines in unknown_stations.items():
        work.rejected_lines.update(lines)
        work.extra.append(
            Issue(
                file,
                lines[0],
                "error",
                "unknown_station",
                f"trạm «{code}» chưa có trong danh mục ({_lines(lines)})",
            )
        )
    for (station_code, parameter), lines in unknown_parameters.items():
        work.rejected_lines.update(lines)
        work.extra.append(
            Issue(
                file,
                lines[0],
                "error",
                "unknown_parameter",
                f"trạm {station_code} chưa đăng ký thông số «{fileformat.display_symbol(parameter)}» "
                f"({_lines(lines)})",
                "ký hiệu",
            )
        )
    for (parameter, unit, expected), lines in unit_problems.items():
        work.rejected_lines.update(lines)
        work.extra.append(
            Issue(
                file,
                lines[0],
                "error",
                "unit",
                f"đơn vị «{unit}» của {fileformat.display_symbol(parameter)} không đổi được sang đơn vị đã đăng ký "
                f"«{expected}» ({_lines(lines)})",
                "đơn vị",
            )
        )
    if missing_unit:
        work.extra.append(
            Issue(
                file,
                missing_unit[0],
                "warning",
                "missing_unit",
                f"thiếu đơn vị; đã dùng đơn vị đã đăng ký của thông số ({_lines(missing_unit)})",
                "đơn vị",
            )
        )


_hour_memo: dict[dt.datetime, dt.datetime] = {}


def _hour_label(naive: dt.datetime) -> dt.datetime:
    found = _hour_memo.get(naive)
    if found is None:
        floor = naive.replace(minute=0, second=0, microsecond=0)
        found = aware(floor if floor == naive else floor + HOUR)
        if len(_hour_memo) > 100_000:
            _hour_memo.clear()
        _hour_memo[naive] = found
    return found


def _lines(lines: Sequence[int]) -> str:
    shown = ", ".join(str(n) for n in lines[:10])
    more = f" và {len(lines) - 10} dòng khác" if len(lines) > 10 else ""
    return f"dòng {shown}{more}"


def _load_postgresql(
    works: list[_FileWork],
) -> tuple[Counter[int], list[tuple[int, int, float, float, int | None]]]:
    """Load the rows of a chunk; returns stored rows per file id and the conflicts (file id, line, new value, stored
    value, file id of the stored value)."""
    months = set()
    ranges: dict[int, list[str]] = {}
    for work in works:
        for sensor_id, moment, *_rest in work.rows:
            months.add(moment[0:7])
            bounds = ranges.get(sensor_id)
            if bounds is None:
                ranges[sensor_id] = [moment, moment]
            elif moment < bounds[0]:  # same offset (+07:00) everywhere, so text order is time order
                bounds[0] = moment
            elif moment > bounds[1]:
                bounds[1] = moment
    ensure_partitions({(int(m[0:4]), int(m[5:7])) for m in months})
    if not ranges:
        return Counter(), []
    from psycopg.errors import UniqueViolation

    with connection.cursor() as cursor:
        raw = cursor.cursor if hasattr(cursor, "cursor") else cursor
        cursor.execute(
            "SELECT EXISTS (SELECT 1 FROM unnest(%s::bigint[], %s::timestamptz[], %s::timestamptz[]) AS r(s, lo, hi) "
            "WHERE EXISTS (SELECT 1 FROM monitoring_measurement m WHERE m.sensor_id = r.s "
            "AND m.time >= r.lo AND m.time <= r.hi))",
            [list(ranges), [b[0] for b in ranges.values()], [b[1] for b in ranges.values()]],
        )
        overlap = cursor.fetchone()[0]
        if not overlap:
            # New data (nothing stored in any sensor's range, the chunk itself is deduplicated): straight into
            # the table. A key stored meanwhile by another batch makes the COPY fail; then the careful path.
            try:
                with (
                    transaction.atomic(),
                    raw.copy(
                        "COPY monitoring_measurement (sensor_id, time, value, status, file_id) FROM STDIN"
                    ) as copy,
                ):
                    _write_rows(copy, works, with_line=False)
                return Counter({w.log.pk: len(w.rows) for w in works if w.rows and w.log and w.log.pk}), []
            except (IntegrityError, UniqueViolation):
                pass
        cursor.execute(
            "CREATE TEMP TABLE IF NOT EXISTS monitoring_staging (sensor_id bigint, time timestamptz, "
            "value double precision, status smallint, file_id bigint, line integer) ON COMMIT DELETE ROWS"
        )
        cursor.execute("TRUNCATE monitoring_staging")
        staged = sum(len(w.rows) for w in works)
        with raw.copy(
            "COPY monitoring_staging (sensor_id, time, value, status, file_id, line) FROM STDIN"
        ) as copy:
            _write_rows(copy, works, with_line=True)
        cursor.execute(
            "WITH inserted AS (INSERT INTO monitoring_measurement (sensor_id, time, value, status, file_id) "
            "SELECT sensor_id, time, value, status, file_id FROM monitoring_staging "
            "ON CONFLICT (sensor_id, time) DO NOTHING RETURNING file_id) "
            "SELECT file_id, count(*) FROM inserted GROUP BY file_id"
        )
        stored: Counter[int] = Counter({int(f): int(n) for f, n in cursor.fetchall()})
        conflicts: list[tuple[int, int, float, float, int | None]] = []
        if sum(stored.values()) < staged:
            cursor.execute(
                "SELECT s.file_id, s.line, s.value, m.value, m.file_id FROM monitoring_staging s "
                "JOIN monitoring_measurement m ON m.sensor_id = s.sensor_id AND m.time = s.time "
                "WHERE m.file_id IS DISTINCT FROM s.file_id AND (m.value <> s.value OR m.status <> s.status)"
            )
            conflicts = [(int(a), int(b), float(c), float(d), e) for a, b, c, d, e in cursor.fetchall()]
        cursor.execute("TRUNCATE monitoring_staging")
    return stored, conflicts


def _write_rows(copy: Any, works: list[_FileWork], *, with_line: bool) -> None:
    buffer: list[str] = []
    for work in works:
        assert work.log is not None
        file_id = work.log.pk
        if with_line:
            buffer.extend(
                f"{sensor_id}\t{moment}\t{value!r}\t{status}\t{file_id}\t{line}\n"
                for sensor_id, moment, value, status, line in work.rows
            )
        else:
            buffer.extend(
                f"{sensor_id}\t{moment}\t{value!r}\t{status}\t{file_id}\n"
                for sensor_id, moment, value, status, _line in work.rows
            )
        if len(buffer) > 20000:
            copy.write("".join(buffer))
            buffer.clear()
    if buffer:
        copy.write("".join(buffer))


def _load_sqlite(
    works: list[_FileWork],
) -> tuple[Counter[int], list[tuple[int, int, float, float, int | None]]]:
    stored: Counter[int] = Counter()
    conflicts: list[tuple[int, int, float, float, int | None]] = []
    insert = "INSERT OR IGNORE INTO monitoring_measurement (sensor_id, time, value, status, file_id) VALUES (?, ?, ?, ?, ?)"
    raw = connection.connection
    assert raw is not None
    for work in works:
        if not work.rows:
            continue
        assert work.log is not None
        file_id = work.log.pk
        before = raw.total_changes
        raw.executemany(insert, [(s, t, v, st, file_id) for s, t, v, st, _line in work.rows])
        inserted = raw.total_changes - before
        stored[file_id] = inserted
        if inserted < len(work.rows):
            sensors = sorted({r[0] for r in work.rows})
            times = [r[1] for r in work.rows]
            marks = ", ".join("?" for _ in sensors)
            stored_rows = {
                (sensor_id, str(moment)): (value, status, origin)
                for sensor_id, moment, value, status, origin in raw.execute(
                    "SELECT sensor_id, time, value, status, file_id FROM monitoring_measurement "  # noqa: S608
                    f"WHERE sensor_id IN ({marks}) AND time >= ? AND time <= ?",
                    (*sensors, min(times), max(times)),
                )
            }
            for sensor_id, moment, value, status, line in work.rows:
                found = stored_rows.get((sensor_id, str(moment)))
                if found is not None and found[2] != file_id and (found[0] != value or found[1] != status):
                    conflicts.append((file_id, line, value, float(found[0]), found[2]))
    return stored, conflicts


def load_rows(works: list[_FileWork]) -> tuple[Counter[int], list[tuple[int, int, float, float, int | None]]]:
    if connection.vendor == "postgresql":
        return _load_postgresql(works)
    connection.ensure_connection()
    return _load_sqlite(works)


def _chunks(files: Iterable[FileInput]) -> Iterator[list[FileInput]]:
    chunk: list[FileInput] = []
    size = 0
    for item in files:
        chunk.append(item)
        size += len(item.content) // 40 + 1  # about 40 bytes per reading line
        if len(chunk) >= CHUNK_FILES or size >= CHUNK_READINGS:
            yield chunk
            chunk, size = [], 0
    if chunk:
        yield chunk


def _outcome(work: _FileWork) -> str:
    issues = work.parsed.issues + work.extra
    has_errors = any(i.severity == "error" for i in issues)
    loaded = work.rows or work.sql_rows
    if not loaded and has_errors:
        return FileOutcome.REJECTED
    if loaded and work.stored == 0 and work.conflicts == 0 and not has_errors:
        return FileOutcome.UNCHANGED  # a re-sent file: nothing new
    if has_errors or work.conflicts:
        return FileOutcome.PARTIAL
    if any(i.severity == "warning" for i in issues):
        return FileOutcome.WARNINGS
    return FileOutcome.OK


def ingest(
    files: Iterable[FileInput],
    *,
    source: str,
    user: Any = None,
    now: dt.datetime | None = None,
    registry: Registry | None = None,
    allowed_station: Callable[[Station], bool] | None = None,
    progress: Callable[[int], None] | None = None,
) -> BatchResult:
    """Ingest files in chunks, one transaction per chunk. `allowed_station` (from the service's permission check)
    rejects files of stations the caller may not write to. Returns per-file results."""
    # A batch creates hundreds of thousands of small objects that live until the chunk is stored; the cyclic garbage
    # collector would scan them again and again for nothing (they hold no cycles), so it pauses during a batch.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _ingest(
            files, source=source, user=user, now=now, registry=registry, allowed_station=allowed_station,
            progress=progress,
        )  # fmt: skip
    finally:
        if collecting:
            gc.enable()


def _ingest(
    files: Iterable[FileInput],
    *,
    source: str,
    user: Any,
    now: dt.datetime | None,
    registry: Registry | None,
    allowed_station: Callable[[Station], bool] | None,
    progress: Callable[[int], None] | None,
) -> BatchResult:
    registry = registry or Registry()
    batch = IngestBatch.objects.create(source=source, user=user if getattr(user, "pk", None) else None)
    result = BatchResult(batch_id=batch.pk)
    parse_now = now or local_now()
    root = archive_root()
    cleanup: list[Future[None]] = []
    try:
        _run_chunks(files, batch, result, registry, allowed_station, parse_now, root, progress, cleanup)
    finally:
        for job in cleanup:  # the inbox is clean when ingest returns (a failed removal is raised here)
            job.result()
    totals = result.totals
    IngestBatch.objects.filter(pk=batch.pk).update(
        finished_at=timezone.now(),
        files=totals["files"],
        readings=totals["lines"],
        stored=totals["stored"],
        rejected=totals["rejected"],
    )
    return result


def _run_chunks(
    files: Iterable[FileInput],
    batch: IngestBatch,
    result: BatchResult,
    registry: Registry,
    allowed_station: Callable[[Station], bool] | None,
    parse_now: dt.datetime,
    root: Path,
    progress: Callable[[int], None] | None,
    cleanup: list[Future[None]],
) -> None:
    if PIPELINE and connection.vendor == "postgresql" and not connection.in_atomic_block:
        _run_pipelined(files, batch, result, registry, allowed_station, parse_now, root, progress, cleanup)
        return
    for chunk_number, chunk in enumerate(_chunks(files), start=1):
        if (
            SQL_CSV
            and connection.vendor in ("postgresql", "sqlite")
            and len(chunk) == 1
            and chunk[0].name.lower().endswith(".csv")
        ):
            try:
                with transaction.atomic():
                    _chunk(
                        chunk,
                        chunk_number,
                        batch,
                        result,
                        registry,
                        allowed_station,
                        parse_now,
                        root,
                        sql=True,
                    )
            except (_UsePythonPath, csvsql.RedoInPython):
                pass
            else:  # committed: the inbox copies can go (their bytes are in the archive)
                _remove_later(chunk, cleanup)
                if progress is not None:
                    progress(len(chunk))
                continue
        _chunk(chunk, chunk_number, batch, result, registry, allowed_station, parse_now, root, sql=False)
        _remove_later(chunk, cleanup)
        if progress is not None:
            progress(len(chunk))


def _chunk(
    chunk: list[FileInput],
    chunk_number: int,
    batch: IngestBatch,
    result: BatchResult,
    registry: Registry,
    allowed_station: Callable[[Station], bool] | None,
    parse_now: dt.datetime,
    root: Path,
    *,
    sql: bool,
) -> None:
    """One chunk, one transaction. With `sql` (PostgreSQL, one CSV file) the database parses the well-formed lines
    (csvsql.py) and only the others go through the Python parser; raises _UsePythonPath when that cannot be exact."""
    prepared = _prepare(chunk, chunk_number, batch, registry, allowed_station, parse_now, root, sql=sql)
    _store(prepared, batch, result)


@dataclass(slots=True)
class _Prepared:
    works: list[_FileWork]
    stage: csvsql.CsvStage | csvsql.CsvDirect | csvsql.SqliteDirect | None
    received: dt.datetime
    written: Path | None


def _prepare(
    chunk: list[FileInput],
    chunk_number: int,
    batch: IngestBatch,
    registry: Registry,
    allowed_station: Callable[[Station], bool] | None,
    parse_now: dt.datetime,
    root: Path,
    *,
    sql: bool,
) -> _Prepared:
    """Everything of a chunk before its transaction: parse, look up, convert, write the raw archive."""
    received = timezone.now()
    to_db_time = _TimeText()
    works: list[_FileWork] = []
    stage: csvsql.CsvStage | csvsql.CsvDirect | csvsql.SqliteDirect | None = None
    if sql:
        item = chunk[0]
        if connection.vendor == "sqlite":  # the common case as tuples for one plain executemany, else Python
            stage = csvsql.SqliteDirect.load(item.content, parse_now, registry, allowed_station)
        else:  # the common case (no repeated key, nothing stored in the way) goes straight in; otherwise staged
            stage = csvsql.CsvDirect.load(item.content, parse_now, registry, allowed_station)
            if stage is None:
                stage = csvsql.CsvStage.build(item.content, parse_now, registry, allowed_station)
        if stage is None:
            raise _UsePythonPath
        if stage.rest_text is None:  # every line was read by the database (the header is not a data line)
            parsed_files = [fileformat.ParsedFile(name=item.name, kind="csv")]
        else:
            parsed_files = [fileformat.parse_csv(item.name, stage.rest_text, now=parse_now)]
        parsed_files[0].data_lines += stage.rows
        parsed_files[0].encoding = stage.encoding
    else:
        parsed_files = [fileformat.parse_any(item.name, item.content, now=parse_now) for item in chunk]
    # the same reading in two files of the chunk: keep the first, report the second
    deduplicated = {id(p): kept for p, kept in fileformat.deduplicate(parsed_files)}
    shas = [hashlib.sha256(item.content).hexdigest() for item in chunk]
    known_raw = _known_raw(shas)
    for item, parsed, sha in zip(chunk, parsed_files, shas, strict=True):
        parsed.readings = deduplicated[id(parsed)]
        station = registry.station_for_file(parsed) if parsed.kind == "datalogger" else None
        work = _FileWork(item, parsed, sha, station)
        if station is not None and allowed_station is not None and not allowed_station(station):
            work.extra.append(
                Issue(
                    parsed.name,
                    0,
                    "error",
                    "forbidden",
                    f"bạn không có quyền gửi dữ liệu của trạm {station.code}",
                )
            )
            work.rejected_lines.update(r.line for r in parsed.readings)
        else:
            _resolve(work, registry, to_db_time)
            if allowed_station is not None and parsed.kind == "csv":
                _drop_forbidden_csv_rows(work, registry, allowed_station)
        works.append(work)
    if stage is not None:
        if stage.collides(works[0].rows):
            raise _UsePythonPath
        works[0].sql_rows = stage.rows  # their dirty hours are queued by the stage (queue_hours)
    tar_name = f"{received:%Y/%m/%d}/{batch.pk}-{chunk_number:04d}-{received:%H%M%S}.tar"
    written = _archive(works, root, tar_name, known_raw, int(received.timestamp()))
    return _Prepared(works, stage, received, written)


def _store(prepared: _Prepared, batch: IngestBatch, result: BatchResult) -> None:
    """The chunk's transaction: file logs, measurements, conflicts, dirty hours (uses this thread's connection)."""
    works, stage, received, written = prepared.works, prepared.stage, prepared.received, prepared.written
    with transaction.atomic():
        logs = [
            _LogRow(
                batch_id=batch.pk,
                name=w.parsed.name[:255],
                kind=w.parsed.kind,
                station_id=w.station.pk if w.station else None,
                sha256=w.sha256,
                size=len(w.input.content),
                raw_path=w.raw_path,
                raw_offset=w.raw_offset,
                received_at=received,
            )
            for w in works
        ]
        # PostgreSQL: take the ids from the sequence now and insert the logs once, complete, after the load
        # (a second pass of UPDATEs costs more than the load itself). SQLite: insert, load, then update.
        preallocated = connection.vendor == "postgresql"
        if stage is not None and stage.file_id is not None:  # CsvDirect stored its rows with this id
            logs[0].pk = stage.file_id
        elif preallocated:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT nextval(pg_get_serial_sequence('monitoring_ingestedfile', 'id')) "
                    "FROM generate_series(1, %s)",
                    [len(logs)],
                )
                for log, (pk,) in zip(logs, cursor.fetchall(), strict=True):
                    log.pk = pk
        else:
            models = [log.model() for log in logs]
            IngestedFile.objects.bulk_create(models)
            for log, model in zip(logs, models, strict=True):
                log.pk = model.pk
        for work, log in zip(works, logs, strict=True):
            work.log = log
        stored, conflicts = load_rows(works)
        if stage is not None:
            file_id = works[0].log.pk  # type: ignore[union-attr]
            assert file_id is not None
            stored[file_id] += stage.insert(file_id)
            conflicts += stage.conflicts(file_id)
            if stored[file_id]:  # as below: a file that stored anything queues the hours it touches
                result.dirty_stations |= stage.queue_hours()
        by_file = {w.log.pk: w for w in works if w.log is not None}
        names = dict(
            IngestedFile.objects.filter(pk__in={c[4] for c in conflicts if c[4]}).values_list("pk", "name")
        )
        for file_id, line, new_value, old_value, old_file in conflicts:
            work = by_file[file_id]
            work.conflicts += 1
            origin = f"tệp {names[old_file]}" if old_file in names else "giá trị đã lưu"
            work.extra.append(
                Issue(
                    work.parsed.name,
                    line,
                    "error",
                    "conflict",
                    f"mâu thuẫn với {origin}: giá trị mới {fileformat._fmt(new_value)} khác giá trị đã lưu "
                    f"{fileformat._fmt(old_value)}; giữ giá trị đã lưu",
                )
            )
        dirty: set[tuple[int, dt.datetime]] = set()
        for work in works:
            assert work.log is not None
            work.stored = stored.get(work.log.pk, 0)
            if work.stored:
                dirty |= work.hours
        if dirty:
            DirtyHour.objects.bulk_create(
                [DirtyHour(station_id=s, hour=h) for s, h in dirty],
                ignore_conflicts=True,
                batch_size=2000,
            )
            result.dirty_stations |= {s for s, _ in dirty}
        for work in works:
            _finish_log(work, result)
        if preallocated:
            _copy_logs(logs)
        else:
            _save_logs(logs)
        if written is not None:  # the raw bytes are on disk before the logs pointing at them are committed
            rawarchive.sync_file(written)


_REMOVER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="xanh-inbox-cleanup")
# On PostgreSQL, outside a transaction, the transaction of chunk n runs in this thread (with its own connection)
# while the main thread parses chunk n + 1: the client waits for the server during COPY and commit, and the
# Python work of the next chunk fills that wait. Chunks are still stored one after the other, in order.
_STORER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="xanh-ingest-store")


def _run_pipelined(
    files: Iterable[FileInput],
    batch: IngestBatch,
    result: BatchResult,
    registry: Registry,
    allowed_station: Callable[[Station], bool] | None,
    parse_now: dt.datetime,
    root: Path,
    progress: Callable[[int], None] | None,
    cleanup: list[Future[None]],
) -> None:
    pending: tuple[Future[None], list[FileInput]] | None = None

    def finish_pending() -> None:
        nonlocal pending
        if pending is not None:
            job, stored_chunk = pending
            pending = None
            job.result()  # an error of the store is raised here, before anything else is stored
            _remove_later(stored_chunk, cleanup)
            if progress is not None:
                progress(len(stored_chunk))

    try:
        for chunk_number, chunk in enumerate(_chunks(files), start=1):
            if SQL_CSV and len(chunk) == 1 and chunk[0].name.lower().endswith(".csv"):
                finish_pending()  # the database path runs in this thread's connection, after what came before
                try:
                    with transaction.atomic():
                        _chunk(chunk, chunk_number, batch, result, registry, allowed_station, parse_now, root,
                               sql=True)  # fmt: skip
                except _UsePythonPath:
                    pass
                else:
                    _remove_later(chunk, cleanup)
                    if progress is not None:
                        progress(len(chunk))
                    continue
            prepared = _prepare(
                chunk, chunk_number, batch, registry, allowed_station, parse_now, root, sql=False
            )
            finish_pending()
            pending = (_STORER.submit(_store, prepared, batch, result), chunk)
        finish_pending()
    finally:
        if pending is not None:  # an error in this thread: let the store in flight end before returning
            pending[0].exception()
        _STORER.submit(_close_connection).result()


def _close_connection() -> None:
    """Close the calling thread's database connection (the store thread's, when submitted to it)."""
    connection.close()


def _remove_files(paths: list[Path]) -> None:
    for path in paths:
        path.unlink(missing_ok=True)


def _remove_later(chunk: list[FileInput], cleanup: list[Future[None]]) -> None:
    """Once a chunk is committed its inbox files can go. Removing 5,000 files is system calls only, so a thread does
    it while the next chunk is parsed; `ingest` waits for it before returning."""
    sources = [item.source_path for item in chunk if item.source_path is not None]
    if sources:
        cleanup.append(_REMOVER.submit(_remove_files, sources))


class _UsePythonPath(Exception):
    """The database path of a CSV file cannot give the exact result; the chunk is redone in Python."""


_LOG_COLUMNS = ("id", "batch_id", "name", "kind", "station_id", "sha256", "size", "raw_path", "raw_offset",
                "received_at", "lines", "parsed", "stored", "unchanged", "conflicts", "rejected", "outcome", "problems",
                "problems_omitted")  # fmt: skip
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


_NULL = "\\N"


def _copy_text(value: str) -> str:
    """A text value for COPY's text format."""
    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
        return value.translate(_COPY_ESCAPES)
    return value


def _copy_logs(logs: list[_LogRow]) -> None:
    """Insert complete file logs with COPY (PostgreSQL): one model save per file would dominate a batch's time.
    The lines are formatted here (psycopg's write_row adapts each value separately, which cost more than parsing)."""
    lines: list[str] = []
    received_text: dict[dt.datetime, str] = {}
    for log in logs:
        received = received_text.get(log.received_at)
        if received is None:
            received = received_text[log.received_at] = log.received_at.isoformat(sep=" ")
        problems = _copy_text(json.dumps(log.problems, ensure_ascii=False)) if log.problems else "[]"
        lines.append(
            f"{log.pk}\t{log.batch_id}\t{_copy_text(log.name)}\t{log.kind}\t"
            f"{_NULL if log.station_id is None else log.station_id}\t{log.sha256}\t{log.size}\t"
            f"{_copy_text(log.raw_path)}\t{_NULL if log.raw_offset is None else log.raw_offset}\t{received}\t"
            f"{log.lines}\t{log.parsed}\t{log.stored}\t{log.unchanged}\t{log.conflicts}\t{log.rejected}\t"
            f"{log.outcome!s}\t{problems}\t{log.problems_omitted}\n"
        )
    with (
        connection.cursor() as cursor,
        cursor.cursor.copy(f"COPY monitoring_ingestedfile ({', '.join(_LOG_COLUMNS)}) FROM STDIN") as copy,
    ):
        copy.write("".join(lines))


def _save_logs(logs: list[_LogRow]) -> None:
    """Write the final counts of the file logs (one executemany; bulk_update's CASE expressions are far slower)."""
    columns = ["lines", "parsed", "stored", "unchanged", "conflicts", "rejected", "outcome", "problems",
               "problems_omitted"]  # fmt: skip
    problems_field = IngestedFile._meta.get_field("problems")
    rows = []
    for log in logs:
        values: list[Any] = [getattr(log, c) for c in columns]
        values[7] = problems_field.get_db_prep_save(log.problems, connection)
        rows.append([*values, log.pk])
    assignments = ", ".join(f"{c} = %s" for c in columns)
    with connection.cursor() as cursor:
        cursor.executemany(f"UPDATE monitoring_ingestedfile SET {assignments} WHERE id = %s", rows)  # noqa: S608


def _drop_forbidden_csv_rows(work: _FileWork, registry: Registry, allowed: Callable[[Station], bool]) -> None:
    forbidden_sensors = {
        info.id
        for (station_id, _), info in registry.sensors.items()
        if not allowed(registry.by_pk[station_id])
    }
    if not forbidden_sensors:
        return
    dropped = [row[4] for row in work.rows if row[0] in forbidden_sensors]
    if dropped:
        work.rows = [row for row in work.rows if row[0] not in forbidden_sensors]
        work.rejected_lines.update(dropped)
        work.extra.append(
            Issue(
                work.parsed.name,
                dropped[0],
                "error",
                "forbidden",
                f"không có quyền gửi dữ liệu ({_lines(dropped)})",
            )
        )


def _finish_log(work: _FileWork, result: BatchResult) -> None:
    parsed = work.parsed
    log = work.log
    assert log is not None
    if not parsed.issues and not work.extra and not work.rejected_lines:  # a clean file (the usual case)
        log.lines = parsed.data_lines
        log.parsed = len(parsed.readings) + work.sql_rows
        log.stored = work.stored
        log.unchanged = max(len(work.rows) + work.sql_rows - work.stored, 0)
        log.outcome = (
            FileOutcome.UNCHANGED if (work.rows or work.sql_rows) and not work.stored else FileOutcome.OK
        )
        result.files.append(
            FileResult(parsed.name, log.outcome, work.station.code if work.station else None, log.lines,
                       log.parsed, log.stored, log.unchanged, 0, 0, [], log.pk)
        )  # fmt: skip
        return
    issues = sorted(parsed.issues + work.extra, key=lambda i: (i.line, i.severity != "error"))
    error_lines = {
        i.line for i in parsed.issues if i.severity == "error" and i.line > 0
    } | work.rejected_lines
    conflict_lines = {i.line for i in work.extra if i.code == "conflict"}
    file_level_error = any(i.severity == "error" and i.line == 0 for i in issues)
    unchanged = len(work.rows) + work.sql_rows - work.stored - work.conflicts
    log.lines = parsed.data_lines
    log.parsed = len(parsed.readings) + work.sql_rows
    log.stored = work.stored
    log.unchanged = max(unchanged, 0)
    log.conflicts = work.conflicts
    log.rejected = parsed.data_lines if file_level_error else len(error_lines | conflict_lines)
    log.outcome = _outcome(work)
    log.problems = [_problem_dict(i) for i in issues[:MAX_PROBLEMS_PER_FILE]]
    log.problems_omitted = max(0, len(issues) - MAX_PROBLEMS_PER_FILE)
    result.files.append(
        FileResult(
            name=parsed.name,
            outcome=log.outcome,
            station=work.station.code if work.station else None,
            lines=log.lines,
            parsed=log.parsed,
            stored=log.stored,
            unchanged=log.unchanged,
            conflicts=log.conflicts,
            rejected=log.rejected,
            problems=[str(i) for i in issues[:MAX_PROBLEMS_PER_FILE]],
            log_id=log.pk,
        )
    )


def _known_raw(shas: list[str]) -> dict[str, tuple[str, int | None]]:
    """Where identical content received earlier is kept (the archive keeps each content once)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT DISTINCT ON (sha256) sha256, raw_path, raw_offset FROM monitoring_ingestedfile "
                "WHERE sha256 = ANY(string_to_array(%s, ',')) ORDER BY sha256, id",
                [",".join(set(shas))],
            )
            return {sha: (path, offset) for sha, path, offset in cursor.fetchall()}
    found: dict[str, tuple[str, int | None]] = {}
    unique = list(set(shas))
    for start in range(0, len(unique), 500):
        for sha, path, offset in IngestedFile.objects.filter(
            sha256__in=unique[start : start + 500]
        ).values_list("sha256", "raw_path", "raw_offset"):
            found.setdefault(sha, (path, offset))
    return found


def _archive(
    works: list[_FileWork],
    root: Path,
    tar_name: str,
    known: dict[str, tuple[str, int | None]],
    mtime: int,
) -> Path | None:
    """Keep the raw bytes: the new contents of the chunk become one tar (written before the chunk's transaction, so
    every committed log points at bytes on disk); content already kept is not stored again. Sets each work's
    raw_path and raw_offset. Returns the tar written (to be synced before commit), if any."""
    members: list[tuple[str, bytes]] = []
    owners: list[_FileWork] = []
    first_of: dict[str, _FileWork] = {}
    for work in works:
        found = known.get(work.sha256)
        if found is not None:
            work.raw_path, work.raw_offset = found
            continue
        first = first_of.get(work.sha256)
        if first is not None:
            owners.append(work)  # same content twice in the chunk: one member, both logs point at it
            continue
        first_of[work.sha256] = work
        owners.append(work)
        members.append((rawarchive.member_name(work.input.name, work.sha256), work.input.content))
    if not members:
        return None
    path = root / tar_name
    offsets = rawarchive.write_tar(path, members, mtime, sync=False)
    for work, offset in zip(first_of.values(), offsets, strict=True):
        work.raw_path, work.raw_offset = tar_name, offset
    for work in owners:
        first = first_of[work.sha256]
        work.raw_path, work.raw_offset = first.raw_path, first.raw_offset
    return path
