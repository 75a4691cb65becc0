"""The three renderers on one composed report (pure, no database): DOCX opens with python-docx and has the
administrative layout, XLSX tables are ready to filter, PDF text round-trips with every Vietnamese letter."""

from __future__ import annotations

import io
import unicodedata
from dataclasses import replace

import docx
import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from tests.reports.builders import VIETNAMESE_LETTERS, energy_task, plan_facts
from xanh.reports.charts import draw_status_summary, status_counts_by_pillar
from xanh.reports.compose import compose_synthesis
from xanh.reports.content import REVIEW_MARK
from xanh.reports.facts import AgencyReportFacts
from xanh.reports.render_docx import render_docx
from xanh.reports.render_pdf import font_faces_css, render_html, render_pdf
from xanh.reports.render_xlsx import render_xlsx


@pytest.fixture(scope="module")
def report():  # type: ignore[no-untyped-def]
    facts = plan_facts()
    charts = {"status-summary": draw_status_summary(status_counts_by_pillar(facts))}
    return compose_synthesis(facts, charts)


@pytest.fixture(scope="module")
def document(report):  # type: ignore[no-untyped-def]
    return docx.Document(io.BytesIO(render_docx(report)))


def _texts(document) -> list[str]:  # type: ignore[no-untyped-def]
    return [p.text for p in document.paragraphs]


def test_docx_header_block(document) -> None:  # type: ignore[no-untyped-def]
    header = document.tables[0]
    left, right = header.rows[0].cells
    assert left.text.split("\n")[:2] == ["ỦY BAN NHÂN DÂN", "TỈNH LỤC VÂN"]
    assert "/BC-UBND" in left.text
    right_lines = right.text.split("\n")
    assert right_lines[:3] == [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Lục Vân, ngày 05 tháng 02 năm 2026",
    ]
    motto = right.paragraphs[1].runs[0]
    assert motto.bold and motto.underline


def test_docx_title_sections_and_styles(document) -> None:  # type: ignore[no-untyped-def]
    texts = _texts(document)
    assert "BÁO CÁO" in texts
    for heading in ("I. KẾT QUẢ THỰC HIỆN", "II. TỒN TẠI, HẠN CHẾ VÀ NGUYÊN NHÂN", "III. KIẾN NGHỊ, ĐỀ XUẤT"):
        paragraph = next(p for p in document.paragraphs if p.text == heading)
        assert paragraph.style.name == "Xanh Heading 1"
    assert document.styles["Normal"].font.name == "Times New Roman"
    section = document.sections[0]
    assert round(section.page_width.cm, 1) == 21.0 and round(section.left_margin.cm, 1) == 3.0
    # the appendices are on landscape pages
    assert document.sections[-1].page_width > document.sections[-1].page_height


def test_docx_marks_text_for_review_with_a_highlight(document) -> None:  # type: ignore[no-untyped-def]
    marked = [r for p in document.paragraphs for r in p.runs if r.text.startswith(REVIEW_MARK)]
    assert marked
    assert all(r.font.highlight_color is not None for r in marked)


def test_docx_appendix_tables(document) -> None:  # type: ignore[no-untyped-def]
    texts = _texts(document)
    assert "Phụ lục 1" in texts and "Phụ lục 2" in texts
    targets, tasks = document.tables[-2], document.tables[-1]
    assert [c.text for c in targets.rows[0].cells][:3] == ["STT", "Mục tiêu, chỉ tiêu", "Đơn vị tính"]
    assert any(row.cells[1].text.startswith("Chỉ tiêu 3: Tỷ lệ che phủ rừng") for row in targets.rows)
    assert [c.text for c in tasks.rows[0].cells][3] == "Cơ quan chủ trì"
    row = next(r for r in tasks.rows if r.cells[1].text == "III.1.a")
    assert row.cells[3].text == "Sở Công Thương" and row.cells[6].text == "Đang triển khai"
    # header rows repeat on every page of a long table
    assert targets.rows[0]._tr.trPr.xpath("./w:tblHeader")


def test_docx_contains_the_chart_with_a_text_alternative(document) -> None:  # type: ignore[no-untyped-def]
    images = document.inline_shapes
    assert len(images) == 1
    assert "Tình trạng các mục tiêu" in images[0]._inline.docPr.get("descr")


def test_xlsx_appendix_sheets_are_ready_to_filter(report) -> None:  # type: ignore[no-untyped-def]
    wb = load_workbook(io.BytesIO(render_xlsx(report)))
    assert wb.sheetnames == ["Phụ lục 1 - Mục tiêu", "Phụ lục 2 - Nhiệm vụ", "Thông tin"]
    ws = wb["Phụ lục 1 - Mục tiêu"]
    assert ws.freeze_panes == "A2"
    assert ws.auto_filter.ref.startswith("A1:L")
    header = [c.value for c in ws[1]]
    assert header[:3] == ["Nhóm", "STT", "Mục tiêu, chỉ tiêu"]
    rows = list(ws.iter_rows(min_row=2, values_only=False))
    forest = next(r for r in rows if str(r[2].value).startswith("Chỉ tiêu 3"))
    assert forest[0].value == "A. Xanh hóa các ngành kinh tế"
    base = forest[header.index("Giá trị cơ sở")]
    assert base.value == 40.1 and "#,##0.0" in base.number_format and "[$-42A]" in base.number_format
    year = forest[header.index("Năm cơ sở")]
    assert year.value == 2020 and year.number_format == "0"
    # no group heading rows: every data row names its group, so filtering never splits a group
    assert all(r[0].value for r in rows)
    tasks = wb["Phụ lục 2 - Nhiệm vụ"]
    task_header = [c.value for c in tasks[1]]
    energy = next(r for r in tasks.iter_rows(min_row=2, values_only=True) if r[2] == "III.1.a")
    assert energy[task_header.index("Cơ quan chủ trì")] == "Sở Công Thương"
    assert energy[task_header.index("Tỷ lệ hoàn thành (%)")] == 60
    unreported = next(r for r in tasks.iter_rows(min_row=2) if r[2].value == "III.4.c")
    assert unreported[task_header.index("Tình trạng")].value.startswith(REVIEW_MARK)
    assert wb["Thông tin"]["B1"].value.startswith("DỮ LIỆU MINH HỌA")


def test_pdf_fonts_are_whole_truetype_files() -> None:
    css = font_faces_css()
    assert "LiberationSerif-Regular.ttf" in css or "DejaVuSerif.ttf" in css
    assert ".woff" not in css and "unicode-range" not in css


def _squash(text: str) -> str:
    return "".join(unicodedata.normalize("NFC", text).split())


def test_pdf_text_round_trips_with_every_vietnamese_letter() -> None:
    letters = AgencyReportFacts(
        agency="Sở Văn hóa", narrative=VIETNAMESE_LETTERS, difficulties="Khó khăn: đường xá."
    )
    facts = plan_facts(tasks=(replace(energy_task(), reports=(letters,)),))
    report = compose_synthesis(facts)
    pdf = render_pdf(report)
    reader = PdfReader(io.BytesIO(pdf))
    text = "\n".join(page.extract_text() for page in reader.pages)
    squashed = _squash(text)
    assert _squash(VIETNAMESE_LETTERS) in squashed
    for expected in (
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "II. TỒN TẠI, HẠN CHẾ VÀ NGUYÊN NHÂN",
        "III. KIẾN NGHỊ, ĐỀ XUẤT",
        "Phụ lục 2",
        "Tỷ lệ dân số được sử dụng nước sạch",
    ):
        assert _squash(expected) in squashed, expected
    fonts = {
        str(font.get_object()["/BaseFont"])
        for page in reader.pages
        for font in (page["/Resources"].get("/Font") or {}).values()
    }
    assert any("Liberation" in f or "DejaVu" in f for f in fonts)


def test_html_is_standalone_and_escaped() -> None:
    facts = plan_facts(tasks=(replace(energy_task(), text="<script>alert(1)</script> & nhiệm vụ"),))
    html = render_html(compose_synthesis(facts))
    assert "<script>alert" not in html
    assert "&lt;script&gt;" in html
    assert 'lang="vi"' in html
