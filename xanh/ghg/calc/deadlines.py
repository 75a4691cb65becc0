"""Reporting deadlines as rules with the instrument that sets them (pure).

Deadlines differ by obligation group and changed in 2025 (NĐ 06/2022 → NĐ 119/2025, ghg.md §1), so they are data:
each rule says which groups and which step it covers, the day of the year, the first submission year, how often,
which data years a submission covers, and the period in which the instrument is in force. The rule that applies to a
submission is the one in force on its due date.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from .tables import DATA_DIR


class ObligationGroup(StrEnum):
    """Groups of listed facilities after NĐ 119/2025 (ghg.md §1, grouping marked [L])."""

    A = "A"  # no quota: inventory appraised by the provincial People's Committee
    B = "B"  # the pilot-quota facilities of QĐ 699/QĐ-BNNMT: verified report to MAE
    C = "C"  # quota from 2027: verified report

    @property
    def label(self) -> str:
        return GROUP_LABELS[self]


GROUP_LABELS = {
    ObligationGroup.A: "Nhóm A — không được phân bổ hạn ngạch (UBND tỉnh thẩm định)",
    ObligationGroup.B: "Nhóm B — thí điểm hạn ngạch 2025–2026 (thẩm tra độc lập)",
    ObligationGroup.C: "Nhóm C — hạn ngạch từ năm 2027 (thẩm tra độc lập)",
}


class Step(StrEnum):
    ACTIVITY_DATA = "activity_data"
    INVENTORY_REPORT = "inventory_report"
    VERIFIED_REPORT = "verified_report"

    @property
    def label(self) -> str:
        return STEP_LABELS[self]


STEP_LABELS = {
    Step.ACTIVITY_DATA: "Gửi số liệu hoạt động năm trước",
    Step.INVENTORY_REPORT: "Gửi báo cáo kiểm kê khí nhà kính cấp cơ sở",
    Step.VERIFIED_REPORT: "Gửi báo cáo kiểm kê đã được thẩm tra",
}


@dataclass(frozen=True)
class DeadlineRule:
    key: str
    groups: frozenset[ObligationGroup]
    step: Step
    recipient: str
    month: int
    day: int
    first_submission_year: int
    every_years: int
    first_data_year: int
    data_years: int  # how many years before the submission year one submission covers
    valid_from: dt.date | None
    valid_to: dt.date | None
    instrument: str
    confidence: str
    source: str

    def due_on(self, submission_year: int) -> dt.date:
        return dt.date(submission_year, self.month, self.day)

    def is_submission_year(self, year: int) -> bool:
        return (
            year >= self.first_submission_year and (year - self.first_submission_year) % self.every_years == 0
        )

    def in_force_on(self, day: dt.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )

    def applies(self, group: ObligationGroup, step: Step, submission_year: int) -> bool:
        return (
            group in self.groups
            and step is self.step
            and self.is_submission_year(submission_year)
            and self.in_force_on(self.due_on(submission_year))
        )

    def data_years_for(self, submission_year: int) -> tuple[int, int]:
        """(first, last) data year covered by the submission of ``submission_year``: the ``data_years`` years just
        before it, never earlier than the first data year of the rule."""
        last = submission_year - 1
        first = max(self.first_data_year, submission_year - self.data_years)
        return (min(first, last), last)


@dataclass(frozen=True)
class Deadline:
    rule: DeadlineRule
    submission_year: int
    due_on: dt.date
    first_data_year: int
    last_data_year: int


def deadline_for(
    rules: Iterable[DeadlineRule], group: ObligationGroup, step: Step, submission_year: int
) -> Deadline | None:
    """The deadline of a submission, from the rule in force on its due date; None when no rule sets one."""
    matching = [r for r in rules if r.applies(group, step, submission_year)]
    if not matching:
        return None
    # Two instruments in force on the same day for the same group would be a data error; the later one wins.
    rule = max(matching, key=lambda r: (r.valid_from or dt.date.min, r.key))
    first, last = rule.data_years_for(submission_year)
    return Deadline(rule, submission_year, rule.due_on(submission_year), first, last)


def next_deadlines(
    rules: Iterable[DeadlineRule], group: ObligationGroup, *, after: dt.date, horizon_years: int = 6
) -> list[Deadline]:
    """Upcoming deadlines of every step for ``group`` on or after ``after``, earliest first."""
    rules = list(rules)
    found: list[Deadline] = []
    for year in range(after.year, after.year + horizon_years + 1):
        for step in Step:
            deadline = deadline_for(rules, group, step, year)
            if deadline is not None and deadline.due_on >= after:
                found.append(deadline)
    return sorted(found, key=lambda d: (d.due_on, d.rule.step.value))


def _date(text: str) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def parse_rule(row: dict[str, str]) -> DeadlineRule:
    """One rule from a CSV row (columns of data/deadline-rules.csv); ValueError on bad values."""
    rule = DeadlineRule(
        key=row["key"],
        groups=frozenset(
            ObligationGroup(g.strip()) for g in row["obligation_groups"].split(";") if g.strip()
        ),
        step=Step(row["step"]),
        recipient=row["recipient"],
        month=int(row["month"]),
        day=int(row["day"]),
        first_submission_year=int(row["first_submission_year"]),
        every_years=int(row["every_years"]),
        first_data_year=int(row["first_data_year"]),
        data_years=int(row["data_years"]),
        valid_from=_date(row.get("valid_from", "")),
        valid_to=_date(row.get("valid_to", "")),
        instrument=row["instrument"],
        confidence=row.get("confidence", ""),
        source=row.get("source", ""),
    )
    if rule.every_years < 1 or rule.data_years < 1 or not rule.groups:
        raise ValueError(f"quy tắc {rule.key}: chu kỳ, số năm số liệu và nhóm phải được khai báo")
    rule.due_on(rule.first_submission_year)  # raises on an impossible day
    return rule


def load_rules(path: Path = DATA_DIR / "deadline-rules.csv") -> list[DeadlineRule]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [parse_rule({k: (v or "").strip() for k, v in row.items()}) for row in csv.DictReader(handle)]
