"""Document structure: numbered and lettered items as a tree, with Vietnamese section ids.

Ranks follow the usual layout of Vietnamese administrative texts (Nghị định 30/2020/NĐ-CP and the
plans built on it): Phụ lục > Phần > A. > I. > Điều > 1. > 1.1. > 1.1.1. > a) > (1) > – > +.
A new item closes every open item of the same or a lower rank, so no look-ahead is needed and the
scan is linear in the number of lines.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from .text import Line, clean_cell_text, is_debris

__all__ = ["Item", "Outline", "build_outline", "roman_to_int"]

_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50}


def roman_to_int(text: str) -> int | None:
    total = 0
    prev = 0
    for ch in reversed(text.upper()):
        value = _ROMAN_VALUES.get(ch)
        if value is None:
            return None
        total = total - value if value < prev else total + value
        prev = max(prev, value)
    return total if 0 < total <= 40 else None


@dataclass(eq=False, slots=True)
class Item:
    """A labelled item. Structural items (sections) have an ``id``; list items (``(1)``, ``–``) do not."""

    style: str
    rank: float
    label: str  # as written: "III.", "8.1.", "a)", "(1)", "–"
    key: str  # id component: "III", "8.1", "a", "1"
    line: Line
    start: int  # offset of the label
    content_start: int  # offset just after the label
    parent: Item | None = None
    children: list[Item] = field(default_factory=list)
    lines: list[Line] = field(default_factory=list)
    id: str = ""
    n: int | None = None
    end: int = 0

    @property
    def structural(self) -> bool:
        return self.style not in ("paren", "bullet")

    @property
    def head(self) -> str:
        """The first line after the label."""
        return clean_cell_text(self.line.text[self.content_start - self.line.start :])

    @property
    def heading(self) -> str:
        head = self.head
        if not head and len(self.lines) > 1:
            head = clean_cell_text(self.lines[1].text)  # "Phần III" with its title on the next line
        colon = head.find(":")
        if 0 < colon <= 160:
            head = head[:colon]
        head = head.strip().rstrip(".;:").strip()
        if len(head) > 200:
            cut = head.rfind(" ", 0, 200)
            head = head[: cut if cut > 0 else 200].rstrip(",;") + "…"
        return head

    def body_lines(self) -> list[Line]:
        """Lines after the first one that belong to this item itself (not to its children)."""
        return self.lines[1:]

    def text(self, document: str) -> str:
        """The item's own text and its descendants', label excluded."""
        return document[self.content_start : self.end].strip()

    def own_text(self, document: str) -> str:
        """The item's text up to its first child item."""
        stop = self.children[0].start if self.children else self.end
        return document[self.content_start : stop].strip()

    def ancestors(self) -> Iterator[Item]:
        node = self.parent
        while node is not None:
            yield node
            node = node.parent

    def descendants(self) -> Iterator[Item]:
        for child in self.children:
            yield child
            yield from child.descendants()

    @property
    def structural_children(self) -> list[Item]:
        return [c for c in self.children if c.structural]

    @property
    def list_children(self) -> list[Item]:
        return [c for c in self.children if not c.structural]


@dataclass(slots=True)
class Outline:
    roots: list[Item]
    items: list[Item]  # document order
    loose_lines: list[Line]  # lines outside any item (preambles, signature blocks, titles)
    by_id: dict[str, Item]

    def sections(self) -> list[Item]:
        return [i for i in self.items if i.structural]


_PART_RE = re.compile(r"^(?P<label>(?:PHẦN|Phần)\s+(?P<key>[IVXL]{1,6}|\d{1,2}|THỨ\s+\w+))\s*[.:\-–]?\s*")
_APPENDIX_RE = re.compile(
    r"^(?P<label>(?:PHỤ LỤC|Phụ lục)(?:\s+(?P<key>[IVXL]{1,6}|\d{1,2}|[A-Z]))?)\s*[.:\-–]?\s*"
)
_ARTICLE_RE = re.compile(r"^(?P<label>Điều\s+(?P<key>\d{1,3})\s*[.:])\s*")
_ROMAN_RE = re.compile(r"^(?P<label>(?P<key>[IVX]{1,6})\s*[.:)\-–])\s*(?=\S|$)")
_UPPER_RE = re.compile(r"^(?P<label>(?P<key>[A-HJ-UYZĐ])\s*[.)])\s+(?=[A-ZĐÀ-Ỹ\"“(])")
_MULTI_RE = re.compile(r"^(?P<label>(?P<key>\d{1,2}(?:\.\d{1,2}){1,3})\.?)(?:\s*[-–:]\s*|\s+|$)")
_SINGLE_RE = re.compile(r"^(?P<label>(?P<key>\d{1,2})\s*[.)])(?!\d)\s*(?=\S)")
_LETTER_RE = re.compile(
    r"^(?P<label>(?P<key>[a-zđ])\s*\))\s*|^(?P<label2>(?P<key2>[a-zđ])\.)\s+(?=[A-ZĐÀ-Ỹ])"
)
_PAREN_RE = re.compile(r"^(?P<label>\((?P<key>\d{1,2})\))\s*(?=\S)")
_PAREN_LETTER_RE = re.compile(r"^(?P<label>\((?P<key>[a-zđ])\))\s+(?=\S)")
# "- 100% cơ quan ..." is a bullet; "-5%" (no space) is a negative number.
_BULLET_RE = re.compile(r"^(?P<label>[-–—•*·▪])(?:\s+(?=\S)|(?=[^\s\d\-–—]))|^(?P<label2>[+○►➢❖→✓])\s*(?=\S)")

# Lines that start a new document inside the file, or end the structured part.
_RESET_RE = re.compile(
    r"^(?:QUYẾT ĐỊNH|KẾ HOẠCH|CHỈ THỊ|NGHỊ QUYẾT|THÔNG BÁO|CHƯƠNG TRÌNH|ĐỀ ÁN|HƯỚNG DẪN|QUY CHẾ|"
    r"DANH MỤC(?:\s+[A-ZĐÀ-Ỹ]+)*|BẢNG\s+[A-ZĐÀ-Ỹ ]+|CÁC TỪ VIẾT TẮT|TỪ VIẾT TẮT|CHỮ VIẾT TẮT)\s*:?$"
    r"|^(?:Nơi nhận|NƠI NHẬN)\s*:"
    r"|^(?:TM\.|KT\.|Q\.\s*CHỦ TỊCH|CHỦ TỊCH\b|PHÓ CHỦ TỊCH\b|GIÁM ĐỐC\b)"
    r"|^Trên đây là\b"
)


def _rank(style: str, key: str, label: str) -> float:
    if style == "appendix":
        return 0.0
    if style == "part":
        return 0.5
    if style == "upper":
        return 1.0
    if style == "roman":
        return 1.5
    if style == "article":
        return 2.0
    if style == "arabic":
        return 3.0 + key.count(".") + 1
    if style == "letter":
        return 9.0
    if style == "paren":
        return 20.0
    if style == "paren_letter":
        return 20.5
    return 22.0 if label[:1] in "+○►➢❖→✓" else 21.0


def _match_label(text: str, previous_style: str | None) -> tuple[str, str, str, int] | None:
    """(style, label, key, length of the label incl. spaces) for a line, or ``None``."""
    for style, regex in (
        ("appendix", _APPENDIX_RE),
        ("part", _PART_RE),
        ("article", _ARTICLE_RE),
    ):
        m = regex.match(text)
        if m:
            key = (m.group("key") or "").strip()
            return style, m.group("label").strip(), key, m.end()
    m = _ROMAN_RE.match(text)
    if m and roman_to_int(m.group("key")) is not None:
        key = m.group("key")
        # "I." is roman; a lone "V." or "X." after lettered items would be odd but is still roman.
        return "roman", m.group("label").strip(), key, m.end()
    m = _MULTI_RE.match(text)
    if m:
        rest = text[m.end() :]
        has_dot = m.group("label").endswith(".")
        looks_like_heading = rest and (has_dot or rest[:1].isupper() or rest[:1] in '"“(')
        if looks_like_heading and not re.match(r"\s*(?:%|ha\b|km|tấn|triệu|tỷ|nghìn|người|lần)", rest):
            return "arabic", m.group("label").strip(), m.group("key"), m.end()
    m = _SINGLE_RE.match(text)
    if m:
        rest = text[m.end() :]
        if not re.match(r"(?:%|ha\b|km\b|tấn\b|triệu\b|tỷ\b|nghìn\b)", rest):
            return "arabic", m.group("label").replace(" ", ""), m.group("key"), m.end()
    m = _LETTER_RE.match(text)
    if m:
        if m.group("label"):
            return "letter", m.group("label").replace(" ", ""), m.group("key"), m.end()
        return "letter", m.group("label2"), m.group("key2"), m.end()
    m = _UPPER_RE.match(text)
    if m:
        return "upper", m.group("label").replace(" ", ""), m.group("key"), m.end()
    m = _PAREN_RE.match(text)
    if m:
        return "paren", m.group("label"), m.group("key"), m.end()
    m = _PAREN_LETTER_RE.match(text)
    if m:
        return "paren_letter", m.group("label"), m.group("key"), m.end()
    m = _BULLET_RE.match(text)
    if m:
        label = m.group("label") or m.group("label2")
        return "bullet", label, label, m.end()
    return None


def _id_component(style: str, key: str, label: str) -> str:
    if style == "appendix":
        return f"Phụ lục {key}".strip()
    if style == "part":
        return f"Phần {key}"
    if style == "article":
        return f"Điều {key}"
    return key


def build_outline(lines: list[Line]) -> Outline:
    roots: list[Item] = []
    items: list[Item] = []
    loose: list[Line] = []
    stack: list[Item] = []
    by_id: dict[str, Item] = {}
    previous_style: str | None = None

    for line in lines:
        text = line.text
        stripped = text.lstrip(" \t|")
        if not stripped.strip(" |"):
            continue
        lead = len(text) - len(stripped)
        clean = clean_cell_text(stripped)
        if _RESET_RE.match(clean):
            stack.clear()
            loose.append(line)
            continue
        if is_debris(clean):
            loose.append(line)
            continue
        found = _match_label(stripped, previous_style)
        if found is None:
            if stack:
                stack[-1].lines.append(line)
            else:
                loose.append(line)
            continue
        style, label, key, length = found
        if style == "paren_letter":
            style_for_rank = "paren_letter"
            style = "paren"
        else:
            style_for_rank = style
        rank = _rank(style_for_rank, key, label)
        while stack and stack[-1].rank >= rank:
            stack.pop()
        parent = stack[-1] if stack else None
        item = Item(
            style=style,
            rank=rank,
            label=label,
            key=key,
            line=line,
            start=line.start + lead,
            content_start=line.start + lead + length,
            parent=parent,
            lines=[line],
        )
        if style == "paren" and key.isdigit():
            item.n = int(key)
        if parent is None:
            roots.append(item)
        else:
            parent.children.append(item)
        if item.structural:
            item.id = _assign_id(item, by_id)
            by_id[item.id] = item
        items.append(item)
        stack.append(item)
        previous_style = style

    for item in items:
        item.end = _last_end(item)
    return Outline(roots, items, loose, by_id)


def _assign_id(item: Item, by_id: dict[str, Item]) -> str:
    component = _id_component(item.style, item.key, item.label)
    anchor = item.parent
    if item.style == "arabic":
        while anchor is not None and anchor.style == "arabic":
            anchor = anchor.parent
    while anchor is not None and not anchor.structural:
        anchor = anchor.parent
    base = f"{anchor.id}.{component}" if anchor is not None and anchor.id else component
    candidate = base
    counter = 2
    while candidate in by_id:
        candidate = f"{base}#{counter}"
        counter += 1
    return candidate


def _last_end(item: Item) -> int:
    end = item.lines[-1].end if item.lines else item.line.end
    for child in item.children:
        end = max(end, _last_end(child))
    return end
