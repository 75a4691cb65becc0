"""Evaluates the demonstration plan, so that its dashboards show statuses right after `xanh bootstrap --demo`.
Idempotent: evaluating again replaces the run of the same year with identical results."""

from __future__ import annotations

from typing import Any, TextIO

from django.utils import timezone

from xanh.evaluation.services import evaluate_plan

#: The demo values end in 2025 (xanh/core/demo_plan.py); the 2025 evaluation is the mid-term review.
DEMO_YEARS = (2025,)


def load_demo(*, province_unit: Any, plan: Any, stdout: TextIO | None = None) -> None:
    years = sorted({*DEMO_YEARS, timezone.localdate().year})
    for year in years:
        run = evaluate_plan(plan=plan, as_of=year)
        if stdout is not None:
            counts = run.summary.get("plan", {}).get("counts", {})
            shown = ", ".join(f"{k}: {v}" for k, v in counts.items() if v)
            stdout.write(
                f"Đánh giá kế hoạch minh họa (số liệu đến năm {year}): {run.target_count} mục tiêu ({shown}).\n"
            )
