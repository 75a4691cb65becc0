"""Background jobs of the reports app (Django Tasks API; the database backend runs them in `xanh db_worker`)."""

from __future__ import annotations

from typing import Any

from django_tasks import task


@task()
def generate_report(job_id: int) -> dict[str, Any]:
    """Generate the synthesis report of a ``ReportJob`` and attach the file to it."""
    from xanh.reports.services import run_report_job

    return run_report_job(job_id)
