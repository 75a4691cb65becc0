"""The engine's public contract: the JSON cases read by ``xanh assess --json`` (issue 5). Keep it stable.

A case::

    {"target": {"value" | "low" + "high", "unit", "comparator", "direction", "year",
                "baseline": {"value", "year"} | null, "kind": "level" | "annual_rate" | "milestone",
                "limit": number | null,
                # optional extensions: "start_year", "tasks": [{"status", "code"}], "label"},
     "observations": [{"year", "value"}],
     "method": "osdg" | "unsd" | "linear",       # default "osdg"
     # optional extensions: "as_of": year, "parts": [{"name", "target", "observations"}]}

Each output has ``status`` (achieved, on_track, acceleration_needed, limited_progress, deterioration,
insufficient_data), ``score`` and ``components``, plus ``label``, ``method``, ``method_version``, ``notes`` and
``explanation`` (Vietnamese); a case with ``parts`` also returns each part under ``parts``.
Bad input raises ``ValidationFailed`` whose problems name the case number and the field.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from typing import Any

from xanh.core.errors import Problem, ValidationFailed
from xanh.core.numbers import parse_number_vi
from xanh.evaluation.methods.registry import DEFAULT_METHOD, METHODS
from xanh.evaluation.methods.rollup import combine_parts
from xanh.evaluation.methods.types import (
    Assessment,
    Baseline,
    Comparator,
    Direction,
    EvaluationInputError,
    Observation,
    TargetKind,
    TargetSpec,
    TaskProgress,
    TaskState,
)

COMPARATOR_ALIASES: dict[str, Comparator | None] = {
    ">=": Comparator.GE,
    "≥": Comparator.GE,
    "=>": Comparator.GE,
    ">": Comparator.GT,
    "<=": Comparator.LE,
    "≤": Comparator.LE,
    "=<": Comparator.LE,
    "<": Comparator.LT,
    "=": Comparator.EQ,
    "==": Comparator.EQ,
    "approx": Comparator.APPROX,
    "~": Comparator.APPROX,
    "range": Comparator.RANGE,
    "": None,
}

DIRECTION_ALIASES: dict[str, Direction | None] = {
    "increase": Direction.INCREASE,
    "tăng": Direction.INCREASE,
    "up": Direction.INCREASE,
    "decrease": Direction.DECREASE,
    "giảm": Direction.DECREASE,
    "down": Direction.DECREASE,
    "maintain": Direction.MAINTAIN,
    "duy trì": Direction.MAINTAIN,
    "stable": Direction.MAINTAIN,
    "reach": None,  # "đạt": inferred from base and target
    "đạt": None,
    "": None,
}

TASK_ALIASES: dict[str, TaskProgress] = {
    "completed": TaskProgress.COMPLETED,
    "done": TaskProgress.COMPLETED,
    "hoàn thành": TaskProgress.COMPLETED,
    "in_progress": TaskProgress.IN_PROGRESS,
    "on_track": TaskProgress.IN_PROGRESS,
    "đang thực hiện": TaskProgress.IN_PROGRESS,
    "behind": TaskProgress.BEHIND,
    "delayed": TaskProgress.BEHIND,
    "chậm tiến độ": TaskProgress.BEHIND,
    "not_started": TaskProgress.NOT_STARTED,
    "chưa triển khai": TaskProgress.NOT_STARTED,
}

_YEAR = re.compile(r"^\s*(\d{4})(?:\s*[-–/]\s*\d{2,4})?\s*$")

TARGET_KEYS = {
    "value",
    "low",
    "high",
    "unit",
    "comparator",
    "direction",
    "year",
    "baseline",
    "kind",
    "limit",
    "start_year",
    "tasks",
    "label",
}
CASE_KEYS = {"target", "observations", "method", "as_of", "parts", "name", "id"}


class _Reader:
    """Collects problems for one case so that a user sees every mistake at once."""

    def __init__(self, case_no: int) -> None:
        self.source = f"trường hợp {case_no}"
        self.problems: list[Problem] = []

    def fail(self, field: str, message: str) -> None:
        self.problems.append(Problem(message, column=field, source=self.source))

    def number(self, raw: Any, field: str, *, required: bool = False) -> float | None:
        if raw is None:
            if required:
                self.fail(field, "thiếu giá trị số.")
            return None
        if isinstance(raw, bool):
            self.fail(field, f"cần một số, nhận được {_show(raw)}.")
            return None
        if isinstance(raw, int | float):
            if not math.isfinite(raw):
                self.fail(field, "cần một số hữu hạn.")
                return None
            return float(raw)
        if isinstance(raw, str):
            try:
                return parse_number_vi(raw)
            except ValueError as exc:
                self.fail(field, str(exc))
                return None
        self.fail(field, f"cần một số, nhận được {_show(raw)}.")
        return None

    def year(self, raw: Any, field: str, *, required: bool = False) -> int | None:
        """A year; a range such as "2015-16" counts as its first year (PM §1.4)."""
        if raw is None:
            if required:
                self.fail(field, "thiếu năm.")
            return None
        if isinstance(raw, bool):
            self.fail(field, f"cần một năm (ví dụ 2025), nhận được {_show(raw)}.")
            return None
        if isinstance(raw, int):
            value = raw
        elif isinstance(raw, float) and raw.is_integer():
            value = int(raw)
        elif isinstance(raw, str) and (m := _YEAR.match(raw)):
            value = int(m.group(1))
        else:
            self.fail(field, f'cần một năm (ví dụ 2025 hoặc "2015-16"), nhận được {_show(raw)}.')
            return None
        if not 1900 <= value <= 2200:
            self.fail(field, f"năm {value} nằm ngoài khoảng 1900–2200.")
            return None
        return value

    def choice(self, raw: Any, field: str, options: Mapping[str, Any], default: Any) -> Any:
        if raw is None:
            return default
        if not isinstance(raw, str) or raw.strip().lower() not in options:
            allowed = ", ".join(f'"{k}"' for k in options if k)
            self.fail(field, f"giá trị {_show(raw)} không hợp lệ; dùng một trong: {allowed}.")
            return default
        return options[raw.strip().lower()]

    def text(self, raw: Any, field: str) -> str:
        if raw is None:
            return ""
        if not isinstance(raw, str):
            self.fail(field, f"cần một chuỗi ký tự, nhận được {_show(raw)}.")
            return ""
        return raw

    def unknown_keys(self, data: Mapping[str, Any], allowed: set[str], prefix: str) -> None:
        for key in data:
            if key not in allowed:
                self.fail(f"{prefix}{key}", "trường không được hỗ trợ (kiểm tra chính tả).")


def _show(raw: Any) -> str:
    text = repr(raw) if not isinstance(raw, str) else f'"{raw}"'
    return text if len(text) <= 40 else text[:37] + "..."


def _read_target(r: _Reader, raw: Any, prefix: str) -> TargetSpec | None:
    if not isinstance(raw, Mapping):
        r.fail(prefix.rstrip("."), "cần một đối tượng JSON mô tả mục tiêu.")
        return None
    r.unknown_keys(raw, TARGET_KEYS, prefix)
    kind = r.choice(raw.get("kind"), f"{prefix}kind", {k.value: k for k in TargetKind}, TargetKind.LEVEL)
    value = r.number(raw.get("value"), f"{prefix}value")
    low = r.number(raw.get("low"), f"{prefix}low")
    high = r.number(raw.get("high"), f"{prefix}high")
    comparator = r.choice(raw.get("comparator"), f"{prefix}comparator", COMPARATOR_ALIASES, None)
    direction = r.choice(raw.get("direction"), f"{prefix}direction", DIRECTION_ALIASES, None)
    if (low is None) != (high is None):
        r.fail(f"{prefix}{'high' if high is None else 'low'}", 'mục tiêu dạng khoảng cần cả "low" và "high".')
    if low is not None and high is not None and low > high:
        r.fail(f"{prefix}low", f"cận dưới ({low:g}) lớn hơn cận trên ({high:g}).")
    if value is not None and low is not None:
        r.fail(f"{prefix}value", 'chỉ dùng "value" hoặc cặp "low"/"high", không dùng cả hai.')
    if comparator is Comparator.RANGE and low is None:
        r.fail(f"{prefix}comparator", '"range" cần "low" và "high".')
    no_figure = all(raw.get(k) is None for k in ("value", "low", "high"))
    if kind is not TargetKind.MILESTONE and no_figure and direction is None:
        r.fail(f"{prefix}value", 'cần giá trị mục tiêu ("value" hoặc "low"/"high") hoặc chiều mong muốn.')
    if kind is TargetKind.ANNUAL_RATE and direction is Direction.MAINTAIN:
        r.fail(f"{prefix}direction", 'mục tiêu tốc độ bình quân năm cần chiều "increase" hoặc "decrease".')
    baseline = None
    raw_base = raw.get("baseline")
    if raw_base is not None:
        if not isinstance(raw_base, Mapping):
            r.fail(f"{prefix}baseline", 'cần {"value", "year"} hoặc null.')
        else:
            r.unknown_keys(raw_base, {"value", "year"}, f"{prefix}baseline.")
            b_value = r.number(raw_base.get("value"), f"{prefix}baseline.value", required=True)
            b_year = r.year(raw_base.get("year"), f"{prefix}baseline.year", required=True)
            if b_value is not None and b_year is not None:
                baseline = Baseline(b_value, b_year)
    tasks: list[TaskState] = []
    raw_tasks = raw.get("tasks")
    if raw_tasks is not None:
        if not isinstance(raw_tasks, list):
            r.fail(f"{prefix}tasks", "cần một danh sách nhiệm vụ.")
        else:
            for i, item in enumerate(raw_tasks):
                field = f"{prefix}tasks[{i}]"
                if not isinstance(item, Mapping):
                    r.fail(field, 'cần {"status", "code"}.')
                    continue
                status = r.choice(item.get("status"), f"{field}.status", TASK_ALIASES, None)
                if status is None:
                    if item.get("status") is None:
                        r.fail(f"{field}.status", "thiếu trạng thái nhiệm vụ.")
                    continue
                tasks.append(TaskState(status, r.text(item.get("code"), f"{field}.code")))
    return TargetSpec(
        kind=kind,
        value=value,
        low=low,
        high=high,
        unit=r.text(raw.get("unit"), f"{prefix}unit"),
        comparator=comparator,
        direction=direction,
        year=r.year(raw.get("year"), f"{prefix}year"),
        baseline=baseline,
        limit=r.number(raw.get("limit"), f"{prefix}limit"),
        start_year=r.year(raw.get("start_year"), f"{prefix}start_year"),
        tasks=tuple(tasks),
        label=r.text(raw.get("label"), f"{prefix}label"),
    )


def _read_observations(r: _Reader, raw: Any, prefix: str) -> list[Observation]:
    if raw is None:
        return []
    if not isinstance(raw, list):
        r.fail(prefix, 'cần một danh sách [{"year", "value"}].')
        return []
    result: list[Observation] = []
    years: dict[int, int] = {}
    for i, item in enumerate(raw):
        field = f"{prefix}[{i}]"
        if not isinstance(item, Mapping):
            r.fail(field, 'cần {"year", "value"}.')
            continue
        year = r.year(item.get("year"), f"{field}.year", required=True)
        if item.get("value") is None and "value" in item:
            continue  # an explicit null is a missing value, not an error
        value = r.number(item.get("value"), f"{field}.value", required=True)
        if year is None or value is None:
            continue
        if year in years:
            r.fail(f"{field}.year", f"năm {year} đã có ở {prefix}[{years[year]}]; mỗi năm chỉ một giá trị.")
            continue
        years[year] = i
        result.append(Observation(year, value))
    return result


def _assess(spec: TargetSpec, obs: list[Observation], method: str, as_of: int | None) -> Assessment:
    return METHODS[method].assess(spec, obs, as_of=as_of)


def run_case(case: Any, case_no: int, *, default_as_of: int | None = None) -> dict[str, Any]:
    r = _Reader(case_no)
    if not isinstance(case, Mapping):
        r.fail("", 'mỗi trường hợp phải là một đối tượng JSON {"target", "observations", "method"}.')
        raise ValidationFailed(r.problems)
    r.unknown_keys(case, CASE_KEYS, "")
    method = r.choice(case.get("method"), "method", {k: k for k in METHODS}, DEFAULT_METHOD)
    as_of = r.year(case.get("as_of"), "as_of")
    if as_of is None:
        as_of = default_as_of
    jobs: list[tuple[str, Callable[[], Assessment]]] = []
    if case.get("parts") is not None:
        raw_parts = case["parts"]
        if not isinstance(raw_parts, list) or not raw_parts:
            r.fail("parts", 'cần một danh sách khác rỗng các thành phần {"name", "target", "observations"}.')
        else:
            for i, part in enumerate(raw_parts):
                field = f"parts[{i}]"
                if not isinstance(part, Mapping):
                    r.fail(field, 'cần {"name", "target", "observations"}.')
                    continue
                r.unknown_keys(part, {"name", "target", "observations"}, f"{field}.")
                spec = _read_target(r, part.get("target"), f"{field}.target.")
                obs = _read_observations(r, part.get("observations"), f"{field}.observations")
                name = r.text(part.get("name"), f"{field}.name")
                if spec is not None:
                    jobs.append((name, _bind(spec, obs, method, as_of)))
    else:
        if "target" not in case:
            r.fail("target", "thiếu mô tả mục tiêu.")
        else:
            spec = _read_target(r, case.get("target"), "target.")
            obs = _read_observations(r, case.get("observations"), "observations")
            if spec is not None:
                jobs.append(("", _bind(spec, obs, method, as_of)))
    if r.problems:
        raise ValidationFailed(r.problems)
    results: list[tuple[str, Assessment]] = []
    for name, job in jobs:
        try:
            results.append((name, job()))
        except EvaluationInputError as exc:
            r.fail("target" if not name else f"parts «{name}»", str(exc))
    if r.problems:
        raise ValidationFailed(r.problems)
    if case.get("parts") is not None:
        m = METHODS[method]
        return combine_parts(results, method=m.name, version=m.version, aggregate=m.aggregate).to_dict()
    return results[0][1].to_dict()


def _bind(
    spec: TargetSpec, obs: list[Observation], method: str, as_of: int | None
) -> Callable[[], Assessment]:
    return lambda: _assess(spec, obs, method, as_of)


def run_cases(cases: list[dict[str, Any]], *, default_as_of: int | None = None) -> list[dict[str, Any]]:
    """Assess every case; raise ``ValidationFailed`` listing the problems of every bad case (nothing is returned
    then, so a caller never mixes good and bad results)."""
    if not isinstance(cases, list):
        raise ValidationFailed(
            [
                Problem(
                    'Đầu vào phải là một danh sách JSON các trường hợp: [{"target": ..., "observations": ...}].'
                )
            ]
        )
    problems: list[Problem] = []
    results: list[dict[str, Any]] = []
    for i, case in enumerate(cases, start=1):
        try:
            results.append(run_case(case, i, default_as_of=default_as_of))
        except ValidationFailed as exc:
            problems.extend(exc.problems)
    if problems:
        raise ValidationFailed(problems)
    return results
