"""Background jobs of monitoring (Django Tasks API; `xanh db_worker` runs them)."""

from __future__ import annotations

from typing import Any

from django_tasks import task


@task()
def process_queue() -> dict[str, Any]:
    """Process the dirty-hour queue (QA, rollups, VN_AQI, exceedances)."""
    from xanh.monitoring.services import process_queue as run

    result = run()
    return {"stations": result.stations, "hours": result.hours, "events": result.events}
