"""Write the synthesis report from plain facts (pure, no Django).

The structure follows the minimum content of a provincial report in Công văn 3685/VPCP-NN
(../shared/domain/national-strategy.md §3): progress of the assigned tasks, degree of target achievement, and
difficulties with proposed solutions; laid out as a Vietnamese administrative report: I. Kết quả thực hiện, II. Tồn tại,
hạn chế và nguyên nhân, III. Kiến nghị, đề xuất, then Phụ lục 1 (targets) and Phụ lục 2 (tasks).

The composer arranges what was recorded or computed; where the report needs text nobody has written yet (causes,
the signer) it says so with a run marked for review instead of inventing it.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from xanh.core.numbers import format_number_vi
from xanh.reports.content import (
    Align,
    Appendix,
    Block,
    Cell,
    CellKind,
    Chart,
    Closing,
    Column,
    HeaderBlock,
    Heading,
    Paragraph,
    ParagraphStyle,
    ReportKind,
    ReportMeta,
    Row,
    Run,
    SynthesisReport,
    Table,
)
from xanh.reports.facts import AgencyReportFacts, PartFacts, PlanFacts, TargetFacts, TaskFacts
from xanh.reports.vietnamese import (
    clean,
    file_stem,
    issuer_lines,
    lower_first,
    paragraphs,
    place_date_line,
    report_number,
    sentence,
    short_date,
    upper_first,
)

#: status codes of the evaluation engine's public contract (issue 5), best first
STATUS_ORDER: tuple[str, ...] = (
    "achieved",
    "on_track",
    "acceleration_needed",
    "limited_progress",
    "deterioration",
    "insufficient_data",
)
STATUS_LABELS: dict[str, str] = {
    "achieved": "đã đạt",
    "on_track": "đúng tiến độ",
    "acceleration_needed": "cần đẩy nhanh",
    "limited_progress": "chậm tiến độ",
    "deterioration": "đi ngược xu hướng",
    "insufficient_data": "chưa đủ dữ liệu",
}
#: statuses that section II lists as shortcomings
LAGGING = ("deterioration", "limited_progress", "acceleration_needed")

#: reported task states (reporting.TaskStatus), in the order a summary lists them
TASK_STATUS_ORDER: tuple[str, ...] = (
    "completed",
    "in_progress",
    "behind_schedule",
    "not_started",
    "not_implemented",
)
TASK_LAGGING = ("behind_schedule", "not_implemented")

ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII")
LETTERS = "abcdđeghiklmnopqrstuvxy"
ROLE_LABELS = {"lead": "chủ trì", "coordinating": "phối hợp"}

NO_REPORT = "Chưa có báo cáo được phê duyệt"


def letter(index: int) -> str:
    """a, b, c, d, đ, e, …, y, then aa, ab, … (Vietnamese alphabetical numbering; never runs out)."""
    n = len(LETTERS)
    return LETTERS[index] if index < n else letter(index // n - 1) + LETTERS[index % n]


@dataclass
class _Counter:
    chart: int = 0


def number_cell(value: float | None, *, max_decimals: int = 3) -> Cell:
    """A numeric cell: Vietnamese text ("1.234,5") and the value with just the decimals it needs."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return Cell("—")
    text = format_number_vi(value, max_decimals, strip_zeros=True)
    decimals = len(text.partition(",")[2])
    return Cell(text, float(value), CellKind.NUMBER, decimals)


def year_cell(year: int | None) -> Cell:
    return Cell("—") if year is None else Cell(str(year), int(year), CellKind.INTEGER)


def text_cell(text: str, *, review: bool = False, bold: bool = False) -> Cell:
    return Cell(text, text, CellKind.TEXT, 0, review, bold)


def value_text(value: float | None, unit: str) -> str:
    if value is None:
        return "—"
    number = format_number_vi(value, 3, strip_zeros=True)
    if not unit:
        return number
    return f"{number}{unit}" if unit == "%" else f"{number} {unit}"


def _para(*runs: Run, style: ParagraphStyle = ParagraphStyle.BODY, align: Align = Align.JUSTIFY) -> Paragraph:
    return Paragraph(tuple(runs), style, align)


def _text(text: str, style: ParagraphStyle = ParagraphStyle.BODY) -> Paragraph:
    return _para(Run(text), style=style)


def _review(text: str, style: ParagraphStyle = ParagraphStyle.BODY) -> Paragraph:
    return _para(Run(text, review=True), style=style)


def _count_phrase(counts: Mapping[str, int], order: Sequence[str], labels: Mapping[str, str]) -> str:
    parts = [f"{counts[code]} {labels.get(code, code)}" for code in order if counts.get(code)]
    return ", ".join(parts)


def status_counts(targets: Iterable[TargetFacts]) -> dict[str, int]:
    counts = dict.fromkeys(STATUS_ORDER, 0)
    for target in targets:
        counts[target.effective_status] = counts.get(target.effective_status, 0) + 1
    return counts


def _status_label(code: str, fallback: str = "") -> str:
    return fallback or STATUS_LABELS.get(code, code)


# --- header, title, opening -----------------------------------------------------------------------------------


def _title_phrase(facts: PlanFacts) -> str:
    return lower_first(_strip_note(facts.title))


def _strip_note(title: str) -> str:
    """Plan titles of demonstration data end with "(dữ liệu minh họa)"; the report says so once, in its own line."""
    text = title.strip()
    if text.endswith(")") and "(" in text:
        head, _, note = text.rpartition("(")
        if "minh họa" in note:
            return head.strip()
    return text


def subtitle(facts: PlanFacts) -> str:
    plan = _title_phrase(facts)
    if facts.kind is ReportKind.MIDTERM:
        return f"Sơ kết giữa kỳ thực hiện {plan}, giai đoạn {facts.period_start}–{facts.year}"
    if facts.kind is ReportKind.FINAL:
        return f"Tổng kết thực hiện {plan}, giai đoạn {facts.period_start}–{facts.year}"
    return f"Kết quả thực hiện {plan} {facts.period_label}"


def _scope_phrase(facts: PlanFacts) -> str:
    if facts.kind is ReportKind.ANNUAL:
        return facts.period_label
    return f"giai đoạn {facts.period_start}–{facts.year}"


def header_block(facts: PlanFacts) -> HeaderBlock:
    issued = dt.date.fromisoformat(facts.issued_on) if facts.issued_on else None
    return HeaderBlock(
        issuer_lines=issuer_lines(facts.issuer),
        number=report_number(facts.issuer),
        place_date=place_date_line(facts.place, issued),
        notice="DỮ LIỆU MINH HỌA" if facts.is_demo else "",
    )


def opening(facts: PlanFacts) -> list[Block]:
    blocks: list[Block] = []
    doc = facts.document
    plan = _title_phrase(facts)
    if doc is not None and doc.number:
        when = f" ngày {short_date(dt.date.fromisoformat(doc.issued_on))}" if doc.issued_on else ""
        by = f" của {doc.issuer}" if doc.issuer else ""
        kind = doc.kind or "Văn bản"
        basis = f"Thực hiện {kind} số {doc.number}{when}{by} ban hành {plan}"
    else:
        basis = f"Thực hiện {plan}"
    blocks.append(_text(f"{basis}, {facts.issuer} báo cáo kết quả thực hiện {_scope_phrase(facts)} như sau:"))
    if facts.is_demo:
        blocks.append(
            _para(
                Run(
                    "Báo cáo được lập từ dữ liệu minh họa của một tỉnh hư cấu, không phải số liệu thật.",
                    italic=True,
                ),
                style=ParagraphStyle.NOTE,
            )
        )
    for note in facts.data_notes:
        blocks.append(_review(sentence(note), ParagraphStyle.NOTE))
    return blocks


# --- I. results -----------------------------------------------------------------------------------------------


def _target_heading_runs(target: TargetFacts) -> list[Run]:
    return [Run(f"{target.label}: ", bold=True), Run(sentence(clean(target.text)))]


def _part_result(part: PartFacts) -> str:
    """ "giá trị năm 2025: 41,8% (cơ sở năm 2020: 40,1%); mục tiêu: 42% năm 2030"."""
    bits = []
    if part.latest is not None:
        bits.append(f"giá trị năm {part.latest_year}: {value_text(part.latest, _level_unit(part))}")
    else:
        bits.append("chưa có số liệu")
    if part.baseline is not None:
        bits.append(f"cơ sở năm {part.baseline_year}: {value_text(part.baseline, _level_unit(part))}")
    when = "đến năm" if part.kind == "annual_rate" else "năm"
    target = part.target_text + (f" {when} {part.target_year}" if part.target_year else "")
    bits.append(f"mục tiêu: {target}")
    return "; ".join(bits)


def _level_unit(part: PartFacts) -> str:
    # an average-rate target ("giảm 1–1,5%/năm") is observed through the level of its indicator, whose unit differs
    if part.level_unit:
        return part.level_unit
    if part.kind == "annual_rate" and part.unit.endswith("/năm"):
        return ""
    return part.unit


def target_blocks(target: TargetFacts, charts: Mapping[str, bytes], counter: _Counter) -> list[Block]:
    blocks: list[Block] = [_para(*_target_heading_runs(target))]
    status = Run(target.effective_label, bold=True)
    if len(target.parts) == 1 and not target.parts[0].name:
        part = target.parts[0]
        blocks.append(
            _para(
                Run(f"Kết quả: {_part_result(part)}; tình trạng: "),
                status,
                Run("."),
                style=ParagraphStyle.BULLET,
            )
        )
    else:
        head = "Tình trạng chung: " if target.parts else "Tình trạng: "
        blocks.append(_para(Run(head), status, Run("."), style=ParagraphStyle.BULLET))
        for part in target.parts:
            name = part.name or "chung"
            blocks.append(
                _para(
                    Run(f"{upper_first(name)}: {_part_result(part)}; tình trạng: "),
                    Run(_status_label(part.status, part.status_label), bold=True),
                    Run("."),
                    style=ParagraphStyle.BULLET,
                )
            )
    for line in target.explanation:
        blocks.append(_para(Run(sentence(line), italic=True), style=ParagraphStyle.NOTE))
    if target.override is not None:
        o = target.override
        by = (
            f" ({o.by}{', ' + short_date(dt.date.fromisoformat(o.on)) if o.on else ''})"
            if o.by or o.on
            else ""
        )
        blocks.append(
            _para(
                Run("Tình trạng do cơ quan đầu mối điều chỉnh: ", italic=True),
                Run(o.status_label, bold=True, italic=True),
                Run(
                    f" (kết quả tính toán: {_status_label(target.status, target.status_label)}){by}. ",
                    italic=True,
                ),
                Run(f"Lý do: {sentence(clean(o.justification))}", italic=True),
                style=ParagraphStyle.NOTE,
            )
        )
    if target.effective_status == "insufficient_data" and target.kind != "milestone":
        blocks.append(
            _review(
                "Chưa đủ số liệu để đánh giá; cơ quan chủ trì cần cung cấp số liệu trước khi ban hành báo cáo.",
                ParagraphStyle.NOTE,
            )
        )
    png = charts.get(target.code)
    if png:
        counter.chart += 1
        caption = f"Biểu đồ {counter.chart}. {target.label}: giá trị quan sát so với lộ trình cần đạt"
        blocks.append(
            Chart(f"target-{target.code}", caption, png, alt=f"{caption}. {target.text}", width_cm=14.0)
        )
    return blocks


def targets_section(facts: PlanFacts, charts: Mapping[str, bytes], counter: _Counter) -> list[Block]:
    blocks: list[Block] = [Heading("1. Kết quả thực hiện các mục tiêu, chỉ tiêu", 2)]
    targets = facts.targets
    if not targets:
        blocks.append(_text("Kế hoạch chưa có mục tiêu, chỉ tiêu được số hóa."))
        return blocks
    counts = status_counts(targets)
    assessed = len(targets) - counts.get("insufficient_data", 0)
    method = f" theo phương pháp {facts.evaluation_method}" if facts.evaluation_method else ""
    summary = (
        f"Kế hoạch có {len(targets)} mục tiêu, chỉ tiêu. Đánh giá{method} trên số liệu đã được phê duyệt "
        f"đến năm {facts.year}: {_count_phrase(counts, STATUS_ORDER, STATUS_LABELS)}."
    )
    blocks.append(_text(summary))
    if assessed < len(targets):
        blocks.append(
            _text(
                f"Có {len(targets) - assessed} mục tiêu, chỉ tiêu chưa đủ dữ liệu để đánh giá; tình trạng của chúng "
                "không được suy đoán.",
                ParagraphStyle.NOTE,
            )
        )
    png = charts.get("status-summary")
    if png:
        counter.chart += 1
        caption = f"Biểu đồ {counter.chart}. Tình trạng các mục tiêu, chỉ tiêu theo nhóm mục tiêu, {facts.period_label}"
        blocks.append(Chart("status-summary", caption, png, alt=caption + ". " + summary, width_cm=15.0))
    for index, (label, members) in enumerate(pillar_groups(facts)):
        blocks.append(Heading(f"{letter(index)}) {label}", 3))
        for target in members:
            blocks.extend(target_blocks(target, charts, counter))
    return blocks


def pillar_groups(facts: PlanFacts) -> list[tuple[str, list[TargetFacts]]]:
    """Targets grouped by pillar in the plan's pillar order; pillars the order does not know come last."""
    labels = dict(facts.pillars)
    seen = {t.pillar for t in facts.targets}
    order = [code for code, _ in facts.pillars if code in seen]
    order += [code for code in dict.fromkeys(t.pillar for t in facts.targets) if code not in order]
    groups = []
    for code in order:
        members = [t for t in facts.targets if t.pillar == code]
        groups.append((labels.get(code) or members[0].pillar_label or code, members))
    return groups


def _report_runs(report: AgencyReportFacts) -> list[Run]:
    role = ROLE_LABELS.get(report.role, report.role)
    head = f"{report.agency} ({role})"
    extra = []
    if report.status_label:
        extra.append(report.status_label.lower())
    if report.percent is not None:
        extra.append(f"hoàn thành {report.percent}%")
    if extra:
        head += f" — {', '.join(extra)}"
    text = " ".join(paragraphs(report.narrative))
    if not text:
        return [Run(f"{head}: ", italic=True), Run("báo cáo không nêu kết quả cụ thể.", review=True)]
    return [Run(f"{head}: ", italic=True), Run(sentence(text))]


def _task_status_phrase(task: TaskFacts) -> str:
    if not task.status_label:
        return NO_REPORT.lower()
    text = task.status_label.lower()
    if task.percent is not None and task.status != "completed":
        text += f" ({task.percent}%)"
    return text


def task_blocks(task: TaskFacts) -> list[Block]:
    lead = ", ".join(task.lead) or "chưa phân công"
    head = [
        Run(f"{task.code}. ", bold=True),
        Run(sentence(clean(task.text)) + " "),
        Run(f"Chủ trì: {lead}; tình trạng: ", italic=True),
        Run(
            _task_status_phrase(task), italic=True, bold=bool(task.status_label), review=not task.status_label
        ),
        Run(".", italic=True),
    ]
    blocks: list[Block] = [_para(*head)]
    for report in task.reports:
        blocks.append(_para(*_report_runs(report), style=ParagraphStyle.BULLET))
    return blocks


def _groups(tasks: Sequence[TaskFacts]) -> list[tuple[str, list[TaskFacts]]]:
    groups: dict[str, list[TaskFacts]] = {}
    titles: dict[str, str] = {}
    for task in tasks:
        key = task.group_code or ""
        groups.setdefault(key, []).append(task)
        titles.setdefault(key, task.group_title)
    return [(titles[key] or "Nhiệm vụ khác", members) for key, members in groups.items()]


def task_counts(tasks: Iterable[TaskFacts]) -> tuple[dict[str, int], dict[str, str], int]:
    counts: dict[str, int] = {}
    labels: dict[str, str] = {}
    unreported = 0
    for task in tasks:
        if not task.status:
            unreported += 1
            continue
        counts[task.status] = counts.get(task.status, 0) + 1
        labels[task.status] = task.status_label.lower()
    return counts, labels, unreported


def tasks_section(facts: PlanFacts) -> list[Block]:
    blocks: list[Block] = [Heading("2. Kết quả thực hiện các nhiệm vụ, giải pháp", 2)]
    if not facts.tasks:
        blocks.append(_text("Kế hoạch chưa có nhiệm vụ, giải pháp được số hóa."))
        return blocks
    counts, labels, unreported = task_counts(facts.tasks)
    order = [*TASK_STATUS_ORDER, *sorted(set(counts) - set(TASK_STATUS_ORDER))]
    phrase = _count_phrase(counts, order, labels)
    summary = f"Kế hoạch có {len(facts.tasks)} nhiệm vụ, giải pháp."
    if phrase:
        summary += f" Theo báo cáo đã được phê duyệt: {phrase}."
    blocks.append(_text(summary))
    if unreported:
        blocks.append(
            _review(
                f"{unreported} nhiệm vụ chưa có báo cáo được phê duyệt trong kỳ; cần đôn đốc cơ quan chủ trì trước khi "
                "ban hành báo cáo.",
                ParagraphStyle.NOTE,
            )
        )
    for index, (title, members) in enumerate(_groups(facts.tasks)):
        blocks.append(Heading(f"{letter(index)}) {upper_first(clean(title))}", 3))
        for task in members:
            blocks.extend(task_blocks(task))
    return blocks


def compliance_section(facts: PlanFacts) -> list[Block]:
    c = facts.compliance
    if c is None:
        return []
    due = f" (hạn nộp {short_date(dt.date.fromisoformat(c.due_on))})" if c.due_on else ""
    parts = [
        f"{c.approved} báo cáo đã được phê duyệt",
        f"{c.submitted} báo cáo đã nộp, đang xem xét",
        f"{c.returned} báo cáo bị trả lại để hoàn thiện",
        f"{c.not_submitted} cơ quan chưa nộp",
    ]
    text = f"Trong kỳ có {c.expected} cơ quan phải báo cáo{due}: {'; '.join(parts)}"
    if c.late:
        text += f"; {c.late} báo cáo nộp muộn"
    return [Heading("3. Tình hình thực hiện chế độ báo cáo", 2), _text(text + ".")]


# --- II and III: shortcomings, difficulties, proposals -------------------------------------------------------


@dataclass
class _Quote:
    agency: str
    text: str
    tasks: list[str]


def gather_quotes(tasks: Sequence[TaskFacts], field: str) -> list[_Quote]:
    """Every distinct text an agency wrote in ``field`` (difficulties or proposals), with the tasks it was written
    for. Agencies often repeat one difficulty across tasks: it is listed once, naming all of them."""
    quotes: dict[tuple[str, str], _Quote] = {}
    for task in tasks:
        for report in task.reports:
            raw = report.difficulties if field == "difficulties" else report.proposals
            for text in paragraphs(raw):
                key = (report.agency, text.casefold().rstrip(".;"))
                quote = quotes.get(key)
                if quote is None:
                    quotes[key] = _Quote(report.agency, text, [task.code])
                elif task.code not in quote.tasks:
                    quote.tasks.append(task.code)
    return list(quotes.values())


def _quote_paragraph(quote: _Quote) -> Paragraph:
    where = "nhiệm vụ " + ", ".join(quote.tasks)
    return _para(
        Run(f"{quote.agency} ({where}): ", italic=True),
        Run(sentence(quote.text)),
        style=ParagraphStyle.BULLET,
    )


EDIT_NOTE = (
    "Nội dung dưới đây được tổng hợp nguyên văn từ các báo cáo đã được phê duyệt; cơ quan đầu mối cần biên tập "
    "trước khi ban hành."
)


def shortcomings_section(facts: PlanFacts) -> list[Block]:
    blocks: list[Block] = [
        Heading("II. TỒN TẠI, HẠN CHẾ VÀ NGUYÊN NHÂN", 1),
        Heading("1. Tồn tại, hạn chế", 2),
    ]
    lagging = [t for t in facts.targets if t.effective_status in LAGGING]
    lagging.sort(key=lambda t: LAGGING.index(t.effective_status))
    if lagging:
        blocks.append(_text(f"Có {len(lagging)} mục tiêu, chỉ tiêu chưa đạt tiến độ yêu cầu:"))
        for target in lagging:
            why = f" — {target.explanation[0]}" if target.explanation else ""
            blocks.append(
                _para(
                    Run(f"{target.label} ({sentence(clean(target.text)).rstrip('.')}): "),
                    Run(target.effective_label, bold=True),
                    Run(sentence(why)),
                    style=ParagraphStyle.BULLET,
                )
            )
    else:
        blocks.append(
            _text("Không có mục tiêu, chỉ tiêu nào được đánh giá là chậm tiến độ hoặc đi ngược xu hướng.")
        )
    behind = [t for t in facts.tasks if t.status in TASK_LAGGING]
    if behind:
        blocks.append(_text(f"Có {len(behind)} nhiệm vụ chậm tiến độ hoặc không thực hiện:"))
        for task in behind:
            lead = ", ".join(task.lead) or "chưa phân công"
            blocks.append(
                _text(
                    f"{task.code}. {sentence(clean(task.text))} Chủ trì: {lead}; tình trạng: {task.status_label.lower()}.",
                    ParagraphStyle.BULLET,
                )
            )
    blocks.append(Heading("2. Khó khăn, vướng mắc", 2))
    difficulties = gather_quotes(facts.tasks, "difficulties")
    if difficulties:
        blocks.append(_review(EDIT_NOTE, ParagraphStyle.NOTE))
        blocks.extend(_quote_paragraph(q) for q in difficulties)
    else:
        blocks.append(_text("Các báo cáo đã được phê duyệt trong kỳ không nêu khó khăn, vướng mắc."))
    blocks.append(Heading("3. Nguyên nhân", 2))
    blocks.append(
        _review(
            "Cơ quan đầu mối phân tích nguyên nhân khách quan, chủ quan của các tồn tại, hạn chế nêu trên; hệ thống "
            "không tự viết nội dung này."
        )
    )
    return blocks


def proposals_section(facts: PlanFacts) -> list[Block]:
    blocks: list[Block] = [Heading("III. KIẾN NGHỊ, ĐỀ XUẤT", 1)]
    proposals = gather_quotes(facts.tasks, "proposals")
    if proposals:
        blocks.append(_review(EDIT_NOTE, ParagraphStyle.NOTE))
        blocks.extend(_quote_paragraph(q) for q in proposals)
    else:
        blocks.append(_text("Các báo cáo đã được phê duyệt trong kỳ không có kiến nghị, đề xuất."))
    return blocks


# --- appendices ----------------------------------------------------------------------------------------------

TARGET_COLUMNS = (
    Column("STT", 1.0, CellKind.INTEGER),
    Column("Mục tiêu, chỉ tiêu", 7.4),
    Column("Đơn vị tính", 2.0),
    Column("Giá trị cơ sở", 1.7, CellKind.NUMBER),
    Column("Năm cơ sở", 1.3, CellKind.INTEGER),
    Column("Mục tiêu", 2.2),
    Column("Năm mục tiêu", 1.4, CellKind.INTEGER),
    Column("Giá trị mới nhất", 1.8, CellKind.NUMBER),
    Column("Năm số liệu", 1.3, CellKind.INTEGER),
    Column("Tình trạng", 2.2),
    Column("Ghi chú", 4.2),
)

TASK_COLUMNS = (
    Column("STT", 1.0, CellKind.INTEGER),
    Column("Mã", 1.5),
    Column("Nhiệm vụ, giải pháp", 8.0),
    Column("Cơ quan chủ trì", 3.4),
    Column("Cơ quan phối hợp", 3.8),
    Column("Thời gian thực hiện", 2.2),
    Column("Tình trạng", 2.6),
    Column("Tỷ lệ hoàn thành (%)", 1.9, CellKind.NUMBER),
)


def _target_note(target: TargetFacts) -> str:
    notes = list(target.explanation[:1])
    if target.override is not None:
        notes.append(
            f"Điều chỉnh thủ công (kết quả tính toán: {_status_label(target.status, target.status_label)}); "
            f"lý do: {clean(target.override.justification)}"
        )
    return " ".join(sentence(n) for n in notes)


def targets_table(facts: PlanFacts) -> Table:
    rows: list[Row] = []
    index = 0
    for index, (title, members) in enumerate(pillar_groups(facts)):
        rows.append(Row((text_cell(f"{letter(index).upper()}. {title}", bold=True),), group=True))
        for target in members:
            index += 1
            single = target.parts[0] if len(target.parts) == 1 and not target.parts[0].name else None
            status = text_cell(
                target.effective_label + (" (điều chỉnh)" if target.override else ""),
                review=target.effective_status == "insufficient_data" and target.kind != "milestone",
            )
            if single is not None:
                rows.append(
                    Row(
                        _part_cells(
                            index,
                            f"{target.label}: {clean(target.text)}",
                            single,
                            status,
                            _target_note(target),
                        )
                    )
                )
                continue
            unit = next((_level_unit(p) for p in target.parts if _level_unit(p)), "")
            year = next((p.target_year for p in target.parts if p.target_year), target.year)
            rows.append(
                Row(
                    (
                        year_cell(index),
                        text_cell(f"{target.label}: {clean(target.text)}", bold=True),
                        text_cell(unit),
                        Cell("—"),
                        Cell("—"),
                        text_cell("—" if not target.parts else "theo thành phần"),
                        year_cell(year),
                        Cell("—"),
                        Cell("—"),
                        status,
                        text_cell(_target_note(target)),
                    )
                )
            )
            for part in target.parts:
                rows.append(
                    Row(
                        _part_cells(
                            None,
                            f"– {part.name or 'chung'}",
                            part,
                            text_cell(_status_label(part.status, part.status_label)),
                            part.explanation,
                        )
                    )
                )
    return Table("targets", TARGET_COLUMNS, tuple(rows), sheet_name="Phụ lục 1 - Mục tiêu")


def _part_cells(index: int | None, label: str, part: PartFacts, status: Cell, note: str) -> tuple[Cell, ...]:
    return (
        year_cell(index) if index is not None else Cell(""),
        text_cell(label),
        text_cell(_level_unit(part)),
        number_cell(part.baseline),
        year_cell(part.baseline_year),
        text_cell(part.target_text),
        year_cell(part.target_year),
        number_cell(part.latest),
        year_cell(part.latest_year),
        status,
        text_cell(sentence(note) if note else ""),
    )


def tasks_table(facts: PlanFacts) -> Table:
    rows: list[Row] = []
    index = 0
    for index, (title, members) in enumerate(_groups(facts.tasks)):
        rows.append(
            Row((text_cell(f"{letter(index).upper()}. {upper_first(clean(title))}", bold=True),), group=True)
        )
        for task in members:
            index += 1
            status = task.status_label or NO_REPORT
            rows.append(
                Row(
                    (
                        year_cell(index),
                        text_cell(task.code),
                        text_cell(clean(task.text)),
                        text_cell("; ".join(task.lead) or "chưa phân công", review=not task.lead),
                        text_cell("; ".join(task.coordinating)),
                        text_cell(task.deadline),
                        text_cell(status, review=not task.status_label),
                        number_cell(float(task.percent)) if task.percent is not None else Cell("—"),
                    )
                )
            )
    return Table("tasks", TASK_COLUMNS, tuple(rows), sheet_name="Phụ lục 2 - Nhiệm vụ")


def _attachment_line(facts: PlanFacts) -> str:
    number = report_number(facts.issuer).removeprefix("Số:").strip()
    return f"(Kèm theo Báo cáo số {number} của {facts.issuer})"


def appendices(facts: PlanFacts) -> tuple[Appendix, ...]:
    data_year = f"Số liệu đã được phê duyệt đến năm {facts.year}"
    first = Appendix(
        "Phụ lục 1",
        "KẾT QUẢ THỰC HIỆN CÁC MỤC TIÊU, CHỈ TIÊU",
        _attachment_line(facts),
        targets_table(facts),
        notes=(
            _text(
                f"{data_year}. Tình trạng: {', '.join(STATUS_LABELS[s] for s in STATUS_ORDER)}. "
                '"Chưa đủ dữ liệu": chưa có đủ số liệu để đánh giá, không suy đoán.',
                ParagraphStyle.NOTE,
            ),
        ),
    )
    second = Appendix(
        "Phụ lục 2",
        "TÌNH HÌNH THỰC HIỆN CÁC NHIỆM VỤ, GIẢI PHÁP",
        _attachment_line(facts),
        tasks_table(facts),
        notes=(
            _text(
                "Tình trạng và tỷ lệ hoàn thành theo báo cáo mới nhất đã được phê duyệt của cơ quan chủ trì.",
                ParagraphStyle.NOTE,
            ),
        ),
    )
    return (first, second)


# --- closing -------------------------------------------------------------------------------------------------


def closing(facts: PlanFacts) -> Closing:
    recipients = [Run("Nơi nhận:", bold=True, italic=True)]
    if facts.recipient:
        recipients.append(Run(f"- {facts.recipient} (để báo cáo);"))
    else:
        recipients.append(Run("- Cơ quan tổng hợp cấp trên (để báo cáo);", review=True))
    if facts.coordinator_agency:
        recipients.append(Run(f"- {facts.coordinator_agency};"))
    recipients.append(Run("- Lưu: VT."))
    lines = issuer_lines(facts.issuer)
    signature: list[Run] = []
    if lines and lines[0] == "ỦY BAN NHÂN DÂN":
        signature.append(Run("TM. ỦY BAN NHÂN DÂN", bold=True))
    signature.append(Run("Thẩm quyền ký, chức vụ, chữ ký và họ tên người ký", review=True))
    return Closing(tuple(recipients), tuple(signature))


# --- the whole report ----------------------------------------------------------------------------------------


def compose_synthesis(facts: PlanFacts, charts: Mapping[str, bytes] | None = None) -> SynthesisReport:
    """Arrange ``facts`` as a report. ``charts`` maps a target code (and "status-summary") to a PNG image."""
    charts = charts or {}
    counter = _Counter()
    body: list[Block] = [*opening(facts), Heading("I. KẾT QUẢ THỰC HIỆN", 1)]
    body += targets_section(facts, charts, counter)
    body += tasks_section(facts)
    body += compliance_section(facts)
    body += shortcomings_section(facts)
    body += proposals_section(facts)
    meta = ReportMeta(
        plan_id=facts.plan_id,
        plan_title=facts.title,
        period=facts.period,
        period_label=facts.period_label,
        kind=facts.kind,
        generated_on=facts.issued_on,
        is_demo=facts.is_demo,
        evaluation_source=facts.evaluation_source,
        target_count=len(facts.targets),
        task_count=len(facts.tasks),
    )
    kind_slug = {"annual": "", "midterm": "so-ket", "final": "tong-ket"}[facts.kind.value]
    return SynthesisReport(
        header=header_block(facts),
        title="BÁO CÁO",
        subtitle=subtitle(facts),
        body=tuple(body),
        appendices=appendices(facts),
        closing=closing(facts),
        meta=meta,
        file_stem=file_stem("bao cao tong hop", kind_slug, facts.place, facts.period),
    )
