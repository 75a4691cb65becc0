"""DOCX rendering of a synthesis report (python-docx; no Django).

Layout of a Vietnamese administrative report (Nghị định 30/2020/NĐ-CP, Phụ lục I): A4, margins 20 mm top and bottom,
30 mm left, 15 mm right; serif font at 13–14 pt; the header block as a two-column table without borders (issuing
body and number left; national name, motto, place and date right); page numbers centred at the top from page 2;
"Nơi nhận" left and the signature block right; appendices on landscape pages.

The font is named "Times New Roman", the font those rules ask for: Word uses it as is, and LibreOffice on Debian
renders it with the metric-compatible Liberation Serif (fonts-liberation2), so line breaks match on both.
Text marked for review is highlighted in yellow and starts with "[Cần rà soát]".
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable, Iterable
from xml.sax.saxutils import escape

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK, WD_COLOR_INDEX
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.text.paragraph import Paragraph as DocxParagraph

from xanh.reports.content import (
    REVIEW_MARK,
    Align,
    Appendix,
    Block,
    Cell,
    CellKind,
    Chart,
    Closing,
    HeaderBlock,
    Heading,
    PageBreak,
    Paragraph,
    ParagraphStyle,
    Run,
    SynthesisReport,
    Table,
)

FONT = "Times New Roman"
BODY_PT = 14
TABLE_PT = 11
HEADER_PT = 13
A4 = (Cm(21.0), Cm(29.7))
PORTRAIT_MARGINS = (Cm(2.0), Cm(2.0), Cm(3.0), Cm(1.5))  # top, bottom, left, right
LANDSCAPE_MARGINS = (Cm(2.0), Cm(1.5), Cm(2.0), Cm(1.5))
HEADER_FILL = "E8EFEB"
GROUP_FILL = "F3F6F4"

_ALIGN = {
    Align.LEFT: WD_ALIGN_PARAGRAPH.LEFT,
    Align.CENTER: WD_ALIGN_PARAGRAPH.CENTER,
    Align.RIGHT: WD_ALIGN_PARAGRAPH.RIGHT,
    Align.JUSTIFY: WD_ALIGN_PARAGRAPH.JUSTIFY,
}

Progress = Callable[[int, str], None]


def _set_fonts(rpr_parent: object, name: str) -> None:
    """Name the font for every script slot, so Vietnamese letters never fall back to another face."""
    rpr = rpr_parent.get_or_add_rPr()  # type: ignore[attr-defined]
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for slot in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(slot), name)
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "vi-VN")


def _styles(doc: object) -> None:
    styles = doc.styles  # type: ignore[attr-defined]
    normal = styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_PT)
    _set_fonts(normal.element, FONT)
    fmt = normal.paragraph_format
    fmt.space_before = Pt(0)
    fmt.space_after = Pt(6)
    fmt.line_spacing = 1.1
    for name, size, bold, italic in (
        ("Xanh Heading 1", BODY_PT, True, False),
        ("Xanh Heading 2", BODY_PT, True, False),
        ("Xanh Heading 3", BODY_PT, True, True),
        ("Xanh Note", 12, False, True),
        ("Xanh Caption", 12, False, True),
        ("Xanh Table", TABLE_PT, False, False),
        ("Xanh Header", HEADER_PT, False, False),
    ):
        style = styles.add_style(name, 1)  # 1 = paragraph style
        style.base_style = normal
        style.font.size = Pt(size)
        style.font.bold = bold
        style.font.italic = italic
        if name.startswith("Xanh Heading"):
            style.paragraph_format.space_before = Pt(6)
            style.paragraph_format.keep_with_next = True
        if name in ("Xanh Table", "Xanh Header"):
            style.paragraph_format.space_after = Pt(0)
            style.paragraph_format.line_spacing = 1.0
    # outline levels let Word and LibreOffice build a navigation pane and a table of contents
    for level in (1, 2, 3):
        ppr = styles[f"Xanh Heading {level}"].element.get_or_add_pPr()
        outline = OxmlElement("w:outlineLvl")
        outline.set(qn("w:val"), str(level - 1))
        ppr.append(outline)


def _style_id(name: str) -> str:
    """The id python-docx gives a style added by name ("Xanh Note" -> "XanhNote"). Setting the id directly avoids
    python-docx's lookup of styles by name, which scans every style and made large reports take seconds."""
    return name.replace(" ", "")


def _new_paragraph(container: object, style: str | None = None) -> object:
    if isinstance(container, DocxDocument):
        # python-docx finds the body's closing sectPr by scanning every child for each new paragraph, which is
        # quadratic in a long report; the sectPr is always the body's last child, so insert right before it.
        body = container.element.body
        element = OxmlElement("w:p")
        body[-1].addprevious(element)
        p = DocxParagraph(element, container._body)
    else:
        p = container.add_paragraph()  # type: ignore[attr-defined]
    if style:
        p._p.style = _style_id(style)
    return p


def _add_run(paragraph: object, run: Run, *, size: float | None = None) -> None:
    if run.review:
        marker = paragraph.add_run(f"{REVIEW_MARK} ")  # type: ignore[attr-defined]
        marker.bold = True
        marker.font.highlight_color = WD_COLOR_INDEX.YELLOW
        marker.font.color.rgb = RGBColor(0x8A, 0x4B, 0x00)
        if size:
            marker.font.size = Pt(size)
    r = paragraph.add_run(xml_safe(run.text))  # type: ignore[attr-defined]
    if run.bold:
        r.bold = True
    if run.italic:
        r.italic = True
    if run.review:
        r.font.highlight_color = WD_COLOR_INDEX.YELLOW
    if size:
        r.font.size = Pt(size)


def _paragraph(
    container: object,
    runs: Iterable[Run],
    *,
    style: str | None = None,
    align: Align = Align.JUSTIFY,
    indent: bool = False,
    size: float | None = None,
) -> object:
    p = _new_paragraph(container, style)
    p.alignment = _ALIGN[align]
    if indent:
        p.paragraph_format.first_line_indent = Cm(1.0)
    for run in runs:
        _add_run(p, run, size=size)
    return p


def _no_borders(table: object) -> None:
    tbl_pr = table._tbl.tblPr  # type: ignore[attr-defined]
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    tbl_pr.append(borders)


def _shade(cell: object, fill: str) -> None:
    tc_pr = cell._tc.get_or_add_tcPr()  # type: ignore[attr-defined]
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    tc_pr.append(shading)


def _page_number_header(section: object) -> None:
    """Page numbers centred at the top, from the second page on."""
    section.different_first_page_header_footer = True  # type: ignore[attr-defined]
    paragraph = section.header.paragraphs[0]  # type: ignore[attr-defined]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "2"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _setup_section(section: object, *, landscape: bool) -> None:
    s = section
    if landscape:
        s.orientation = WD_ORIENT.LANDSCAPE  # type: ignore[attr-defined]
        s.page_width, s.page_height = A4[1], A4[0]  # type: ignore[attr-defined]
        margins = LANDSCAPE_MARGINS
    else:
        s.orientation = WD_ORIENT.PORTRAIT  # type: ignore[attr-defined]
        s.page_width, s.page_height = A4  # type: ignore[attr-defined]
        margins = PORTRAIT_MARGINS
    s.top_margin, s.bottom_margin, s.left_margin, s.right_margin = margins  # type: ignore[attr-defined]
    s.header_distance = Cm(1.0)  # type: ignore[attr-defined]


# --- header block and title ------------------------------------------------------------------------------------


def _header(doc: object, header: HeaderBlock) -> None:
    table = doc.add_table(rows=1, cols=2)  # type: ignore[attr-defined]
    _no_borders(table)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    left, right = table.rows[0].cells
    left.width, right.width = Cm(6.3), Cm(10.2)
    first = True
    for index, line in enumerate(header.issuer_lines):
        p = left.paragraphs[0] if first else left.add_paragraph()
        first = False
        p._p.style = _style_id("Xanh Header")
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        r = p.add_run(line)
        # the body's own name is bold; a governing body printed above it is not
        r.bold = (
            index == len(header.issuer_lines) - 1
            or len(header.issuer_lines) == 1
            or line == "ỦY BAN NHÂN DÂN"
        )
    p = _new_paragraph(left, "Xanh Header")
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.space_before = Pt(6)
    p.add_run(header.number)
    if header.notice:
        p = _new_paragraph(left, "Xanh Header")
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        notice = p.add_run(header.notice)
        notice.bold = True
        notice.font.size = Pt(10)
        notice.font.color.rgb = RGBColor(0x8A, 0x4B, 0x00)
    p = right.paragraphs[0]
    p._p.style = _style_id("Xanh Header")
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    r = p.add_run(header.national_name)
    r.bold = True
    r.font.size = Pt(12)
    p = _new_paragraph(right, "Xanh Header")
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    r = p.add_run(header.motto)
    r.bold = True
    r.underline = True
    r.font.size = Pt(13)
    p = _new_paragraph(right, "Xanh Header")
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.space_before = Pt(8)
    r = p.add_run(header.place_date)
    r.italic = True


def _title(doc: object, title: str, subtitle: str) -> None:
    p = _new_paragraph(doc)
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.space_before = Pt(18)
    p.paragraph_format.space_after = Pt(0)
    r = p.add_run(title)
    r.bold = True
    p = _new_paragraph(doc)
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    p.paragraph_format.space_after = Pt(12)
    r = p.add_run(subtitle)
    r.bold = True


# --- body ----------------------------------------------------------------------------------------------------


def _block(doc: object, block: Block) -> None:
    if isinstance(block, Heading):
        p = _new_paragraph(doc, f"Xanh Heading {min(max(block.level, 1), 3)}")
        p.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        if block.level >= 2:
            p.paragraph_format.first_line_indent = Cm(1.0)
        p.add_run(block.text)
    elif isinstance(block, Paragraph):
        if block.style is ParagraphStyle.BULLET:
            runs = (Run("- "), *block.runs)
            _paragraph(doc, runs, align=block.align, indent=True)
        elif block.style is ParagraphStyle.NOTE:
            _paragraph(doc, block.runs, style="Xanh Note", align=block.align, indent=True)
        elif block.style is ParagraphStyle.CAPTION:
            _paragraph(doc, block.runs, style="Xanh Caption", align=Align.CENTER)
        else:
            _paragraph(doc, block.runs, align=block.align, indent=True)
    elif isinstance(block, Chart):
        p = _new_paragraph(doc)
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.keep_with_next = True
        picture = p.add_run().add_picture(io.BytesIO(block.png), width=Cm(block.width_cm))
        doc_pr = picture._inline.docPr
        doc_pr.set("descr", block.alt)
        doc_pr.set("title", block.caption)
        _paragraph(doc, (Run(block.caption),), style="Xanh Caption", align=Align.CENTER)
    elif isinstance(block, Table):
        _table(doc, block)
    elif isinstance(block, PageBreak):
        doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)  # type: ignore[attr-defined]


# --- tables --------------------------------------------------------------------------------------------------


_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
TWIPS_PER_CM = 567


def xml_safe(text: str) -> str:
    """Drop characters XML cannot hold (control characters pasted from other programs)."""
    return _XML_BAD.sub("", text)


def _run_xml(text: str, *, bold: bool = False, highlight: bool = False) -> str:
    props = ("<w:b/>" if bold else "") + ('<w:highlight w:val="yellow"/>' if highlight else "")
    rpr = f"<w:rPr>{props}</w:rPr>" if props else ""
    return f'<w:r>{rpr}<w:t xml:space="preserve">{escape(xml_safe(text))}</w:t></w:r>'


def _cell_xml(value: Cell, width: int, align: str, *, span: int = 1, fill: str = "") -> str:
    runs = ""
    if value.review:
        runs += _run_xml(f"{REVIEW_MARK} ", bold=True, highlight=True)
    if value.text:
        runs += _run_xml(value.text, bold=value.bold, highlight=value.review)
    span_xml = f'<w:gridSpan w:val="{span}"/>' if span > 1 else ""
    shade = f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>' if fill else ""
    return (
        f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{span_xml}{shade}</w:tcPr>'
        f'<w:p><w:pPr><w:pStyle w:val="{_style_id("Xanh Table")}"/><w:jc w:val="{align}"/></w:pPr>{runs}</w:p></w:tc>'
    )


_JC = {Align.LEFT: "left", Align.CENTER: "center", Align.RIGHT: "right", Align.JUSTIFY: "both"}
INDENT_TWIPS = 567  # 1 cm first-line indent of body text


def _runs_xml(runs: Iterable[Run]) -> str:
    out = []
    for run in runs:
        if run.review:
            out.append(
                '<w:r><w:rPr><w:b/><w:color w:val="8A4B00"/><w:highlight w:val="yellow"/></w:rPr>'
                f'<w:t xml:space="preserve">{escape(REVIEW_MARK)} </w:t></w:r>'
            )
        props = ("<w:b/>" if run.bold else "") + ("<w:i/>" if run.italic else "")
        props += '<w:highlight w:val="yellow"/>' if run.review else ""
        rpr = f"<w:rPr>{props}</w:rPr>" if props else ""
        out.append(f'<w:r>{rpr}<w:t xml:space="preserve">{escape(xml_safe(run.text))}</w:t></w:r>')
    return "".join(out)


def _paragraph_xml(runs: Iterable[Run], *, style: str | None, align: Align, indent: bool) -> str:
    ppr = f'<w:pStyle w:val="{_style_id(style)}"/>' if style else ""
    ppr += f'<w:ind w:firstLine="{INDENT_TWIPS}"/>' if indent else ""
    ppr += f'<w:jc w:val="{_JC[align]}"/>'
    return f"<w:p><w:pPr>{ppr}</w:pPr>{_runs_xml(runs)}</w:p>"


def _block_xml(block: Heading | Paragraph) -> str:
    if isinstance(block, Heading):
        level = min(max(block.level, 1), 3)
        return _paragraph_xml(
            (Run(block.text),), style=f"Xanh Heading {level}", align=Align.JUSTIFY, indent=level >= 2
        )
    if block.style is ParagraphStyle.BULLET:
        return _paragraph_xml((Run("- "), *block.runs), style=None, align=block.align, indent=True)
    if block.style is ParagraphStyle.NOTE:
        return _paragraph_xml(block.runs, style="Xanh Note", align=block.align, indent=True)
    if block.style is ParagraphStyle.CAPTION:
        return _paragraph_xml(block.runs, style="Xanh Caption", align=Align.CENTER, indent=False)
    return _paragraph_xml(block.runs, style=None, align=block.align, indent=True)


def _flush(doc: object, pending: list[str]) -> None:
    """Insert a batch of paragraphs written as XML before the body's closing sectPr, in one parse."""
    if not pending:
        return
    wrapper = parse_xml(f'<w:body xmlns:w="{W_NS}">{"".join(pending)}</w:body>')
    sentinel = doc.element.body[-1]  # type: ignore[attr-defined]
    for child in list(wrapper):
        sentinel.addprevious(child)
    pending.clear()


def _table(doc: object, table: Table) -> None:
    """The table as WordprocessingML written in one piece: building thousands of cells through python-docx's
    object API costs seconds, one parse of the finished XML costs milliseconds."""
    columns = table.columns
    widths = [round(c.width_cm * TWIPS_PER_CM) for c in columns]
    kinds = [c.kind for c in columns]
    parts = [
        f'<w:tbl xmlns:w="{W_NS}"><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="{sum(widths)}" w:type="dxa"/>'
        '<w:jc w:val="center"/><w:tblLayout w:type="fixed"/>'
        '<w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" w:firstColumn="1" w:lastColumn="0" w:noHBand="0" '
        'w:noVBand="1"/></w:tblPr><w:tblGrid>',
        *(f'<w:gridCol w:w="{w}"/>' for w in widths),
        "</w:tblGrid>",
        "<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>",
        *(
            _cell_xml(Cell(c.title, bold=True), w, "center", fill=HEADER_FILL)
            for c, w in zip(columns, widths, strict=True)
        ),
        "</w:tr>",
    ]
    for row in table.rows:
        parts.append("<w:tr>")
        if row.group:
            parts.append(_cell_xml(row.cells[0], sum(widths), "left", span=len(columns), fill=GROUP_FILL))
        else:
            for value, width, kind in zip(row.cells, widths, kinds, strict=False):
                if kind is CellKind.NUMBER and value.kind is CellKind.NUMBER:
                    align = "right"
                elif kind in (CellKind.NUMBER, CellKind.INTEGER):
                    align = "center"
                else:
                    align = "left"
                parts.append(_cell_xml(value, width, align))
        parts.append("</w:tr>")
    parts.append("</w:tbl>")
    element = parse_xml("".join(parts))
    doc.element.body[-1].addprevious(element)  # type: ignore[attr-defined]


# --- closing and appendices ----------------------------------------------------------------------------------


def _closing(doc: object, closing: Closing) -> None:
    doc.add_paragraph()  # type: ignore[attr-defined]
    table = doc.add_table(rows=1, cols=2)  # type: ignore[attr-defined]
    _no_borders(table)
    table.autofit = False
    left, right = table.rows[0].cells
    left.width, right.width = Cm(8.0), Cm(8.5)
    first = True
    for run in closing.recipients:
        p = left.paragraphs[0] if first else left.add_paragraph()
        first = False
        p._p.style = _style_id("Xanh Table")
        _add_run(p, run, size=12 if run.bold else 11)
    first = True
    for run in closing.signature_lines:
        p = right.paragraphs[0] if first else right.add_paragraph()
        first = False
        p._p.style = _style_id("Xanh Header")
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _add_run(p, run, size=14 if run.bold else 12)


def _appendix(doc: object, appendix: Appendix, *, new_section: bool) -> None:
    if new_section:
        section = doc.add_section(WD_SECTION.NEW_PAGE)  # type: ignore[attr-defined]
        _setup_section(section, landscape=True)
    for text, bold, italic in (
        (appendix.label, True, False),
        (appendix.title, True, False),
        (appendix.subtitle, False, True),
    ):
        p = doc.add_paragraph()  # type: ignore[attr-defined]
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.space_after = Pt(2)
        r = p.add_run(text)
        r.bold = bold
        r.italic = italic
    doc.add_paragraph().paragraph_format.space_after = Pt(0)  # type: ignore[attr-defined]
    _table(doc, appendix.table)
    for note in appendix.notes:
        _paragraph(doc, note.runs, style="Xanh Note", align=Align.LEFT)


def render_docx(report: SynthesisReport, progress: Progress | None = None) -> bytes:
    doc = Document()
    _styles(doc)
    props = doc.core_properties
    props.title = f"{report.title} {report.subtitle}"
    props.subject = report.meta.plan_title
    props.author = "Xanh"
    props.language = "vi-VN"
    props.keywords = "tăng trưởng xanh; báo cáo tổng hợp"
    _setup_section(doc.sections[0], landscape=False)
    _page_number_header(doc.sections[0])
    _header(doc, report.header)
    _title(doc, report.title, report.subtitle)
    total = max(len(report.body), 1)
    pending: list[str] = []
    for index, block in enumerate(report.body):
        if progress is not None and index % 50 == 0:
            progress(80 + int(10 * index / total), "Đang tạo tệp Word")
        if isinstance(block, Heading | Paragraph):
            pending.append(_block_xml(block))
            continue
        _flush(doc, pending)
        _block(doc, block)
    _flush(doc, pending)
    _closing(doc, report.closing)
    for index, appendix in enumerate(report.appendices):
        if progress is not None:
            progress(90 + 3 * index, f"Đang tạo {appendix.label.lower()}")
        if index > 0:
            doc.add_page_break()
        _appendix(doc, appendix, new_section=index == 0)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
