"""The reference (pure Python) VN_AQI calculation of QĐ 1459/QĐ-TCMT.

Rules and worked examples: /work/shared/domain/vn-aqi.md §5–§6. Choices the decision leaves open are settings of
`AqiConfig` (config.py). Inputs are concentrations in µg/m³ (CO too); None, NaN and negative values count as missing.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from .config import DEFAULT_CONFIG, AqiConfig
from .tables import (
    BREAKPOINTS,
    CO,
    HOURLY_COLUMN,
    INDEX_EDGES,
    NO2,
    O3,
    O3_1H,
    O3_8H,
    PARAMETERS,
    PM2_5,
    PM10,
    SO2,
    Category,
    category_for,
)

# The decision publishes integers and says nothing more (vn-aqi.md §5.5). We round half up; the tolerance absorbs
# binary floating-point error, so that 55.7 µg/m³ PM2.5 (exactly 109.5) gives 110 as in the decision's example even
# if the arithmetic yields 109.49999999999999.
ROUND_TOLERANCE = 1e-9

NOWCAST_HOURS = 12


def round_half_up(value: float) -> int:
    return math.floor(value + 0.5 + ROUND_TOLERANCE)


def _slopes(column: str) -> tuple[float, ...]:
    bps = BREAKPOINTS[column]
    return tuple((INDEX_EDGES[i + 1] - INDEX_EDGES[i]) / (bps[i + 1] - bps[i]) for i in range(len(bps) - 1))


# Precomputed per band so that the vectorised path (vectorized.py) uses bit-identical slopes.
SLOPES: dict[str, tuple[float, ...]] = {column: _slopes(column) for column in BREAKPOINTS}


def is_valid_concentration(value: float | None) -> bool:
    return value is not None and math.isfinite(value) and value >= 0.0


def sub_index(column: str, concentration: float | None, config: AqiConfig = DEFAULT_CONFIG) -> float | None:
    """Exact (unrounded) sub-index by linear interpolation in Bảng 2 (vn-aqi.md §5.1).

    `column` is a breakpoint column: PM2_5, PM10, O3_1h, O3_8h, CO, SO2 or NO2. The O3 8-h column ends at 400 µg/m³
    (index 300); above it there is no 8-h sub-index (None), as §5.4 requires.
    """
    if concentration is None or not is_valid_concentration(concentration):
        return None
    bps = BREAKPOINTS[column]
    slopes = SLOPES[column]
    top = bps[-1]
    if concentration >= top:
        if column == O3_8H:
            return INDEX_EDGES[len(bps) - 1] if concentration == top else None
        if concentration == top or config.above_top == "cap":
            return INDEX_EDGES[len(bps) - 1]
        last = len(bps) - 2
        return slopes[last] * (concentration - bps[last]) + INDEX_EDGES[last]
    # Bands share their end points (§5.1); we take the band that starts at or below the value.
    band = 0
    while bps[band + 1] <= concentration:
        band += 1
    return slopes[band] * (concentration - bps[band]) + INDEX_EDGES[band]


def nowcast(hourly_means: Sequence[float | None], config: AqiConfig = DEFAULT_CONFIG) -> float | None:
    """NowCast of PM2.5 or PM10 from the last 12 hourly means, newest first (vn-aqi.md §5.2).

    At least 2 of the 3 newest hours must exist, otherwise there is no value. Missing hours drop out of both sums.
    Values beyond the 12th are ignored.
    """
    values = list(hourly_means[:NOWCAST_HOURS])
    present = [(i, c) for i, c in enumerate(values) if c is not None and is_valid_concentration(c)]
    if sum(1 for i, _ in present if i < 3) < 2:
        return None
    c_max = max(c for _, c in present)
    if c_max == 0.0:
        return 0.0
    c_min = min(c for _, c in present)
    ratio = c_min / c_max
    weight = 0.5 if ratio <= 0.5 else ratio
    if weight == 0.5 and not config.nowcast_normalise_half:
        value = 0.0
        for i, c in present:
            value += 0.5 ** (i + 1) * c
    else:
        numerator = 0.0
        denominator = 0.0
        for i, c in present:
            w = weight**i
            numerator += w * c
            denominator += w
        value = numerator / denominator
    if config.nowcast_decimals is not None:
        scale = 10**config.nowcast_decimals
        value = math.floor(value * scale + 0.5 + ROUND_TOLERANCE) / scale
    return value


@dataclass(frozen=True, slots=True)
class HourlyInput:
    """Inputs of the hourly index: the last 12 hourly PM means (newest first) and the current 1-h gas means."""

    pm2_5: Sequence[float | None] = ()
    pm10: Sequence[float | None] = ()
    o3: float | None = None
    co: float | None = None
    so2: float | None = None
    no2: float | None = None


@dataclass(frozen=True, slots=True)
class DailyInput:
    """Inputs of the daily index (vn-aqi.md §5.4), already aggregated over the day."""

    pm2_5_24h: float | None = None
    pm10_24h: float | None = None
    o3_1h_max: float | None = None
    o3_8h_max: float | None = None
    co_1h_max: float | None = None
    so2_1h_max: float | None = None
    no2_1h_max: float | None = None


@dataclass(frozen=True, slots=True)
class AqiResult:
    """One hourly or daily VN_AQI.

    `aqi` is None when neither PM2.5 nor PM10 has a valid value: PM is mandatory (QĐ 1459, vn-aqi.md §2). The gas
    sub-indices are still reported then. `exact` holds unrounded sub-indices and, for a daily index, the two O3
    components under "O3_1h" and "O3_8h". `concentrations` holds the value each sub-index was computed from
    (NowCast, 24-h mean, daily maximum...).
    """

    aqi: int | None
    dominant: str | None
    sub_indices: dict[str, int | None]
    exact: dict[str, float | None] = field(default_factory=dict)
    concentrations: dict[str, float | None] = field(default_factory=dict)

    @property
    def category(self) -> Category | None:
        return category_for(self.aqi)

    def to_json(self) -> dict[str, object]:
        """The public contract of `xanh aqi --json` (issue 7)."""
        category = self.category
        return {
            "aqi": self.aqi,
            "category": category.label if category else None,
            "dominant": self.dominant,
            "sub_indices": {p: self.sub_indices.get(p) for p in PARAMETERS},
        }


def _combine(
    exact: dict[str, float | None],
    concentrations: dict[str, float | None],
    extra: dict[str, float | None] | None = None,
) -> AqiResult:
    sub_indices: dict[str, int | None] = {}
    for p in PARAMETERS:
        value = exact[p]
        sub_indices[p] = None if value is None else round_half_up(value)
    has_pm = exact[PM2_5] is not None or exact[PM10] is not None
    aqi: int | None = None
    dominant: str | None = None
    if has_pm:
        best = -1.0
        for p in PARAMETERS:
            value = exact[p]
            if value is not None and value > best:
                best = value
                dominant = p
        aqi = round_half_up(best)
    all_exact = dict(exact)
    if extra:
        all_exact.update(extra)
    return AqiResult(
        aqi=aqi, dominant=dominant, sub_indices=sub_indices, exact=all_exact, concentrations=concentrations
    )


def hourly_aqi(data: HourlyInput, config: AqiConfig = DEFAULT_CONFIG) -> AqiResult:
    """AQI^h (vn-aqi.md §5.3): NowCast for PM, the current 1-h mean for O3 (1-h column), CO, SO2 and NO2."""
    concentrations: dict[str, float | None] = {
        PM2_5: nowcast(data.pm2_5, config),
        PM10: nowcast(data.pm10, config),
        O3: data.o3 if is_valid_concentration(data.o3) else None,
        CO: data.co if is_valid_concentration(data.co) else None,
        SO2: data.so2 if is_valid_concentration(data.so2) else None,
        NO2: data.no2 if is_valid_concentration(data.no2) else None,
    }
    exact = {p: sub_index(HOURLY_COLUMN[p], concentrations[p], config) for p in PARAMETERS}
    return _combine(exact, concentrations)


def daily_o3_sub_index(
    o3_1h_max: float | None, o3_8h_max: float | None, config: AqiConfig = DEFAULT_CONFIG
) -> tuple[float | None, float | None, float | None]:
    """(O3 sub-index, 1-h component, 8-h component): the larger of the two; above 400 µg/m³ the 8-h one is skipped."""
    from_1h = sub_index(O3_1H, o3_1h_max, config)
    from_8h = sub_index(O3_8H, o3_8h_max, config)
    candidates = [v for v in (from_1h, from_8h) if v is not None]
    return (max(candidates) if candidates else None), from_1h, from_8h


def daily_aqi(data: DailyInput, config: AqiConfig = DEFAULT_CONFIG) -> AqiResult:
    """AQI^d (vn-aqi.md §5.4)."""
    o3, o3_1h, o3_8h = daily_o3_sub_index(data.o3_1h_max, data.o3_8h_max, config)
    exact: dict[str, float | None] = {
        PM2_5: sub_index(PM2_5, data.pm2_5_24h, config),
        PM10: sub_index(PM10, data.pm10_24h, config),
        O3: o3,
        CO: sub_index(CO, data.co_1h_max, config),
        SO2: sub_index(SO2, data.so2_1h_max, config),
        NO2: sub_index(NO2, data.no2_1h_max, config),
    }
    o3_concentration = data.o3_1h_max if (o3 is not None and o3 == o3_1h) else data.o3_8h_max
    concentrations: dict[str, float | None] = {
        PM2_5: data.pm2_5_24h if exact[PM2_5] is not None else None,
        PM10: data.pm10_24h if exact[PM10] is not None else None,
        O3: o3_concentration if o3 is not None else None,
        CO: data.co_1h_max if exact[CO] is not None else None,
        SO2: data.so2_1h_max if exact[SO2] is not None else None,
        NO2: data.no2_1h_max if exact[NO2] is not None else None,
    }
    return _combine(exact, concentrations, {O3_1H: o3_1h, O3_8H: o3_8h})
