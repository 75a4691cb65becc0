"""Pages of the synthesis report: request a report (button on the plan page), follow its progress, download it."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from xanh.core.errors import ValidationFailed
from xanh.plans.models import Plan
from xanh.reports import services
from xanh.reports.models import ReportJob


def _job_context(request: HttpRequest, job: ReportJob) -> dict[str, object]:
    return {
        "job": job,
        "plan": job.plan,
        "can_download": services.can_download_report(request.user, job.plan),
    }


@require_POST
@login_required
def request_report(request: HttpRequest, plan_pk: int) -> HttpResponse:
    plan = get_object_or_404(Plan.objects.visible_to(request.user), pk=plan_pk)
    if not services.can_generate_report(request.user, plan):
        raise PermissionDenied("Chỉ cơ quan đầu mối hoặc quản trị hệ thống được tạo báo cáo.")
    try:
        job = services.request_report(
            user=request.user,
            plan=plan,
            period=request.POST.get("period", ""),
            fmt=request.POST.get("format", ""),
            kind=request.POST.get("kind", "annual") or "annual",
        )
    except ValidationFailed as exc:
        context = {"plan": plan, "problems": exc.problems}
        if getattr(request, "htmx", False):
            # htmx does not swap error responses by default; the fragment itself says what is wrong
            return render(request, "reports/job_error.html", context)
        return render(request, "reports/request_error.html", context, status=400)
    if getattr(request, "htmx", False):
        return render(request, "reports/job_created.html", _job_context(request, job))
    return redirect(job.get_absolute_url())


@require_GET
@login_required
def job_detail(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(ReportJob.objects.select_related("plan", "requested_by"), pk=pk)
    if not Plan.objects.visible_to(request.user).filter(pk=job.plan_id).exists():
        raise Http404
    if not (
        services.can_generate_report(request.user, job.plan)
        or services.can_download_report(request.user, job.plan)
    ):
        raise PermissionDenied
    template = "reports/job_status.html" if getattr(request, "htmx", False) else "reports/job_page.html"
    return render(request, template, _job_context(request, job))


@require_GET
@login_required
def download(request: HttpRequest, pk: int) -> FileResponse:
    job = get_object_or_404(ReportJob.objects.select_related("plan"), pk=pk)
    if not services.can_download_report(request.user, job.plan):
        raise PermissionDenied("Bạn không có quyền tải báo cáo này.")
    if not job.succeeded or not job.file:
        raise Http404("Báo cáo chưa được tạo xong.")
    spec = services.FORMATS[job.format]
    response = FileResponse(
        job.file.open("rb"), as_attachment=True, filename=job.filename, content_type=spec.content_type
    )
    response["Cache-Control"] = "private, no-store"
    return response
