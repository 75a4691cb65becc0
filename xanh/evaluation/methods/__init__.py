"""The evaluation engine (pure Python, no Django): progress methods over a target and its observations.

``assess(spec, observations, method="osdg")`` returns an ``Assessment`` with its status, score and every
calculation component; ``METHODS`` holds the pluggable methods; ``run_cases`` is the JSON contract of
``xanh assess --json``. Methods and rules: ../shared/domain/progress-methods.md.
"""

from xanh.evaluation.methods.contract import run_cases
from xanh.evaluation.methods.explain import explain, explain_lines
from xanh.evaluation.methods.registry import DEFAULT_METHOD, METHODS, Method, assess
from xanh.evaluation.methods.rollup import (
    Compliance,
    Rollup,
    Submission,
    combine_parts,
    compliance,
    rollup,
    rollup_by,
)
from xanh.evaluation.methods.types import (
    STATUS_LABELS,
    STATUS_ORDER,
    Assessment,
    Baseline,
    Comparator,
    Components,
    Direction,
    EvaluationInputError,
    Observation,
    Status,
    TargetKind,
    TargetSpec,
    TaskProgress,
    TaskState,
)

__all__ = [
    "DEFAULT_METHOD",
    "METHODS",
    "STATUS_LABELS",
    "STATUS_ORDER",
    "Assessment",
    "Baseline",
    "Comparator",
    "Compliance",
    "Components",
    "Direction",
    "EvaluationInputError",
    "Method",
    "Observation",
    "Rollup",
    "Status",
    "Submission",
    "TargetKind",
    "TargetSpec",
    "TaskProgress",
    "TaskState",
    "assess",
    "combine_parts",
    "compliance",
    "explain",
    "explain_lines",
    "rollup",
    "rollup_by",
    "run_cases",
]
