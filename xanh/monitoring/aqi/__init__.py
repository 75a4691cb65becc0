"""VN_AQI per Quyết định 1459/QĐ-TCMT (pure Python and numpy, no Django).

Public contract: `run(obj_or_list)` (contract.py), used by `xanh aqi --json`.
Reference path: index.py (one hourly or daily index) and series.py (readings -> hourly means -> indices).
Vectorised path: vectorized.py (a station-period at once). Settings for what the decision leaves open: config.py.
"""

from .config import DEFAULT_CONFIG, AqiConfig
from .contract import AqiInputError, evaluate, run
from .index import (
    AqiResult,
    DailyInput,
    HourlyInput,
    daily_aqi,
    hourly_aqi,
    nowcast,
    round_half_up,
    sub_index,
)
from .tables import CATEGORIES, PARAMETERS, Category, category_for

__all__ = [
    "CATEGORIES",
    "DEFAULT_CONFIG",
    "PARAMETERS",
    "AqiConfig",
    "AqiInputError",
    "AqiResult",
    "Category",
    "DailyInput",
    "HourlyInput",
    "category_for",
    "daily_aqi",
    "evaluate",
    "hourly_aqi",
    "nowcast",
    "round_half_up",
    "run",
    "sub_index",
]
