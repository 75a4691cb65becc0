"""Bulk CSV on PostgreSQL: the database splits, checks and converts the well-formed lines set-based; every other line
goes through the Python parser (fileformat.parse_csv) at its own line number, so the messages are the same.

A line is read by the database when it has the six fields, a plain number (`-?digits[.digits]`), a status 00/01/02,
a station/parameter/unit triple that the registry resolves (the triples and the times are few: Python resolves each
distinct one with the same functions as the Python path, then the database joins) and a time that Python's
`parse_time` reads and that is not in the future, and when no other line has the same sensor and time. Anything else
(a decimal comma, an unknown station, a missing unit, a duplicate, a bad time …) is left to Python, which reports it
with file, line and field. Whatever cannot be made exact this way (an encoding guess, a quoted field spanning lines,
a header Python would reject, a reading Python keeps that collides with one the database keeps) makes the caller
redo the whole file in Python (`CsvStage.build` returns None or `collides` is true).

The common case goes faster (`CsvDirect`): a file with no duplicate key whose readings meet no stored key. Python's
csv module splits the lines, the same rules pick the lines the database would read (distinct triples and times are
resolved once each), and those rows are streamed by COPY straight into monitoring_measurement while the next lines
are read, so the server's insert overlaps the client's parsing. No staging table, no ON CONFLICT: the unique key is
the check. If the COPY meets a stored key (a re-sent or overlapping file), or the file repeats a key, or a line spans
several lines, everything of that attempt is rolled back to a savepoint and `CsvStage` takes over.

SQLite (`SqliteDirect`, at the end): the same line rules give plain tuples for one executemany of a plain INSERT when
no key repeats and nothing is stored in the file's span; anything else is left to the Python path of ingest.py.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal

from django.db import connection

from . import fileformat
from .partitions import ensure_partitions, partition_name
from .timeutil import aware
from .units import normalise_unit

_NUMBER = r"^-?[0-9]{1,15}(\.[0-9]{1,15})?$"


def _hour_label(naive: dt.datetime) -> dt.datetime:
    floor = naive.replace(minute=0, second=0, microsecond=0)
    return aware(floor if floor == naive else floor + dt.timedelta(hours=1))


@dataclass(slots=True)
class _Layout:
    """What both database paths need to know of a file before reading its lines; None when only Python can be exact
    (an encoding guess, NUL bytes, bare carriage returns, an empty first line, a header Python would reject)."""

    text: str  # decoded, CRLF turned into LF
    encoding: str
    first: str
    delimiter: str
    order: list[int]  # positions of station, parameter, time, value, unit, status
    header: bool

    @classmethod
    def read(cls, content: bytes) -> _Layout | None:
        text, encoding, guessed = fileformat.decode(content)
        if guessed or "\x00" in text:
            return None
        text = text.replace("\r\n", "\n")
        if "\r" in text or not text.strip():
            return None
        first = text.split("\n", 1)[0]
        if not first.strip():
            return None
        delimiter = fileformat._sniff_delimiter(first)
        order = fileformat.DEFAULT_ORDER
        header = False
        names = [
            fileformat._CSV_ALIASES.get(c.strip().lower())
            for c in next(csv.reader([first], delimiter=delimiter))
        ]
        if sum(n is not None for n in names) >= 3:
            if any(c not in names for c in fileformat._CSV_COLUMNS):
                return None
            order = [names.index(c) for c in fileformat._CSV_COLUMNS]
            header = True
        return cls(text, encoding, first, delimiter, list(order), header)


def _resolve_triple(
    station_raw: str, symbol_raw: str, unit_raw: str, registry: Any, allowed: Callable[[Any], bool] | None
) -> tuple[int, int, float] | None:
    """(sensor id, station id, unit factor) of a station/parameter/unit triple, or None when Python must read the
    line (surrounding spaces, unknown station or parameter, a station the caller may not write, a missing or
    unconvertible unit)."""
    # Surrounding spaces: Python's csv module and PostgreSQL's read ` "x"` differently; Python decides.
    if any(v != v.strip() for v in (station_raw, symbol_raw, unit_raw)) or not symbol_raw:
        return None
    station = registry.by_code.get(station_raw.upper())
    if station is None or (allowed is not None and not allowed(station)):
        return None
    code = fileformat.canonical_symbol(symbol_raw)
    sensor = registry.sensors.get((station.id, code))
    unit = normalise_unit(unit_raw)
    if sensor is None or not unit:
        return None
    factor: float | str = 1.0
    if unit != sensor.unit:
        factor = registry.factor(code, unit, sensor.unit)
        if isinstance(factor, str):
            return None
    return sensor.id, station.id, float(factor)


def _read_time(time_raw: str, limit: dt.datetime) -> dt.datetime | None:
    """The naive local time of a time field, or None when Python must read the line (spaces, no parsable time,
    a time in the future)."""
    if time_raw != time_raw.strip():
        return None
    moment = fileformat.parse_time(time_raw)
    if moment is None or moment > limit:
        return None
    return moment


class CsvStage:
    """The lines of one CSV file staged in temporary tables of the current transaction."""

    def __init__(self, cursor: Any, rows: int, rest_text: str | None, encoding: str) -> None:
        self.cursor = cursor
        self.rows = rows  # lines read by the database (in monitoring_csv_good)
        # the other lines at their line numbers (blank elsewhere), for parse_csv; None when no line is left
        self.rest_text = rest_text
        self.encoding = encoding
        self.stored = 0
        self.months: set[tuple[int, int]] = set()  # of the times read (a superset of the stored months)
        self.file_id: int | None = None  # CsvDirect reserves the file log's id; here _store allocates it

    @classmethod
    def build(
        cls,
        content: bytes,
        now: dt.datetime,
        registry: Any,
        allowed: Callable[[Any], bool] | None,
    ) -> CsvStage | None:
        layout = _Layout.read(content)
        if layout is None:
            return None
        text, encoding, first, delimiter, order, header = (
            layout.text, layout.encoding, layout.first, layout.delimiter, layout.order, layout.header
        )  # fmt: skip
        si, pi, ti, vi, ui, sti = (k + 1 for k in order)  # column numbers c1 … c6
        lines = text.split("\n")
        raw = connection.cursor().cursor
        raw.execute("DROP TABLE IF EXISTS monitoring_csv_lines, monitoring_csv_good")
        if not _copy_lines(raw, text, lines, delimiter, header) and not _split_lines(
            raw, text, delimiter, header
        ):
            return None
        raw.execute(
            f"SELECT DISTINCT c{si}, c{pi}, c{ui} FROM monitoring_csv_lines WHERE c1 IS NOT NULL"  # noqa: S608
        )
        keys: list[tuple[str, str, str, int, int, float]] = []
        for station_raw, symbol_raw, unit_raw in raw.fetchall():
            resolved = _resolve_triple(station_raw, symbol_raw, unit_raw, registry, allowed)
            if resolved is not None:
                keys.append((station_raw, symbol_raw, unit_raw, *resolved))
        raw.execute(f"SELECT DISTINCT c{ti} FROM monitoring_csv_lines WHERE c1 IS NOT NULL")  # noqa: S608
        limit = now + fileformat.DEFAULT_OPTIONS.future_tolerance
        times: list[tuple[str, dt.datetime, dt.datetime]] = []
        for (time_raw,) in raw.fetchall():
            moment = _read_time(time_raw, limit)
            if moment is not None:
                times.append((time_raw, aware(moment), _hour_label(moment)))
        # Only integers 1-6 (column positions) are formatted into the SQL; every value is a parameter.
        good_sql = (
            "CREATE TEMP TABLE monitoring_csv_good ON COMMIT DROP AS "  # noqa: S608
            f"SELECT l.n, k.sensor_id, k.station_id, tm.t, tm.hour, l.c{vi}::float8 * k.factor AS value, "
            f"l.c{sti}::smallint AS status FROM monitoring_csv_lines l "
            "JOIN unnest(%s::text[], %s::text[], %s::text[], %s::bigint[], %s::bigint[], %s::float8[]) "
            f"AS k(st, sym, unit, sensor_id, station_id, factor) ON k.st = l.c{si} AND k.sym = l.c{pi} "
            f"AND k.unit = l.c{ui} "
            f"JOIN unnest(%s::text[], %s::timestamptz[], %s::timestamptz[]) AS tm(raw, t, hour) ON tm.raw = l.c{ti} "
            f"WHERE l.c1 IS NOT NULL AND l.c{vi} ~ %s AND l.c{sti} IN ('00', '01', '02')"
        )
        raw.execute("SET LOCAL enable_nestloop = off")  # the planner cannot know the unnest sizes: hash joins
        raw.execute(
            good_sql,
            [*([k[c] for k in keys] for c in range(6)), *([t[c] for t in times] for c in range(3)), _NUMBER],
        )
        raw.execute("SET LOCAL enable_nestloop = on")
        # Two lines for one sensor and time: Python reports them (duplicate or conflict, with the first line).
        raw.execute(
            "DELETE FROM monitoring_csv_good g USING (SELECT sensor_id, t FROM monitoring_csv_good GROUP BY 1, 2 "
            "HAVING count(*) > 1) d WHERE g.sensor_id = d.sensor_id AND g.t = d.t"
        )
        raw.execute("SELECT count(*) FROM monitoring_csv_good")
        rows = int(raw.fetchone()[0])
        raw.execute(
            "SELECT l.n FROM monitoring_csv_lines l WHERE NOT EXISTS (SELECT 1 FROM monitoring_csv_good g WHERE g.n = l.n)"
        )
        rest = [""] * len(lines)
        if header:
            rest[0] = first
        left = raw.fetchall()
        for (n,) in left:
            rest[n - 1] = lines[n - 1]
        stage = cls(raw, rows, "\n".join(rest) if left else None, encoding)
        stage.months = {(t.year, t.month) for _, t, _ in times}
        return stage

    def collides(self, rows: list[tuple[int, Any, float, int, int]]) -> bool:
        """Whether a reading kept by the Python path has the sensor and time of one kept by the database."""
        if not rows or not self.rows:
            return False
        self.cursor.execute(
            "SELECT EXISTS (SELECT 1 FROM monitoring_csv_good g JOIN unnest(%s::bigint[], %s::timestamptz[]) "
            "AS r(s, t) ON g.sensor_id = r.s AND g.t = r.t)",
            [[r[0] for r in rows], [r[1] for r in rows]],
        )
        return bool(self.cursor.fetchone()[0])

    def hours(self) -> set[tuple[int, dt.datetime]]:
        """The (station, hour label) pairs of the database's lines, for the dirty-hour queue."""
        if not self.rows:
            return set()
        self.cursor.execute("SELECT DISTINCT station_id, hour FROM monitoring_csv_good")
        return {(int(s), h) for s, h in self.cursor.fetchall()}

    def queue_hours(self) -> set[int]:
        """Queue the dirty hours of the database's lines; returns their stations."""
        return _queue_hours(self.cursor, self.hours())

    def insert(self, file_id: int) -> int:
        """Store the new readings (idempotent: existing keys are left alone); returns how many were stored."""
        if not self.rows:
            return 0
        ensure_partitions(self.months)
        self.cursor.execute(
            "INSERT INTO monitoring_measurement (sensor_id, time, value, status, file_id) "
            "SELECT sensor_id, t, value, status, %s FROM monitoring_csv_good ON CONFLICT (sensor_id, time) DO NOTHING",
            [file_id],
        )
        self.stored = self.cursor.rowcount
        return self.stored

    def conflicts(self, file_id: int) -> list[tuple[int, int, float, float, int | None]]:
        """Readings whose key is stored with another value or status: (file id, line, new, stored, stored's file)."""
        if self.stored == self.rows:
            return []
        self.cursor.execute(
            "SELECT g.n, g.value, m.value, m.file_id FROM monitoring_csv_good g JOIN monitoring_measurement m "
            "ON m.sensor_id = g.sensor_id AND m.time = g.t WHERE m.file_id IS DISTINCT FROM %s "
            "AND (m.value <> g.value OR m.status <> g.status) ORDER BY g.n",
            [file_id],
        )
        return [
            (file_id, int(n), float(new), float(old), origin)
            for n, new, old, origin in self.cursor.fetchall()
        ]


def _well_formed_line(delimiter: str) -> re.Pattern[str]:
    """A line whose quotes only enclose whole fields: PostgreSQL's CSV reader and Python's csv module agree on it."""
    d = re.escape(delimiter)
    field = f'(?:"(?:[^"]|"")*"|[^"{d}]*)'
    return re.compile(f"{field}(?:{d}{field})*")


def _copy_lines(raw: Any, text: str, lines: list[str], delimiter: str, header: bool) -> bool:
    """Stage the lines with PostgreSQL's own CSV reader (COPY), numbered by line. Only when every record is one line
    of six fields (COPY fails on other field counts, and its numbering must be the line numbering); otherwise
    returns False and leaves nothing behind."""
    import psycopg

    pattern = _well_formed_line(delimiter)
    if any(not pattern.fullmatch(line) for line in lines if '"' in line):
        return False
    expected = len(lines) - (1 if lines[-1] == "" else 0) - (1 if header else 0)
    raw.execute("SAVEPOINT monitoring_csv_copy")
    try:
        raw.execute(
            "CREATE TEMP TABLE monitoring_csv_lines (n integer GENERATED ALWAYS AS IDENTITY (START WITH %s), "
            "c1 text, c2 text, c3 text, c4 text, c5 text, c6 text) ON COMMIT DROP" % (2 if header else 1)
        )
        with raw.copy(
            "COPY monitoring_csv_lines (c1, c2, c3, c4, c5, c6) FROM STDIN (FORMAT csv, DELIMITER %s, HEADER %s, "
            "FORCE_NOT_NULL (c1, c2, c3, c4, c5, c6))",
            [delimiter, header],
        ) as copy:
            copy.write(text)
        raw.execute("SELECT count(*) FROM monitoring_csv_lines")
        if raw.fetchone()[0] != expected:
            raise ValueError("records are not lines")
    except (ValueError, psycopg.Error):
        raw.execute("ROLLBACK TO SAVEPOINT monitoring_csv_copy")
        return False
    raw.execute("RELEASE SAVEPOINT monitoring_csv_copy")
    return True


def _split_lines(raw: Any, text: str, delimiter: str, header: bool) -> bool:
    """Stage the lines split by SQL (slower than COPY, but line by line: a bad line only leaves that line to
    Python). Returns False when a quoted field spans lines."""
    # Lines without a quote are split directly; the others by a regular expression for quoted fields, kept only
    # if its matches cover the whole line (a stray quote leaves the line to Python).
    pattern = f'[{delimiter}]("(?:[^"]|"")*"|[^{delimiter}"]*)'
    raw.execute(
        "CREATE TEMP TABLE monitoring_csv_lines ON COMMIT DROP AS "
        "SELECT n, CASE WHEN cardinality(f) = 6 THEN f[1] END AS c1, f[2] AS c2, f[3] AS c3, f[4] AS c4, f[5] AS c5, f[6] AS c6, odd FROM ("
        "SELECT t.n::int AS n, mod(length(t.l) - length(replace(t.l, '\"', '')), 2) = 1 AS odd, "
        "CASE WHEN strpos(t.l, '\"') = 0 THEN string_to_array(t.l, %(d)s) "
        "ELSE (SELECT CASE WHEN sum(length(m[1]) + 1) = length(t.l) + 1 THEN array_agg(CASE WHEN m[1] LIKE '\"%%' "
        "THEN replace(substr(m[1], 2, length(m[1]) - 2), '\"\"', '\"') ELSE m[1] END ORDER BY k) END "
        "FROM regexp_matches(%(d)s || t.l, %(re)s, 'g') WITH ORDINALITY AS r(m, k)) END AS f "
        "FROM unnest(string_to_array(%(text)s, E'\\n')) WITH ORDINALITY AS t(l, n) WHERE t.n > %(skip)s) x",
        {"d": delimiter, "text": text, "re": pattern, "skip": 1 if header else 0},
    )
    # A quoted field over several lines: its middle lines would look like rows of their own.
    raw.execute("SELECT coalesce(bool_or(odd), false) FROM monitoring_csv_lines")
    return not raw.fetchone()[0]


class _GiveUp(Exception):
    """The direct path cannot be exact for this file (a repeated key, a record over several lines)."""


_DIRECT_CHUNK = 8192  # rows per COPY write: the server inserts one chunk while the next lines are read
_VALUE = re.compile(_NUMBER[1:-1]).fullmatch


class CsvDirect:
    """A CSV file whose well-formed lines went straight into monitoring_measurement by COPY (see the module text).
    Same interface as CsvStage for ingest.py; `load` returns None (leaving nothing behind) when CsvStage must decide.
    """

    def __init__(self, rows: int, rest_text: str | None, encoding: str, file_id: int) -> None:
        self.rows = rows
        self.rest_text = rest_text
        self.encoding = encoding
        self.file_id: int | None = file_id  # the IngestedFile id the rows carry, reserved before the COPY
        self.stored = rows
        self.months: set[tuple[int, int]] = set()
        self.keys: set[str] = set()  # "sensor\ttime\t" of every row stored
        self._station_times: dict[int, set[str]] = {}
        self._hour_of: dict[str, dt.datetime] = {}

    @classmethod
    def load(
        cls,
        content: bytes,
        now: dt.datetime,
        registry: Any,
        allowed: Callable[[Any], bool] | None,
    ) -> CsvDirect | None:
        import psycopg

        layout = _Layout.read(content)
        if layout is None:
            return None
        raw = connection.cursor().cursor
        raw.execute("SELECT nextval(pg_get_serial_sequence('monitoring_ingestedfile', 'id'))")
        file_id = int(raw.fetchone()[0])
        raw.execute(
            "SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid "
            "WHERE i.inhparent = 'monitoring_measurement'::regclass"
        )
        partitions = {name for (name,) in raw.fetchall()}
        reader = _DirectReader(layout, now, registry, allowed, file_id, partitions)
        raw.execute("SAVEPOINT monitoring_csv_direct")
        try:
            reader.stream(raw)
            if reader.missing_partition:  # a month without partition: create it, then one COPY of every row
                raw.execute("ROLLBACK TO SAVEPOINT monitoring_csv_direct")
                ensure_partitions(reader.months)
                with raw.copy(_DIRECT_COPY) as copy:
                    copy.write("".join(reader.out))
        except (_GiveUp, psycopg.Error):
            raw.execute("ROLLBACK TO SAVEPOINT monitoring_csv_direct")
            return None
        raw.execute("RELEASE SAVEPOINT monitoring_csv_direct")
        direct = cls(len(reader.out), reader.rest_text(), layout.encoding, file_id)
        direct.months = reader.months
        direct.keys = reader.seen
        direct._station_times = reader.station_times
        direct._hour_of = reader.hour_of
        return direct

    def collides(self, rows: list[tuple[int, Any, float, int, int]]) -> bool:
        """Whether a reading kept by the Python path has the sensor and time of a stored row (its time is the
        same text: ingest._TimeText formats aware local times the same way)."""
        keys = self.keys
        return any(f"{r[0]}\t{r[1]}\t" in keys for r in rows)

    def hours(self) -> set[tuple[int, dt.datetime]]:
        hour_of = self._hour_of
        return {(s, hour_of[t]) for s, times in self._station_times.items() for t in times}

    def queue_hours(self) -> set[int]:
        """Queue the dirty hours of the stored rows; returns their stations."""
        return _queue_hours(connection.cursor().cursor, self.hours())

    def insert(self, file_id: int) -> int:
        assert file_id == self.file_id  # the rows are stored already, with this file id
        return self.stored

    def conflicts(self, file_id: int) -> list[tuple[int, int, float, float, int | None]]:
        return []  # the COPY met no stored key, or it would have failed


_DIRECT_COPY = "COPY monitoring_measurement (sensor_id, time, value, status, file_id) FROM STDIN"


class _DirectReader:
    """The line loop of CsvDirect: rows in COPY text format (`out`), the other line numbers (`rest`)."""

    def __init__(
        self,
        layout: _Layout,
        now: dt.datetime,
        registry: Any,
        allowed: Callable[[Any], bool] | None,
        file_id: int,
        partitions: set[str],
    ) -> None:
        self.layout = layout
        self.limit = now + fileformat.DEFAULT_OPTIONS.future_tolerance
        self.registry = registry
        self.allowed = allowed
        self.partitions = partitions
        self.suffix = {code: f"\t{int(code)}\t{file_id}\n" for code in ("00", "01", "02")}
        self.lines = layout.text.split("\n")
        self.out: list[str] = []
        self.rest: list[int] = []
        self.seen: set[str] = set()
        self.months: set[tuple[int, int]] = set()
        self.missing_partition = False
        self.station_times: dict[int, set[str]] = {}
        self.hour_of: dict[str, dt.datetime] = {}
        # triple -> ("sensor\t", set of the station's times, factor or None for 1) | False (Python reads it)
        self.triples: dict[tuple[str, str, str], tuple[str, set[str], float | None] | Literal[False]] = {}
        # time field -> "aware local time\t" | False
        self.times: dict[str, str | Literal[False]] = {}

    def triple(self, key: tuple[str, str, str]) -> tuple[str, set[str], float | None] | Literal[False]:
        resolved = _resolve_triple(*key, self.registry, self.allowed)
        found: tuple[str, set[str], float | None] | Literal[False] = False
        if resolved is not None:
            sensor_id, station_id, factor = resolved
            times = self.station_times.setdefault(station_id, set())
            found = (f"{sensor_id}\t", times, None if factor == 1.0 else factor)
        self.triples[key] = found
        return found

    def time(self, raw: str) -> str | Literal[False]:
        moment = _read_time(raw, self.limit)
        found: str | Literal[False] = False
        if moment is not None:
            found = aware(moment).isoformat(sep=" ") + "\t"
            self.hour_of[found] = _hour_label(moment)
            if (moment.year, moment.month) not in self.months:
                self.months.add((moment.year, moment.month))
                if partition_name(moment.year, moment.month) not in self.partitions:
                    self.missing_partition = True
        self.times[raw] = found
        return found

    def stream(self, raw: Any) -> None:
        """Read every line; the rows go to COPY in chunks while reading, unless a partition is missing (then they
        are only collected). Raises _GiveUp (or the COPY's error) when the direct path cannot be exact."""
        layout = self.layout
        start = 1 if layout.header else 0
        reader = csv.reader(self.lines[start:] if start else self.lines, delimiter=layout.delimiter)
        order = layout.order
        reorder = order != fileformat.DEFAULT_ORDER
        out, rest, seen = self.out, self.rest, self.seen
        out_append, rest_append, seen_add = out.append, rest.append, seen.add
        triples_get, times_get, suffix_get = self.triples.get, self.times.get, self.suffix.get
        value_ok = _VALUE
        values: dict[str, bool] = {}
        values_get = values.get
        n = start
        sent = 0
        with contextlib.ExitStack() as stack:
            copy: Any = None

            def send() -> None:
                nonlocal copy, sent
                if copy is None:  # opened at the first chunk: a re-sent file is seen before any COPY
                    if _stored(raw, out[0]):
                        raise _GiveUp
                    copy = stack.enter_context(raw.copy(_DIRECT_COPY))
                copy.write("".join(out[sent:]))
                sent = len(out)

            try:
                for row in reader:
                    n += 1
                    if len(row) != 6:
                        if any(c.strip() for c in row):
                            rest_append(n)
                        continue
                    if reorder:
                        row = [row[k] for k in order]
                    station, symbol, moment, value, unit, status = row
                    key = (station, symbol, unit)
                    sensor = triples_get(key)
                    if sensor is None:
                        sensor = self.triple(key)
                    when = times_get(moment)
                    if when is None:
                        when = self.time(moment)
                    suffix = suffix_get(status)
                    number = values_get(value)  # few distinct value texts: the pattern runs once for each
                    if number is None:
                        number = values[value] = value_ok(value) is not None
                    if not sensor or not when or suffix is None or not number:
                        rest_append(n)
                        continue
                    prefix = sensor[0] + when
                    if prefix in seen:  # two lines for one key: CsvStage reports both through Python
                        raise _GiveUp
                    seen_add(prefix)
                    sensor[1].add(when)
                    factor = sensor[2]
                    out_append(prefix + (value if factor is None else repr(float(value) * factor)) + suffix)
                    if len(out) - sent >= _DIRECT_CHUNK and not self.missing_partition:
                        send()
            except csv.Error as exc:
                raise _GiveUp from exc
            if reader.line_num != n - start:  # a quoted field over several lines
                raise _GiveUp
            if sent < len(out) and not self.missing_partition:
                send()

    def rest_text(self) -> str | None:
        if not self.rest:
            return None
        text = [""] * len(self.lines)
        if self.layout.header:
            text[0] = self.layout.first
        for n in self.rest:
            text[n - 1] = self.lines[n - 1]
        return "\n".join(text)


def _queue_hours(raw: Any, hours: set[tuple[int, dt.datetime]]) -> set[int]:
    """One INSERT for the dirty-hour queue (the ORM's bulk_create builds a model per hour)."""
    if hours:
        raw.execute(
            "INSERT INTO monitoring_dirtyhour (station_id, hour, queued_at) SELECT s, h, statement_timestamp() "
            "FROM unnest(%s::bigint[], %s::timestamptz[]) AS d(s, h) ON CONFLICT (station_id, hour) DO NOTHING",
            [[s for s, _ in hours], [h for _, h in hours]],
        )
    return {s for s, _ in hours}


def _stored(raw: Any, row: str) -> bool:
    """Whether the key of this COPY row is stored already (one index probe: a re-sent file is not sent)."""
    sensor_id, moment = row.split("\t", 2)[:2]
    raw.execute(
        "SELECT EXISTS (SELECT 1 FROM monitoring_measurement WHERE sensor_id = %s AND time = %s)",
        [int(sensor_id), moment],
    )
    return bool(raw.fetchone()[0])


# SQLite ----------------------------------------------------------------------------------------------------------


class RedoInPython(Exception):
    """The SQLite direct insert met a key (raised inside the chunk's transaction): the file is redone in Python."""


class SqliteDirect:
    """Bulk CSV on SQLite, the common case: a file with no repeated key whose sensors have nothing stored in the
    file's time span. The same rules as CsvDirect pick the lines (distinct triples, times and value texts resolved
    once each); the rows are kept as plain tuples and `insert` writes them with one executemany of a plain INSERT
    (no OR IGNORE, no conflict query) in the chunk's transaction. `load` returns None when the file needs the
    careful Python path (a repeated key, a record over several lines, something stored in the way); `insert` raises
    RedoInPython if the unique key is met all the same. Same interface as CsvStage for ingest.py."""

    def __init__(self, reader: _SqliteReader, encoding: str) -> None:
        self.rows = len(reader.out)
        self.out = reader.out
        self.rest_text = reader.rest_text()
        self.encoding = encoding
        self.file_id: int | None = None  # the file log is created by ingest._store, then `insert` runs
        self.stored = 0
        self._sensors = reader.sensors
        self._hour_of = reader.hour_of

    @classmethod
    def load(
        cls,
        content: bytes,
        now: dt.datetime,
        registry: Any,
        allowed: Callable[[Any], bool] | None,
    ) -> SqliteDirect | None:
        layout = _Layout.read(content)
        if layout is None:
            return None
        reader = _SqliteReader(layout, now, registry, allowed)
        try:
            reader.read()
        except _GiveUp:
            return None
        if reader.out and reader.stored_in_span():
            return None
        return cls(reader, layout.encoding)

    def collides(self, rows: list[tuple[int, Any, float, int, int]]) -> bool:
        """Whether a reading kept by the Python path has the sensor and time of a row read here (its time is the
        same text: ingest._TimeText adapts times with the same function)."""
        if not rows or not self.rows:
            return False
        sensors = self._sensors
        return any(r[0] in sensors and r[1] in sensors[r[0]][1] for r in rows)

    def hours(self) -> set[tuple[int, Any]]:
        by_station: dict[int, set[str]] = {}
        for station_id, times in self._sensors.values():
            found = by_station.get(station_id)
            if found is None:
                by_station[station_id] = set(times)
            else:
                found |= times
        hour_of = self._hour_of
        return {(s, hour_of[t]) for s, times in by_station.items() for t in times}

    def queue_hours(self) -> set[int]:
        """Queue the dirty hours of the rows read here (one executemany); returns their stations."""
        from django.utils import timezone

        hours = self.hours()
        if hours:
            queued = connection.ops.adapt_datetimefield_value(timezone.now())
            connection.connection.executemany(
                "INSERT OR IGNORE INTO monitoring_dirtyhour (station_id, hour, queued_at) VALUES (?, ?, ?)",
                [(s, h, queued) for s, h in hours],
            )
        return {s for s, _ in hours}

    def insert(self, file_id: int) -> int:
        import sqlite3

        if not self.out:
            return 0
        raw = connection.connection
        try:
            raw.executemany(
                "INSERT INTO monitoring_measurement (sensor_id, time, value, status, file_id) "  # noqa: S608
                f"VALUES (?, ?, ?, ?, {int(file_id)})",
                self.out,
            )
        except sqlite3.IntegrityError as exc:  # stored meanwhile: the chunk's transaction is rolled back
            raise RedoInPython from exc
        self.stored = self.rows
        return self.stored

    def conflicts(self, file_id: int) -> list[tuple[int, int, float, float, int | None]]:
        return []  # the INSERT met no stored key, or it would have failed


class _SqliteReader:
    """The line loop of SqliteDirect: rows as (sensor id, time text, value, status) tuples (`out`), the other line
    numbers (`rest`)."""

    def __init__(
        self, layout: _Layout, now: dt.datetime, registry: Any, allowed: Callable[[Any], bool] | None
    ) -> None:
        self.layout = layout
        self.limit = now + fileformat.DEFAULT_OPTIONS.future_tolerance
        self.registry = registry
        self.allowed = allowed
        self.adapt = connection.ops.adapt_datetimefield_value
        self.lines = layout.text.split("\n")
        self.out: list[tuple[int, str, float, int]] = []
        self.rest: list[int] = []
        self.hour_of: dict[str, Any] = {}  # time text -> adapted hour label
        self.sensors: dict[int, tuple[int, set[str]]] = {}  # sensor id -> (station id, times read)
        # triple -> (sensor id, the sensor's times, factor or None for 1) | False (Python reads it)
        self.triples: dict[tuple[str, str, str], tuple[int, set[str], float | None] | Literal[False]] = {}
        self.times: dict[str, str | Literal[False]] = {}  # time field -> time text | False

    def triple(self, key: tuple[str, str, str]) -> tuple[int, set[str], float | None] | Literal[False]:
        resolved = _resolve_triple(*key, self.registry, self.allowed)
        found: tuple[int, set[str], float | None] | Literal[False] = False
        if resolved is not None:
            sensor_id, station_id, factor = resolved
            times = self.sensors.setdefault(sensor_id, (station_id, set()))[1]
            found = (sensor_id, times, None if factor == 1.0 else factor)
        self.triples[key] = found
        return found

    def time(self, raw: str) -> str | Literal[False]:
        moment = _read_time(raw, self.limit)
        found: str | Literal[False] = False
        if moment is not None:
            found = self.adapt(aware(moment))
            self.hour_of[found] = self.adapt(_hour_label(moment))  # type: ignore[index]
        self.times[raw] = found
        return found

    def read(self) -> None:
        """Read every line. Raises _GiveUp when the direct path cannot be exact.

        The loop follows ``CsvDirect``'s line for line but builds parameter tuples where that one builds COPY text;
        it is kept as a second loop on purpose: it is the hot path of the bulk-CSV benchmark, and a shared generator
        would add a call per line to both."""
        layout = self.layout
        start = 1 if layout.header else 0
        reader = csv.reader(self.lines[start:] if start else self.lines, delimiter=layout.delimiter)
        order = layout.order
        reorder = order != fileformat.DEFAULT_ORDER
        out_append, rest_append = self.out.append, self.rest.append
        triples_get, times_get = self.triples.get, self.times.get
        status_get = {"00": 0, "01": 1, "02": 2}.get
        value_ok = _VALUE
        values: dict[str, float | Literal[False]] = {}  # few distinct value texts: each is checked once
        values_get = values.get
        n = start
        try:
            for row in reader:
                n += 1
                if len(row) != 6:
                    if any(c.strip() for c in row):
                        rest_append(n)
                    continue
                if reorder:
                    row = [row[k] for k in order]
                station, symbol, moment, value, unit, status = row
                key = (station, symbol, unit)
                sensor = triples_get(key)
                if sensor is None:
                    sensor = self.triple(key)
                when = times_get(moment)
                if when is None:
                    when = self.time(moment)
                code = status_get(status)
                number = values_get(value)
                if number is None:
                    number = values[value] = float(value) if value_ok(value) is not None else False
                if sensor is False or when is False or code is None or number is False:
                    rest_append(n)
                    continue
                times = sensor[1]
                if when in times:  # two lines for one key: the Python path reports them
                    raise _GiveUp
                times.add(when)
                factor = sensor[2]
                out_append((sensor[0], when, number if factor is None else number * factor, code))
        except csv.Error as exc:
            raise _GiveUp from exc
        if reader.line_num != n - start:  # a quoted field over several lines
            raise _GiveUp

    def stored_in_span(self) -> bool:
        """Whether anything is stored for a sensor read here between the first and the last time read (one index
        range per sensor): then the careful path decides."""
        texts = [t for t in self.times.values() if t is not False]
        sensors = ", ".join(str(int(s)) for s in self.sensors)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT EXISTS (SELECT 1 FROM monitoring_measurement "  # noqa: S608
                f"WHERE sensor_id IN ({sensors}) AND time >= %s AND time <= %s)",
                [min(texts), max(texts)],
            )
            return bool(cursor.fetchone()[0])

    def rest_text(self) -> str | None:
        if not self.rest:
            return None
        text = [""] * len(self.lines)
        if self.layout.header:
            text[0] = self.layout.first
        for n in self.rest:
            text[n - 1] = self.lines[n - 1]
        return "\n".join(text)
