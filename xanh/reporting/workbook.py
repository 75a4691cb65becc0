"""The agency's Excel report template: build it pre-filled, and read it back (pure: openpyxl, no Django).

Layout
    "Hướng dẫn"  how to fill the template (Vietnamese).
    "Nhiệm vụ"   one row per task of the agency; grey columns are keys and locked (sheet protection), the status
                 column has a dropdown, the percentage a 0–100 whole-number rule.
    "Chỉ tiêu"   one row per indicator value (total and each disaggregation); grey key columns locked.
    "_meta"      very hidden: template format, round id, agency key, period, one row per item with its key and a
                 digest of its locked text, and an HMAC-SHA256 checksum over all of it (key: the server secret).

Reading never trusts the file: the checksum proves the metadata came from the server; every data row is matched to
its metadata item by key, and any edited key column, duplicated, missing or added row, or unreadable cell becomes a
``Problem`` naming the sheet, row and column. The caller decides what to do with the values (dry run or apply).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import io
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from openpyxl import Workbook, load_workbook  # type: ignore[import-untyped]
from openpyxl.styles import Alignment, Font, PatternFill, Protection  # type: ignore[import-untyped]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]
from openpyxl.worksheet.datavalidation import DataValidation  # type: ignore[import-untyped]

from xanh.core.errors import Problem
from xanh.reporting import cells
from xanh.reporting.cells import TASK_STATUS_LABELS, CellError

FORMAT = "xanh-bao-cao-dinh-ky"
FORMAT_VERSION = 1
TASK_SHEET = "Nhiệm vụ"
INDICATOR_SHEET = "Chỉ tiêu"
GUIDE_SHEET = "Hướng dẫn"
META_SHEET = "_meta"

ROLE_LABELS = {"lead": "Chủ trì", "coordinating": "Phối hợp"}
TOTAL_LABEL = "Tổng số"

# (header, width, locked)
TASK_COLUMNS: tuple[tuple[str, int, bool], ...] = (
    ("Mã nhiệm vụ", 12, True),
    ("Nội dung nhiệm vụ", 50, True),
    ("Vai trò", 10, True),
    ("Tình trạng", 18, False),
    ("Tỷ lệ hoàn thành (%)", 12, False),
    ("Ngày hoàn thành (ngày/tháng/năm)", 16, False),
    ("Kết quả thực hiện", 50, False),
    ("Khó khăn, vướng mắc", 40, False),
    ("Đề xuất, kiến nghị", 40, False),
)
INDICATOR_COLUMNS: tuple[tuple[str, int, bool], ...] = (
    ("Mã chỉ tiêu", 12, True),
    ("Tên chỉ tiêu", 45, True),
    ("Kỳ", 9, True),
    ("Phân tổ", 14, True),
    ("Đơn vị tính", 14, True),
    ("Giá trị", 14, False),
    ("Nguồn số liệu", 35, False),
    ("Ghi chú, giải trình", 40, False),
)

_KEY_FILL = PatternFill("solid", fgColor="E3E7E5")
_HEAD_FILL = PatternFill("solid", fgColor="0B6B3A")
_HEAD_FONT = Font(bold=True, color="FFFFFF")
_WRAP = Alignment(wrap_text=True, vertical="top")
_TEXT_MAX = 20_000  # well under Excel's 32,767 characters per cell


@dataclass(frozen=True)
class TaskLine:
    code: str
    text: str
    role: str  # "lead" | "coordinating"
    status: str = ""
    percent: int | None = None
    completed_on: dt.date | None = None
    narrative: str = ""
    difficulties: str = ""
    proposals: str = ""


@dataclass(frozen=True)
class IndicatorLine:
    code: str
    name: str
    period: str
    disaggregation: str  # "" for the total
    unit: str
    value: float | None = None
    data_source: str = ""
    note: str = ""

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.code, self.period, self.disaggregation)


@dataclass(frozen=True)
class TemplateSpec:
    round_id: int
    round_label: str
    period: str
    plan_title: str
    agency_key: str
    agency_name: str
    due_on: dt.date
    tasks: tuple[TaskLine, ...]
    indicators: tuple[IndicatorLine, ...]
    instructions: str = ""


@dataclass(frozen=True)
class TaskValues:
    row: int
    code: str
    status: str
    percent: int | None
    completed_on: dt.date | None
    narrative: str
    difficulties: str
    proposals: str


@dataclass(frozen=True)
class IndicatorValues:
    row: int
    code: str
    period: str
    disaggregation: str
    value: float | None
    data_source: str
    note: str

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.code, self.period, self.disaggregation)


@dataclass
class ParsedTemplate:
    round_id: int | None = None
    agency_key: str = ""
    period: str = ""
    tasks: list[TaskValues] = field(default_factory=list)
    indicators: list[IndicatorValues] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def _digest(text: str) -> str:
    return hashlib.sha256(text.strip().encode("utf-8")).hexdigest()[:16]


def _meta_rows(spec: TemplateSpec) -> list[list[str]]:
    rows = [
        ["format", FORMAT],
        ["version", str(FORMAT_VERSION)],
        ["round_id", str(spec.round_id)],
        ["agency_key", spec.agency_key],
        ["period", spec.period],
    ]
    rows += [["task", t.code, t.role, _digest(t.text)] for t in spec.tasks]
    rows += [
        ["indicator", i.code, i.period, i.disaggregation, i.unit, _digest(i.name)] for i in spec.indicators
    ]
    return rows


def _normalise(row: Sequence[str]) -> list[str]:
    values = list(row)
    while values and values[-1] == "":
        values.pop()
    return values


def _checksum(rows: Iterable[Sequence[str]], secret: bytes) -> str:
    # trailing empty cells do not survive a save in every spreadsheet program, so they do not count
    payload = json.dumps([_normalise(r) for r in rows], ensure_ascii=False, separators=(",", ":"))
    return hmac.new(secret, payload.encode("utf-8"), hashlib.sha256).hexdigest()


def _sheet_password(secret: bytes, round_id: int, agency_key: str) -> str:
    # Excel sheet protection is a guard against accidents, not a security boundary (the checksum is).
    return hmac.new(secret, f"protect:{round_id}:{agency_key}".encode(), hashlib.sha256).hexdigest()[:12]


def _write_header(sheet: Any, columns: Sequence[tuple[str, int, bool]]) -> None:
    for index, (header, width, _locked) in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index, value=header)
        cell.fill = _HEAD_FILL
        cell.font = _HEAD_FONT
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "C2"
    sheet.row_dimensions[1].height = 32


def _write_rows(sheet: Any, columns: Sequence[tuple[str, int, bool]], rows: Iterable[Sequence[Any]]) -> int:
    count = 0
    for row_no, values in enumerate(rows, start=2):
        for index, ((_header, _width, locked), value) in enumerate(
            zip(columns, values, strict=True), start=1
        ):
            cell = sheet.cell(row=row_no, column=index, value=value)
            cell.alignment = _WRAP
            if locked:
                cell.fill = _KEY_FILL
            else:
                cell.protection = Protection(locked=False)
        count += 1
    return count


def _protect(sheet: Any, password: str) -> None:
    sheet.protection.sheet = True
    sheet.protection.password = password
    sheet.protection.formatColumns = False  # people may widen columns to read long texts
    sheet.protection.formatRows = False
    sheet.protection.autoFilter = False


def build_workbook(spec: TemplateSpec, *, secret: bytes) -> bytes:
    """The .xlsx bytes of the template for ``spec``."""
    book = Workbook()
    guide = book.active
    guide.title = GUIDE_SHEET
    _write_guide(guide, spec)

    password = _sheet_password(secret, spec.round_id, spec.agency_key)
    tasks = book.create_sheet(TASK_SHEET)
    _write_header(tasks, TASK_COLUMNS)
    n_tasks = _write_rows(
        tasks,
        TASK_COLUMNS,
        (
            (
                t.code,
                t.text,
                ROLE_LABELS.get(t.role, t.role),
                TASK_STATUS_LABELS.get(t.status, ""),
                t.percent,
                t.completed_on,
                t.narrative,
                t.difficulties,
                t.proposals,
            )
            for t in spec.tasks
        ),
    )
    if n_tasks:
        last = n_tasks + 1
        status_rule = DataValidation(
            type="list",
            formula1='"' + ",".join(TASK_STATUS_LABELS.values()) + '"',
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="Tình trạng không hợp lệ",
            error="Chọn tình trạng trong danh sách.",
            promptTitle="Tình trạng",
            prompt="Chọn trong danh sách: " + ", ".join(TASK_STATUS_LABELS.values()),
            showInputMessage=True,
        )
        status_rule.add(f"D2:D{last}")
        percent_rule = DataValidation(
            type="whole",
            operator="between",
            formula1="0",
            formula2="100",
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="Tỷ lệ không hợp lệ",
            error="Nhập số nguyên từ 0 đến 100.",
        )
        percent_rule.add(f"E2:E{last}")
        tasks.add_data_validation(status_rule)
        tasks.add_data_validation(percent_rule)
        for row in range(2, last + 1):
            tasks.cell(row=row, column=6).number_format = "DD/MM/YYYY"
    _protect(tasks, password)

    indicators = book.create_sheet(INDICATOR_SHEET)
    _write_header(indicators, INDICATOR_COLUMNS)
    _write_rows(
        indicators,
        INDICATOR_COLUMNS,
        (
            (
                i.code,
                i.name,
                i.period,
                i.disaggregation or TOTAL_LABEL,
                i.unit,
                i.value,
                i.data_source,
                i.note,
            )
            for i in spec.indicators
        ),
    )
    for row in range(2, len(spec.indicators) + 2):
        indicators.cell(row=row, column=6).number_format = "#,##0.###"
    _protect(indicators, password)

    meta = book.create_sheet(META_SHEET)
    rows = _meta_rows(spec)
    for values in rows:
        meta.append(values)
    meta.append(["checksum", _checksum(rows, secret)])
    meta.sheet_state = "veryHidden"
    _protect(meta, password)

    book.active = 1
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _write_guide(sheet: Any, spec: TemplateSpec) -> None:
    statuses = ", ".join(TASK_STATUS_LABELS.values())
    lines = [
        ("MẪU BÁO CÁO TÌNH HÌNH THỰC HIỆN KẾ HOẠCH HÀNH ĐỘNG TĂNG TRƯỞNG XANH", True),
        (f"Kế hoạch: {spec.plan_title}", False),
        (f"Kỳ báo cáo: {spec.round_label} (mã kỳ {spec.period})", False),
        (f"Cơ quan báo cáo: {spec.agency_name}", False),
        (f"Hạn nộp: {spec.due_on.strftime('%d/%m/%Y')}", False),
        ("", False),
        ("Cách điền", True),
        (
            "1. Chỉ điền vào các ô trắng. Các cột nền xám (mã, nội dung, kỳ, phân tổ, đơn vị) bị khóa, không sửa.",
            False,
        ),
        ("2. Không thêm, xóa hay đổi thứ tự dòng; không đổi tên các trang tính.", False),
        (f"3. Trang «{TASK_SHEET}»: chọn Tình trạng trong danh sách ({statuses}).", False),
        (
            "   Tỷ lệ hoàn thành là số nguyên từ 0 đến 100. Ngày hoàn thành ghi theo dạng ngày/tháng/năm, ví dụ 31/12/2025.",
            False,
        ),
        ("   Nhiệm vụ chậm tiến độ hoặc không thực hiện cần nêu khó khăn, vướng mắc và đề xuất.", False),
        (
            f"4. Trang «{INDICATOR_SHEET}»: ghi giá trị theo đơn vị tính đã cho; số thập phân dùng dấu phẩy (12,5) hoặc",
            False,
        ),
        (
            "   dấu chấm đều được. Ghi rõ nguồn số liệu. Giá trị thay đổi bất thường so với kỳ trước cần ghi chú giải trình.",
            False,
        ),
        (
            "5. Lưu tệp dạng .xlsx và tải lên trong Xanh. Hệ thống cho xem trước các thay đổi và lỗi (theo dòng, cột)",
            False,
        ),
        ("   trước khi ghi nhận; khi còn lỗi thì không có gì được ghi.", False),
        ("6. Mẫu này chỉ dùng cho đúng cơ quan và kỳ báo cáo ghi ở trên.", False),
    ]
    if spec.instructions.strip():
        lines += [("", False), ("Hướng dẫn của cơ quan đầu mối", True)]
        lines += [(line, False) for line in spec.instructions.strip().splitlines()]
    for row, (text, bold) in enumerate(lines, start=1):
        cell = sheet.cell(row=row, column=1, value=text)
        if bold:
            cell.font = Font(bold=True, size=12 if row == 1 else 11)
    sheet.column_dimensions["A"].width = 120


# ---- reading -------------------------------------------------------------------------------------------------


def _column_name(columns: Sequence[tuple[str, int, bool]], index: int) -> str:
    return f"{columns[index][0]} (cột {get_column_letter(index + 1)})"


def _read_meta(book: Any, secret: bytes, problems: list[Problem]) -> dict[str, Any] | None:
    if META_SHEET not in book.sheetnames:
        problems.append(
            Problem("tệp không phải là mẫu báo cáo do Xanh tạo (thiếu trang thông tin ẩn); hãy tải mẫu mới")
        )
        return None
    rows: list[list[str]] = []
    checksum = ""
    for raw in book[META_SHEET].iter_rows(values_only=True):
        values = _normalise(["" if v is None else str(v) for v in raw])
        if not values:
            continue
        if values[0] == "checksum":
            checksum = values[1] if len(values) > 1 else ""
            continue
        rows.append(values)
    header = {
        r[0]: r[1]
        for r in rows
        if len(r) >= 2 and r[0] in {"format", "version", "round_id", "agency_key", "period"}
    }
    if header.get("format") != FORMAT:
        problems.append(Problem("tệp không phải là mẫu báo cáo định kỳ của Xanh; hãy tải mẫu mới"))
        return None
    if not checksum or not hmac.compare_digest(checksum, _checksum(rows, secret)):
        problems.append(
            Problem(
                "thông tin ẩn của mẫu đã bị sửa hoặc mẫu không do hệ thống này tạo (sai mã kiểm tra); hãy tải mẫu mới",
                source=META_SHEET,
            )
        )
        return None
    if header.get("version") != str(FORMAT_VERSION):
        problems.append(Problem("mẫu thuộc phiên bản cũ, không còn dùng được; hãy tải mẫu mới"))
        return None
    tasks: dict[str, tuple[str, str]] = {}
    indicators: dict[tuple[str, str, str], tuple[str, str]] = {}
    for r in rows:
        padded = r + [""] * (6 - len(r))
        if r[0] == "task":
            tasks[padded[1]] = (padded[2], padded[3])
        elif r[0] == "indicator":
            indicators[(padded[1], padded[2], padded[3])] = (padded[4], padded[5])
    try:
        round_id = int(header.get("round_id", ""))
    except ValueError:
        problems.append(Problem("mã kỳ báo cáo trong mẫu không hợp lệ", source=META_SHEET))
        return None
    return {
        "round_id": round_id,
        "agency_key": header.get("agency_key", ""),
        "period": header.get("period", ""),
        "tasks": tasks,
        "indicators": indicators,
    }


def _check_header(
    sheet: Any, columns: Sequence[tuple[str, int, bool]], name: str, problems: list[Problem]
) -> bool:
    first = next(sheet.iter_rows(min_row=1, max_row=1, values_only=True), ())
    ok = True
    for index, (header, _w, _l) in enumerate(columns):
        found = first[index] if index < len(first) else None
        if str(found or "").strip() != header:
            problems.append(
                Problem(
                    f"tiêu đề cột phải là «{header}», trong tệp là «{found or ''}»",
                    1,
                    f"cột {get_column_letter(index + 1)}",
                    name,
                )
            )
            ok = False
    return ok


def _cell(values: Sequence[Any], index: int) -> Any:
    return values[index] if index < len(values) else None


def _read_tasks(sheet: Any, meta: dict[str, Any], problems: list[Problem]) -> list[TaskValues]:
    expected: dict[str, tuple[str, str]] = meta["tasks"]
    seen: dict[str, int] = {}
    out: list[TaskValues] = []
    if not _check_header(sheet, TASK_COLUMNS, TASK_SHEET, problems):
        return out
    col = TASK_COLUMNS
    for row_no, values in enumerate(sheet.iter_rows(min_row=2, values_only=True), start=2):
        if all(cells.is_blank(v) for v in values):
            continue
        code = cells.parse_text(_cell(values, 0))
        if code not in expected:
            problems.append(
                Problem(
                    f"mã nhiệm vụ «{code}» không có trong mẫu của cơ quan (cột khóa bị sửa hoặc dòng bị thêm)",
                    row_no,
                    _column_name(col, 0),
                    TASK_SHEET,
                )
            )
            continue
        if code in seen:
            problems.append(
                Problem(
                    f"dòng trùng: nhiệm vụ «{code}» đã có ở dòng {seen[code]}",
                    row_no,
                    _column_name(col, 0),
                    TASK_SHEET,
                )
            )
            continue
        seen[code] = row_no
        role, text_digest = expected[code]
        if _digest(cells.parse_text(_cell(values, 1))) != text_digest:
            problems.append(
                Problem("cột khóa «Nội dung nhiệm vụ» đã bị sửa", row_no, _column_name(col, 1), TASK_SHEET)
            )
        if cells.parse_text(_cell(values, 2)) != ROLE_LABELS.get(role, role):
            problems.append(Problem("cột khóa «Vai trò» đã bị sửa", row_no, _column_name(col, 2), TASK_SHEET))
        parsed: dict[str, Any] = {}
        for index, name, parser in (
            (3, "status", cells.parse_task_status),
            (4, "percent", cells.parse_percent),
            (5, "completed_on", cells.parse_date),
            (6, "narrative", lambda v: cells.parse_text(v, max_length=_TEXT_MAX)),
            (7, "difficulties", lambda v: cells.parse_text(v, max_length=_TEXT_MAX)),
            (8, "proposals", lambda v: cells.parse_text(v, max_length=_TEXT_MAX)),
        ):
            try:
                parsed[name] = parser(_cell(values, index))
            except CellError as exc:
                problems.append(Problem(str(exc), row_no, _column_name(col, index), TASK_SHEET))
                parsed[name] = None
        out.append(TaskValues(row=row_no, code=code, **parsed))
    for code in expected:
        if code not in seen:
            problems.append(
                Problem(
                    f"thiếu dòng của nhiệm vụ «{code}» (không được xóa dòng trong mẫu)", source=TASK_SHEET
                )
            )
    return out


def _read_indicators(sheet: Any, meta: dict[str, Any], problems: list[Problem]) -> list[IndicatorValues]:
    expected: dict[tuple[str, str, str], tuple[str, str]] = meta["indicators"]
    seen: dict[tuple[str, str, str], int] = {}
    out: list[IndicatorValues] = []
    if not _check_header(sheet, INDICATOR_COLUMNS, INDICATOR_SHEET, problems):
        return out
    col = INDICATOR_COLUMNS
    for row_no, values in enumerate(sheet.iter_rows(min_row=2, values_only=True), start=2):
        if all(cells.is_blank(v) for v in values):
            continue
        code = cells.parse_text(_cell(values, 0))
        period = cells.parse_text(_cell(values, 2))
        scope = cells.parse_text(_cell(values, 3))
        disaggregation = "" if scope == TOTAL_LABEL else scope
        key = (code, period, disaggregation)
        if key not in expected:
            if not any(k[0] == code for k in expected):
                column, what = 0, f"mã chỉ tiêu «{code}» không có trong mẫu của cơ quan"
            elif not any(k[0] == code and k[1] == period for k in expected):
                column, what = 2, f"kỳ «{period}» của chỉ tiêu «{code}» không đúng kỳ báo cáo"
            else:
                column, what = 3, f"phân tổ «{scope}» của chỉ tiêu «{code}» không có trong mẫu"
            problems.append(
                Problem(
                    f"{what} (cột khóa bị sửa hoặc dòng bị thêm)",
                    row_no,
                    _column_name(col, column),
                    INDICATOR_SHEET,
                )
            )
            continue
        if key in seen:
            label = f"{code}" + (f" ({scope})" if disaggregation else "")
            problems.append(
                Problem(
                    f"dòng trùng: chỉ tiêu «{label}» kỳ {period} đã có ở dòng {seen[key]}",
                    row_no,
                    _column_name(col, 0),
                    INDICATOR_SHEET,
                )
            )
            continue
        seen[key] = row_no
        unit, name_digest = expected[key]
        if _digest(cells.parse_text(_cell(values, 1))) != name_digest:
            problems.append(
                Problem("cột khóa «Tên chỉ tiêu» đã bị sửa", row_no, _column_name(col, 1), INDICATOR_SHEET)
            )
        if cells.parse_text(_cell(values, 4)) != unit:
            problems.append(
                Problem(
                    f"cột khóa «Đơn vị tính» đã bị sửa (phải là «{unit}»)",
                    row_no,
                    _column_name(col, 4),
                    INDICATOR_SHEET,
                )
            )
        parsed: dict[str, Any] = {}
        for index, name, parser in (
            (5, "value", cells.parse_number),
            (6, "data_source", lambda v: cells.parse_text(v, max_length=500)),
            (7, "note", lambda v: cells.parse_text(v, max_length=_TEXT_MAX)),
        ):
            try:
                parsed[name] = parser(_cell(values, index))
            except CellError as exc:
                problems.append(Problem(str(exc), row_no, _column_name(col, index), INDICATOR_SHEET))
                parsed[name] = None
        out.append(
            IndicatorValues(row=row_no, code=code, period=period, disaggregation=disaggregation, **parsed)
        )
    for code, period, disaggregation in expected:
        if (code, period, disaggregation) not in seen:
            scope = f" ({disaggregation})" if disaggregation else ""
            problems.append(
                Problem(
                    f"thiếu dòng của chỉ tiêu «{code}{scope}» kỳ {period} (không được xóa dòng trong mẫu)",
                    source=INDICATOR_SHEET,
                )
            )
    return out


def read_workbook(content: bytes, *, secret: bytes) -> ParsedTemplate:
    """Parse an uploaded template. ``problems`` is empty only if the file is a genuine, intact template whose every
    cell could be read."""
    result = ParsedTemplate()
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many exception types for files that are not .xlsx
        result.problems.append(
            Problem(
                f"tệp không phải là tệp Excel .xlsx đọc được ({type(exc).__name__}); hãy lưu lại dạng .xlsx"
            )
        )
        return result
    try:
        meta = _read_meta(book, secret, result.problems)
        if meta is None:
            return result
        result.round_id = meta["round_id"]
        result.agency_key = meta["agency_key"]
        result.period = meta["period"]
        missing = [n for n in (TASK_SHEET, INDICATOR_SHEET) if n not in book.sheetnames]
        for name in missing:
            result.problems.append(Problem(f"thiếu trang tính «{name}» (không được đổi tên hay xóa trang)"))
        if TASK_SHEET not in missing:
            result.tasks = _read_tasks(book[TASK_SHEET], meta, result.problems)
        if INDICATOR_SHEET not in missing:
            result.indicators = _read_indicators(book[INDICATOR_SHEET], meta, result.problems)
    finally:
        book.close()
    return result
