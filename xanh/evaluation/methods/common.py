"""Steps shared by every method: cleaning the series, the desired direction, the achievement test, the base value,
and the score/status scales. Source of the rules: ../shared/domain/progress-methods.md ("PM §n")."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from xanh.core.numbers import format_number_vi
from xanh.evaluation.methods.types import (
    DIRECTION_LABELS,
    Assessment,
    Comparator,
    Components,
    Direction,
    EvaluationInputError,
    Observation,
    Status,
    TargetKind,
    TargetSpec,
)

#: PM §1.4: "A base or target value of 0 is replaced by 0.001, with a warning."
ZERO_SUBSTITUTE = 0.001
#: PM notation table: Open SDG's default target year when a target does not name one.
DEFAULT_TARGET_YEAR = 2030
#: PM §1.4: at least 2 years of data are needed.
MIN_OBSERVATIONS = 2
#: Ratios and growths are rounded to this many decimals before they are compared with band edges, so that a ratio
#: that is exactly 0.95 on paper is not put in the lower band by binary floating point. Rounding is monotone, so
#: it never reorders two series.
BAND_DECIMALS = 9

# PM §1.1 bands of the Open SDG ratio R, reused by the linear method (PM §4).
ON_TRACK_RATIO = 0.95
MODERATE_RATIO = 0.60

SCORE_MAX = 5.0
SCORE_MIN = -5.0

Calc = Callable[["Prepared"], Assessment]


def snap(x: float) -> float:
    return round(x, BAND_DECIMALS) if math.isfinite(x) else x


def fmt(value: float | None, unit: str = "") -> str:
    """A value as users read it: up to 2 decimals, Vietnamese separators, with its unit."""
    if value is None:
        return "—"
    text = format_number_vi(value, 2, strip_zeros=True)
    if not unit:
        return text
    return f"{text}{unit}" if unit == "%" else f"{text} {unit}"


# --- score and status scales (PM §1.3) ------------------------------------------------------------------------


def score_from_ratio(ratio: float) -> float:
    """PM §1.3, target case. The published coefficients 7.1429, 4.2857 and 4.1667 are 50/7, 30/7 and 25/6 rounded;
    the exact fractions make the pieces join exactly at R = 0.6 (score 0) and R = 0.95 (score 2.5)."""
    r = snap(ratio)
    if r >= MODERATE_RATIO:
        return min(50.0 / 7.0 * r - 30.0 / 7.0, SCORE_MAX)
    return max(25.0 / 6.0 * r - 2.5, SCORE_MIN)


def status_from_ratio(ratio: float) -> Status:
    r = snap(ratio)
    if r >= ON_TRACK_RATIO:
        return Status.ON_TRACK
    if r >= MODERATE_RATIO:
        return Status.ACCELERATION_NEEDED
    if r >= 0:
        return Status.LIMITED_PROGRESS
    return Status.DETERIORATION


#: The lower edge of each status band on the score scale (PM §1.3): the score given to a status that is not computed
#: from a ratio (milestones, a coordinator's override), so that it weighs like a computed one in roll-ups.
STATUS_SCORES: dict[Status, float] = {
    Status.ACHIEVED: SCORE_MAX,
    Status.ON_TRACK: 2.5,
    Status.ACCELERATION_NEEDED: 0.0,
    Status.LIMITED_PROGRESS: -2.5,
    Status.DETERIORATION: SCORE_MIN,
}


def status_from_score(score: float) -> Status:
    """PM §1.3: [2.5, 5] substantial; [0, 2.5) moderate; [-2.5, 0) limited; [-5, -2.5) deterioration."""
    s = snap(score)
    if s >= 2.5:
        return Status.ON_TRACK
    if s >= 0:
        return Status.ACCELERATION_NEEDED
    if s >= -2.5:
        return Status.LIMITED_PROGRESS
    return Status.DETERIORATION


# --- preparation ----------------------------------------------------------------------------------------------


@dataclass
class Prepared:
    """A target reduced to what the formulas need. For "maintain" targets the values are already transformed into
    their distance from the accepted band (PM §5), to be decreased toward 0."""

    spec: TargetSpec
    method: str
    version: str
    series: list[Observation]
    direction: Direction
    sign: int  # d of PM: +1 increase, -1 decrease
    target_year: int
    base: Observation
    latest: Observation
    target: (
        float | None
    )  # threshold level in the (possibly transformed) space; None for a series without target
    required_rate: float | None  # annual_rate targets: the signed required rate (fraction per year)
    components: Components
    notes: list[str] = field(default_factory=list)

    def result(self, status: Status, score: float | None) -> Assessment:
        return Assessment(
            status=status,
            score=score,
            method=self.method,
            method_version=self.version,
            components=self.components,
            notes=tuple(self.notes),
        )

    def insufficient(self, note: str) -> Assessment:
        self.notes.append(note)
        return self.result(Status.INSUFFICIENT_DATA, None)


def clean_series(
    observations: Sequence[Observation], as_of: int | None, notes: list[str]
) -> list[Observation]:
    seen: dict[int, float] = {}
    for obs in observations:
        if not math.isfinite(obs.value):
            raise EvaluationInputError(f"Năm {obs.year}: giá trị quan sát không phải là số hữu hạn.")
        if obs.year in seen:
            raise EvaluationInputError(
                f"Năm {obs.year} có hai giá trị quan sát ({fmt(seen[obs.year])} và {fmt(obs.value)}); "
                "mỗi năm chỉ được có một giá trị."
            )
        seen[obs.year] = obs.value
    series = sorted(observations, key=lambda o: o.year)
    if as_of is not None:
        later = [o for o in series if o.year > as_of]
        if later:
            notes.append(f"Bỏ qua {len(later)} giá trị sau năm đánh giá {as_of}.")
        series = [o for o in series if o.year <= as_of]
    return series


def validate_spec(spec: TargetSpec) -> None:
    for name in ("value", "low", "high", "limit"):
        v = getattr(spec, name)
        if v is not None and not math.isfinite(v):
            raise EvaluationInputError(f"Trường «{name}» của mục tiêu không phải là số hữu hạn.")
    if spec.baseline is not None and not math.isfinite(spec.baseline.value):
        raise EvaluationInputError("Giá trị cơ sở không phải là số hữu hạn.")
    if (spec.low is None) != (spec.high is None):
        raise EvaluationInputError("Mục tiêu dạng khoảng cần cả cận dưới (low) và cận trên (high).")
    if spec.low is not None and spec.high is not None and spec.low > spec.high:
        raise EvaluationInputError(
            f"Cận dưới ({fmt(spec.low)}) lớn hơn cận trên ({fmt(spec.high)}) của mục tiêu dạng khoảng."
        )
    if spec.comparator is Comparator.RANGE and not spec.is_range:
        raise EvaluationInputError("Phép so sánh «range» cần cả cận dưới (low) và cận trên (high).")
    if spec.kind is TargetKind.ANNUAL_RATE and spec.direction is Direction.MAINTAIN:
        raise EvaluationInputError(
            "Mục tiêu tốc độ bình quân năm phải có chiều tăng hoặc giảm, không phải duy trì."
        )


def resolve_direction(spec: TargetSpec, reference: float | None) -> tuple[Direction | None, bool]:
    """The desired direction and whether it was inferred. PM §5: the comparison sign fixes the direction
    (>= increase, <= decrease); otherwise compare the target with the base value (the plan's baseline, or the
    earliest observation). Open SDG's default of "decrease" is not used: guessing would hide a data-entry error."""
    if spec.direction is not None:
        return spec.direction, False
    if spec.comparator in (Comparator.GE, Comparator.GT):
        return Direction.INCREASE, True
    if spec.comparator in (Comparator.LE, Comparator.LT):
        return Direction.DECREASE, True
    if spec.kind is TargetKind.ANNUAL_RATE:
        figure = spec.value if spec.value is not None else spec.low
        if figure is None:
            return None, True
        return (Direction.DECREASE if figure < 0 else Direction.INCREASE), True
    if reference is None or not spec.has_figure:
        return None, True
    if spec.low is not None and spec.high is not None:
        if reference < spec.low:
            return Direction.INCREASE, True
        if reference > spec.high:
            return Direction.DECREASE, True
        return Direction.MAINTAIN, True
    assert spec.value is not None
    if spec.value > reference:
        return Direction.INCREASE, True
    if spec.value < reference:
        return Direction.DECREASE, True
    return Direction.MAINTAIN, True


def band(spec: TargetSpec) -> tuple[float, float]:
    if spec.low is not None and spec.high is not None:
        return spec.low, spec.high
    assert spec.value is not None
    return spec.value, spec.value


def distance_to_band(value: float, low: float, high: float) -> float:
    """PM §5 "maintain" targets (Open SDG's Goldilocks idea): how far a value lies outside the accepted band."""
    return max(low - value, value - high, 0.0)


def level_threshold(spec: TargetSpec, direction: Direction) -> float | None:
    """PM §5: for a rising quantity the lower bound of a range is the achievement threshold; for a falling one the
    upper bound."""
    if spec.low is not None and spec.high is not None:
        return spec.low if direction is Direction.INCREASE else spec.high
    return spec.value


def achievement_tolerance(
    spec: TargetSpec, threshold: float, direction: Direction, near_bound_rule: bool
) -> float:
    """PM §5 natural limits: a value within 1 percentage point of a 100 % target counts as achieved (taken as 1 % of
    the limit for other limits). PM §2 (UNSD, ``near_bound_rule``): also within 1 point of a 0 % or 100 % target."""
    if direction is Direction.INCREASE and spec.limit is not None and threshold >= spec.limit:
        return abs(spec.limit) * 0.01
    if near_bound_rule and spec.unit.strip() == "%" and threshold in (0.0, 100.0):
        return 1.0
    return 0.0


def required_rate(spec: TargetSpec, direction: Direction) -> float:
    """PM §5 average-rate targets: the signed required yearly rate; of a range of magnitudes the smaller is the
    threshold ("1,0–1,5%/năm" -> 1,0)."""
    if spec.low is not None and spec.high is not None:
        magnitude = min(abs(spec.low), abs(spec.high))
    else:
        assert spec.value is not None
        magnitude = abs(spec.value)
    d = 1 if direction is Direction.INCREASE else -1
    return d * magnitude / 100.0


def opposite_signs(a: float, b: float) -> bool:
    """Sign test that, unlike ``a * b < 0``, does not underflow to 0 for tiny values."""
    return (a > 0 > b) or (a < 0 < b)


def compound_rate(first: float, last: float, years: int) -> float | None:
    """(last / first)^(1 / years) - 1; None when undefined (opposite signs, zero base)."""
    if years <= 0 or first == 0 or opposite_signs(first, last):
        return None
    if last == 0:
        return -1.0
    # In log space, so that tiny or huge values neither underflow nor overflow.
    log_rate = (math.log(abs(last)) - math.log(abs(first))) / years
    if log_rate > 700:
        return math.inf
    return math.expm1(log_rate)


def _strict_equality_note(spec: TargetSpec, latest: float, threshold: float) -> str | None:
    if spec.comparator in (Comparator.GT, Comparator.LT) and latest == threshold:
        return (
            f"Giá trị {fmt(latest, spec.unit)} bằng đúng ngưỡng của chỉ tiêu «{spec.comparator.value} "
            f"{fmt(threshold, spec.unit)}»; số liệu thống kê được làm tròn nên được tính là đạt."
        )
    return None


def meets_target(
    spec: TargetSpec, value: float, direction: Direction, near_bound_rule: bool, notes: list[str]
) -> bool:
    """Whether a level is at or beyond the target in the desired direction (inside the band for "maintain")."""
    if direction is Direction.MAINTAIN:
        low, high = band(spec)
        return distance_to_band(value, low, high) == 0
    threshold = level_threshold(spec, direction)
    assert threshold is not None
    tol = achievement_tolerance(spec, threshold, direction, near_bound_rule)
    increase = direction is Direction.INCREASE
    if not (value >= threshold - tol if increase else value <= threshold + tol):
        return False
    if tol and not (value >= threshold if increase else value <= threshold):
        notes.append(
            f"Giá trị {fmt(value, spec.unit)} cách mục tiêu {fmt(threshold, spec.unit)} không quá {fmt(tol)} điểm "
            "nên được tính là đạt (quy tắc giới hạn tự nhiên)."
        )
    strict = _strict_equality_note(spec, value, threshold)
    if strict:
        notes.append(strict)
    return True


def level_unit(spec: TargetSpec) -> str:
    """The unit of the observed levels: for an average-rate target the target's unit is "%/năm" but the
    observations are levels of the underlying indicator, whose unit is not given."""
    return "" if spec.kind is TargetKind.ANNUAL_RATE else spec.unit


def select_base(
    spec: TargetSpec, series: list[Observation], latest: Observation, notes: list[str]
) -> tuple[Observation | None, bool]:
    """The base value: the plan's baseline if given, else the observation of the year before the plan period (the
    next year with data if that year is missing, PM notation), else the earliest observation; the last two are
    said in the notes. Returns (base, from_observation)."""
    unit = level_unit(spec)
    if spec.baseline is not None:
        if spec.baseline.year >= latest.year:
            notes.append(
                f"Năm cơ sở {spec.baseline.year} không trước năm có số liệu mới nhất {latest.year}; "
                "chưa tính được tốc độ thay đổi."
            )
            return None, False
        for obs in series:
            if obs.year == spec.baseline.year and obs.value != spec.baseline.value:
                notes.append(
                    f"Số liệu quan sát năm {obs.year} ({fmt(obs.value, unit)}) khác giá trị cơ sở ghi trong "
                    f"kế hoạch ({fmt(spec.baseline.value, unit)}); dùng giá trị của kế hoạch."
                )
        return Observation(spec.baseline.year, spec.baseline.value), False
    earlier = [o for o in series if o.year < latest.year]
    if not earlier:
        return None, True
    base = earlier[0]
    if spec.start_year is not None:
        preferred = spec.start_year - 1
        at_or_after = [o for o in earlier if o.year >= preferred]
        base = at_or_after[0] if at_or_after else earlier[-1]
        if base.year == preferred:
            notes.append(
                f"Kế hoạch không nêu giá trị cơ sở; dùng số liệu năm {base.year} (năm trước kỳ kế hoạch): "
                f"{fmt(base.value, unit)}."
            )
        else:
            notes.append(
                f"Kế hoạch không nêu giá trị cơ sở và chưa có số liệu năm {preferred}; dùng số liệu năm "
                f"{base.year}: {fmt(base.value, unit)}."
            )
    else:
        notes.append(
            f"Kế hoạch không nêu giá trị cơ sở; dùng số liệu quan sát sớm nhất (năm {base.year}: "
            f"{fmt(base.value, unit)})."
        )
    return base, True


def _base_components(c: Components, base: Observation | None, from_obs: bool) -> None:
    if base is not None:
        c.base_value = base.value
        c.base_year = base.year
        c.baseline_from_observation = from_obs


def _guard(calc: Calc) -> Calc:
    """Values at the edge of floating point (1e308, 5e-324) can make a ratio NaN; say so instead of guessing."""

    def guarded(p: Prepared) -> Assessment:
        result = calc(p)
        if result.score is not None and math.isnan(result.score):
            p.notes.append("Giá trị quá lớn hoặc quá nhỏ để tính được tỷ lệ (tràn số); kiểm tra lại số liệu.")
            p.components.ratio = None
            return p.result(Status.INSUFFICIENT_DATA, None)
        return result

    return guarded


def run(
    spec: TargetSpec,
    observations: Sequence[Observation],
    *,
    as_of: int | None,
    method: str,
    version: str,
    with_target: Calc,
    without_target: Calc,
    near_bound_rule: bool = False,
) -> Assessment:
    """The driver every numeric method shares: checks, achievement test first (PM §1.1), too-little-data rule, base
    selection, then the method's own calculation on a ``Prepared`` target."""
    from xanh.evaluation.methods.milestone import assess_milestone

    with_target, without_target = _guard(with_target), _guard(without_target)
    validate_spec(spec)
    notes: list[str] = []
    series = clean_series(observations, as_of, notes)
    milestone = spec.kind is TargetKind.MILESTONE
    if milestone and spec.tasks:
        return assess_milestone(
            spec,
            series,
            as_of=as_of,
            method=method,
            version=version,
            notes=notes,
            near_bound_rule=near_bound_rule,
        )
    if milestone and not series:
        c = Components(
            kind=TargetKind.MILESTONE.value, target_year=spec.year, as_of=as_of, calculation="milestone"
        )
        c.tasks_total = c.tasks_completed = c.tasks_behind = 0
        notes.append("Chưa có báo cáo tiến độ của nhiệm vụ liên quan và chưa có số liệu về mốc này.")
        return Assessment(Status.INSUFFICIENT_DATA, None, method, version, c, tuple(notes))
    if milestone:
        # PM §5: without reported tasks a milestone is judged on its data like a level; a binary indicator
        # (Open SDG) is done when its value reaches 1.
        if not spec.has_figure:
            spec = replace(spec, value=1.0, comparator=Comparator.GE, direction=Direction.INCREASE)
        spec = replace(spec, kind=TargetKind.LEVEL)
        notes.append("Chưa có nhiệm vụ liên quan được báo cáo; mốc được đánh giá theo số liệu quan sát.")

    c = Components(
        kind=TargetKind.MILESTONE.value if milestone else spec.kind.value,
        calculation=TargetKind.LEVEL.value if milestone else None,
        comparator=spec.comparator.value if spec.comparator else None,
        unit=spec.unit,
        target_value=spec.value,
        target_low=spec.low,
        target_high=spec.high,
        limit=spec.limit,
        observation_count=len(series),
        as_of=as_of,
    )
    if spec.year is not None:
        c.target_year = spec.year
    else:
        c.target_year = DEFAULT_TARGET_YEAR
        c.target_year_assumed = True
        if spec.has_figure:
            notes.append(f"Mục tiêu không ghi năm; dùng năm {DEFAULT_TARGET_YEAR} (mặc định của Open SDG).")
    target_year = c.target_year

    def early(status: Status, score: float | None, note: str | None = None) -> Assessment:
        if note:
            notes.append(note)
        return Assessment(status, score, method, version, c, tuple(notes))

    reference = spec.baseline.value if spec.baseline is not None else (series[0].value if series else None)
    direction, inferred = resolve_direction(spec, reference)
    if direction is None:
        if not spec.has_figure and spec.direction is None:
            return early(
                Status.INSUFFICIENT_DATA,
                None,
                "Mục tiêu không có giá trị và không nêu chiều mong muốn (tăng/giảm).",
            )
        return early(
            Status.INSUFFICIENT_DATA, None, "Chưa có số liệu để xác định chiều mong muốn của chỉ tiêu."
        )
    c.direction = direction.value
    c.direction_inferred = inferred
    if (
        inferred
        and spec.direction is None
        and spec.comparator
        not in (
            Comparator.GE,
            Comparator.GT,
            Comparator.LE,
            Comparator.LT,
        )
    ):
        notes.append(f"Chiều mong muốn «{DIRECTION_LABELS[direction]}» suy ra từ giá trị cơ sở và mục tiêu.")

    latest = series[-1] if series else None
    if latest is not None:
        c.latest_value = latest.value
        c.latest_year = latest.year

    if spec.kind is TargetKind.ANNUAL_RATE:
        return _run_rate(
            spec, series, latest, direction, c, notes, method, version, target_year, with_target, early
        )

    if not spec.has_figure:
        # PM §1.2: a series without a numeric target.
        if len(series) < MIN_OBSERVATIONS:
            return early(Status.INSUFFICIENT_DATA, None, _too_few(len(series), spec))
        assert latest is not None
        base, from_obs = select_base(spec, series, latest, notes)
        _base_components(c, base, from_obs)
        if base is None:
            return early(Status.INSUFFICIENT_DATA, None)
        sign = 1 if direction is Direction.INCREASE else -1
        if direction is Direction.MAINTAIN:
            return early(Status.INSUFFICIENT_DATA, None, "Mục tiêu duy trì cần giá trị hoặc khoảng giá trị.")
        p = Prepared(
            spec, method, version, series, direction, sign, target_year, base, latest, None, None, c, notes
        )
        return without_target(p)

    # Achievement comes first (PM §1.1).
    if latest is not None and meets_target(spec, latest.value, direction, near_bound_rule, notes):
        if len(series) >= MIN_OBSERVATIONS:
            base, from_obs = select_base(spec, series, latest, [])
            _base_components(c, base, from_obs)
        elif spec.baseline is not None:
            _base_components(c, Observation(spec.baseline.year, spec.baseline.value), False)
        return early(Status.ACHIEVED, SCORE_MAX, _achieved_note(spec, latest, direction))

    if len(series) < MIN_OBSERVATIONS:
        if spec.baseline is not None:
            _base_components(c, Observation(spec.baseline.year, spec.baseline.value), False)
        return early(Status.INSUFFICIENT_DATA, None, _too_few(len(series), spec))
    assert latest is not None
    base, from_obs = select_base(spec, series, latest, notes)
    _base_components(c, base, from_obs)
    if base is None:
        return early(Status.INSUFFICIENT_DATA, None)
    if target_year <= base.year:
        return early(
            Status.INSUFFICIENT_DATA,
            None,
            f"Năm mục tiêu {target_year} không sau năm cơ sở {base.year}; không tính được tốc độ cần thiết.",
        )

    if direction is Direction.MAINTAIN:
        low, high = band(spec)
        c.transformed = "distance_to_band"
        accepted = fmt(low, spec.unit) if low == high else f"[{fmt(low, spec.unit)}; {fmt(high, spec.unit)}]"
        notes.append(
            f"Mục tiêu duy trì: đánh giá khoảng cách từ giá trị đến mức chấp nhận {accepted}, cần giảm về 0."
        )
        t_series = [Observation(o.year, distance_to_band(o.value, low, high)) for o in series]
        t_base = Observation(base.year, distance_to_band(base.value, low, high))
        t_latest = Observation(latest.year, distance_to_band(latest.value, low, high))
        p = Prepared(
            spec, method, version, t_series, direction, -1, target_year, t_base, t_latest, 0.0, None, c, notes
        )
        return with_target(p)

    threshold = level_threshold(spec, direction)
    assert threshold is not None
    sign = 1 if direction is Direction.INCREASE else -1
    p = Prepared(
        spec, method, version, series, direction, sign, target_year, base, latest, threshold, None, c, notes
    )
    return with_target(p)


def _run_rate(
    spec: TargetSpec,
    series: list[Observation],
    latest: Observation | None,
    direction: Direction,
    c: Components,
    notes: list[str],
    method: str,
    version: str,
    target_year: int,
    with_target: Calc,
    early: Callable[..., Assessment],
) -> Assessment:
    """PM §5 average-rate targets: compare the observed compound rate over the period with the required rate."""
    if not spec.has_figure:
        return early(Status.INSUFFICIENT_DATA, None, "Mục tiêu tốc độ bình quân năm không có giá trị.")
    r_req = required_rate(spec, direction)
    if r_req <= -1:
        raise EvaluationInputError("Tốc độ giảm bình quân phải nhỏ hơn 100%/năm.")
    c.required_growth = r_req
    c.growth_kind = "compound"
    if latest is None:
        return early(Status.INSUFFICIENT_DATA, None, _too_few(0, spec))
    if spec.baseline is None and len(series) < MIN_OBSERVATIONS:
        return early(Status.INSUFFICIENT_DATA, None, _too_few(len(series), spec))
    base, from_obs = select_base(spec, series, latest, notes)
    _base_components(c, base, from_obs)
    if base is None:
        return early(Status.INSUFFICIENT_DATA, None)
    r_obs = compound_rate(base.value, latest.value, latest.year - base.year)
    if r_obs is None:
        return early(
            Status.INSUFFICIENT_DATA,
            None,
            "Giá trị cơ sở bằng 0 hoặc trái dấu với giá trị mới nhất; không tính được tốc độ bình quân.",
        )
    c.observed_growth = r_obs
    sign = 1 if direction is Direction.INCREASE else -1
    if snap(sign * r_obs) >= snap(abs(r_req)):
        label = "tăng" if sign > 0 else "giảm"
        return early(
            Status.ACHIEVED,
            SCORE_MAX,
            f"Tốc độ {label} bình quân từ {base.year} đến {latest.year} đã đạt mức yêu cầu (đạt đến thời điểm đánh giá).",
        )
    if len(series) < MIN_OBSERVATIONS:
        return early(Status.INSUFFICIENT_DATA, None, _too_few(len(series), spec))
    if target_year <= base.year:
        return early(
            Status.INSUFFICIENT_DATA, None, f"Năm cuối kỳ {target_year} không sau năm cơ sở {base.year}."
        )
    # Equivalent level form (PM §5): yT = y0 * (1 + r_req)^(tT - t0).
    try:
        level_target = base.value * (1.0 + r_req) ** (target_year - base.year)
    except OverflowError:
        level_target = math.copysign(math.inf, base.value)
    p = Prepared(
        spec,
        method,
        version,
        series,
        direction,
        sign,
        target_year,
        base,
        latest,
        level_target,
        r_req,
        c,
        notes,
    )
    return with_target(p)


def _too_few(count: int, spec: TargetSpec) -> str:
    text = f"Cần ít nhất {MIN_OBSERVATIONS} năm có số liệu quan sát (hiện có {count})"
    if spec.baseline is not None:
        text += "; giá trị cơ sở ghi trong kế hoạch không được tính là quan sát"
    return text + "."


def _achieved_note(spec: TargetSpec, latest: Observation, direction: Direction) -> str:
    if direction is Direction.MAINTAIN:
        low, high = band(spec)
        where = fmt(low, spec.unit) if low == high else f"[{fmt(low, spec.unit)}; {fmt(high, spec.unit)}]"
        return (
            f"Giá trị năm {latest.year} ({fmt(latest.value, spec.unit)}) nằm trong mức cần duy trì {where}."
        )
    return f"Giá trị năm {latest.year} ({fmt(latest.value, spec.unit)}) đã đạt mục tiêu."
