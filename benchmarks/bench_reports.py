"""Benchmark of the synthesis report (issue 5): a full provincial DOCX report in under 5 s.

    .venv/bin/python benchmarks/bench_reports.py [--targets 40] [--tasks 300] [--repeat 3] [--pdf]

Builds, in a throw-away SQLite database, a province the size the architecture names (about 30 agencies, a few
hundred tasks, some 40 targets with their components and indicators with 10 years of approved data) with an approved
reporting round in which every task has a narrative and a third of them difficulties and proposals. Then times
``build_synthesis`` + the DOCX renderer end to end, first cold (no stored evaluation, empty chart cache: the plan is
evaluated and every chart drawn), then warm (stored evaluation, charts memoised), with a breakdown of the steps.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ["XANH_VAR_DIR"] = tempfile.mkdtemp(prefix="xanh-bench-reports-")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xanh.settings")
os.environ.setdefault("XANH_TASKS_BACKEND", "django_tasks.backends.immediate.ImmediateBackend")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402

PILLARS = ["emissions", "green_economy", "lifestyle", "transition"]
SENTENCES = [
    "Đã tổ chức {n} hội nghị phổ biến, hướng dẫn triển khai nhiệm vụ tới các cơ quan, đơn vị.",
    "Hoàn thành {n}% khối lượng công việc theo kế hoạch năm; kinh phí thực hiện lồng ghép từ các chương trình.",
    "Phối hợp với các sở, ngành kiểm tra {n} cơ sở sản xuất, kinh doanh trên địa bàn tỉnh.",
    "Ban hành {n} văn bản hướng dẫn, đôn đốc; cập nhật cơ sở dữ liệu chuyên ngành.",
]


def build_province(targets: int, tasks: int, seed: int = 7) -> int:
    from xanh.agencies.models import Agency
    from xanh.documents.models import Document
    from xanh.geo.models import AdminUnit
    from xanh.indicators.models import Indicator, IndicatorValue
    from xanh.plans.models import Plan, Section, Target, TargetComponent, Task, TaskAssignment
    from xanh.reporting.models import ReportingRound, Submission, TaskReport

    rng = random.Random(seed)
    unit = AdminUnit.objects.create(
        code="B01",
        name="Tỉnh Thử Nghiệm",
        level="province",
        unit_type="province",
        valid_from=dt.date(2000, 1, 1),
    )
    agencies = Agency.objects.bulk_create(
        Agency(admin_unit=unit, key=f"so-{i}", name=f"Sở Chuyên ngành số {i}") for i in range(30)
    )
    document = Document.objects.create(
        number="100/QĐ-UBND",
        kind="Quyết định",
        issuer="Ủy ban nhân dân tỉnh Thử Nghiệm",
        issued_on=dt.date(2022, 10, 15),
        title="Ban hành Kế hoạch hành động tăng trưởng xanh",
    )
    plan = Plan.objects.create(
        title="Kế hoạch hành động tăng trưởng xanh tỉnh Thử Nghiệm giai đoạn 2021–2030",
        document=document,
        admin_unit=unit,
        period_start=2021,
        period_end=2030,
        status="published",
        coordinator_agency=agencies[0],
    )
    groups = [
        Section.objects.create(
            plan=plan, code=f"III.{g + 1}", label=f"{g + 1}.", heading=f"Nhóm nhiệm vụ số {g + 1}", position=g
        )
        for g in range(12)
    ]
    indicators = Indicator.objects.bulk_create(
        Indicator(
            code=f"B-{i:03d}", name=f"Chỉ tiêu thống kê {i}", unit="%", direction="increase", admin_unit=unit
        )
        for i in range(targets)
    )
    values = []
    for i, indicator in enumerate(indicators):
        start, slope = rng.uniform(20, 60), rng.uniform(-0.8, 2.0)
        for year in range(2016, 2026):
            for scope in ("", "thành thị", "nông thôn") if i % 4 == 0 else ("",):
                shift = {"": 0.0, "thành thị": 8.0, "nông thôn": -6.0}[scope]
                values.append(
                    IndicatorValue(
                        indicator=indicator,
                        admin_unit=unit,
                        period=str(year),
                        year=year,
                        disaggregation=scope,
                        value=round(start + shift + slope * (year - 2016), 2),
                        unit="%",
                        status="approved",
                        source="import",
                        source_detail="Niên giám thống kê tỉnh",
                        approved_at=timezone.now(),
                    )
                )
    IndicatorValue.objects.bulk_create(values)
    target_rows = Target.objects.bulk_create(
        Target(
            plan=plan,
            code=str(i + 1),
            number=i + 1,
            pillar=PILLARS[i % 4],
            year=2030,
            indicator=indicators[i],
            text=f"Chỉ tiêu thống kê {i} đạt {70 + i % 20}% vào năm 2030.",
            position=i,
        )
        for i in range(targets)
    )
    components = []
    for i, target in enumerate(target_rows):
        components.append(
            TargetComponent(
                target=target,
                value=70 + i % 20,
                unit="%",
                comparator=">=" if i % 3 else "=",
                direction="increase",
                year=2030,
                baseline_value=None if i % 5 == 0 else 40.0,
                baseline_year=None if i % 5 == 0 else 2020,
                indicator=indicators[i],
                limit=100,
            )
        )
        if i % 4 == 0:
            for pos, scope in enumerate(("thành thị", "nông thôn"), start=1):
                components.append(
                    TargetComponent(
                        target=target,
                        value=90 - pos * 5,
                        unit="%",
                        scope=scope,
                        subject=scope,
                        direction="increase",
                        year=2030,
                        position=pos,
                        indicator=indicators[i],
                        limit=100,
                    )
                )
    TargetComponent.objects.bulk_create(components)
    task_rows = Task.objects.bulk_create(
        Task(
            plan=plan,
            code=f"{groups[i % 12].code}.{i // 12 + 1}",
            section=groups[i % 12],
            position=i,
            deadline="2021–2030",
            text=f"Triển khai nhiệm vụ số {i + 1} về tăng trưởng xanh trong lĩnh vực được giao.",
        )
        for i in range(tasks)
    )
    TaskAssignment.objects.bulk_create(
        TaskAssignment(task=task, agency=agencies[(i + k) % 30], role="lead" if k == 0 else "coordinating")
        for i, task in enumerate(task_rows)
        for k in range(3)
    )
    Task.targets.through.objects.bulk_create(
        Task.targets.through(task_id=task.pk, target_id=target_rows[i % targets].pk)
        for i, task in enumerate(task_rows)
    )
    round_ = ReportingRound.objects.create(
        plan=plan,
        period="2025",
        year=2025,
        opens_on=dt.date(2025, 12, 1),
        due_on=dt.date(2026, 1, 15),
        status="closed",
    )
    submissions = {
        a.pk: Submission.objects.create(
            round=round_, agency=a, status="approved", submitted_at=timezone.now(), approved_at=timezone.now()
        )
        for a in agencies
    }
    statuses = ["completed", "in_progress", "in_progress", "behind_schedule", "not_started"]
    TaskReport.objects.bulk_create(
        TaskReport(
            submission=submissions[agencies[i % 30].pk],
            task=task,
            role="lead",
            status=statuses[i % 5],
            percent=(i * 7) % 101,
            position=i,
            narrative=" ".join(s.format(n=rng.randint(2, 40)) for s in rng.sample(SENTENCES, 3)),
            difficulties="Thiếu kinh phí và nhân lực chuyên trách." if i % 3 == 0 else "",
            proposals=f"Đề nghị bố trí kinh phí cho nhiệm vụ số {i + 1}." if i % 3 == 0 else "",
        )
        for i, task in enumerate(task_rows)
    )
    return plan.pk


def timed(fn):  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--targets", type=int, default=40)
    parser.add_argument("--tasks", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--pdf", action="store_true", help="also time the PDF and XLSX renderers")
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    from xanh.plans.models import Plan
    from xanh.reports import charts
    from xanh.reports.charts import report_charts
    from xanh.reports.collect import collect_facts
    from xanh.reports.compose import compose_synthesis
    from xanh.reports.render_docx import render_docx
    from xanh.reports.services import build_synthesis, render_report

    plan = Plan.objects.get(pk=build_province(args.targets, args.tasks))
    print(
        f"Tỉnh thử: {args.targets} mục tiêu ({plan.targets.count()} mục tiêu, "
        f"{sum(t.components.count() for t in plan.targets.all())} thành phần), {args.tasks} nhiệm vụ, 30 cơ quan, "
        "số liệu 2016–2025, 1 kỳ báo cáo đã phê duyệt"
    )

    report, cold = timed(lambda: build_synthesis(plan, "2025"))
    docx_bytes, cold_docx = timed(lambda: render_report(report, "docx"))
    print(
        f"lần đầu (đánh giá kế hoạch, vẽ mọi biểu đồ): nội dung {cold:.2f} s + DOCX {cold_docx:.2f} s "
        f"= {cold + cold_docx:.2f} s; {len(docx_bytes) / 1e6:.1f} MB"
    )

    rows = []
    for _ in range(args.repeat):
        charts.clear_cache()
        # charts drawn in this process, so that CPU time (little affected by other load) covers every step
        os.environ["XANH_REPORT_CHART_PROCESSES"] = "0"
        stamps = [(time.perf_counter(), time.process_time())]
        facts = collect_facts(plan, "2025")
        stamps.append((time.perf_counter(), time.process_time()))
        images = report_charts(facts)
        stamps.append((time.perf_counter(), time.process_time()))
        report = compose_synthesis(facts, images)
        stamps.append((time.perf_counter(), time.process_time()))
        render_docx(report)
        stamps.append((time.perf_counter(), time.process_time()))
        os.environ.pop("XANH_REPORT_CHART_PROCESSES")
        rows.append(tuple(b[k] - a[k] for k in (0, 1) for a, b in itertools.pairwise(stamps)))
    med = [statistics.median(col) for col in zip(*rows, strict=True)]
    wall, cpu = med[:4], med[4:]
    print(
        f"đánh giá đã lưu, biểu đồ vẽ lại, một tiến trình (trung vị {args.repeat} lần), thời gian thực / CPU: "
        f"đọc dữ liệu {wall[0]:.2f}/{cpu[0]:.2f} s, {len(images)} biểu đồ {wall[1]:.2f}/{cpu[1]:.2f} s, "
        f"soạn nội dung {wall[2]:.2f}/{cpu[2]:.2f} s, DOCX {wall[3]:.2f}/{cpu[3]:.2f} s; "
        f"tổng {sum(wall):.2f}/{sum(cpu):.2f} s"
    )
    warm = [
        timed(lambda: render_report(build_synthesis(plan, "2025"), "docx"))[1] for _ in range(args.repeat)
    ]
    print(
        f"đánh giá đã lưu, biểu đồ đã có (trung vị): DOCX đầy đủ {statistics.median(warm):.2f} s "
        f"(nhanh nhất {min(warm):.2f} s)"
    )
    if args.pdf:
        _x, t_xlsx = timed(lambda: render_report(report, "xlsx"))
        _p, t_pdf = timed(lambda: render_report(report, "pdf"))
        print(f"XLSX {t_xlsx:.2f} s; PDF {t_pdf:.2f} s")


if __name__ == "__main__":
    main()
