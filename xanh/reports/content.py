"""The content model of a synthesis report (pure, no Django): header block, body blocks, appendix tables, closing.

``compose.compose_synthesis`` builds it from plain facts; the DOCX, XLSX and PDF renderers only lay it out, so the
three files always say the same thing. Text that a person must still check before the report is issued carries
``review=True`` and is shown highlighted with the ``REVIEW_MARK`` prefix; nothing is invented to fill a gap.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum

REVIEW_MARK = "[Cần rà soát]"
NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"


class ReportKind(StrEnum):
    """Annual report, mid-term review (sơ kết) or final review (tổng kết) of a plan (national-strategy.md §3:
    Bắc Giang's plan asks for a mid-term review in 2025 and a final review in 2030)."""

    ANNUAL = "annual"
    MIDTERM = "midterm"
    FINAL = "final"

    @property
    def label(self) -> str:
        return REPORT_KIND_LABELS[self]


REPORT_KIND_LABELS: dict[ReportKind, str] = {
    ReportKind.ANNUAL: "Báo cáo định kỳ",
    ReportKind.MIDTERM: "Báo cáo sơ kết giữa kỳ",
    ReportKind.FINAL: "Báo cáo tổng kết",
}


class Align(StrEnum):
    LEFT = "left"
    CENTER = "center"
    RIGHT = "right"
    JUSTIFY = "justify"


class ParagraphStyle(StrEnum):
    BODY = "body"  # justified body text with a first-line indent
    BULLET = "bullet"  # "- " item
    NOTE = "note"  # smaller italic explanation under a target or a table
    CAPTION = "caption"  # chart or table caption


class CellKind(StrEnum):
    TEXT = "text"
    NUMBER = "number"
    INTEGER = "integer"  # years and counts: never grouped ("2030", not "2.030")


@dataclass(frozen=True, slots=True)
class Run:
    text: str
    bold: bool = False
    italic: bool = False
    review: bool = False


@dataclass(frozen=True, slots=True)
class Paragraph:
    runs: tuple[Run, ...]
    style: ParagraphStyle = ParagraphStyle.BODY
    align: Align = Align.JUSTIFY

    @property
    def text(self) -> str:
        return "".join(run_text(r) for r in self.runs)


@dataclass(frozen=True, slots=True)
class Heading:
    """Level 1: "I. KẾT QUẢ THỰC HIỆN"; level 2: "1. Kết quả thực hiện các mục tiêu"; level 3: "a) ..."."""

    text: str
    level: int = 1


@dataclass(frozen=True, slots=True)
class Chart:
    key: str
    caption: str
    png: bytes
    alt: str
    width_cm: float = 15.0


@dataclass(frozen=True, slots=True)
class Cell:
    """``text`` is what people read (Vietnamese number format); ``value`` is the typed value for spreadsheets."""

    text: str
    value: float | int | str | None = None
    kind: CellKind = CellKind.TEXT
    decimals: int = 0
    review: bool = False
    bold: bool = False

    @property
    def display(self) -> str:
        return f"{REVIEW_MARK} {self.text}".strip() if self.review else self.text


@dataclass(frozen=True, slots=True)
class Column:
    title: str
    width_cm: float
    kind: CellKind = CellKind.TEXT


@dataclass(frozen=True, slots=True)
class Row:
    cells: tuple[Cell, ...]
    #: a group heading row ("A. Giảm cường độ phát thải khí nhà kính") spanning the whole table
    group: bool = False


@dataclass(frozen=True, slots=True)
class Table:
    key: str
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    sheet_name: str = ""

    def data_rows(self) -> Iterator[Row]:
        return (r for r in self.rows if not r.group)


@dataclass(frozen=True, slots=True)
class PageBreak:
    pass


Block = Heading | Paragraph | Chart | Table | PageBreak


@dataclass(frozen=True, slots=True)
class HeaderBlock:
    """The header of a Vietnamese administrative document: issuing body and number on the left, national name, motto,
    place and date on the right."""

    issuer_lines: tuple[str, ...]
    number: str
    place_date: str
    national_name: str = NATIONAL_NAME
    motto: str = MOTTO
    #: shown under the number when the document is a draft of demonstration data
    notice: str = ""


@dataclass(frozen=True, slots=True)
class Appendix:
    label: str  # "Phụ lục 1"
    title: str
    subtitle: str
    table: Table
    notes: tuple[Paragraph, ...] = ()


@dataclass(frozen=True, slots=True)
class Closing:
    """ "Nơi nhận" on the left, the signature block on the right."""

    recipients: tuple[Run, ...]
    signature_lines: tuple[Run, ...]


@dataclass(frozen=True, slots=True)
class ReportMeta:
    plan_id: int
    plan_title: str
    period: str
    period_label: str
    kind: ReportKind
    generated_on: str  # ISO date
    is_demo: bool
    evaluation_source: str  # "service" or "methods": where the statuses came from
    target_count: int
    task_count: int


@dataclass(frozen=True, slots=True)
class SynthesisReport:
    header: HeaderBlock
    title: str
    subtitle: str
    body: tuple[Block, ...]
    appendices: tuple[Appendix, ...]
    closing: Closing
    meta: ReportMeta
    file_stem: str = "bao-cao-tong-hop"
    extra: dict[str, str] = field(default_factory=dict)

    def paragraphs(self) -> Iterator[Paragraph]:
        for block in self.body:
            if isinstance(block, Paragraph):
                yield block
        for appendix in self.appendices:
            yield from appendix.notes

    def review_items(self) -> list[str]:
        """Every piece of text marked for review, in document order (shown in the job summary and tests)."""
        items: list[str] = []
        for paragraph in self.paragraphs():
            items.extend(r.text for r in paragraph.runs if r.review)
        for block in self.body:
            if isinstance(block, Table):
                items.extend(c.text for row in block.rows for c in row.cells if c.review)
        for appendix in self.appendices:
            items.extend(c.text for row in appendix.table.rows for c in row.cells if c.review)
        items.extend(r.text for r in self.closing.recipients if r.review)
        items.extend(r.text for r in self.closing.signature_lines if r.review)
        return items

    def plain_text(self) -> str:
        """All text of the report, in reading order, as the renderers print it (for search and tests)."""
        lines: list[str] = [*self.header.issuer_lines, self.header.number]
        lines += [
            self.header.national_name,
            self.header.motto,
            self.header.place_date,
            self.title,
            self.subtitle,
        ]
        for block in self.body:
            lines.extend(block_text(block))
        for appendix in self.appendices:
            lines += [appendix.label, appendix.title, appendix.subtitle]
            lines.extend(block_text(appendix.table))
            lines.extend(p.text for p in appendix.notes)
        lines.extend(run_text(r) for r in self.closing.recipients)
        lines.extend(run_text(r) for r in self.closing.signature_lines)
        return "\n".join(line for line in lines if line)


def run_text(run: Run) -> str:
    return f"{REVIEW_MARK} {run.text}" if run.review else run.text


def block_text(block: Block) -> list[str]:
    if isinstance(block, Heading):
        return [block.text]
    if isinstance(block, Paragraph):
        return [block.text]
    if isinstance(block, Chart):
        return [block.caption]
    if isinstance(block, Table):
        lines = [" | ".join(c.title for c in block.columns)]
        lines += [" | ".join(c.display for c in row.cells) for row in block.rows]
        return lines
    return []
