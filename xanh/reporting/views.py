"""Reporting screens. Views are thin: they load what a page shows (with a fixed number of queries) and call services
for every write. Objects a user may not see answer 404, so their existence does not leak."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, IntegerField, Max, OuterRef, Prefetch, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from xanh.accounts import permissions
from xanh.core.audit import AuditEntry, FieldChange, history_of
from xanh.core.errors import ValidationFailed
from xanh.core.numbers import format_number_vi
from xanh.indicators.models import IndicatorValue, ValueStatus
from xanh.plans.models import Plan, PlanStatus, TaskAssignment
from xanh.reporting import services
from xanh.reporting.cells import TASK_STATUS_LABELS
from xanh.reporting.forms import RoundForm, read_int, read_report_form
from xanh.reporting.models import (
    EDITABLE_STATUSES,
    Evidence,
    IndicatorReport,
    Notification,
    ReportingRound,
    ReviewComment,
    Submission,
    SubmissionStatus,
    TaskReport,
    TemplateUpload,
    UploadStatus,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _problems(request: HttpRequest, exc: ValidationFailed) -> None:
    for problem in exc.problems:
        messages.error(request, str(problem))


def _visible_submission(request: HttpRequest, pk: int) -> Submission:
    qs = services.submissions_visible_to(request.user).select_related(
        "round__plan__admin_unit", "agency", "submitted_by", "reviewed_by"
    )
    return get_object_or_404(qs, pk=pk)


def _managed_round(request: HttpRequest, pk: int) -> ReportingRound:
    qs = ReportingRound.objects.managed_by(request.user).select_related("plan__admin_unit")
    return get_object_or_404(qs, pk=pk)


def _count(model: Any, **filters: Any) -> Any:
    sub = (
        model.objects.filter(submission=OuterRef("pk"), **filters)
        .order_by()
        .values("submission")
        .annotate(n=Count("id"))
        .values("n")
    )
    return Coalesce(Subquery(sub, output_field=IntegerField()), Value(0))


# ---- lists --------------------------------------------------------------------------------------------------------


@login_required
@require_GET
def round_list(request: HttpRequest) -> HttpResponse:
    user = request.user
    context: dict[str, Any] = {"today": timezone.localdate()}
    if permissions.can_see_drafts(user):
        rounds = (
            ReportingRound.objects.managed_by(user)
            .select_related("plan__admin_unit")
            .annotate(
                n_total=Count("submissions"),
                n_submitted=Count("submissions", filter=Q(submissions__status=SubmissionStatus.SUBMITTED)),
                n_approved=Count("submissions", filter=Q(submissions__status=SubmissionStatus.APPROVED)),
                n_returned=Count("submissions", filter=Q(submissions__status=SubmissionStatus.RETURNED)),
                n_late=Count("submissions", filter=Q(submissions__is_late=True)),
            )
            .order_by("-opens_on", "-id")
        )
        context["rounds"] = rounds
        context["plans"] = [
            p
            for p in Plan.objects.filter(status=PlanStatus.PUBLISHED).select_related("admin_unit")
            if permissions.can_manage_plan(user, p)
        ]
    submissions = (
        services.submissions_visible_to(user)
        .filter(agency_id=getattr(user, "agency_id", None))
        .select_related("round__plan", "agency")
        .order_by("-round__opens_on")
        if getattr(user, "agency_id", None)
        else Submission.objects.none()
    )
    context["my_submissions"] = submissions
    return render(request, "reporting/round_list.html", context)


def _participant_context(plan: Plan | None, period: str, opens_on: dt.date | None) -> dict[str, Any]:
    if plan is None or opens_on is None:
        return {"suggestions": [], "skipped": [], "candidates": [], "suggested_ids": set()}
    try:
        scope = services.round_scope(plan=plan, period=period or str(opens_on.year), on=opens_on)
    except ValueError:
        scope = services.round_scope(plan=plan, period=str(opens_on.year), on=opens_on)
    candidates = services.candidate_agencies(plan, opens_on)
    suggested = {s.agency.pk: s for s in scope.suggestions.values()}
    for agency in [s.agency for s in scope.suggestions.values()]:
        if agency.pk not in {c.pk for c in candidates}:
            candidates.append(agency)
    rows = [
        {"agency": a, "suggestion": suggested.get(a.pk)}
        for a in sorted(candidates, key=lambda a: (a.pk not in suggested, a.name))
    ]
    return {
        "rows": rows,
        "skipped": scope.skipped,
        "candidates": candidates,
        "suggested_ids": set(suggested),
    }


def _date(raw: str | None) -> dt.date | None:
    try:
        return dt.date.fromisoformat(raw or "")
    except ValueError:
        return None


def _managed_plans(user: Any) -> list[Plan]:
    return [
        p
        for p in Plan.objects.filter(status=PlanStatus.PUBLISHED).select_related(
            "admin_unit", "admin_unit__successor"
        )
        if permissions.can_manage_plan(user, p)
    ]


@login_required
@require_http_methods(["GET", "POST"])
def round_create(request: HttpRequest) -> HttpResponse:
    plans = _managed_plans(request.user)
    if not plans:
        raise PermissionDenied("Chỉ cơ quan đầu mối của một kế hoạch đã công bố mới mở được kỳ báo cáo.")
    data = request.POST if request.method == "POST" else request.GET
    plan = next((p for p in plans if str(p.pk) == data.get("plan")), plans[0])
    today = timezone.localdate()
    opens_on = _date(data.get("opens_on")) or today
    period = (data.get("period") or str(today.year - 1 if today.month < 7 else today.year)).strip()
    participants = _participant_context(plan, period, opens_on)
    plan_qs = Plan.objects.filter(pk__in=[p.pk for p in plans])
    if request.method == "POST":
        form = RoundForm(request.POST, plans=plan_qs, agencies=participants["candidates"])
        if form.is_valid():
            try:
                round = services.open_round(
                    user=request.user,
                    plan=form.cleaned_data["plan"],
                    period=form.cleaned_data["period"],
                    opens_on=form.cleaned_data["opens_on"],
                    due_on=form.cleaned_data["due_on"],
                    participants=list(form.cleaned_data["participants"]),
                    instructions=form.cleaned_data["instructions"],
                )
            except ValidationFailed as exc:
                for problem in exc.problems:
                    form.add_error(None, str(problem))
            else:
                messages.success(
                    request,
                    f"Đã mở kỳ báo cáo {round.period_label} với {round.submissions.count()} cơ quan tham gia.",
                )
                return redirect(round.get_absolute_url())
        selected = {str(v) for v in request.POST.getlist("participants")}
    else:
        form = RoundForm(
            initial={
                "plan": plan.pk,
                "period": period,
                "opens_on": opens_on,
                "due_on": opens_on + dt.timedelta(days=15),
            },
            plans=plan_qs,
            agencies=participants["candidates"],
        )
        selected = {str(pk) for pk in participants["suggested_ids"]}
    context = {"form": form, "plan": plan, "selected": selected, **participants}
    if request.htmx and request.method == "GET":  # type: ignore[attr-defined]
        return render(request, "reporting/_participants.html", context)
    return render(request, "reporting/round_form.html", context)


# ---- tracker ------------------------------------------------------------------------------------------------------


def tracker_rows(round: ReportingRound, today: dt.date) -> list[Submission]:
    """Submissions of a round with their progress counts, in one query."""
    from xanh.reporting.models import Reminder

    last_reminder = (
        Reminder.objects.filter(submission=OuterRef("pk"))
        .order_by()
        .values("submission")
        .annotate(m=Max("sent_at"))
    )
    rows = list(
        round.submissions.select_related("agency")
        .annotate(
            n_tasks=_count(TaskReport),
            n_tasks_done=_count(TaskReport, status__gt=""),
            n_values=_count(IndicatorReport),
            n_values_done=_count(IndicatorReport, value__isnull=False),
            last_reminder=Subquery(last_reminder.values("m")[:1]),
        )
        .order_by("agency__name")
    )
    for row in rows:
        row.is_overdue = row.status in EDITABLE_STATUSES and today > round.due_on  # type: ignore[attr-defined]
        total = row.n_tasks + row.n_values  # type: ignore[attr-defined]
        done = row.n_tasks_done + row.n_values_done  # type: ignore[attr-defined]
        row.progress = round_percent(done, total)  # type: ignore[attr-defined]
    return rows


def round_percent(done: int, total: int) -> int:
    return int(done * 100 / total + 0.5) if total else 100


@login_required
@require_GET
def tracker(request: HttpRequest, pk: int) -> HttpResponse:
    round = _managed_round(request, pk)
    today = timezone.localdate()
    rows = tracker_rows(round, today)
    status_filter = request.GET.get("trang-thai", "")
    counts = Counter(r.status for r in rows)
    late = sum(1 for r in rows if r.is_late or r.is_overdue)  # type: ignore[attr-defined]
    shown = rows
    if status_filter == "muon":
        shown = [r for r in rows if r.is_late or r.is_overdue]  # type: ignore[attr-defined]
    elif status_filter in SubmissionStatus.values:
        shown = [r for r in rows if r.status == status_filter]
    summary = [
        {"code": code, "label": label, "count": counts.get(code, 0)}
        for code, label in SubmissionStatus.choices
    ]
    return render(
        request,
        "reporting/tracker.html",
        {
            "round": round,
            "rows": shown,
            "total": len(rows),
            "summary": summary,
            "late": late,
            "status_filter": status_filter,
            "pending": sum(1 for r in rows if r.status in EDITABLE_STATUSES),
            "today": today,
            "days_left": (round.due_on - today).days,
            "days_overdue": (today - round.due_on).days,
        },
    )


@login_required
@require_POST
def round_remind(request: HttpRequest, pk: int) -> HttpResponse:
    round = _managed_round(request, pk)
    ids = [int(v) for v in request.POST.getlist("submission") if v.isdigit()]
    chosen = list(round.submissions.filter(pk__in=ids)) if ids else None
    try:
        count = services.send_reminders(
            user=request.user, round=round, submissions=chosen, message=request.POST.get("message", "")
        )
    except ValidationFailed as exc:
        _problems(request, exc)
    else:
        if count:
            messages.success(
                request, f"Đã gửi nhắc nhở tới {count} cơ quan (trong ứng dụng và qua thư điện tử)."
            )
        else:
            messages.info(request, "Không có cơ quan nào cần nhắc: tất cả đã nộp.")
    return redirect(round.get_absolute_url())


@login_required
@require_POST
def round_close(request: HttpRequest, pk: int) -> HttpResponse:
    round = _managed_round(request, pk)
    if request.POST.get("action") == "reopen":
        try:
            services.reopen_round(user=request.user, round=round, reason=request.POST.get("reason", ""))
        except ValidationFailed as exc:
            _problems(request, exc)
        else:
            messages.success(request, "Đã mở lại kỳ báo cáo.")
    else:
        services.close_round(user=request.user, round=round)
        messages.success(request, "Đã đóng kỳ báo cáo; các cơ quan không sửa được báo cáo nữa.")
    return redirect(round.get_absolute_url())


@login_required
@require_GET
def round_templates(request: HttpRequest, pk: int) -> HttpResponse:
    round = _managed_round(request, pk)
    content = services.generate_round_templates(user=request.user, round=round)
    response = HttpResponse(content, content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="mau-bao-cao-{round.period}.zip"'
    return response


@login_required
@require_GET
def round_history(request: HttpRequest, pk: int) -> HttpResponse:
    round = _managed_round(request, pk)
    return _history_response(request, round, f"Kỳ báo cáo {round.period_label}", round.get_absolute_url())


# ---- the agency's report ----------------------------------------------------------------------------------------------


def _form_items(submission: Submission) -> tuple[list[TaskReport], list[IndicatorReport]]:
    comments = ReviewComment.objects.select_related("author").order_by("created_at")
    tasks = list(
        submission.task_reports.select_related("task__section")
        .prefetch_related(
            "evidence",
            Prefetch("comments", queryset=comments),
            Prefetch(
                "task__assignments", queryset=TaskAssignment.objects.select_related("agency").order_by("role")
            ),
        )
        .order_by("position", "id")
    )
    indicators = list(
        submission.indicator_reports.select_related("indicator")
        .prefetch_related(Prefetch("comments", queryset=comments))
        .order_by("position", "id")
    )
    return tasks, indicators


def _reference_values(submission: Submission, indicators: list[IndicatorReport]) -> None:
    """Attach the previous period's official value and any official value of this period to each indicator row."""
    round = submission.round
    ids = {i.indicator_id for i in indicators}
    if not ids:
        return
    values = IndicatorValue.objects.filter(
        indicator_id__in=ids,
        admin_unit=round.plan.admin_unit,
        status=ValueStatus.APPROVED,
        year__lte=round.year,
        year__gte=round.year - 10,
    ).order_by("year", "period")
    previous: dict[tuple[int, str], IndicatorValue] = {}
    current: dict[tuple[int, str, str], IndicatorValue] = {}
    for value in values:
        if value.year < round.year:
            previous[(value.indicator_id, value.disaggregation)] = value
        current[(value.indicator_id, value.period, value.disaggregation)] = value
    for item in indicators:
        item.previous = previous.get((item.indicator_id, item.disaggregation))  # type: ignore[attr-defined]
        official = current.get((item.indicator_id, item.period, item.disaggregation))
        item.official = official  # type: ignore[attr-defined]


def _report_context(
    request: HttpRequest,
    submission: Submission,
    *,
    posted: Any = None,
    field_errors: dict[str, list[str]] | None = None,
) -> dict[str, Any]:
    tasks, indicators = _form_items(submission)
    _reference_values(submission, indicators)
    editable = services.can_edit_submission(request.user, submission)
    gaps = services.required_gaps(tasks, indicators)
    errors = field_errors or {}
    for item in tasks:
        item.errors = {  # type: ignore[attr-defined]
            name: errors.get(f"t-{item.pk}-{name}", []) for name in services.TASK_FIELD_LABELS
        }
        item.lead_names = [a.agency.name for a in item.task.assignments.all() if a.role == "lead"]  # type: ignore[attr-defined]
        item.open_comments = [c for c in item.comments.all() if c.resolved_at is None]  # type: ignore[attr-defined]
        item.form = _task_form_values(item)  # type: ignore[attr-defined]
        if posted is not None:
            _apply_posted(item, posted, "t")
    for indicator_item in indicators:
        indicator_item.errors = {  # type: ignore[attr-defined]
            name: errors.get(f"i-{indicator_item.pk}-{name}", []) for name in ("value", "data_source", "note")
        }
        indicator_item.open_comments = [c for c in indicator_item.comments.all() if c.resolved_at is None]  # type: ignore[attr-defined]
        indicator_item.form = _indicator_form_values(indicator_item)  # type: ignore[attr-defined]
        if posted is not None:
            _apply_posted(indicator_item, posted, "i")
    general_comments = list(
        submission.comments.filter(task_report__isnull=True, indicator_report__isnull=True)
        .select_related("author")
        .order_by("-created_at")[:10]
    )
    return {
        "submission": submission,
        "round": submission.round,
        "tasks": tasks,
        "indicators": indicators,
        "editable": editable,
        "can_review": services.can_manage_round(request.user, submission.round),
        "gaps": len(gaps),
        "status_labels": TASK_STATUS_LABELS,
        "general_comments": general_comments,
        "summary_value": posted.get("summary", submission.summary)
        if posted is not None
        else submission.summary,
        "max_mb": format_number_vi(services.evidence_max_bytes() / (1024 * 1024), 1, strip_zeros=True),
        "today": timezone.localdate(),
    }


def _task_form_values(item: TaskReport) -> dict[str, str]:
    return {
        "status": item.status,
        "percent": "" if item.percent is None else str(item.percent),
        "completed_on": item.completed_on.isoformat() if item.completed_on else "",
        "narrative": item.narrative,
        "difficulties": item.difficulties,
        "proposals": item.proposals,
    }


def _indicator_form_values(item: IndicatorReport) -> dict[str, str]:
    return {
        "value": format_number_vi(item.value, 6, strip_zeros=True) if item.value is not None else "",
        "data_source": item.data_source,
        "note": item.note,
    }


def _apply_posted(item: Any, posted: Any, prefix: str) -> None:
    """Show what the person typed (not the stored value) after a refused save, so nothing typed is lost."""
    base = f"{prefix}-{item.pk}-"
    for key, value in posted.items():
        if key.startswith(base) and key[len(base) :] in item.form:
            item.form[key[len(base) :]] = value


@login_required
@require_http_methods(["GET", "POST"])
def submission_detail(request: HttpRequest, pk: int) -> HttpResponse:
    submission = _visible_submission(request, pk)
    if request.method == "GET":
        return render(request, "reporting/submission_form.html", _report_context(request, submission))
    action = request.POST.get("action", "save")
    expected = read_int(request.POST, "version")
    task_items, indicator_items = services.report_items(submission)
    task_inputs, indicator_inputs, parse_issues = read_report_form(
        request.POST, task_items.values(), indicator_items.values()
    )
    try:
        if parse_issues:
            raise services.form_error(
                parse_issues, task_items, indicator_items, heading="Chưa lưu được: có ô nhập sai định dạng."
            )
        submission = services.save_draft(
            user=request.user,
            submission=submission,
            expected_version=expected,
            tasks=task_inputs,
            indicators=indicator_inputs,
            summary=request.POST.get("summary") if "summary" in request.POST else None,
        )
    except services.EditConflict as exc:
        _problems(request, exc)
        context = _report_context(request, _visible_submission(request, pk), posted=request.POST)
        context["conflict"] = True
        return render(request, "reporting/submission_form.html", context, status=409)
    except services.ReportInvalid as exc:
        # nothing was saved: show the form with what the person typed and the errors next to the fields
        context = _report_context(
            request, _visible_submission(request, pk), posted=request.POST, field_errors=exc.fields
        )
        context["problems"] = exc.problems
        return render(request, "reporting/submission_form.html", context, status=422)
    except ValidationFailed as exc:
        _problems(request, exc)
        return redirect(submission.get_absolute_url())
    if action != "submit":
        messages.success(request, "Đã lưu nháp.")
        return redirect(submission.get_absolute_url())
    try:
        submission = services.submit(
            user=request.user, submission=submission, expected_version=submission.version
        )
    except services.ReportInvalid as exc:
        messages.warning(request, "Đã lưu nháp, nhưng chưa nộp được: còn mục thiếu (xem danh sách).")
        context = _report_context(request, _visible_submission(request, pk), field_errors=exc.fields)
        context["problems"] = exc.problems
        return render(request, "reporting/submission_form.html", context, status=422)
    except ValidationFailed as exc:
        _problems(request, exc)
        return redirect(submission.get_absolute_url())
    messages.success(
        request,
        "Đã nộp báo cáo" + (" (sau hạn nộp)" if submission.is_late else "") + ". Cơ quan đầu mối sẽ xem xét.",
    )
    return redirect(submission.get_absolute_url())


@login_required
@require_http_methods(["GET", "POST"])
def submission_review(request: HttpRequest, pk: int) -> HttpResponse:
    submission = _visible_submission(request, pk)
    permissions.require(services.can_manage_round(request.user, submission.round))
    if request.method == "POST":
        action = request.POST.get("action")
        expected = read_int(request.POST, "version")
        try:
            if action == "return":
                task_comments = {
                    int(k[3:]): v for k, v in request.POST.items() if k.startswith("ct-") and k[3:].isdigit()
                }
                indicator_comments = {
                    int(k[3:]): v for k, v in request.POST.items() if k.startswith("ci-") and k[3:].isdigit()
                }
                services.return_submission(
                    user=request.user,
                    submission=submission,
                    general_comment=request.POST.get("general_comment", ""),
                    task_comments=task_comments,
                    indicator_comments=indicator_comments,
                    expected_version=expected,
                )
                messages.success(request, f"Đã trả lại báo cáo cho {submission.agency.name} kèm ý kiến.")
            elif action == "approve":
                services.approve(
                    user=request.user,
                    submission=submission,
                    expected_version=expected,
                    replace_official=request.POST.get("replace_official") == "1",
                    reason=request.POST.get("replace_reason", ""),
                )
                messages.success(
                    request, "Đã phê duyệt báo cáo; số liệu chỉ tiêu đã trở thành số liệu chính thức."
                )
            elif action == "reopen":
                services.reopen(
                    user=request.user,
                    submission=submission,
                    reason=request.POST.get("reason", ""),
                    expected_version=expected,
                )
                messages.success(request, "Đã mở lại báo cáo; lý do được lưu trong lịch sử.")
            else:
                messages.error(request, "Thao tác không hợp lệ.")
        except ValidationFailed as exc:
            _problems(request, exc)
        return redirect(reverse("reporting:review", args=[submission.pk]))
    context = _report_context(request, submission)
    context["conflicts"] = (
        services.official_conflicts(submission) if submission.status == SubmissionStatus.SUBMITTED else []
    )
    context["history"] = readable_history(submission, limit=30)
    return render(request, "reporting/review.html", context)


# ---- Excel ------------------------------------------------------------------------------------------------------------


@login_required
@require_GET
def submission_template(request: HttpRequest, pk: int) -> HttpResponse:
    submission = _visible_submission(request, pk)
    content = services.generate_template(user=request.user, submission=submission)
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{services.template_filename(submission)}"'
    return response


@login_required
@require_POST
def submission_upload(request: HttpRequest, pk: int) -> HttpResponse:
    submission = _visible_submission(request, pk)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, "Chưa chọn tệp Excel để tải lên.")
        return redirect(submission.get_absolute_url())
    limit = services.evidence_max_bytes()
    if upload.size and upload.size > limit:
        messages.error(request, f"Tệp «{upload.name}» quá lớn (tối đa {limit // (1024 * 1024)} MB).")
        return redirect(submission.get_absolute_url())
    try:
        record, _preview = services.preview_upload(
            user=request.user, submission=submission, content=upload.read(), filename=upload.name or ""
        )
    except ValidationFailed as exc:
        _problems(request, exc)
        return redirect(submission.get_absolute_url())
    return redirect(reverse("reporting:upload", args=[record.pk]))


@login_required
@require_http_methods(["GET", "POST"])
def upload_detail(request: HttpRequest, pk: int) -> HttpResponse:
    upload = get_object_or_404(
        TemplateUpload.objects.select_related("submission").filter(
            submission__in=services.submissions_visible_to(request.user)
        ),
        pk=pk,
    )
    submission = _visible_submission(request, upload.submission_id)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "apply":
                preview = services.apply_upload(user=request.user, upload=upload)
                messages.success(
                    request,
                    f"Đã ghi nhận tệp Excel: {preview.created} mục mới, {preview.updated} mục cập nhật, "
                    f"{preview.unchanged} mục không đổi.",
                )
            else:
                services.discard_upload(user=request.user, upload=upload)
                messages.info(request, "Đã hủy tệp tải lên; báo cáo không thay đổi.")
        except services.EditConflict as exc:
            _problems(request, exc)
            return redirect(reverse("reporting:upload", args=[upload.pk]))
        except ValidationFailed as exc:
            _problems(request, exc)
            return redirect(reverse("reporting:upload", args=[upload.pk]))
        return redirect(submission.get_absolute_url())
    preview = None
    stale = False
    if upload.status == UploadStatus.PREVIEWED:
        try:
            preview = services.import_template(
                user=request.user,
                submission=submission,
                content=bytes(upload.content),
                filename=upload.filename,
                dry_run=True,
            )
        except ValidationFailed as exc:
            _problems(request, exc)
        stale = submission.version != upload.base_version
    return render(
        request,
        "reporting/upload_preview.html",
        {"upload": upload, "submission": submission, "preview": preview, "stale": stale},
    )


# ---- evidence ---------------------------------------------------------------------------------------------------------


@login_required
@require_POST
def evidence_add(request: HttpRequest, pk: int, item: int) -> HttpResponse:
    submission = _visible_submission(request, pk)
    task_report = get_object_or_404(TaskReport, pk=item, submission=submission)
    files = request.FILES.getlist("file")
    if not files:
        messages.error(request, "Chưa chọn tệp minh chứng.")
    added = 0
    for upload in files:
        limit = services.evidence_max_bytes()
        if upload.size and upload.size > limit * 2:
            messages.error(request, f"Tệp «{upload.name}» quá lớn.")
            continue
        try:
            services.add_evidence(
                user=request.user, task_report=task_report, filename=upload.name or "", content=upload.read()
            )
            added += 1
        except ValidationFailed as exc:
            _problems(request, exc)
    if added:
        messages.success(request, f"Đã thêm {added} tệp minh chứng cho nhiệm vụ {task_report.task.code}.")
    return HttpResponseRedirect(f"{submission.get_absolute_url()}#task-{task_report.pk}")


def _visible_evidence(request: HttpRequest, pk: int) -> Evidence:
    return get_object_or_404(
        Evidence.objects.select_related("task_report__submission", "task_report__task").filter(
            task_report__submission__in=services.submissions_visible_to(request.user)
        ),
        pk=pk,
    )


@login_required
@require_GET
def evidence_download(request: HttpRequest, pk: int) -> HttpResponse:
    evidence = _visible_evidence(request, pk)
    try:
        handle = evidence.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("Không tìm thấy tệp minh chứng.") from exc
    inline = evidence.kind in {"pdf", "png", "jpeg", "webp"} and request.GET.get("tai") is None
    response = FileResponse(
        handle, content_type=evidence.content_type, as_attachment=not inline, filename=evidence.original_name
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = (
        "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"
    )
    return response


@login_required
@require_POST
def evidence_delete(request: HttpRequest, pk: int) -> HttpResponse:
    evidence = _visible_evidence(request, pk)
    submission = evidence.task_report.submission
    anchor = f"#task-{evidence.task_report_id}"
    try:
        services.remove_evidence(user=request.user, evidence=evidence)
        messages.success(request, f"Đã xóa tệp «{evidence.original_name}».")
    except ValidationFailed as exc:
        _problems(request, exc)
    return HttpResponseRedirect(submission.get_absolute_url() + anchor)


# ---- history ----------------------------------------------------------------------------------------------------------


def readable_history(obj: Any, *, limit: int = 200) -> list[AuditEntry]:
    """``history_of`` with values people can read: choice labels instead of codes, Vietnamese numbers and dates."""
    entries = []
    for entry in history_of(obj, limit=limit):
        changes = []
        for change in entry.changes:
            field = obj._meta.get_field(change.field)
            choices = dict(field.choices or [])

            def show(value: Any, choices: dict[Any, Any] = choices) -> Any:
                if value in (None, ""):
                    return None
                if value in choices:
                    return str(choices[value])
                if isinstance(value, bool):
                    return "có" if value else "không"
                if isinstance(value, float):
                    return format_number_vi(value, 6, strip_zeros=True)
                if isinstance(value, dt.datetime):
                    return timezone.localtime(value).strftime("%d/%m/%Y %H:%M")
                if isinstance(value, dt.date):
                    return value.strftime("%d/%m/%Y")
                return value

            label = change.label[:1].upper() + change.label[1:]
            changes.append(FieldChange(change.field, label, show(change.before), show(change.after)))
        entries.append(
            AuditEntry(
                when=entry.when,
                who=entry.who,
                action=entry.action,
                reason=entry.reason,
                changes=tuple(changes),
            )
        )
    return entries


def _history_response(request: HttpRequest, obj: Any, title: str, back: str) -> HttpResponse:
    context = {"history": readable_history(obj), "title": title, "back": back}
    if request.htmx:  # type: ignore[attr-defined]
        return render(request, "reporting/_history.html", context)
    return render(request, "reporting/history.html", context)


@login_required
@require_GET
def item_history(request: HttpRequest, pk: int, kind: str, item: int) -> HttpResponse:
    submission = _visible_submission(request, pk)
    back = submission.get_absolute_url()
    if kind == "bao-cao":
        return _history_response(request, submission, f"Báo cáo của {submission.agency.name}", back)
    if kind == "nhiem-vu":
        task_item = get_object_or_404(
            TaskReport.objects.select_related("task"), pk=item, submission=submission
        )
        return _history_response(
            request, task_item, f"Nhiệm vụ {task_item.task.code}", back + f"#task-{item}"
        )
    if kind == "chi-tieu":
        indicator_item = get_object_or_404(
            IndicatorReport.objects.select_related("indicator"), pk=item, submission=submission
        )
        label = indicator_item.indicator.code + (
            f" ({indicator_item.disaggregation})" if indicator_item.disaggregation else ""
        )
        return _history_response(request, indicator_item, f"Chỉ tiêu {label}", back + f"#indicator-{item}")
    raise Http404


# ---- notifications ----------------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def notifications(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        ids = [int(v) for v in request.POST.getlist("id") if v.isdigit()]
        services.mark_notifications_read(user=request.user, ids=ids or None)
        return redirect("reporting:notifications")
    items = list(Notification.objects.filter(recipient=request.user).select_related("round")[:100])
    return render(
        request,
        "reporting/notifications.html",
        {"items": items, "unread": sum(1 for n in items if n.read_at is None)},
    )


@login_required
@require_GET
def notification_open(request: HttpRequest, pk: int) -> HttpResponse:
    item = get_object_or_404(Notification, pk=pk, recipient=request.user)
    if item.read_at is None:
        services.mark_notifications_read(user=request.user, ids=[item.pk])
    target = (
        item.url
        if item.url.startswith("/") and not item.url.startswith("//")
        else reverse("reporting:rounds")
    )
    return redirect(target)
