"""Tasks: numbered or lettered items that assign work, with lead and coordinating agencies.

The lead is the agency heading the item ("1.1. Sở Kế hoạch và Đầu tư: ..."), the agency that
"chủ trì", or the agency heading the parent item when the item itself names none. Agencies named
after "phối hợp với" are coordinating. Task tables ("STT | Nhiệm vụ | Cơ quan chủ trì | Cơ quan phối
hợp | Thời gian") give one task per row. Agency mentions are resolved with :class:`AgencyMatcher`;
a mention that cannot be resolved is kept as written and reported in the warnings.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from xanh.agencies.matching import AgencyMatch, AgencyMatcher

from .model import Task
from .structure import Item, Outline
from .targets import is_targets_heading
from .text import Line, clean_cell_text, fold_text, is_debris

__all__ = ["Assignment", "extract_tasks", "is_tasks_heading"]

_TASK_HEAD_RE = re.compile(
    r"^(?:(?:cac|nhom|mot so|nhung|phan)\s+)?(?:nhiem vu|giai phap|to chuc thuc hien|phan cong|trach nhiem|"
    r"hoat dong|noi dung thuc hien|noi dung chu yeu|noi dung trong tam|noi dung ke hoach|danh muc nhiem vu|"
    r"de an|du an|chuong trinh hanh dong)\b"
)
_NOT_TASK_HEAD_RE = re.compile(r"\b(?:muc tieu|quan diem|muc dich|yeu cau|can cu|danh gia|ket qua)\b")

# Words that open an agency name; used to keep unresolved mentions as written.
_INSTITUTION_RE = re.compile(
    r"^(?:Sở|Ban|Bộ|Cục|Chi cục|Tổng cục|Trung tâm|Viện|Trường|Hội|Hiệp hội|Liên minh|Liên đoàn|Công ty|"
    r"Tổng công ty|Ngân hàng|Quỹ|Đài|Báo|Văn phòng|Ủy ban|Uỷ ban|UBND|Tỉnh đoàn|Đoàn|Thanh tra|Kho bạc|"
    r"Bảo hiểm|Cảng vụ|Vườn quốc gia|Khu bảo tồn|Bệnh viện|Công an|Bộ Chỉ huy|Phòng|Chi nhánh|Tập đoàn)\b"
)
_GAP_RE = re.compile(r"^[\s,;/+&]*(?:(?:và|cùng|cùng với|với|hoặc)\s*)?[\s,]*$", re.IGNORECASE)
_PREFIX_RE = re.compile(
    r"^[\s\-–—+•*:]*(?:(?:đề nghị|giao|yêu cầu|các cơ quan chủ trì|cơ quan chủ trì)\s*:?\s*)?$", re.IGNORECASE
)
_QUALIFIER_RE = re.compile(
    r"^[\s,]*(?:theo chức năng,?\s*nhiệm vụ(?:\s+được giao)?|có liên quan|liên quan|trên địa bàn(?: tỉnh)?|"
    r"tỉnh|chủ trì|phối hợp|là cơ quan chủ trì|làm cơ quan chủ trì)?[\s,.;:]*$",
    re.IGNORECASE,
)
_COORD_RE = re.compile(
    r"phối hợp(?:\s+chặt chẽ)?(?:\s+với|\s+cùng)|với sự phối hợp của|cơ quan phối hợp\s*:|đơn vị phối hợp\s*:",
    re.IGNORECASE,
)
_LEAD_CUE_RE = re.compile(r"chủ trì", re.IGNORECASE)
_DEADLINE_RES = (
    re.compile(
        r"thời (?:gian|hạn)(?: thực hiện| hoàn thành)?\s*[:：]\s*(?P<v>[^.;\n|]{2,60})", re.IGNORECASE
    ),
    re.compile(r"(?P<v>trước ngày\s+\d{1,2}\s*/\s*\d{1,2}\s*/\s*\d{4})", re.IGNORECASE),
    re.compile(
        r"(?:hoàn thành|thực hiện xong|ban hành)\s+(?P<v>(?:trước|trong)\s+(?:năm|quý|tháng|ngày)\s*[^.;,\n]{1,30})",
        re.IGNORECASE,
    ),
    re.compile(r"(?P<v>chậm nhất\s+(?:ngày|trong|là|vào)\s*[^.;,\n]{1,30})", re.IGNORECASE),
    re.compile(
        r"(?:^|\n)[\s\-–+•]*(?P<v>thường xuyên|hằng năm|hàng năm|định kỳ hằng năm|định kỳ hàng năm|hằng quý|"
        r"hàng quý|định kỳ 6 tháng|hằng tháng|hàng tháng)\b",
        re.IGNORECASE,
    ),
)
_TABLE_HEAD_WORDS = {
    "stt": re.compile(r"^(?:stt|tt|số tt|số thứ tự)$", re.IGNORECASE),
    "task": re.compile(
        r"nhiệm vụ|nội dung|hoạt động|tên (?:đề án|dự án|nhiệm vụ)|đề án|dự án", re.IGNORECASE
    ),
    "lead": re.compile(r"chủ trì", re.IGNORECASE),
    "coord": re.compile(r"phối hợp", re.IGNORECASE),
    "time": re.compile(r"thời gian|thời hạn|tiến độ|năm hoàn thành", re.IGNORECASE),
}


def is_tasks_heading(heading: str) -> bool:
    folded = fold_text(heading)
    return bool(_TASK_HEAD_RE.search(folded)) and not _NOT_TASK_HEAD_RE.search(folded)


@dataclass(slots=True)
class Assignment:
    """Agencies found in a phrase: resolved matches and mentions kept as written."""

    matches: list[AgencyMatch] = field(default_factory=list)
    unresolved: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.matches or self.unresolved)

    def names(self) -> list[str]:
        out: list[str] = []
        for m in self.matches:
            if m.label not in out:
                out.append(m.label)
        for u in self.unresolved:
            if u not in out:
                out.append(u)
        return out

    def keys(self) -> list[str | None]:
        out: list[str | None] = []
        seen: set[str] = set()
        for m in self.matches:
            if m.label not in seen:
                seen.add(m.label)
                out.append(m.key)
        for u in self.unresolved:
            if u not in seen:
                seen.add(u)
                out.append(None)
        return out


class _Context:
    def __init__(self, text: str, matcher: AgencyMatcher, lines: list[Line]) -> None:
        self.text = text
        self.matcher = matcher
        self.warnings: list[str] = []
        self._line_starts = [ln.start for ln in lines]

    def line_of(self, offset: int) -> int:
        return bisect_right(self._line_starts, offset)


def _contiguous(
    phrase: str, matches: list[AgencyMatch], *, from_start: bool
) -> tuple[list[AgencyMatch], int]:
    """Matches forming one list ("Sở A, Sở B và UBND các huyện"); returns them and where the list ends."""
    chosen: list[AgencyMatch] = []
    pos = 0
    for m in matches:
        assert m.span is not None
        gap = phrase[pos : m.span[0]]
        if not chosen:
            if from_start and not _PREFIX_RE.match(gap):
                break
        elif not _GAP_RE.match(gap):
            break
        chosen.append(m)
        pos = m.span[1]
    return chosen, pos


def _split_unresolved(text: str) -> list[str]:
    parts = [p.strip(" ,.;:") for p in re.split(r",|;|\bvà\b", text)]
    return [p for p in parts if p and _INSTITUTION_RE.match(p) and len(p.split()) <= 14]


def _head_assignment(ctx: _Context, head: str) -> tuple[Assignment, bool]:
    """Agencies heading an item, and whether the head was an agency heading with a colon."""
    head = head.strip()
    if not head:
        return Assignment(), False
    colon = head.find(":")
    if 0 < colon <= 160:
        phrase = head[:colon]
        found = ctx.matcher.find_all(phrase)
        chosen, end = _contiguous(phrase, found, from_start=True)
        leftover = phrase[end:]
        if chosen and _QUALIFIER_RE.match(leftover):
            return Assignment(chosen), True
        if chosen:
            return Assignment(chosen, _split_unresolved(leftover)), True
        unresolved = _split_unresolved(re.sub(r"^(?:Đề nghị|Giao)\s+", "", phrase))
        if unresolved and len(phrase.split()) <= 16:
            return Assignment([], unresolved), True
        return Assignment(), False
    phrase = head[:240]
    found = ctx.matcher.find_all(phrase)
    chosen, end = _contiguous(phrase, found, from_start=True)
    if chosen:
        after = phrase[end:].lstrip(" ,")
        if re.match(r"(?:giao|đề nghị|yêu cầu)\b", after, re.IGNORECASE):
            return Assignment(), False  # "UBND tỉnh giao Sở X ...": the lead comes with "chủ trì"
        return Assignment(chosen), False
    return Assignment(), False


def _lead_by_cue(ctx: _Context, text: str) -> Assignment:
    """ "Sở X chủ trì", "do Sở X chủ trì", "Cơ quan chủ trì: Sở X"."""
    for m in _LEAD_CUE_RE.finditer(text):
        after = text[m.end() : m.end() + 200]
        label = re.search(r"(?:cơ quan|đơn vị)\s*$", text[max(0, m.start() - 12) : m.start()], re.IGNORECASE)
        if label and not re.match(r"\s*[:：]", after):
            continue  # "Cơ quan chủ trì" as a column title, not an assignment
        colon = re.match(r"\s*[:：]\s*", after)
        if colon:
            phrase = after[colon.end() :]
            chosen, _ = _contiguous(phrase, ctx.matcher.find_all(phrase), from_start=True)
            if chosen:
                return Assignment(chosen)
        window_start = max(0, m.start() - 200)
        window = text[window_start : m.start()]
        found = ctx.matcher.find_all(window)
        if not found:
            continue
        # The agencies right before "chủ trì" (possibly a list), allowing "làm cơ quan", "là cơ quan".
        tail_gap = window[found[-1].span[1] :] if found[-1].span else ""
        if not re.fullmatch(
            r"[\s,]*(?:(?:làm|là|giữ vai trò)\s+(?:cơ quan|đơn vị)\s*)?", tail_gap, re.IGNORECASE
        ):
            continue
        group = [found[-1]]
        for prev in reversed(found[:-1]):
            assert prev.span is not None and group[0].span is not None
            if _GAP_RE.match(window[prev.span[1] : group[0].span[0]]):
                group.insert(0, prev)
            else:
                break
        return Assignment(group)
    return Assignment()


def _coordinating(ctx: _Context, text: str, lead_keys: set[str]) -> Assignment:
    result = Assignment()
    seen: set[str] = set(lead_keys)
    for m in _COORD_RE.finditer(text):
        phrase = text[m.end() : m.end() + 260]
        found = ctx.matcher.find_all(phrase)
        chosen, _end = _contiguous(phrase, found, from_start=True)
        if not chosen:
            stop = re.search(
                r"[,;.:(]|\s(?:triển khai|thực hiện|xây dựng|tổ chức|nghiên cứu|tham mưu)\b", phrase
            )
            candidate = phrase[: stop.start() if stop else 80].strip()
            for part in _split_unresolved(candidate):
                if part not in result.unresolved:
                    result.unresolved.append(part)
            continue
        for match in chosen:
            key = match.label
            if match.key in seen or key in seen:
                continue
            seen.add(key)
            result.matches.append(match)
    return result


def _deadline(text: str) -> str | None:
    for regex in _DEADLINE_RES:
        m = regex.search(text)
        if m:
            value = " ".join(m.group("v").split()).strip(" ,.;:")
            if value:
                return value[0].upper() + value[1:]
    return None


def _in_tasks_part(item: Item) -> bool:
    chain = [n for n in (item, *item.ancestors()) if n.structural]
    if any(is_targets_heading(n.heading) for n in chain[1:]):
        return False  # items of the targets list are targets, whatever they say
    return any(is_tasks_heading(n.heading) for n in chain)


def _in_targets_part(item: Item) -> bool:
    return any(n.structural and is_targets_heading(n.heading) for n in (item, *item.ancestors()))


def _inherited_lead(ctx: _Context, item: Item) -> Assignment:
    for ancestor in item.ancestors():
        if not ancestor.structural:
            continue
        assignment, _ = _head_assignment(ctx, ancestor.head)
        if assignment:
            return assignment
        if is_tasks_heading(ancestor.heading):
            break
    return Assignment()


def _is_title_like(head: str) -> bool:
    words = head.split()
    return 0 < len(words) <= 16 and not head.rstrip().endswith((".", ";")) and ":" not in head


def _make_task(
    ctx: _Context,
    *,
    task_id: str,
    section: str | None,
    start: int,
    content_start: int,
    end: int,
    lead: Assignment,
    inherited: bool,
    line: int,
) -> Task:
    body = ctx.text[content_start:end].strip()
    lead_keys = {m.key for m in lead.matches}
    coord = _coordinating(ctx, body, lead_keys)
    lead_names = lead.names()
    coord_names = [n for n in coord.names() if n not in lead_names]
    coord_keys = [k for n, k in zip(coord.names(), coord.keys(), strict=True) if n not in lead_names]
    confidence = min((m.score for m in lead.matches), default=0.5)
    if lead.unresolved:
        confidence = min(confidence, 0.5)
    if inherited:
        confidence *= 0.9
    if not lead_names:
        confidence = 0.4
        ctx.warnings.append(f"Nhiệm vụ {task_id} (dòng {line}): không xác định được cơ quan chủ trì.")
    for name in lead.unresolved + coord.unresolved:
        ctx.warnings.append(
            f"Nhiệm vụ {task_id} (dòng {line}): không nhận diện được cơ quan «{name}», giữ nguyên như trong văn bản."
        )
    return Task(
        id=task_id,
        section=section,
        text=body,
        lead=lead_names,
        coordinating=coord_names,
        deadline=_deadline(body),
        span=(start, end),
        lead_keys=lead.keys(),
        coordinating_keys=coord_keys,
        confidence=round(confidence, 3),
        line=line,
    )


def _section_of(item: Item | None) -> str | None:
    node = item
    while node is not None and not node.structural:
        node = node.parent
    return node.id if node is not None else None


def _item_lead(ctx: _Context, item: Item) -> tuple[Assignment, bool]:
    assignment, _colon = _head_assignment(ctx, item.head)
    if assignment:
        return assignment, False
    body = item.body_lines()
    if _is_title_like(item.head):
        first_start = body[0].start if body else None
        bullets = item.list_children
        if bullets and (first_start is None or bullets[0].start < first_start):
            first = bullets[0].head
        else:
            first = clean_cell_text(body[0].text).lstrip("-–—+•* ") if body else ""
        assignment, _ = _head_assignment(ctx, first)
        if assignment:
            return assignment, False
    assignment = _lead_by_cue(ctx, item.own_text(ctx.text))
    if assignment:
        return assignment, False
    inherited = _inherited_lead(ctx, item)
    return inherited, bool(inherited)


def _tasks_from_items(ctx: _Context, outline: Outline) -> list[Task]:
    tasks: list[Task] = []
    for item in outline.items:
        if not item.structural or item.style in ("article", "appendix", "part"):
            continue
        if item.structural_children:
            continue
        in_part = _in_tasks_part(item)
        # Bulleted sub-items that each name their own agency are separate tasks.
        headed = [c for c in item.list_children if _head_assignment(ctx, c.head)[1]]
        if in_part and len(headed) >= 2:
            for k, child in enumerate(item.list_children, start=1):
                assignment, colon = _head_assignment(ctx, child.head)
                if not colon:
                    continue
                tasks.append(
                    _make_task(
                        ctx,
                        task_id=f"{item.id}.{k}",
                        section=item.id,
                        start=child.start,
                        content_start=child.content_start,
                        end=child.end,
                        lead=assignment,
                        inherited=False,
                        line=child.line.number,
                    )
                )
            continue
        if not in_part and _in_targets_part(item):
            continue
        head_assignment, _colon = _head_assignment(ctx, item.head)
        # Outside a tasks part (directives, decisions), an item is a task when it starts with an agency
        # or says who "chủ trì".
        if not in_part and not head_assignment and not _lead_by_cue(ctx, item.own_text(ctx.text)):
            continue
        if is_debris(item.head) or not item.text(ctx.text):
            continue
        lead, inherited = _item_lead(ctx, item)
        if not lead and (
            item.style in ("roman", "part", "upper", "appendix")
            or any("|" in ln.text for ln in item.body_lines())
        ):
            continue  # a heading that only points elsewhere ("... tại Phụ lục") or holds a task table
        tasks.append(
            _make_task(
                ctx,
                task_id=item.id,
                section=_section_of(item.parent),
                start=item.start,
                content_start=item.content_start,
                end=item.end,
                lead=lead,
                inherited=inherited,
                line=item.line.number,
            )
        )
    return tasks


def _split_cells(text: str) -> list[str]:
    if "|" in text:
        cells = [c.strip() for c in text.strip().strip("|").split("|")]
    else:
        cells = [c.strip() for c in text.split("\t")]
    return cells


def _cell(cells: list[str], columns: dict[str, int], name: str) -> str:
    index = columns.get(name)
    return cells[index].strip() if index is not None and index < len(cells) else ""


def _table_header(cells: list[str]) -> dict[str, int] | None:
    """Column positions of a task table ("STT | Nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian")."""
    found: dict[str, int] = {}
    for i, text in enumerate(cells):
        if len(text) > 60:
            continue
        for name, regex in _TABLE_HEAD_WORDS.items():
            if name not in found and regex.search(text):
                found[name] = i
                break
    return found if "lead" in found and "task" in found else None


def _tasks_from_tables(ctx: _Context, outline: Outline, lines: list[Line]) -> list[Task]:
    owner: dict[int, Item] = {}
    for item in outline.items:
        for line in item.lines:
            owner[line.number] = item
    tasks: list[Task] = []
    columns: dict[str, int] | None = None
    group: str | None = None
    width = 0
    for line in lines:
        if ("|" not in line.text and "\t" not in line.text) or is_debris(line.text):
            if line.text.strip():
                columns = None  # the table has ended (text, or a web menu "Trang chủ | Tin tức")
            continue
        cells = _split_cells(line.text)
        if columns is None:
            columns = _table_header(cells)
            width, group = len(cells), None
            continue
        non_empty = [c for c in cells if c]
        if len(non_empty) <= 2 and len(cells) < width - 1:
            label = non_empty[0] if non_empty else ""
            if re.fullmatch(r"[IVXLA-Z]{1,5}\.?|\d{1,2}\.?", label):
                group = label.rstrip(".")
            continue
        task_text = _cell(cells, columns, "task")
        lead_text = _cell(cells, columns, "lead")
        stt = _cell(cells, columns, "stt").rstrip(".")
        if re.fullmatch(r"[IVXL]{1,5}|[A-Z]", stt) and not lead_text:
            group = stt  # a group row ("I | Nhóm nhiệm vụ về thể chế")
            continue
        if not task_text or not lead_text:
            continue
        stt = stt or str(len(tasks) + 1)
        holder = owner.get(line.number)
        prefix = _section_of(holder) or "PL"
        task_id = f"{prefix}.{group}.{stt}" if group else f"{prefix}.{stt}"
        found_lead = ctx.matcher.find_all(lead_text)
        lead = (
            Assignment(found_lead)
            if found_lead
            else Assignment([], _split_unresolved(lead_text) or [lead_text])
        )
        lead_names = lead.names()
        coord_text = _cell(cells, columns, "coord")
        coord_found = ctx.matcher.find_all(coord_text) if coord_text else []
        coord = Assignment([m for m in coord_found if m.label not in lead_names])
        if coord_text and not coord_found:
            coord.unresolved = _split_unresolved(coord_text)
        tasks.append(
            Task(
                id=task_id,
                section=_section_of(holder),
                text=task_text,
                lead=lead_names,
                coordinating=[n for n in coord.names() if n not in lead_names],
                deadline=_cell(cells, columns, "time") or None,
                span=(line.start, line.end),
                lead_keys=lead.keys(),
                coordinating_keys=coord.keys(),
                confidence=min((m.score for m in lead.matches), default=0.5),
                line=line.number,
            )
        )
        for name in lead.unresolved + coord.unresolved:
            ctx.warnings.append(
                f"Nhiệm vụ {task_id} (dòng {line.number}): không nhận diện được cơ quan «{name}», "
                "giữ nguyên như trong văn bản."
            )
    return tasks


_SENTENCE_RE = re.compile(r"[^.!?\n]+(?:[.!?]+|$)")


def _tasks_from_prose(ctx: _Context, outline: Outline, lines: list[Line]) -> list[Task]:
    """Running text without numbered tasks: each sentence where an agency "chủ trì" is a task."""
    owner: dict[int, Item] = {}
    for item in outline.items:
        for line in item.lines:
            owner[line.number] = item
    tasks: list[Task] = []
    for line in lines:
        if "chủ trì" not in line.text.lower() or is_debris(line.text):
            continue
        for m in _SENTENCE_RE.finditer(line.text):
            sentence = m.group()
            if not _LEAD_CUE_RE.search(sentence):
                continue
            lead = _lead_by_cue(ctx, sentence)
            if not lead:
                continue
            start = line.start + m.start() + (len(sentence) - len(sentence.lstrip()))
            end = line.start + m.end()
            task_id = f"P{len(tasks) + 1}"
            tasks.append(
                _make_task(
                    ctx,
                    task_id=task_id,
                    section=_section_of(owner.get(line.number)),
                    start=start,
                    content_start=start,
                    end=end,
                    lead=lead,
                    inherited=False,
                    line=line.number,
                )
            )
    return tasks


def extract_tasks(
    outline: Outline, text: str, lines: list[Line], matcher: AgencyMatcher
) -> tuple[list[Task], list[str]]:
    ctx = _Context(text, matcher, lines)
    tasks = _tasks_from_items(ctx, outline)
    tasks.extend(_tasks_from_tables(ctx, outline, lines))
    if not tasks:
        tasks = _tasks_from_prose(ctx, outline, lines)
    seen: dict[str, int] = {}
    for task in tasks:
        if task.id in seen:
            seen[task.id] += 1
            task.id = f"{task.id}#{seen[task.id]}"
        else:
            seen[task.id] = 1
    tasks.sort(key=lambda t: t.span[0])
    return tasks, ctx.warnings
