"""Automatic QA of station readings (pure): status, range, flat-line and spike checks; flags as time ranges."""

from .checks import (
    KIND_LABELS,
    ParameterSeries,
    QaFlag,
    check_parameter,
    check_station,
    excluded_mask,
    merge_flags,
)
from .config import AMBIENT_RANGES, DEFAULT_AMBIENT, DEFAULT_STACK, STACK_RANGES, QaConfig, RangeRule

__all__ = [
    "AMBIENT_RANGES",
    "DEFAULT_AMBIENT",
    "DEFAULT_STACK",
    "KIND_LABELS",
    "STACK_RANGES",
    "ParameterSeries",
    "QaConfig",
    "QaFlag",
    "RangeRule",
    "check_parameter",
    "check_station",
    "excluded_mask",
    "merge_flags",
]
