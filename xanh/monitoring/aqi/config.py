"""Settings for the rules that QĐ 1459/QĐ-TCMT does not state.

The decision fixes the breakpoints, the interpolation, NowCast with its 2-of-3 rule and the daily aggregation rules
(vn-aqi.md §5). Everything below is a choice Xanh has to make; each field documents the choice and the reason, and a
deployment may change it (e.g. `AqiConfig(min_hours_24h=1)` to follow the decision literally, with no completeness
minimum). The defaults are collected in `DEFAULT_CONFIG`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

AboveTop = Literal["cap", "extrapolate"]


@dataclass(frozen=True, slots=True)
class AqiConfig:
    # Concentrations above the last breakpoint (e.g. PM2.5 above 500 µg/m³): the decision gives no rule
    # (vn-aqi.md §5.1). "cap" reports 500, the top of the scale, as most published indices do; "extrapolate" continues
    # the slope of the top band (useful for research, not for publication).
    above_top: AboveTop = "cap"

    # NowCast with w = 1/2: the decision writes an unnormalised sum; we normalise in both cases because it is the
    # weighted mean the method intends and it stays correct when hours are missing (vn-aqi.md §5.2). Setting this to
    # False reproduces the decision's literal formula Σ (1/2)^i · c_i over the hours present.
    nowcast_normalise_half: bool = True

    # Decimals to which the NowCast concentration is rounded before the sub-index. The decision's example shows 20.3
    # (exact 20.27) but states no rule; None keeps full precision. Both give the decision's result in its example.
    nowcast_decimals: int | None = None

    # Completeness minima. The decision sets none except the NowCast 2-of-3 rule (vn-aqi.md §5.5). We follow the
    # common 75 % practice (18 of 24 hours, 6 of 8 hours) so that a day with two measured hours does not get a "daily"
    # index. Set to 1 to follow the decision literally.
    min_hours_24h: int = 18  # hourly means needed for a 24-h PM mean
    min_hours_daily_max: int = 18  # hourly means needed for a daily maximum 1-h value (gases)
    min_hours_8h: int = 6  # hourly means needed for one 8-h O3 mean
    min_periods_8h_daily: int = 18  # valid 8-h means needed for the daily maximum 8-h O3 mean

    # Share of the expected readings needed for an hourly mean from raw (e.g. 5-minute) readings; with 5-minute data
    # 0.75 means 9 of 12 readings. Only readings with status 00 count (monitoring-data.md §4 [design]).
    min_hour_coverage: float = 0.75

    def __post_init__(self) -> None:
        if self.above_top not in ("cap", "extrapolate"):
            raise ValueError(f"above_top phải là 'cap' hoặc 'extrapolate', không phải {self.above_top!r}")
        for name in ("min_hours_24h", "min_hours_daily_max", "min_periods_8h_daily"):
            value = getattr(self, name)
            if not 1 <= value <= 24:
                raise ValueError(f"{name} phải nằm trong khoảng 1..24, không phải {value}")
        if not 1 <= self.min_hours_8h <= 8:
            raise ValueError(f"min_hours_8h phải nằm trong khoảng 1..8, không phải {self.min_hours_8h}")
        if not 0.0 < self.min_hour_coverage <= 1.0:
            raise ValueError(f"min_hour_coverage phải nằm trong (0, 1], không phải {self.min_hour_coverage}")
        if self.nowcast_decimals is not None and not 0 <= self.nowcast_decimals <= 6:
            raise ValueError(f"nowcast_decimals phải nằm trong 0..6, không phải {self.nowcast_decimals}")


DEFAULT_CONFIG = AqiConfig()
