"""Deadline rules with their instruments (pure)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xanh.ghg.calc import ObligationGroup, Step, deadline_for, load_rules, next_deadlines
from xanh.ghg.calc.deadlines import parse_rule

RULES = load_rules()


def test_first_inventory_under_nd06() -> None:
    deadline = deadline_for(RULES, ObligationGroup.A, Step.INVENTORY_REPORT, 2025)
    assert deadline is not None
    assert deadline.due_on == dt.date(2025, 3, 31)
    assert "NĐ 06/2022" in deadline.rule.instrument
    assert (deadline.first_data_year, deadline.last_data_year) == (2024, 2024)
    assert deadline.rule.recipient == "Ủy ban nhân dân cấp tỉnh"


def test_after_nd119_the_report_covers_the_two_previous_years() -> None:
    deadline = deadline_for(RULES, ObligationGroup.A, Step.INVENTORY_REPORT, 2027)
    assert deadline is not None
    assert "NĐ 119/2025" in deadline.rule.instrument
    assert (deadline.first_data_year, deadline.last_data_year) == (2025, 2026)
    assert deadline.due_on == dt.date(2027, 3, 31)


def test_off_year_has_no_inventory_deadline() -> None:
    assert deadline_for(RULES, ObligationGroup.A, Step.INVENTORY_REPORT, 2026) is None
    assert deadline_for(RULES, ObligationGroup.A, Step.INVENTORY_REPORT, 2024) is None


def test_pilot_quota_group_reports_verified_inventory_to_the_ministry() -> None:
    deadline = deadline_for(RULES, ObligationGroup.B, Step.VERIFIED_REPORT, 2027)
    assert deadline is not None
    assert deadline.due_on == dt.date(2027, 12, 1)
    assert deadline.first_data_year == 2026
    assert deadline.rule.confidence == "L"
    assert deadline_for(RULES, ObligationGroup.A, Step.VERIFIED_REPORT, 2027) is None


def test_activity_data_every_year() -> None:
    for year in range(2023, 2031):
        deadline = deadline_for(RULES, ObligationGroup.C, Step.ACTIVITY_DATA, year)
        assert deadline is not None and deadline.last_data_year == year - 1


def test_next_deadlines_sorted() -> None:
    upcoming = next_deadlines(RULES, ObligationGroup.A, after=dt.date(2026, 11, 23))
    assert upcoming[0].due_on == dt.date(2027, 3, 31)
    assert [d.due_on for d in upcoming] == sorted(d.due_on for d in upcoming)
    assert all(d.due_on >= dt.date(2026, 11, 23) for d in upcoming)


@given(st.sampled_from(list(ObligationGroup)), st.sampled_from(list(Step)), st.integers(2000, 2060))
def test_deadline_properties(group: ObligationGroup, step: Step, year: int) -> None:
    deadline = deadline_for(RULES, group, step, year)
    if deadline is None:
        return
    assert deadline.due_on.year == year
    assert deadline.first_data_year <= deadline.last_data_year < year
    assert deadline.rule.in_force_on(deadline.due_on)
    assert deadline.rule.instrument


def test_bad_rule_is_refused() -> None:
    row = {
        "key": "x",
        "obligation_groups": "A",
        "step": "inventory_report",
        "recipient": "r",
        "month": "2",
        "day": "30",
        "first_submission_year": "2025",
        "every_years": "1",
        "first_data_year": "2024",
        "data_years": "1",
        "valid_from": "",
        "valid_to": "",
        "instrument": "i",
    }
    with pytest.raises(ValueError):
        parse_rule(row)
