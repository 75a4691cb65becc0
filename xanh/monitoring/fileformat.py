"""Reading automatic-station data files (pure, no Django).

Two formats:

* **Datalogger files** of Thông tư 10/2021/TT-BTNMT, Phụ lục 15, as used in practice (monitoring-data.md §3):
  file name `<Province>_<Facility>_<Station>_<YYYYMMDDhhmmss>.txt`, one line per parameter with five TAB-separated
  fields `symbol, value, unit, YYYYMMDDhhmmss, status`; status 00 measuring, 01 calibrating, 02 device error.
* **Plain CSV** with the columns station, parameter, time, value, unit, status (a header row is recognised in
  Vietnamese or English; without one the columns are taken in that order).

Every problem becomes an `Issue` that names the file, the line and the field, in Vietnamese; a bad line never stops
the file and a bad file never stops the batch. Errors reject the line; warnings keep it (e.g. a decimal comma in
`12,5`). What the regulation leaves open (monitoring-data.md §4: encoding, decimal separator, header line, time zone)
is handled leniently where the meaning is unambiguous and reported otherwise; the choices are listed in
`ParseOptions`.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Final, Literal, NamedTuple

from .units import normalise_unit

STATUS_MEASURING: Final = "00"
STATUS_CALIBRATING: Final = "01"
STATUS_DEVICE_ERROR: Final = "02"
STATUS_LABELS: Final[dict[str, str]] = {
    STATUS_MEASURING: "Đang đo",
    STATUS_CALIBRATING: "Hiệu chuẩn",
    STATUS_DEVICE_ERROR: "Báo lỗi thiết bị",
}

# Parameter symbols said to follow TT 10/2021 Bảng 34 (monitoring-data.md §3, [L]) plus NOx and TSP, which stack
# permits and QCVN 05:2023 use. Matching is case-insensitive; "PM2,5" (the decree's spelling), "PM2.5", "PM25" and
# "PM2_5" all mean PM2.5, whose canonical code is PM2_5 (the key of the VN_AQI module).
_SYMBOLS: Final[tuple[str, ...]] = (
    "Flow", "Temp", "Color", "pH", "TSS", "COD", "NH4", "TP", "TN", "TOC", "Cl", "RH", "P", "NO", "NO2", "CO",
    "SO2", "O2", "H2S", "NH3", "VHg", "PM", "O3", "PM10", "NOx", "TSP",
)  # fmt: skip
_SYMBOL_LOOKUP: Final[dict[str, str]] = {s.lower(): s for s in _SYMBOLS} | {
    "pm2,5": "PM2_5",
    "pm2.5": "PM2_5",
    "pm25": "PM2_5",
    "pm2_5": "PM2_5",
    "pm-2.5": "PM2_5",
    "pm-10": "PM10",
}
KNOWN_SYMBOLS: Final[frozenset[str]] = frozenset(_SYMBOL_LOOKUP.values())

FILE_NAME_RE: Final = re.compile(
    r"^(?P<province>[^_]+)_(?P<facility>.+)_(?P<station>[^_]+)_(?P<time>\d{14})\.txt$", re.I
)

Severity = Literal["error", "warning"]


def display_symbol(code: str) -> str:
    """How a canonical code is written for people: PM2_5 -> "PM2,5" (the spelling of TT 10/2021)."""
    return "PM2,5" if code == "PM2_5" else code


def _fmt(number: float) -> str:
    """A value as written in messages, Vietnamese style: 12.5 -> "12,5" (no thousands grouping, full precision)."""
    text = repr(number)
    if text.endswith(".0"):
        text = text[:-2]
    return text.replace(".", ",")


def canonical_symbol(symbol: str) -> str:
    """Canonical parameter code of a symbol; unknown symbols are returned stripped (and reported by ingestion)."""
    text = symbol.strip()
    return _SYMBOL_LOOKUP.get(text.lower().replace(" ", ""), text)


_MEMO_LIMIT: Final = 10_000
_symbol_memo: dict[str, str] = {}
_unit_memo: dict[str, str] = {}


def _memo_symbol(raw: str) -> str:
    found = _symbol_memo.get(raw)
    if found is None:
        if len(_symbol_memo) > _MEMO_LIMIT:
            _symbol_memo.clear()
        found = _symbol_memo[raw] = canonical_symbol(raw)
    return found


def _memo_unit(raw: str) -> str:
    found = _unit_memo.get(raw)
    if found is None:
        if len(_unit_memo) > _MEMO_LIMIT:
            _unit_memo.clear()
        found = _unit_memo[raw] = normalise_unit(raw)
    return found


class Reading(NamedTuple):
    """One parsed reading. A named tuple because a province sends millions of them a day (cheap to create)."""

    station: str
    parameter: str  # canonical code (canonical_symbol)
    time: datetime  # naive local time, as written in the file
    value: float
    unit: str  # canonical spelling (units.normalise_unit)
    status: str  # "00", "01" or "02"
    line: int


@dataclass(frozen=True, slots=True)
class Issue:
    file: str
    line: int  # 0: the file as a whole
    severity: Severity
    code: str
    message: str
    field: str | None = None

    def __str__(self) -> str:
        where = self.file if self.line == 0 else f"{self.file}, dòng {self.line}"
        if self.field:
            where += f", trường «{self.field}»"
        return f"{where}: {self.message}"


@dataclass(frozen=True, slots=True)
class FileName:
    province: str
    facility: str
    station: str
    time: datetime


@dataclass(slots=True)
class ParsedFile:
    name: str
    kind: Literal["datalogger", "csv"]
    file_name: FileName | None = None
    readings: list[Reading] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)
    data_lines: int = 0  # non-blank lines that should hold a reading (header excluded)
    encoding: str = "utf-8"

    @property
    def errors(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "error"]

    @property
    def warnings(self) -> list[Issue]:
        return [i for i in self.issues if i.severity == "warning"]

    @property
    def rejected_lines(self) -> int:
        return len({i.line for i in self.issues if i.severity == "error" and i.line > 0}) + (
            self.data_lines if any(i.severity == "error" and i.line == 0 for i in self.issues) else 0
        )


@dataclass(frozen=True, slots=True)
class ParseOptions:
    # Measurement times later than "now" + this tolerance are rejected: clocks of dataloggers drift, and a file sent
    # every 5 minutes may be stamped slightly ahead of the receiving server.
    future_tolerance: timedelta = timedelta(minutes=10)
    # Accept one-digit status codes "0", "1", "2" (some exports drop the leading zero), with a warning.
    accept_short_status: bool = True
    # Accept a decimal comma in values ("12,5") with a warning; values like "1.234,5" or "1,234.5" are ambiguous
    # and rejected.
    accept_decimal_comma: bool = True


DEFAULT_OPTIONS: Final = ParseOptions()
_VALID_STATUS: Final = frozenset(STATUS_LABELS)


def parse_file_name(name: str) -> FileName | None:
    """`<Province>_<Facility>_<Station>_<YYYYMMDDhhmmss>.txt`. The facility part may itself contain underscores;
    province and station may not."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1]
    match = FILE_NAME_RE.match(base)
    if not match:
        return None
    moment = _parse_compact_time(match["time"])
    if moment is None:
        return None
    return FileName(match["province"], match["facility"], match["station"], moment)


_time_memo: dict[str, datetime | None] = {}


def _parse_compact_time(text: str) -> datetime | None:
    # Memoised: the files of one province share their time stamps (one per 5 minutes).
    if text in _time_memo:
        return _time_memo[text]
    if len(text) != 14 or not text.isdigit():
        return None
    try:
        moment: datetime | None = datetime(
            int(text[0:4]),
            int(text[4:6]),
            int(text[6:8]),
            int(text[8:10]),
            int(text[10:12]),
            int(text[12:14]),
        )
    except ValueError:
        moment = None
    if len(_time_memo) > _MEMO_LIMIT:
        _time_memo.clear()
    _time_memo[text] = moment
    return moment


_TIME_FORMATS: Final[tuple[str, ...]] = (
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
)


def parse_time(text: str) -> datetime | None:
    """Compact `YYYYMMDDhhmmss`, ISO `YYYY-MM-DD hh:mm[:ss]` or Vietnamese `DD/MM/YYYY hh:mm[:ss]`, naive local."""
    compact = _parse_compact_time(text)
    if compact is not None:
        return compact
    for fmt in _TIME_FORMATS:
        try:
            return datetime.strptime(text, fmt)
        except ValueError:
            continue
    return None


def decode(content: bytes) -> tuple[str, str, bool]:
    """(text, encoding, guessed). UTF-8 (with or without BOM) first. Otherwise Windows-1258, the Vietnamese Windows
    code page that station PCs use, which maps the only non-ASCII characters of these files (µ, °) correctly; then
    the best guess of charset-normalizer; finally Latin-1, which decodes any byte."""
    try:
        return content.decode("utf-8-sig"), "utf-8", False
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("cp1258"), "cp1258", True
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(content).best()
    if best is not None:
        return str(best), best.encoding, True
    return content.decode("latin-1"), "latin-1", True


class _LineParser:
    """Per-file state: caches of parsed times, duplicate detection and the issue list."""

    __slots__ = ("file", "issues", "now_limit", "options", "seen", "time_cache")

    def __init__(self, file: str, now: datetime, options: ParseOptions) -> None:
        self.file = file
        self.options = options
        self.now_limit = now + options.future_tolerance
        self.issues: list[Issue] = []
        self.time_cache: dict[str, datetime | tuple[str, str]] = {}
        self.seen: dict[tuple[str, str, datetime], Reading] = {}

    def issue(self, line: int, severity: Severity, code: str, message: str, field: str | None = None) -> None:
        self.issues.append(Issue(self.file, line, severity, code, message, field))

    def value(self, raw: str, line: int) -> float | None:
        text = raw.strip()
        if not text:
            self.issue(line, "error", "missing_value", "thiếu giá trị đo", "giá trị")
            return None
        if "," in text:
            if self.options.accept_decimal_comma and text.count(",") == 1 and "." not in text:
                try:
                    number = float(text.replace(",", "."))
                except ValueError:
                    number = math.nan
                if math.isfinite(number):
                    self.issue(
                        line,
                        "warning",
                        "decimal_comma",
                        f"giá trị «{raw}» dùng dấu phẩy thập phân; đã đọc là số thập phân {_fmt(number)}",
                        "giá trị",
                    )
                    return number
            self.issue(
                line, "error", "bad_value", f"«{raw}» không phải là số (dấu phân cách không rõ)", "giá trị"
            )
            return None
        if "_" in text:
            self.issue(line, "error", "bad_value", f"«{raw}» không phải là số", "giá trị")
            return None
        try:
            number = float(text)
        except ValueError:
            self.issue(line, "error", "bad_value", f"«{raw}» không phải là số", "giá trị")
            return None
        if not math.isfinite(number):
            self.issue(line, "error", "bad_value", f"«{raw}» không phải là số hữu hạn", "giá trị")
            return None
        return number

    def time(self, raw: str, line: int, *, compact_only: bool) -> datetime | None:
        cached = self.time_cache.get(raw)
        if cached is None:
            text = raw.strip()
            parsed = _parse_compact_time(text) if compact_only else parse_time(text)
            if parsed is None:
                expected = (
                    "YYYYMMDDhhmmss"
                    if compact_only
                    else "YYYYMMDDhhmmss, YYYY-MM-DD hh:mm[:ss] hoặc DD/MM/YYYY hh:mm[:ss]"
                )
                cached = ("bad_time", f"thời gian «{raw}» không đọc được (định dạng {expected})")
            elif parsed > self.now_limit:
                cached = ("future_time", f"thời gian {parsed:%d/%m/%Y %H:%M:%S} ở tương lai")
            else:
                cached = parsed
            self.time_cache[raw] = cached
        if isinstance(cached, tuple):
            self.issue(line, "error", cached[0], cached[1], "thời gian")
            return None
        return cached

    def status(self, raw: str, line: int) -> str | None:
        text = raw.strip()
        if text in STATUS_LABELS:
            return text
        if self.options.accept_short_status and text in ("0", "1", "2"):
            self.issue(
                line, "warning", "short_status", f"mã trạng thái «{raw}» được hiểu là «0{text}»", "trạng thái"
            )
            return "0" + text
        self.issue(
            line,
            "error",
            "bad_status",
            f"mã trạng thái «{raw}» không hợp lệ (00 đang đo, 01 hiệu chuẩn, 02 báo lỗi thiết bị)",
            "trạng thái",
        )
        return None

    def accept(self, reading: Reading) -> bool:
        """Duplicate check inside the file: same station, parameter and time."""
        key = (reading.station, reading.parameter, reading.time)
        previous = self.seen.get(key)
        if previous is None:
            self.seen[key] = reading
            return True
        self.report_duplicate(previous, reading)
        return False

    def report_duplicate(self, first: Reading, later: Reading) -> None:
        """Keep the first reading; an identical repeat is a warning, a different value or status a conflict."""
        when = f"{display_symbol(later.parameter)} lúc {later.time:%d/%m/%Y %H:%M:%S}"
        if first.value == later.value and first.status == later.status:
            self.issue(later.line, "warning", "duplicate", f"trùng dòng {first.line} ({when}), bỏ qua")
        else:
            self.issue(
                later.line,
                "error",
                "conflict",
                f"mâu thuẫn với dòng {first.line}: {when} có giá trị {_fmt(later.value)} (trạng thái {later.status}) "
                f"khác {_fmt(first.value)} (trạng thái {first.status}); giữ giá trị đầu tiên",
            )


_HEADER_WORDS: Final = frozenset(
    {
        "symbol",
        "parameter",
        "thông số",
        "thong so",
        "value",
        "giá trị",
        "gia tri",
        "unit",
        "đơn vị",
        "time",
    }
)


def _looks_like_header(fields: list[str]) -> bool:
    return sum(1 for f in fields if f.strip().lower() in _HEADER_WORDS) >= 2


def parse_datalogger(
    name: str, content: bytes | str, *, now: datetime, options: ParseOptions = DEFAULT_OPTIONS
) -> ParsedFile:
    """Parse one datalogger file. `now` is the receiving time (naive local) used for the future check."""
    result = ParsedFile(name=name, kind="datalogger")
    parser = _LineParser(name, now, options)
    result.issues = parser.issues
    file_name = parse_file_name(name)
    result.file_name = file_name
    if file_name is None:
        parser.issue(
            0,
            "error",
            "bad_file_name",
            "tên tệp không đúng mẫu <Tỉnh>_<Cơ sở>_<Trạm>_<YYYYMMDDhhmmss>.txt nên không xác định được trạm",
        )
    if isinstance(content, bytes):
        text, result.encoding, guessed = decode(content)
        if guessed:
            parser.issue(
                0, "warning", "encoding", f"tệp không phải UTF-8, đã đọc theo bảng mã {result.encoding}"
            )
    else:
        text = content
    if not text.strip():
        parser.issue(0, "error", "empty_file", "tệp rỗng, không có dòng dữ liệu nào")
        return result
    station = file_name.station if file_name else ""
    readings = result.readings
    good_times: dict[str, datetime] = {}
    seen: dict[tuple[str, datetime], Reading] = {}
    data_lines = 0
    for number, raw_line in enumerate(text.splitlines(), start=1):
        # Only spaces and line ends are trimmed: a leading or trailing TAB is an (empty) field.
        line = raw_line.strip(" \r\n\ufeff\x00")
        if not line.strip():
            continue
        parts = line.split("\t")
        if number == 1 and not parts[-1].strip().isdigit() and _looks_like_header(parts):
            continue
        data_lines += 1
        if len(parts) != 5:
            hint = ""
            if len(parts) == 1 and (";" in line or "," in line or "  " in line):
                hint = " (các trường phải cách nhau bằng ký tự TAB)"
            parser.issue(
                number,
                "error",
                "malformed",
                f"dòng có {len(parts)} trường, cần đúng 5 trường: ký hiệu, giá trị, đơn vị, thời gian, trạng thái{hint}",
            )
            continue
        symbol_raw, value_raw, unit_raw, time_raw, status_raw = parts
        symbol = _memo_symbol(symbol_raw)
        if not symbol:
            parser.issue(number, "error", "missing_symbol", "thiếu ký hiệu thông số", "ký hiệu")
            continue
        # Fast paths for well-formed fields; anything unusual goes through the checks that explain the problem.
        value: float | None
        try:
            value = float(value_raw)
            if value - value != 0.0 or "_" in value_raw:  # NaN, infinities, "1_000"
                value = parser.value(value_raw, number)
        except ValueError:
            value = parser.value(value_raw, number)
        moment = good_times.get(time_raw)
        if moment is None:
            moment = parser.time(time_raw, number, compact_only=True)
            if moment is not None:
                good_times[time_raw] = moment
        status = status_raw if status_raw in _VALID_STATUS else parser.status(status_raw, number)
        if value is None or moment is None or status is None or file_name is None:
            continue
        reading = Reading(station, symbol, moment, value, _memo_unit(unit_raw), status, number)
        key = (symbol, moment)
        if key not in seen:
            seen[key] = reading
            readings.append(reading)
        else:
            parser.report_duplicate(seen[key], reading)
    result.data_lines = data_lines
    return result


_CSV_COLUMNS: Final[tuple[str, ...]] = ("station", "parameter", "time", "value", "unit", "status")
_CSV_ALIASES: Final[dict[str, str]] = {
    "station": "station", "trạm": "station", "tram": "station", "mã trạm": "station", "ma_tram": "station",
    "station_code": "station", "parameter": "parameter", "thông số": "parameter", "thong_so": "parameter",
    "symbol": "parameter", "ký hiệu": "parameter", "time": "time", "thời gian": "time", "thoi_gian": "time",
    "timestamp": "time", "datetime": "time", "value": "value", "giá trị": "value", "gia_tri": "value",
    "unit": "unit", "đơn vị": "unit", "don_vi": "unit", "status": "status", "trạng thái": "status",
    "trang_thai": "status",
}  # fmt: skip


DEFAULT_ORDER: Final[list[int]] = [0, 1, 2, 3, 4, 5]


def _sniff_delimiter(first_line: str) -> str:
    counts = {d: first_line.count(d) for d in ("\t", ";", ",")}
    best = max(counts, key=lambda d: counts[d])
    return best if counts[best] > 0 else ","


def _repair_split_row(row: list[str]) -> tuple[list[str], str] | None:
    """Rows of an unquoted comma-separated file that contain a decimal comma have one or two fields too many:
    `PM2,5` split into "PM2" and "5", or `12,5` split into "12" and "5". Rejoin them when only one reading fits."""

    def is_int(s: str) -> bool:
        return s.strip().lstrip("-").isdigit()

    if len(row) == 7:
        if row[1].strip().lower() == "pm2" and row[2].strip() == "5":
            return [row[0], "PM2,5", *row[3:]], "ký hiệu «PM2,5» bị tách bởi dấu phẩy"
        if is_int(row[3]) and row[4].strip().isdigit():
            return [
                *row[:3],
                f"{row[3]},{row[4]}",
                *row[5:],
            ], f"giá trị «{row[3]},{row[4]}» bị tách bởi dấu phẩy"
    if (
        len(row) == 8
        and row[1].strip().lower() == "pm2"
        and row[2].strip() == "5"
        and is_int(row[4])
        and row[5].strip().isdigit()
    ):
        return (
            [row[0], "PM2,5", row[3], f"{row[4]},{row[5]}", *row[6:]],
            f"ký hiệu «PM2,5» và giá trị «{row[4]},{row[5]}» bị tách bởi dấu phẩy",
        )
    return None


def parse_csv(
    name: str, content: bytes | str, *, now: datetime, options: ParseOptions = DEFAULT_OPTIONS
) -> ParsedFile:
    """Parse a plain CSV of readings (station, parameter, time, value, unit, status)."""
    result = ParsedFile(name=name, kind="csv")
    parser = _LineParser(name, now, options)
    result.issues = parser.issues
    if isinstance(content, bytes):
        text, result.encoding, guessed = decode(content)
        if guessed:
            parser.issue(
                0, "warning", "encoding", f"tệp không phải UTF-8, đã đọc theo bảng mã {result.encoding}"
            )
    else:
        text = content
    if not text.strip():
        parser.issue(0, "error", "empty_file", "tệp rỗng, không có dòng dữ liệu nào")
        return result
    first_line = text.lstrip("\ufeff").split("\n", 1)[0]
    delimiter = _sniff_delimiter(first_line)
    rows = csv.reader(io.StringIO(text, newline=None), delimiter=delimiter)
    order = DEFAULT_ORDER
    readings = result.readings
    data_lines = 0
    while True:
        try:
            row = next(rows)
        except StopIteration:
            break
        except csv.Error as exc:
            data_lines += 1
            parser.issue(rows.line_num, "error", "malformed", f"dòng CSV không đọc được: {exc}")
            continue
        number = rows.line_num
        if not row or all(not c.strip() for c in row):
            continue
        if data_lines == 0 and number == 1:
            names = [_CSV_ALIASES.get(c.strip().lower()) for c in row]
            if sum(n is not None for n in names) >= 3:
                missing = [c for c in _CSV_COLUMNS if c not in names]
                if missing:
                    parser.issue(1, "error", "bad_header", f"dòng tiêu đề thiếu cột: {', '.join(missing)}")
                    return result
                order = [names.index(c) for c in _CSV_COLUMNS]
                continue
        data_lines += 1
        if len(row) != 6 and delimiter == "," and order == DEFAULT_ORDER:
            repaired = _repair_split_row(row)
            if repaired is not None:
                row, what = repaired
                parser.issue(
                    number, "warning", "decimal_comma", f"{what}; đã ghép lại (nên đặt trong dấu ngoặc kép)"
                )
        if len(row) != 6:
            parser.issue(
                number,
                "error",
                "malformed",
                f"dòng có {len(row)} cột, cần đúng 6 cột: trạm, thông số, thời gian, giá trị, đơn vị, trạng thái",
            )
            continue
        station = row[order[0]].strip()
        symbol = row[order[1]].strip()
        if not station:
            parser.issue(number, "error", "missing_station", "thiếu mã trạm", "trạm")
            continue
        if not symbol:
            parser.issue(number, "error", "missing_symbol", "thiếu ký hiệu thông số", "thông số")
            continue
        moment = parser.time(row[order[2]], number, compact_only=False)
        value = parser.value(row[order[3]], number)
        status = parser.status(row[order[5]], number)
        if value is None or moment is None or status is None:
            continue
        reading = Reading(
            station, canonical_symbol(symbol), moment, value, normalise_unit(row[order[4]]), status, number
        )
        if parser.accept(reading):
            readings.append(reading)
    result.data_lines = data_lines
    return result


def parse_any(
    name: str, content: bytes | str, *, now: datetime, options: ParseOptions = DEFAULT_OPTIONS
) -> ParsedFile:
    """Datalogger format for `.txt` files, CSV for `.csv` files."""
    if name.lower().endswith(".csv"):
        return parse_csv(name, content, now=now, options=options)
    return parse_datalogger(name, content, now=now, options=options)


def deduplicate(files: Iterable[ParsedFile]) -> Iterator[tuple[ParsedFile, list[Reading]]]:
    """Duplicates across the files of one batch (the same reading re-sent in two files): keep the first, report the
    second as a duplicate (same value and status) or a conflict (different). Yields each file with its kept readings;
    the issues are added to the file that holds the later line.

    Datalogger files (one station each) are compared by their sets of times first: a station whose files share no
    time needs no per-reading check, which is the normal case (one file per station and time). The first overlap
    switches that station to the per-reading check, seeded with everything kept so far."""
    seen: dict[tuple[str, str, datetime], tuple[float, str, str, int]] = {}
    by_time: dict[str, tuple[set[datetime], list[tuple[str, list[Reading]]]]] = {}
    careful: set[str] = set()

    def check_each_reading(station: str) -> None:
        careful.add(station)
        entry = by_time.pop(station, None)
        if entry is not None:
            for name, kept in entry[1]:
                for r in kept:
                    seen.setdefault((r.station, r.parameter, r.time), (r.value, r.status, name, r.line))

    for parsed in files:
        readings = parsed.readings
        if parsed.kind == "datalogger" and readings and readings[0].station not in careful:
            station = readings[0].station
            times = {r.time for r in readings}
            entry = by_time.get(station)
            if entry is None:
                by_time[station] = (times, [(parsed.name, readings)])
                yield parsed, readings
                continue
            if entry[0].isdisjoint(times):
                entry[0].update(times)
                entry[1].append((parsed.name, readings))
                yield parsed, readings
                continue
            check_each_reading(station)
        elif parsed.kind != "datalogger":
            stations = {r.station for r in readings}
            for station in stations & by_time.keys():
                check_each_reading(station)
            careful.update(stations)
        kept: list[Reading] = []
        for reading in readings:
            key = (reading.station, reading.parameter, reading.time)
            previous = seen.get(key)
            if previous is None:
                seen[key] = (reading.value, reading.status, parsed.name, reading.line)
                kept.append(reading)
                continue
            value, status, file, line = previous
            same = value == reading.value and status == reading.status
            parsed.issues.append(
                Issue(
                    parsed.name,
                    reading.line,
                    "warning" if same else "error",
                    "duplicate" if same else "conflict",
                    (f"trùng {file}, dòng {line}; bỏ qua" if same else f"mâu thuẫn với {file}, dòng {line}: "
                     f"{display_symbol(reading.parameter)} lúc {reading.time:%d/%m/%Y %H:%M:%S} có giá trị "
                     f"{_fmt(reading.value)} khác {_fmt(value)}; giữ giá trị đầu tiên"),
                )
            )  # fmt: skip
        yield parsed, kept
