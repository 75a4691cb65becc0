"""Reporting at provincial scale: a round with 40 agencies, 300 tasks and 150 indicator values.

Measures (goal in brackets): opening the round; the coordinator's tracker page and one agency's form page
(< 300 ms each, fixed query count); saving a full draft; generating the 40 agencies' Excel templates (< 10 s);
reading back and dry-running one filled template.

Run: .venv/bin/python benchmarks/bench_reporting.py   (uses a throw-away SQLite database under /tmp)
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
VAR = tempfile.mkdtemp(prefix="xanh-bench-reporting-")
os.environ["XANH_VAR_DIR"] = VAR
os.environ["DATABASE_URL"] = f"sqlite:///{VAR}/bench.sqlite3"
os.environ.setdefault("DEBUG", "0")
os.environ["EMAIL_BACKEND"] = "django.core.mail.backends.locmem.EmailBackend"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xanh.settings")

import django  # noqa: E402

django.setup()


import datetime as dt  # noqa: E402

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

N_AGENCIES, N_TASKS, N_INDICATORS, DISAGGREGATIONS = (
    40,
    300,
    50,
    ["thành thị", "nông thôn"],
)  # 50 × 3 = 150 values
REPEAT = 15


class QueryCounter:
    """Counts the SQL statements run while active (works across the test client's request boundaries)."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):  # type: ignore[no-untyped-def]
        self.count += 1
        return execute(sql, params, many, context)

    def __len__(self) -> int:
        return self.count


def count_queries(fn):  # type: ignore[no-untyped-def]
    counter = QueryCounter()
    with connection.execute_wrapper(counter):
        fn()
    return counter


def timed(fn, repeat: int = REPEAT):  # type: ignore[no-untyped-def]
    samples = []
    result = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples), min(samples), result


def build():  # type: ignore[no-untyped-def]
    from xanh.accounts.models import Role, User
    from xanh.agencies.models import Agency
    from xanh.geo.models import AdminUnit
    from xanh.indicators.models import Indicator
    from xanh.plans.models import Plan, Target, Task, TaskAssignment

    unit = AdminUnit.objects.create(
        code="B01", name="Tỉnh Đo Hiệu Năng", level="province", unit_type="province"
    )
    agencies = [
        Agency.objects.create(admin_unit=unit, key=f"co-quan-{i:02d}", name=f"Sở Đo thử {i:02d}")
        for i in range(N_AGENCIES)
    ]
    plan = Plan.objects.create(
        title="Kế hoạch đo hiệu năng", admin_unit=unit, period_start=2021, period_end=2030, status="published"
    )
    tasks = Task.objects.bulk_create(
        Task(
            plan=plan,
            code=f"T{i:03d}",
            text=f"Nhiệm vụ số {i}: triển khai giải pháp tăng trưởng xanh " * 3,
            position=i,
        )
        for i in range(N_TASKS)
    )
    TaskAssignment.objects.bulk_create(
        [TaskAssignment(task=t, agency=agencies[i % N_AGENCIES], role="lead") for i, t in enumerate(tasks)]
        + [
            TaskAssignment(task=t, agency=agencies[(i + 7) % N_AGENCIES], role="coordinating")
            for i, t in enumerate(tasks)
            if i % 3 == 0
        ]
    )
    for i in range(N_INDICATORS):
        indicator = Indicator.objects.create(
            code=f"B-{i:02d}",
            name=f"Chỉ tiêu đo thử {i}",
            unit="%",
            min_value=0,
            max_value=100,
            max_change_factor=3,
            responsible_agency_key=agencies[(i * 3) % N_AGENCIES].key,
            disaggregations=DISAGGREGATIONS,
        )
        Target.objects.create(
            plan=plan, code=str(i + 1), text=f"Mục tiêu {i}", indicator=indicator, position=i
        )
    coordinator = User.objects.create(
        username="dieuphoi", role=Role.COORDINATOR, admin_unit=unit, is_staff=True
    )
    reporters = {
        a.pk: User.objects.create(
            username=f"bc{a.key}", role=Role.REPORTER, agency=a, admin_unit=unit, email=f"{a.key}@x.invalid"
        )
        for a in agencies
    }
    return plan, coordinator, reporters


def main() -> None:
    call_command("migrate", verbosity=0)
    from xanh.reporting import services
    from xanh.reporting.services import IndicatorInput, TaskInput

    plan, coordinator, reporters = build()
    from django.urls import reverse

    reverse(
        "home"
    )  # a server imports every URL module once at start-up; do it before timing (matplotlib et al.)
    if os.environ.get("XANH_BENCH_PROFILE"):
        import cProfile
        import pstats

        profiler = cProfile.Profile()
        profiler.enable()
        services.open_round(
            user=coordinator,
            plan=plan,
            period="2026",
            opens_on=dt.date(2026, 11, 1),
            due_on=dt.date(2026, 11, 30),
        )
        profiler.disable()
        pstats.Stats(profiler).sort_stats("tottime").print_stats(20)
        return
    start = time.perf_counter()
    round = services.open_round(
        user=coordinator,
        plan=plan,
        period="2025",
        opens_on=dt.date(2025, 11, 1),
        due_on=dt.date(2025, 11, 30),
    )
    open_ms = (time.perf_counter() - start) * 1000
    submissions = list(round.submissions.select_related("agency"))
    n_tasks = sum(s.task_reports.count() for s in submissions)
    n_values = sum(s.indicator_reports.count() for s in submissions)

    # every agency fills its report (drafts), so the pages show real content
    fill_ms = []
    for submission in submissions:
        tasks, indicators = services.report_items(submission)
        start = time.perf_counter()
        services.save_draft(
            user=reporters[submission.agency_id],
            submission=submission,
            expected_version=submission.version,
            tasks={
                pk: TaskInput(status="in_progress", percent=50, narrative="Đã triển khai một nửa khối lượng.")
                for pk in tasks
            },
            indicators={pk: IndicatorInput(value=55.5, data_source="Cục Thống kê tỉnh") for pk in indicators},
        )
        fill_ms.append((time.perf_counter() - start) * 1000)
    biggest = max(submissions, key=lambda s: s.task_reports.count() + s.indicator_reports.count())
    big_items = biggest.task_reports.count() + biggest.indicator_reports.count()

    client = Client()
    client.force_login(coordinator)
    assert client.get(round.get_absolute_url()).status_code == 200
    tracker_q = count_queries(lambda: client.get(round.get_absolute_url()))
    tracker_med, tracker_min, _ = timed(lambda: client.get(round.get_absolute_url()))

    reporter_client = Client()
    reporter_client.force_login(reporters[biggest.agency_id])
    assert reporter_client.get(biggest.get_absolute_url()).status_code == 200
    form_q = count_queries(lambda: reporter_client.get(biggest.get_absolute_url()))
    form_med, form_min, _ = timed(lambda: reporter_client.get(biggest.get_absolute_url()))
    review_med, review_min, _ = timed(lambda: client.get(f"/bao-cao/nop/{biggest.pk}/xem-xet/"))

    start = time.perf_counter()
    templates = [services.generate_template(user=coordinator, submission=s) for s in submissions]
    templates_s = time.perf_counter() - start
    zip_med, _zip_min, zipped = timed(
        lambda: services.generate_round_templates(user=coordinator, round=round), repeat=3
    )
    biggest_template = services.generate_template(user=coordinator, submission=biggest)
    dry_med, dry_min, preview = timed(
        lambda: services.import_template(
            user=reporters[biggest.agency_id], submission=biggest, content=biggest_template, filename="b.xlsx"
        ),
        repeat=5,
    )
    assert preview.ok

    print(
        f"Round: {len(submissions)} agencies, {N_TASKS} tasks → {n_tasks} task reports, {n_values} indicator values"
    )
    print(f"open_round (creates all submissions and items):    {open_ms:8.1f} ms")
    print(
        f"save_draft, one agency (median of {len(fill_ms)}):          {statistics.median(fill_ms):8.1f} ms (max {max(fill_ms):.1f})"
    )
    print(
        f"tracker page (median/min of {REPEAT}):                 {tracker_med:8.1f} / {tracker_min:.1f} ms, {len(tracker_q)} queries"
    )
    print(
        f"agency form page, {big_items} items (median/min):       {form_med:8.1f} / {form_min:.1f} ms, {len(form_q)} queries"
    )
    print(f"review page, same agency (median/min):             {review_med:8.1f} / {review_min:.1f} ms")
    print(
        f"40 Excel templates, one by one:                    {templates_s * 1000:8.1f} ms ({sum(map(len, templates)) // 1024} KiB)"
    )
    print(f"40 Excel templates as one ZIP (median of 3):       {zip_med:8.1f} ms ({len(zipped) // 1024} KiB)")
    print(f"dry run of one uploaded template (median/min):     {dry_med:8.1f} / {dry_min:.1f} ms")


if __name__ == "__main__":
    main()
