"""Monitoring benchmarks (issue 7). Run: `.venv/bin/python benchmarks/bench_monitoring.py [--quick]`.

Measures, on PostgreSQL (a scratch database `bench_xanh_monitoring` on DATABASE_URL's server, default
postgres://postgres@127.0.0.1:5432/postgres) and SQLite (a scratch file):
1. parsing of datalogger files (pure), readings/s;
2. ingestion of one province-day of datalogger files (50 stations × 8 parameters × 288 files = 14,400 files,
   115,200 readings) from a folder into PostgreSQL: readings/s (goal ≥ 100,000/s on one core);
3. bulk CSV ingestion vs the raw database bulk insert of the same number of rows in the same run (COPY on
   PostgreSQL, one-transaction executemany on SQLite), as a ratio (goal ≥ 0.5);
4. hourly and daily VN_AQI for 100 stations × 1 year of 5-minute data (vectorised path; goal < 10 s);
5. latency of the public province page (map) and a station page with one year of rollups for 50 stations
   (goal < 200 ms).
Results are printed; docs/benchmarks.md records a run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PG_SERVER = os.environ.get("BENCH_PG_SERVER", "postgres://postgres@127.0.0.1:5432/postgres")
PG_NAME = "bench_xanh_monitoring"


def section(title: str) -> None:
    print(f"\n## {title}", flush=True)


def bench_aqi(stations: int) -> None:
    import numpy as np

    from xanh.monitoring import synth
    from xanh.monitoring.aqi.vectorized import station_aqi_arrays

    section(f"VN_AQI, {stations} stations × 1 year of 5-minute data (vectorised)")
    start = dt.datetime(2025, 1, 1)
    total = 0.0
    readings = 0
    for k in range(stations):
        station = synth.SynthStation("BM", "AQI", f"S{k:03d}", "ambient", level=0.6 + (k % 10) / 10)
        data = synth.generate(station, start, 365)
        seconds = data.seconds()
        arrays = {}
        for code in ("PM2_5", "PM10", "O3", "CO", "SO2", "NO2"):
            values = np.where(data.status[code] == "00", data.values[code], np.nan)
            arrays[code] = (seconds, values)
            readings += values.size
        t0 = time.perf_counter()
        _grid, hourly, daily = station_aqi_arrays(arrays)
        total += time.perf_counter() - t0
        assert hourly.aqi.size >= 365 * 24 and daily.aqi.size >= 365
    print(f"readings: {readings:,}; hourly + daily AQI time (generation excluded): {total:.2f} s")


def bench_parse(files: list[tuple[str, bytes]]) -> None:
    from xanh.monitoring.fileformat import parse_datalogger

    section("Parsing datalogger files (pure)")
    now = dt.datetime(2030, 1, 1)
    best = 1e9
    count = 0
    for _ in range(3):
        t0 = time.perf_counter()
        count = sum(len(parse_datalogger(name, content, now=now).readings) for name, content in files)
        best = min(best, time.perf_counter() - t0)
    print(f"{len(files):,} files, {count:,} readings: {best:.2f} s = {count / best:,.0f} readings/s")


def setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "xanh.settings")
    os.environ["XANH_VAR_DIR"] = tempfile.mkdtemp(prefix="bench-var-")
    import django

    django.setup()
    from django.conf import settings

    settings.XANH_MONITORING_ARCHIVE_DIR = Path(os.environ["XANH_VAR_DIR"]) / "archive"
    settings.ALLOWED_HOSTS = ["*"]
    from django.core.management import call_command

    call_command("migrate", verbosity=0, skip_checks=True)


def register(stations: list, unit) -> None:  # type: ignore[no-untyped-def]
    from xanh.monitoring.demo import AMBIENT_UNITS
    from xanh.monitoring.models import Station, StationParameter

    for k, s in enumerate(stations):
        station = Station.objects.create(
            admin_unit=unit,
            code=s.station,
            name=f"Trạm {s.station}",
            kind="ambient",
            logger_province=s.province,
            logger_facility=s.facility,
            logger_station=s.station,
            latitude=21.0 + (k % 10) * 0.03,
            longitude=105.7 + (k // 10) * 0.04,
        )
        StationParameter.objects.bulk_create(
            [StationParameter(station=station, code=c, unit=u) for c, u in AMBIENT_UNITS.items()]
        )


def bench_database(vendor: str, stations: int, quick: bool) -> None:
    from django.db import connection

    from xanh.geo.models import AdminUnit
    from xanh.monitoring import synth
    from xanh.monitoring.ingest import FileInput, Registry, ingest
    from xanh.monitoring.partitions import ensure_partitions
    from xanh.monitoring.services import files_from_directory

    unit = AdminUnit.objects.create(code="BM1", name="Tỉnh Đo Đạc", unit_type="province", is_demo=True)
    province = [
        synth.SynthStation("BM", "STNMT", f"K{k:03d}", "ambient", device_error_rate=0)
        for k in range(stations)
    ]
    register(province, unit)
    day1 = dt.datetime(2025, 6, 10)
    # 2. one province-day of datalogger files from a folder
    inbox = Path(tempfile.mkdtemp(prefix="bench-inbox-"))
    for s in province:
        synth.write_files(synth.generate(s, day1, 1), inbox)
    files = files_from_directory(inbox)
    readings = sum(f.content.count(b"\n") for f in files)
    section(f"{vendor}: one province-day of datalogger files ({len(files):,} files, {readings:,} readings)")
    t0 = time.perf_counter()
    batch = ingest(
        files_from_directory(inbox), source="folder", now=dt.datetime(2030, 1, 1), registry=Registry()
    )
    elapsed = time.perf_counter() - t0
    stored = batch.totals["stored"]
    print(
        f"read + parse + store + log + archive: {elapsed:.2f} s = {stored / elapsed:,.0f} readings/s stored"
    )
    again = time.perf_counter()
    for s in province[:5]:
        synth.write_files(synth.generate(s, day1, 1), inbox)
    resend = ingest(
        files_from_directory(inbox), source="folder", now=dt.datetime(2030, 1, 1), registry=Registry()
    )
    print(f"re-sending 5 stations' files: {resend.totals['stored']} stored, {resend.totals['unchanged']:,} unchanged "
          f"({time.perf_counter() - again:.2f} s)")  # fmt: skip
    shutil.rmtree(inbox, ignore_errors=True)
    # 3. bulk CSV vs the raw bulk insert of the same number of rows
    day2, day3 = dt.datetime(2025, 6, 11), dt.datetime(2025, 6, 12)
    csv_text = synth.render_csv([synth.generate(s, day2, 1) for s in province]).encode()
    t0 = time.perf_counter()
    csv_batch = ingest([FileInput("tinh.csv", csv_text)], source="upload", now=dt.datetime(2030, 1, 1),
                       registry=Registry())  # fmt: skip
    csv_time = time.perf_counter() - t0
    csv_rows = csv_batch.totals["stored"]
    sensors = {
        (station_code, code): pk
        for pk, station_code, code in __import__(
            "xanh.monitoring.models", fromlist=["StationParameter"]
        ).StationParameter.objects.values_list("pk", "station__code", "code")
    }
    raw_rows = []
    for s in province:
        data = synth.generate(s, day3, 1)
        for code, values in data.values.items():
            sensor = sensors[(s.station, code)]
            for moment, value in zip(data.times, values.tolist(), strict=True):
                raw_rows.append((sensor, moment.replace(tzinfo=dt.timezone(dt.timedelta(hours=7))), value, 0))
    raw_rows = raw_rows[:csv_rows]
    if vendor == "PostgreSQL":
        ensure_partitions({(2025, 6)})
        text = "".join(f"{a}\t{b.isoformat(sep=' ')}\t{c!r}\t{d}\n" for a, b, c, d in raw_rows)
        t0 = time.perf_counter()
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(
                "COPY monitoring_measurement (sensor_id, time, value, status) FROM STDIN"
            ) as copy,
        ):
            copy.write(text)
        raw_time = time.perf_counter() - t0
        baseline = "COPY of pre-formatted rows"
    else:
        adapted = [(a, connection.ops.adapt_datetimefield_value(b), c, d) for a, b, c, d in raw_rows]
        raw = connection.connection
        t0 = time.perf_counter()
        raw.execute("BEGIN")
        raw.executemany(
            "INSERT INTO monitoring_measurement (sensor_id, time, value, status) VALUES (?, ?, ?, ?)", adapted
        )
        raw.execute("COMMIT")
        raw_time = time.perf_counter() - t0
        baseline = "one-transaction executemany of pre-adapted rows"
    section(f"{vendor}: bulk CSV vs raw bulk insert ({csv_rows:,} rows each)")
    csv_rate, raw_rate = csv_rows / csv_time, len(raw_rows) / raw_time
    print(f"CSV ingestion (parse + lookup + load + log): {csv_time:.2f} s = {csv_rate:,.0f} rows/s")
    print(f"raw bulk insert ({baseline}): {raw_time:.2f} s = {raw_rate:,.0f} rows/s")
    print(f"ratio CSV / raw = {csv_rate / raw_rate:.2f}")


def bench_pages(stations: int) -> None:
    """One year of rollups for `stations` stations, then time the public map and a station page."""
    import numpy as np
    from django.db import connection
    from django.test import Client

    from xanh.geo.models import AdminUnit
    from xanh.monitoring import synth
    from xanh.monitoring.aqi.vectorized import station_aqi_arrays
    from xanh.monitoring.models import Station, StationParameter
    from xanh.monitoring.timeutil import local_now

    section(f"PostgreSQL: public map and station page with one year of data for {stations} stations")
    unit = AdminUnit.objects.create(code="BM2", name="Tỉnh Bản Đồ", unit_type="province", is_demo=True)
    province = [
        synth.SynthStation("BN", "STNMT", f"P{k:03d}", "ambient", device_error_rate=0)
        for k in range(stations)
    ]
    register(province, unit)
    end = local_now().replace(minute=0, second=0, microsecond=0)
    start = end - dt.timedelta(days=365)
    t0 = time.perf_counter()
    zone = dt.timezone(dt.timedelta(hours=7))
    hourly_lines, aqi_lines, daily_aqi_lines, daily_lines = [], [], [], []
    for s in province:
        station = Station.objects.get(code=s.station)
        sensors = dict(StationParameter.objects.filter(station=station).values_list("code", "pk"))
        data = synth.generate(s, start, 366)
        seconds = data.seconds()
        arrays = {
            c: (seconds, np.where(data.status[c] == "00", data.values[c], np.nan))
            for c in sensors
            if c in data.values
        }
        grid, hourly, daily = station_aqi_arrays(arrays)
        labels = grid.hour_labels()
        for code, pk in sensors.items():
            means = grid.get(code)
            for k, label in enumerate(labels):
                if label <= end and np.isfinite(means[k]):
                    hourly_lines.append(
                        f"{pk}\t{label.replace(tzinfo=zone).isoformat(sep=' ')}\t{float(means[k])!r}\t12\t12\n"
                    )
            for k, day in enumerate(grid.days()):
                block = means[k * 24 : k * 24 + 24]
                daily_lines.append(
                    f"{pk}\t{day}\t{float(np.nanmean(block)) if np.isfinite(block).any() else 0.0!r}\t24\n"
                )
        for k, label in enumerate(labels):
            if label <= end and hourly.aqi[k] >= 0:
                aqi_lines.append(
                    f"{station.pk}\t{label.replace(tzinfo=zone).isoformat(sep=' ')}\t{hourly.aqi[k]}\t{hourly.dominant_name(k)}\t{{}}\n"
                )
        for k, day in enumerate(grid.days()):
            if daily.aqi[k] >= 0:
                daily_aqi_lines.append(
                    f"{station.pk}\t{day}\t{daily.aqi[k]}\t{daily.dominant_name(k)}\t{{}}\t{{}}\n"
                )
    with connection.cursor() as cursor:
        for table, columns, lines in (
            ("monitoring_hourlyvalue", "sensor_id, hour, mean, n_valid, n_total", hourly_lines),
            ("monitoring_dailyvalue", "sensor_id, day, mean_24h, n_hours", daily_lines),
            ("monitoring_hourlyaqi", "station_id, hour, aqi, dominant, sub_indices", aqi_lines),
            (
                "monitoring_dailyaqi",
                "station_id, day, aqi, dominant, sub_indices, concentrations",
                daily_aqi_lines,
            ),
        ):
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                copy.write("".join(lines))
        cursor.execute("ANALYZE")
    print(
        f"loaded {len(hourly_lines):,} hourly means, {len(aqi_lines):,} hourly indices in {time.perf_counter() - t0:.1f} s"
    )
    client = Client()
    for label, url in (("public map (province page)", f"/quan-trac/tinh/{unit.code}/"),
                       ("station page", f"/quan-trac/tram/{province[min(7, len(province) - 1)].station}/"),
                       ("API station list", "/api/v1/monitoring/stations")):  # fmt: skip
        timings = []
        for _ in range(21):
            t0 = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200, (url, response.status_code)
        print(f"{label}: median {statistics.median(timings[1:]):.0f} ms, max {max(timings[1:]):.0f} ms")


def drop_pg() -> None:
    import psycopg

    with psycopg.connect(PG_SERVER.replace("postgres://", "postgresql://"), autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {PG_NAME} WITH (FORCE)")
        conn.execute(f"CREATE DATABASE {PG_NAME}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="smaller sizes, for a smoke run")
    parser.add_argument("--vendor", choices=["postgresql", "sqlite"], default="postgresql")
    parser.add_argument("--skip-aqi", action="store_true")
    parser.add_argument("--skip-pages", action="store_true")
    args = parser.parse_args()
    stations = 5 if args.quick else 50
    print(
        f"# Monitoring benchmarks — {dt.date.today()} — python {sys.version.split()[0]}, {os.cpu_count()} cores"
    )
    if not args.skip_aqi:
        bench_aqi(3 if args.quick else 100)
    from xanh.monitoring import synth

    files = []
    for k in range(stations):
        data = synth.generate(
            synth.SynthStation("BM", "STNMT", f"K{k:03d}", "ambient"), dt.datetime(2025, 6, 10), 1
        )
        files += [(n, c.encode()) for n, c in synth.render_files(data)]
    bench_parse(files)
    if args.vendor == "postgresql":
        drop_pg()
        base = PG_SERVER.rsplit("/", 1)[0]
        setup_django(f"{base}/{PG_NAME}")
        bench_database("PostgreSQL", stations, args.quick)
        if not args.skip_pages:
            bench_pages(stations)
    else:
        path = Path(tempfile.mkdtemp(prefix="bench-sqlite-")) / "bench.sqlite3"
        setup_django(f"sqlite:///{path}")
        bench_database("SQLite", stations, args.quick)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
