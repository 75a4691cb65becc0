"""Demonstration stations of the demo province, with a few days of generated (invented) data up to now.

Idempotent: the registry is get-or-create, and the generator gives the same readings for the same moments
(synth.py), so a second run stores nothing new and re-sent files are logged as unchanged.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, TextIO

from xanh.agencies.models import Agency

from . import synth
from .ingest import FileInput
from .models import Facility, IngestSource, Station, StationKind, StationParameter
from .services import ingest_files
from .timeutil import local_now

DEMO_DAYS = 2
PROVINCE_CODE = "LV"  # file-name code of the demo province
AMBIENT_UNITS = {"PM2_5": "µg/m3", "PM10": "µg/m3", "O3": "µg/m3", "CO": "µg/m3", "SO2": "µg/m3",
                 "NO2": "µg/m3", "Temp": "°C", "RH": "%"}  # fmt: skip
STACK_UNITS = {"Flow": "m3/h", "Temp": "°C", "O2": "%", "PM": "mg/Nm3", "SO2": "mg/Nm3", "NOx": "mg/Nm3",
               "CO": "mg/Nm3"}  # fmt: skip
# Permitted limits of the invented permits, mg/Nm³, in the range of QCVN 19:2009/BTNMT column B values (dust 200,
# SO2 500, NOx 850, CO 1000) scaled by the usual regional and flow coefficients; invented for the demo.
STACK_LIMITS = {"PM": 60.0, "SO2": 400.0, "NOx": 700.0, "CO": 300.0}

AMBIENT = [
    ("KK01", "Trạm Quảng trường Trung tâm", 21.312, 106.205, 1.25, "Phường Trung Tâm"),
    ("KK02", "Trạm Khu công nghiệp Nam Lục", 21.255, 106.262, 1.1, "Khu công nghiệp Nam Lục"),
    ("KK03", "Trạm Hồ Vân", 21.355, 106.148, 0.8, "Công viên Hồ Vân"),
    ("KK04", "Trạm Đồi Chè", 21.401, 106.301, 0.65, "Xã Đồi Chè"),
]
FACILITIES = [
    ("XMTHANHSON", "Nhà máy Xi măng Thanh Sơn (minh họa)", "123/GPMT-UBND", "OK01", 21.236, 106.318),
    ("NDKHUCONG", "Nhà máy Nhiệt điện Khu Công (minh họa)", "45/GPMT-BNNMT", "OK02", 21.281, 106.117),
]


def _ensure_station(
    unit: Any,
    code: str,
    name: str,
    kind: str,
    lat: float,
    lon: float,
    facility: Facility | None,
    **extra: Any,
) -> Station:
    station = Station.objects.filter(code=code).first()
    if station is None:
        station = Station(
            admin_unit=unit,
            code=code,
            name=name,
            kind=kind,
            facility=facility,
            logger_province=PROVINCE_CODE,
            logger_facility=facility.code if facility else "STNMT",
            logger_station=code,
            latitude=lat,
            longitude=lon,
            is_demo=True,
            **extra,
        )
        station._change_reason = "Nạp dữ liệu minh họa"  # type: ignore[attr-defined]
        station.save()
    units = STACK_UNITS if kind == StationKind.STACK else AMBIENT_UNITS
    for parameter, unit_name in units.items():
        limit = STACK_LIMITS.get(parameter) if kind == StationKind.STACK else None
        StationParameter.objects.get_or_create(
            station=station,
            code=parameter,
            defaults={
                "unit": unit_name,
                "limit_value": limit,
                "limit_source": f"Giấy phép môi trường {facility.permit_number} (minh họa)"
                if facility and limit
                else "",
            },
        )
    return station


def demo_synth_stations() -> list[synth.SynthStation]:
    stations = [
        synth.SynthStation(PROVINCE_CODE, "STNMT", code, "ambient", level=level)
        for code, _name, _lat, _lon, level, _loc in AMBIENT
    ]
    stations += [
        synth.SynthStation(PROVINCE_CODE, fcode, scode, "stack")
        for fcode, _n, _p, scode, _a, _b in FACILITIES
    ]
    return stations


def load_demo(
    *, province_unit: Any, plan: Any = None, stdout: TextIO | None = None, days: int = DEMO_DAYS
) -> None:
    agency = Agency.objects.filter(admin_unit=province_unit, key="so-nnmt").first()
    for code, name, lat, lon, _level, location in AMBIENT:
        _ensure_station(province_unit, code, name, StationKind.AMBIENT, lat, lon, None, owner_agency=agency,
                        location=location)  # fmt: skip
    for fcode, fname, permit, scode, lat, lon in FACILITIES:
        facility, _ = Facility.objects.get_or_create(
            admin_unit=province_unit,
            code=fcode,
            defaults={
                "name": fname,
                "permit_number": permit,
                "is_large_source": True,
                "is_demo": True,
                "contact_emails": f"moitruong@{fcode.lower()}.example.invalid",
            },
        )
        _ensure_station(
            province_unit, scode, f"Ống khói chính — {fname}", StationKind.STACK, lat, lon, facility
        )
    now = local_now()
    end_day = now.date()
    start = dt.datetime.combine(end_day - dt.timedelta(days=days - 1), dt.time())
    files: list[FileInput] = []
    for station in demo_synth_stations():
        data = synth.generate(station, start, days)
        for name, content in synth.render_files(data):
            moment = dt.datetime.strptime(name.rsplit("_", 1)[1][:14], "%Y%m%d%H%M%S")
            if moment <= now:
                files.append(FileInput(name, content.encode()))
    batch, _processed = ingest_files(user=None, files=files, source=IngestSource.DEMO, now=now)
    if stdout is not None:
        totals = batch.totals
        stdout.write(
            f"Quan trắc tự động: {len(demo_synth_stations())} trạm minh họa, {totals['files']} tệp, "
            f"{totals['stored']} giá trị mới, {totals['unchanged']} giá trị đã có.\n"
        )
