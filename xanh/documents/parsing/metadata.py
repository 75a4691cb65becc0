"""Document metadata: number, kind, issuer, date, signer, title and plan period."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date

from xanh.agencies.matching import AgencyMatcher, Place

from .model import DocumentMeta
from .references import KIND_BY_CODE, find_symbols, kind_of_symbol
from .text import Line, clean_cell_text, fold_text, is_debris, parse_vn_date

__all__ = ["extract_metadata"]

_HEAD_LINES = 40

_NUMBER_LINE_RE = re.compile(r"^(?:Số|SỐ|So)\s*[:.]?\s*(?P<rest>.+)$")
_KIND_LINE_RE = re.compile(
    r"^(?P<kind>QUYẾT ĐỊNH|KẾ HOẠCH|CHỈ THỊ|NGHỊ QUYẾT|THÔNG BÁO|CHƯƠNG TRÌNH|ĐỀ ÁN|HƯỚNG DẪN|"
    r"THÔNG TƯ|NGHỊ ĐỊNH|CÔNG VĂN|BÁO CÁO|TỜ TRÌNH|QUY CHẾ|KẾT LUẬN)\b(?P<rest>.*)$"
)
_KIND_NAMES = {
    "QUYẾT ĐỊNH": "Quyết định",
    "KẾ HOẠCH": "Kế hoạch",
    "CHỈ THỊ": "Chỉ thị",
    "NGHỊ QUYẾT": "Nghị quyết",
    "THÔNG BÁO": "Thông báo",
    "CHƯƠNG TRÌNH": "Chương trình",
    "ĐỀ ÁN": "Đề án",
    "HƯỚNG DẪN": "Hướng dẫn",
    "THÔNG TƯ": "Thông tư",
    "NGHỊ ĐỊNH": "Nghị định",
    "CÔNG VĂN": "Công văn",
    "BÁO CÁO": "Báo cáo",
    "TỜ TRÌNH": "Tờ trình",
    "QUY CHẾ": "Quy chế",
    "KẾT LUẬN": "Kết luận",
}
_PLACE_DATE_RE = re.compile(
    r"^(?P<place>[A-ZĐÀ-Ỹ][^\d,|]{1,40}),\s*ngày\s+(?P<d>\d{1,2})\s+tháng\s+(?P<m>\d{1,2})\s+năm\s+(?P<y>\d{4})",
    re.IGNORECASE,
)
_ISSUER_LINE_RE = re.compile(
    r"^(?P<body>ỦY BAN NHÂN DÂN|UỶ BAN NHÂN DÂN|UBND|HỘI ĐỒNG NHÂN DÂN|HĐND)"
    r"(?:\s+(?P<level>TỈNH|THÀNH PHỐ|TP\.?)\s+(?P<place>[A-ZĐÀ-Ỹ][A-ZĐÀ-Ỹ \-]{1,40}))?\s*$"
    r"|^(?P<national>THỦ TƯỚNG CHÍNH PHỦ|CHÍNH PHỦ|QUỐC HỘI|VĂN PHÒNG CHÍNH PHỦ)\s*$"
    r"|^(?P<agency>(?:BỘ|SỞ|BAN|TỔNG CỤC|CỤC)\s+[A-ZĐÀ-Ỹ ,\-–]{3,80})$"
)
_ISSUER_IN_TEXT_RE = re.compile(
    r"của\s+(?:Ủy ban|Uỷ ban|UBND)\s*(?:nhân dân|Nhân dân)?\s+(?P<level>tỉnh|thành phố)\s+"
    r"(?P<place>[A-ZĐÀ-Ỹ][\wÀ-ỹ]*(?:\s+[A-ZĐÀ-Ỹ][\wÀ-ỹ]*){0,3})"
)
_SIGN_RE = re.compile(
    r"^(?:TM\.|KT\.|Q\.|TL\.|TUQ\.|CHỦ TỊCH|PHÓ CHỦ TỊCH|GIÁM ĐỐC|PHÓ GIÁM ĐỐC|THỦ TƯỚNG|PHÓ THỦ TƯỚNG|"
    r"BỘ TRƯỞNG|THỨ TRƯỞNG|CHÁNH VĂN PHÒNG)"
)
_SURNAMES = frozenset(
    """Nguyễn Trần Lê Phạm Hoàng Huỳnh Phan Vũ Võ Đặng Bùi Đỗ Hồ Ngô Dương Lý Đinh Trương Đoàn Lâm Mai Trịnh
    Đào Cao Lương Hà Tạ Chu Quách Lưu Tô Thái Vương Kiều Tống Lục Triệu Mạc Khúc Thân Châu Giang Hứa Tăng Nông
    La Doãn Viên Ninh Kim Âu Lại Hầu Quan Hàn Bạch Chế Phùng Tôn Từ Nghiêm Ông Mẫn Thạch Bế Lò Quàng Sầm Ma
    Diệp Đồng Đàm Lã Hoàng Văn Yên Thiều Cù Giáp Khổng Lù Vi Hà Nguyễn""".split()  # noqa: SIM905
)
_NAME_RE = re.compile(r"(?P<name>(?:[A-ZĐÀ-Ỹ][a-zđà-ỹ]+\s+){1,4}[A-ZĐÀ-Ỹ][a-zđà-ỹ]+)\s*$")
_PERIOD_RE = re.compile(
    r"(?:giai đoạn|thời kỳ|GIAI ĐOẠN|THỜI KỲ)?\s*((?:19|20)\d{2})\s*[-–—]\s*((?:19|20)\d{2})"
)
_UNTIL_RE = re.compile(r"(?:đến|ĐẾN)\s+(?:năm|NĂM)\s+((?:19|20)\d{2})")
_TIMESTAMP_RE = re.compile(r"^\[?\d{1,2}/\d{1,2}/\d{4}(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?\]?\s*(?:AM|PM)?$")


def _place_name(raw: str, places: list[Place]) -> tuple[str, str | None]:
    """Proper spelling of a province name written in capitals, and its type."""
    key = fold_text(" ".join(raw.split()))
    for place in places:
        if fold_text(place.name) == key:
            return place.name, place.type
    return " ".join(w.capitalize() for w in raw.split()), None


def _issuer_from_line(
    text: str, places: list[Place], matcher: AgencyMatcher, place_hint: str | None
) -> str | None:
    m = _ISSUER_LINE_RE.match(text)
    if not m:
        return None
    if m.group("national"):
        return (
            m.group("national").capitalize().replace("chính phủ", "Chính phủ").replace("quốc hội", "Quốc hội")
        )
    if m.group("agency"):
        match = matcher.resolve(m.group("agency"))
        return match.name if match is not None else m.group("agency").strip().capitalize()
    body = "HĐND" if m.group("body") in ("HỘI ĐỒNG NHÂN DÂN", "HĐND") else "UBND"
    raw_place = m.group("place") or place_hint
    if not raw_place:
        return None
    name, typ = _place_name(raw_place, places)
    level = m.group("level")
    if level:
        level_word = "tỉnh" if level.upper().startswith("TỈNH") else "thành phố"
    else:
        level_word = "thành phố" if typ == "city" else "tỉnh"
    return f"{body} {level_word} {name}"


def _signer(lines: list[Line]) -> str | None:
    for i, line in enumerate(lines):
        text = clean_cell_text(line.text)
        if not _SIGN_RE.match(text):
            continue
        for candidate in [text] + [
            clean_cell_text(lines[j].text) for j in range(i + 1, min(len(lines), i + 8))
        ]:
            if candidate.startswith(("Nơi nhận", "NƠI NHẬN", "(Đã ký", "Đã ký")):
                continue
            m = _NAME_RE.search(candidate)
            if m:
                name = m.group("name").split()
                # Drop leading capitalised words that are not part of the name ("Chủ tịch Lê Ánh Dương").
                while len(name) > 2 and name[0] not in _SURNAMES:
                    name = name[1:]
                if name[0] in _SURNAMES or len(name) >= 3:
                    return " ".join(name)
    return None


def _title_after_kind_line(lines: list[Line], start: int) -> str | None:
    """The title under "QUYẾT ĐỊNH"/"KẾ HOẠCH": lines in capitals, or one line in sentence case."""
    parts: list[str] = []
    for line in lines[start + 1 : start + 6]:
        text = clean_cell_text(line.text)
        if not text:
            if parts:
                break
            continue
        if text.startswith(
            ("Căn cứ", "CĂN CỨ", "(Ban hành", "(ban hành", "Kính gửi", "(Văn bản", "(Kèm theo")
        ):
            break
        if re.match(r"^(?:[IVX]{1,6}|\d{1,2})\s*[.)]\s", text):
            break  # the first numbered heading of the body
        is_caps = text.upper() == text and any(ch.isalpha() for ch in text)
        if is_caps and not _ISSUER_LINE_RE.match(text) and not _KIND_LINE_RE.match(text):
            parts.append(text)
            continue
        if (
            not parts
            and len(text.split()) <= 35
            and not text.endswith((".", ";", ":"))
            and not find_symbols(text)
        ):
            parts.append(text)
        break
    return " ".join(parts) if parts else None


def _news_title(lines: list[Line]) -> str | None:
    head = [clean_cell_text(line.text) for line in lines[:_HEAD_LINES]]
    counts = Counter(t for t in head if t and not is_debris(t) and len(t.split()) >= 4)
    repeated = [t for t, c in counts.items() if c >= 2 and not t.endswith(".")]
    if repeated:
        return repeated[0]
    for i, text in enumerate(head):
        if _TIMESTAMP_RE.match(text):
            for j in range(i - 1, -1, -1):
                if head[j] and not is_debris(head[j]):
                    return head[j]
    for text in head:
        words = text.split()
        if 5 <= len(words) <= 40 and not text.endswith((".", ":")) and not is_debris(text):
            if text.upper() == text:
                continue  # a site name in capitals
            return text
    return None


def extract_metadata(
    lines: list[Line], text: str, matcher: AgencyMatcher, places: list[Place]
) -> DocumentMeta:
    meta = DocumentMeta()
    head = lines[:_HEAD_LINES]
    kind_line_index: int | None = None
    place_hint: str | None = None

    for line in head:
        clean = clean_cell_text(line.text)
        m = _NUMBER_LINE_RE.match(clean)
        if m and meta.number is None:
            symbols = find_symbols(m.group("rest"))
            if symbols:
                meta.number = symbols[0].number
        pd = _PLACE_DATE_RE.match(clean)
        if pd and meta.issued_on is None:
            try:
                meta.issued_on = date(int(pd.group("y")), int(pd.group("m")), int(pd.group("d")))
            except ValueError:
                meta.issued_on = None
            place_hint = pd.group("place").strip()

    for i, line in enumerate(head):
        clean = clean_cell_text(line.text)
        km = _KIND_LINE_RE.match(clean)
        if km and clean.upper() == clean:
            rest = km.group("rest").strip()
            if not rest or rest in (":",):
                if kind_line_index is None:
                    kind_line_index = i
                    meta.kind = _KIND_NAMES[km.group("kind")]
            elif meta.number is None:
                symbols = find_symbols(rest)
                if symbols:
                    meta.number = symbols[0].number
                    meta.kind = meta.kind or _KIND_NAMES[km.group("kind")]
                    if meta.issued_on is None:
                        meta.issued_on = parse_vn_date(rest)

    if meta.number is None:
        annexed = re.search(
            r"\((?:Ban hành )?[Kk]èm theo\s+(?:Quyết định|Nghị quyết|Kế hoạch)\s+số\s+([^\s)]+)", text
        )
        if annexed:
            symbols = find_symbols(annexed.group(1))
            if symbols:
                meta.number = symbols[0].number
    if meta.number is not None:
        implied = kind_of_symbol(meta.number)
        if implied and (meta.kind is None or implied in KIND_BY_CODE.values()):
            meta.kind = implied

    # A news page has a site header in capitals, not an issuer: only documents have issuers.
    if meta.number is not None or meta.kind is not None:
        for line in head:
            issuer = _issuer_from_line(clean_cell_text(line.text), places, matcher, place_hint)
            if issuer:
                meta.issuer = issuer
                break
    if meta.issuer is None and meta.number:
        im = _ISSUER_IN_TEXT_RE.search(text[:20000])
        if im:
            name, _typ = _place_name(im.group("place"), places)
            meta.issuer = f"UBND {im.group('level')} {name}"

    if meta.issued_on is None and meta.number:
        pos = text.find(meta.number.split("/")[0] + "/")
        if pos >= 0:
            meta.issued_on = parse_vn_date(text[pos : pos + 80])

    meta.signer = _signer(lines)
    if kind_line_index is not None:
        meta.title = _title_after_kind_line(head, kind_line_index)
    if meta.title is None and meta.number is None:
        meta.title = _news_title(lines)
        if meta.issued_on is None:
            # A news page: its publication stamp "[15/08/2024 09:30]" dates the text.
            for line in head:
                clean = clean_cell_text(line.text)
                if _TIMESTAMP_RE.match(clean):
                    meta.issued_on = parse_vn_date(clean)
                    break
    elif meta.title is None and lines and meta.number and meta.number in lines[0].text:
        meta.title = clean_cell_text(lines[0].text)  # a web page title such as "QUYẾT ĐỊNH 1026/QĐ-UBND ..."

    meta.period = _period(meta, text)
    return meta


def _period(meta: DocumentMeta, text: str) -> tuple[int, int] | None:
    sources = [meta.title or ""]
    for source in sources:
        m = _PERIOD_RE.search(source)
        if m:
            start, end = int(m.group(1)), int(m.group(2))
            if start < end <= start + 50:
                return (start, end)
        u = _UNTIL_RE.search(source)
        if u and meta.issued_on:
            end = int(u.group(1))
            if end > meta.issued_on.year:
                return (meta.issued_on.year, end)
    # Plans restate their period in the annex title ("KẾ HOẠCH ... GIAI ĐOẠN 2021-2030").
    for m in re.finditer(
        r"(?:KẾ HOẠCH|Kế hoạch|CHƯƠNG TRÌNH|Chương trình)[^\n.;]{0,160}?((?:19|20)\d{2})\s*[-–—]\s*((?:19|20)\d{2})",
        text[:30000],
    ):
        start, end = int(m.group(1)), int(m.group(2))
        if start < end <= start + 50:
            return (start, end)
    for m in re.finditer(r"(?:Kế hoạch|KẾ HOẠCH)[^\n.;]{0,160}?đến năm\s+((?:19|20)\d{2})", text[:30000]):
        if meta.issued_on:
            end = int(m.group(1))
            if end > meta.issued_on.year:
                return (meta.issued_on.year, end)
    return None
