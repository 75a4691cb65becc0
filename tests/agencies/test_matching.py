"""Agency name resolution (xanh.agencies.matching): pure tests, no database."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xanh.agencies.matching import (
    KINDS,
    AgencyEntry,
    AgencyMatcher,
    CatalogueError,
    Place,
    default_matcher,
    fold,
    load_default_entries,
    load_entries,
)

SEEDS = Path(__file__).resolve().parents[2] / ".." / "shared" / "seeds"
SEED_001 = SEEDS / "001_5088301c01db933d.txt"


@pytest.fixture(scope="module")
def matcher() -> AgencyMatcher:
    return default_matcher()


# ----------------------------------------------------------------------------------------------
# fold
# ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("Sở Thông tin Truyền thông", "Sở Thông tin và Truyền thông"),
        ("Sở Thông tin và Truyền thông", "SỞ THÔNG TIN  VÀ   TRUYỀN THÔNG"),
        ("Sở TT&TT", "Sở TT và TT"),
        ("Kinh tế – xã hội", "Kinh tế - xã hội"),
        ("Kinh tế — xã hội", "kinh te xa hoi"),
        ("Đầu tư", "dau tu"),
        ("Sở Lao động – Thương binh và Xã hội", "so lao dong thuong binh xa hoi"),
    ],
)
def test_fold_equates_spelling_variants(left: str, right: str) -> None:
    assert fold(left) == fold(right)


def test_fold_keeps_distinct_names_distinct() -> None:
    assert fold("Sở Nội vụ") != fold("Sở Ngoại vụ")
    assert fold("Sở Tài chính") != fold("Sở Tư pháp")


@given(st.text())
@settings(max_examples=300, deadline=None)
def test_fold_is_idempotent(text: str) -> None:
    assert fold(fold(text)) == fold(text)


@given(st.text())
@settings(max_examples=200, deadline=None)
def test_fold_output_is_plain_ascii_words(text: str) -> None:
    folded = fold(text)
    assert folded == folded.strip()
    assert "  " not in folded
    assert folded == folded.lower()
    assert not re.search(r"[\u0300-\u036f]", folded)


# ----------------------------------------------------------------------------------------------
# resolve
# ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("mention", "key"),
    [
        ("Sở Thông tin và Truyền thông", "so-tttt"),
        ("Sở Thông tin Truyền thông", "so-tttt"),
        ("Sở TT&TT", "so-tttt"),
        ("Sở TT-TT", "so-tttt"),
        ("STTTT", "so-tttt"),
        ("SỞ THÔNG TIN – TRUYỀN THÔNG", "so-tttt"),
        ("Sở Kế hoạch và Đầu tư", "so-khdt"),
        ("Sở KH&ĐT", "so-khdt"),
        ("Sở KH-ĐT", "so-khdt"),
        ("Sở KHĐT", "so-khdt"),
        ("SKHĐT", "so-khdt"),
        ("Giám đốc Sở Kế hoạch và Đầu tư", "so-khdt"),
        ("Sở Tài nguyên và Môi trường tỉnh Bắc Giang", "so-tnmt"),
        ("Sở TN&MT", "so-tnmt"),
        ("Sở Lao động – Thương binh và Xã hội", "so-ldtbxh"),
        ("Sở Lao động - Thương binh và Xã hội", "so-ldtbxh"),
        ("Sở LĐ-TB&XH", "so-ldtbxh"),
        ("Sở Công thương", "so-ct"),
        ("Sở Văn hóa, Thể thao và Du lịch", "so-vhttdl"),
        ("Sở VH-TT-DL", "so-vhttdl"),
        ("Sở Nông nghiệp và Môi trường", "so-nnmt"),
        ("Ngân hàng Nhà nước chi nhánh tỉnh Bắc Giang", "nhnn-cn"),
        ("NHNN tỉnh Bắc Giang", "nhnn-cn"),
        ("Ngân hàng Nhà nước", "nhnn"),
        ("Ban Quản lý các Khu công nghiệp tỉnh", "bql-kcn"),
        ("BQL các KCN", "bql-kcn"),
        ("Đài Phát thanh và Truyền hình tỉnh", "dai-ptth"),
        ("Báo Bắc Giang", "bao-tinh"),
        ("Ủy ban nhân dân tỉnh Bắc Giang", "ubnd-tinh"),
        ("UBND tỉnh", "ubnd-tinh"),
        ("Ủy ban MTTQ tỉnh", "ubmttq"),
        ("Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh", "ubmttq"),
        ("Đề nghị Ủy ban Mặt trận Tổ quốc tỉnh", "ubmttq"),
        ("Các sở, ban, ngành", "cac-so-nganh"),
        ("Các sở, ngành liên quan", "cac-so-nganh"),
        ("Các sở, ngành, địa phương theo chức năng, nhiệm vụ", "cac-so-nganh-dia-phuong"),
        ("Các sở, ngành, địa phương liên quan", "cac-so-nganh-dia-phuong"),
        ("UBND các huyện, thành phố", "ubnd-cap-huyen"),
        ("UBND các huyện, thị xã, thành phố", "ubnd-cap-huyen"),
        ("UBND cấp xã", "ubnd-cap-xa"),
        ("Các cơ quan, đơn vị có liên quan", "cac-co-quan-lien-quan"),
        ("Các doanh nghiệp", "cac-doanh-nghiep"),
        ("Công an tỉnh", "cong-an"),
        ("Bộ Chỉ huy Quân sự tỉnh", "bchqs"),
        ("Bộ Công an", "bo-ca"),
        ("Cục Thống kê tỉnh", "cuc-thong-ke"),
    ],
)
def test_resolve_known_variants(matcher: AgencyMatcher, mention: str, key: str) -> None:
    match = matcher.resolve(mention)
    assert match is not None, mention
    assert match.key == key
    assert 0 < match.score <= 1
    assert match.matched == mention.strip()


def test_resolve_named_district_committee(matcher: AgencyMatcher) -> None:
    match = matcher.resolve("UBND thành phố Bắc Giang")
    assert match is not None
    assert match.key == "ubnd-huyen"
    assert match.label == "UBND thành phố Bắc Giang"
    assert match.place == "Bắc Giang"
    rural = matcher.resolve("UBND huyện Lục Ngạn")
    assert rural is not None and rural.key == "ubnd-huyen" and rural.label == "UBND huyện Lục Ngạn"


def test_resolve_centrally_run_city_is_the_provincial_committee(matcher: AgencyMatcher) -> None:
    match = matcher.resolve("UBND thành phố Cần Thơ")
    assert match is not None
    assert match.key == "ubnd-tinh"
    assert match.label == "UBND thành phố Cần Thơ"


def test_resolve_tolerates_a_typo(matcher: AgencyMatcher) -> None:
    match = matcher.resolve("Sở Tài nguyên và Môi trườg")
    assert match is not None
    assert match.key == "so-tnmt"
    assert match.via == "fuzzy"
    assert match.score < 0.95


@pytest.mark.parametrize("mention", ["", "   ", "Báo", "abc xyz", "Thủ tướng Chính phủ", "năm 2030"])
def test_resolve_unknown_returns_none(matcher: AgencyMatcher, mention: str) -> None:
    assert matcher.resolve(mention) is None


def test_generated_initials_are_dropped_when_ambiguous(matcher: AgencyMatcher) -> None:
    # "Sở Nội vụ" and "Sở Ngoại vụ" both give "SNV"; only the catalogue's own forms count.
    snv = matcher.resolve("SNV")
    assert snv is not None and snv.key == "so-nv"  # listed abbreviation
    sngv = matcher.resolve("SNgV")
    assert sngv is not None and sngv.key == "so-ngv"


def test_every_catalogue_form_resolves_to_its_own_row(matcher: AgencyMatcher) -> None:
    problems = []
    for entry in matcher.entries:
        for form in (entry.name, *entry.aliases, *entry.abbreviations):
            match = matcher.resolve(form)
            if match is None or match.key != entry.key:
                problems.append((entry.key, form, match and match.key))
            found = [m.key for m in matcher.find_all(form)]
            if found != [entry.key]:
                problems.append((entry.key, form, found))
    assert problems == []


# ----------------------------------------------------------------------------------------------
# find_all
# ----------------------------------------------------------------------------------------------


def test_find_all_splits_a_list_of_agencies(matcher: AgencyMatcher) -> None:
    text = "Sở Tài chính, Sở Công Thương và UBND các huyện, thành phố"
    found = matcher.find_all(text)
    assert [m.key for m in found] == ["so-tc", "so-ct", "ubnd-cap-huyen"]
    for m in found:
        assert m.span is not None
        assert text[m.span[0] : m.span[1]] == m.matched


def test_find_all_consumes_place_suffix(matcher: AgencyMatcher) -> None:
    text = "Đài Phát thanh và Truyền hình tỉnh, Báo Bắc Giang: Mở chuyên trang"
    found = matcher.find_all(text)
    assert [(m.key, m.matched) for m in found] == [
        ("dai-ptth", "Đài Phát thanh và Truyền hình tỉnh"),
        ("bao-tinh", "Báo Bắc Giang"),
    ]


def test_find_all_ignores_document_symbols(matcher: AgencyMatcher) -> None:
    text = "Theo đề nghị của Sở Kế hoạch và Đầu tư tại Tờ trình số 107/TTr-SKHĐT ngày 16/9/2022"
    assert [m.key for m in matcher.find_all(text)] == ["so-khdt"]


def test_find_all_ignores_common_nouns(matcher: AgencyMatcher) -> None:
    assert matcher.find_all("tăng cường thanh tra, kiểm tra; lực lượng công an địa phương") == []
    assert matcher.find_all("Báo cáo kết quả thực hiện") == []
    assert matcher.find_all("lắp đặt trạm sạc stc cho xe điện") == []  # an abbreviation in lower case


def test_find_all_prefers_the_longest_name(matcher: AgencyMatcher) -> None:
    found = matcher.find_all("Bộ Công an và Công an tỉnh phối hợp")
    assert [m.key for m in found] == ["bo-ca", "cong-an"]


def test_find_all_on_a_coordinating_phrase(matcher: AgencyMatcher) -> None:
    text = "Chủ trì, phối hợp với Sở Giao thông vận tải, Sở Thông tin và Truyền thông triển khai"
    assert [m.key for m in matcher.find_all(text)] == ["so-gtvt", "so-tttt"]


# ----------------------------------------------------------------------------------------------
# Hypothesis: spelling variations never change the match
# ----------------------------------------------------------------------------------------------

_NAMES = sorted({e.name for e in load_default_entries()})
_DASHES = ["-", "–", "—", " - ", " – ", " —  "]


@st.composite
def _respelled(draw: st.DrawFn) -> tuple[str, str]:
    name = draw(st.sampled_from(_NAMES))
    words = name.split(" ")
    out = []
    for word in words:
        if word in ("-", "–", "—"):
            out.append(draw(st.sampled_from(_DASHES)).strip() or "-")
        else:
            out.append(word)
    spaces = [draw(st.sampled_from([" ", "  ", " \t ", "   "])) for _ in out]
    text = "".join(w + s for w, s in zip(out, spaces, strict=True)).strip()
    text = draw(st.sampled_from([text, text.upper(), text.lower() if not text.startswith("UBND") else text]))
    padding = draw(st.sampled_from(["", " ", "  ", "\n"]))
    return name, padding + text + padding


@given(_respelled())
@settings(max_examples=300, deadline=None)
def test_whitespace_dash_and_case_variants_resolve_the_same(pair: tuple[str, str]) -> None:
    matcher = default_matcher()
    name, variant = pair
    expected = matcher.resolve(name)
    got = matcher.resolve(variant)
    assert expected is not None
    assert got is not None, variant
    assert got.key == expected.key


@given(st.sampled_from(_NAMES), st.sampled_from(["tỉnh Bắc Giang", "tỉnh", "tỉnh Quảng Ngãi", ""]))
@settings(max_examples=200, deadline=None)
def test_trailing_province_does_not_change_the_match(name: str, suffix: str) -> None:
    matcher = default_matcher()
    expected = matcher.resolve(name)
    got = matcher.resolve(f"{name} {suffix}".strip())
    assert expected is not None and got is not None
    assert got.key == expected.key


@given(st.text(max_size=300))
@settings(max_examples=300, deadline=None)
def test_find_all_spans_are_ordered_and_inside_the_text(text: str) -> None:
    found = default_matcher().find_all(text)
    last_end = 0
    for m in found:
        assert m.span is not None
        start, end = m.span
        assert last_end <= start < end <= len(text)
        assert text[start:end] == m.matched
        last_end = end


# ----------------------------------------------------------------------------------------------
# Catalogue file
# ----------------------------------------------------------------------------------------------


def test_catalogue_contract() -> None:
    entries = load_default_entries()
    keys = {e.key for e in entries}
    assert len(keys) == len(entries)
    assert {e.kind for e in entries} <= set(KINDS)
    # Every body of the domain CSV is in the catalogue, with the 2025 successors.
    for key in ("so-khdt", "so-tc", "so-tnmt", "so-nnptnt", "so-gtvt", "so-tttt", "so-ldtbxh", "vp-ubnd"):
        assert key in keys
    by_key = {e.key: e for e in entries}
    assert by_key["so-khdt"].successor_key == "so-tc"
    assert by_key["so-khdt"].successor_from == date(2025, 3, 1)
    assert by_key["so-nnmt"].valid_from == date(2025, 3, 1)
    assert by_key["so-ngv"].successor_key is None  # "not known" in the domain pack
    assert by_key["ubnd-cap-huyen"].kind == "collective"
    assert all(e.source for e in entries)


def test_successor_on(matcher: AgencyMatcher) -> None:
    assert matcher.successor_on("so-khdt", date(2025, 2, 28)).key == "so-khdt"
    assert matcher.successor_on("so-khdt", date(2025, 3, 1)).key == "so-tc"
    assert matcher.successor_on("so-tnmt", date(2026, 1, 1)).name == "Sở Nông nghiệp và Môi trường"
    assert matcher.successor_on("so-tc", date(2030, 1, 1)).key == "so-tc"


def test_entry_validity() -> None:
    entry = AgencyEntry("x", "X", "other", valid_from=date(2025, 3, 1), valid_to=date(2025, 6, 30))
    assert not entry.valid_on(date(2025, 2, 28))
    assert entry.valid_on(date(2025, 3, 1))
    assert not entry.valid_on(date(2025, 7, 1))


_HEADER = (
    "key,name,kind,abbreviations,aliases,valid_from,valid_to,successor_key,successor_from,confidence,source\n"
)


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            "a,Sở A,department,,,,,,,H,x\na,Sở B,department,,,,,,,H,x\n",
            "dòng 3, cột «key»: mã «a» bị trùng với dòng 2",
        ),
        ("a,Sở A,agency,,,,,,,H,x\n", "dòng 2, cột «kind»"),
        ("a,Sở A,department,,,2025-13-01,,,,H,x\n", "dòng 2, cột «valid_from»"),
        ("a,Sở A,department,,,,,b,2025-03-01,H,x\n", "không có cơ quan mã «b»"),
        ("a,,department,,,,,,,H,x\n", "dòng 2, cột «name»"),
        ("A B,Sở A,department,,,,,,,H,x\n", "dòng 2, cột «key»"),
        ("a,Sở A,department,,,,,,2025-03-01,H,x\n", "thiếu «successor_key»"),
    ],
)
def test_catalogue_errors_name_row_and_field(tmp_path: Path, body: str, message: str) -> None:
    path = tmp_path / "agencies.csv"
    path.write_text(_HEADER + body, encoding="utf-8")
    with pytest.raises(CatalogueError, match=re.escape(message)):
        load_entries(path)


def test_catalogue_missing_column(tmp_path: Path) -> None:
    path = tmp_path / "agencies.csv"
    path.write_text("key,name\na,Sở A\n", encoding="utf-8")
    with pytest.raises(CatalogueError, match="thiếu cột"):
        load_entries(path)


def test_matcher_over_a_custom_catalogue() -> None:
    entries = [
        AgencyEntry("so-a", "Sở Alpha", "department", abbreviations=("SA",)),
        AgencyEntry("cac", "Các đơn vị", "collective"),
    ]
    matcher = AgencyMatcher(entries, [Place("Xanh Lam", "province")])
    match = matcher.resolve("Sở Alpha tỉnh Xanh Lam")
    assert match is not None and match.key == "so-a"
    assert [m.key for m in matcher.find_all("Sở Alpha và các đơn vị")] == ["so-a", "cac"]
    assert matcher.resolve("Sở Beta") is None


# ----------------------------------------------------------------------------------------------
# Seed 001 (QĐ 1026/QĐ-UBND, Bắc Giang): every agency heading a task resolves to the right body
# ----------------------------------------------------------------------------------------------

# Heading phrase (start of the item) → expected agencies, longest prefix first.
_SEED_HEADINGS: list[tuple[str, list[str]]] = [
    ("Các sở, ngành liên quan, UBND các huyện, thành phố", ["cac-so-nganh", "ubnd-cap-huyen"]),
    ("Các sở, ngành, UBND các huyện, thành phố", ["cac-so-nganh", "ubnd-cap-huyen"]),
    ("Các sở, ngành, địa phương", ["cac-so-nganh-dia-phuong"]),
    ("Đài Phát thanh và Truyền hình tỉnh, Báo Bắc Giang", ["dai-ptth", "bao-tinh"]),
    ("Ngân hàng Nhà nước chi nhánh tỉnh Bắc Giang", ["nhnn-cn"]),
    ("Ban Quản lý các Khu công nghiệp tỉnh", ["bql-kcn"]),
    ("UBND các huyện, thành phố", ["ubnd-cap-huyen"]),
    ("UBND thành phố Bắc Giang", ["ubnd-huyen"]),
    ("Sở Kế hoạch và Đầu tư", ["so-khdt"]),
    ("Sở Tài nguyên và Môi trường", ["so-tnmt"]),
    ("Sở Nông nghiệp và Phát triển nông thôn", ["so-nnptnt"]),
    ("Sở Công Thương", ["so-ct"]),
    ("Sở Thông tin Truyền thông", ["so-tttt"]),
    ("Sở Thông tin và Truyền thông", ["so-tttt"]),
    ("Sở Văn hóa, Thể thao và Du lịch", ["so-vhttdl"]),
    ("Sở Giáo dục và Đào tạo", ["so-gddt"]),
    ("Sở Lao động – Thương binh và Xã hội", ["so-ldtbxh"]),
    ("Sở Nội vụ", ["so-nv"]),
    ("Sở Y tế", ["so-yt"]),
    ("Sở Tài chính", ["so-tc"]),
    ("Sở Khoa học và Công nghệ", ["so-khcn"]),
    ("Sở Ngoại vụ", ["so-ngv"]),
    ("Sở Giao thông vận tải", ["so-gtvt"]),
    ("Sở Xây dựng", ["so-xd"]),
]
# Numbered items of part III that are section titles, not assignments.
_SEED_SECTION_TITLES = {
    "Năng lượng",
    "Công nghiệp",
    "Giao thông vận tải, logistics",
    "Xây dựng",
    "Nông nghiệp và Phát triển nông thôn",
    "Quản lý chất thải",
    "Quản lý chất lượng không khí",
    "Quản lý tài nguyên nước, tài nguyên đất đai, đa dạng sinh học",
    "Tiêu dùng và mua sắm xanh, bền vững",
    "Y tế",
    "Du lịch",
}


def _seed_item_heads(text: str) -> list[str]:
    part = text[text.index("III. NHIỆM VỤ") : text.index("IV. TỔ CHỨC")]
    heads = []
    for line in part.splitlines():
        m = re.match(r"^(?:\d+\.\d+\.|[a-zđ]\))\s*(.+)$", line)
        if m:
            heads.append(m.group(1))
    # 8.11 and 9 carry their assignment in the paragraph after the numbered title.
    for title in ("8.11. Du lịch\n", "9. Nhóm giải pháp về ứng phó với những diễn biến phát sinh đột xuất\n"):
        start = part.index(title) + len(title)
        heads.append(part[start : part.index("\n", start)])
    return heads


@pytest.mark.skipif(not SEED_001.exists(), reason="shared seeds are not available")
def test_every_task_heading_agency_in_seed_001_resolves(matcher: AgencyMatcher) -> None:
    text = SEED_001.read_text(encoding="utf-8")
    heads = _seed_item_heads(text)
    assert len(heads) >= 60
    checked = 0
    for head in heads:
        if head.strip() in _SEED_SECTION_TITLES:
            continue
        expected = next((keys for prefix, keys in _SEED_HEADINGS if head.startswith(prefix)), None)
        assert expected is not None, f"unexpected task heading in seed 001: {head[:80]!r}"
        phrase = head.split(":", 1)[0] if ":" in head[:120] else head[: len(head.split(" theo ")[0])]
        found = [m.key for m in matcher.find_all(phrase)]
        assert found[: len(expected)] == expected, (head[:80], found)
        for prefix, keys in _SEED_HEADINGS:
            if head.startswith(prefix) and len(keys) == 1:
                single = matcher.resolve(prefix)
                assert single is not None and single.key == keys[0], prefix
                break
        checked += 1
    assert checked >= 55
