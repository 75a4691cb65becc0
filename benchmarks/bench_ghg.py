"""Benchmark of facility GHG inventories: 2,200 facilities × 20 activity records (the national scale, QĐ 13/2024).

    .venv/bin/python benchmarks/bench_ghg.py [--repeat 5] [--facilities 2200] [--records 20] [--no-db]

1. Pure core: ``calculate_many`` over all 44,000 records (AR5), and the JSON contract ``run`` on the same records.
2. Database (a fresh SQLite file in a temporary directory, or DATABASE_URL if set): the records are bulk-inserted
   (set-up, not timed), then ``services.recalculate`` (compute + store every EmissionResult with its trail) and
   ``publish_provincial_totals`` for the 34 provinces (aggregation + indicator values through record_value) are
   timed. Activity data are generated deterministically; the mix follows listed facilities: coal and oil boilers,
   gas, biomass, road diesel/gasoline, purchased electricity, a few process and refrigerant lines.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from xanh.ghg.calc import ActivityInput, CombustionSector, GwpSet, SourceType, calculate_many, run

PROVINCES = 34
YEARS = (2022, 2023)


def make_records(rng: random.Random, n: int) -> list[ActivityInput]:
    records = []
    for i in range(n):
        year = YEARS[i % 2]
        kind = rng.random()
        if kind < 0.35:
            fuel = rng.choice(
                ["anthracite", "other_bituminous_coal", "diesel", "residual_fuel_oil", "natural_gas", "lpg"]
            )
            records.append(
                ActivityInput(
                    SourceType.STATIONARY_COMBUSTION,
                    year,
                    rng.uniform(10, 50_000),
                    "t",
                    fuel=fuel,
                    sector=rng.choice(list(CombustionSector)),
                )
            )
        elif kind < 0.45:
            records.append(
                ActivityInput(
                    SourceType.STATIONARY_COMBUSTION,
                    year,
                    rng.uniform(100, 20_000),
                    "t",
                    fuel="other_solid_biomass",
                )
            )
        elif kind < 0.65:
            records.append(
                ActivityInput(
                    SourceType.MOBILE_COMBUSTION,
                    year,
                    rng.uniform(1_000, 500_000),
                    "L",
                    fuel=rng.choice(["diesel", "motor_gasoline"]),
                    density_kg_per_l=0.84,
                )
            )
        elif kind < 0.92:
            records.append(
                ActivityInput(SourceType.PURCHASED_ELECTRICITY, year, rng.uniform(100, 200_000), "MWh")
            )
        elif kind < 0.97:
            records.append(
                ActivityInput(
                    SourceType.PROCESS,
                    year,
                    rng.uniform(1_000, 900_000),
                    "t sản phẩm",
                    factor_overrides={"CO2": 500.0},
                    factor_source="hệ số giả định cho benchmark",
                )
            )
        else:
            records.append(ActivityInput(SourceType.REFRIGERANT, year, rng.uniform(1, 50), "kg", gas="SF6"))
    return records


CPU: list[float] = []


def timed(fn: Any, repeat: int) -> tuple[float, float, Any]:
    """Best and median wall time; the best CPU time of the process goes to CPU[-1] (the shared machine is often
    loaded, so wall time alone overstates the cost)."""
    times = []
    cpu = []
    value = None
    for _ in range(repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        value = fn()
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    CPU.append(min(cpu))
    return min(times), statistics.median(times), value


def bench_pure(records: list[ActivityInput], repeat: int) -> None:
    best, median, batch = timed(lambda: calculate_many(records, gwp_set=GwpSet.AR5), repeat)
    assert not batch.problems
    print(f"calculate_many, {len(records):,} records: best {best * 1000:.0f} ms, median {median * 1000:.0f} ms "
          f"(CPU {CPU[-1] * 1000:.0f} ms, {len(records) / CPU[-1]:,.0f} records/s of CPU); total {batch.total_co2e_t:,.0f} tCO2e")  # fmt: skip
    payload = {"gwp_set": "AR5", "activities": [r.to_dict() for r in records]}
    best, median, out = timed(lambda: run(payload), max(1, repeat // 2))
    assert not out["problems"]
    print(f"JSON contract run(), {len(records):,} records (parse, calculate, serialise trail): "
          f"best {best * 1000:.0f} ms, median {median * 1000:.0f} ms, CPU {CPU[-1] * 1000:.0f} ms")  # fmt: skip


def bench_db(records: list[ActivityInput], facilities: int, per_facility: int) -> None:
    tmp = tempfile.mkdtemp(prefix="xanh-bench-ghg-")
    os.environ.setdefault("XANH_VAR_DIR", tmp)
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tmp}/bench.sqlite3")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xanh.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    from tests.factories import AdminFactory, AdminUnitFactory
    from xanh.ghg import services
    from xanh.ghg.models import (
        ActivityRecord,
        FacilityInventory,
        InventoryListing,
        InventoryPeriod,
        InventoryStatus,
    )
    from xanh.monitoring.models import Facility

    units = [AdminUnitFactory(code=f"B{p:02d}", name=f"Tỉnh Benchmark {p}") for p in range(PROVINCES)]
    admin = AdminFactory(username="bench-admin")
    period = InventoryPeriod.objects.create(
        name="Benchmark",
        obligation_group="A",
        submission_year=2024,
        first_data_year=2022,
        last_data_year=2023,
    )
    sectors = ["industry_trade", "transport", "construction", "waste"]
    Facility.objects.bulk_create(
        Facility(admin_unit=units[i % PROVINCES], code=f"F{i:05d}", name=f"Cơ sở {i}")
        for i in range(facilities)
    )
    facility_rows = list(Facility.objects.order_by("id"))
    InventoryListing.objects.bulk_create(
        InventoryListing(facility=f, sector=sectors[i % 4]) for i, f in enumerate(facility_rows)
    )
    listings = list(InventoryListing.objects.order_by("id"))
    FacilityInventory.objects.bulk_create(
        FacilityInventory(listing=listing, period=period, gwp_set="AR5", status=InventoryStatus.APPRAISED)
        for listing in listings
    )
    inventories = list(FacilityInventory.objects.select_related("listing").order_by("id"))
    rows = []
    for index, activity in enumerate(records):
        inventory = inventories[index // per_facility]
        rows.append(
            ActivityRecord(
                inventory=inventory,
                year=activity.year,
                source_type=activity.source_type.value,
                description=f"nguồn {index}",
                fuel=activity.fuel or "",
                combustion_sector=activity.sector.value if activity.sector else "",
                quantity=activity.quantity,
                unit=activity.unit,
                density_kg_per_l=activity.density_kg_per_l,
                gas=activity.gas or "",
                factor_overrides=dict(activity.factor_overrides),
                factor_source=activity.factor_source,
            )
        )
    ActivityRecord.objects.bulk_create(rows, batch_size=2000)
    print(f"database: {connection.vendor}, {len(inventories):,} inventories, {len(rows):,} activity records")

    def clock() -> tuple[float, float]:
        return time.perf_counter(), time.process_time()

    def since(mark: tuple[float, float]) -> str:
        return f"wall {time.perf_counter() - mark[0]:.1f} s, CPU {time.process_time() - mark[1]:.1f} s"

    mark = clock()
    stored = services.recalculate(inventories=inventories)
    print(f"recalculate (compute + store {stored:,} results with trail): {since(mark)}")
    mark = clock()
    totals = [services.provincial_totals(unit) for unit in units]
    print(f"provincial_totals for {PROVINCES} provinces (SQL aggregation): {since(mark)}")
    mark = clock()
    written = 0
    for unit in units:
        summary = services.publish_provincial_totals(user=admin, admin_unit=unit)
        written += summary.created + summary.updated
    print(
        f"publish_provincial_totals for {PROVINCES} provinces ({written:,} indicator values): {since(mark)}"
    )
    mark = clock()
    for unit in units:
        services.publish_provincial_totals(user=admin, admin_unit=unit)
    print(f"publish again (all unchanged): {since(mark)}")
    assert all(totals)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--facilities", type=int, default=2200)
    parser.add_argument("--records", type=int, default=20)
    parser.add_argument("--no-db", action="store_true")
    args = parser.parse_args()
    records = make_records(random.Random(2026), args.facilities * args.records)
    try:
        load = os.getloadavg()[0]
        print(f"load average: {load:.1f}")
    except OSError:
        pass
    bench_pure(records, args.repeat)
    if not args.no_db:
        bench_db(records, args.facilities, args.records)


if __name__ == "__main__":
    main()
