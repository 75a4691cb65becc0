"""The Excel template, read and written with real .xlsx bytes (pure: no database)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from xanh.reporting import workbook as W

SECRET = b"test-secret"


def spec(**overrides):
    base = {
        "round_id": 7,
        "round_label": "Năm 2025",
        "period": "2025",
        "plan_title": "Kế hoạch thử",
        "agency_key": "so-ct",
        "agency_name": "Sở Công Thương",
        "due_on": dt.date(2025, 11, 30),
        "tasks": (
            W.TaskLine(
                "1.a", "Tiết kiệm năng lượng", "lead", status="in_progress", percent=40, narrative="Đang làm"
            ),
            W.TaskLine("2.b", "Điện mặt trời mái nhà", "coordinating"),
        ),
        "indicators": (
            W.IndicatorLine("T-DIEN", "Điện thương phẩm", "2025", "", "triệu kWh", value=1234.5),
            W.IndicatorLine("T-NUOC", "Nước sạch", "2025", "thành thị", "%"),
        ),
    }
    base.update(overrides)
    return W.TemplateSpec(**base)


def edit(content: bytes, changes):
    book = load_workbook(io.BytesIO(content))
    for sheet, cell, value in changes:
        book[sheet][cell] = value
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_template_layout():
    content = W.build_workbook(spec(), secret=SECRET)
    book = load_workbook(io.BytesIO(content))
    assert book.sheetnames == ["Hướng dẫn", "Nhiệm vụ", "Chỉ tiêu", "_meta"]
    assert book["_meta"].sheet_state == "veryHidden"
    tasks = book["Nhiệm vụ"]
    assert [c.value for c in tasks[1]][:4] == ["Mã nhiệm vụ", "Nội dung nhiệm vụ", "Vai trò", "Tình trạng"]
    assert tasks.protection.sheet and tasks["A2"].protection.locked and not tasks["D2"].protection.locked
    assert tasks["D2"].value == "Đang triển khai" and tasks["C3"].value == "Phối hợp"
    rules = {str(dv.sqref): dv for dv in tasks.data_validations.dataValidation}
    assert "Chưa triển khai" in rules["D2:D3"].formula1 and rules["E2:E3"].type == "whole"
    assert book["Chỉ tiêu"]["D2"].value == "Tổng số" and book["Chỉ tiêu"]["F2"].value == 1234.5
    assert "Sở Công Thương" in book["Hướng dẫn"]["A4"].value


def test_round_trip_without_changes():
    parsed = W.read_workbook(W.build_workbook(spec(), secret=SECRET), secret=SECRET)
    assert parsed.problems == []
    assert (parsed.round_id, parsed.agency_key, parsed.period) == (7, "so-ct", "2025")
    assert [(t.code, t.status, t.percent) for t in parsed.tasks] == [
        ("1.a", "in_progress", 40),
        ("2.b", "", None),
    ]
    assert [(i.key, i.value) for i in parsed.indicators] == [
        (("T-DIEN", "2025", ""), 1234.5),
        (("T-NUOC", "2025", "thành thị"), None),
    ]


def test_filled_values_with_vietnamese_commas_and_dates():
    content = edit(
        W.build_workbook(spec(), secret=SECRET),
        [
            ("Nhiệm vụ", "D3", "Hoàn thành"),
            ("Nhiệm vụ", "E3", 100),
            ("Nhiệm vụ", "F3", "15/10/2025"),
            ("Chỉ tiêu", "F3", "92,5"),
            ("Chỉ tiêu", "G3", "Sở Xây dựng"),
        ],
    )
    parsed = W.read_workbook(content, secret=SECRET)
    assert parsed.problems == []
    assert parsed.tasks[1].status == "completed" and parsed.tasks[1].completed_on == dt.date(2025, 10, 15)
    assert parsed.indicators[1].value == 92.5 and parsed.indicators[1].data_source == "Sở Xây dựng"


def _problems(content):
    return [str(p) for p in W.read_workbook(content, secret=SECRET).problems]


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        (
            [("Nhiệm vụ", "A2", "9.9")],
            "Nhiệm vụ, dòng 2, cột/trường «Mã nhiệm vụ (cột A)»: mã nhiệm vụ «9.9» không có",
        ),
        (
            [("Nhiệm vụ", "B2", "Nội dung khác")],
            "dòng 2, cột/trường «Nội dung nhiệm vụ (cột B)»: cột khóa «Nội dung nhiệm vụ» đã bị sửa",
        ),
        ([("Nhiệm vụ", "C2", "Phối hợp")], "dòng 2, cột/trường «Vai trò (cột C)»"),
        (
            [("Chỉ tiêu", "C2", "2024")],
            "dòng 2, cột/trường «Kỳ (cột C)»: kỳ «2024» của chỉ tiêu «T-DIEN» không đúng kỳ báo cáo",
        ),
        (
            [("Chỉ tiêu", "E2", "kWh")],
            "dòng 2, cột/trường «Đơn vị tính (cột E)»: cột khóa «Đơn vị tính» đã bị sửa",
        ),
        ([("Chỉ tiêu", "D3", "nông thôn")], "dòng 3, cột/trường «Phân tổ (cột D)»"),
        (
            [("Nhiệm vụ", "E2", "nhiều")],
            "Nhiệm vụ, dòng 2, cột/trường «Tỷ lệ hoàn thành (%) (cột E)»: «nhiều» không phải là số",
        ),
        (
            [("Nhiệm vụ", "D2", "Xong")],
            "dòng 2, cột/trường «Tình trạng (cột D)»: tình trạng «Xong» không hợp lệ",
        ),
        (
            [("Nhiệm vụ", "F2", "2025/10/15")],
            "dòng 2, cột/trường «Ngày hoàn thành (ngày/tháng/năm) (cột F)»: ngày «2025/10/15» sai định dạng",
        ),
        ([("Nhiệm vụ", "F2", "31/02/2025")], "ngày «31/02/2025» không tồn tại"),
        (
            [("Chỉ tiêu", "F2", "một nghìn")],
            "Chỉ tiêu, dòng 2, cột/trường «Giá trị (cột F)»: «một nghìn» không phải là số",
        ),
        (
            [
                ("Nhiệm vụ", "A3", "1.a"),
                ("Nhiệm vụ", "B3", "Tiết kiệm năng lượng"),
                ("Nhiệm vụ", "C3", "Chủ trì"),
            ],
            "Nhiệm vụ, dòng 3, cột/trường «Mã nhiệm vụ (cột A)»: dòng trùng: nhiệm vụ «1.a» đã có ở dòng 2",
        ),
        (
            [
                ("Chỉ tiêu", "A4", "T-DIEN"),
                ("Chỉ tiêu", "B4", "Điện thương phẩm"),
                ("Chỉ tiêu", "C4", "2025"),
                ("Chỉ tiêu", "D4", "Tổng số"),
                ("Chỉ tiêu", "E4", "triệu kWh"),
            ],
            "Chỉ tiêu, dòng 4, cột/trường «Mã chỉ tiêu (cột A)»: dòng trùng",
        ),
        (
            [("Nhiệm vụ", "A1", "Mã")],
            "Nhiệm vụ, dòng 1, cột/trường «cột A»: tiêu đề cột phải là «Mã nhiệm vụ»",
        ),
        ([("_meta", "B3", "8")], "thông tin ẩn của mẫu đã bị sửa"),
    ],
)
def test_every_bad_input_names_row_and_column(changes, expected):
    problems = _problems(edit(W.build_workbook(spec(), secret=SECRET), changes))
    assert any(expected in p for p in problems), problems


def test_deleted_rows_and_sheets_are_reported():
    book = load_workbook(io.BytesIO(W.build_workbook(spec(), secret=SECRET)))
    book["Nhiệm vụ"].delete_rows(3)
    del book["Chỉ tiêu"]
    out = io.BytesIO()
    book.save(out)
    problems = _problems(out.getvalue())
    assert any("thiếu dòng của nhiệm vụ «2.b»" in p for p in problems)
    assert any("thiếu trang tính «Chỉ tiêu»" in p for p in problems)


def test_foreign_files_are_refused():
    assert "không phải là tệp Excel" in _problems(b"not a zip")[0]
    from openpyxl import Workbook

    other = io.BytesIO()
    Workbook().save(other)
    assert "không phải là mẫu báo cáo do Xanh tạo" in _problems(other.getvalue())[0]
    forged = W.build_workbook(spec(), secret=b"another-server")
    assert "sai mã kiểm tra" in _problems(forged)[0]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    percent=st.integers(min_value=0, max_value=100),
    value=st.floats(min_value=0, max_value=1e7, allow_nan=False).map(lambda v: round(v, 2)),
    text=st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=40),
)
def test_any_filled_template_round_trips(percent, value, text):
    content = edit(
        W.build_workbook(spec(), secret=SECRET),
        [("Nhiệm vụ", "E2", percent), ("Nhiệm vụ", "G2", text), ("Chỉ tiêu", "F2", value)],
    )
    parsed = W.read_workbook(content, secret=SECRET)
    assert parsed.problems == []
    assert parsed.tasks[0].percent == percent and parsed.tasks[0].narrative == text.strip()
    assert parsed.indicators[0].value == pytest.approx(value)
