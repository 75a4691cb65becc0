"""Hand-computed cases for every method and target kind (../shared/domain/progress-methods.md, "PM §n").

The figures are chosen so that the compound rates are round: 100·1.1^4 = 146.41 means 10 %/year, and so on. Each
expected value is worked out in the comment next to it.
"""

from __future__ import annotations

import pytest

from xanh.evaluation.methods import (
    Baseline,
    Comparator,
    Direction,
    Observation,
    Status,
    TargetKind,
    TargetSpec,
    TaskProgress,
    TaskState,
    assess,
)

approx = pytest.approx


def obs(*pairs: tuple[int, float]) -> list[Observation]:
    return [Observation(y, v) for y, v in pairs]


GROWTH_10 = TargetSpec(value=100 * 1.1**10, year=2030, direction=Direction.INCREASE)  # CAGR_req = 10 %/year


# --- Open SDG (PM §1) ----------------------------------------------------------------------------------------


def test_osdg_on_track_ratio_one():
    # CAGR_obs = (146.41/100)^(1/4) - 1 = 0.10; CAGR_req = 0.10; R = 1 -> on track; score = 50/7 - 30/7 = 20/7
    a = assess(GROWTH_10, obs((2020, 100), (2024, 146.41)))
    assert a.status is Status.ON_TRACK
    assert a.components.ratio == approx(1.0)
    assert a.components.observed_growth == approx(0.10)
    assert a.components.required_growth == approx(0.10)
    assert a.score == approx(20 / 7)
    assert a.method == "osdg" and a.method_version


def test_osdg_limited_progress():
    # 100·1.05^4 = 121.550625: CAGR_obs = 0.05, R = 0.5 -> limited; score = 25/6·0.5 - 2.5 = -0.41667
    a = assess(GROWTH_10, obs((2020, 100), (2024, 121.550625)))
    assert a.status is Status.LIMITED_PROGRESS
    assert a.components.ratio == approx(0.5)
    assert a.score == approx(-5 / 12)


def test_osdg_acceleration_needed_and_band_edges():
    # R = 0.8: 100·1.08^4 = 136.048896 -> moderate; score = 50/7·0.8 - 30/7 = 10/7
    a = assess(GROWTH_10, obs((2020, 100), (2024, 136.048896)))
    assert a.status is Status.ACCELERATION_NEEDED
    assert a.score == approx(10 / 7)
    # R exactly 0.95 (on paper) is on track, 0.6 is moderate with score 0 (PM §1.3 pieces join)
    edge = assess(GROWTH_10, obs((2020, 100), (2024, 100 * 1.095**4)))
    assert edge.status is Status.ON_TRACK and edge.score == approx(2.5)
    sixty = assess(GROWTH_10, obs((2020, 100), (2024, 100 * 1.06**4)))
    assert sixty.status is Status.ACCELERATION_NEEDED and sixty.score == approx(0.0, abs=1e-9)


def test_osdg_deterioration():
    # 100·0.97^4: CAGR_obs = -0.03, R = -0.3; score = 25/6·(-0.3) - 2.5 = -3.75
    a = assess(GROWTH_10, obs((2020, 100), (2024, 100 * 0.97**4)))
    assert a.status is Status.DETERIORATION
    assert a.score == approx(-3.75)
    # floor at -5 (R = -0.6 and below)
    worse = assess(GROWTH_10, obs((2020, 100), (2024, 100 * 0.9**4)))
    assert worse.score == approx(-5.0)


def test_osdg_score_cap_at_five():
    # R = 1.3 -> 50/7·1.3 - 30/7 = 5. Target 200 by 2030: CAGR_req = 2^(1/10) - 1 = 0.071773;
    # 150 in 2024: CAGR_obs = 1.5^(1/4) - 1 = 0.106682; R = 1.4864 -> capped at 5 (still below the target)
    a = assess(TargetSpec(value=200, year=2030, direction=Direction.INCREASE), obs((2020, 100), (2024, 150)))
    assert a.components.ratio == approx(1.4864, abs=1e-4)
    assert a.status is Status.ON_TRACK
    assert a.score == approx(5.0)


def test_osdg_decrease_target():
    # Decrease to 100·0.9^10 = 34.8678 by 2030. 100·0.92^4 = 71.639296: CAGR_obs = -0.08, CAGR_req = -0.10
    # R = s·d·CAGR_obs/|CAGR_req| = (+1)(-1)(-0.08)/0.10 = 0.8 -> moderate, score 10/7
    spec = TargetSpec(value=100 * 0.9**10, year=2030, direction=Direction.DECREASE)
    a = assess(spec, obs((2020, 100), (2024, 71.639296)))
    assert a.status is Status.ACCELERATION_NEEDED
    assert a.components.ratio == approx(0.8)
    assert a.score == approx(10 / 7)
    # an increase is deterioration
    up = assess(spec, obs((2020, 100), (2024, 104.0)))
    assert up.status is Status.DETERIORATION


def test_osdg_negative_base_uses_sign():
    # y0 = -100, target -50 (increase), yi = -80 after 4 years:
    # CAGR_obs = 0.8^(1/4) - 1 = -0.054258; CAGR_req = 0.5^(1/10) - 1 = -0.066967
    # R = s·d·CAGR_obs/|CAGR_req| = (-1)(+1)(-0.054258)/0.066967 = 0.81022 -> moderate
    spec = TargetSpec(value=-50, year=2030, direction=Direction.INCREASE)
    a = assess(spec, obs((2020, -100), (2024, -80)))
    assert a.components.ratio == approx(-1 * (0.8**0.25 - 1) / abs(0.5**0.1 - 1))
    assert a.components.ratio == approx(0.81023, abs=1e-5)
    assert a.status is Status.ACCELERATION_NEEDED


def test_osdg_zero_base_replaced_with_warning():
    # PM §1.4: base 0 -> 0.001; CAGR_obs = (5/0.001)^(1/4) - 1, CAGR_req = (10/0.001)^(1/10) - 1
    spec = TargetSpec(value=10, year=2030, direction=Direction.INCREASE)
    a = assess(spec, obs((2020, 0), (2024, 5)))
    expected_ratio = ((5 / 0.001) ** 0.25 - 1) / ((10 / 0.001) ** 0.1 - 1)
    assert a.components.ratio == approx(expected_ratio)
    assert any("0,001" in n for n in a.notes)
    assert a.components.base_value == 0  # the stored component is the real value


def test_osdg_opposite_signs_fall_back_to_linear():
    # base -10, latest +5, target 20 by 2030: CAGR undefined; linear P = 15/30 = 0.5, τ = 0.4, L = 1.25
    spec = TargetSpec(value=20, year=2030, direction=Direction.INCREASE)
    a = assess(spec, obs((2020, -10), (2024, 5)))
    assert a.components.calculation == "linear"
    assert a.components.ratio == approx(1.25)
    assert a.status is Status.ON_TRACK
    assert any("tuyến tính" in n for n in a.notes)


def test_osdg_series_without_target():
    # PM §1.2: v = s·d·CAGR_obs against 1.5 % / 0.5 %. 2 %/year -> on track, score min(500·0.02 - 5, 5) = 5
    spec = TargetSpec(direction=Direction.INCREASE)
    a = assess(spec, obs((2020, 100), (2024, 100 * 1.02**4)))
    assert a.status is Status.ON_TRACK and a.score == approx(5.0)
    # 1 %/year -> moderate: 250·0.01 - 1.25 = 1.25
    b = assess(spec, obs((2020, 100), (2024, 100 * 1.01**4)))
    assert b.status is Status.ACCELERATION_NEEDED and b.score == approx(1.25)
    # 0.25 %/year -> limited: 500·0.0025 - 2.5 = -1.25
    c = assess(spec, obs((2020, 100), (2024, 100 * 1.0025**4)))
    assert c.status is Status.LIMITED_PROGRESS and c.score == approx(-1.25)
    # -1 %/year -> deterioration: 125·(-0.01) - 2.5 = -3.75
    d = assess(spec, obs((2020, 100), (2024, 100 * 0.99**4)))
    assert d.status is Status.DETERIORATION and d.score == approx(-3.75)


def test_osdg_natural_limit_factor():
    # PM §1.2: base 50 of limit 100 -> C = 1 - 0.5^4.44 = 0.953946; thresholds 1.43 % and 0.48 %
    spec = TargetSpec(direction=Direction.INCREASE, limit=100)
    a = assess(spec, obs((2020, 50), (2024, 50 * 1.0145**4)))
    assert a.components.limit_factor == approx(1 - 0.5**4.44)
    assert a.status is Status.ON_TRACK  # 1.45 % >= 1.5 %·0.9539 = 1.431 %
    # base 150 of limit 100: C = 1 - ((200 - 150)/100)^4.44
    b = assess(spec, obs((2020, 150), (2024, 151)))
    assert b.components.limit_factor == approx(1 - 0.5**4.44)
    # base at the limit: C = 0, no decrease -> on track with score 5
    c = assess(spec, obs((2020, 100), (2024, 100)))
    assert c.components.limit_factor == 0 and c.status is Status.ON_TRACK and c.score == 5


def test_achieved_comes_first():
    spec = TargetSpec(value=40, comparator=Comparator.GE, year=2030, unit="%")
    a = assess(spec, obs((2020, 30), (2023, 41)))
    assert a.status is Status.ACHIEVED and a.score == 5
    # achieved even with one observation (PM §1.1: the check comes first)
    b = assess(spec, [Observation(2023, 40)])
    assert b.status is Status.ACHIEVED


def test_natural_limit_one_point_rule():
    # PM §5: within 1 percentage point of a 100 % target counts as achieved
    spec = TargetSpec(value=100, year=2030, unit="%", limit=100, direction=Direction.INCREASE)
    assert assess(spec, obs((2020, 90), (2024, 99.2))).status is Status.ACHIEVED
    assert assess(spec, obs((2020, 90), (2024, 98.9))).status is not Status.ACHIEVED


def test_strict_comparator_at_threshold_is_achieved_with_note():
    spec = TargetSpec(value=50, comparator=Comparator.GT, year=2030, unit="%")
    a = assess(spec, obs((2020, 40), (2024, 50)))
    assert a.status is Status.ACHIEVED
    assert any("bằng đúng ngưỡng" in n for n in a.notes)


# --- UNSD (PM §2) --------------------------------------------------------------------------------------------


def test_unsd_completion_ratio():
    # base 100 (2020), target 200 (2030), 2025: 100·1.05^5 -> CAGR 5 %; v_e = 100·1.05^10 = 162.889463
    # CR = (162.889463 - 100)/(200 - 100) = 0.628895 -> fair progress; score = 2.5·(0.628895 - 0.10)/0.85
    spec = TargetSpec(value=200, year=2030, direction=Direction.INCREASE)
    a = assess(spec, obs((2020, 100), (2025, 100 * 1.05**5)), method="unsd")
    assert a.components.projected_value == approx(100 * 1.05**10)
    assert a.components.ratio == approx(0.628895, abs=1e-6)
    assert a.status is Status.ACCELERATION_NEEDED
    assert a.score == approx(2.5 * (0.628895 - 0.10) / 0.85, abs=1e-5)
    assert a.components.ratio_name == "CR"


def test_unsd_bands():
    spec = TargetSpec(value=200, year=2030, direction=Direction.INCREASE)
    # CAGR 7.5 %: v_e = 100·1.075^10 = 206.1 -> CR 1.06 -> on track
    assert assess(spec, obs((2020, 100), (2025, 100 * 1.075**5)), method="unsd").status is Status.ON_TRACK
    # CAGR 0.5 %: v_e = 105.11 -> CR 0.051 -> stagnation (limited)
    assert (
        assess(spec, obs((2020, 100), (2025, 100 * 1.005**5)), method="unsd").status
        is Status.LIMITED_PROGRESS
    )
    # decline -> regression
    assert assess(spec, obs((2020, 100), (2025, 95)), method="unsd").status is Status.DETERIORATION


def test_unsd_projection_capped_at_limit():
    # 80 -> 90 in 5 years (2.38 %/year) extrapolates to 101.25 by 2030; capped at 100 -> CR = (100-80)/(100-80) = 1
    spec = TargetSpec(value=100, year=2030, unit="%", limit=100, direction=Direction.INCREASE)
    a = assess(spec, obs((2020, 80), (2025, 90)), method="unsd")
    assert a.components.projected_value == 100
    assert a.components.ratio == approx(1.0)
    assert a.status is Status.ON_TRACK


def test_unsd_one_point_of_zero_target():
    # PM §2: within 1 percentage point of a 0 % target counts as achieved
    spec = TargetSpec(value=0, year=2030, unit="%", direction=Direction.DECREASE)
    assert assess(spec, obs((2020, 8), (2025, 0.8)), method="unsd").status is Status.ACHIEVED
    assert assess(spec, obs((2020, 8), (2025, 0.8)), method="osdg").status is not Status.ACHIEVED


def test_unsd_without_target():
    spec = TargetSpec(direction=Direction.DECREASE)
    # -2.5 %/year on a decreasing indicator: v = 0.025 >= 2 % -> on track
    assert assess(spec, obs((2020, 100), (2024, 100 * 0.975**4)), method="unsd").status is Status.ON_TRACK
    # -1 %/year: between 0.5 % and 2 % -> acceleration needed
    assert (
        assess(spec, obs((2020, 100), (2024, 100 * 0.99**4)), method="unsd").status
        is Status.ACCELERATION_NEEDED
    )


# --- linear trajectory (PM §4) -------------------------------------------------------------------------------


def test_linear_ratio():
    # base 20 (2020), target 70 (2030), 2025: 40 -> P = 20/50 = 0.4, τ = 0.5, L = 0.8; expected 45
    spec = TargetSpec(value=70, year=2030, direction=Direction.INCREASE)
    a = assess(spec, obs((2020, 20), (2025, 40)), method="linear")
    c = a.components
    assert (c.progress_share, c.time_share, c.ratio) == (approx(0.4), approx(0.5), approx(0.8))
    assert c.expected_value == approx(45)
    assert c.observed_growth == approx(4.0) and c.required_growth == approx(5.0)
    assert c.growth_kind == "absolute"
    assert a.status is Status.ACCELERATION_NEEDED and a.score == approx(10 / 7)


def test_linear_zero_and_negative_values():
    # no logarithm: base 0, target -30 (decrease), 2025: -18 -> P = 0.6, τ = 0.5, L = 1.2 -> on track
    spec = TargetSpec(value=-30, year=2030, direction=Direction.DECREASE)
    a = assess(spec, obs((2020, 0), (2025, -18)), method="linear")
    assert a.components.ratio == approx(1.2)
    assert a.status is Status.ON_TRACK


def test_linear_needs_a_target():
    a = assess(TargetSpec(direction=Direction.INCREASE), obs((2020, 1), (2024, 2)), method="linear")
    assert a.status is Status.INSUFFICIENT_DATA


# --- target shapes (PM §5) -----------------------------------------------------------------------------------


def test_range_achieved_inside_and_beyond():
    # QĐ 1658 row 2b: renewable share 15–20 % (increase)
    spec = TargetSpec(low=15, high=20, unit="%", year=2030, direction=Direction.INCREASE)
    assert assess(spec, obs((2020, 10), (2024, 17))).status is Status.ACHIEVED
    assert assess(spec, obs((2020, 10), (2024, 21))).status is Status.ACHIEVED


def test_range_progress_toward_nearer_bound():
    # below the range: progress toward the lower bound 15. CAGR_req = 1.5^(1/10) - 1 = 0.041380,
    # CAGR_obs = 1.2^(1/5) - 1 = 0.037137, R = 0.89748 -> moderate
    spec = TargetSpec(low=15, high=20, unit="%", year=2030, direction=Direction.INCREASE)
    a = assess(spec, obs((2020, 10), (2025, 12)))
    assert a.components.ratio == approx((1.2**0.2 - 1) / (1.5**0.1 - 1))
    assert a.components.ratio == approx(0.89748, abs=1e-5)
    assert a.status is Status.ACCELERATION_NEEDED


def test_range_on_falling_level_uses_upper_bound():
    # 42–43 % from 50 % (inferred decrease): threshold 43; 43.5 is not achieved, 42.8 is
    spec = TargetSpec(low=42, high=43, unit="%", year=2030)
    a = assess(spec, obs((2020, 50), (2024, 43.5)))
    assert a.components.direction == "decrease" and a.components.direction_inferred
    assert a.status is not Status.ACHIEVED
    assert assess(spec, obs((2020, 50), (2024, 42.8))).status is Status.ACHIEVED


def test_maintain_target_uses_distance_to_band():
    # forest cover "kept stable at 42%" (QĐ 1658 row 2d): inside -> achieved; outside -> distance evaluated
    spec = TargetSpec(value=42, unit="%", year=2030, direction=Direction.MAINTAIN)
    assert assess(spec, obs((2020, 41), (2024, 42))).status is Status.ACHIEVED
    # distance 2 -> 1 over 4 years, linear: P = 0.5, τ = 0.4 -> L = 1.25
    a = assess(spec, obs((2020, 40), (2024, 41)), method="linear")
    assert a.components.transformed == "distance_to_band"
    assert a.components.ratio == approx(1.25)
    # moving away from the band is deterioration
    b = assess(spec, obs((2020, 41), (2024, 39)))
    assert b.status is Status.DETERIORATION


def test_comparator_sets_direction():
    # "≤ 10 %" (QĐ 1658 row 3b): decrease; 12 -> 11 over 4 years toward 10 by 2030
    spec = TargetSpec(value=10, comparator=Comparator.LE, unit="%", year=2030)
    a = assess(spec, obs((2020, 12), (2024, 11)))
    assert a.components.direction == "decrease"
    # CAGR_obs = (11/12)^(1/4) - 1 = -0.021519; CAGR_req = (10/12)^(1/10) - 1 = -0.018067; R = 1.19 -> on track
    assert a.components.ratio == approx(((11 / 12) ** 0.25 - 1) / ((10 / 12) ** 0.1 - 1))
    assert a.status is Status.ON_TRACK
    assert assess(spec, obs((2020, 12), (2024, 10))).status is Status.ACHIEVED


def test_exact_figure_without_sign_reads_as_at_least_or_at_most():
    # PM §5: "95 %" with no sign is "at least" for an increasing indicator
    up = TargetSpec(value=95, unit="%", year=2030, direction=Direction.INCREASE)
    assert assess(up, obs((2020, 80), (2024, 96))).status is Status.ACHIEVED
    down = TargetSpec(value=10, unit="%", year=2030, direction=Direction.DECREASE)
    assert assess(down, obs((2020, 20), (2024, 9))).status is Status.ACHIEVED


def test_annual_rate_target():
    # QĐ 1658 row 2a: primary energy per GDP falls 1.0–1.5 %/year over 2021–2030; base year 2020 (PM §5)
    spec = TargetSpec(
        kind=TargetKind.ANNUAL_RATE,
        low=1.0,
        high=1.5,
        unit="%/năm",
        direction=Direction.DECREASE,
        year=2030,
        start_year=2021,
    )
    # 100 -> 100·0.99^4: r_obs = -1.0 %/year meets the 1.0 % threshold -> achieved (so far)
    a = assess(spec, obs((2019, 101), (2020, 100), (2024, 100 * 0.99**4)))
    assert a.status is Status.ACHIEVED
    assert a.components.base_year == 2020 and a.components.baseline_from_observation
    assert a.components.required_growth == approx(-0.01)
    # 100 -> 100·0.995^4: r_obs = -0.5 %, R = -0.005/-0.01 = 0.5 -> limited, score 25/6·0.5 - 2.5
    b = assess(spec, obs((2020, 100), (2024, 100 * 0.995**4)))
    assert b.components.observed_growth == approx(-0.005)
    assert b.components.ratio == approx(0.5)
    assert b.status is Status.LIMITED_PROGRESS and b.score == approx(-5 / 12)
    # rising intensity -> deterioration
    assert assess(spec, obs((2020, 100), (2024, 103))).status is Status.DETERIORATION


def test_annual_rate_base_year_falls_back_to_next_year_with_data():
    spec = TargetSpec(kind=TargetKind.ANNUAL_RATE, value=-1.5, year=2030, start_year=2021)
    a = assess(spec, obs((2021, 100), (2025, 95)))
    assert a.components.base_year == 2021
    assert a.components.direction == "decrease"
    assert any("chưa có số liệu năm 2020" in n for n in a.notes)


def test_annual_rate_with_unsd_and_linear():
    spec = TargetSpec(
        kind=TargetKind.ANNUAL_RATE, value=1.0, direction=Direction.DECREASE, year=2030, start_year=2021
    )
    series = obs((2020, 100), (2024, 100 * 0.995**4))
    for method in ("unsd", "linear"):
        a = assess(spec, series, method=method)
        assert a.status in (Status.ACCELERATION_NEEDED, Status.LIMITED_PROGRESS)
        assert a.components.required_growth == approx(-0.01)  # the rate, not a level change


def test_reduction_versus_base_year_as_level():
    # "GHG intensity -15 % versus 2014" (QĐ 1658 row 1) converted to a level: yT = y0·0.85
    spec = TargetSpec(value=0.85 * 2.0, year=2030, baseline=Baseline(2.0, 2014), direction=Direction.DECREASE)
    a = assess(spec, obs((2018, 1.95), (2022, 1.9)))
    assert a.components.base_year == 2014 and not a.components.baseline_from_observation
    assert a.status in (Status.LIMITED_PROGRESS, Status.ACCELERATION_NEEDED)


def test_no_baseline_uses_earliest_observation_and_says_so():
    spec = TargetSpec(value=40, year=2030, comparator=Comparator.GE, unit="%")
    a = assess(spec, obs((2022, 33), (2019, 30), (2024, 35)))
    assert a.components.base_year == 2019 and a.components.baseline_from_observation
    assert any("sớm nhất" in n for n in a.notes)


def test_too_little_data_is_never_guessed():
    spec = TargetSpec(value=40, year=2030, comparator=Comparator.GE, baseline=Baseline(30, 2020))
    a = assess(spec, [Observation(2024, 35)])
    assert a.status is Status.INSUFFICIENT_DATA and a.score is None
    assert assess(spec, []).status is Status.INSUFFICIENT_DATA
    # baseline after the latest observation: no growth can be computed
    late = TargetSpec(value=40, year=2030, baseline=Baseline(30, 2025), direction=Direction.INCREASE)
    assert assess(late, obs((2021, 31), (2023, 32))).status is Status.INSUFFICIENT_DATA


def test_as_of_ignores_later_observations():
    spec = TargetSpec(value=40, year=2030, comparator=Comparator.GE)
    a = assess(spec, obs((2020, 30), (2024, 35), (2026, 41)), as_of=2025)
    assert a.status is not Status.ACHIEVED
    assert a.components.latest_year == 2024


def test_default_target_year_is_said():
    a = assess(TargetSpec(value=40, comparator=Comparator.GE), obs((2020, 30), (2024, 35)))
    assert a.components.target_year == 2030 and a.components.target_year_assumed


def test_duplicate_years_are_an_error():
    from xanh.evaluation.methods import EvaluationInputError

    with pytest.raises(EvaluationInputError, match="Năm 2020"):
        assess(GROWTH_10, obs((2020, 100), (2020, 101)))


# --- milestones ----------------------------------------------------------------------------------------------


def milestone(*states: TaskProgress, year: int = 2025) -> TargetSpec:
    return TargetSpec(kind=TargetKind.MILESTONE, year=year, tasks=tuple(TaskState(s) for s in states))


def test_milestone_all_completed():
    a = assess(milestone(TaskProgress.COMPLETED, TaskProgress.COMPLETED), [], as_of=2024)
    assert a.status is Status.ACHIEVED and a.score == 5
    assert (a.components.tasks_total, a.components.tasks_completed) == (2, 2)


def test_milestone_overdue():
    a = assess(milestone(TaskProgress.COMPLETED, TaskProgress.IN_PROGRESS), [], as_of=2026)
    assert a.status is Status.LIMITED_PROGRESS
    assert any("quá thời hạn" in n for n in a.notes)


def test_milestone_behind_and_on_track():
    assert assess(milestone(TaskProgress.BEHIND, TaskProgress.IN_PROGRESS), [], as_of=2024).status is (
        Status.ACCELERATION_NEEDED
    )
    assert assess(milestone(TaskProgress.IN_PROGRESS), [], as_of=2024).status is Status.ON_TRACK
    # due this year and nothing started
    assert assess(milestone(TaskProgress.NOT_STARTED), [], as_of=2025).status is Status.ACCELERATION_NEEDED


def test_milestone_binary_observation():
    spec = TargetSpec(kind=TargetKind.MILESTONE, year=2025)
    assert assess(spec, [Observation(2024, 1)]).status is Status.ACHIEVED
    assert assess(spec, [Observation(2024, 0)]).status is Status.INSUFFICIENT_DATA
    # tasks say "in progress" but the indicator reports it done
    done = TargetSpec(kind=TargetKind.MILESTONE, year=2025, tasks=(TaskState(TaskProgress.IN_PROGRESS),))
    assert assess(done, [Observation(2024, 1)], as_of=2024).status is Status.ACHIEVED


def test_milestone_method_independent():
    spec = milestone(TaskProgress.BEHIND)
    statuses = {assess(spec, [], method=m, as_of=2024).status for m in ("osdg", "unsd", "linear")}
    assert statuses == {Status.ACCELERATION_NEEDED}
