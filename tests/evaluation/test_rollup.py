from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xanh.evaluation.methods import (
    Assessment,
    Status,
    Submission,
    combine_parts,
    compliance,
    rollup,
    rollup_by,
)


def make(status: Status, score: float | None) -> Assessment:
    return Assessment(status, score, "osdg", "1.0")


def test_rollup_mean_and_status():
    # scores 5, 2.5, -1 -> mean 2.1667 -> moderate (PM §1.3 bands)
    r = rollup([make(Status.ACHIEVED, 5), make(Status.ON_TRACK, 2.5), make(Status.LIMITED_PROGRESS, -1)])
    assert r.score == pytest.approx(6.5 / 3)
    assert r.status is Status.ACCELERATION_NEEDED
    assert (r.count, r.assessed) == (3, 3)
    assert r.achieved_share == pytest.approx(1 / 3) and r.on_track_share == pytest.approx(2 / 3)


def test_rollup_achieved_only_when_every_target_achieved():
    assert rollup([make(Status.ACHIEVED, 5)] * 3).status is Status.ACHIEVED
    mixed = rollup([make(Status.ACHIEVED, 5), make(Status.INSUFFICIENT_DATA, None)])
    assert mixed.status is Status.ON_TRACK and mixed.assessed == 1


def test_rollup_all_insufficient():
    r = rollup([make(Status.INSUFFICIENT_DATA, None)] * 2)
    assert r.status is Status.INSUFFICIENT_DATA and r.score is None and r.achieved_share is None
    assert rollup([]).count == 0


def test_rollup_by_key_keeps_first_seen_order():
    items = [
        ("energy", make(Status.ON_TRACK, 3)),
        ("waste", make(Status.DETERIORATION, -4)),
        ("energy", make(Status.LIMITED_PROGRESS, -1)),
    ]
    groups = rollup_by(items, key=lambda i: i[0], assessment=lambda i: i[1])
    assert list(groups) == ["energy", "waste"]
    assert groups["energy"].score == pytest.approx(1.0)
    assert groups["waste"].status is Status.DETERIORATION
    assert groups["energy"].ordered_counts()[1] == (Status.ON_TRACK, 1)


def test_combine_parts_equal_weights():
    parts = [
        ("a", make(Status.ACHIEVED, 5)),
        ("b", make(Status.DETERIORATION, -3)),
        ("c", make(Status.INSUFFICIENT_DATA, None)),
    ]
    result = combine_parts(parts, method="osdg", version="1.0")
    assert result.score == pytest.approx(1.0)
    assert result.status is Status.ACCELERATION_NEEDED
    assert any("c" in n for n in result.notes)
    assert [name for name, _ in result.parts] == ["a", "b", "c"]


@given(st.lists(st.floats(min_value=-5, max_value=5), min_size=1, max_size=20))
def test_rollup_score_is_within_the_scores(scores):
    r = rollup([make(Status.LIMITED_PROGRESS, s) for s in scores])
    assert min(scores) - 1e-9 <= r.score <= max(scores) + 1e-9


D = dt.date


def test_compliance_counts():
    subs = [
        Submission(D(2025, 1, 15), D(2025, 1, 10), True),  # on time, complete
        Submission(D(2025, 1, 15), D(2025, 1, 20), True),  # late
        Submission(D(2025, 1, 15), D(2025, 1, 15), False),  # on time, incomplete
        Submission(D(2025, 1, 15), None),  # missing
        Submission(D(2025, 7, 15), None),  # not due yet on 1/3/2025
    ]
    c = compliance(subs, as_of=D(2025, 3, 1))
    assert (c.expected, c.on_time_complete, c.late, c.incomplete, c.missing) == (4, 1, 1, 1, 1)
    assert c.share == pytest.approx(0.25)
    assert compliance([]).share is None


@given(
    st.lists(
        st.tuples(st.integers(0, 60), st.one_of(st.none(), st.integers(0, 90)), st.booleans()), max_size=30
    ),
    st.integers(0, 90),
)
def test_compliance_parts_add_up(raw, as_of_day):
    base = D(2025, 1, 1)
    subs = [
        Submission(base + dt.timedelta(d), None if s is None else base + dt.timedelta(s), ok)
        for d, s, ok in raw
    ]
    c = compliance(subs, as_of=base + dt.timedelta(as_of_day))
    assert c.on_time_complete + c.late + c.incomplete + c.missing == c.expected
    assert c.share is None or 0 <= c.share <= 1
