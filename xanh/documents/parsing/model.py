"""The parse result: plain dataclasses whose ``to_json()`` is the ``xanh plan parse --json`` contract.

Fields that are not part of the contract (confidence, line numbers) are kept on the objects for
the review screen and left out of ``to_json()`` unless ``extra=True``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

__all__ = [
    "Baseline",
    "Component",
    "DocumentMeta",
    "PlanDraft",
    "Reference",
    "Section",
    "Target",
    "Task",
]

JSON = dict[str, Any]


def _num(value: float | None) -> float | int | None:
    if value is None:
        return None
    return int(value) if float(value).is_integer() and abs(value) < 1e15 else value


@dataclass(slots=True)
class DocumentMeta:
    number: str | None = None
    kind: str | None = None
    issuer: str | None = None
    issued_on: date | None = None
    signer: str | None = None
    title: str | None = None
    period: tuple[int, int] | None = None

    def to_json(self) -> JSON:
        return {
            "number": self.number,
            "kind": self.kind,
            "issuer": self.issuer,
            "issued_on": self.issued_on.isoformat() if self.issued_on else None,
            "signer": self.signer,
            "title": self.title,
            "period": list(self.period) if self.period else None,
        }


@dataclass(slots=True)
class Section:
    id: str
    label: str
    heading: str
    parent: str | None
    span: tuple[int, int]
    line: int = 0

    def to_json(self, extra: bool = False) -> JSON:
        data: JSON = {
            "id": self.id,
            "label": self.label,
            "heading": self.heading,
            "parent": self.parent,
            "span": list(self.span),
        }
        if extra:
            data["line"] = self.line
        return data


@dataclass(slots=True)
class Baseline:
    value: float
    year: int

    def to_json(self) -> JSON:
        return {"value": _num(self.value), "year": self.year}


@dataclass(slots=True)
class Component:
    subject: str | None = None
    value: float | None = None
    low: float | None = None
    high: float | None = None
    unit: str | None = None
    comparator: str = "="
    direction: str | None = None
    scope: str | None = None
    baseline: Baseline | None = None
    span: tuple[int, int] | None = None

    def to_json(self, extra: bool = False) -> JSON:
        data: JSON = {
            "subject": self.subject,
            "value": _num(self.value),
            "low": _num(self.low),
            "high": _num(self.high),
            "unit": self.unit,
            "comparator": self.comparator,
            "direction": self.direction,
            "scope": self.scope,
            "baseline": self.baseline.to_json() if self.baseline else None,
        }
        if extra:
            data["span"] = list(self.span) if self.span else None
        return data


@dataclass(slots=True)
class Target:
    id: str
    n: int | None
    text: str
    pillar: str | None
    section: str | None
    kind: str  # "quantitative" | "milestone"
    year: int | None
    span: tuple[int, int]
    components: list[Component] = field(default_factory=list)
    confidence: float = 1.0
    origin: str = "list"  # "list" (numbered targets) | "prose" (found in running text)
    line: int = 0

    def to_json(self, extra: bool = False) -> JSON:
        data: JSON = {
            "id": self.id,
            "n": self.n,
            "text": self.text,
            "pillar": self.pillar,
            "section": self.section,
            "kind": self.kind,
            "year": self.year,
            "span": list(self.span),
            "components": [c.to_json(extra) for c in self.components],
        }
        if extra:
            data.update(confidence=self.confidence, origin=self.origin, line=self.line)
        return data


@dataclass(slots=True)
class Task:
    id: str
    section: str | None
    text: str
    lead: list[str]
    coordinating: list[str]
    deadline: str | None
    span: tuple[int, int]
    lead_keys: list[str | None] = field(default_factory=list)
    coordinating_keys: list[str | None] = field(default_factory=list)
    confidence: float = 1.0
    line: int = 0

    def to_json(self, extra: bool = False) -> JSON:
        data: JSON = {
            "id": self.id,
            "section": self.section,
            "text": self.text,
            "lead": list(self.lead),
            "coordinating": list(self.coordinating),
            "deadline": self.deadline,
            "span": list(self.span),
        }
        if extra:
            data.update(
                lead_keys=list(self.lead_keys),
                coordinating_keys=list(self.coordinating_keys),
                confidence=self.confidence,
                line=self.line,
            )
        return data


@dataclass(slots=True)
class Reference:
    number: str | None
    kind: str | None
    issued_on: date | None
    span: tuple[int, int] | None = None

    def to_json(self, extra: bool = False) -> JSON:
        data: JSON = {
            "number": self.number,
            "kind": self.kind,
            "issued_on": self.issued_on.isoformat() if self.issued_on else None,
        }
        if extra:
            data["span"] = list(self.span) if self.span else None
        return data


@dataclass(slots=True)
class PlanDraft:
    """Everything the parser proposes for one document; ``text`` is the normalised text."""

    document: DocumentMeta
    sections: list[Section] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)
    tasks: list[Task] = field(default_factory=list)
    abbreviations: dict[str, str] = field(default_factory=dict)
    references: list[Reference] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    text: str = ""

    def to_json(self, extra: bool = False) -> JSON:
        """The contract of ``xanh plan parse --json``; ``extra=True`` adds review-only fields."""
        return {
            "document": self.document.to_json(),
            "sections": [s.to_json(extra) for s in self.sections],
            "targets": [t.to_json(extra) for t in self.targets],
            "tasks": [t.to_json(extra) for t in self.tasks],
            "abbreviations": dict(self.abbreviations),
            "references": [r.to_json(extra) for r in self.references],
            "warnings": list(self.warnings),
        }
