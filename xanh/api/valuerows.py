"""Rows of a bulk import of indicator values (pure, no Django): CSV text or JSON data in, typed rows and
row-numbered problems out.

Accepted column names (case-, diacritic- and separator-insensitive): the API's own (``indicator_code``,
``admin_unit_code``, ``period``, ``value`` …), short forms (``indicator``, ``unit_code``), Vietnamese headers
(``mã chỉ tiêu``, ``kỳ``, ``giá trị`` …), the SDMX-CSV columns of Xanh's own export (``INDICATOR``, ``REF_AREA``,
``TIME_PERIOD``, ``OBS_VALUE``, ``UNIT_MEASURE``) and DHIS2's ``dataValues`` JSON keys (``dataElement``, ``orgUnit``,
``period``, ``value``, ``categoryOptionCombo``, ``comment``). So an exported file can be imported back.

Row numbers: for CSV the line number in the file (the header is line 1); for JSON the position in the list, from 1.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from xanh.core.errors import Problem
from xanh.core.numbers import parse_number_vi
from xanh.core.text import fold

Translate = Callable[[str], str]
MAX_ROWS = 10_000
STATUSES = ("draft", "submitted")
_SDMX_PERIOD = re.compile(r"^(\d{4})-([SQ])([1-4])$")

# canonical name -> accepted spellings (compared after ``_key``)
COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "indicator_code": ("indicator_code", "indicator", "ma chi tieu", "chi tieu", "INDICATOR", "dataElement"),
    "indicator_id": ("indicator_id",),
    "admin_unit_code": (
        "admin_unit_code",
        "admin_unit",
        "unit_code",
        "ma don vi",
        "ma don vi hanh chinh",
        "don vi hanh chinh",
        "REF_AREA",
        "orgUnit",
    ),
    "admin_unit_id": ("admin_unit_id",),
    "period": ("period", "ky", "ky bao cao", "TIME_PERIOD", "time period"),
    "value": ("value", "gia tri", "so lieu", "OBS_VALUE"),
    "disaggregation": ("disaggregation", "phan to", "DISAGGREGATION", "categoryOptionCombo"),
    "unit": ("unit", "units", "don vi tinh", "dvt", "UNIT_MEASURE"),
    "agency_key": ("agency_key", "agency", "co quan", "ma co quan"),
    "status": ("status", "trang thai"),
    "note": ("note", "ghi chu", "giai trinh", "comment", "COMMENT"),
    "source_detail": ("source_detail", "nguon", "nguon so lieu", "source"),
}


def _key(name: str) -> str:
    return re.sub(r"[\s_\-.]+", " ", fold(str(name))).strip()


_LOOKUP: dict[str, str] = {
    _key(alias): canonical for canonical, aliases in COLUMN_ALIASES.items() for alias in aliases
}


@dataclass(frozen=True)
class ValueRow:
    row: int
    indicator_code: str
    indicator_id: int | None
    admin_unit_code: str
    admin_unit_id: int | None
    period: str
    value: float
    disaggregation: str = ""
    unit: str = ""
    agency_key: str = ""
    status: str = "draft"
    note: str = ""
    source_detail: str = ""

    @property
    def point(self) -> tuple[str, str, str, str]:
        """What identifies the data point inside one payload (DHIS2: data element, org unit, period, category)."""
        indicator = str(self.indicator_id) if self.indicator_id is not None else self.indicator_code
        unit = str(self.admin_unit_id) if self.admin_unit_id is not None else self.admin_unit_code
        return (indicator, unit, self.period, self.disaggregation)


@dataclass
class ParsedRows:
    rows: list[ValueRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    total: int = 0


def canonical_columns(names: Iterable[str]) -> tuple[dict[str, str], list[str]]:
    """Map given column names to canonical ones; returns (mapping given -> canonical, unknown names)."""
    mapping: dict[str, str] = {}
    unknown: list[str] = []
    for name in names:
        canonical = _LOOKUP.get(_key(name))
        if canonical is None:
            unknown.append(name)
        elif canonical not in mapping.values():
            mapping[name] = canonical
    return mapping, unknown


def sdmx_to_period(text: str) -> str:
    """SDMX time periods (2024-S1, 2024-Q3) to Xanh period codes (2024H1, 2024Q3); other text is returned as is."""
    match = _SDMX_PERIOD.match(text.strip())
    if not match:
        return text.strip()
    year, kind, index = match.groups()
    if kind == "S" and index in "12":
        return f"{year}H{index}"
    return f"{year}Q{index}" if kind == "Q" else text.strip()


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _identity(text: str) -> str:
    return text


def _number(raw: Any) -> float | None:
    """The number in ``raw`` (a JSON number, or text in Vietnamese "1.234,5" or plain "1234.5" style)."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, int | float):
        number = float(raw)
        return number if math.isfinite(number) else None
    try:
        return parse_number_vi(str(raw))
    except ValueError:
        return None


def _optional_id(raw: Any, row: int, column: str, problems: list[Problem], gettext: Translate) -> int | None:
    text = _text(raw)
    if not text:
        return None
    if not text.isdigit() or not 1 <= int(text) < 2**63:
        problems.append(
            Problem(
                gettext("«%(v)s» không phải là mã số hợp lệ (số nguyên dương).") % {"v": text}, row, column
            )
        )
        return None
    return int(text)


def parse_records(
    records: Iterable[Any],
    *,
    first_row: int = 1,
    row_numbers: Sequence[int] | None = None,
    gettext: Translate = _identity,
) -> ParsedRows:
    """Validate records (each keyed by column name). Every problem names its row and column; rows with a problem
    are left out of ``rows``. A point given twice is a problem on the later row. ``gettext`` translates messages
    (the Django layer passes Django's; the default keeps the Vietnamese text)."""
    parsed = ParsedRows()
    seen: dict[tuple[str, str, str, str], int] = {}
    for offset, record in enumerate(records):
        row = row_numbers[offset] if row_numbers is not None else first_row + offset
        parsed.total += 1
        if parsed.total > MAX_ROWS:
            parsed.problems.append(
                Problem(
                    gettext("Tối đa %(n)s dòng mỗi lần nhập; hãy chia nhỏ tệp.") % {"n": "10.000"}, row, None
                )
            )
            break
        if not isinstance(record, Mapping):
            parsed.problems.append(Problem(gettext("Mỗi phần tử phải là một đối tượng JSON."), row, None))
            continue
        mapping, _unknown = canonical_columns(str(k) for k in record)
        data = {canonical: record[given] for given, canonical in mapping.items()}
        problems: list[Problem] = []
        for name, value in data.items():
            if isinstance(value, str) and "\x00" in value:
                problems.append(Problem(gettext("Ô chứa ký tự NUL không hợp lệ."), row, name))
            elif isinstance(value, Mapping | list):
                problems.append(
                    Problem(
                        gettext("Giá trị phải là chữ hoặc số, không phải danh sách hay đối tượng."), row, name
                    )
                )
        if problems:
            parsed.problems.extend(problems)
            continue
        indicator_id = _optional_id(data.get("indicator_id"), row, "indicator_id", problems, gettext)
        admin_unit_id = _optional_id(data.get("admin_unit_id"), row, "admin_unit_id", problems, gettext)
        indicator_code = _text(data.get("indicator_code"))
        admin_unit_code = _text(data.get("admin_unit_code"))
        if not indicator_code and indicator_id is None and "indicator_id" not in data:
            problems.append(Problem(gettext("thiếu mã chỉ tiêu"), row, "indicator_code"))
        if not admin_unit_code and admin_unit_id is None and "admin_unit_id" not in data:
            problems.append(Problem(gettext("thiếu mã đơn vị hành chính"), row, "admin_unit_code"))
        period = sdmx_to_period(_text(data.get("period"))).upper().replace(" ", "")
        if not period:
            problems.append(Problem(gettext("thiếu kỳ (ví dụ 2024, 2024H1, 2024Q3, 2024-05)"), row, "period"))
        raw_value = data.get("value")
        value = _number(raw_value) if raw_value is not None and _text(raw_value) != "" else None
        if raw_value is None or _text(raw_value) == "":
            problems.append(Problem(gettext("thiếu giá trị"), row, "value"))
        elif value is None:
            problems.append(
                Problem(
                    gettext("«%(v)s» không phải là số (dùng dạng 1.234,5 hoặc 1234.5).")
                    % {"v": _text(raw_value)},
                    row,
                    "value",
                )
            )
        status = _text(data.get("status")) or "draft"
        if status not in STATUSES:
            problems.append(
                Problem(
                    gettext("trạng thái «%(s)s» không hợp lệ; dùng draft hoặc submitted") % {"s": status},
                    row,
                    "status",
                )
            )
        lengths = {"disaggregation": 100, "unit": 50, "agency_key": 80, "source_detail": 500, "note": 5000}
        texts = {name: _text(data.get(name)) for name in lengths}
        if texts["disaggregation"] == "_T":  # SDMX's code for the total, as in Xanh's SDMX-CSV export
            texts["disaggregation"] = ""
        for name, limit in lengths.items():
            if len(texts[name]) > limit:
                problems.append(Problem(gettext("dài quá %(n)d ký tự") % {"n": limit}, row, name))
        if problems or value is None:
            parsed.problems.extend(problems)
            continue
        value_row = ValueRow(
            row=row,
            indicator_code=indicator_code,
            indicator_id=indicator_id,
            admin_unit_code=admin_unit_code,
            admin_unit_id=admin_unit_id,
            period=period,
            value=value,
            disaggregation=texts["disaggregation"],
            unit=texts["unit"],
            agency_key=texts["agency_key"],
            status=status,
            note=texts["note"],
            source_detail=texts["source_detail"],
        )
        earlier = seen.get(value_row.point)
        if earlier is not None:
            parsed.problems.append(
                Problem(
                    gettext("trùng điểm số liệu với dòng %(r)d (cùng chỉ tiêu, đơn vị, kỳ, phân tổ)")
                    % {"r": earlier},
                    row,
                    "period",
                )
            )
            continue
        seen[value_row.point] = row
        parsed.rows.append(value_row)
    return parsed


def _sniff_delimiter(header_line: str) -> str:
    # Excel with Vietnamese regional settings saves "CSV" with semicolons (the comma is the decimal mark).
    return ";" if header_line.count(";") > header_line.count(",") else ","


def parse_csv(text: str, *, gettext: Translate = _identity) -> ParsedRows:
    text = text.lstrip("\ufeff")
    if not text.strip():
        return ParsedRows(problems=[Problem(gettext("Tệp CSV trống."), 1, None)])
    first_line = text.splitlines()[0]
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(first_line))
    header = [h for h in (reader.fieldnames or []) if h is not None]
    mapping, unknown = canonical_columns(header)
    found = set(mapping.values())
    missing = []
    if not {"indicator_code", "indicator_id"} & found:
        missing.append("indicator_code")
    if not {"admin_unit_code", "admin_unit_id"} & found:
        missing.append("admin_unit_code")
    missing += [c for c in ("period", "value") if c not in found]
    if missing:
        message = gettext("thiếu cột bắt buộc: %(c)s") % {"c": ", ".join(missing)}
        if unknown:
            message += "; " + gettext("cột không nhận ra: %(c)s") % {"c": ", ".join(unknown)}
        return ParsedRows(problems=[Problem(message, 1, None)])
    records: list[dict[str, Any]] = []
    lines: list[int] = []
    try:
        for record in reader:
            cells = {k: v for k, v in record.items() if k is not None}
            if any(isinstance(v, str) and v.strip() for v in cells.values()):
                records.append(cells)
                lines.append(reader.line_num)
    except csv.Error as exc:
        return ParsedRows(
            problems=[Problem(gettext("Tệp CSV không đọc được: %(e)s") % {"e": exc}, reader.line_num, None)]
        )
    return parse_records(records, row_numbers=lines, gettext=gettext)


def parse_json(data: Any, *, gettext: Translate = _identity) -> ParsedRows:
    """A list of objects, or an object with the list under ``values`` or ``dataValues`` (DHIS2)."""
    if isinstance(data, Mapping):
        for key in ("values", "dataValues", "data"):
            if isinstance(data.get(key), list):
                data = data[key]
                break
        else:
            return ParsedRows(
                problems=[
                    Problem(
                        gettext("JSON phải là một danh sách, hoặc đối tượng có khóa «values» là danh sách.")
                    )
                ]
            )
    if not isinstance(data, list):
        return ParsedRows(problems=[Problem(gettext("JSON phải là một danh sách các giá trị."))])
    return parse_records(data, first_row=1, gettext=gettext)
