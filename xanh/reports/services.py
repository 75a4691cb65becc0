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

from django.conf import settings
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


# --- retention ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PruneSummary:
    expired: int  # files removed (their jobs stay, marked "expired", for the record)
    freed_bytes: int
    stale_failed: int  # jobs stuck waiting or running, marked failed
    kept: int  # succeeded jobs whose files stay


def prune_report_files(
    *,
    keep_latest: int | None = None,
    keep_days: int | None = None,
    stale_minutes: int | None = None,
    now: dt.datetime | None = None,
    dry_run: bool = False,
) -> PruneSummary:
    """Apply the retention policy to generated reports (``xanh report prune``, meant to run nightly).

    Per plan, period, kind and format the newest ``keep_latest`` succeeded files are always kept; an older file is
    removed once it is ``keep_days`` old. Its job row stays, marked "expired", so the history of who generated what
    and when is not lost. Jobs still waiting or running ``stale_minutes`` after they were requested (a worker was
    stopped mid-job) are marked failed so that people can ask again. Files are deleted only after the rows are
    committed: a failed run never leaves a job pointing at a missing file."""
    keep_latest = settings.XANH_REPORT_KEEP_LATEST if keep_latest is None else keep_latest
    keep_days = settings.XANH_REPORT_KEEP_DAYS if keep_days is None else keep_days
    stale_minutes = settings.XANH_REPORT_STALE_MINUTES if stale_minutes is None else stale_minutes
    if keep_latest < 1 or keep_days < 0 or stale_minutes < 1:
        raise ValidationFailed(
            [
                Problem(
                    "Chính sách lưu trữ không hợp lệ: phải giữ ít nhất 1 tệp, số ngày không âm và số phút từ 1 trở lên."
                )
            ]
        )
    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=keep_days)
    rows = (
        ReportJob.objects.filter(status=JobStatus.SUCCEEDED)
        .exclude(file="")
        .order_by("plan_id", "period", "kind", "format", "-finished_at", "-id")
        .values_list("pk", "plan_id", "period", "kind", "format", "finished_at", "file", "size")
    )
    seen: dict[tuple[int, str, str, str], int] = {}
    expire: list[tuple[int, str, int]] = []
    kept = 0
    for pk, plan_id, period, kind, fmt, finished_at, name, size in rows:
        key = (plan_id, period, kind, fmt)
        seen[key] = seen.get(key, 0) + 1
        if seen[key] > keep_latest and finished_at is not None and finished_at < cutoff:
            expire.append((pk, name, size or 0))
        else:
            kept += 1
    stale = ReportJob.objects.filter(
        status__in=ACTIVE_STATUSES, created_at__lt=now - dt.timedelta(minutes=stale_minutes)
    )
    stale_count = stale.count()
    if dry_run:
        return PruneSummary(len(expire), sum(size for _, _, size in expire), stale_count, kept)
    day = timezone.localtime(now).strftime("%d/%m/%Y")
    with transaction.atomic():
        stale_count = stale.update(
            status=JobStatus.FAILED,
            message="Quá thời gian xử lý (bộ xử lý nền đã dừng giữa chừng); hãy yêu cầu tạo lại.",
            finished_at=now,
        )
        ReportJob.objects.filter(pk__in=[pk for pk, _, _ in expire]).update(
            status=JobStatus.EXPIRED,
            file="",
            message=f"Tệp đã được dọn ngày {day} theo chính sách lưu trữ; hãy tạo lại nếu cần.",
        )
        names = [name for _, name, _ in expire]
        transaction.on_commit(lambda: _delete_files(names))
    return PruneSummary(len(expire), sum(size for _, _, size in expire), stale_count, kept)


def _delete_files(names: list[str]) -> None:
    storage = ReportJob._meta.get_field("file").storage  # type: ignore[attr-defined]
    for name in names:
        try:
            storage.delete(name)
        except OSError:  # already gone, or the disk refuses: the row no longer points at it either way
            logger.warning("could not delete report file %s", name, exc_info=True)


def delete_job_file(sender: type[ReportJob], instance: ReportJob, **kwargs: Any) -> None:
    """post_delete: a job removed with its plan takes its file with it, once the deletion is committed."""
    if instance.file:
        name = instance.file.name
        transaction.on_commit(lambda: _delete_files([name]))


__all__ = [
    "FORMATS",
    "PruneSummary",
    "ReportFormat",
    "build_synthesis",
    "can_download_report",
    "can_generate_report",
    "prune_report_files",
    "render_report",
    "request_report",
    "run_report_job",
    "synthesize",
]
