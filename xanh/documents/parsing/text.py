"""Text normalisation, lines, dates and web-page debris. Pure helpers shared by the parser steps."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

from xanh.core.text import strip_diacritics

__all__ = [
    "DATE_PATTERN",
    "Line",
    "fold_text",
    "is_debris",
    "normalise_text",
    "parse_vn_date",
    "split_lines",
]

_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), None)
_SPACES = dict.fromkeys(map(ord, "\u00a0\u2002\u2003\u2007\u2009\u202f\u3000"), " ")


_SPACE_RUN_RE = re.compile(r"(?<=\S) {2,}(?=\S)")


def normalise_text(text: str) -> str:
    """NFC, ``\\n`` line ends, no zero-width characters, single ordinary spaces, no trailing blanks.

    Every character span the parser reports refers to this normalised text.
    """
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n")
    text = text.translate(_ZERO_WIDTH).translate(_SPACES)
    # Runs of spaces inside a line carry no meaning (tabs do: they separate table cells).
    text = "\n".join(_SPACE_RUN_RE.sub(" ", line.rstrip()) for line in text.split("\n"))
    return text.strip("\n")


@dataclass(frozen=True, slots=True)
class Line:
    """One line of the normalised text; ``start``/``end`` are offsets of ``text`` in the document."""

    number: int  # 1-based
    start: int
    end: int
    text: str

    @property
    def stripped(self) -> str:
        return clean_cell_text(self.text)


def clean_cell_text(text: str) -> str:
    """A line without web-table pipes at its ends ("ỦY BAN NHÂN DÂN |" → "ỦY BAN NHÂN DÂN")."""
    return text.strip().strip("|").strip()


def split_lines(text: str) -> list[Line]:
    lines: list[Line] = []
    pos = 0
    for number, raw in enumerate(text.split("\n"), start=1):
        lines.append(Line(number, pos, pos + len(raw), raw))
        pos += len(raw) + 1
    return lines


class _FoldTable(dict[int, str]):
    """``str.translate`` table folding one character at a time (lower case, no diacritics, đ → d), one character
    for one character so that spans found in the folded text hold in the original."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        base = strip_diacritics(ch)[:1] or unicodedata.normalize("NFD", ch)[0]  # a lone mark stays a mark
        low = base.lower()
        folded = low if len(low) == 1 else base
        self[code] = folded
        return folded


_FOLD_TABLE = _FoldTable()


def fold_text(text: str) -> str:
    """Lower case without diacritics, keeping every character position (same length as ``text``)."""
    return text.translate(_FOLD_TABLE)


DATE_PATTERN = (
    r"(?P<d>\d{1,2})\s*[/.\-]\s*(?P<m>\d{1,2})\s*[/.\-]\s*(?P<y>(?:19|20)\d{2})"
    r"|(?P<d2>\d{1,2})\s+tháng\s+(?P<m2>\d{1,2})\s+năm\s+(?P<y2>(?:19|20)\d{2})"
)
_DATE_RE = re.compile(DATE_PATTERN, re.IGNORECASE)


def parse_vn_date(text: str) -> date | None:
    """``15/10/2022``, ``15-10-2022`` or ``15 tháng 10 năm 2022`` → a date (day first)."""
    m = _DATE_RE.search(text)
    if not m:
        return None
    d, mo, y = (
        (m.group("d"), m.group("m"), m.group("y"))
        if m.group("d")
        else (
            m.group("d2"),
            m.group("m2"),
            m.group("y2"),
        )
    )
    try:
        return date(int(y), int(mo), int(d))
    except ValueError:
        return None


# Lines of web-page furniture: menus, counters, comment forms, footers.
_DEBRIS_RE = re.compile(
    r"^(?:"
    r"(?:thống kê truy cập|liên kết website|tin nổi bật|tin liên quan|tin khác|tin mới|xem thêm|video|"
    r"thăm dò ý kiến|bản đồ hành chính|chia sẻ|in bài|bình luận|gửi bình luận|ý kiến bạn đọc|"
    r"về đầu trang|lên đầu trang|trang chủ|đăng nhập|đăng ký|tìm kiếm|ảnh minh họa|ảnh minh hoạ|"
    r"image banner|menu|tags?|từ khóa|từ khoá|quảng cáo|liên hệ|sitemap|rss)\b.{0,40}"
    r"|(?:họ tên|họ và tên|email|e-mail|bình luận|tiêu đề|nội dung|mã xác nhận|điện thoại)\s*\*.*"
    r"|(?:đang online|đang truy cập|hôm nay|hôm qua|trong tuần|trong tháng|tất cả|tổng số|"
    r"tổng lượt truy cập|lượt xem|lượt truy cập|số lượt truy cập)\s*:\s*[\d.,\s]+"
    r"|(?:bản quyền|copyright|©|@\s*\d{4}|địa chỉ|điện thoại|fax|email|e-mail|website|"
    r"trưởng ban biên tập|chịu trách nhiệm|giấy phép|ghi rõ nguồn|lưu ý)\b.*"
    r"|\^?\s*về đầu trang.*"
    r"|\d{1,2}/\d{1,2}/\d{4}\s+\d{1,2}:\d{2}(?::\d{2})?\s*(?:am|pm|sa|ch)?"
    r"|\[?\d{1,2}/\d{1,2}/\d{4}\s+\d{1,2}:\d{2}\]?"
    r"|https?://\S+|www\.\S+|[\w.-]+\.(?:vn|com|net|org)(?:/\S*)?(?:\s*\(\w+\))?"
    r"|[•·]?\s*$"
    r")$",
    re.IGNORECASE,
)


def is_debris(line: str) -> bool:
    """Web-page furniture that must never become a target or a task."""
    text = clean_cell_text(line).strip(" •·*-–")
    if not text:
        return True
    if _DEBRIS_RE.match(text):
        return True
    # Glued menu entries: many capitalised words without spaces between sentences ("Tra cuu hs mot cua ...").
    words = text.split()
    if len(words) >= 6 and not re.search(r"[.,;:!?%]", text):
        ascii_words = sum(1 for w in words if w.isascii() and w.isalpha())
        if ascii_words / len(words) > 0.6:
            return True
    return False
