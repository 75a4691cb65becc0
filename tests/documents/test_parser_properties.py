"""Property tests for the plan parser: spelling and layout variations do not change what is found,
random text never breaks it, and pathological input finishes (no catastrophic regular expressions)."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from xanh.agencies.matching import default_matcher
from xanh.documents.parsing import parse_text

REPO = Path(__file__).resolve().parents[2]
CORPUS = REPO / "tests" / "documents" / "corpus"
SEED_001 = REPO / ".." / "shared" / "seeds" / "001_5088301c01db933d.txt"

DOCUMENTS = {p.stem: p.read_text(encoding="utf-8") for p in sorted(CORPUS.glob("*.txt"))}
if SEED_001.exists():
    DOCUMENTS["seed_001"] = SEED_001.read_text(encoding="utf-8")
ALL_LINES = [line for text in DOCUMENTS.values() for line in text.splitlines() if line.strip()]

DEBRIS = [
    "Trang chủ | Giới thiệu | Tin tức | Liên hệ",
    "Thống kê truy cập",
    "Đang online: 12",
    "Hôm nay: 3.456",
    "Họ tên*",
    "Bình luận*",
    "Lượt xem: 99",
    "^ Về đầu trang",
    "Bản quyền © 2024 Cổng thông tin điện tử",
]


def _summary(text: str) -> dict[str, Any]:
    data = parse_text(text).to_json()
    matcher = default_matcher()
    components = sorted(
        json.dumps([c["value"], c["low"], c["high"], c["unit"], c["comparator"], t["year"]])
        for t in data["targets"]
        for c in t["components"]
    )

    def keys(names: list[str]) -> list[str]:
        out = []
        for name in names:
            match = matcher.resolve(name)
            out.append(match.key if match else " ".join(name.split()))
        return sorted(out)

    tasks = sorted(json.dumps([t["id"], keys(t["lead"]), keys(t["coordinating"])]) for t in data["tasks"])
    return {
        "number": data["document"]["number"],
        "issued_on": data["document"]["issued_on"],
        "components": components,
        "milestones": sum(1 for t in data["targets"] if t["kind"] == "milestone"),
        "tasks": tasks,
        "references": sorted(json.dumps([r["number"], r["issued_on"]]) for r in data["references"]),
        "abbreviations": sorted(data["abbreviations"]),
    }


BASELINES = {name: _summary(text) for name, text in DOCUMENTS.items()}


@st.composite
def _perturbed(draw: st.DrawFn) -> tuple[str, str]:
    name = draw(st.sampled_from(sorted(DOCUMENTS)))
    text = DOCUMENTS[name]
    dash = draw(st.sampled_from(["-", "–", "—"]))
    text = re.sub(r"(?<=\S) [-–—] (?=\S)", f" {dash} ", text)
    if draw(st.booleans()):
        # Extra spaces between words (never inside numbers such as "17.000" or "1,5").
        text = re.sub(r"(?<=[^\W\d]) (?=[^\W\d])", lambda m: draw(st.sampled_from([" ", "  "])), text)
    if draw(st.booleans()):
        text = re.sub(r"(?m)^(\d{1,2}(?:\.\d{1,2})*\.|[a-zđ]\)|[IVX]+\.)", r"\1 ", text)
    if draw(st.booleans()):
        text = "\n".join(line + draw(st.sampled_from(["", " ", "\t"])) for line in text.split("\n"))
    if draw(st.booleans()):
        text = text.replace("\n", "\r\n")
    head = draw(st.lists(st.sampled_from(DEBRIS), max_size=3))
    tail = draw(st.lists(st.sampled_from(DEBRIS), max_size=4))
    text = "\n".join([*head, text, *tail])
    return name, text


@given(_perturbed())
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_layout_and_spelling_variations_do_not_change_the_result(case: tuple[str, str]) -> None:
    name, text = case
    got = _summary(text)
    expected = BASELINES[name]
    for key in ("components", "milestones", "tasks", "references", "abbreviations"):
        assert got[key] == expected[key], (name, key)
    if not any(text.startswith(d) for d in DEBRIS):
        assert got["number"] == expected["number"]


@given(st.text(max_size=3000))
@settings(max_examples=150, deadline=None)
def test_random_text_never_breaks_the_parser(text: str) -> None:
    draft = parse_text(text)
    data = draft.to_json()
    json.dumps(data, ensure_ascii=False)
    for item in data["sections"] + data["targets"] + data["tasks"]:
        start, end = item["span"]
        assert 0 <= start <= end <= len(draft.text)


@given(st.lists(st.sampled_from(ALL_LINES), min_size=1, max_size=80))
@settings(max_examples=80, deadline=None)
def test_shuffled_document_lines_keep_the_contract(lines: list[str]) -> None:
    draft = parse_text("\n".join(lines))
    data = draft.to_json()
    ids = [s["id"] for s in data["sections"]]
    assert len(ids) == len(set(ids))
    assert len({t["id"] for t in data["tasks"]}) == len(data["tasks"])
    for target in data["targets"]:
        assert target["section"] is None or target["section"] in ids
        for comp in target["components"]:
            assert comp["comparator"] in ("=", ">=", ">", "<=", "<", "range", "approx")
    for task in data["tasks"]:
        assert task["section"] is None or task["section"] in ids


@pytest.mark.parametrize(
    "text",
    [
        "1" * 20000,
        "1." * 10000,
        "(" * 10000 + ")" * 10000,
        "Sở " * 5000,
        "a" * 50000,
        "Tỷ lệ đạt " * 3000 + "42%",
        "- " * 10000,
        "1,5 – " * 5000,
        "phối hợp với " * 3000,
        "chủ trì " * 3000,
        "| " * 10000,
        "UBND các huyện, " * 3000,
        "\n".join(f"{i}.{i}. Sở Tài chính: chủ trì." for i in range(1, 2000)),
        "Số: " + "1/" * 5000,
        "Quyết định số " * 3000,
        ("năm 2030 " * 2000) + "đạt 42%",
        "(" * 3000 + "viết tắt là TTX)",
    ],
)
def test_pathological_input_finishes(text: str) -> None:
    data = parse_text(text).to_json()
    assert isinstance(data["warnings"], list)
