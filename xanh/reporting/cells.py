"""Reading what people type into report forms and Excel cells (pure, no Django).

Every parser returns a value or raises ``CellError`` with a Vietnamese message that says what is wrong; the caller adds
where (row, column, field). Vietnamese decimal commas ("12,5") and thousands dots ("1.234,5") are accepted.
"""

from __future__ import annotations

import datetime as dt
import math
import re

from xanh.core.numbers import parse_number_vi

#: task status codes and their Vietnamese labels, in the order of the dropdown
TASK_STATUS_LABELS: dict[str, str] = {
    "not_started": "Chưa triển khai",
    "in_progress": "Đang triển khai",
    "completed": "Hoàn thành",
    "behind_schedule": "Chậm tiến độ",
    "not_implemented": "Không thực hiện",
}

_DATE_PATTERNS = (
    re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$"),
    re.compile(r"^(\d{1,2})-(\d{1,2})-(\d{4})$"),
    re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$"),
)
_ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")


class CellError(ValueError):
    """A cell or field value that cannot be read; ``str(error)`` is the Vietnamese explanation."""


def is_blank(raw: object) -> bool:
    return raw is None or (isinstance(raw, str) and raw.strip() == "")


def _fold(text: str) -> str:
    return " ".join(text.strip().lower().split())


_STATUS_BY_TEXT = {_fold(label): code for code, label in TASK_STATUS_LABELS.items()} | {
    code: code for code in TASK_STATUS_LABELS
}


def parse_task_status(raw: object) -> str:
    """A task status from its label (any case) or code; "" for an empty cell."""
    if is_blank(raw):
        return ""
    code = _STATUS_BY_TEXT.get(_fold(str(raw)))
    if code is None:
        choices = ", ".join(TASK_STATUS_LABELS.values())
        raise CellError(f"tình trạng «{raw}» không hợp lệ; chọn một trong: {choices}")
    return code


def parse_number(raw: object) -> float | None:
    """A number from a numeric cell or a text written "1.234,5" / "12,5" / "12.5"; None for an empty cell."""
    if is_blank(raw):
        return None
    if isinstance(raw, bool):
        raise CellError(f"«{raw}» không phải là số")
    if isinstance(raw, int | float):
        value = float(raw)
        if not math.isfinite(value):
            raise CellError(f"«{raw}» không phải là số hữu hạn")
        return value
    if isinstance(raw, dt.date | dt.datetime | dt.time):
        raise CellError("ô chứa ngày tháng, không phải là số")
    try:
        return parse_number_vi(str(raw))
    except ValueError as exc:
        raise CellError(f"«{raw}» không phải là số (dùng dạng 1.234,5)") from exc


def parse_percent(raw: object) -> int | None:
    """A completion percentage 0–100 (decimals are rounded half up; "75%" and "75,0" are accepted)."""
    value = parse_number(raw)
    if value is None:
        return None
    if not 0 <= value <= 100:
        raise CellError(f"tỷ lệ hoàn thành {_show(value)} nằm ngoài khoảng 0–100")
    return math.floor(value + 0.5)


def parse_date(raw: object) -> dt.date | None:
    """A date from a date cell or text "dd/mm/yyyy" (also "dd-mm-yyyy", "dd.mm.yyyy", ISO "yyyy-mm-dd")."""
    if is_blank(raw):
        return None
    if isinstance(raw, dt.datetime):
        return raw.date()
    if isinstance(raw, dt.date):
        return raw
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        raise CellError(f"«{raw}» không phải là ngày; dùng dạng ngày/tháng/năm, ví dụ 31/12/2025")
    text = str(raw).strip()
    day = month = year = None
    for pattern in _DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            day, month, year = (int(g) for g in match.groups())
            break
    else:
        iso = _ISO_DATE.match(text)
        if iso:
            year, month, day = (int(g) for g in iso.groups())
    if day is None or month is None or year is None:
        raise CellError(f"ngày «{text}» sai định dạng; dùng dạng ngày/tháng/năm, ví dụ 31/12/2025")
    try:
        return dt.date(year, month, day)
    except ValueError as exc:
        raise CellError(f"ngày «{text}» không tồn tại") from exc


def parse_text(raw: object, *, max_length: int | None = None) -> str:
    """Free text: trimmed; numbers and dates are written back the way Vietnamese readers expect."""
    if is_blank(raw):
        return ""
    if isinstance(raw, dt.datetime | dt.date):
        text = raw.strftime("%d/%m/%Y")
    elif isinstance(raw, float) and raw.is_integer():
        text = str(int(raw))
    else:
        text = str(raw).strip()
    if max_length is not None and len(text) > max_length:
        raise CellError(f"nội dung dài {len(text)} ký tự, vượt giới hạn {max_length} ký tự")
    return text


def _show(value: float) -> str:
    text = f"{value:.6g}"
    return text.replace(".", ",")
