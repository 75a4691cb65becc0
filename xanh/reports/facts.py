"""Plain facts a synthesis report is written from (pure, no Django).

``collect.collect_facts`` reads them from the database (plans, evaluation, approved reports); tests and benchmarks
build them directly. Everything here was recorded by someone or computed by the evaluation engine: the composer
only arranges it, it never writes content of its own.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from xanh.reports.content import ReportKind


@dataclass(frozen=True, slots=True)
class PartFacts:
    """One assessed component of a target ("thành thị 100%"); ``name`` is "" for the target as a whole."""

    name: str
    target_text: str  # as people write it: "≥ 35%", "1–1,5 %/năm"
    unit: str = ""
    kind: str = "level"  # level, annual_rate, milestone
    target_value: float | None = None
    target_low: float | None = None
    target_high: float | None = None
    target_year: int | None = None
    baseline: float | None = None
    baseline_year: int | None = None
    latest: float | None = None
    latest_year: int | None = None
    status: str = "insufficient_data"
    status_label: str = "chưa đủ dữ liệu"
    score: float | None = None
    explanation: str = ""
    series: tuple[tuple[int, float], ...] = ()
    sources: tuple[str, ...] = ()
    decreasing: bool = False
    #: unit of the observed values when it differs from the target's ("kgOE/triệu đồng" for "giảm 1,5%/năm")
    level_unit: str = ""
    #: the engine's calculation components (``Components.to_dict()``), from which the shared chart is drawn
    components: dict[str, object] | None = None


@dataclass(frozen=True, slots=True)
class OverrideFacts:
    """A status a coordinator set by hand, with the written justification; shown as an override, never silently."""

    status: str
    status_label: str
    justification: str
    by: str = ""
    on: str = ""  # ISO date


@dataclass(frozen=True, slots=True)
class TargetFacts:
    code: str
    text: str
    pillar: str
    pillar_label: str
    number: int | None = None
    kind: str = "quantitative"  # quantitative or milestone
    year: int | None = None
    status: str = "insufficient_data"
    status_label: str = "chưa đủ dữ liệu"
    score: float | None = None
    explanation: tuple[str, ...] = ()
    parts: tuple[PartFacts, ...] = ()
    override: OverrideFacts | None = None
    method: str = ""
    task_codes: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return f"Chỉ tiêu {self.number}" if self.number is not None else f"Mục tiêu {self.code}"

    @property
    def effective_status(self) -> str:
        return self.override.status if self.override else self.status

    @property
    def effective_label(self) -> str:
        return self.override.status_label if self.override else self.status_label


@dataclass(frozen=True, slots=True)
class AgencyReportFacts:
    """What one agency reported on one task in an approved report."""

    agency: str
    role: str = "lead"  # lead or coordinating
    period: str = ""
    status: str = ""
    status_label: str = ""
    percent: int | None = None
    narrative: str = ""
    difficulties: str = ""
    proposals: str = ""


@dataclass(frozen=True, slots=True)
class TaskFacts:
    code: str
    text: str
    group_code: str = ""
    group_title: str = ""
    lead: tuple[str, ...] = ()
    coordinating: tuple[str, ...] = ()
    deadline: str = ""
    status: str = ""
    status_label: str = ""
    percent: int | None = None
    reports: tuple[AgencyReportFacts, ...] = ()
    target_codes: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ComplianceFacts:
    """How the agencies met the reporting duty in the period (counts of submissions by state)."""

    expected: int
    approved: int
    submitted: int
    returned: int
    not_submitted: int
    late: int
    due_on: str = ""  # ISO date


@dataclass(frozen=True, slots=True)
class DocumentFacts:
    kind: str
    number: str
    issued_on: str  # ISO date or ""
    issuer: str


@dataclass(frozen=True, slots=True)
class PlanFacts:
    plan_id: int
    title: str
    unit_name: str  # "Tỉnh Lục Vân"
    place: str  # place name in the date line: "Lục Vân"
    issuer: str  # "Ủy ban nhân dân tỉnh Lục Vân"
    period: str  # "2025"
    period_label: str  # "năm 2025"
    year: int
    period_start: int
    period_end: int
    kind: ReportKind = ReportKind.ANNUAL
    issued_on: str = ""  # ISO date of the report
    is_demo: bool = False
    document: DocumentFacts | None = None
    coordinator_agency: str = ""
    pillars: tuple[tuple[str, str], ...] = ()  # (code, label) in display order
    targets: tuple[TargetFacts, ...] = ()
    tasks: tuple[TaskFacts, ...] = ()
    compliance: ComplianceFacts | None = None
    #: body the report is sent to (national consolidator on the issue date), with its source
    recipient: str = ""
    evaluation_source: str = "methods"
    evaluation_method: str = ""
    #: notes on the data a person should read before issuing (e.g. successor units or agencies)
    data_notes: tuple[str, ...] = field(default_factory=tuple)
