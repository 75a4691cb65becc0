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
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from django.db import connection

from . import fileformat
from .partitions import ensure_partitions
from .timeutil import aware
from .units import normalise_unit

_NUMBER = r"^-?[0-9]{1,15}(\.[0-9]{1,15})?$"


def _hour_label(naive: dt.datetime) -> dt.datetime:
    floor = naive.replace(minute=0, second=0, microsecond=0)
    return aware(floor if floor == naive else floor + dt.timedelta(hours=1))


class CsvStage:
    """The lines of one CSV file staged in temporary tables of the current transaction."""

    def __init__(self, cursor: Any, rows: int, rest_text: str, encoding: str) -> None:
        self.cursor = cursor
        self.rows = rows  # lines read by the database (in monitoring_csv_good)
        self.rest_text = rest_text  # the other lines at their line numbers (blank elsewhere), for parse_csv
        self.encoding = encoding
        self.stored = 0
        self.months: set[tuple[int, int]] = set()  # of the times read (a superset of the stored months)

    @classmethod
    def build(
        cls,
        content: bytes,
        now: dt.datetime,
        registry: Any,
        allowed: Callable[[Any], bool] | None,
    ) -> CsvStage | None:
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
            # Surrounding spaces: Python's csv module and PostgreSQL's read ` "x"` differently; Python decides.
            if any(v != v.strip() for v in (station_raw, symbol_raw, unit_raw)) or not symbol_raw:
                continue
            station = registry.by_code.get(station_raw.upper())
            if station is None or (allowed is not None and not allowed(station)):
                continue
            code = fileformat.canonical_symbol(symbol_raw)
            sensor = registry.sensors.get((station.id, code))
            unit = normalise_unit(unit_raw)
            if sensor is None or not unit:
                continue
            factor: float | str = 1.0
            if unit != sensor.unit:
                factor = registry.factor(code, unit, sensor.unit)
                if isinstance(factor, str):
                    continue
            keys.append((station_raw, symbol_raw, unit_raw, sensor.id, station.id, factor))
        raw.execute(f"SELECT DISTINCT c{ti} FROM monitoring_csv_lines WHERE c1 IS NOT NULL")  # noqa: S608
        limit = now + fileformat.DEFAULT_OPTIONS.future_tolerance
        times: list[tuple[str, dt.datetime, dt.datetime]] = []
        for (time_raw,) in raw.fetchall():
            if time_raw != time_raw.strip():
                continue
            moment = fileformat.parse_time(time_raw.strip())
            if moment is not None and moment <= limit:
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
        for (n,) in raw.fetchall():
            rest[n - 1] = lines[n - 1]
        stage = cls(raw, rows, "\n".join(rest), encoding)
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
