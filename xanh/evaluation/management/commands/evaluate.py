"""`xanh evaluate --plan ID [--as-of YEAR] [--json]`: evaluate a plan from its official data and print the result."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from xanh.core.errors import ValidationFailed
from xanh.core.numbers import format_number_vi
from xanh.evaluation.services import evaluate_plan, plan_evaluation_summary
from xanh.plans.models import Plan


class Command(BaseCommand):
    help = "Đánh giá tiến độ mọi mục tiêu của một kế hoạch theo số liệu đã phê duyệt và lưu kết quả."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--plan", type=int, required=True, help="Mã số (ID) của kế hoạch.")
        parser.add_argument("--as-of", type=int, default=None, help="Năm đánh giá (mặc định: năm nay).")
        parser.add_argument("--json", action="store_true", help="In kết quả dạng JSON.")

    def handle(self, *args: Any, **options: Any) -> None:
        plan = Plan.objects.select_related("admin_unit").filter(pk=options["plan"]).first()
        if plan is None:
            raise CommandError(f"Không có kế hoạch mã số {options['plan']}.", returncode=2)
        try:
            run = evaluate_plan(plan=plan, as_of=options["as_of"])
        except ValidationFailed as exc:
            raise CommandError(str(exc), returncode=2) from exc
        summary = plan_evaluation_summary(plan, run.as_of, ensure=False)
        if options["json"]:
            payload = {
                "plan": plan.pk,
                "as_of": run.as_of,
                "computed_at": run.computed_at.isoformat(),
                "summary": run.summary,
                "targets": [
                    {
                        "code": t.code,
                        "pillar": t.pillar,
                        "status": t.status.value,
                        "computed_status": t.computed.status.value,
                        "overridden": t.is_overridden,
                        "score": t.score,
                        "explanation": t.explanation,
                        **{
                            k: v
                            for k, v in t.computed.to_dict().items()
                            if k in ("method", "method_version", "components", "notes")
                        },
                    }
                    for t in summary.targets
                ],
            }
            self.stdout.write(json.dumps(payload, ensure_ascii=False, indent=1))
            return
        self.stdout.write(f"{plan.title} — số liệu đến năm {run.as_of}")
        r = summary.rollup
        score = "—" if r.score is None else format_number_vi(r.score, 2)
        self.stdout.write(
            f"Toàn kế hoạch: {r.label} (điểm {score}; {r.assessed}/{r.count} mục tiêu đủ dữ liệu)"
        )
        for pillar in summary.pillars:
            self.stdout.write(f"\n{pillar.label}: {pillar.rollup.label}")
            for t in pillar.targets:
                mark = " [điều chỉnh]" if t.is_overridden else ""
                self.stdout.write(f"  {t.number or t.code}. {t.label}{mark} — {t.explanation}")
