"""Fixtures of the monitoring tests: a province with an ambient and a stack station, and generated files."""

from __future__ import annotations

import datetime as dt

import pytest

from xanh.monitoring import synth
from xanh.monitoring.ingest import FileInput


@pytest.fixture(autouse=True)
def _archive_in_tmp(settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.XANH_MONITORING_ARCHIVE_DIR = tmp_path / "archive"


@pytest.fixture
def province(db):  # type: ignore[no-untyped-def]
    from tests.factories import AdminUnitFactory

    return AdminUnitFactory(code="T77", name="Thử Nghiệm")


@pytest.fixture
def stations(province):  # type: ignore[no-untyped-def]
    from xanh.monitoring.models import Facility, Station, StationParameter

    ambient = Station.objects.create(
        admin_unit=province,
        code="KK01",
        name="Trạm Trung tâm",
        kind="ambient",
        logger_province="TN",
        logger_facility="STNMT",
        logger_station="KK01",
        latitude=21.0,
        longitude=105.8,
    )
    for code, unit in {"PM2_5": "µg/m3", "PM10": "µg/m3", "O3": "µg/m3", "CO": "µg/m3", "SO2": "µg/m3",
                       "NO2": "µg/m3", "Temp": "°C", "RH": "%"}.items():  # fmt: skip
        StationParameter.objects.create(station=ambient, code=code, unit=unit)
    facility = Facility.objects.create(
        admin_unit=province,
        code="NHAMAY",
        name="Nhà máy Thử",
        permit_number="1/GPMT",
        is_large_source=True,
        contact_emails="moitruong@nhamay.example.invalid",
    )
    stack = Station.objects.create(
        admin_unit=province,
        code="OK01",
        name="Ống khói",
        kind="stack",
        facility=facility,
        logger_province="TN",
        logger_facility="NHAMAY",
        logger_station="OK01",
        latitude=21.05,
        longitude=105.85,
    )
    limits = {"SO2": 400.0, "PM": 60.0, "NOx": 700.0, "CO": 300.0}
    for code, unit in {"Flow": "m3/h", "Temp": "°C", "O2": "%", "PM": "mg/Nm3", "SO2": "mg/Nm3", "NOx": "mg/Nm3",
                       "CO": "mg/Nm3"}.items():  # fmt: skip
        StationParameter.objects.create(station=stack, code=code, unit=unit, limit_value=limits.get(code))
    return {"ambient": ambient, "stack": stack}


AMBIENT = synth.SynthStation("TN", "STNMT", "KK01", "ambient", device_error_rate=0)
STACK = synth.SynthStation("TN", "NHAMAY", "OK01", "stack", device_error_rate=0)


def files_for(
    station: synth.SynthStation, start: dt.datetime, days: int, **kwargs: object
) -> list[FileInput]:
    data = synth.generate(station, start, days, **kwargs)  # type: ignore[arg-type]
    return [FileInput(name, content.encode()) for name, content in synth.render_files(data)]


@pytest.fixture
def make_files():  # type: ignore[no-untyped-def]
    """make_files("ambient" | "stack", start, days) -> FileInput list of generated datalogger files."""

    def make(kind: str, start: dt.datetime, days: int = 1, **kwargs: object) -> list[FileInput]:
        return files_for(AMBIENT if kind == "ambient" else STACK, start, days, **kwargs)

    return make
