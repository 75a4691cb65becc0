"""Targets: quantitative targets and milestones, in the numbered list and in running text.

A quantity is a number with a unit ("37%", "17.000 ha", "1,5 – 2,0%/năm") or a number right after a
target verb ("đạt 0,85"). Its comparator and direction come from the words just before it
("đạt trên", "ít nhất", "giảm", "khoảng"), its subject from the noun phrase before the verb (or after
the number: "giảm 65% túi nilon ..."). In the specific-targets section every list item is a target
(a milestone when it has no quantity); elsewhere a sentence is a target only when it says so
("phấn đấu", "mục tiêu", "đến năm 2030" in the future) and is not a report of what was achieved
("năm 2022 đạt 35%", "đã có 627 xe buýt điện").
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from .model import Baseline, Component, Target
from .numbers import NUMBER_PATTERN, parse_vn_number
from .structure import Item, Outline
from .text import Line, fold_text, is_debris

__all__ = ["Quantity", "extract_targets", "find_quantities", "is_targets_heading"]

# Units, longest first. Counting nouns are units too ("500 xe", "20 trạm").
_UNITS = sorted(
    [
        "%",
        "‰",
        "phần trăm",
        "điểm phần trăm",
        "điểm %",
        "triệu tấn CO2tđ",
        "tấn CO2tđ",
        "triệu tấn CO2e",
        "tấn CO2e",
        "triệu tấn CO2",
        "tấn CO2",
        "tCO2e",
        "tCO2",
        "triệu tấn",
        "nghìn tấn",
        "tấn",
        "kg",
        "ha",
        "héc-ta",
        "hecta",
        "km2",
        "km²",
        "km",
        "m2",
        "m²",
        "m3",
        "m³",
        "lít",
        "MWp",
        "MW",
        "GW",
        "kWp",
        "kW",
        "kWh",
        "MWh",
        "GWh",
        "tỷ kWh",
        "triệu kWh",
        "triệu TOE",
        "nghìn TOE",
        "KTOE",
        "TOE",
        "nghìn tỷ đồng",
        "tỷ đồng",
        "triệu đồng",
        "nghìn đồng",
        "đồng",
        "triệu USD",
        "tỷ USD",
        "USD",
        "lần",
        "người",
        "lao động",
        "hộ",
        "xã",
        "phường",
        "huyện",
        "doanh nghiệp",
        "hợp tác xã",
        "HTX",
        "cơ sở",
        "trạm",
        "xe",
        "chiếc",
        "phương tiện",
        "sản phẩm",
        "mô hình",
        "dự án",
        "công trình",
        "làng nghề",
        "khu",
        "cụm",
        "trường",
        "điểm",
        "giờ",
        "ngày",
        "tháng",
        "cây",
        "triệu cây",
        "con",
        "tuổi",
        "giường bệnh",
        "bác sĩ",
        "đô thị",
        "thôn",
        "bản",
        "tuyến",
        "cửa hàng",
        "siêu thị",
    ],
    key=len,
    reverse=True,
)
_UNIT_ALT = "|".join(re.escape(u) for u in _UNITS)
_UNIT_RE = re.compile(
    rf"\s*(?P<unit>(?:(?:nghìn|ngàn|triệu|tỷ)\s+)?(?:{_UNIT_ALT}))(?P<per>(?:\s*/\s*(?:năm|người|hộ|ha|tháng|ngày|km2|km²|lao động|xã|GRDP|GDP)){{0,2}})"
    r"(?P<base>\s+(?:GRDP|GDP)\b)?(?![\wÀ-ỹ])",
    re.IGNORECASE,
)
_NUMBER_RE = re.compile(rf"(?<![\w.,/\-–])(?:{NUMBER_PATTERN})")
_RANGE_TAIL_RE = re.compile(rf"\s*(?P<u1>%)?\s*(?:[-–—÷]|đến|tới)\s*(?P<n2>{NUMBER_PATTERN})", re.IGNORECASE)

# Words before a number (folded: lower case, no diacritics).
_VERBS = (
    "giam xuong con",
    "giam xuong",
    "giam con",
    "giam",
    "ha xuong con",
    "ha xuong",
    "xuong con",
    "xuong",
    "tang len",
    "tang them",
    "tang",
    "nang len",
    "nang",
    "len",
    "dat muc",
    "dat ty le",
    "dat",
    "chiem",
    "o muc",
    "bang",
    "duy tri on dinh o muc",
    "duy tri on dinh",
    "duy tri o muc",
    "duy tri muc",
    "duy tri",
    "giu vung o muc",
    "giu on dinh o muc",
    "on dinh o muc",
    "on dinh",
    "giu vung",
    "giu o muc",
    "giu on dinh",
    "con",
    "co",
)
_COMPARATORS = (
    "it nhat",
    "toi thieu",
    "khong duoi",
    "khong thap hon",
    "khong it hon",
    "tren",
    "hon",
    "vuot",
    "cao hon",
    "khoang",
    "xap xi",
    "gan",
    "chung",
    "duoi",
    "thap hon",
    "khong qua",
    "toi da",
    "khong vuot qua",
    "khong cao hon",
    "khong lon hon",
    "tu",
)
_LEFT_RE = re.compile(
    r"(?:(?<![a-z])(?:phai|can|se|duoc)\s+)?"
    r"(?:(?<![a-z])(?P<verb>"
    + "|".join(_VERBS)
    + r")\s+(?:(?:binh quan|trung binh|moi nam|hang nam|them)\s+)?)?"
    r"(?:(?<![a-z])(?P<cmp>" + "|".join(_COMPARATORS) + r")\s+)?$"
)
_CMP_MAP = {
    "it nhat": ">=",
    "toi thieu": ">=",
    "khong duoi": ">=",
    "khong thap hon": ">=",
    "khong it hon": ">=",
    "tren": ">",
    "hon": ">",
    "vuot": ">",
    "cao hon": ">",
    "khoang": "approx",
    "xap xi": "approx",
    "gan": "approx",
    "chung": "approx",
    "duoi": "<",
    "thap hon": "<",
    "khong qua": "<=",
    "toi da": "<=",
    "khong vuot qua": "<=",
    "khong cao hon": "<=",
    "khong lon hon": "<=",
}
_DECREASE = ("giam", "ha", "xuong", "con")
_INCREASE = ("tang", "nang", "len")

_METRIC_NOUNS = (
    "ty le",
    "ti le",
    "ty trong",
    "ti trong",
    "dien tich",
    "so luong",
    "chi so",
    "muc",
    "tong",
    "luong",
    "cuong do",
    "nang suat",
    "thu nhap",
    "grdp",
    "gdp",
    "do che phu",
    "tieu hao",
    "phat thai",
    "toc do",
    "gia tri",
    "san luong",
    "quy mo",
    "mat do",
    "he so",
    "dan so",
    "co cau",
    "kim ngach",
    "so",
    "nguon",
)
_METRIC_START_RE = re.compile(
    r"(?:^|[,;:(]\s*|\bva\s+|\bcon\s+|\bcua\s+|\b(?:19|20)\d{2}\s+|\b(?:muc tieu|phan dau|cho biet)\s+)"
    r"(?P<m>(?:" + "|".join(_METRIC_NOUNS) + r"))\b"
)
# Words that end the part of a sentence that is not the subject: "..., cho biết, tỉnh phấn đấu đến năm 2030".
_CUE_CUT_RE = re.compile(
    r"\b(?:muc tieu|phan dau|huong toi|dam bao|bao dam|cho biet|de ra|dat ra|yeu cau)\b"
    r"(?:\s+(?:den|vao|toi|den het|trong)\s+nam,?\s*(?:19|20)\d{2})?[\s,:]*"
)
_CUE_END_RE = re.compile(
    r"(?:muc tieu|huong toi|phan dau|dam bao|bao dam|nham|de|phan dau dat|can dat|phai dat|"
    r"(?:den|vao|toi|den het) nam,?\s*(?:19|20)\d{2}|nam,?\s*(?:19|20)\d{2})\s*[,:]?\s*$"
)
_LEADING_CUE_RE = re.compile(
    r"^(?:\s|,|;|:|\(|-|–|\bva\b|\bcon\b|\btrong do\b|\bphan dau\b|\bhuong toi\b|\bmuc tieu\b|\bchi tieu\b|"
    r"\bdam bao\b|\bbao dam\b|\bcu the\b|\bdong thoi\b|\b(?:den|vao|toi|den het|trong) nam,?\s*\d{4}\b|"
    r"\bnam,?\s*\d{4}\b|\bgiai doan\s*\d{4}\s*[-–]\s*\d{4}\b)+"
)
_RIGHT_SUBJECT_STOP_RE = re.compile(
    r"\s+(?:vào|đến|tới|trong)\s+(?:năm|giai đoạn)|\s+so với|\s*[;.(:]|\s+và\s+(?:loại bỏ|tiến tới|hướng)|$",
    re.IGNORECASE,
)
_STRONG_CUE_RE = re.compile(r"\b(?:phan dau|muc tieu|chi tieu|huong toi|can dat|phai dat|nham dat)\b")
_WEAK_CUE_RE = re.compile(
    r"\b(?:den|vao|toi|den het|trong|truoc) nam,?\s*((?:19|20)\d{2})\b|\b(?:dam bao|bao dam) den\b|\bden ((?:19|20)\d{2})\b"
)
_PAST_RE = re.compile(
    r"\bđã\b|\bđạt được\b|\bhiện nay\b|\bhiện tại\b|\bhiện có\b|\btính đến\b|\bước đạt\b|\bước tính\b|"
    r"\bnăm qua\b|\bvừa qua\b|\bcùng kỳ\b|\bthực hiện được\b|\bkết quả\b",
    re.IGNORECASE,
)
_YEAR_BEFORE_RE = re.compile(
    r"(?P<pre>\b\w+\s+)?năm,?\s*(?P<y>(?:19|20)\d{2})\b[^;.\d]{0,40}$", re.IGNORECASE
)
_YEAR_RE = re.compile(
    r"(?P<pre>(?:đến|vào|tới|đến hết|trong|đến cuối|cuối)\s+)?năm,?\s*(?P<y>(?:19|20)\d{2})"
    r"|(?:đến|tới)\s+(?P<y2>(?:19|20)\d{2})\b"
    r"|giai đoạn\s*(?:19|20)\d{2}\s*[-–—]\s*(?P<y3>(?:19|20)\d{2})",
    re.IGNORECASE,
)
_BASELINE_BEFORE_RE = re.compile(
    rf"(?P<verb>\b(?:tăng|giảm|nâng|hạ)\s+)?từ\s+(?:mức\s+)?(?P<v>{NUMBER_PATTERN})\s*[^\d()]{{0,24}}?"
    r"\s*(?:\(?\s*(?:năm|vào năm)\s+(?P<y>(?:19|20)\d{2})\s*\)?)?\s*,?\s*(?:lên|xuống|còn|đến)\s*(?:mức\s+)?$",
    re.IGNORECASE,
)
_BASELINE_PAREN_RE = re.compile(
    rf"\(\s*năm\s+(?P<y>(?:19|20)\d{{2}})\s*(?::|là|đạt)?\s*(?P<v>{NUMBER_PATTERN})\s*(?:%|[^\d\s)]{{0,12}})?\s*\)",
    re.IGNORECASE,
)
_TARGET_HEAD_RE = re.compile(r"^(?:[ivx\d.)\s]+)?(?:(?:cac|mot so|he thong|nhom)\s+)?(?:muc tieu|chi tieu)\b")
_TARGET_KIND_RE = re.compile(r"\b(?:muc tieu|chi tieu)\s+(?:cu the|chu yeu|chinh|dinh luong|phan dau)\b")
_TASK_WORDS_RE = re.compile(r"\b(?:nhiem vu|giai phap|to chuc thuc hien)\b")
_NOT_TARGET_HEAD_RE = re.compile(r"\b(?:chung|tong quat|tong the|quan diem|dinh huong|tam nhin)\b")
_YEAR_ONLY_HEAD_RE = re.compile(
    r"^(?:den|vao|giai doan|trong)?\s*(?:nam\s*)?(?:19|20)\d{2}(?:\s*[-–]\s*(?:19|20)\d{2})?$"
)


def is_targets_heading(heading: str) -> bool:
    """ "Mục tiêu cụ thể đến năm 2030", "Các chỉ tiêu chủ yếu" (not "... gắn với các mục tiêu TTX")."""
    folded = fold_text(heading).strip()
    if _NOT_TARGET_HEAD_RE.search(folded) or _TASK_WORDS_RE.search(folded):
        return False
    return bool(_TARGET_HEAD_RE.match(folded) or _TARGET_KIND_RE.search(folded))


@dataclass(slots=True)
class Quantity:
    start: int  # first character of the number (or of "từ" in "từ 15 đến 20%")
    end: int  # after the unit
    verb_start: int  # first character of the verb/comparator phrase, or ``start``
    value: float | None
    low: float | None
    high: float | None
    unit: str | None
    comparator: str
    direction: str | None
    has_verb: bool
    verb: str | None


def _unit_at(text: str, pos: int) -> tuple[str | None, int]:
    m = _UNIT_RE.match(text, pos)
    if not m:
        return None, pos
    unit = m.group("unit")
    per = re.sub(r"\s+", "", m.group("per") or "")
    base = (m.group("base") or "").strip()
    if unit.lower() == "phần trăm":
        unit = "%"
    full = unit + per + (f" {base}" if base else "")
    return full, m.end()


def find_quantities(
    text: str, start: int = 0, end: int | None = None, masks: list[tuple[int, int]] | None = None
) -> list[Quantity]:
    """Quantities in ``text[start:end]`` (offsets are offsets in ``text``)."""
    end = len(text) if end is None else end
    masks = masks or []
    out: list[Quantity] = []
    consumed = start
    for m in _NUMBER_RE.finditer(text, start, end):
        if m.start() < consumed or any(a <= m.start() < b for a, b in masks):
            continue
        first = parse_vn_number(m.group())
        if first is None:
            continue
        num_end = m.end()
        low = high = value = None
        unit: str | None = None
        tail = _RANGE_TAIL_RE.match(text, num_end, end)
        q_end = num_end
        is_range = False
        if tail:
            second = parse_vn_number(tail.group("n2"))
            unit2, unit2_end = _unit_at(text, tail.end())
            if second is not None and (unit2 or tail.group("u1")) and second > first:
                low, high = first, second
                unit = unit2 or "%"
                q_end = unit2_end if unit2 else tail.end()
                is_range = True
        if not is_range:
            unit, q_end = _unit_at(text, num_end)
            value = first
            if unit is None and 1900 <= first <= 2100 and float(first).is_integer():
                continue  # a year
        left_start = max(start, m.start() - 48)
        left_raw = text[left_start : m.start()]
        cut = max(left_raw.rfind(";"), left_raw.rfind("\n"), left_raw.rfind(". "))
        if cut >= 0:
            left_start += cut + 1
        left = fold_text(text[left_start : m.start()])
        lm = _LEFT_RE.search(left)
        verb = lm.group("verb") if lm else None
        cmp_word = lm.group("cmp") if lm else None
        if verb == "co" and not cmp_word:
            verb = None  # "có 20 xã": a count, not a target verb
        verb_start = left_start + lm.start() if lm and (verb or cmp_word) else m.start()
        if unit is None:
            after = text[q_end : q_end + 12]
            decimal = "," in m.group() or "." in m.group()
            closes = bool(re.match(r"\s*(?:[.;,)]|$|vào\b|đến\b|trong\b|năm\b)", after))
            if not (verb and verb not in ("co", "con", "len") and (decimal or closes)):
                continue
        comparator = "="
        if is_range:
            comparator = "range"
        elif cmp_word == "tu":
            comparator = "="
        elif cmp_word:
            comparator = _CMP_MAP.get(cmp_word, "=")
        right = fold_text(text[q_end : q_end + 12])
        if not is_range and re.match(r"\s*tro len\b", right):
            comparator = ">="
            q_end += len(re.match(r"\s*tro len", right).group())  # type: ignore[union-attr]
        elif not is_range and re.match(r"\s*tro xuong\b", right):
            comparator = "<="
            q_end += len(re.match(r"\s*tro xuong", right).group())  # type: ignore[union-attr]
        direction: str | None = "reach"
        if verb:
            if verb.startswith(_DECREASE):
                direction = "decrease"
            elif verb.startswith(_INCREASE):
                direction = "increase"
        out.append(
            Quantity(
                start=m.start(),
                end=q_end,
                verb_start=verb_start,
                value=value,
                low=low,
                high=high,
                unit=unit,
                comparator=comparator,
                direction=direction,
                has_verb=bool(verb or cmp_word),
                verb=verb,
            )
        )
        consumed = q_end
    return out


_TRAILING_YEAR_RE = re.compile(
    r"[\s,:;]*(?:(?:đến|vào|trong|tới|đến hết)\s+)?năm,?\s*(?:19|20)\d{2}\s*$", re.IGNORECASE
)


def _clean_subject(text: str) -> str | None:
    text = _TRAILING_YEAR_RE.sub("", " ".join(text.split()))  # "...: đến năm 2025" is context, not subject
    text = text.strip(" ,;:-–(")
    text = re.sub(r"\s*\($", "", text)
    if len(text) > 300:
        cut = text.rfind(" ", 0, 300)
        text = text[: cut if cut > 0 else 300]
    return text or None


# "..., trong đó thành thị 100%", "riêng khu vực nông thôn đạt 95%": a breakdown of the main subject.
_BREAKDOWN_RE = re.compile(r"^\W*(?:trong do|rieng|rieng doi voi|doi voi)\b\W*")
_LEADING_VERB_RE = re.compile(
    r"^\s*(?:giam|tang|nang|ha|dua|phan dau dua|phan dau nang|keo giam)\s+(?=(?:"
    + "|".join(_METRIC_NOUNS)
    + r")\b)"
)
_OBJECT_END_RE = re.compile(r"\b(?:cho|cua|tai|o|voi|doi voi|trong|tren)\s*$")


def _right_subject(text: str, q: Quantity, seg_end: int) -> str | None:
    right = text[q.end : seg_end]
    stop = _RIGHT_SUBJECT_STOP_RE.search(right)
    words = (right[: stop.start()] if stop else right).split()
    return _clean_subject(" ".join(words[:25])) if words else None


def _subject(text: str, seg_start: int, left_end: int, q: Quantity, seg_end: int) -> tuple[str | None, bool]:
    """The component's subject and whether it was read after the number.

    "Tỷ lệ che phủ rừng đạt 42%" → before; "giảm 65% túi nilon ..." and "100% các KCN có ..." → after.
    """
    left = text[seg_start:left_end]
    folded = fold_text(left)
    stripped_end = folded.rstrip(" ,:")
    has_metric = _METRIC_START_RE.search(folded) is not None
    use_right = (
        not stripped_end.strip()
        or bool(_CUE_END_RE.search(stripped_end))
        or bool(_OBJECT_END_RE.search(stripped_end))
        or (not q.has_verb and not has_metric)
    )
    if use_right:
        right = _right_subject(text, q, seg_end)
        if right:
            return right, True
    # Start after the last cue ("... cho biết, tỉnh phấn đấu đến năm 2030") and at the last metric noun
    # that opens a clause ("..., tỷ lệ độ che phủ rừng").
    cue = None
    for m in _CUE_CUT_RE.finditer(folded):
        cue = m
    if cue is not None and cue.end() < len(folded.rstrip()):
        left = left[cue.end() :]
        folded = folded[cue.end() :]
    best = None
    for m in _METRIC_START_RE.finditer(folded):
        best = m
    if best is not None:
        left = left[best.start("m") :]
        folded = folded[best.start("m") :]
    lead = _LEADING_CUE_RE.match(folded)
    if lead:
        left = left[lead.end() :]
        folded = folded[lead.end() :]
    verb = _LEADING_VERB_RE.match(folded)
    if verb:
        left = left[verb.end() :]  # "nâng tỷ lệ đèn LED lên 80%": the subject is "tỷ lệ đèn LED"
    return _clean_subject(left), False


def _year_near(
    text: str,
    seg_start: int,
    seg_end: int,
    q: Quantity,
    exclude: list[tuple[int, int]] | None = None,
    next_start: int | None = None,
) -> int | None:
    """The target year of a quantity: "đến năm 2030" in its clause (not "so với năm 2014", not a baseline).

    In "đến năm 2025 đạt 85%, đến năm 2030 đạt 95%" the second year belongs to the second value.
    """
    best: tuple[int, int] | None = None
    for m in _YEAR_RE.finditer(text, seg_start, seg_end):
        if exclude and any(a <= m.start() < b for a, b in exclude):
            continue
        belongs_to_next = next_start is not None and q.end <= m.start() < next_start
        if belongs_to_next and re.search(r"[,;]", text[q.end : m.start()]):
            continue
        before = fold_text(text[max(seg_start, m.start() - 10) : m.start()])
        if "so voi" in before:
            continue
        year = int(m.group("y") or m.group("y2") or m.group("y3"))
        distance = abs(m.start() - q.start)
        explicit = bool(m.group("pre") or m.group("y2") or m.group("y3"))
        score = distance - (1000 if explicit else 0)
        if best is None or score < best[0]:
            best = (score, year)
    return best[1] if best else None


@dataclass(slots=True)
class _BaselineHit:
    baseline: Baseline | None
    start: int  # where the baseline phrase starts (the subject ends there)
    end: int
    verb: str | None


def _baseline_before(text: str, clause_start: int, q: Quantity) -> _BaselineHit | None:
    """ "tăng từ 35% (năm 2020) lên 42%": the phrase before the target value."""
    window_start = max(clause_start, q.start - 100)
    m = _BASELINE_BEFORE_RE.search(text, window_start, q.start)
    if not m:
        return None
    value = parse_vn_number(m.group("v"))
    baseline = Baseline(value, int(m.group("y"))) if value is not None and m.group("y") else None
    verb = fold_text(m.group("verb")).strip() if m.group("verb") else None
    return _BaselineHit(baseline, m.start(), q.start, verb)


def _baseline_after(text: str, q: Quantity) -> _BaselineHit | None:
    """ "đạt 42% (năm 2020: 35%)": a baseline in brackets right after the target value."""
    m = _BASELINE_PAREN_RE.match(text, q.end + (len(text[q.end :]) - len(text[q.end :].lstrip())))
    if not m:
        return None
    value = parse_vn_number(m.group("v"))
    if value is None:
        return None
    return _BaselineHit(Baseline(value, int(m.group("y"))), m.start(), m.end(), None)


def _is_baseline_of_next(text: str, q: Quantity, following: Quantity | None) -> bool:
    if following is None:
        return False
    between = fold_text(text[q.end : following.start])
    return bool(
        re.fullmatch(
            r"\s*(?:\(?\s*(?:vao\s+)?nam\s+\d{4}\s*\)?)?\s*,?\s*(?:len|xuong|con|den)\s*(?:muc\s*)?", between
        )
    )


def _components(
    text: str, seg_start: int, seg_end: int, quantities: list[Quantity]
) -> list[tuple[Component, int | None]]:
    comps: list[tuple[Component, int | None]] = []
    prev_end = seg_start
    main_subject: str | None = None
    for i, q in enumerate(quantities):
        nxt = quantities[i + 1] if i + 1 < len(quantities) else None
        if _is_baseline_of_next(text, q, nxt):
            continue  # "từ 62 triệu đồng (năm 2024) lên 110 triệu đồng": 62 is the baseline of 110
        clause_start = prev_end
        between = text[prev_end : q.verb_start]
        semi = max(between.rfind(";"), between.rfind("\n"))
        if semi >= 0:
            clause_start = prev_end + semi + 1
        hit = _baseline_before(text, clause_start, q) or _baseline_after(text, q)
        left_end = hit.start if hit is not None and hit.end <= q.start else q.verb_start
        inner = fold_text(text[clause_start:left_end])
        paren_open = text.rfind("(", seg_start, q.start)
        paren_close = text.rfind(")", seg_start, q.start)
        in_breakdown = paren_open > paren_close and "trong do" in fold_text(text[paren_open : q.start])
        marker = _BREAKDOWN_RE.match(inner)
        breakdown = in_breakdown or marker is not None
        after_marker = inner[marker.end() :] if marker else inner
        scope = None
        subject: str | None
        if breakdown and main_subject and not _METRIC_START_RE.match(after_marker):
            raw = text[clause_start:left_end]
            scope = _clean_subject(
                raw[marker.end() :] if marker else re.sub(r"^\W*trong đó\W*", "", raw, flags=re.I)
            )
            subject, from_right = main_subject, False
        else:
            start_at = clause_start + (marker.end() if marker else 0)
            subject, from_right = _subject(text, start_at, left_end, q, seg_end)
        if subject is None and main_subject is not None:
            subject = main_subject  # "..., đến năm 2030 đạt 95%": the same measure for another year
        direction = q.direction
        if hit is not None and hit.verb:
            direction = "decrease" if hit.verb.startswith(_DECREASE) else "increase"
        exclude = [(hit.start, hit.end)] if hit is not None else None
        comp = Component(
            subject=subject,
            value=q.value,
            low=q.low,
            high=q.high,
            unit=q.unit,
            comparator=q.comparator,
            direction=direction,
            scope=scope,
            baseline=hit.baseline if hit is not None else None,
            span=(q.verb_start, q.end),
        )
        if subject and main_subject is None:
            main_subject = subject
        next_start = nxt.start if nxt is not None else None
        year = _year_near(text, clause_start, seg_end, q, exclude, next_start)
        if year is None and clause_start > seg_start:
            year = _year_near(
                text, seg_start, seg_end, q, exclude, next_start
            )  # "đến năm 2027 ...; ... giảm 15%"
        comps.append((comp, year))
        prev_end = max(q.end, hit.end if hit is not None else q.end)
        if from_right and subject:
            found = text.find(subject, q.end, seg_end)
            if found >= 0:
                prev_end = found + len(subject)
    return comps


@dataclass(slots=True)
class _Context:
    text: str
    masks: list[tuple[int, int]]
    reference_year: int | None
    period_end: int | None
    line_starts: list[int]

    def line_of(self, offset: int) -> int:
        return bisect_right(self.line_starts, offset)


def _context_year(item: Item, root: Item | None) -> int | None:
    """ "Mục tiêu cụ thể đến năm 2030" or "Đến năm 2025" in the headings above an item."""
    for node in item.ancestors():
        if not node.structural:
            continue
        for m in _YEAR_RE.finditer(node.heading):
            year = m.group("y") or m.group("y2") or m.group("y3")
            if year:
                return int(year)
        if node is root:
            break
    return None


def _pillar(item: Item, root: Item) -> str | None:
    node = item.parent
    pillar: str | None = None
    while node is not None and node is not root:
        if node.structural or node.style == "paren":
            heading = node.heading.rstrip(".:;").strip()
            if heading and not _YEAR_ONLY_HEAD_RE.match(fold_text(heading)):
                pillar = heading
        node = node.parent
    return pillar


def _section_of(item: Item | None) -> str | None:
    node = item
    while node is not None and not node.structural:
        node = node.parent
    return node.id if node is not None else None


def _find_target_roots(outline: Outline) -> list[Item]:
    candidates = [i for i in outline.items if i.structural and is_targets_heading(i.heading)]
    roots = []
    for item in candidates:
        # The deepest targets heading wins: "II. MỤC TIÊU" holds "2. Mục tiêu cụ thể".
        if any(d in candidates for d in item.descendants()):
            continue
        roots.append(item)
    return roots


def _target_candidates(root: Item, document: str) -> list[Item]:
    out: list[Item] = []

    def walk(node: Item) -> None:
        for child in node.children:
            has_structure = any(c.structural or c.style == "paren" for c in child.children)
            bullets_only = child.children and all(c.style == "bullet" for c in child.children)
            if has_structure:
                walk(child)
            elif bullets_only and not find_quantities(document, child.content_start, child.children[0].start):
                walk(child)  # a pillar heading with bulleted targets under it
            else:
                out.append(child)

    walk(root)
    return out


_TABLE_NAME_RE = re.compile(r"^(?:ten\s+)?(?:chi tieu|muc tieu|noi dung|chi so)\b")
_TABLE_UNIT_RE = re.compile(r"^(?:don vi(?: tinh)?|dvt)$")
_TABLE_STT_RE = re.compile(r"^(?:stt|tt|so tt)$")
_TABLE_YEAR_RE = re.compile(
    r"(?:nam|den nam|muc tieu(?: nam| den nam)?|ke hoach(?: nam)?)?\s*((?:19|20)\d{2})\s*$"
)
_CELL_VALUE_RE = re.compile(
    rf"^(?P<cmp>≥|>=|≤|<=|>|<|tren|duoi|it nhat|toi thieu|khong qua|toi da|khoang)?\s*"
    rf"(?P<a>{NUMBER_PATTERN})(?:\s*[-–—÷]\s*(?P<b>{NUMBER_PATTERN}))?\s*(?P<pct>%)?$"
)
_CELL_CMP = {
    "≥": ">=",
    ">=": ">=",
    "≤": "<=",
    "<=": "<=",
    ">": ">",
    "<": "<",
    "tren": ">",
    "duoi": "<",
    "it nhat": ">=",
    "toi thieu": ">=",
    "khong qua": "<=",
    "toi da": "<=",
    "khoang": "approx",
}


def _table_cells(text: str) -> list[str]:
    if "|" in text:
        return [c.strip() for c in text.strip().strip("|").split("|")]
    return [c.strip() for c in text.split("\t")]


def _table_targets(outline: Outline, lines: list[Line], ctx: _Context) -> list[Target]:
    """ "STT | Chỉ tiêu | Đơn vị tính | Năm 2025 | Năm 2030": one target per indicator and year column."""
    owner: dict[int, Item] = {}
    for item in outline.items:
        for line in item.lines:
            owner[line.number] = item
    out: list[Target] = []
    columns: dict[str, int] | None = None
    years: dict[int, int] = {}
    for line in lines:
        if "|" not in line.text and "\t" not in line.text:
            if line.text.strip():
                columns = None
            continue
        cells = _table_cells(line.text)
        folded = [fold_text(c).strip() for c in cells]
        if columns is None:
            found: dict[str, int] = {}
            found_years: dict[int, int] = {}
            for i, cell in enumerate(folded):
                if "name" not in found and _TABLE_NAME_RE.match(cell):
                    found["name"] = i
                elif "unit" not in found and _TABLE_UNIT_RE.match(cell):
                    found["unit"] = i
                elif "stt" not in found and _TABLE_STT_RE.match(cell):
                    found["stt"] = i
                else:
                    m = _TABLE_YEAR_RE.fullmatch(cell)
                    if m:
                        found_years[i] = int(m.group(1))
            if "name" in found and found_years:
                columns, years = found, found_years
            continue
        name = cells[columns["name"]].strip() if columns["name"] < len(cells) else ""
        if not name:
            continue
        unit_cell = (
            cells[columns["unit"]].strip() if "unit" in columns and columns["unit"] < len(cells) else ""
        )
        stt = (
            cells[columns["stt"]].strip().rstrip(".")
            if "stt" in columns and columns["stt"] < len(cells)
            else ""
        )
        holder = owner.get(line.number)
        for index, year in years.items():
            if index >= len(cells) or not cells[index].strip():
                continue
            raw = cells[index].strip()
            m = _CELL_VALUE_RE.match(fold_text(raw).replace(" ", " ")) if raw else None
            comps: list[Component] = []
            if m:
                a = parse_vn_number(m.group("a"))
                b = parse_vn_number(m.group("b")) if m.group("b") else None
                unit = unit_cell or ("%" if m.group("pct") else None)
                if a is not None and b is not None and b > a:
                    comps.append(Component(name, None, a, b, unit, "range", "reach"))
                elif a is not None:
                    comps.append(
                        Component(
                            name, a, None, None, unit, _CELL_CMP.get(m.group("cmp") or "", "="), "reach"
                        )
                    )
            out.append(
                Target(
                    id="",
                    n=int(stt) if stt.isdigit() else None,
                    text=name if comps else f"{name}: {raw}",
                    pillar=None,
                    section=_section_of(holder),
                    kind="quantitative" if comps else "milestone",
                    year=year,
                    span=(line.start, line.end),
                    components=comps,
                    confidence=0.85,
                    origin="table",
                    line=line.number,
                )
            )
    return out


def extract_targets(
    outline: Outline,
    text: str,
    lines: list[Line],
    *,
    masks: list[tuple[int, int]],
    reference_year: int | None,
    period: tuple[int, int] | None,
    headline: str | None = None,
) -> list[Target]:
    """Targets in document order, numbered T1, T2, ...; a news ``headline`` restating the article is skipped."""
    ctx = _Context(text, masks, reference_year, period[1] if period else None, [ln.start for ln in lines])
    targets: list[Target] = []
    roots = _find_target_roots(outline)
    covered: list[tuple[int, int]] = []
    for root in roots:
        candidates = _target_candidates(root, text)
        covered.append((root.content_start, root.end))
        for item in candidates:
            targets.extend(_list_target(item, root, ctx))
    targets.extend(_table_targets(outline, lines, ctx))
    prose = _prose_targets(outline, text, lines, ctx, covered)
    seen_text: set[str] = {" ".join(headline.split())} if headline else set()
    for target in prose:
        key = " ".join(target.text.split())
        if key in seen_text:
            continue  # a news headline restates the article, and menus repeat it
        seen_text.add(key)
        targets.append(target)
    targets.sort(key=lambda t: t.span[0])
    for i, target in enumerate(targets, start=1):
        target.id = f"T{i}"
    return targets


def _list_target(item: Item, root: Item, ctx: _Context) -> list[Target]:
    text = ctx.text
    start, end = item.content_start, item.end
    body = text[start:end].strip()
    if not body or is_debris(body):
        return []
    if body.endswith(":") and not item.children:
        return []  # an introduction ("xác định các mục tiêu cụ thể như sau:")
    quantities = find_quantities(text, start, end, ctx.masks)
    comps = _components(text, start, end, quantities)
    context_year = _context_year(item, root) or ctx.period_end
    n = (
        item.n
        if item.n is not None
        else (int(item.key) if item.style == "arabic" and item.key.isdigit() else None)
    )
    pillar = _pillar(item, root)
    section = _section_of(item.parent) or root.id
    if not comps:
        year = _year_near(
            text, start, end, Quantity(start, start, start, None, None, None, None, "=", None, False, None)
        )
        return [
            Target(
                id="",
                n=n,
                text=body,
                pillar=pillar,
                section=section,
                kind="milestone",
                year=year or context_year,
                span=(item.start, end),
                components=[],
                confidence=0.75,
                origin="list",
                line=item.line.number,
            )
        ]
    return _group_by_year(
        comps,
        n=n,
        text=body,
        pillar=pillar,
        section=section,
        default_year=context_year,
        span=(item.start, end),
        confidence=0.9,
        origin="list",
        line=item.line.number,
    )


def _group_by_year(
    comps: list[tuple[Component, int | None]],
    *,
    n: int | None,
    text: str,
    pillar: str | None,
    section: str | None,
    default_year: int | None,
    span: tuple[int, int],
    confidence: float,
    origin: str,
    line: int,
) -> list[Target]:
    years: list[int | None] = []
    for _comp, year in comps:
        if year not in years:
            years.append(year)
    explicit = [y for y in years if y is not None]
    if len(explicit) <= 1:
        year = explicit[0] if explicit else default_year
        quality = confidence if all(c.unit for c, _ in comps) else confidence - 0.15
        return [
            Target(
                "",
                n,
                text,
                pillar,
                section,
                "quantitative",
                year,
                span,
                [c for c, _ in comps],
                quality,
                origin,
                line,
            )
        ]
    # "đến năm 2025 đạt 40%, đến năm 2030 đạt 45%": one target per year.
    out = []
    for year in explicit:
        group = [c for c, y in comps if y == year or (y is None and year == explicit[-1])]
        out.append(
            Target(
                "",
                n,
                text,
                pillar,
                section,
                "quantitative",
                year,
                span,
                group,
                confidence - 0.05,
                origin,
                line,
            )
        )
    return out


_SENTENCE_SPLIT_RE = re.compile(r"(?<=[.!?])\s+(?=[A-ZĐÀ-Ỹ\"“(])")


def _units_of_text(
    outline: Outline, lines: list[Line], covered: list[tuple[int, int]]
) -> list[tuple[int, int, Item | None]]:
    """Line ranges to scan for targets in running text, with the item they belong to."""
    owner: dict[int, Item] = {}
    for item in outline.items:
        for line in item.lines:
            owner[line.number] = item
    units: list[tuple[int, int, Item | None]] = []
    for line in lines:
        if not line.text.strip() or any(a <= line.start < b for a, b in covered):
            continue
        if is_debris(line.text):
            continue
        holder = owner.get(line.number)
        start = line.start
        if holder is not None and line is holder.line:
            start = holder.content_start
        units.append((start, line.end, holder))
    return units


def _prose_targets(
    outline: Outline, text: str, lines: list[Line], ctx: _Context, covered: list[tuple[int, int]]
) -> list[Target]:
    out: list[Target] = []
    for start, end, item in _units_of_text(outline, lines, covered):
        chunk = text[start:end]
        pos = 0
        for m in [*_SENTENCE_SPLIT_RE.finditer(chunk), None]:
            s_end = m.start() if m else len(chunk)
            s_start = start + pos
            sentence_end = start + s_end
            pos = m.end() if m else len(chunk)
            if sentence_end - s_start < 8:
                continue
            out.extend(_prose_target(text, s_start, sentence_end, item, ctx))
    return out


def _prose_target(text: str, start: int, end: int, item: Item | None, ctx: _Context) -> list[Target]:
    sentence = text[start:end]
    if not re.search(r"\d", sentence):
        return []
    quantities = find_quantities(text, start, end, ctx.masks)
    if not quantities:
        return []
    folded = fold_text(sentence)
    strong = bool(_STRONG_CUE_RE.search(folded))
    future = False
    for m in _WEAK_CUE_RE.finditer(folded):
        year = m.group(1) or m.group(2)
        if year is None or ctx.reference_year is None or int(year) > ctx.reference_year:
            future = True
    if not (strong or future):
        return []
    kept = []
    for q in quantities:
        if not q.has_verb and not (q.unit and q.unit.startswith("%")):
            continue  # a bare count in running text ("20 xã") is not a target
        clause_start = text.rfind(";", start, q.start)
        left = text[max(start, clause_start + 1) : q.start]
        if _PAST_RE.search(left) or re.search(
            r"so với (?:cùng kỳ|năm trước)", text[q.end : q.end + 30], re.IGNORECASE
        ):
            continue
        ym = _YEAR_BEFORE_RE.search(left)
        if ym and ctx.reference_year is not None:
            pre = (ym.group("pre") or "").strip().lower()
            if int(ym.group("y")) <= ctx.reference_year and pre not in ("đến", "vào", "tới", "hết", "cuối"):
                continue  # "năm 2022 đạt 35%": an achievement
        kept.append(q)
    if not kept:
        return []
    comps = _components(text, start, end, kept)
    if not comps:
        return []
    text_clean = sentence.strip()
    offset = start + (len(sentence) - len(sentence.lstrip()))
    return _group_by_year(
        comps,
        n=None,
        text=text_clean,
        pillar=None,
        section=_section_of(item),
        default_year=ctx.period_end,
        span=(offset, offset + len(text_clean)),
        confidence=0.75 if strong else 0.6,
        origin="prose",
        line=ctx.line_of(offset),
    )
