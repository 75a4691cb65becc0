"""Benchmark of the pure evaluation engine (issue 5): 34 provinces × 60 targets (2,040) × 10 years of data.

    .venv/bin/python benchmarks/bench_evaluation.py [--repeat 7] [--method osdg]

The target mix follows real plans: level targets with comparators, ranges, decreases, average-rate targets,
maintain targets, component targets (three parts) and milestones. Data are generated deterministically. Prints
the best and median wall time of evaluating every target, rolling up by pillar, province and agency, and of the
same work through the JSON contract (``run_cases``).
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from xanh.evaluation.methods import (
    METHODS,
    Assessment,
    Baseline,
    Comparator,
    Direction,
    Observation,
    TargetKind,
    TargetSpec,
    TaskProgress,
    TaskState,
    assess,
    combine_parts,
    rollup_by,
    run_cases,
)

PROVINCES = 34
TARGETS_PER_PROVINCE = 60
YEARS = list(range(2016, 2026))  # 10 years
PILLARS = ("emissions", "green_economy", "lifestyle", "transition")


def make_series(rng: random.Random, start: float, drift: float) -> list[Observation]:
    value, series = start, []
    for year in YEARS:
        series.append(Observation(year, round(value, 3)))
        value *= 1 + drift + rng.gauss(0, 0.01)
    return series


def make_target(
    rng: random.Random,
) -> tuple[TargetSpec, list[Observation]] | list[tuple[TargetSpec, list[Observation]]]:
    shape = rng.random()
    start = rng.uniform(10, 80)
    series = make_series(rng, start, rng.uniform(-0.04, 0.06))
    if shape < 0.35:
        comparator = rng.choice([Comparator.GE, Comparator.LE, None])
        direction = Direction.DECREASE if comparator is Comparator.LE else Direction.INCREASE
        goal = start * (0.7 if direction is Direction.DECREASE else 1.5)
        baseline = Baseline(start, 2015) if rng.random() < 0.5 else None
        return TargetSpec(
            value=goal,
            comparator=comparator,
            direction=direction,
            unit="%",
            year=2030,
            baseline=baseline,
            limit=100.0,
        ), series
    if shape < 0.5:
        return TargetSpec(low=start * 1.2, high=start * 1.4, unit="%", year=2030), series
    if shape < 0.6:
        return TargetSpec(
            kind=TargetKind.ANNUAL_RATE,
            low=1.0,
            high=1.5,
            direction=Direction.DECREASE,
            year=2030,
            start_year=2021,
        ), series
    if shape < 0.7:
        return TargetSpec(value=start, direction=Direction.MAINTAIN, unit="%", year=2030), series
    if shape < 0.85:
        return [
            (
                TargetSpec(
                    value=min(start * 1.3, 100), unit="%", year=2030, direction=Direction.INCREASE, limit=100
                ),
                make_series(rng, start, rng.uniform(-0.01, 0.05)),
            )
            for _ in range(3)
        ]
    if shape < 0.95:
        tasks = tuple(TaskState(rng.choice(list(TaskProgress))) for _ in range(rng.randint(1, 4)))
        return TargetSpec(kind=TargetKind.MILESTONE, year=rng.choice([2025, 2027, 2030]), tasks=tasks), []
    return TargetSpec(direction=Direction.INCREASE, limit=100.0), series[: rng.randint(0, 10)]


def build(seed: int = 20261123) -> list[dict]:
    rng = random.Random(seed)
    items = []
    for province in range(PROVINCES):
        for number in range(TARGETS_PER_PROVINCE):
            items.append(
                {
                    "province": province,
                    "pillar": PILLARS[number % len(PILLARS)],
                    "agency": f"{province}-{rng.randrange(12)}",
                    "target": make_target(rng),
                }
            )
    return items


def evaluate(items: list[dict], method: str) -> tuple[list[Assessment], int]:
    results = []
    for item in items:
        target = item["target"]
        if isinstance(target, list):
            parts = [
                (f"tp{i}", assess(spec, obs, method=method, as_of=2025))
                for i, (spec, obs) in enumerate(target)
            ]
            m = METHODS[method]
            results.append(combine_parts(parts, method=m.name, version=m.version, aggregate=m.aggregate))
        else:
            spec, obs = target
            results.append(assess(spec, obs, method=method, as_of=2025))
    pairs = list(zip(items, results, strict=True))
    groups = 0
    for key in ("pillar", "province", "agency"):
        groups += len(
            rollup_by(pairs, key=lambda p, k=key: (p[0]["province"], p[0][k]), assessment=lambda p: p[1])
        )
    groups += len(rollup_by(pairs, key=lambda p: p[0]["province"], assessment=lambda p: p[1]))
    return results, groups


def as_cases(items: list[dict], method: str) -> list[dict]:
    def target_json(spec: TargetSpec) -> dict:
        raw = {
            "kind": spec.kind.value,
            "unit": spec.unit,
            "year": spec.year,
            "limit": spec.limit,
            "comparator": spec.comparator.value if spec.comparator else None,
            "direction": spec.direction.value if spec.direction else None,
            "baseline": {"value": spec.baseline.value, "year": spec.baseline.year} if spec.baseline else None,
            "start_year": spec.start_year,
            "tasks": [{"status": t.progress.value} for t in spec.tasks] or None,
        }
        if spec.low is not None:
            raw.update(low=spec.low, high=spec.high)
        else:
            raw["value"] = spec.value
        return raw

    cases = []
    for item in items:
        target = item["target"]
        if isinstance(target, list):
            cases.append(
                {
                    "method": method,
                    "as_of": 2025,
                    "parts": [
                        {
                            "name": f"tp{i}",
                            "target": target_json(s),
                            "observations": [{"year": o.year, "value": o.value} for o in obs],
                        }
                        for i, (s, obs) in enumerate(target)
                    ],
                }
            )
        else:
            spec, obs = target
            cases.append(
                {
                    "method": method,
                    "as_of": 2025,
                    "target": target_json(spec),
                    "observations": [{"year": o.year, "value": o.value} for o in obs],
                }
            )
    return cases


def timed(fn, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--method", choices=sorted(METHODS), default=None, help="one method (default: all)")
    args = parser.parse_args()
    items = build()
    targets = len(items)
    series = sum(len(t["target"]) if isinstance(t["target"], list) else 1 for t in items)
    observations = sum(
        sum(len(o) for _, o in t["target"]) if isinstance(t["target"], list) else len(t["target"][1])
        for t in items
    )
    print(
        f"{PROVINCES} tỉnh × {TARGETS_PER_PROVINCE} mục tiêu = {targets} mục tiêu, {series} chuỗi, "
        f"{observations} quan sát ({len(YEARS)} năm)"
    )
    for method in [args.method] if args.method else sorted(METHODS):
        results, groups = evaluate(items, method)
        counts: dict[str, int] = {}
        for a in results:
            counts[a.status.value] = counts.get(a.status.value, 0) + 1
        t_engine = timed(lambda m=method: evaluate(items, m), args.repeat)
        cases = as_cases(items, method)
        t_json = timed(lambda c=cases: run_cases(c), max(1, args.repeat // 2))
        print(
            f"{method:7s} engine + roll-ups ({groups} nhóm): best {min(t_engine) * 1000:7.1f} ms, "
            f"median {statistics.median(t_engine) * 1000:7.1f} ms | run_cases JSON: best "
            f"{min(t_json) * 1000:7.1f} ms | {counts}"
        )


if __name__ == "__main__":
    main()
