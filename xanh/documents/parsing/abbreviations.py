"""Abbreviations: the glossary table ("DANH MỤC TỪ VIẾT TẮT") and inline or footnote definitions."""

from __future__ import annotations

import re

from .text import Line, clean_cell_text, fold_text

__all__ = ["find_abbreviations", "initials_match", "normalise_abbreviation"]

_GLOSSARY_HEAD_RE = re.compile(
    r"^(?:danh muc\s+|bang\s+)?(?:cac\s+)?(?:tu|chu|ky hieu)\s+(?:ngu\s+)?viet tat\b", re.IGNORECASE
)
_HEADER_CELL_RE = re.compile(
    r"^(?:(?:y )?nghia|dien giai|giai thich|noi dung|(?:tu|chu) viet tat|viet day du)$"
)
_ABBR_CELL_RE = re.compile(r"^[A-ZĐ0-9][A-Za-zĐđ0-9&.\-–— ]{0,15}$")
_STOP_WORDS = frozenset({"va", "cua", "cac", "voi", "ve", "tai", "o", "cho", "trong"})
# "(viết tắt là TTX)", "(sau đây gọi tắt là KHHĐ)", "(KNK)": the phrase before it is read separately.
_INLINE_RE = re.compile(
    r"\(\s*(?P<explicit>(?:sau đây\s+)?(?:gọi|viết)\s+tắt\s+(?:là\s+)?)?"
    r"[“\"']?(?P<abbr>[A-ZĐ][A-ZĐ0-9&\-–—]{1,11}[a-z]?)[”\"']?\s*\)"
)
_FOOTNOTE_RE = re.compile(
    r"^\s*(?:\(?\d{1,2}\)?[.)]?|\*|\[\d{1,2}\]|[¹²³⁴⁵⁶⁷⁸⁹⁰]{1,2})?\s*"
    r"(?P<abbr>[A-ZĐ][A-ZĐ0-9&\-–—]{1,11})\s*[:=]\s*(?P<full>[^.;:|]{3,100})\.?$"
)


def normalise_abbreviation(raw: str) -> str:
    """``KT – XH`` → ``KT-XH``: dashes unified, no spaces around them."""
    return re.sub(r"\s*[-–—]\s*", "-", raw.strip()).replace("  ", " ")


def _letters(abbr: str) -> str:
    return fold_text(re.sub(r"[^A-Za-zĐđ0-9]", "", abbr))


def initials_match(abbr: str, full: str) -> str | None:
    """The tail of ``full`` whose word initials spell ``abbr`` ("Khí nhà kính" for "KNK"), or None."""
    letters = _letters(abbr)
    if len(letters) < 2:
        return None
    words = re.findall(r"[^\W_]+", full)
    folded = [fold_text(w) for w in words]
    # Walk back from the end, skipping joining words, until the initials are spelled.
    for start in range(len(words) - 1, -1, -1):
        initials = "".join(f[0] for f in folded[start:] if f not in _STOP_WORDS)
        if initials == letters:
            begin = full.find(words[start]) if start == 0 else _nth_word_offset(full, start)
            return full[begin:].strip(" ,")
        if len(initials) > len(letters):
            break
    return None


def _nth_word_offset(text: str, n: int) -> int:
    for i, m in enumerate(re.finditer(r"[^\W_]+", text)):
        if i == n:
            return m.start()
    return 0


def _split_row(text: str) -> list[str]:
    if "|" in text:
        cells = [c.strip() for c in text.split("|")]
    elif "\t" in text:
        cells = [c.strip() for c in text.split("\t")]
    else:
        m = re.match(r"^(.{1,16}?)\s*(?::|\s[-–=]\s|\s{2,})\s*(.+)$", text)
        cells = [m.group(1), m.group(2)] if m else [text]
    cells = [c for c in cells if c]
    if len(cells) >= 3 and re.fullmatch(r"\d{1,3}\.?", cells[0]):
        cells = cells[1:]  # a "STT" column
    return cells


def _glossary(lines: list[Line]) -> dict[str, str]:
    found: dict[str, str] = {}
    i = 0
    n = len(lines)
    while i < n:
        head = fold_text(clean_cell_text(lines[i].text))
        if not _GLOSSARY_HEAD_RE.match(head):
            i += 1
            continue
        i += 1
        misses = 0
        rows = 0
        while i < n and misses < 3:
            text = clean_cell_text(lines[i].text)
            i += 1
            if not text:
                continue
            cells = _split_row(text)
            if cells and (cells[0].upper() in ("STT", "TT") or _HEADER_CELL_RE.match(fold_text(cells[-1]))):
                continue  # the header row ("STT | Từ viết tắt | Nghĩa")
            if (
                len(cells) >= 2
                and _ABBR_CELL_RE.match(cells[0])
                and sum(ch.isupper() for ch in cells[0]) >= 1
            ):
                value = cells[1].strip(" .;")
                if 0 < len(value.split()) <= 20 and not re.fullmatch(
                    r"(?i)nghĩa|ý nghĩa|giải thích|diễn giải", value
                ):
                    found.setdefault(normalise_abbreviation(cells[0]), value)
                    rows += 1
                    misses = 0
                    continue
            if rows:
                break  # the table has ended
            misses += 1
    return found


def find_abbreviations(text: str, lines: list[Line]) -> dict[str, str]:
    """Glossary rows first (in their order), then definitions found in the running text."""
    result = _glossary(lines)
    for line in lines:
        stripped = clean_cell_text(line.text)
        m = _FOOTNOTE_RE.match(stripped)
        if m:
            abbr = normalise_abbreviation(m.group("abbr"))
            full = m.group("full").strip()
            if abbr not in result and initials_match(abbr, full) == full.strip(" ,"):
                result[abbr] = full
    for m in _INLINE_RE.finditer(text):
        abbr = normalise_abbreviation(m.group("abbr"))
        if abbr in result:
            continue
        line_start = text.rfind("\n", 0, m.start()) + 1
        before = text[max(line_start, m.start() - 120) : m.start()]
        before = re.split(r"[()\n;:]", before)[-1].rstrip()
        if len(before) < 3:
            continue
        full = initials_match(abbr, before)
        if full:
            result[abbr] = full
        elif m.group("explicit"):
            words = before.split()
            result[abbr] = " ".join(words[-min(len(words), 8) :])
    return result
