"""QCVN 05:2023/BTNMT limits and exceedance runs (pure)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from xanh.monitoring.limits import Period, ambient_averagings, ambient_limit, exceedance_runs

H = timedelta(hours=1)
T0 = datetime(2025, 12, 31, 20)


def test_pm25_24h_limit_changes_on_1_january_2026() -> None:
    assert ambient_limit("PM2_5", "24h", date(2025, 12, 31)) == 50.0
    assert ambient_limit("PM2_5", "24h", date(2026, 1, 1)) == 45.0
    assert ambient_limit("PM2_5", "year", date(2026, 1, 1)) == 25.0
    assert ambient_limit("O3", "8h", date(2025, 1, 1)) == 120.0
    assert ambient_limit("CO", "1h", date(2025, 1, 1)) == 30000.0
    assert ambient_limit("PM10", "1h", date(2025, 1, 1)) is None
    assert ambient_averagings("SO2") == ("1h", "24h", "year")


def periods(values: list[float | None], limit: float = 100.0) -> list[Period]:
    return [Period(T0 + H * k, T0 + H * (k + 1), v, limit) for k, v in enumerate(values)]


def test_runs() -> None:
    runs = exceedance_runs(periods([50, 120, 150, 90, None, 130, 101, 100]))
    assert [(r.start, r.end, r.periods, r.peak_value, r.peak_at) for r in runs] == [
        (T0 + H, T0 + 3 * H, 2, 150, T0 + 3 * H),
        (T0 + 5 * H, T0 + 7 * H, 2, 130, T0 + 6 * H),
    ]


def test_a_gap_breaks_a_run() -> None:
    first = Period(T0, T0 + H, 120, 100)
    later = Period(T0 + 2 * H, T0 + 3 * H, 120, 100)
    assert len(exceedance_runs([first, later])) == 2


def test_limit_change_inside_a_run() -> None:
    days = [
        Period(
            datetime(2025, 12, 31),
            datetime(2026, 1, 1),
            48.0,
            ambient_limit("PM2_5", "24h", date(2025, 12, 31)),
        ),
        Period(
            datetime(2026, 1, 1), datetime(2026, 1, 2), 48.0, ambient_limit("PM2_5", "24h", date(2026, 1, 1))
        ),
    ]
    runs = exceedance_runs(days)
    assert len(runs) == 1 and runs[0].start == datetime(2026, 1, 1) and runs[0].limit == 45.0
