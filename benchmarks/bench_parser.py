"""Plan parser and import review benchmark.

Run: .venv/bin/python benchmarks/bench_parser.py [--runs 20] [--no-review]

1. Parsing: median and max wall time of parse_text over the 80 KB Bắc Giang plan (../shared/seeds/001_...,
   skipped if absent) and the corpus documents in tests/documents/corpus, one core, after one warm-up run.
2. Review page: a throwaway SQLite database is migrated, the seed plan is imported through the services, and
   the review page (/van-ban/nhap/<id>/) is requested with Django's test client; median and max of N requests.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
SEED = REPO / ".." / "shared" / "seeds" / "001_5088301c01db933d.txt"
CORPUS = REPO / "tests" / "documents" / "corpus"


def _timed(func, runs: int, clock=time.perf_counter) -> list[float]:  # type: ignore[no-untyped-def]
    func()  # warm-up: catalogue, regex compilation
    times = []
    for _ in range(runs):
        started = clock()
        func()
        times.append(clock() - started)
    return times


def bench_parse(runs: int) -> None:
    from xanh.documents.parsing import parse_text

    documents = []
    if SEED.exists():
        documents.append(("Bắc Giang QĐ 1026/QĐ-UBND (seed 001)", SEED.read_text(encoding="utf-8")))
    documents += [(p.name, p.read_text(encoding="utf-8")) for p in sorted(CORPUS.glob("*.txt"))]
    print(f"load average: {os.getloadavg()[0]:.1f} (2 cores)")
    print("| văn bản | KB | CPU trung vị (ms) | CPU lớn nhất (ms) | thời gian thực trung vị (ms) |")
    print("|---|---:|---:|---:|---:|")
    for name, text in documents:
        cpu = _timed(lambda text=text: parse_text(text), runs, time.process_time)
        wall = _timed(lambda text=text: parse_text(text), runs)
        print(
            f"| {name} | {len(text.encode()) / 1024:.0f} | {statistics.median(cpu) * 1000:.0f} | "
            f"{max(cpu) * 1000:.0f} | {statistics.median(wall) * 1000:.0f} |"
        )


def bench_review(runs: int) -> None:
    workdir = Path(tempfile.mkdtemp(prefix="xanh-bench-"))
    os.environ["XANH_VAR_DIR"] = str(workdir)
    os.environ["DATABASE_URL"] = f"sqlite:///{workdir / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xanh.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.test.utils import setup_test_environment

    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver"]
    call_command("migrate", verbosity=0)
    from xanh.accounts.models import Role, User
    from xanh.documents.import_services import create_import
    from xanh.geo.models import AdminUnit
    from xanh.geo.services import load_units

    load_units()
    unit = AdminUnit.objects.filter(name="Bắc Giang").first()
    user = User.objects.create_user("bench", password="bench-password-2026", role=Role.COORDINATOR)
    source = SEED if SEED.exists() else CORPUS / "ke_hoach_lam_son.txt"
    started = time.perf_counter()
    plan_import = create_import(user=user, filename=source.name, data=source.read_bytes(), admin_unit=unit)
    print(f"create_import ({source.name}): {(time.perf_counter() - started) * 1000:.0f} ms")
    client = Client()
    client.force_login(user)
    url = f"/van-ban/nhap/{plan_import.pk}/"
    times = _timed(lambda: client.get(url), runs)
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    print(
        f"review page {url}: {len(response.content) / 1024:.0f} KB HTML, median {statistics.median(times) * 1000:.0f} ms, "
        f"max {max(times) * 1000:.0f} ms over {runs} requests"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--no-review", action="store_true")
    args = parser.parse_args()
    bench_parse(args.runs)
    if not args.no_review:
        bench_review(max(5, args.runs // 4))


if __name__ == "__main__":
    main()
