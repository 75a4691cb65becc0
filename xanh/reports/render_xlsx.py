"""XLSX rendering of the appendix tables of a synthesis report (openpyxl; no Django).

One sheet per appendix, ready to filter: the header in row 1 with an autofilter, the header row frozen, a "Nhóm"
column instead of group heading rows (so filtering and sorting never split a group), numbers stored as numbers.
Number formats carry the Vietnamese locale tag ``[$-42A]``; the separators people see (1.234,5) follow the locale of
the spreadsheet program, as for any Excel number. A "Thông tin" sheet says what the file is.
"""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from xanh.reports.compose import STATUS_LABELS, STATUS_ORDER
from xanh.reports.content import REVIEW_MARK, Appendix, Cell, CellKind, SynthesisReport

VI_LOCALE = "[$-42A]"
HEADER_FILL = PatternFill("solid", fgColor="E8EFEB")
REVIEW_FILL = PatternFill("solid", fgColor="FFF2A8")
THIN = Side(style="thin", color="B8BFBB")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
FONT = "Times New Roman"
#: Excel column width is in characters of the default font; about 4,6 characters per centimetre
CHARS_PER_CM = 4.6
GROUP_TITLE = "Nhóm"


def number_format(cell: Cell) -> str:
    if cell.kind is CellKind.INTEGER:
        return "0"
    if cell.kind is CellKind.NUMBER:
        return f"{VI_LOCALE}#,##0" + (f".{'0' * cell.decimals}" if cell.decimals else "")
    return "@"


def _value(cell: Cell, column_kind: CellKind) -> float | int | str | None:
    """Numbers as numbers; an empty or "—" cell in a numeric column stays empty so that it filters and sums well."""
    if cell.kind in (CellKind.NUMBER, CellKind.INTEGER) and isinstance(cell.value, int | float):
        return cell.value
    text = cell.display
    if text in ("", "—") and (column_kind is not CellKind.TEXT or text == ""):
        return None
    return text


def _sheet(ws: Worksheet, appendix: Appendix) -> None:
    table = appendix.table
    titles = [GROUP_TITLE, *(c.title for c in table.columns)]
    widths = [6.0, *(c.width_cm for c in table.columns)]
    header_font = Font(name=FONT, bold=True)
    body_font = Font(name=FONT)
    for col, (title, width) in enumerate(zip(titles, widths, strict=True), start=1):
        cell = ws.cell(row=1, column=col, value=title)
        cell.font = header_font
        cell.fill = HEADER_FILL
        cell.border = BORDER
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(col)].width = round(width * CHARS_PER_CM, 1)
    ws.row_dimensions[1].height = 32
    group = ""
    row_no = 1
    for row in table.rows:
        if row.group:
            group = row.cells[0].text
            continue
        row_no += 1
        g = ws.cell(row=row_no, column=1, value=group)
        g.font = body_font
        g.border = BORDER
        g.alignment = Alignment(vertical="top", wrap_text=True)
        for col, (value, column) in enumerate(zip(row.cells, table.columns, strict=False), start=2):
            cell = ws.cell(row=row_no, column=col, value=_value(value, column.kind))
            cell.font = Font(name=FONT, bold=True) if value.bold else body_font
            cell.border = BORDER
            cell.number_format = number_format(value)
            numeric = value.kind in (CellKind.NUMBER, CellKind.INTEGER)
            cell.alignment = Alignment(
                horizontal="right" if numeric else "left", vertical="top", wrap_text=not numeric
            )
            if value.review:
                cell.fill = REVIEW_FILL
    last = get_column_letter(len(titles))
    ws.auto_filter.ref = f"A1:{last}{max(row_no, 2)}"
    ws.freeze_panes = "A2"
    ws.print_title_rows = "1:1"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True


def _info(ws: Worksheet, report: SynthesisReport) -> None:
    meta = report.meta
    rows: list[tuple[str, str]] = [
        ("Báo cáo", f"{report.title} {report.subtitle}"),
        ("Cơ quan ban hành", " ".join(report.header.issuer_lines)),
        ("Kế hoạch", meta.plan_title),
        ("Kỳ báo cáo", meta.period_label),
        ("Loại báo cáo", meta.kind.label),
        ("Ngày lập", report.header.place_date),
        ("Số mục tiêu, chỉ tiêu", str(meta.target_count)),
        ("Số nhiệm vụ, giải pháp", str(meta.task_count)),
        ("Tình trạng đánh giá", "; ".join(STATUS_LABELS[s] for s in STATUS_ORDER)),
        ("Ô tô màu vàng", f"{REVIEW_MARK}: nội dung cần người kiểm tra trước khi ban hành"),
        ("Nguồn", "Xanh — hệ thống theo dõi, đánh giá kế hoạch hành động tăng trưởng xanh"),
    ]
    if meta.is_demo:
        rows.insert(0, ("Lưu ý", "DỮ LIỆU MINH HỌA — không phải số liệu thật"))
    ws.column_dimensions["A"].width = 26
    ws.column_dimensions["B"].width = 100
    for index, (key, value) in enumerate(rows, start=1):
        k = ws.cell(row=index, column=1, value=key)
        k.font = Font(name=FONT, bold=True)
        v = ws.cell(row=index, column=2, value=value)
        v.font = Font(name=FONT)
        v.alignment = Alignment(wrap_text=True, vertical="top")
        k.alignment = Alignment(vertical="top")


def render_xlsx(report: SynthesisReport) -> bytes:
    wb = Workbook()
    first = wb.active
    assert first is not None
    wb.remove(first)
    for appendix in report.appendices:
        ws = wb.create_sheet(appendix.table.sheet_name[:31] or appendix.label)
        _sheet(ws, appendix)
    _info(wb.create_sheet("Thông tin"), report)
    wb.properties.title = f"{report.title} {report.subtitle}"
    wb.properties.creator = "Xanh"
    wb.properties.language = "vi-VN"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
