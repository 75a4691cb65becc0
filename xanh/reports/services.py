"""Synthesis report services: build the content, render it, and run generation as a background job.

``build_synthesis(plan, period)`` is the one way to get a report's content; the CLI (``xanh report synthesize``), the
background job behind the plan page's button and the benchmark all call it and the same renderers.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from xanh.accounts import permissions
from xanh.accounts.models import Role
from xanh.core.errors import Problem, ValidationFailed
from xanh.plans.models import Plan
from xanh.reports.charts import report_charts
from xanh.reports.collect import collect_facts, parse_report_period
from xanh.reports.compose import compose_synthesis
from xanh.reports.content import ReportKind, SynthesisReport
from xanh.reports.models import ACTIVE_STATUSES, JobStatus, ReportFormat, ReportJob

logger = logging.getLogger(__name__)

Progress = Callable[[int, str], None]


@dataclass(frozen=True)
class FormatSpec:
    extension: str
    content_type: str
    label: str


FORMATS: dict[str, FormatSpec] = {
    "docx": FormatSpec(
        "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word (DOCX)"
    ),
    "xlsx": FormatSpec(
        "xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel (XLSX)"
    ),
    "pdf": FormatSpec("pdf", "application/pdf", "PDF"),
}


def _noop(percent: int, message: str) -> None:
    return None


def check_format(fmt: str) -> str:
    value = (fmt or "").strip().lower().lstrip(".")
    if value not in FORMATS:
        raise ValidationFailed(
            [Problem(f"Định dạng «{fmt}» không hỗ trợ; chọn docx, xlsx hoặc pdf.", column="định dạng")]
        )
    return value


def check_kind(kind: str | ReportKind) -> ReportKind:
    try:
        return ReportKind(kind)
    except ValueError as exc:
        raise ValidationFailed(
            [
                Problem(
                    f"Loại báo cáo «{kind}» không hợp lệ; chọn annual, midterm hoặc final.",
                    column="loại báo cáo",
                )
            ]
        ) from exc


# --- permissions ----------------------------------------------------------------------------------------------


def can_generate_report(user: Any, plan: Plan) -> bool:
    """Coordinators of the plan's unit and administrators generate reports (they are the focal point's work)."""
    return permissions.can_manage_plan(user, plan)


def can_download_report(user: Any, plan: Plan) -> bool:
    """Coordinators, administrators and viewers download generated reports of plans they can see."""
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return False
    if not Plan.objects.visible_to(user).filter(pk=plan.pk).exists():
        return False
    return permissions.can_see_drafts(user) or getattr(user, "role", None) == Role.VIEWER


# --- content and files ----------------------------------------------------------------------------------------


def build_synthesis(
    plan: Plan,
    period: str,
    *,
    kind: ReportKind | str = ReportKind.ANNUAL,
    issued_on: dt.date | None = None,
    progress: Progress | None = None,
) -> SynthesisReport:
    """The content of the synthesis report of ``plan`` for ``period`` ("2025"): facts, charts, composed text."""
    progress = progress or _noop
    facts = collect_facts(plan, period, kind=check_kind(kind), issued_on=issued_on, progress=progress)
    progress(50, "Đang vẽ biểu đồ")
    charts = report_charts(facts, progress)
    progress(78, "Đang soạn nội dung báo cáo")
    return compose_synthesis(facts, charts)


def render_report(report: SynthesisReport, fmt: str, *, progress: Progress | None = None) -> bytes:
    fmt = check_format(fmt)
    progress = progress or _noop
    if fmt == "docx":
        from xanh.reports.render_docx import render_docx

        return render_docx(report, progress)
    if fmt == "xlsx":
        from xanh.reports.render_xlsx import render_xlsx

        progress(85, "Đang tạo tệp Excel")
        return render_xlsx(report)
    from xanh.reports.render_pdf import render_pdf

    progress(82, "Đang dàn trang PDF")
    return render_pdf(report)


def filename_for(report: SynthesisReport, fmt: str) -> str:
    return f"{report.file_stem}.{FORMATS[check_format(fmt)].extension}"


def synthesize(
    plan: Plan,
    period: str,
    fmt: str,
    *,
    kind: ReportKind | str = ReportKind.ANNUAL,
    issued_on: dt.date | None = None,
    progress: Progress | None = None,
) -> tuple[bytes, SynthesisReport]:
    fmt = check_format(fmt)
    report = build_synthesis(plan, period, kind=kind, issued_on=issued_on, progress=progress)
    return render_report(report, fmt, progress=progress), report


# --- background jobs ------------------------------------------------------------------------------------------


def request_report(
    *, user: Any, plan: Plan, period: str, fmt: str, kind: str = ReportKind.ANNUAL
) -> ReportJob:
    """Queue the generation of a report. An identical request still waiting or running is returned instead of a
    second job."""
    permissions.require(
        can_generate_report(user, plan), "Chỉ cơ quan đầu mối hoặc quản trị hệ thống được tạo báo cáo."
    )
    fmt = check_format(fmt)
    report_kind = check_kind(kind)
    parsed = parse_report_period(plan, period)
    with transaction.atomic():
        existing = (
            ReportJob.objects.select_for_update()
            .filter(
                plan=plan, period=parsed.code, kind=report_kind.value, format=fmt, status__in=ACTIVE_STATUSES
            )
            .first()
        )
        if existing is not None:
            return existing
        job = ReportJob.objects.create(
            plan=plan,
            period=parsed.code,
            kind=report_kind.value,
            format=fmt,
            requested_by=user if getattr(user, "pk", None) else None,
            message="Đang chờ xử lý",
        )
    # Enqueued after the job row is committed: with the database backend the worker picks it up from the same
    # database; with the immediate backend (tests) it runs here, outside the transaction above.
    from xanh.reports.tasks import generate_report

    try:
        result = generate_report.enqueue(job.pk)
    except (
        Exception
    ) as exc:  # the queue is unreachable: say so on the job instead of leaving it waiting forever
        logger.exception("could not enqueue report job %s", job.pk)
        _fail(job.pk, "Không đưa được yêu cầu vào hàng đợi xử lý nền.", exc)
    else:
        ReportJob.objects.filter(pk=job.pk, task_result_id="").update(task_result_id=str(result.id)[:64])
    job.refresh_from_db()
    return job


class _JobProgress:
    """Writes progress to the job row, at most every few percent or half second, so polling sees it move without
    a write per step."""

    def __init__(self, job_id: int) -> None:
        self.job_id = job_id
        self.percent = -1
        self.message = ""
        self.at = 0.0

    def __call__(self, percent: int, message: str) -> None:
        percent = max(0, min(int(percent), 99))
        now = time.monotonic()
        if percent < self.percent:
            return
        if percent - self.percent < 3 and now - self.at < 0.5 and message == self.message:
            return
        self.percent, self.message, self.at = percent, message, now
        ReportJob.objects.filter(pk=self.job_id).update(progress=percent, message=message[:255])


def _fail(job_id: int, message: str, exc: BaseException | None = None) -> None:
    ReportJob.objects.filter(pk=job_id).update(
        status=JobStatus.FAILED,
        message=message[:255],
        error=repr(exc)[:4000] if exc else "",
        finished_at=timezone.now(),
    )


def run_report_job(job_id: int) -> dict[str, Any]:
    """The body of the background job: generate the file and attach it to the job."""
    claimed = ReportJob.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, started_at=timezone.now(), progress=1, message="Bắt đầu tạo báo cáo"
    )
    if not claimed:
        return {"job": job_id, "status": "skipped"}
    job = ReportJob.objects.select_related("plan").get(pk=job_id)
    progress = _JobProgress(job_id)
    try:
        content, report = synthesize(job.plan, job.period, job.format, kind=job.kind, progress=progress)
    except ValidationFailed as exc:
        _fail(job_id, "Không tạo được báo cáo: " + "; ".join(str(p) for p in exc.problems), exc)
        return {"job": job_id, "status": JobStatus.FAILED}
    except Exception as exc:
        logger.exception("report job %s failed", job_id)
        _fail(
            job_id, "Không tạo được báo cáo do lỗi hệ thống; quản trị viên xem chi tiết trong nhật ký.", exc
        )
        return {"job": job_id, "status": JobStatus.FAILED}
    job.file.save(filename_for(report, job.format), ContentFile(content), save=False)
    reviews = len(report.review_items())
    ReportJob.objects.filter(pk=job_id).update(
        file=job.file.name,
        filename=filename_for(report, job.format),
        size=len(content),
        review_count=reviews,
        status=JobStatus.SUCCEEDED,
        progress=100,
        message=f"Đã tạo xong; {reviews} nội dung cần rà soát trước khi ban hành."
        if reviews
        else "Đã tạo xong.",
        finished_at=timezone.now(),
    )
    return {"job": job_id, "status": JobStatus.SUCCEEDED, "size": len(content), "review_count": reviews}


def jobs_for(plan: Plan, *, limit: int = 5) -> list[ReportJob]:
    return list(ReportJob.objects.filter(plan=plan).select_related("requested_by")[:limit])


def default_period(plan: Plan, today: dt.date | None = None) -> str:
    """The year a report is most likely wanted for: last year (annual reports are written early in the next year),
    kept inside the plan's period."""
    today = today or timezone.localdate()
    return str(min(max(today.year - 1, plan.period_start), plan.period_end))


def period_choices(plan: Plan, today: dt.date | None = None) -> list[str]:
    today = today or timezone.localdate()
    last = min(plan.period_end, max(today.year, plan.period_start))
    return [str(year) for year in range(last, plan.period_start - 1, -1)]


__all__ = [
    "FORMATS",
    "ReportFormat",
    "build_synthesis",
    "can_download_report",
    "can_generate_report",
    "render_report",
    "request_report",
    "run_report_job",
    "synthesize",
]
