"""The report's charts: the evaluation app's trajectory chart as PNG, the status summary; no database."""

from __future__ import annotations

from dataclasses import replace

import pytest

from tests.reports import builders
from xanh.evaluation.charts import TrajectorySeries
from xanh.evaluation.methods import Baseline, Direction, Observation, TargetSpec, assess
from xanh.reports import charts


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    charts.clear_cache()


def test_a_target_without_components_is_drawn_from_its_own_figures() -> None:
    series = charts.chart_job(builders.forest_target())
    assert isinstance(series, TrajectorySeries)
    assert series.observed[0] == (2020, 40.1) and series.observed[-1] == (2025, 41.8)
    assert series.required[0] == (2020, 40.1) and series.required[-1] == (2030, 42.0)
    assert series.target_value == 42.0 and series.status == "on_track"


def test_a_target_with_an_assessment_is_drawn_like_the_dashboards() -> None:
    observations = [Observation(2020, 40.1), Observation(2025, 41.8)]
    spec = TargetSpec(
        value=42, unit="%", year=2030, baseline=Baseline(40.1, 2020), direction=Direction.INCREASE
    )
    components = assess(spec, observations).components.to_dict()
    target = builders.forest_target()
    part = replace(target.parts[0], series=((2020, 40.1), (2025, 41.8)), components=components)
    series = charts.chart_job(replace(target, parts=(part,)))
    assert series is not None and len(series.required) == 11  # compound path, one point a year


def test_targets_without_data_have_no_chart() -> None:
    assert charts.chart_job(builders.milestone_target()) is None


def test_report_charts_are_pngs_keyed_by_target_and_memoised() -> None:
    facts = builders.plan_facts()
    drawn = charts.report_charts(facts)
    assert drawn["status-summary"][:4] == b"\x89PNG" and drawn["3"][:4] == b"\x89PNG"
    assert charts.report_charts(facts)["3"] is drawn["3"]  # same data, same image, not redrawn


def test_a_chart_that_fails_does_not_stop_the_report(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_args: object, **_kwargs: object) -> bytes:
        raise RuntimeError("matplotlib broke")

    monkeypatch.setattr(charts, "trajectory_png", broken)
    drawn = charts.report_charts(builders.plan_facts())
    assert "3" not in drawn and "status-summary" in drawn
