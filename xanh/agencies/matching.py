"""Agency name resolution: the one place where a mention in a text becomes a catalogue agency.

Every importer (plan parser, Excel templates, CSV loads) resolves agency mentions through
:class:`AgencyMatcher`, so a spelling variant is handled the same way everywhere.

Plain Python, no Django: the catalogue is a CSV file (``data/agencies.csv``) whose schema is a
contract with the Django loader::

    key,name,kind,abbreviations,aliases,valid_from,valid_to,successor_key,successor_from,confidence,source

How a mention is compared (see ``_normalise_tokens``):

* text is folded: lower case, diacritics removed (``đ`` → ``d``), punctuation and every kind of
  dash are separators, ``&`` and the word ``và`` are dropped, so "Sở Thông tin Truyền thông",
  "Sở Thông tin và Truyền thông" and "SỞ THÔNG TIN - TRUYỀN THÔNG" fold to the same tokens;
* a few standard administrative contractions are applied on both sides ("Ủy ban nhân dân" ≡
  "UBND", "Ngân hàng Nhà nước" ≡ "NHNN", "TP" ≡ "thành phố", ...);
* trailing qualifiers that do not change the agency are dropped: "tỉnh", "tỉnh Bắc Giang",
  "liên quan", "theo chức năng, nhiệm vụ", "trên địa bàn";
* abbreviations are also compared without spaces ("Sở KH&ĐT" ≡ "Sở KHĐT" ≡ "SKHĐT"), and the
  initials of department names are generated ("Sở Tài nguyên và Môi trường" → "STNMT") unless two
  departments would share them.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from difflib import SequenceMatcher
from functools import lru_cache
from pathlib import Path

from xanh.core.text import strip_diacritics

__all__ = [
    "KINDS",
    "AgencyEntry",
    "AgencyMatch",
    "AgencyMatcher",
    "CatalogueError",
    "Place",
    "default_matcher",
    "fold",
    "load_default_entries",
    "load_default_places",
    "load_entries",
    "load_places",
]

KINDS = ("department", "collective", "other")

DATA_DIR = Path(__file__).resolve().parent / "data"
CATALOGUE_PATH = DATA_DIR / "agencies.csv"
PLACES_PATH = DATA_DIR / "places.csv"

CATALOGUE_COLUMNS = (
    "key",
    "name",
    "kind",
    "abbreviations",
    "aliases",
    "valid_from",
    "valid_to",
    "successor_key",
    "successor_from",
    "confidence",
    "source",
)


class CatalogueError(ValueError):
    """A catalogue or place file row is malformed; the message is Vietnamese and names row and field."""


# --------------------------------------------------------------------------------------------
# Folding
# --------------------------------------------------------------------------------------------

_WORD_RE = re.compile(r"[^\W_]+")


@lru_cache(maxsize=65536)
def _fold_word(word: str) -> str:
    return strip_diacritics(word).lower()


_strip_marks_keep_case = lru_cache(maxsize=65536)(strip_diacritics)


# Words that carry no identity in agency names (the conjunction "và" and its "&" spelling).
_DROPPED_WORDS = frozenset({"va"})


def fold(text: str) -> str:
    """Fold a text into agency-name tokens (``xanh.core.text.fold`` keeps punctuation; this one drops it).

    Lower case, no diacritics (``đ`` → ``d``, ``xanh.core.text.strip_diacritics``), every dash and punctuation mark a separator,
    ``&``/``và`` removed, single spaces. ``fold(fold(x)) == fold(x)``.
    """
    text = unicodedata.normalize("NFC", text)
    words = (_fold_word(m.group()) for m in _WORD_RE.finditer(text))
    return " ".join(w for w in words if w not in _DROPPED_WORDS)


# Standard contractions, applied to folded token sequences on both sides of a comparison.
# Longest first; each maps a token sequence to its canonical token sequence.
_CONTRACTIONS: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = tuple(
    sorted(
        (
            (("uy", "ban", "nhan", "dan"), ("ubnd",)),
            (("hoi", "dong", "nhan", "dan"), ("hdnd",)),
            (("ban", "quan", "ly"), ("bql",)),
            (("khu", "cong", "nghiep"), ("kcn",)),
            (("cum", "cong", "nghiep"), ("ccn",)),
            (("khu", "kinh", "te"), ("kkt",)),
            (("ngan", "hang", "nha", "nuoc"), ("nhnn",)),
            (("mat", "tran", "to", "quoc", "viet", "nam"), ("mttq",)),
            (("mat", "tran", "to", "quoc"), ("mttq",)),
            (("mttq", "viet", "nam"), ("mttq",)),
            (("ubmttq",), ("uy", "ban", "mttq")),
            (("hop", "tac", "xa"), ("htx",)),
            (("trung", "uong"), ("tw",)),
            (("lien", "hiep", "phu", "nu"), ("lhpn",)),
            (("chinh", "tri", "xa", "hoi"), ("ctxh",)),
            (("ct", "xh"), ("ctxh",)),
            (("chi", "huy", "quan", "su"), ("chqs",)),
            (("kho", "bac", "nha", "nuoc"), ("kbnn",)),
            (("bao", "hiem", "xa", "hoi"), ("bhxh",)),
            (("lien", "doan", "lao", "dong"), ("ldld",)),
            (("tp",), ("thanh", "pho")),
            (("tphcm",), ("thanh", "pho", "ho", "chi", "minh")),
            (("hcm",), ("ho", "chi", "minh")),
        ),
        key=lambda pair: -len(pair[0]),
    )
)
_CONTRACTION_FIRST = frozenset(src[0] for src, _ in _CONTRACTIONS)


@dataclass(frozen=True, slots=True)
class _Token:
    norm: str  # folded, contracted form
    raw: str  # text as written (joined words for a contraction)
    start: int
    end: int
    gap: str  # characters between the previous token and this one
    merged: bool = False  # produced by a contraction of several written words


def _raw_tokens(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    prev_end = 0  # end of the last kept token, so a dropped "và" stays inside the next gap
    for m in _WORD_RE.finditer(text):
        raw = m.group()
        norm = _fold_word(raw)
        if norm in _DROPPED_WORDS:
            continue
        tokens.append(_Token(norm, raw, m.start(), m.end(), text[prev_end : m.start()]))
        prev_end = m.end()
    return tokens


def _normalise_tokens(tokens: Sequence[_Token]) -> list[_Token]:
    """Apply the contractions, keeping character spans of the written text."""
    out: list[_Token] = []
    i = 0
    n = len(tokens)
    while i < n:
        tok = tokens[i]
        if tok.norm in _CONTRACTION_FIRST:
            for src, dst in _CONTRACTIONS:
                k = len(src)
                if i + k <= n and all(tokens[i + j].norm == src[j] for j in range(k)):
                    # A contraction never spans a sentence break.
                    if any(_is_hard_gap(tokens[i + j].gap) for j in range(1, k)):
                        continue
                    first, last = tokens[i], tokens[i + k - 1]
                    raw = " ".join(t.raw for t in tokens[i : i + k])
                    for j, part in enumerate(dst):
                        out.append(
                            _Token(part, raw, first.start, last.end, first.gap if j == 0 else " ", True)
                        )
                    i += k
                    break
            else:
                out.append(tok)
                i += 1
        else:
            out.append(tok)
            i += 1
    return out


def _tokens(text: str) -> list[_Token]:
    return _normalise_tokens(_raw_tokens(unicodedata.normalize("NFC", text)))


# Document symbols ("107/TTr-SKHĐT", "1026/QĐ-UBND", "06/2022/NĐ-CP", "60-NQ/TW") contain issuer codes
# that look like agency abbreviations; they are never agency mentions.
_SYMBOL_RE = re.compile(
    r"\b\d+[a-zđ]?(?:/\d{2,4})?\s?/\s?[A-ZĐ][A-Za-zĐđ&]*(?:\s?[-–]\s?[A-ZĐ][A-Za-zĐđ0-9&]*)*"
    r"|\b\d+-[A-ZĐ]{1,4}/[A-ZĐ]{1,4}\b"
)


def _symbol_spans(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _SYMBOL_RE.finditer(text)] if "/" in text else []


_HARD_GAP_CHARS = frozenset('.:;()[]{}!?"“”«»\n')


def _is_hard_gap(gap: str) -> bool:
    return any(ch in _HARD_GAP_CHARS for ch in gap)


def _is_capitalised(raw: str) -> bool:
    return bool(raw) and raw[0].isupper()


def _is_acronym(raw: str) -> bool:
    """An abbreviation written in capitals ("KH", "ĐT", "TTr", "SNgV", "UBND")."""
    letters = [ch for ch in raw if ch.isalpha()]
    if len(letters) < 2:
        return False
    upper = sum(1 for ch in letters if ch.isupper())
    return upper >= 2


# --------------------------------------------------------------------------------------------
# Catalogue
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AgencyEntry:
    """One body of the catalogue. ``kind`` is "department", "collective" or "other"."""

    key: str
    name: str
    kind: str
    abbreviations: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()
    valid_from: date | None = None
    valid_to: date | None = None
    successor_key: str | None = None
    successor_from: date | None = None
    confidence: str = ""
    source: str = ""

    def valid_on(self, on: date) -> bool:
        if self.valid_from is not None and on < self.valid_from:
            return False
        return not (self.valid_to is not None and on > self.valid_to)


@dataclass(frozen=True, slots=True)
class Place:
    """A provincial-level unit name; ``type`` is "province" or "city" (centrally-run city)."""

    name: str
    type: str


@dataclass(frozen=True, slots=True)
class AgencyMatch:
    """The result of resolving a mention.

    ``name`` is the canonical catalogue name, ``label`` the name to show for this mention
    (the same, except for a named district People's Committee: "UBND thành phố Bắc Giang").
    ``score`` is 1.0 for a canonical name, a little less for aliases and abbreviations and
    the similarity ratio for fuzzy matches. ``span`` is set by :meth:`AgencyMatcher.find_all`.
    """

    key: str
    name: str
    kind: str
    score: float
    matched: str
    via: str = "name"
    span: tuple[int, int] | None = None
    place: str | None = None
    label: str = ""

    def __post_init__(self) -> None:
        if not self.label:
            object.__setattr__(self, "label", self.name)


def _parse_date(value: str, *, row: int, column: str, path: str) -> date | None:
    value = value.strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CatalogueError(
            f"{path}, dòng {row}, cột «{column}»: ngày «{value}» không hợp lệ (định dạng YYYY-MM-DD)."
        ) from None


def _split_list(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split(";") if part.strip())


def load_entries(path: Path | str) -> list[AgencyEntry]:
    """Read and validate a catalogue CSV. Raises :class:`CatalogueError` (Vietnamese message)."""
    path = Path(path)
    label = path.name
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CatalogueError(f"Không tìm thấy tệp danh mục cơ quan «{path}».") from None
    except UnicodeDecodeError:
        raise CatalogueError(f"{label}: tệp danh mục cơ quan phải được mã hóa UTF-8.") from None
    reader = csv.DictReader(text.splitlines())
    header = tuple(reader.fieldnames or ())
    missing = [c for c in CATALOGUE_COLUMNS if c not in header]
    if missing:
        raise CatalogueError(f"{label}, dòng 1: thiếu cột {', '.join('«' + c + '»' for c in missing)}.")
    entries: list[AgencyEntry] = []
    seen: dict[str, int] = {}
    for row_no, row in enumerate(reader, start=2):
        if None in row:
            raise CatalogueError(f"{label}, dòng {row_no}: thừa giá trị so với tiêu đề (kiểm tra dấu phẩy).")
        key = (row.get("key") or "").strip()
        name = (row.get("name") or "").strip()
        kind = (row.get("kind") or "").strip()
        if not key:
            raise CatalogueError(f"{label}, dòng {row_no}, cột «key»: mã cơ quan bị trống.")
        if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", key):
            raise CatalogueError(
                f"{label}, dòng {row_no}, cột «key»: mã «{key}» chỉ được gồm chữ thường không dấu, số và «-»."
            )
        if key in seen:
            raise CatalogueError(
                f"{label}, dòng {row_no}, cột «key»: mã «{key}» bị trùng với dòng {seen[key]}."
            )
        if not name:
            raise CatalogueError(f"{label}, dòng {row_no}, cột «name»: tên cơ quan bị trống.")
        if kind not in KINDS:
            raise CatalogueError(
                f"{label}, dòng {row_no}, cột «kind»: loại «{kind}» không hợp lệ "
                f"(chỉ nhận: {', '.join(KINDS)})."
            )
        seen[key] = row_no
        valid_from = _parse_date(row["valid_from"] or "", row=row_no, column="valid_from", path=label)
        valid_to = _parse_date(row["valid_to"] or "", row=row_no, column="valid_to", path=label)
        if valid_from and valid_to and valid_to < valid_from:
            raise CatalogueError(
                f"{label}, dòng {row_no}, cột «valid_to»: ngày kết thúc trước ngày bắt đầu hiệu lực."
            )
        successor_key = (row.get("successor_key") or "").strip() or None
        successor_from = _parse_date(
            row["successor_from"] or "", row=row_no, column="successor_from", path=label
        )
        if successor_from and not successor_key:
            raise CatalogueError(
                f"{label}, dòng {row_no}, cột «successor_from»: có ngày kế thừa nhưng thiếu «successor_key»."
            )
        entries.append(
            AgencyEntry(
                key=key,
                name=name,
                kind=kind,
                abbreviations=_split_list(row.get("abbreviations") or ""),
                aliases=_split_list(row.get("aliases") or ""),
                valid_from=valid_from,
                valid_to=valid_to,
                successor_key=successor_key,
                successor_from=successor_from,
                confidence=(row.get("confidence") or "").strip(),
                source=(row.get("source") or "").strip(),
            )
        )
    for entry in entries:
        if entry.successor_key and entry.successor_key not in seen:
            raise CatalogueError(
                f"{label}, dòng {seen[entry.key]}, cột «successor_key»: "
                f"không có cơ quan mã «{entry.successor_key}» trong danh mục."
            )
        if entry.successor_key == entry.key:
            raise CatalogueError(
                f"{label}, dòng {seen[entry.key]}, cột «successor_key»: "
                "cơ quan không thể tự kế thừa chính nó."
            )
    return entries


def load_default_entries() -> list[AgencyEntry]:
    """The catalogue shipped with Xanh (``xanh/agencies/data/agencies.csv``)."""
    return list(_default_entries())


@lru_cache(maxsize=1)
def _default_entries() -> tuple[AgencyEntry, ...]:
    return tuple(load_entries(CATALOGUE_PATH))


def load_places(path: Path | str) -> list[Place]:
    path = Path(path)
    reader = csv.DictReader(path.read_text(encoding="utf-8").splitlines())
    places: list[Place] = []
    for row_no, row in enumerate(reader, start=2):
        name = (row.get("name") or "").strip()
        typ = (row.get("type") or "").strip()
        if not name or typ not in ("province", "city"):
            raise CatalogueError(
                f"{path.name}, dòng {row_no}: cần tên đơn vị và loại «province» hoặc «city»."
            )
        places.append(Place(name, typ))
    return places


def load_default_places() -> list[Place]:
    """Provincial-level unit names before and after the 2025 reorganisation (admin-units-2025.csv)."""
    return list(_default_places())


@lru_cache(maxsize=1)
def _default_places() -> tuple[Place, ...]:
    return tuple(load_places(PLACES_PATH))


# --------------------------------------------------------------------------------------------
# Matcher
# --------------------------------------------------------------------------------------------

# Trailing qualifiers that never change which agency is meant.
_TRAILING_QUALIFIERS: tuple[tuple[str, ...], ...] = (
    ("theo", "chuc", "nang", "nhiem", "vu", "duoc", "giao"),
    ("theo", "chuc", "nang", "nhiem", "vu"),
    ("theo", "chuc", "nang"),
    ("co", "lien", "quan"),
    ("lien", "quan"),
    ("tren", "dia", "ban"),
    ("dong",),
    ("tinh",),
)
# Leading words naming a person or a request rather than the body ("Giám đốc Sở ...", "Đề nghị ...").
_LEADING_NOISE: tuple[tuple[str, ...], ...] = (
    ("de", "nghi"),
    ("giao",),
    ("giam", "doc"),
    ("thu", "truong"),
    ("lanh", "dao"),
)
_DISTRICT_UNIT_WORDS: tuple[tuple[str, ...], ...] = (
    ("thanh", "pho"),
    ("thi", "xa"),
    ("huyen",),
    ("quan",),
)
_GENERIC_DEPT_HEADS = frozenset({"so", "bo"})
_COLLECTIVE_MARKERS = frozenset({"cac", "ubnd", "chu", "cong", "nhung"})

# Scores by how the mention was recognised.
_VIA_SCORE = {"name": 1.0, "alias": 0.97, "abbreviation": 0.95, "generated": 0.9, "place": 0.9}


@dataclass(slots=True)
class _KeyInfo:
    entry_key: str
    via: str
    needs_suffix: bool  # a one-word key ("báo") that only names an agency with "tỉnh"/a place after it
    source_raw: tuple[str, ...] = ()  # written form of an abbreviation (for case checks)
    stripped: bool = False  # registered without its trailing qualifiers

    @property
    def rank(self) -> tuple[bool, int]:
        return (self.stripped, _VIA_RANK[self.via])


@dataclass(slots=True)
class _TrieNode:
    children: dict[str, _TrieNode] = field(default_factory=dict)
    infos: list[_KeyInfo] = field(default_factory=list)


_VIA_RANK = {"name": 0, "alias": 1, "abbreviation": 2, "generated": 3, "place": 4}


class AgencyMatcher:
    """Resolve agency mentions against a catalogue.

    >>> m = default_matcher()
    >>> m.resolve("Sở TT&TT").name
    'Sở Thông tin và Truyền thông'
    """

    def __init__(self, entries: Iterable[AgencyEntry], places: Iterable[Place] | None = None) -> None:
        self._entries: dict[str, AgencyEntry] = {}
        for entry in entries:
            if entry.kind not in KINDS:
                raise CatalogueError(f"Cơ quan «{entry.key}»: loại «{entry.kind}» không hợp lệ.")
            self._entries[entry.key] = entry
        self._places: dict[tuple[str, ...], Place] = {}
        for place in load_default_places() if places is None else places:
            self._places[tuple(t.norm for t in _tokens(place.name))] = place
        self._max_place_len = max((len(k) for k in self._places), default=0)
        self._exact: dict[tuple[str, ...], _KeyInfo] = {}
        self._compact: dict[str, _KeyInfo] = {}
        self._root = _TrieNode()
        self._build()

    # -- construction -------------------------------------------------------------------------

    def _build(self) -> None:
        generated: dict[str, list[str]] = {}
        for entry in self._entries.values():
            self._register(entry.key, entry.name, "name")
            for alias in entry.aliases:
                self._register(entry.key, alias, "alias")
            for abbreviation in entry.abbreviations:
                self._register(entry.key, abbreviation, "abbreviation")
            initials = self._initials(entry)
            if initials:
                generated.setdefault(initials, []).append(entry.key)
        for initials, keys in generated.items():
            if len(keys) != 1:
                continue  # "Sở Nội vụ" and "Sở Ngoại vụ" share "SNV": never guess between them
            head, rest = initials[0], initials[1:]
            word = "so" if head == "s" else "bo"
            self._register_tokens(keys[0], (initials,), "generated", (initials.upper(),))
            self._register_tokens(keys[0], (word, rest), "generated", (word.capitalize(), rest.upper()))

    @staticmethod
    def _initials(entry: AgencyEntry) -> str | None:
        words = [t for t in fold(entry.name).split() if t]
        if len(words) < 3 or words[0] not in _GENERIC_DEPT_HEADS:
            return None
        head = "s" if words[0] == "so" else "b"
        return head + "".join(w[0] for w in words[1:])

    def _register(self, entry_key: str, text: str, via: str) -> None:
        tokens = _tokens(text)
        if not tokens:
            return
        source_raw = tuple(t.raw for t in tokens)
        self._register_tokens(entry_key, tuple(t.norm for t in tokens), via, source_raw)

    def _register_tokens(
        self, entry_key: str, norms: tuple[str, ...], via: str, source_raw: tuple[str, ...]
    ) -> None:
        # Both the written form and the form without trailing qualifiers are keys; the written
        # form wins a collision, so "NHNN tỉnh" (the branch) is not "NHNN" (the State Bank).
        stripped = self._strip_qualifiers(norms)
        self._add_key(entry_key, norms, via, source_raw, stripped=False, needs_suffix=False)
        if stripped != norms:
            needs_suffix = len(stripped) == 1 and not _is_acronym(source_raw[0])
            self._add_key(entry_key, stripped, via, source_raw, stripped=True, needs_suffix=needs_suffix)

    def _add_key(
        self,
        entry_key: str,
        norms: tuple[str, ...],
        via: str,
        source_raw: tuple[str, ...],
        *,
        stripped: bool,
        needs_suffix: bool,
    ) -> None:
        info = _KeyInfo(entry_key, via, needs_suffix, source_raw[: len(norms)], stripped)
        existing = self._exact.get(norms)
        if existing is None or info.rank < existing.rank:
            self._exact[norms] = info
        compact = "".join(norms)
        existing_c = self._compact.get(compact)
        if existing_c is None or info.rank < existing_c.rank:
            self._compact[compact] = info
        node = self._root
        for norm in norms:
            node = node.children.setdefault(norm, _TrieNode())
        node.infos.append(info)
        node.infos.sort(key=lambda inf: inf.rank)

    def with_places(self, places: Iterable[Place]) -> AgencyMatcher:
        """A matcher that also knows ``places`` (e.g. the province of the document being read)."""
        extra = [p for p in places if tuple(t.norm for t in _tokens(p.name)) not in self._places]
        if not extra:
            return self
        clone = object.__new__(AgencyMatcher)
        clone._entries = self._entries
        clone._exact = self._exact
        clone._compact = self._compact
        clone._root = self._root
        clone._places = dict(self._places)
        for place in extra:
            clone._places[tuple(t.norm for t in _tokens(place.name))] = place
        clone._max_place_len = max((len(k) for k in clone._places), default=0)
        return clone

    # -- public API -------------------------------------------------------------------------

    @property
    def entries(self) -> list[AgencyEntry]:
        return list(self._entries.values())

    def entry(self, key: str) -> AgencyEntry:
        return self._entries[key]

    def successor_on(self, key: str, on: date) -> AgencyEntry:
        """The body that carries on ``key``'s work on date ``on`` (follows successor links)."""
        entry = self._entries[key]
        seen = {key}
        while (
            entry.successor_key
            and entry.successor_from is not None
            and on >= entry.successor_from
            and entry.successor_key not in seen
        ):
            seen.add(entry.successor_key)
            entry = self._entries[entry.successor_key]
        return entry

    def resolve(self, mention: str) -> AgencyMatch | None:
        """Resolve one mention (a whole agency name as written) or return ``None``."""
        tokens = _tokens(mention)
        if not tokens:
            return None
        matched_text = mention.strip()
        tokens = self._strip_leading_noise(tokens)
        district = self._district_committee(tokens, 0, whole=True)
        if district is not None:
            match, _end = district
            return replace(match, matched=matched_text, span=None)
        full = tuple(t.norm for t in tokens)
        variants = self._stripped_variants(full)
        for norms in variants:
            info = self._exact.get(norms)
            # A one-word key such as "báo" names an agency only with "tỉnh"/a place after it.
            if info is not None and (not info.needs_suffix or len(norms) < len(full)):
                return self._make(info, matched_text)
        for norms in variants:
            info = self._compact.get("".join(norms))
            if info is not None and (not info.needs_suffix or len(norms) < len(full)):
                return self._make(info, matched_text, penalty=0.02)
        compact = "".join(variants[-1])
        found = self.find_all(mention)
        if len(found) == 1:
            covered = sum(
                1 for t in tokens if found[0].span and found[0].span[0] <= t.start < found[0].span[1]
            )
            if covered >= max(1, int(0.75 * len(tokens))):
                return replace(
                    found[0], matched=matched_text, span=None, score=round(found[0].score * 0.97, 3)
                )
        return self._fuzzy(compact, matched_text)

    def find_all(self, text: str) -> list[AgencyMatch]:
        """Find every agency mentioned in a phrase, left to right, longest mention first.

        "Sở Tài chính, Sở Công Thương và UBND các huyện" gives three matches with their
        character spans in ``text``.
        """
        tokens = _tokens(text)
        symbols = _symbol_spans(text)
        if symbols:
            tokens = [t for t in tokens if not any(a <= t.start < b for a, b in symbols)]
        results: list[AgencyMatch] = []
        i = 0
        n = len(tokens)
        while i < n:
            district = self._district_committee(tokens, i, whole=False)
            if district is not None:
                match, end = district
                results.append(match)
                i = end
                continue
            best = self._longest_at(tokens, i)
            if best is None:
                i += 1
                continue
            info, end = best
            suffix_end = self._consume_suffix(tokens, end)
            if info.needs_suffix and suffix_end == end:
                i += 1
                continue
            entry = self._entries[info.entry_key]
            start_char = tokens[i].start
            end_char = tokens[suffix_end - 1].end
            results.append(
                AgencyMatch(
                    key=entry.key,
                    name=entry.name,
                    kind=entry.kind,
                    score=_VIA_SCORE[info.via],
                    matched=text[start_char:end_char],
                    via=info.via,
                    span=(start_char, end_char),
                )
            )
            i = suffix_end
        return results

    # -- internals ------------------------------------------------------------------------------

    def _make(self, info: _KeyInfo, matched: str, penalty: float = 0.0) -> AgencyMatch:
        entry = self._entries[info.entry_key]
        return AgencyMatch(
            key=entry.key,
            name=entry.name,
            kind=entry.kind,
            score=round(max(0.0, _VIA_SCORE[info.via] - penalty), 3),
            matched=matched,
            via=info.via,
        )

    def _fuzzy(self, compact: str, matched: str) -> AgencyMatch | None:
        if len(compact) < 6:
            return None
        scored: list[tuple[float, _KeyInfo]] = []
        matcher = SequenceMatcher(autojunk=False)
        matcher.set_seq2(compact)
        for key, info in self._compact.items():
            if info.via == "generated" or len(key) < 6:
                continue
            if abs(len(key) - len(compact)) > max(3, len(compact) // 5):
                continue
            matcher.set_seq1(key)
            if matcher.real_quick_ratio() < 0.88 or matcher.quick_ratio() < 0.88:
                continue
            ratio = matcher.ratio()
            if ratio >= 0.88:
                scored.append((ratio, info))
        if not scored:
            return None
        scored.sort(key=lambda pair: -pair[0])
        best_ratio, best = scored[0]
        for ratio, other in scored[1:]:
            if other.entry_key != best.entry_key and best_ratio - ratio < 0.03:
                return None  # two different agencies are about equally close: do not guess
        entry = self._entries[best.entry_key]
        return AgencyMatch(
            key=entry.key,
            name=entry.name,
            kind=entry.kind,
            score=round(best_ratio * 0.95, 3),
            matched=matched,
            via="fuzzy",
        )

    @staticmethod
    def _strip_leading_noise(tokens: list[_Token]) -> list[_Token]:
        changed = True
        while changed and tokens:
            changed = False
            for words in _LEADING_NOISE:
                k = len(words)
                if len(tokens) > k and tuple(t.norm for t in tokens[:k]) == words:
                    tokens = tokens[k:]
                    changed = True
        return tokens

    def _strip_qualifiers(self, norms: tuple[str, ...]) -> tuple[str, ...]:
        changed = True
        while changed:
            changed = False
            for words in _TRAILING_QUALIFIERS:
                k = len(words)
                if len(norms) > k and norms[-k:] == words:
                    norms = norms[:-k]
                    changed = True
        return norms

    def _stripped_variants(self, norms: tuple[str, ...]) -> list[tuple[str, ...]]:
        """The mention, then the mention without one trailing place or qualifier, and so on."""
        variants = [norms]
        while True:
            shorter = self._strip_one(norms)
            if shorter is None or not shorter:
                return variants
            norms = shorter
            variants.append(norms)

    def _strip_one(self, norms: tuple[str, ...]) -> tuple[str, ...] | None:
        for k in range(min(self._max_place_len, len(norms) - 1), 0, -1):
            if norms[-k:] in self._places:
                rest = norms[:-k]
                if len(rest) > 2 and rest[-2:] == ("thanh", "pho"):
                    return rest[:-2]
                return rest
        for words in _TRAILING_QUALIFIERS:
            k = len(words)
            if len(norms) > k and norms[-k:] == words:
                return norms[:-k]
        return None

    def _place_at(self, tokens: Sequence[_Token], i: int) -> tuple[Place, int] | None:
        for k in range(min(self._max_place_len, len(tokens) - i), 0, -1):
            window = tokens[i : i + k]
            if any(_is_hard_gap(t.gap) or "," in t.gap for t in window):
                continue
            key = tuple(t.norm for t in window)
            place = self._places.get(key)
            if place is not None:
                return place, i + k
        return None

    def _consume_suffix(self, tokens: Sequence[_Token], i: int) -> int:
        """Skip "tỉnh", "tỉnh Bắc Giang", "Bắc Giang", "liên quan" ... right after a match."""
        n = len(tokens)
        while i < n and not _is_hard_gap(tokens[i].gap) and "," not in tokens[i].gap:
            norm = tokens[i].norm
            if norm == "tinh":
                place = self._place_at(tokens, i + 1)
                i = place[1] if place else i + 1
                continue
            if norm == "thanh" and i + 1 < n and tokens[i + 1].norm == "pho":
                place = self._place_at(tokens, i + 2)
                if place is None:
                    break
                i = place[1]
                continue
            place = self._place_at(tokens, i)
            if place is not None:
                i = place[1]
                continue
            matched_qualifier = False
            for words in (("co", "lien", "quan"), ("lien", "quan")):
                k = len(words)
                if i + k <= n and tuple(t.norm for t in tokens[i : i + k]) == words:
                    i += k
                    matched_qualifier = True
                    break
            if not matched_qualifier:
                break
        return i

    def _longest_at(self, tokens: Sequence[_Token], i: int) -> tuple[_KeyInfo, int] | None:
        node = self._root
        best: tuple[_KeyInfo, int] | None = None
        j = i
        n = len(tokens)
        while j < n:
            tok = tokens[j]
            if j > i and _is_hard_gap(tok.gap):
                break
            child = node.children.get(tok.norm)
            if child is None:
                break
            node = child
            j += 1
            for info in sorted(node.infos, key=lambda inf: _VIA_RANK[inf.via]):
                if self._accept(info, tokens, i, j):
                    best = (info, j)
                    break
        return best

    def _accept(self, info: _KeyInfo, tokens: Sequence[_Token], i: int, j: int) -> bool:
        entry = self._entries[info.entry_key]
        window = tokens[i:j]
        if info.via in ("abbreviation", "generated"):
            # Written abbreviations must be written in capitals in the text too: "STC", "TTr".
            for tok, src in zip(window, info.source_raw, strict=False):
                if tok.merged or not _is_acronym(src):
                    continue
                if _strip_marks_keep_case(tok.raw) != _strip_marks_keep_case(src):
                    return False
        if entry.kind == "collective":
            # "các địa phương" is a collective; "công an địa phương" (local police) is not.
            return window[0].norm in _COLLECTIVE_MARKERS or _is_capitalised(window[0].raw)
        # A body's name is a proper noun: "thanh tra", "công an" in running text are not bodies.
        return any(_is_capitalised(t.raw) for t in window[:2])

    def _district_committee(
        self, tokens: Sequence[_Token], i: int, *, whole: bool
    ) -> tuple[AgencyMatch, int] | None:
        """A named district-level committee: "UBND thành phố Bắc Giang", "UBND huyện Lục Ngạn".

        "UBND thành phố Cần Thơ" names a centrally-run city, i.e. the provincial committee.
        """
        n = len(tokens)
        if i >= n or tokens[i].norm != "ubnd":
            return None
        j = i + 1
        unit_words: tuple[str, ...] | None = None
        for words in _DISTRICT_UNIT_WORDS:
            k = len(words)
            if j + k <= n and tuple(t.norm for t in tokens[j : j + k]) == words:
                unit_words = words
                j += k
                break
        if unit_words is None or j >= n:
            return None
        # The name is the following run of capitalised words, without punctuation in between.
        k = j
        while k < n and k - j < 4 and _is_capitalised(tokens[k].raw) and not _is_hard_gap(tokens[k].gap):
            if k > j and "," in tokens[k].gap:
                break
            if k == j and "," in tokens[k].gap:
                break
            k += 1
        if k == j:
            return None
        if whole and k != n:
            rest = self._strip_qualifiers(tuple(t.norm for t in tokens[k:]))
            if rest and rest != ("tinh",):
                return None
        place_tokens = tokens[j:k]
        place_name = " ".join(t.raw for t in place_tokens)
        place = self._places.get(tuple(t.norm for t in place_tokens))
        unit_raw = " ".join(t.raw for t in tokens[i + 1 : j])
        start, end = tokens[i].start, tokens[k - 1].end
        matched = " ".join(t.raw for t in tokens[i:k])
        if unit_words == ("thanh", "pho") and place is not None and place.type == "city":
            entry = self._entries.get("ubnd-tinh")
            label = f"UBND thành phố {place.name}"
        else:
            entry = self._entries.get("ubnd-huyen")
            label = f"UBND {unit_raw.lower()} {place_name}"
        if entry is None:
            return None
        match = AgencyMatch(
            key=entry.key,
            name=entry.name,
            kind=entry.kind,
            score=_VIA_SCORE["place"],
            matched=matched,
            via="place",
            span=(start, end),
            place=place.name if place is not None else place_name,
            label=label,
        )
        return match, k


@lru_cache(maxsize=1)
def default_matcher() -> AgencyMatcher:
    """A matcher over the shipped catalogue, built once per process."""
    return AgencyMatcher(_default_entries(), _default_places())


def iter_keys(matches: Iterable[AgencyMatch]) -> Iterator[str]:
    """Distinct agency keys in order of first appearance."""
    seen: set[str] = set()
    for match in matches:
        if match.key not in seen:
            seen.add(match.key)
            yield match.key
