"""Adapter between the evaluation app's public read API and the report's plain facts.

Statuses: ``xanh.evaluation.services.plan_evaluation_summary(plan, as_of)`` — the same stored assessments, overrides
and explanations as the dashboards. Charts: ``chart_series`` gives the ``xanh.evaluation.charts.TrajectorySeries`` of a
target part, the one chart definition of the web pages and the reports. When the summary does not have the
shape this adapter knows, it declines (``UnsupportedSummary``) and the report computes the statuses with the pure
methods instead, so a change on one side never stops report generation.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from xanh.evaluation import methods
from xanh.evaluation.charts import TrajectorySeries, plan_series, series_from_assessment
from xanh.reports.facts import OverrideFacts, PartFacts, TargetFacts


class UnsupportedSummary(Exception):
    pass


@dataclass
class Adapted:
    targets: list[TargetFacts]
    method_label: str


def _target_text(component: Any, display: str) -> str:
    if (
        component is not None
        and component.value_kind == "annual_rate"
        and component.direction
        in (
            "increase",
            "decrease",
        )
    ):
        verb = "giảm" if component.direction == "decrease" else "tăng"
        return f"{verb} {component.display_value} bình quân"
    return display or (component.display_value if component is not None else "—")


def _part(result: Any, part: Any, component: Any, name: str, target: Any) -> PartFacts:
    a = part.assessment
    c = a.components
    points = part.observations
    unit = component.unit if component is not None else (c.unit or "")
    level_unit = next((p.unit for p in reversed(points) if p.unit), "")
    if not level_unit and not unit.endswith("/năm"):
        level_unit = unit
    return PartFacts(
        name=name,
        target_text=_target_text(component, part.display_value),
        unit=unit,
        kind=c.kind,
        target_value=component.value if component is not None else c.target_value,
        target_low=component.low if component is not None else c.target_low,
        target_high=component.high if component is not None else c.target_high,
        target_year=(component.year if component is not None else None) or c.target_year or target.year,
        baseline=c.base_value,
        baseline_year=c.base_year,
        latest=c.latest_value,
        latest_year=c.latest_year,
        status=a.status.value,
        status_label=a.label,
        score=a.score,
        explanation=methods.explain(a),
        series=tuple((p.year, p.value) for p in points),
        sources=tuple(dict.fromkeys(p.source_detail for p in points if p.source_detail)),
        decreasing=(component.direction == "decrease")
        if component is not None
        else c.direction == "decrease",
        level_unit=level_unit,
        components=c.to_dict(),
    )


def from_summary(summary: Any, targets: Sequence[Any]) -> Adapted:
    """Plain facts from a ``PlanEvaluationSummary``; ``targets`` are the plan's targets with components prefetched."""
    results = getattr(summary, "targets", None)
    if results is None:
        raise UnsupportedSummary("the summary has no targets")
    components = {c.pk: c for t in targets for c in t.components.all()}
    by_id = {t.pk: t for t in targets}
    facts: list[TargetFacts] = []
    used: Counter[str] = Counter()
    try:
        for r in results:
            target = by_id.get(r.target_id)
            if target is None:
                continue
            computed = r.computed
            used[computed.method] += 1
            parts = tuple(r.components)
            single = len(parts) == 1
            part_facts = tuple(
                _part(r, p, components.get(p.component_id or 0), "" if single else p.name, target)
                for p in parts
            )
            override = None
            if r.override is not None:
                o = r.override
                override = OverrideFacts(
                    status=o.status.value,
                    status_label=o.label,
                    justification=o.justification,
                    by=o.by,
                    on=o.at.date().isoformat() if o.at else "",
                )
            facts.append(
                TargetFacts(
                    code=r.code,
                    text=r.text,
                    pillar=r.pillar,
                    pillar_label=r.pillar_label,
                    number=r.number,
                    kind=r.kind,
                    year=r.year,
                    status=computed.status.value,
                    status_label=computed.label,
                    score=computed.score,
                    explanation=(r.explanation, *computed.notes),
                    parts=part_facts,
                    override=override,
                    method=computed.method,
                    task_codes=tuple(t.code for t in r.tasks),
                )
            )
    except AttributeError as exc:
        raise UnsupportedSummary(str(exc)) from exc
    name = used.most_common(1)[0][0] if used else methods.DEFAULT_METHOD
    method = methods.METHODS.get(name) or methods.METHODS[methods.DEFAULT_METHOD]
    return Adapted(facts, method.title)


def chart_series(part: PartFacts, target: TargetFacts) -> TrajectorySeries:
    """The chart's plain data for a target part: from the assessment's calculation components (what the dashboards
    draw), else from the part's own figures."""
    if part.components is not None:
        return series_from_assessment(
            part.components,
            part.series,
            title="",
            status=target.effective_status,
            status_label=target.effective_label,
            method=target.method or "osdg",
        )
    rate = part.kind == "annual_rate"
    base = (part.baseline_year, part.baseline) if part.baseline is not None and part.baseline_year else None
    return plan_series(
        part.series,
        base=base,
        target_year=None if rate else part.target_year,
        target_value=None if rate else part.target_value,
        target_low=None if rate else part.target_low,
        target_high=None if rate else part.target_high,
        decreasing=part.decreasing,
        unit=part.level_unit or ("" if rate else part.unit),
        status=target.effective_status,
        status_label=target.effective_label,
    )
