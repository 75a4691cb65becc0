"""The plan parser (pure): JSON contract, seed quality bar, and behaviour on focused examples."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from xanh.documents.parsing import parse_text
from xanh.documents.parsing.score import main as score_main
from xanh.documents.parsing.score import score_file

REPO = Path(__file__).resolve().parents[2]
SEED_001 = REPO / ".." / "shared" / "seeds" / "001_5088301c01db933d.txt"
EXPECTED = REPO / "tests" / "documents" / "expected"
CORPUS = REPO / "tests" / "documents" / "corpus"

needs_seed = pytest.mark.skipif(not SEED_001.exists(), reason="shared seeds are not available")


def _check_contract(data: dict[str, Any], text: str) -> None:
    """The keys and shapes of `xanh plan parse --json` (issue 3)."""
    assert set(data) == {
        "document",
        "sections",
        "targets",
        "tasks",
        "abbreviations",
        "references",
        "warnings",
    }
    assert set(data["document"]) == {"number", "kind", "issuer", "issued_on", "signer", "title", "period"}
    period = data["document"]["period"]
    assert period is None or (len(period) == 2 and all(isinstance(y, int) for y in period))
    section_ids = set()
    for section in data["sections"]:
        assert set(section) == {"id", "label", "heading", "parent", "span"}
        assert section["id"] not in section_ids
        section_ids.add(section["id"])
        assert section["parent"] is None or section["parent"] in section_ids
        start, end = section["span"]
        assert 0 <= start <= end <= len(text)
    target_ids = set()
    for target in data["targets"]:
        assert set(target) == {"id", "n", "text", "pillar", "section", "kind", "year", "span", "components"}
        assert target["id"] not in target_ids
        target_ids.add(target["id"])
        assert target["kind"] in ("quantitative", "milestone")
        assert target["section"] is None or target["section"] in section_ids
        assert (target["kind"] == "milestone") == (not target["components"])
        for comp in target["components"]:
            assert set(comp) == {
                "subject",
                "value",
                "low",
                "high",
                "unit",
                "comparator",
                "direction",
                "scope",
                "baseline",
            }
            assert comp["comparator"] in ("=", ">=", ">", "<=", "<", "range", "approx")
            assert comp["direction"] in ("increase", "decrease", "reach", None)
            if comp["comparator"] == "range":
                assert comp["low"] is not None and comp["high"] is not None and comp["low"] < comp["high"]
            else:
                assert comp["value"] is not None
            if comp["baseline"] is not None:
                assert set(comp["baseline"]) == {"value", "year"}
        start, end = target["span"]
        assert 0 <= start < end <= len(text)
    task_ids = set()
    for task in data["tasks"]:
        assert set(task) == {"id", "section", "text", "lead", "coordinating", "deadline", "span"}
        assert task["id"] not in task_ids
        task_ids.add(task["id"])
        assert task["section"] is None or task["section"] in section_ids
        assert all(isinstance(name, str) and name for name in task["lead"] + task["coordinating"])
        assert not set(task["lead"]) & set(task["coordinating"])
    for ref in data["references"]:
        assert set(ref) == {"number", "kind", "issued_on"}
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in data["abbreviations"].items())
    assert all(isinstance(w, str) for w in data["warnings"])
    json.dumps(data, ensure_ascii=False)


# ----------------------------------------------------------------------------------------------
# Seed 001 (Bắc Giang, QĐ 1026/QĐ-UBND) and the corpus: the quality bar
# ----------------------------------------------------------------------------------------------


@needs_seed
def test_seed_001_meets_the_quality_bar() -> None:
    result = score_file(EXPECTED / "bac_giang_1026.json")
    assert result is not None
    failures = [(m.name, m.misses) for m in result.metrics if not m.passed]
    assert failures == []


@needs_seed
def test_seed_001_contract_and_key_facts() -> None:
    draft = parse_text(SEED_001.read_text(encoding="utf-8"))
    data = draft.to_json()
    _check_contract(data, draft.text)
    assert data["document"]["number"] == "1026/QĐ-UBND"
    assert data["document"]["period"] == [2021, 2030]
    numbered = {t["n"]: t for t in data["targets"] if t["n"] is not None}
    assert sorted(numbered) == list(range(1, 16))
    assert numbered[12]["kind"] == numbered[14]["kind"] == "milestone"
    nilon = [t for t in data["targets"] if t["section"] == "III.8.9.a"]
    assert [c["value"] for c in nilon[0]["components"]] == [65]
    part_iii = [t for t in data["tasks"] if t["id"].startswith("III.")]
    assert len(part_iii) == 62


@pytest.mark.parametrize("expected", sorted(p.name for p in EXPECTED.glob("*.json")))
def test_expected_answers(expected: str) -> None:
    result = score_file(EXPECTED / expected)
    if result is None:
        pytest.skip("source document not available")
    failures = [(m.name, m.misses) for m in result.metrics if not m.passed]
    assert failures == []


@pytest.mark.parametrize("name", sorted(p.name for p in CORPUS.glob("*.txt")))
def test_corpus_documents_respect_the_contract(name: str) -> None:
    draft = parse_text((CORPUS / name).read_text(encoding="utf-8"))
    _check_contract(draft.to_json(), draft.text)


def test_score_script_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert score_main([str(EXPECTED / "ke_hoach_lam_son.json")]) == 0
    wrong = json.loads((EXPECTED / "ke_hoach_lam_son.json").read_text(encoding="utf-8"))
    wrong["document"]["number"] = "59/KH-UBND"
    bad = tmp_path / "wrong.json"
    bad.write_text(json.dumps(wrong, ensure_ascii=False), encoding="utf-8")
    assert score_main([str(bad)]) == 1
    assert "CHƯA ĐẠT" in capsys.readouterr().out
    missing = tmp_path / "missing.json"
    missing.write_text(json.dumps({"source": "no/such/file.txt"}), encoding="utf-8")
    assert score_main([str(missing)]) == 0


# ----------------------------------------------------------------------------------------------
# Targets
# ----------------------------------------------------------------------------------------------

_TARGETS_DOC = """KẾ HOẠCH
Thực hiện tăng trưởng xanh giai đoạn 2021-2030
I. MỤC TIÊU CỤ THỂ ĐẾN NĂM 2030
{items}
II. NHIỆM VỤ, GIẢI PHÁP
1. Sở Tài chính: chủ trì tổng hợp.
"""


def _components(item: str) -> list[dict[str, Any]]:
    data = parse_text(_TARGETS_DOC.format(items=item)).to_json()
    assert len(data["targets"]) == 1, data["targets"]
    comps: list[dict[str, Any]] = data["targets"][0]["components"]
    return comps


@pytest.mark.parametrize(
    ("item", "expected"),
    [
        (
            "- Tỷ lệ che phủ rừng đạt 42%.",
            {"value": 42, "unit": "%", "comparator": "=", "direction": "reach"},
        ),
        ("- Tỷ lệ mua sắm công xanh đạt ít nhất 35%.", {"value": 35, "comparator": ">="}),
        ("- Tỷ lệ mua sắm công xanh tối thiểu 35%.", {"value": 35, "comparator": ">="}),
        ("- Tỷ lệ hộ nghèo dưới 2%.", {"value": 2, "comparator": "<"}),
        ("- Tỷ lệ chôn lấp không quá 10%.", {"value": 10, "comparator": "<="}),
        ("- Tỷ lệ GAP đạt trên 80,0%.", {"value": 80, "comparator": ">"}),
        ("- Tỷ trọng kinh tế số khoảng 20%.", {"value": 20, "comparator": "approx"}),
        ("- Điện tái tạo đạt 15-20%.", {"low": 15, "high": 20, "comparator": "range"}),
        (
            "- Tiêu hao điện giảm 1,5 – 2,0%/năm.",
            {"low": 1.5, "high": 2, "unit": "%/năm", "direction": "decrease"},
        ),
        ("- Rừng có chứng chỉ đạt 17.000 ha.", {"value": 17000, "unit": "ha"}),
        ("- Chỉ số HDI đạt 0,85.", {"value": 0.85, "unit": None}),
        (
            "- Số doanh nghiệp công nghệ số tăng lên 500 doanh nghiệp.",
            {"value": 500, "direction": "increase"},
        ),
        ("- Diện tích lúa giảm phát thải từ 5 nghìn ha trở lên.", {"value": 5, "comparator": ">="}),
    ],
)
def test_target_components(item: str, expected: dict[str, Any]) -> None:
    comp = _components(item)[0]
    for key, value in expected.items():
        assert comp[key] == value, (key, comp)


def test_several_components_and_scopes() -> None:
    comps = _components("- Tỷ lệ dân số dùng nước sạch đạt 92% (trong đó thành thị 100%; nông thôn 90%).")
    assert [(c["value"], c["scope"]) for c in comps] == [(92, None), (100, "thành thị"), (90, "nông thôn")]
    assert len({c["subject"] for c in comps}) == 1
    comps = _components(
        "- Tỷ lệ ứng dụng công nghệ cao: nông nghiệp đạt 50%, thủy sản đạt 55% và lâm nghiệp đạt 30%."
    )
    assert [c["value"] for c in comps] == [50, 55, 30]
    assert [c["subject"] for c in comps][1:] == ["thủy sản", "lâm nghiệp"]


def test_baseline_is_read_and_not_a_component() -> None:
    comps = _components("- Tỷ lệ đô thị hóa tăng từ 35% (năm 2020) lên 45%.")
    assert len(comps) == 1
    assert comps[0]["value"] == 45
    assert comps[0]["baseline"] == {"value": 35, "year": 2020}
    assert comps[0]["direction"] == "increase"


def test_year_from_sentence_heading_and_period() -> None:
    doc = """KẾ HOẠCH
Giai đoạn 2021-2030
II. MỤC TIÊU
1. Đến năm 2025
- Tỷ lệ che phủ rừng đạt 40%.
2. Đến năm 2030
- Tỷ lệ che phủ rừng đạt 42%.
- Tỷ lệ thu gom rác đạt 95% vào năm 2028.
"""
    data = parse_text(doc).to_json()
    assert [(t["year"], t["components"][0]["value"]) for t in data["targets"]] == [
        (2025, 40),
        (2030, 42),
        (2028, 95),
    ]


def test_milestones_in_the_targets_list() -> None:
    doc = _TARGETS_DOC.format(
        items="- Hoàn thành xây dựng Kế hoạch quản lý chất lượng không khí cấp tỉnh.\n- Tỷ lệ che phủ rừng đạt 42%."
    )
    data = parse_text(doc).to_json()
    assert [t["kind"] for t in data["targets"]] == ["milestone", "quantitative"]
    assert data["targets"][0]["components"] == []


@pytest.mark.parametrize(
    "sentence",
    [
        "Năm 2022 tỷ lệ che phủ rừng đạt 35%.",
        "Toàn tỉnh đã có 627 xe buýt điện (26,3%).",
        "Kế hoạch đề ra 4 mục tiêu cụ thể và 6 nhóm giải pháp.",
        "Dự án 3 đã hoàn thành giai đoạn chuẩn bị, phù hợp cam kết tại COP 26.",
        "Lượng chất thải nhựa tăng khoảng 12% so với cùng kỳ.",
        "Hiện nay tỷ lệ thu gom rác thải đạt 85%.",
        "Kế hoạch phát triển kinh tế - xã hội 5 năm 2021-2025.",
    ],
)
def test_achievements_counts_and_identifiers_are_not_targets(sentence: str) -> None:
    doc = f"Tin ngày 15/08/2024\n{sentence}\nPhấn đấu đến năm 2030 tỷ lệ che phủ rừng đạt 42%."
    data = parse_text(doc).to_json()
    values = [c["value"] for t in data["targets"] for c in t["components"]]
    assert values == [42]


def test_targets_in_task_paragraphs_and_prose() -> None:
    doc = """KẾ HOẠCH
III. NHIỆM VỤ, GIẢI PHÁP
1. Sở Công Thương: Tuyên truyền hạn chế túi nilon, hướng tới mục tiêu giảm 65% túi nilon tại siêu thị vào năm 2030.
2. UBND các huyện, thành phố: đầu tư hệ thống xử lý nước thải, đảm bảo đến năm 2030, 100% CCN có hệ thống xử lý.
"""
    data = parse_text(doc).to_json()
    found = [
        (t["section"], t["components"][0]["value"], t["components"][0]["direction"]) for t in data["targets"]
    ]
    assert found == [("III.1", 65, "decrease"), ("III.2", 100, "reach")]
    assert data["targets"][0]["components"][0]["subject"].startswith("túi nilon")


# ----------------------------------------------------------------------------------------------
# Tasks
# ----------------------------------------------------------------------------------------------


def test_task_leads_coordination_and_deadline() -> None:
    doc = """KẾ HOẠCH
III. NHIỆM VỤ, GIẢI PHÁP
1. Nhóm giải pháp về thể chế
1.1. Sở Kế hoạch và Đầu tư: Chủ trì, phối hợp với Sở Tài chính, Sở Tư pháp rà soát quy định. Thời gian thực hiện: năm 2024.
1.2. Các sở, ngành, UBND các huyện, thành phố theo chức năng, nhiệm vụ thực hiện lồng ghép.
2. Năng lượng
a) Sở Công Thương
Tham mưu chương trình tiết kiệm năng lượng; phối hợp với Công ty Điện lực tỉnh.
b) Sở TN&MT: Hướng dẫn kiểm kê khí nhà kính, hoàn thành trước ngày 30/6/2025.
3. Thông tin
Các cơ quan báo chí chủ động đưa tin.
"""
    tasks = {t["id"]: t for t in parse_text(doc).to_json()["tasks"]}
    assert tasks["III.1.1"]["lead"] == ["Sở Kế hoạch và Đầu tư"]
    assert tasks["III.1.1"]["coordinating"] == ["Sở Tài chính", "Sở Tư pháp"]
    assert tasks["III.1.1"]["deadline"] == "Năm 2024"
    assert tasks["III.1.1"]["section"] == "III.1"
    assert tasks["III.1.2"]["lead"] == ["Các sở, ban, ngành", "UBND cấp huyện"]
    assert tasks["III.2.a"]["lead"] == ["Sở Công Thương"]
    assert tasks["III.2.a"]["coordinating"] == ["Công ty Điện lực tỉnh"]
    assert tasks["III.2.b"]["lead"] == ["Sở Tài nguyên và Môi trường"]
    assert tasks["III.2.b"]["deadline"] == "Trước ngày 30/6/2025"
    assert tasks["III.3"]["lead"] == ["Các cơ quan báo chí"]


def test_unresolved_agency_is_kept_and_warned() -> None:
    doc = "KẾ HOẠCH\nIII. NHIỆM VỤ, GIẢI PHÁP\n1. Trung tâm Xúc tiến Đầu tư tỉnh: Tổ chức hội nghị xúc tiến đầu tư xanh.\n"
    data = parse_text(doc).to_json()
    assert data["tasks"][0]["lead"] == ["Trung tâm Xúc tiến Đầu tư tỉnh"]
    assert any("Trung tâm Xúc tiến Đầu tư tỉnh" in w and "III.1" in w for w in data["warnings"])


def test_lead_inherited_from_the_parent_item() -> None:
    doc = "KẾ HOẠCH\nIII. NHIỆM VỤ, GIẢI PHÁP\n1. Sở Y tế:\na) Xây dựng mô hình bệnh viện xanh.\nb) Quản lý chất thải y tế.\n"
    tasks = parse_text(doc).to_json()["tasks"]
    assert [(t["id"], t["lead"]) for t in tasks] == [("III.1.a", ["Sở Y tế"]), ("III.1.b", ["Sở Y tế"])]


def test_task_table_rows() -> None:
    doc = """PHỤ LỤC
DANH MỤC NHIỆM VỤ
STT | Nhiệm vụ | Cơ quan chủ trì | Cơ quan phối hợp | Thời gian thực hiện
1 | Kiểm kê khí nhà kính cấp tỉnh | Sở TN&MT | Sở Công Thương; Cục Thống kê tỉnh | 2025
2 | Xây dựng bộ chỉ số xanh | Viện Kinh tế xanh | Sở Tài chính | 2024 - 2025
"""
    data = parse_text(doc).to_json()
    assert [(t["id"], t["lead"], t["coordinating"], t["deadline"]) for t in data["tasks"]] == [
        ("PL.1", ["Sở Tài nguyên và Môi trường"], ["Sở Công Thương", "Cục Thống kê tỉnh"], "2025"),
        ("PL.2", ["Viện Kinh tế xanh"], ["Sở Tài chính"], "2024 - 2025"),
    ]
    assert any("Viện Kinh tế xanh" in w for w in data["warnings"])


# ----------------------------------------------------------------------------------------------
# Structure, metadata, references, abbreviations
# ----------------------------------------------------------------------------------------------


def test_section_ids_are_label_paths_with_roman_numerals_and_đ() -> None:
    doc = "KẾ HOẠCH\nII. MỤC TIÊU\n1. Chung\nd) Bốn\nđ) Năm\nIII. NHIỆM VỤ\n8.1. Năng lượng\na) Sở Công Thương: làm.\n"
    sections = {s["id"]: s for s in parse_text(doc).to_json()["sections"]}
    assert list(sections) == ["II", "II.1", "II.1.d", "II.1.đ", "III", "III.8.1", "III.8.1.a"]
    assert sections["II.1.đ"]["parent"] == "II.1"
    assert sections["III.8.1"]["label"] == "8.1."
    assert sections["III.8.1.a"]["heading"] == "Sở Công Thương"


def test_metadata_of_a_decision() -> None:
    doc = """ỦY BAN NHÂN DÂN
TỈNH QUẢNG NGÃI
Số: 822/QĐ-UBND
Quảng Ngãi, ngày 17 tháng 8 năm 2023
QUYẾT ĐỊNH
BAN HÀNH KẾ HOẠCH HÀNH ĐỘNG TĂNG TRƯỞNG XANH TỈNH QUẢNG NGÃI GIAI ĐOẠN 2021 - 2030
Căn cứ Quyết định số 1658/QĐ-TTg ngày 01/10/2021 của Thủ tướng Chính phủ;
Theo đề nghị của Sở Kế hoạch và Đầu tư tại Công văn số 1456/SKHĐT-KTN ngày 10/8/2023.
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH
Trần Phước Hiền
"""
    data = parse_text(doc).to_json()
    assert data["document"] == {
        "number": "822/QĐ-UBND",
        "kind": "Quyết định",
        "issuer": "UBND tỉnh Quảng Ngãi",
        "issued_on": "2023-08-17",
        "signer": "Trần Phước Hiền",
        "title": "BAN HÀNH KẾ HOẠCH HÀNH ĐỘNG TĂNG TRƯỞNG XANH TỈNH QUẢNG NGÃI GIAI ĐOẠN 2021 - 2030",
        "period": [2021, 2030],
    }
    assert data["references"] == [
        {"number": "1658/QĐ-TTg", "kind": "Quyết định", "issued_on": "2021-10-01"},
        {"number": "1456/SKHĐT-KTN", "kind": "Công văn", "issued_on": "2023-08-10"},
    ]


def test_reference_symbols_are_normalised() -> None:
    doc = "Căn cứ Quyết định số 569/QĐ -TTg ngày 11/5/2022 và Quyết định số 1407/QĐTTg; Nghị quyết 60-NQ/TW."
    refs = parse_text(doc).to_json()["references"]
    assert [r["number"] for r in refs] == ["569/QĐ-TTg", "1407/QĐ-TTg", "60-NQ/TW"]
    assert refs[0]["issued_on"] == "2022-05-11"
    assert [r["kind"] for r in refs] == ["Quyết định", "Quyết định", "Nghị quyết"]


def test_abbreviations_from_a_glossary_and_from_the_text() -> None:
    doc = """Phát triển tăng trưởng xanh (sau đây gọi tắt là TTX) và giảm khí nhà kính (KNK).
Chỉ số phát triển con người (HDI) tăng.
DANH MỤC TỪ VIẾT TẮT
STT | Từ viết tắt | Nghĩa
1 | BĐKH | Biến đổi khí hậu
2 | KT – XH | Kinh tế – xã hội
Ghi chú cuối văn bản.
"""
    abbreviations = parse_text(doc).to_json()["abbreviations"]
    assert abbreviations == {
        "BĐKH": "Biến đổi khí hậu",
        "KT-XH": "Kinh tế – xã hội",
        "TTX": "tăng trưởng xanh",
        "KNK": "khí nhà kính",
    }


def test_web_debris_is_ignored() -> None:
    doc = """Trang chủ | Tin tức | Liên hệ
Thống kê truy cập
Đang online: 25
Hôm nay: 1.205
Họ tên*
Email*
Bình luận*
Lượt xem: 647
6/9/2023 12:32:28 PM
^ Về đầu trang
"""
    data = parse_text(doc).to_json()
    assert data["targets"] == [] and data["tasks"] == []
    assert any("giao diện trang web" in w for w in data["warnings"])


def test_empty_text_gives_warnings_not_errors() -> None:
    data = parse_text("").to_json()
    assert data["targets"] == [] and data["tasks"] == [] and data["sections"] == []
    assert data["warnings"]


def test_targets_table_gives_one_target_per_indicator_and_year() -> None:
    doc = """KẾ HOẠCH
I. MỤC TIÊU CỤ THỂ
STT | Chỉ tiêu | Đơn vị tính | Năm 2025 | Năm 2030
1 | Tỷ lệ che phủ rừng | % | 48 | 50
2 | Tỷ lệ năng lượng tái tạo | % | 10 - 12 | ≥ 15
3 | Kế hoạch quản lý chất lượng không khí | | | Hoàn thành
"""
    targets = parse_text(doc).to_json()["targets"]
    summary = [
        (
            t["n"],
            t["year"],
            t["kind"],
            [(c["value"], c["low"], c["high"], c["comparator"]) for c in t["components"]],
        )
        for t in targets
    ]
    assert summary == [
        (1, 2025, "quantitative", [(48, None, None, "=")]),
        (1, 2030, "quantitative", [(50, None, None, "=")]),
        (2, 2025, "quantitative", [(None, 10, 12, "range")]),
        (2, 2030, "quantitative", [(15, None, None, ">=")]),
        (3, 2030, "milestone", []),
    ]


def test_one_measure_with_two_target_years_gives_two_targets() -> None:
    doc = _TARGETS_DOC.format(
        items="- Tỷ lệ hộ dân dùng nước sạch: đến năm 2025 đạt 85%, đến năm 2030 đạt 95%."
    )
    targets = parse_text(doc).to_json()["targets"]
    assert [(t["year"], t["components"][0]["value"]) for t in targets] == [(2025, 85), (2030, 95)]
    assert {t["components"][0]["subject"] for t in targets} == {"Tỷ lệ hộ dân dùng nước sạch"}


def test_cơ_quan_chủ_trì_and_phối_hợp_lines() -> None:
    doc = """KẾ HOẠCH
III. NHIỆM VỤ CHỦ YẾU
1. Xây dựng cơ sở dữ liệu tăng trưởng xanh của tỉnh.
Cơ quan chủ trì: Sở Khoa học và Công nghệ. Cơ quan phối hợp: Sở Tài chính, Sở Nội vụ.
Thời gian hoàn thành: Quý IV/2025.
"""
    task = parse_text(doc).to_json()["tasks"][0]
    assert (task["id"], task["lead"], task["coordinating"], task["deadline"]) == (
        "III.1",
        ["Sở Khoa học và Công nghệ"],
        ["Sở Tài chính", "Sở Nội vụ"],
        "Quý IV/2025",
    )
