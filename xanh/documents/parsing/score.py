"""Parser quality scoring against hand-written expected answers (``tests/documents/expected/*.json``).

Each expected file names its ``source`` (relative to the repository root) and lists facts read from the
document by a person: metadata, targets with their component values and units, tasks with their
section and lead agencies, references and abbreviations. ``score_document`` compares a parse with
those facts; ``main`` prints the scores and returns 1 when a score is below its bar (the CI check).
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from xanh.agencies.matching import AgencyMatcher, default_matcher, fold

from .parser import parse_text

__all__ = ["DocumentScore", "Metric", "main", "score_document", "score_file"]

REPO_ROOT = Path(__file__).resolve().parents[3]
DEFAULT_EXPECTED_DIR = REPO_ROOT / "tests" / "documents" / "expected"
DEFAULT_BARS = {"metadata": 1.0, "targets": 1.0, "tasks": 0.95, "references": 1.0, "abbreviations": 1.0}
_EPS = 1e-9


@dataclass(slots=True)
class Metric:
    name: str
    found: int
    total: int
    bar: float | None
    misses: list[str] = field(default_factory=list)

    @property
    def score(self) -> float:
        return 1.0 if self.total == 0 else self.found / self.total

    @property
    def passed(self) -> bool:
        return self.bar is None or self.score + _EPS >= self.bar


@dataclass(slots=True)
class DocumentScore:
    name: str
    metrics: list[Metric]
    seconds: float = 0.0

    @property
    def passed(self) -> bool:
        return all(m.passed for m in self.metrics)


def _same_number(a: Any, b: Any) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(float(a) - float(b)) <= 1e-6 * max(1.0, abs(float(b)))


def _component_matches(expected: dict[str, Any], got: dict[str, Any]) -> bool:
    for key in ("value", "low", "high"):
        if key in expected and not _same_number(expected[key], got.get(key)):
            return False
    if "unit" in expected and (expected["unit"] or None) != (got.get("unit") or None):
        return False
    for key in ("comparator", "direction"):
        if key in expected and expected[key] != got.get(key):
            return False
    return not ("scope" in expected and fold(expected["scope"] or "") != fold(got.get("scope") or ""))


def _target_matches(expected: dict[str, Any], got: dict[str, Any]) -> bool:
    if expected.get("kind") and expected["kind"] != got["kind"]:
        return False
    if "n" in expected and expected["n"] is not None and expected["n"] != got["n"]:
        return False
    if "year" in expected and expected["year"] != got["year"]:
        return False
    if "section" in expected and expected["section"] != got["section"]:
        return False
    remaining = list(got["components"])
    for comp in expected.get("components", []):
        hit = next((c for c in remaining if _component_matches(comp, c)), None)
        if hit is None:
            return False
        remaining.remove(hit)
    return True


def _agency_keys(names: Sequence[str], matcher: AgencyMatcher) -> set[str]:
    keys: set[str] = set()
    for name in names:
        match = matcher.resolve(name)
        if match is None:
            keys.add("?" + fold(name))
        elif match.key in ("ubnd-huyen", "ubnd-tinh") and match.place:
            keys.add(f"{match.key}:{fold(match.place)}")
        else:
            keys.add(match.key)
    return keys


def score_document(parsed: dict[str, Any], expected: dict[str, Any], matcher: AgencyMatcher) -> list[Metric]:
    bars = {**DEFAULT_BARS, **expected.get("bars", {})}
    metrics: list[Metric] = []

    doc_expected: dict[str, Any] = expected.get("document", {})
    required = expected.get("required_metadata", list(doc_expected))
    meta = Metric("metadata", 0, 0, bars["metadata"])
    extra = Metric("metadata (khác)", 0, 0, None)
    for key, value in doc_expected.items():
        got = parsed["document"].get(key)
        ok = fold(str(got)) == fold(str(value)) if isinstance(value, str) else got == value
        metric = meta if key in required else extra
        metric.total += 1
        if ok:
            metric.found += 1
        else:
            metric.misses.append(f"{key}: cần {value!r}, được {got!r}")
    metrics.extend([meta, extra])

    targets = Metric("targets", 0, 0, bars["targets"])
    unused = list(parsed["targets"])
    for exp in expected.get("targets", []):
        targets.total += 1
        hit = next((t for t in unused if _target_matches(exp, t)), None)
        if hit is None:
            label = f"n={exp.get('n')}" if exp.get("n") is not None else f"mục {exp.get('section')}"
            values = [c.get("value", (c.get("low"), c.get("high"))) for c in exp.get("components", [])]
            targets.misses.append(f"mục tiêu {label} {values}")
        else:
            targets.found += 1
            unused.remove(hit)
    metrics.append(targets)
    if "targets" in expected and expected.get("targets_complete", False):
        precision = Metric(
            "targets (độ chính xác)",
            len(parsed["targets"]) - len(unused),
            len(parsed["targets"]),
            bars.get("target_precision"),
        )
        precision.misses = [f"thừa: {t['id']} «{t['text'][:60]}»" for t in unused]
        metrics.append(precision)

    scope = expected.get("task_scope")
    tasks = Metric("tasks" + (f" (phần {scope})" if scope else ""), 0, 0, bars["tasks"])
    coord = Metric("tasks: cơ quan phối hợp", 0, 0, bars.get("coordinating"))
    by_id = {t["id"]: t for t in parsed["tasks"]}
    for exp in expected.get("tasks", []):
        tasks.total += 1
        got = by_id.get(exp["id"])
        if got is None:
            tasks.misses.append(f"{exp['id']}: không tìm thấy")
            continue
        section_ok = "section" not in exp or exp["section"] == got["section"]
        lead_ok = _agency_keys(exp["lead"], matcher) == _agency_keys(got["lead"], matcher)
        if section_ok and lead_ok:
            tasks.found += 1
        else:
            tasks.misses.append(f"{exp['id']}: chủ trì cần {exp['lead']}, được {got['lead']}")
        if "coordinating" in exp:
            coord.total += 1
            if _agency_keys(exp["coordinating"], matcher) == _agency_keys(got["coordinating"], matcher):
                coord.found += 1
            else:
                coord.misses.append(
                    f"{exp['id']}: phối hợp cần {exp['coordinating']}, được {got['coordinating']}"
                )
    metrics.append(tasks)
    if coord.total:
        metrics.append(coord)

    refs = Metric("references", 0, 0, bars["references"])
    got_refs = parsed["references"]
    for exp in expected.get("references", []):
        refs.total += 1
        hit = next(
            (
                r
                for r in got_refs
                if r["number"] == exp.get("number")
                and r["issued_on"] == exp.get("issued_on")
                and (exp.get("number") is not None or r["kind"] == exp.get("kind"))
            ),
            None,
        )
        if hit is None:
            refs.misses.append(f"{exp.get('number') or exp.get('kind')} ({exp.get('issued_on')})")
        else:
            refs.found += 1
    metrics.append(refs)

    abbr = Metric("abbreviations", 0, 0, bars["abbreviations"])
    for key, value in expected.get("abbreviations", {}).items():
        abbr.total += 1
        if fold(parsed["abbreviations"].get(key, "")) == fold(value):
            abbr.found += 1
        else:
            abbr.misses.append(f"{key}: cần «{value}», được «{parsed['abbreviations'].get(key)}»")
    metrics.append(abbr)
    return metrics


def score_file(expected_path: Path, matcher: AgencyMatcher | None = None) -> DocumentScore | None:
    """Score one expected file; ``None`` when its source document is not available."""
    import time

    expected = json.loads(expected_path.read_text(encoding="utf-8"))
    source = (REPO_ROOT / expected["source"]).resolve()
    if not source.exists():
        return None
    text = source.read_text(encoding="utf-8")
    started = time.perf_counter()
    draft = parse_text(text, matcher=matcher)
    seconds = time.perf_counter() - started
    metrics = score_document(draft.to_json(), expected, matcher or default_matcher())
    return DocumentScore(expected_path.stem, metrics, seconds)


def _format(value: float) -> str:
    return f"{value * 100:.1f}".replace(".", ",") + "%"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Chấm điểm bộ phân tích kế hoạch theo các tệp đáp án.")
    parser.add_argument("expected", nargs="*", type=Path, help="tệp đáp án .json (mặc định: tất cả)")
    parser.add_argument("-v", "--verbose", action="store_true", help="liệt kê các mục sai")
    args = parser.parse_args(argv)
    paths: list[Path] = list(args.expected) or sorted(DEFAULT_EXPECTED_DIR.glob("*.json"))
    if not paths:
        print("Không có tệp đáp án nào.", file=sys.stderr)
        return 2
    matcher = default_matcher()
    failed = False
    for path in paths:
        result = score_file(path, matcher)
        if result is None:
            print(f"{path.stem}: bỏ qua (không có văn bản nguồn)")
            continue
        status = "ĐẠT" if result.passed else "CHƯA ĐẠT"
        print(f"{result.name}: {status} ({result.seconds:.3f} s)".replace(".", ",", 1))
        for metric in result.metrics:
            if metric.total == 0:
                continue
            bar = f" (ngưỡng {_format(metric.bar)})" if metric.bar is not None else ""
            mark = "✓" if metric.passed else "✗"
            print(f"  {mark} {metric.name}: {metric.found}/{metric.total} = {_format(metric.score)}{bar}")
            if args.verbose or not metric.passed:
                for miss in metric.misses:
                    print(f"      - {miss}")
        failed = failed or not result.passed
    return 1 if failed else 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
