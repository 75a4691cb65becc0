"""The plan-document parser: normalised text in, :class:`PlanDraft` out. No Django, no I/O."""

from __future__ import annotations

import re
from pathlib import Path

from xanh.agencies.matching import AgencyMatcher, Place, default_matcher, load_default_places

from .abbreviations import find_abbreviations
from .extract import ExtractedText, extract_file
from .metadata import extract_metadata
from .model import PlanDraft, Section
from .references import SYMBOL_PATTERN, find_references
from .structure import Item, build_outline
from .targets import extract_targets
from .tasks import extract_tasks
from .text import DATE_PATTERN, is_debris, normalise_text, split_lines

__all__ = ["parse_file", "parse_text"]

_MASK_RE = re.compile(f"{SYMBOL_PATTERN}|{DATE_PATTERN}", re.IGNORECASE)
_YEAR_IN_DATE_RE = re.compile(DATE_PATTERN, re.IGNORECASE)


def _parent_section(item: Item) -> str | None:
    node = item.parent
    while node is not None and not node.structural:
        node = node.parent
    return node.id if node is not None else None


def parse_text(
    text: str, *, matcher: AgencyMatcher | None = None, places: list[Place] | None = None
) -> PlanDraft:
    """Parse a plan, decision, directive or news text. Never raises on odd input; see ``warnings``."""
    matcher = matcher or default_matcher()
    places = places if places is not None else load_default_places()
    text = normalise_text(text)
    lines = split_lines(text)
    outline = build_outline(lines)
    meta = extract_metadata(lines, text, matcher, places)
    own_place = re.match(r"^(?:UBND|HĐND) (tỉnh|thành phố) (.+)$", meta.issuer or "")
    if own_place:
        # The document's own province names its bodies: "Báo Lâm Sơn", "Công an tỉnh Lâm Sơn".
        kind = "city" if own_place.group(1) == "thành phố" else "province"
        matcher = matcher.with_places([Place(own_place.group(2), kind)])

    sections = [
        Section(
            id=item.id,
            label=item.label,
            heading=item.heading,
            parent=_parent_section(item),
            span=(item.start, item.end),
            line=item.line.number,
        )
        for item in outline.sections()
    ]

    masks = [m.span() for m in _MASK_RE.finditer(text)]
    reference_year = meta.issued_on.year if meta.issued_on else None
    if reference_year is None:
        years = [int(m.group("y") or m.group("y2")) for m in _YEAR_IN_DATE_RE.finditer(text)]
        reference_year = max(years) if years else None
    targets = extract_targets(
        outline,
        text,
        lines,
        masks=masks,
        reference_year=reference_year,
        period=meta.period,
        headline=meta.title if meta.number is None else None,
    )
    tasks, task_warnings = extract_tasks(outline, text, lines, matcher)

    debris = [(ln.start, ln.end) for ln in lines if ln.text.strip() and is_debris(ln.text)]
    references = find_references(text, own_number=meta.number, skip=debris)
    abbreviations = find_abbreviations(text, lines)

    warnings: list[str] = []
    if not text.strip():
        warnings.append("Văn bản không có nội dung.")
    if meta.number is None:
        warnings.append("Không tìm thấy số, ký hiệu văn bản; hãy nhập khi duyệt.")
    if meta.issued_on is None:
        warnings.append("Không tìm thấy ngày ban hành.")
    if meta.period is None:
        warnings.append("Không xác định được thời kỳ của kế hoạch.")
    if not targets:
        warnings.append("Không tìm thấy mục tiêu, chỉ tiêu nào.")
    if not tasks:
        warnings.append("Không tìm thấy nhiệm vụ nào được giao cho cơ quan cụ thể.")
    for target in targets:
        if target.year is None:
            warnings.append(f"Mục tiêu {target.id} (dòng {target.line}): không xác định được năm cần đạt.")
    warnings.extend(task_warnings)
    ignored = sum(1 for ln in lines if ln.text.strip() and is_debris(ln.text) and len(ln.text.strip()) > 3)
    if ignored:
        warnings.append(
            f"Đã bỏ qua {ignored} dòng có vẻ là phần giao diện trang web (menu, bộ đếm, bình luận)."
        )

    return PlanDraft(
        document=meta,
        sections=sections,
        targets=targets,
        tasks=tasks,
        abbreviations=abbreviations,
        references=references,
        warnings=warnings,
        text=text,
    )


def parse_file(
    path: str | Path, *, max_bytes: int | None = None, matcher: AgencyMatcher | None = None
) -> tuple[ExtractedText, PlanDraft]:
    """Extract the text of a .txt/.docx/.pdf file and parse it. Raises ``ExtractionError``."""
    extracted = extract_file(path, max_bytes=max_bytes)
    return extracted, parse_text(extracted.text, matcher=matcher)
