"""Load benchmark of the REST API list endpoints (issue 6): p95 latency under gunicorn, measured with wrk.

Builds a national dataset in a separate database — PostgreSQL ``xanh_bench`` (default) or SQLite under var/bench —
with the demo province plus 34 generated provinces, 2,000 targets (with components), ~1,700 tasks and 50,000
approved indicator values; starts gunicorn on 127.0.0.1 and runs wrk (loopback only, bounded by duration) against
every list endpoint, then reports p50/p95/p99 and the ratio of each p95 to /api/v1/health's in the same run.

    .venv/bin/python benchmarks/bench_api.py                 # PostgreSQL xanh_bench, rebuild data if missing
    .venv/bin/python benchmarks/bench_api.py --sqlite        # SQLite file var/bench/api.sqlite3
    .venv/bin/python benchmarks/bench_api.py --rebuild --duration 5 --connections 2

The synthetic rows are bulk-inserted (a benchmark fixture, not user input); reference data and the demo province go
through the normal bootstrap command.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PYTHON = str(ROOT / ".venv" / "bin" / "python")
PG_ADMIN_URL = "postgres://postgres@127.0.0.1:5432/postgres"
PG_BENCH_URL = "postgres://postgres@127.0.0.1:5432/xanh_bench"
PROVINCES, TARGETS, VALUES = 34, 2000, 50_000
LUA = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("RESULT %d %d %.3f %.3f %.3f %.3f\\n", summary.requests,
    e.status + e.connect + e.read + e.write + e.timeout,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000, latency.mean / 1000))
end
"""


def _env(database_url: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "xanh.settings",
            "DATABASE_URL": database_url,
            "XANH_VAR_DIR": str(ROOT / "var" / "bench"),
            "DEBUG": "0",
            "CONN_MAX_AGE": "600",
            "XANH_API_RATE_ANON": "10000000/min",
            "XANH_API_RATE_TOKEN": "10000000/min",
            "LOG_LEVEL": "ERROR",
        }
    )
    return env


def _prepare_postgres(rebuild: bool) -> bool:
    """Create the xanh_bench database; True if it is new (data must be generated)."""
    import psycopg

    with psycopg.connect(PG_ADMIN_URL.replace("postgres://", "postgresql://"), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = 'xanh_bench'").fetchone() is not None
        if exists and rebuild:
            conn.execute("DROP DATABASE xanh_bench WITH (FORCE)")
            exists = False
        if not exists:
            conn.execute("CREATE DATABASE xanh_bench")
        return not exists


GENERATOR = r"""
import datetime as dt, random, sys, time
import django
django.setup()
from django.db import transaction
from django.utils import timezone
from xanh.agencies.models import Agency
from xanh.agencies.services import ensure_agencies
from xanh.geo.models import AdminUnit
from xanh.indicators.models import Indicator, IndicatorValue
from xanh.plans.models import Plan, Target, TargetComponent, Task, TaskAssignment, Section
from xanh.documents.models import Document

PROVINCES, TARGETS, VALUES = map(int, sys.argv[1:4])
if Plan.objects.filter(title__startswith="[bench]").exists():
    print("dataset present"); sys.exit(0)
rng = random.Random(6)
started = time.perf_counter()
units = list(AdminUnit.objects.valid_on(dt.date(2025, 7, 1)).filter(level="province", is_demo=False).order_by("code"))[:PROVINCES]
indicators = list(Indicator.objects.filter(code__startswith="TT10-"))
for n in range(60 - len(indicators)):
    indicators.append(Indicator.objects.create(code=f"BENCH-{n:02d}", name=f"Chỉ tiêu tổng hợp {n}", unit="%", direction="increase", min_value=0, max_value=100))
per_plan = TARGETS // len(units)
extra = TARGETS - per_plan * len(units)
now = timezone.now()
with transaction.atomic():
    for index, unit in enumerate(units):
        ensure_agencies(unit)
        agencies = list(Agency.objects.filter(admin_unit=unit, kind="department"))
        doc = Document.objects.create(number=f"{900 + index}/QĐ-UBND", kind="Quyết định", issuer=f"Ủy ban nhân dân {unit.display_name}", issued_on=dt.date(2023, 5, 1), title="[bench] Kế hoạch hành động tăng trưởng xanh")
        plan = Plan.objects.create(title=f"[bench] Kế hoạch hành động tăng trưởng xanh {unit.display_name} giai đoạn 2021–2030", document=doc, admin_unit=unit, period_start=2021, period_end=2030, status="published", published_at=now)
        section = Section.objects.create(plan=plan, code="II", label="II.", heading="MỤC TIÊU", position=0)
        count = per_plan + (1 if index < extra else 0)
        targets = Target.objects.bulk_create([
            Target(plan=plan, section=section, code=str(k + 1), number=k + 1, text=f"Chỉ tiêu {k + 1} đạt mức mục tiêu vào năm 2030.", pillar=rng.choice(["emissions", "green_economy", "lifestyle", "transition"]), year=2030, indicator=indicators[k % len(indicators)], position=k)
            for k in range(count)])
        TargetComponent.objects.bulk_create([TargetComponent(target=t, value=rng.uniform(30, 95), unit="%", comparator=">=", direction="increase", year=2030, baseline_value=rng.uniform(10, 30), baseline_year=2020, indicator=t.indicator) for t in targets])
        tasks = Task.objects.bulk_create([Task(plan=plan, section=section, code=f"III.{k + 1}", text=f"Nhiệm vụ {k + 1}: triển khai giải pháp tăng trưởng xanh.", position=k) for k in range(50)])
        TaskAssignment.objects.bulk_create([TaskAssignment(task=t, agency=rng.choice(agencies), role="lead", mention="") for t in tasks] + [TaskAssignment(task=t, agency=rng.choice(agencies), role="coordinating", mention="") for t in tasks[::2]])
    values, years = [], list(range(2000, 2030))
    for unit in units:
        for indicator in indicators:
            for year in years:
                values.append(IndicatorValue(indicator=indicator, admin_unit=unit, period=str(year), year=year, value=round(rng.uniform(5, 95), 2), unit=indicator.unit, status="approved", source="import", approved_at=now))
    rng.shuffle(values)
    IndicatorValue.objects.bulk_create(values[:VALUES], batch_size=5000)
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("ANALYZE")  # planner statistics after a bulk load, as autovacuum would do shortly after
print(f"generated {len(units)} provinces, {Target.objects.filter(plan__title__startswith='[bench]').count()} targets, {IndicatorValue.objects.count()} values in {time.perf_counter() - started:.0f} s")
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait(url: str, timeout: float = 60) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"gunicorn did not answer {url}")


def _wrk(url: str, duration: int, connections: int, script: str) -> dict[str, float]:
    out = subprocess.run(
        [
            "wrk",
            f"-t{min(connections, 2)}",
            f"-c{connections}",
            f"-d{duration}s",
            "--timeout",
            "5s",
            "-s",
            script,
            url,
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    line = next(row for row in out.splitlines() if row.startswith("RESULT"))
    requests, errors, p50, p95, p99, mean = line.split()[1:]
    return {
        "requests": int(requests),
        "errors": int(errors),
        "p50": float(p50),
        "p95": float(p95),
        "p99": float(p99),
        "mean": float(mean),
    }


def _loadavg() -> str:
    """The 1-minute load average (the machine is shared; every figure is reported next to it)."""
    try:
        return Path("/proc/loadavg").read_text().split()[0]
    except OSError:
        return "?"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--sqlite", action="store_true", help="SQLite under var/bench instead of PostgreSQL xanh_bench"
    )
    parser.add_argument("--rebuild", action="store_true", help="drop and regenerate the dataset")
    parser.add_argument("--duration", type=int, default=5, help="seconds of load per endpoint")
    parser.add_argument(
        "--connections", type=int, default=2, help="concurrent connections (2 = one per worker)"
    )
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: scripts/install-system-deps installs it")
    (ROOT / "var" / "bench").mkdir(parents=True, exist_ok=True)
    if args.sqlite:
        path = ROOT / "var" / "bench" / "api.sqlite3"
        if args.rebuild and path.exists():
            path.unlink()
        database_url = f"sqlite:///{path}"
    else:
        _prepare_postgres(args.rebuild)
        database_url = PG_BENCH_URL
    env = _env(database_url)
    subprocess.run(
        [PYTHON, "-m", "xanh.cli", "bootstrap", "--demo"],
        env=env,
        check=True,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )
    subprocess.run(
        [PYTHON, "-c", GENERATOR, str(PROVINCES), str(TARGETS), str(VALUES)], env=env, check=True, cwd=ROOT
    )
    port = _free_port()
    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "xanh.wsgi",
            "-w",
            str(args.workers),
            "-b",
            f"127.0.0.1:{port}",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait(base + "/api/v1/health")
        with urllib.request.urlopen(base + "/api/v1/indicator-values?page_size=1") as r:
            total_values = json.load(r)["count"]
        endpoints = [
            "/api/v1/health",
            "/api/v1/admin-units",
            "/api/v1/agencies",
            "/api/v1/plans",
            "/api/v1/sections",
            "/api/v1/targets",
            "/api/v1/tasks",
            "/api/v1/indicators",
            "/api/v1/indicator-values",
            "/api/v1/indicator-values?indicator_code=TT10-1.1&year_min=2010",
            "/api/v1/indicator-values?format=csv",
            "/api/v1/task-reports",
            "/api/v1/assessments",
        ]
        results = {}
        with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as handle:
            handle.write(LUA)
            script = handle.name
        for path in endpoints:
            _wrk(base + path, 1, args.connections, script)  # warm-up: caches, connections
            results[path] = _wrk(base + path, args.duration, args.connections, script)
            results[path]["load"] = _loadavg()  # type: ignore[assignment]
        os.unlink(script)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=20)
    health = results["/api/v1/health"]["p95"]
    print(
        f"\nDatabase: {'SQLite' if args.sqlite else 'PostgreSQL 15'}; {total_values:,} approved values visible; gunicorn "
        f"{args.workers} sync workers; wrk {args.connections} connections x {args.duration} s per endpoint; page size 100.\n"
    )
    print("| endpoint | requests | errors | p50 ms | p95 ms | p99 ms | p95 / health p95 | load avg |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for path, r in results.items():
        print(
            f"| `{path}` | {r['requests']} | {r['errors']} | {r['p50']:.1f} | {r['p95']:.1f} | {r['p99']:.1f} |"
            f" {r['p95'] / health:.1f} | {r['load']} |"
        )
    worst = max((r["p95"], p) for p, r in results.items())
    print(
        f"\nSlowest p95: {worst[0]:.1f} ms ({worst[1]}); goal < 50 ms: {'met' if worst[0] < 50 else 'NOT met'}."
    )


if __name__ == "__main__":
    random.seed(6)
    sys.exit(main())
