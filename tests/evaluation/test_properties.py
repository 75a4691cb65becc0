"""Property tests (hypothesis) of the engine's invariants (issue 5) and a few more."""

from __future__ import annotations

import json
import random

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from xanh.evaluation.methods import (
    METHODS,
    Baseline,
    Comparator,
    Direction,
    Observation,
    Status,
    TargetSpec,
    assess,
    combine_parts,
    run_cases,
)
from xanh.evaluation.methods.common import status_from_score

METHOD_NAMES = sorted(METHODS)
values = st.floats(min_value=0.5, max_value=1e5, allow_nan=False, allow_infinity=False)
steps = st.lists(st.floats(min_value=0.001, max_value=0.3), min_size=1, max_size=9)
directions = st.sampled_from([Direction.INCREASE, Direction.DECREASE])
methods = st.sampled_from(METHOD_NAMES)
FAST = settings(max_examples=100, deadline=None)


def monotone_series(start: float, first_year: int, rel_steps: list[float], up: bool) -> list[Observation]:
    series = [Observation(first_year, start)]
    value = start
    for i, step in enumerate(rel_steps, start=1):
        value = value * (1 + step) if up else value * (1 - step)
        series.append(Observation(first_year + i, value))
    return series


@FAST
@given(
    start=values,
    rel_steps=steps,
    direction=directions,
    target_factor=st.floats(min_value=0.05, max_value=20),
    method=methods,
    with_baseline=st.booleans(),
    horizon=st.integers(min_value=1, max_value=20),
)
def test_moving_toward_target_never_scores_below_moving_away(
    start, rel_steps, direction, target_factor, method, with_baseline, horizon
):
    increase = direction is Direction.INCREASE
    target = start * target_factor
    assume(target > start if increase else target < start)
    first = 2015
    year = first + len(rel_steps) + horizon
    baseline = Baseline(start, first) if with_baseline else None
    spec = TargetSpec(value=target, direction=direction, year=year, baseline=baseline)
    toward = assess(spec, monotone_series(start, first, rel_steps, up=increase), method=method)
    away = assess(spec, monotone_series(start, first, rel_steps, up=not increase), method=method)
    assert toward.score is not None and away.score is not None
    assert toward.score >= away.score


@FAST
@given(
    base=values,
    latest_a=values,
    latest_b=values,
    target=values,
    direction=directions,
    method=methods,
    years=st.integers(min_value=1, max_value=12),
)
def test_score_is_monotone_in_the_latest_value(base, latest_a, latest_b, target, direction, method, years):
    """A stronger form of the first invariant: with the same base, a latest value further in the desired
    direction never scores lower."""
    spec = TargetSpec(value=target, direction=direction, year=2015 + years + 5)
    lo, hi = sorted((latest_a, latest_b))
    better, worse = (hi, lo) if direction is Direction.INCREASE else (lo, hi)
    a = assess(spec, [Observation(2015, base), Observation(2015 + years, better)], method=method)
    b = assess(spec, [Observation(2015, base), Observation(2015 + years, worse)], method=method)
    assert a.score is not None and b.score is not None
    assert a.score >= b.score


comparators = st.sampled_from(
    [None, Comparator.GE, Comparator.GT, Comparator.LE, Comparator.LT, Comparator.EQ]
)


@st.composite
def level_targets(draw):
    direction = draw(st.sampled_from([Direction.INCREASE, Direction.DECREASE]))
    unit = draw(st.sampled_from(["%", "", "tấn"]))
    limit = draw(st.sampled_from([None, 100.0]))
    if draw(st.booleans()):
        low = draw(st.floats(min_value=-100, max_value=200))
        high = low + draw(st.floats(min_value=0, max_value=50))
        return TargetSpec(low=low, high=high, direction=direction, unit=unit, year=2030, limit=limit)
    comparator = draw(comparators)
    value = draw(st.floats(min_value=-100, max_value=200))
    return TargetSpec(
        value=value, comparator=comparator, direction=direction, unit=unit, year=2030, limit=limit
    )


@FAST
@given(
    spec=level_targets(),
    overshoot=st.floats(min_value=0, max_value=100),
    history=st.lists(st.floats(min_value=-200, max_value=300), max_size=6),
    method=methods,
    with_baseline=st.booleans(),
)
def test_value_at_or_beyond_target_is_achieved(spec, overshoot, history, method, with_baseline):
    increase = spec.direction is Direction.INCREASE
    bound = (spec.low if increase else spec.high) if spec.low is not None else spec.value
    latest = bound + overshoot if increase else bound - overshoot
    series = [Observation(2010 + i, v) for i, v in enumerate(history)] + [Observation(2024, latest)]
    if with_baseline:
        spec = TargetSpec(**{**_fields(spec), "baseline": Baseline(history[0] if history else 1.0, 2005)})
    assert assess(spec, series, method=method).status is Status.ACHIEVED


def _fields(spec: TargetSpec) -> dict:
    return {name: getattr(spec, name) for name in spec.__dataclass_fields__}


@FAST
@given(
    spec=level_targets(),
    points=st.lists(st.tuples(st.integers(2000, 2030), st.floats(-200, 300)), max_size=1),
    method=methods,
    with_baseline=st.booleans(),
)
def test_fewer_than_two_observations_is_insufficient_unless_achieved(spec, points, method, with_baseline):
    if with_baseline:
        spec = TargetSpec(**{**_fields(spec), "baseline": Baseline(50.0, 1999)})
    a = assess(spec, [Observation(y, v) for y, v in points], method=method)
    assert a.status in (Status.INSUFFICIENT_DATA, Status.ACHIEVED)
    if a.status is Status.INSUFFICIENT_DATA:
        assert a.score is None


@st.composite
def any_case(draw):
    spec = draw(level_targets())
    years = draw(st.lists(st.integers(2010, 2030), unique=True, max_size=8))
    series = [Observation(y, draw(st.floats(-50, 250))) for y in years]
    return spec, series


@FAST
@given(case=any_case(), method=methods)
def test_score_range_and_status_agree(case, method):
    spec, series = case
    a = assess(spec, series, method=method)
    if a.status is Status.INSUFFICIENT_DATA:
        assert a.score is None
        return
    assert a.score is not None and -5 <= a.score <= 5
    if a.status is Status.ACHIEVED:
        assert a.score == 5
    else:
        assert status_from_score(a.score) is a.status


@FAST
@given(case=any_case(), method=methods, seed=st.integers(0, 1000))
def test_observation_order_does_not_matter(case, method, seed):
    spec, series = case
    shuffled = list(series)
    random.Random(seed).shuffle(shuffled)
    a, b = assess(spec, series, method=method), assess(spec, shuffled, method=method)
    assert (a.status, a.score) == (b.status, b.score)


@FAST
@given(
    base=values,
    latest=values,
    target=values,
    k=st.floats(min_value=0.01, max_value=100),
    direction=directions,
    method=methods,
)
def test_unit_changes_do_not_change_the_status(base, latest, target, k, direction, method):
    """Reporting in tonnes or kilotonnes must not change a status: every method is scale-invariant."""
    assume(abs(latest - target) > 1e-6 * max(abs(target), 1) and abs(base - target) > 1e-6 * max(target, 1))
    spec = TargetSpec(value=target, direction=direction, year=2030)
    scaled = TargetSpec(value=target * k, direction=direction, year=2030)
    a = assess(spec, [Observation(2020, base), Observation(2024, latest)], method=method)
    b = assess(scaled, [Observation(2020, base * k), Observation(2024, latest * k)], method=method)
    assert a.status is b.status or abs((a.score or 0) - (b.score or 0)) < 1e-6


@FAST
@given(scores=st.lists(st.sampled_from(list(Status)), min_size=1, max_size=6), case=any_case())
def test_composite_score_lies_between_its_parts(scores, case):
    spec, series = case
    parts = [(f"p{i}", assess(spec, series)) for i in range(len(scores))]
    result = combine_parts(parts, method="osdg", version="1.0")
    part_scores = [p.score for _, p in parts if p.score is not None]
    if not part_scores:
        assert result.status is Status.INSUFFICIENT_DATA
    else:
        assert min(part_scores) - 1e-9 <= result.score <= max(part_scores) + 1e-9
        assert (result.status is Status.ACHIEVED) == all(p.status is Status.ACHIEVED for _, p in parts)


@settings(max_examples=100, deadline=None)
@given(case=any_case(), method=methods)
def test_contract_output_is_json_with_the_stable_keys(case, method):
    spec, series = case
    raw_target = {
        "value": spec.value,
        "low": spec.low,
        "high": spec.high,
        "unit": spec.unit,
        "comparator": spec.comparator.value if spec.comparator else None,
        "direction": spec.direction.value if spec.direction else None,
        "year": spec.year,
        "baseline": None,
        "kind": "level",
        "limit": spec.limit,
    }
    if spec.low is not None:
        raw_target.pop("value")
    else:
        raw_target.pop("low"), raw_target.pop("high")
    out = run_cases(
        [
            {
                "target": raw_target,
                "observations": [{"year": o.year, "value": o.value} for o in series],
                "method": method,
            }
        ]
    )
    text = json.dumps(out, allow_nan=False)
    assert json.loads(text) == out
    (result,) = out
    assert result["status"] in {s.value for s in Status}
    assert {"status", "score", "components"} <= result.keys()
    direct = assess(spec, series, method=method)
    assert result["status"] == direct.status.value


signed = st.floats(min_value=-200, max_value=200, allow_nan=False).map(lambda v: 0.0 if abs(v) < 1e-3 else v)


@FAST
@given(base=signed, latest_a=signed, latest_b=signed, target=signed, direction=directions, method=methods)
def test_monotone_in_the_latest_value_with_zero_and_negative_values(
    base, latest_a, latest_b, target, direction, method
):
    """Zero and negative values (net emissions, balances) go through the zero substitution and the linear
    fallback; the ordering must still hold."""
    spec = TargetSpec(value=target, direction=direction, year=2030)
    lo, hi = sorted((latest_a, latest_b))
    better, worse = (hi, lo) if direction is Direction.INCREASE else (lo, hi)
    a = assess(spec, [Observation(2020, base), Observation(2024, better)], method=method)
    b = assess(spec, [Observation(2020, base), Observation(2024, worse)], method=method)
    if a.score is not None and b.score is not None:
        assert a.score >= b.score - 1e-9
