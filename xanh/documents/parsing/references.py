"""Cited legal documents: numbers such as ``1658/QĐ-TTg``, their kind and date, and dated laws."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from .model import Reference
from .text import DATE_PATTERN, parse_vn_date

__all__ = [
    "KIND_BY_CODE",
    "SYMBOL_PATTERN",
    "find_references",
    "find_symbols",
    "kind_of_symbol",
    "normalise_symbol",
]

# number[/year]/TYPE-ISSUER[-UNIT] (domain README, "Document types and symbols"), Party style 60-NQ/TW.
SYMBOL_PATTERN = (
    r"(?<![\w/])\d{1,5}[a-zđ]?(?:/(?:19|20)\d{2})?\s?/\s?[A-ZĐ][A-Za-zĐđ0-9&]{0,12}"
    r"(?:\s?[-–]\s?[A-ZĐ][A-Za-zĐđ0-9&]{0,12}){0,3}(?![\w])"
    r"|(?<![\w/])\d{1,4}-[A-ZĐ]{1,4}/[A-ZĐ]{1,4}(?![\w])"
)
_SYMBOL_RE = re.compile(SYMBOL_PATTERN)

KIND_BY_CODE = {
    "QĐ": "Quyết định",
    "NĐ": "Nghị định",
    "NQ": "Nghị quyết",
    "TT": "Thông tư",
    "TTLT": "Thông tư liên tịch",
    "CT": "Chỉ thị",
    "KH": "Kế hoạch",
    "TB": "Thông báo",
    "TTr": "Tờ trình",
    "BC": "Báo cáo",
    "HD": "Hướng dẫn",
    "CTr": "Chương trình",
    "KL": "Kết luận",
    "CĐ": "Công điện",
    "QC": "Quy chế",
    "QyĐ": "Quy định",
    "ĐA": "Đề án",
}
_KIND_WORDS = (
    "Thông tư liên tịch",
    "Quyết định",
    "Nghị định",
    "Nghị quyết",
    "Thông tư",
    "Chỉ thị",
    "Kế hoạch",
    "Thông báo",
    "Công văn",
    "Tờ trình",
    "Báo cáo",
    "Hướng dẫn",
    "Chương trình",
    "Kết luận",
    "Công điện",
    "Quy chế",
    "Quy định",
    "Đề án",
    "Bộ luật",
    "Luật",
    "Pháp lệnh",
)
_KIND_WORD_RE = re.compile(
    r"(?<![\w])(?:" + "|".join(_KIND_WORDS) + r"|QĐ|NĐ|NQ|CT|KH|TB|CV)(?![\w])", re.IGNORECASE
)
_SHORT_KIND = {
    "qđ": "Quyết định",
    "nđ": "Nghị định",
    "nq": "Nghị quyết",
    "ct": "Chỉ thị",
    "kh": "Kế hoạch",
    "tb": "Thông báo",
    "cv": "Công văn",
}
_LAW_KINDS = ("Bộ luật", "Luật", "Pháp lệnh")
_DATE_AFTER_RE = re.compile(
    r"\s*,?\s*(?:ban hành\s+)?(?:ngày|ngay)\s+(?:" + DATE_PATTERN + ")", re.IGNORECASE
)
_LAW_RE = re.compile(
    r"\b(?P<kind>Bộ luật|Luật|Pháp lệnh)\s+(?P<name>[A-ZĐÀ-Ỹa-zđà-ỹ][^;.\n]{2,200}?)\s+ngày\s+(?:"
    + DATE_PATTERN
    + ")"
)


def normalise_symbol(raw: str) -> str:
    """``569/QĐ -TTg`` → ``569/QĐ-TTg``; ``1407/QĐTTg`` → ``1407/QĐ-TTg``; en dash → hyphen."""
    symbol = re.sub(r"\s*([/–-])\s*", r"\1", raw.strip()).replace("–", "-")
    parts = symbol.split("/")
    head = parts[-1] if not re.match(r"^\d{1,4}-", symbol) else ""
    if head:
        for code in sorted(KIND_BY_CODE, key=len, reverse=True):
            if head.startswith(code) and len(head) > len(code) and head[len(code)] != "-":
                rest = head[len(code) :]
                if rest[:1].isupper():
                    parts[-1] = f"{code}-{rest}"
                break
    return "/".join(parts)


def kind_of_symbol(symbol: str) -> str | None:
    """The document kind its symbol implies: ``1658/QĐ-TTg`` → Quyết định, ``3685/VPCP-NN`` → Công văn."""
    if re.match(r"^\d{1,4}-([A-ZĐ]{1,4})/", symbol):
        code = symbol.split("-", 1)[1].split("/", 1)[0]
        return KIND_BY_CODE.get(code)
    tail = symbol.split("/")[-1]
    if re.fullmatch(r"QH\d{1,2}", tail):
        return "Nghị quyết"
    code = tail.split("-", 1)[0]
    if code in KIND_BY_CODE:
        return KIND_BY_CODE[code]
    return "Công văn" if "-" in tail else None


@dataclass(frozen=True, slots=True)
class Symbol:
    number: str
    start: int
    end: int


def find_symbols(text: str) -> list[Symbol]:
    return [Symbol(normalise_symbol(m.group()), m.start(), m.end()) for m in _SYMBOL_RE.finditer(text)]


def _kind_before(text: str, start: int) -> str | None:
    """The kind word citing the symbol at ``start``: "Quyết định số 1658/...", "Luật ... số 72/2020/QH14"."""
    window_start = max(0, start - 120)
    window = text[window_start:start]
    last = None
    for m in _KIND_WORD_RE.finditer(window):
        last = m
    if last is None:
        return None
    between = window[last.end() :]
    if re.search(r"[;()\n]", between) or _SYMBOL_RE.search(between):
        return None
    word = last.group()
    kind = _SHORT_KIND.get(word.lower()) or next((k for k in _KIND_WORDS if k.lower() == word.lower()), None)
    if kind is None:
        return None
    if len(between) <= 25 or (kind in _LAW_KINDS and len(between) <= 110):
        return kind
    return None


def _date_after(text: str, end: int) -> date | None:
    m = _DATE_AFTER_RE.match(text, end, min(len(text), end + 60))
    if not m:
        return None
    return parse_vn_date(m.group(0))


def find_references(
    text: str, *, own_number: str | None, skip: list[tuple[int, int]] | None = None
) -> list[Reference]:
    """Every cited document once, in order of first citation; the document's own number is left out."""
    refs: list[Reference] = []
    index: dict[str, Reference] = {}
    own = own_number.lower() if own_number else None
    skip = skip or []
    for symbol in find_symbols(text):
        if any(a <= symbol.start < b for a, b in skip):
            continue
        if own and symbol.number.lower() == own:
            continue
        kind = _kind_before(text, symbol.start) or kind_of_symbol(symbol.number)
        if kind is None:
            continue  # a bare "12/ABC" without any sign of being a document
        issued = _date_after(text, symbol.end)
        existing = index.get(symbol.number.lower())
        if existing is not None:
            if existing.issued_on is None and issued is not None:
                existing.issued_on = issued
            continue
        ref = Reference(symbol.number, kind, issued, (symbol.start, symbol.end))
        index[symbol.number.lower()] = ref
        refs.append(ref)
    for m in _LAW_RE.finditer(text):
        if any(a <= m.start() < b for a, b in skip) or _SYMBOL_RE.search(m.group("name")):
            continue
        issued = parse_vn_date(m.group(0)[m.end("name") - m.start() :])
        if issued is None:
            continue
        key = f"{m.group('kind')}|{issued.isoformat()}"
        if key in index:
            continue
        ref = Reference(None, m.group("kind"), issued, (m.start(), m.end()))
        index[key] = ref
        refs.append(ref)
    refs.sort(key=lambda r: r.span[0] if r.span else 0)
    return refs
