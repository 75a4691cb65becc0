"""PDF rendering of a synthesis report: an HTML rendering of the same content model, printed by WeasyPrint.

Fonts are whole TrueType files from the system (Liberation Serif from Debian's fonts-liberation2, the Times-like
face of administrative documents; DejaVu Serif as the fallback, which is always installed), declared with
``@font-face`` on local files. Split web fonts (unicode-range subsets) are never used: WeasyPrint garbles text set
with them. WeasyPrint embeds only the glyphs used, with a ToUnicode map, so the text of the PDF extracts back with
every Vietnamese letter.
"""

from __future__ import annotations

import base64
import functools
from collections.abc import Iterable, Sequence
from html import escape
from pathlib import Path

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

FONT_DIRS = (
    Path("/usr/share/fonts/truetype/liberation2"),
    Path("/usr/share/fonts/truetype/liberation"),
    Path("/usr/share/fonts/truetype/dejavu"),
)
#: (family, CSS weight, CSS style, file name)
FACES = (
    ("Liberation Serif", "normal", "normal", "LiberationSerif-Regular.ttf"),
    ("Liberation Serif", "bold", "normal", "LiberationSerif-Bold.ttf"),
    ("Liberation Serif", "normal", "italic", "LiberationSerif-Italic.ttf"),
    ("Liberation Serif", "bold", "italic", "LiberationSerif-BoldItalic.ttf"),
    ("DejaVu Serif", "normal", "normal", "DejaVuSerif.ttf"),
    ("DejaVu Serif", "bold", "normal", "DejaVuSerif-Bold.ttf"),
    ("DejaVu Serif", "normal", "italic", "DejaVuSerif-Italic.ttf"),
    ("DejaVu Serif", "bold", "italic", "DejaVuSerif-BoldItalic.ttf"),
)


def _find_font(name: str) -> Path | None:
    for directory in FONT_DIRS:
        path = directory / name
        if path.is_file():
            return path
    return None


@functools.cache
def font_faces_css() -> str:
    rules = []
    for family, weight, style, filename in FACES:
        path = _find_font(filename)
        if path is None:
            continue
        rules.append(
            f'@font-face {{ font-family: "{family}"; font-weight: {weight}; font-style: {style}; '
            f'src: url("{path.as_uri()}") format("truetype"); }}'
        )
    return "\n".join(rules)


CSS = """
@page { size: A4; margin: 20mm 15mm 20mm 30mm;
  @top-center { content: counter(page); font: 12pt "Liberation Serif", "DejaVu Serif", serif; } }
@page :first { @top-center { content: none; } }
@page appendix { size: A4 landscape; margin: 20mm 15mm 15mm 20mm; }
html { font-family: "Liberation Serif", "DejaVu Serif", serif; font-size: 14pt; line-height: 1.3; color: #000; }
body { margin: 0; }
p { margin: 0 0 5pt; text-align: justify; text-indent: 1cm; }
p.bullet { text-indent: 1cm; }
p.note { font-size: 12pt; font-style: italic; }
p.caption, p.center { text-align: center; text-indent: 0; }
p.caption { font-size: 12pt; font-style: italic; margin-bottom: 10pt; }
h1, h2, h3 { font-size: 14pt; margin: 8pt 0 4pt; page-break-after: avoid; text-align: justify; }
h2, h3 { text-indent: 1cm; }
h3 { font-style: italic; }
mark.review { background: #fff2a8; color: inherit; }
mark.review b.flag { color: #8a4b00; }
table.header { width: 100%; border-collapse: collapse; margin-bottom: 6pt; }
table.header td { vertical-align: top; text-align: center; font-size: 13pt; padding: 0; line-height: 1.25; }
table.header td.left { width: 38%; }
table.header .national { font-size: 12pt; font-weight: bold; }
table.header .motto { font-weight: bold; text-decoration: underline; }
table.header .date { font-style: italic; padding-top: 6pt; display: block; }
table.header .notice { font-size: 10pt; font-weight: bold; color: #8a4b00; }
.title { text-align: center; font-weight: bold; margin-top: 14pt; }
.subtitle { text-align: center; font-weight: bold; margin-bottom: 12pt; }
figure { margin: 6pt 0 0; text-align: center; page-break-inside: avoid; }
figure img { max-width: 100%; }
table.grid { width: 100%; border-collapse: collapse; font-size: 10.5pt; line-height: 1.2; }
table.grid th, table.grid td { border: 0.6pt solid #555; padding: 2pt 3pt; vertical-align: top; text-align: left; }
table.grid thead th { background: #e8efeb; text-align: center; vertical-align: middle; }
table.grid td.num { text-align: right; white-space: nowrap; }
table.grid td.int { text-align: center; }
table.grid tr.group td { background: #f3f6f4; font-weight: bold; }
table.grid tr { page-break-inside: avoid; }
table.closing { width: 100%; border-collapse: collapse; margin-top: 14pt; page-break-inside: avoid; }
table.closing td { vertical-align: top; padding: 0; }
table.closing td.recipients { width: 48%; font-size: 11pt; }
table.closing td.recipients .head { font-size: 12pt; font-weight: bold; font-style: italic; }
table.closing td.signature { text-align: center; font-size: 13pt; }
section.appendix { page: appendix; page-break-before: always; }
section.appendix p.center { margin: 0 0 2pt; }
.break { page-break-after: always; }
"""

_ALIGN_CLASS = {Align.CENTER: " center", Align.LEFT: "", Align.RIGHT: "", Align.JUSTIFY: ""}


def _runs(runs: Iterable[Run]) -> str:
    out = []
    for run in runs:
        text = escape(run.text)
        if run.bold:
            text = f"<b>{text}</b>"
        if run.italic:
            text = f"<i>{text}</i>"
        if run.review:
            text = f'<mark class="review"><b class="flag">{escape(REVIEW_MARK)}</b> {text}</mark>'
        out.append(text)
    return "".join(out)


def _header(header: HeaderBlock) -> str:
    issuer = "<br>".join(
        f"<b>{escape(line)}</b>"
        if (i == len(header.issuer_lines) - 1 or line == "ỦY BAN NHÂN DÂN")
        else escape(line)
        for i, line in enumerate(header.issuer_lines)
    )
    notice = f'<br><span class="notice">{escape(header.notice)}</span>' if header.notice else ""
    return (
        '<table class="header"><tr>'
        f'<td class="left">{issuer}<br><span style="display:block;padding-top:5pt">{escape(header.number)}</span>'
        f"{notice}</td>"
        f'<td><span class="national">{escape(header.national_name)}</span><br>'
        f'<span class="motto">{escape(header.motto)}</span>'
        f'<span class="date">{escape(header.place_date)}</span></td>'
        "</tr></table>"
    )


def _cell(cell: Cell, column_kind: CellKind) -> str:
    css = {CellKind.NUMBER: ' class="num"', CellKind.INTEGER: ' class="int"'}.get(column_kind, "")
    text = escape(cell.text)
    if cell.bold:
        text = f"<b>{text}</b>"
    if cell.review:
        text = f'<mark class="review"><b class="flag">{escape(REVIEW_MARK)}</b> {text}</mark>'
    return f"<td{css}>{text}</td>"


def _table(table: Table) -> str:
    widths = sum(c.width_cm for c in table.columns)
    cols = "".join(f'<col style="width:{c.width_cm / widths * 100:.2f}%">' for c in table.columns)
    head = "".join(f"<th>{escape(c.title)}</th>" for c in table.columns)
    rows: list[str] = []
    kinds: Sequence[CellKind] = [c.kind for c in table.columns]
    for row in table.rows:
        if row.group:
            rows.append(
                f'<tr class="group"><td colspan="{len(table.columns)}">{escape(row.cells[0].text)}</td></tr>'
            )
            continue
        rows.append("<tr>" + "".join(_cell(c, k) for c, k in zip(row.cells, kinds, strict=False)) + "</tr>")
    return f'<table class="grid"><colgroup>{cols}</colgroup><thead><tr>{head}</tr></thead><tbody>{"".join(rows)}</tbody></table>'


def _block(block: Block) -> str:
    if isinstance(block, Heading):
        level = min(max(block.level, 1), 3)
        return f"<h{level}>{escape(block.text)}</h{level}>"
    if isinstance(block, Paragraph):
        if block.style is ParagraphStyle.BULLET:
            return f'<p class="bullet">- {_runs(block.runs)}</p>'
        if block.style is ParagraphStyle.NOTE:
            return f'<p class="note">{_runs(block.runs)}</p>'
        if block.style is ParagraphStyle.CAPTION:
            return f'<p class="caption">{_runs(block.runs)}</p>'
        return f'<p class="body{_ALIGN_CLASS[block.align]}">{_runs(block.runs)}</p>'
    if isinstance(block, Chart):
        data = base64.b64encode(block.png).decode("ascii")
        return (
            f'<figure><img src="data:image/png;base64,{data}" alt="{escape(block.alt)}" '
            f'style="width:{block.width_cm}cm"><p class="caption">{escape(block.caption)}</p></figure>'
        )
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, PageBreak):
        return '<div class="break"></div>'
    return ""


def _closing(closing: Closing) -> str:
    recipients = "<br>".join(
        f'<span class="head">{escape(r.text)}</span>' if r.bold else _runs([r]) for r in closing.recipients
    )
    signature = "<br>".join(_runs([r]) for r in closing.signature_lines)
    return (
        f'<table class="closing"><tr><td class="recipients">{recipients}</td>'
        f'<td class="signature">{signature}</td></tr></table>'
    )


def _appendix(appendix: Appendix) -> str:
    notes = "".join(f'<p class="note">{_runs(n.runs)}</p>' for n in appendix.notes)
    return (
        '<section class="appendix">'
        f'<p class="center"><b>{escape(appendix.label)}</b></p>'
        f'<p class="center"><b>{escape(appendix.title)}</b></p>'
        f'<p class="center"><i>{escape(appendix.subtitle)}</i></p>'
        f"{_table(appendix.table)}{notes}</section>"
    )


def render_html(report: SynthesisReport) -> str:
    """The whole report as one standalone HTML document (also useful for a web preview)."""
    body = "".join(_block(b) for b in report.body)
    appendices = "".join(_appendix(a) for a in report.appendices)
    title = escape(f"{report.title} {report.subtitle}")
    return (
        '<!doctype html><html lang="vi"><head><meta charset="utf-8">'
        f'<title>{title}</title><meta name="author" content="Xanh">'
        f'<meta name="description" content="{escape(report.meta.plan_title)}">'
        f"<style>{font_faces_css()}{CSS}</style></head><body>"
        f"{_header(report.header)}"
        f'<p class="title">{escape(report.title)}</p><p class="subtitle">{escape(report.subtitle)}</p>'
        f"{body}{_closing(report.closing)}{appendices}</body></html>"
    )


def render_pdf(report: SynthesisReport) -> bytes:
    from weasyprint import HTML

    html = render_html(report)
    pdf: bytes = HTML(string=html, base_url=str(Path.cwd())).write_pdf()
    return pdf
