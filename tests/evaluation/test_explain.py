from __future__ import annotations

from xanh.evaluation.methods import (
    Baseline,
    Comparator,
    Direction,
    Observation,
    TargetKind,
    TargetSpec,
    TaskProgress,
    TaskState,
    assess,
    explain,
    explain_lines,
)
from xanh.evaluation.methods.explain import describe_target


def test_issue_example_sentence():
    # observed 1.2 %/year against 2.0 %/year required -> R = 0.6 -> cần đẩy nhanh (the issue's example)
    spec = TargetSpec(
        value=100 * 1.02**10, year=2030, direction=Direction.INCREASE, baseline=Baseline(100, 2020)
    )
    a = assess(spec, [Observation(2021, 101.2), Observation(2024, 100 * 1.012**4)])
    assert (
        explain(a) == "Tốc độ tăng bình quân quan sát: 1,2%/năm; cần: 2,0%/năm; tỷ lệ: 0,60 → cần đẩy nhanh"
    )


def test_decrease_and_opposite_direction_wording():
    spec = TargetSpec(value=100 * 0.98**10, year=2030, direction=Direction.DECREASE)
    down = assess(spec, [Observation(2020, 100), Observation(2024, 100 * 0.99**4)])
    assert explain(down).startswith("Tốc độ giảm bình quân quan sát: 1,0%/năm; cần: 2,0%/năm; tỷ lệ: 0,50")
    up = assess(spec, [Observation(2020, 100), Observation(2024, 100 * 1.005**4)])
    assert "quan sát: tăng 0,5%/năm; cần: giảm 2,0%/năm" in explain(up)
    assert explain(up).endswith("→ đi ngược xu hướng")


def test_inputs_line_and_notes():
    spec = TargetSpec(value=40, unit="%", comparator=Comparator.GE, year=2030)
    a = assess(spec, [Observation(2019, 30.5), Observation(2024, 35)])
    lines = explain_lines(a)
    assert (
        lines[0]
        == "Cơ sở: 30,5% (năm 2019, số liệu quan sát); mới nhất: 35% (năm 2024); mục tiêu: ≥ 40% năm 2030."
    )
    assert any("sớm nhất" in line for line in lines[2:])


def test_other_methods_and_kinds():
    spec = TargetSpec(value=70, year=2030, direction=Direction.INCREASE, unit="%")
    linear = assess(spec, [Observation(2020, 20), Observation(2025, 40)], method="linear")
    assert explain(linear) == (
        "Đã thực hiện 40% chặng đường từ giá trị cơ sở đến mục tiêu sau 50% thời gian; tỷ lệ: 0,80 → cần đẩy nhanh"
    )
    unsd = assess(spec, [Observation(2020, 20), Observation(2025, 40)], method="unsd")
    assert "dự báo năm 2030 theo tốc độ hiện tại" in explain(unsd)
    ms = TargetSpec(kind=TargetKind.MILESTONE, year=2025, tasks=(TaskState(TaskProgress.BEHIND),))
    assert explain(assess(ms, [], as_of=2024)) == (
        "0/1 nhiệm vụ đã hoàn thành; 1 nhiệm vụ chậm tiến độ; hạn: năm 2025 → cần đẩy nhanh"
    )
    done = assess(
        TargetSpec(value=40, unit="%", comparator=Comparator.GE, year=2030), [Observation(2024, 41.25)]
    )
    assert explain(done) == "Giá trị năm 2024: 41,25%; mục tiêu: ≥ 40% năm 2030 → đã đạt"


def test_describe_target_shapes():
    def d(spec: TargetSpec) -> str:
        return describe_target(assess(spec, []).components)

    assert (
        d(TargetSpec(low=2.5, high=3, unit="%", year=2030, direction=Direction.INCREASE)) == "2,5–3% năm 2030"
    )
    assert d(
        TargetSpec(kind=TargetKind.ANNUAL_RATE, low=1, high=1.5, direction=Direction.DECREASE, year=2030)
    ) == ("giảm 1–1,5%/năm bình quân đến năm 2030")
    assert (
        d(TargetSpec(value=42, unit="%", direction=Direction.MAINTAIN, year=2030)) == "duy trì 42% năm 2030"
    )
    assert (
        d(TargetSpec(value=10, unit="đô thị", comparator=Comparator.GE, year=2030)) == "≥ 10 đô thị năm 2030"
    )
