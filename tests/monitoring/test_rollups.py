"""Dirty-hour processing: hourly means, VN_AQI identical to the pure path, late data, operator flags, exceedances,
notifications and indicators."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from tests.factories import CoordinatorFactory
from xanh.indicators.models import IndicatorValue, ValueSource
from xanh.monitoring import services
from xanh.monitoring.aqi.series import hourly_means, station_aqi
from xanh.monitoring.ingest import FileInput
from xanh.monitoring.models import (
    DailyAqi,
    DirtyHour,
    ExceedanceEvent,
    HourlyAqi,
    HourlyValue,
    QaFlag,
)
from xanh.monitoring.synth import generate
from xanh.monitoring.timeutil import aware, naive_local

from .conftest import AMBIENT

DAY = dt.datetime(2025, 3, 10)
NOW = dt.datetime(2025, 3, 13)


def ingest(files, process=True):  # type: ignore[no-untyped-def]
    return services.ingest_files(user=None, files=files, process=process, now=NOW)


def stored_hourly_aqi(station) -> dict[dt.datetime, int | None]:  # type: ignore[no-untyped-def]
    return {
        naive_local(h): a for h, a in HourlyAqi.objects.filter(station=station).values_list("hour", "aqi")
    }


def test_rollups_and_aqi_match_the_pure_path(stations, make_files) -> None:  # type: ignore[no-untyped-def]
    _, processed = ingest(make_files("ambient", DAY, 2))
    assert processed is not None and processed.hours == 48
    assert not DirtyHour.objects.exists()
    data = generate(AMBIENT, DAY, 2)
    series = {
        code: hourly_means(
            [
                (t, v)
                for t, v, s, ok in zip(
                    data.times, data.values[code], data.status[code], data.sent, strict=True
                )
                if s == "00" and ok
            ]
        )
        for code in ("PM2_5", "PM10", "O3", "CO", "SO2", "NO2")
    }
    pm = HourlyValue.objects.filter(sensor__code="PM2_5", mean__isnull=False)
    for row in pm:
        assert row.mean == pytest.approx(series["PM2_5"][naive_local(row.hour)])
    hourly, daily = station_aqi(series)
    stored = stored_hourly_aqi(stations["ambient"])
    assert stored and all(stored[h] == hourly[h].aqi for h in stored)
    day_rows = dict(DailyAqi.objects.values_list("day", "aqi"))
    assert day_rows[DAY.date()] == daily[DAY.date()].aqi is not None


def test_late_files_recompute_only_what_they_touch(stations, make_files) -> None:  # type: ignore[no-untyped-def]
    files = make_files("ambient", DAY, 1)
    late = [f for f in files if "20250310100" in f.name or "20250310095" in f.name]  # 09:50 … 10:05
    ingest([f for f in files if f not in late])
    before = stored_hourly_aqi(stations["ambient"])
    _, processed = ingest(late)
    assert processed is not None and processed.dirty_hours == 2  # hours ending 10:00 and 11:00
    after = stored_hourly_aqi(stations["ambient"])
    reference = HourlyAqi.objects.none()
    HourlyAqi.objects.all().delete()
    HourlyValue.objects.all().delete()
    ingest(files)  # everything again (unchanged measurements: no dirty hour) …
    assert not HourlyAqi.objects.exists() and reference.count() == 0
    services.rollups.process_block(stations["ambient"], sorted(before | after))  # type: ignore[operator]
    full = stored_hourly_aqi(stations["ambient"])
    assert after == {h: full[h] for h in after}


def test_operator_flag_excludes_a_period_and_revoking_restores_it(
    stations, make_files, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    ingest(make_files("ambient", DAY, 1))
    coordinator = CoordinatorFactory(admin_unit=stations["ambient"].admin_unit)
    hour = HourlyValue.objects.get(sensor__code="PM2_5", hour=aware(DAY + dt.timedelta(hours=10)))
    assert hour.mean is not None
    with django_capture_on_commit_callbacks(execute=True):
        flag = services.flag_invalid(
            user=coordinator,
            station=stations["ambient"],
            start=DAY + dt.timedelta(hours=9, minutes=1),
            end=DAY + dt.timedelta(hours=10),
            parameters=["PM2_5"],
            reason="Máy lấy mẫu bị tắc",
        )
    hour.refresh_from_db()
    assert hour.mean is None and hour.n_valid == 0 and hour.n_total == 12
    other = HourlyValue.objects.get(sensor__code="PM10", hour=aware(DAY + dt.timedelta(hours=10)))
    assert other.mean is not None
    with django_capture_on_commit_callbacks(execute=True):
        services.revoke_flag(user=coordinator, flag=flag, reason="Nhầm")
    hour.refresh_from_db()
    assert hour.mean is not None
    assert flag.history.count() == 2


def test_operator_flag_validation_and_permission(stations) -> None:  # type: ignore[no-untyped-def]
    from django.core.exceptions import PermissionDenied

    from tests.factories import UserFactory
    from xanh.core.errors import ValidationFailed

    coordinator = CoordinatorFactory(admin_unit=stations["ambient"].admin_unit)
    with pytest.raises(ValidationFailed) as error:
        services.flag_invalid(
            user=coordinator, station=stations["ambient"], start=DAY, end=DAY - dt.timedelta(hours=1),
            parameters=["XX"], reason=" ",
        )  # fmt: skip
    assert {p.column for p in error.value.problems} == {"reason", "end", "parameters"}
    with pytest.raises(PermissionDenied):
        services.flag_invalid(user=UserFactory(), station=stations["ambient"], start=DAY, end=DAY, reason="x")


def test_automatic_qa_flags_statuses_and_spikes(stations, make_files) -> None:  # type: ignore[no-untyped-def]
    files = make_files("ambient", DAY, 1)
    text = files[100].content.decode().replace("\t00\n", "\t02\n", 1)  # PM2,5 reports a device error
    files[100] = FileInput(files[100].name, text.encode())
    lines = files[150].content.decode().splitlines()
    symbol, _value, unit, stamp, status = lines[5].split("\t")  # NO2
    lines[5] = "\t".join([symbol, "900.0", unit, stamp, status])
    files[150] = FileInput(files[150].name, ("\n".join(lines) + "\n").encode())
    ingest(files)
    kinds = dict(QaFlag.objects.values_list("kind", "parameters"))
    assert kinds["device_error"] == ["PM2_5"]
    assert kinds["spike"] == ["NO2"]


def test_ambient_exceedance_event(stations, make_files) -> None:  # type: ignore[no-untyped-def]
    files = make_files("ambient", DAY, 2)
    boosted = []
    for f in files:  # PM2,5 at 80 µg/m³ for two days: 24-h means above 50
        lines = f.content.decode().splitlines()
        symbol, _value, unit, stamp, status = lines[0].split("\t")
        lines[0] = "\t".join([symbol, "80.0" if int(stamp[-6:-4]) % 2 else "81.0", unit, stamp, status])
        boosted.append(FileInput(f.name, ("\n".join(lines) + "\n").encode()))
    ingest(boosted)
    events = list(ExceedanceEvent.objects.filter(sensor__code="PM2_5", averaging="24h"))
    assert len(events) == 1
    event = events[0]
    assert naive_local(event.start) == DAY and naive_local(event.end) == DAY + dt.timedelta(days=2)
    assert event.periods == 2 and event.limit_value == 50.0 and event.limit_source == "QCVN 05:2023/BTNMT"
    assert event.peak_value == pytest.approx(80.5, abs=0.5)
    assert event.notified_at is None  # old data: recorded without mail
    assert mail.outbox == []


def test_stack_exceedance_is_mailed_to_coordinator_and_facility(stations, make_files, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    CoordinatorFactory(admin_unit=stations["stack"].admin_unit, email="dieuphoi@example.invalid")
    monkeypatch.setattr("xanh.monitoring.exceedances.NOTIFY_WITHIN", dt.timedelta(days=100000))
    files = make_files("stack", DAY, 1)
    changed = []
    for f in files:
        text = f.content.decode()
        if "202503101005" <= f.name[-18:-6] <= "202503101200":  # hours ending 11:00 and 12:00: SO2 900 mg/Nm3
            lines = text.splitlines()
            symbol, _v, unit, stamp, status = lines[4].split("\t")
            lines[4] = "\t".join([symbol, "900.00", unit, stamp, status])
            text = "\n".join(lines) + "\n"
        changed.append(FileInput(f.name, text.encode()))
    ingest(changed)
    event = ExceedanceEvent.objects.get(sensor__code="SO2")
    assert event.averaging == "1h" and event.limit_value == 400.0 and "1/GPMT" in event.limit_source
    assert event.notified_at is not None
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert set(message.to) == {"dieuphoi@example.invalid", "moitruong@nhamay.example.invalid"}
    assert "SO2" in message.body and "400" in message.body and "OK01" in message.subject
    # re-processing the same hours changes nothing and does not mail again
    services.rollups.process_block(stations["stack"], [DAY + dt.timedelta(hours=11)])
    assert len(mail.outbox) == 1 and ExceedanceEvent.objects.count() == 1


def test_indicators_are_written_with_source_monitoring(stations, make_files) -> None:  # type: ignore[no-untyped-def]
    ingest(make_files("ambient", DAY, 2))
    coordinator = CoordinatorFactory(admin_unit=stations["ambient"].admin_unit)
    counts = services.publish_indicators(
        user=coordinator, province_unit=stations["ambient"].admin_unit, year=2025
    )
    assert counts["created"] >= 4
    values = {
        (v.indicator.code, v.disaggregation): v
        for v in IndicatorValue.objects.filter(source=ValueSource.MONITORING).select_related("indicator")
    }
    share = values[("QT-AQI-TOT-TB", "station=KK01")]
    assert 0 <= share.value <= 100 and share.period == "2025" and "tạm tính" in share.note
    assert ("QT-PM25-TBNAM", "") in values and ("QT-NGAY-VUOT", "") in values
    assert values[("QT-PM25-TBNAM", "station=KK01")].unit == "µg/m³"
    again = services.publish_indicators(
        user=coordinator, province_unit=stations["ambient"].admin_unit, year=2025
    )
    assert again["unchanged"] == sum(counts.values())
