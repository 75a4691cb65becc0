from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from tests.factories import (
    AdminUnitFactory,
    CoordinatorFactory,
    IndicatorValueFactory,
    ReporterFactory,
    UserFactory,
)
from xanh.core.errors import ValidationFailed
from xanh.evaluation.methods import Status
from xanh.evaluation.models import Assessment, EvaluationRun, StatusOverride
from xanh.evaluation.services import (
    evaluate_plan,
    override_status,
    plan_evaluation_summary,
    revoke_override,
)

pytestmark = pytest.mark.django_db


def status_of(run, target) -> str:
    return Assessment.objects.get(run=run, target=target, component__isnull=True).status


def test_evaluate_plan_every_kind(small_plan):
    run = evaluate_plan(plan=small_plan.plan, as_of=2024)
    assert run.target_count == 4
    # 40 -> 41.6 over 4 years: CAGR 0.985 %/year vs (42/40)^(1/10) - 1 = 0.489 %/year -> R = 2.0 -> on track
    forest = Assessment.objects.get(run=run, target=small_plan.t_forest, component__isnull=True)
    assert forest.status == "on_track"
    assert forest.components["base_value"] == 40.0 and forest.components["base_year"] == 2020
    assert forest.components["baseline_from_observation"] is False
    assert forest.method == "osdg" and forest.method_version
    assert "Tốc độ tăng bình quân quan sát: 1,0%/năm; cần: 0,5%/năm" in forest.explanation
    assert [o["year"] for o in forest.observations] == [2020, 2022, 2024]
    assert forest.observations[0]["source_detail"] == "Niên giám thống kê 2021"
    # annual rate: (41/42)^(1/4) - 1 = -0.60 %/year vs -1.0 % -> R = 0.60 -> acceleration needed
    energy = Assessment.objects.get(run=run, target=small_plan.t_energy, component__isnull=True)
    assert energy.components["required_growth"] == pytest.approx(-0.01)
    assert energy.components["observed_growth"] == pytest.approx((41 / 42) ** 0.25 - 1)
    assert energy.status == "acceleration_needed"
    # milestone with no report and no data
    assert status_of(run, small_plan.t_milestone) == "insufficient_data"


def test_component_targets_are_assessed_and_rolled_up(small_plan):
    run = evaluate_plan(plan=small_plan.plan, as_of=2024)
    parts = {
        a.component.scope: a
        for a in Assessment.objects.filter(run=run, target=small_plan.t_water, component__isnull=False)
    }
    assert set(parts) == {"", "thành thị", "nông thôn"}
    assert parts["thành thị"].status == "achieved"  # 99.5 is within 1 point of the 100 % limit
    assert parts["nông thôn"].status == "deterioration"  # 80.5 -> 80.0
    whole = Assessment.objects.get(run=run, target=small_plan.t_water, component__isnull=True)
    scores = [parts[k].score for k in ("", "thành thị", "nông thôn")]
    assert whole.score == pytest.approx(sum(scores) / 3)
    assert whole.status != "achieved"
    assert whole.components["calculation"] == "composite"


def test_as_of_limits_the_data_and_reruns_replace(small_plan):
    first = evaluate_plan(plan=small_plan.plan, as_of=2022)
    forest = Assessment.objects.get(run=first, target=small_plan.t_forest, component__isnull=True)
    assert forest.components["latest_year"] == 2022
    again = evaluate_plan(plan=small_plan.plan, as_of=2022)
    assert again.pk == first.pk
    assert EvaluationRun.objects.filter(plan=small_plan.plan).count() == 1
    assert Assessment.objects.filter(run=again, component__isnull=True).count() == 4


def test_only_official_values_count(small_plan):
    IndicatorValueFactory(
        indicator=small_plan.forest,
        admin_unit=small_plan.unit,
        period="2025",
        year=2025,
        value=10.0,
        status="submitted",
    )
    run = evaluate_plan(plan=small_plan.plan, as_of=2025)
    forest = Assessment.objects.get(run=run, target=small_plan.t_forest, component__isnull=True)
    assert forest.components["latest_year"] == 2024


def test_predecessor_units_fill_years_of_a_merged_province(small_plan):
    """2025 reform: a plan of the new unit uses the data of the unit merged into it for earlier years."""
    old = AdminUnitFactory(name="Tỉnh cũ", valid_to=dt.date(2025, 6, 30), successor=small_plan.unit)
    IndicatorValueFactory(indicator=small_plan.forest, admin_unit=old, period="2019", year=2019, value=39.0)
    # the plan's own unit wins where both have a value
    IndicatorValueFactory(indicator=small_plan.forest, admin_unit=old, period="2024", year=2024, value=1.0)
    run = evaluate_plan(plan=small_plan.plan, as_of=2024)
    forest = Assessment.objects.get(run=run, target=small_plan.t_forest, component__isnull=True)
    years = {o["year"]: o for o in forest.observations}
    assert years[2019]["admin_unit"] == "Tỉnh cũ"
    assert years[2024]["value"] == 41.6


def test_evaluate_permission(small_plan):
    with pytest.raises(PermissionDenied):
        evaluate_plan(plan=small_plan.plan, user=ReporterFactory())
    with pytest.raises(PermissionDenied):
        evaluate_plan(plan=small_plan.plan, user=CoordinatorFactory())  # another province's coordinator
    run = evaluate_plan(plan=small_plan.plan, as_of=2024, user=small_plan.coordinator)
    assert run.computed_by == small_plan.coordinator
    with pytest.raises(ValidationFailed, match="Năm đánh giá"):
        evaluate_plan(plan=small_plan.plan, as_of=1800)


def test_override_is_shown_as_override_and_audited(small_plan):
    evaluate_plan(plan=small_plan.plan, as_of=2024)
    text = "Số liệu năm 2024 chưa tính diện tích rừng trồng mới được nghiệm thu cuối năm."
    override = override_status(
        user=small_plan.coordinator, target=small_plan.t_energy, status="on_track", justification=text
    )
    assert override.computed_status == "acceleration_needed"
    assert override.history.count() == 1
    assert override.history.first().history_change_reason.startswith("Điều chỉnh trạng thái")
    summary = plan_evaluation_summary(small_plan.plan, 2024)
    energy = summary.target(small_plan.t_energy.pk)
    assert energy.status is Status.ON_TRACK and energy.computed.status is Status.ACCELERATION_NEEDED
    assert energy.is_overridden and energy.override.justification == text
    assert summary.overrides == 1
    # a second override replaces the first; both stay
    override_status(
        user=small_plan.coordinator,
        target=small_plan.t_energy,
        status="limited_progress",
        justification=text + " Cập nhật.",
    )
    assert StatusOverride.objects.filter(target=small_plan.t_energy).count() == 2
    assert StatusOverride.objects.active().filter(target=small_plan.t_energy).count() == 1
    active = StatusOverride.objects.active().get(target=small_plan.t_energy)
    revoke_override(user=small_plan.coordinator, override=active, reason="Đã có số liệu chính thức.")
    assert plan_evaluation_summary(small_plan.plan, 2024).target(small_plan.t_energy.pk).override is None
    with pytest.raises(ValidationFailed):
        revoke_override(user=small_plan.coordinator, override=active, reason="lần nữa")


@pytest.mark.parametrize(
    ("status", "justification", "field"),
    [
        ("on_track", "ngắn", "justification"),
        ("insufficient_data", "x" * 40, "status"),
        ("bogus", "x" * 40, "status"),
    ],
)
def test_override_validation(small_plan, status, justification, field):
    with pytest.raises(ValidationFailed) as err:
        override_status(
            user=small_plan.coordinator,
            target=small_plan.t_forest,
            status=status,
            justification=justification,
        )
    assert any(p.column == field for p in err.value.problems)


def test_override_permission(small_plan):
    for user in (UserFactory(), ReporterFactory(), CoordinatorFactory()):
        with pytest.raises(PermissionDenied):
            override_status(user=user, target=small_plan.t_forest, status="achieved", justification="x" * 40)


def test_summary_for_reports(small_plan):
    summary = plan_evaluation_summary(small_plan.plan, 2024)  # evaluates on demand
    assert summary.as_of == 2024 and summary.computed_at is not None
    assert [p.code for p in summary.pillars] == ["emissions", "green_economy", "lifestyle", "transition"]
    forest = summary.target(small_plan.t_forest.pk)
    assert forest.lead_agencies == ("Sở Nông nghiệp và Môi trường",)
    assert forest.latest.year == 2024 and forest.latest.value == 41.6
    assert forest.lines[0].startswith("Cơ sở: 40% (năm 2020, theo kế hoạch)")
    assert forest.tasks[0].code == "III.1"
    water = summary.target(small_plan.t_water.pk)
    assert [c.name for c in water.components] == ["toàn bộ", "thành thị", "nông thôn"]
    assert summary.rollup.count == 4 and summary.rollup.assessed == 3
    names = [a.name for a in summary.agencies]
    assert names == ["Sở Công Thương", "Sở Nông nghiệp và Môi trường"]
    series = forest.chart_series()
    assert series.observed[-1] == (2024, 41.6) and series.required[0] == (2020, 40.0)
    assert series.required[-1][1] == pytest.approx(42.0)


def test_summary_query_count_does_not_grow_with_targets(small_plan):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import TargetComponentFactory, TargetFactory

    def count() -> int:
        with CaptureQueriesContext(connection) as ctx:
            plan_evaluation_summary(small_plan.plan, 2024)
        return len(ctx.captured_queries)

    evaluate_plan(plan=small_plan.plan, as_of=2024)
    assert (
        count() == 9
    )  # run, years, targets, components, tasks, assignments, assessments, overrides, reports
    for i in range(15):
        target = TargetFactory(plan=small_plan.plan, code=f"X{i}", indicator=small_plan.forest)
        TargetComponentFactory(target=target, value=45)
    evaluate_plan(plan=small_plan.plan, as_of=2024)
    assert count() == 9


def test_milestone_reads_task_reports(small_plan):
    from xanh.reporting.models import ReportingRound, Submission, TaskReport

    rnd = ReportingRound.objects.create(
        plan=small_plan.plan,
        period="2025",
        year=2025,
        opens_on=dt.date(2025, 12, 1),
        due_on=dt.date(2026, 1, 15),
    )
    sub = Submission.objects.create(
        round=rnd,
        agency=small_plan.lead,
        status="approved",
        submitted_at=dt.datetime(2026, 1, 10, tzinfo=dt.UTC),
    )
    TaskReport.objects.create(
        submission=sub,
        task=small_plan.task_air,
        status="behind_schedule",
        percent=30,
        narrative="Đang lấy ý kiến các sở.",
    )
    run = evaluate_plan(plan=small_plan.plan, as_of=2025)
    milestone = Assessment.objects.get(run=run, target=small_plan.t_milestone, component__isnull=True)
    assert milestone.status == "acceleration_needed"
    assert milestone.components["tasks_behind"] == 1
    summary = plan_evaluation_summary(small_plan.plan, 2025)
    task = summary.target(small_plan.t_milestone.pk).tasks[0]
    assert task.report.status_label == "Chậm tiến độ" and task.report.percent == 30
    # compliance: one submission, on time and approved
    lead = next(a for a in summary.agencies if a.name == "Sở Nông nghiệp và Môi trường")
    assert lead.compliance.expected == 1 and lead.compliance.share == 1.0
    # coordinator confirms the milestone is complete
    small_plan.t_milestone.is_complete = True
    small_plan.t_milestone.save()
    run = evaluate_plan(plan=small_plan.plan, as_of=2025)
    assert status_of(run, small_plan.t_milestone) == "achieved"


def test_evaluate_command(small_plan):
    import io
    import json

    from django.core.management import call_command

    out = io.StringIO()
    call_command("evaluate", "--plan", str(small_plan.plan.pk), "--as-of", "2024", "--json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["as_of"] == 2024 and len(data["targets"]) == 4
    assert {t["status"] for t in data["targets"]} <= {s.value for s in Status}
    text = io.StringIO()
    call_command("evaluate", "--plan", str(small_plan.plan.pk), "--as-of", "2024", stdout=text)
    assert "Toàn kế hoạch:" in text.getvalue()
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Không có kế hoạch"):
        call_command("evaluate", "--plan", "999999")
