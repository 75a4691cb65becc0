"""Reporting services: rounds and participants, the submission state machine, approval into official values,
reopening, reminders, and the read interface used by evaluation."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from tests.factories import CoordinatorFactory, PlanFactory, ReporterFactory
from tests.reporting.conftest import DUE_2025, OPENS_2025, fill_completely, submission_of
from xanh.core.audit import history_of
from xanh.core.errors import ValidationFailed
from xanh.indicators.models import IndicatorValue, ValueSource, ValueStatus
from xanh.indicators.services import record_value
from xanh.reporting import services
from xanh.reporting.models import (
    Notification,
    NotificationKind,
    Reminder,
    ReviewComment,
    Submission,
    SubmissionStatus,
    TaskReport,
)
from xanh.reporting.services import EditConflict, IndicatorInput, ReportInvalid, TaskInput

pytestmark = pytest.mark.django_db

AFTER_DUE = timezone.make_aware(dt.datetime(2025, 12, 2, 9, 0))
BEFORE_DUE = timezone.make_aware(dt.datetime(2025, 11, 20, 9, 0))


def _keys(round):
    return {s.agency.key for s in round.submissions.select_related("agency")}


# ---- participants ----------------------------------------------------------------------------------------------


def test_default_participants_follow_successors_on_the_opening_date(world, round_2025):
    assert _keys(round_2025) == {"so-tc", "so-ct", "so-nnmt"}
    tc = submission_of(round_2025, world.agencies["so-tc"])
    assert [(t.task.code, t.role) for t in tc.task_reports.select_related("task")] == [("1.a", "lead")]
    nnmt = submission_of(round_2025, world.agencies["so-nnmt"])
    # Sở TN&MT (lead) and Sở NN&PTNT (coordinating) both became Sở NN&MT: one report, as lead
    assert [(t.task.code, t.role) for t in nnmt.task_reports.select_related("task")] == [("1.b", "lead")]
    assert [
        (i.indicator.code, i.disaggregation) for i in nnmt.indicator_reports.select_related("indicator")
    ] == [
        ("T-NUOC", ""),
        ("T-NUOC", "thành thị"),
        ("T-NUOC", "nông thôn"),
    ]
    ct = submission_of(round_2025, world.agencies["so-ct"])
    assert sorted((t.task.code, t.role) for t in ct.task_reports.select_related("task")) == [
        ("1.a", "coordinating"),
        ("2.a", "coordinating"),
        ("2.b", "lead"),
    ]


def test_before_2025_the_old_departments_report(world):
    round = services.open_round(
        user=world.coordinator,
        plan=world.plan,
        period="2024",
        opens_on=dt.date(2024, 12, 1),
        due_on=dt.date(2024, 12, 20),
    )
    assert _keys(round) == {
        "so-khdt",
        "so-ct",
        "so-tnmt",
        "so-nnptnt",
        "so-tc",
    }  # so-tc: the quarterly indicator


def test_scope_lists_collectives_as_skipped_with_a_reason(world):
    scope = services.round_scope(plan=world.plan, period="2025", on=OPENS_2025)
    skipped = {a.key: why for a, why in scope.skipped}
    assert "cac-so-nganh" in skipped and "nhóm cơ quan" in skipped["cac-so-nganh"]
    suggestion = scope.suggestions[world.agencies["so-tc"].pk]
    assert [a.key for a in suggestion.replaces] == ["so-khdt"]


def test_half_year_round_asks_only_for_sub_annual_indicators(world):
    round = services.open_round(
        user=world.coordinator,
        plan=world.plan,
        period="2025h1",
        opens_on=dt.date(2025, 7, 1),
        due_on=dt.date(2025, 7, 15),
    )
    assert round.period == "2025H1"
    codes = set(
        round.submissions.values_list("indicator_reports__indicator__code", flat=True).exclude(
            indicator_reports__isnull=True
        )
    )
    assert codes == {"T-QUY"}


def test_explicit_participants(world):
    round = services.open_round(
        user=world.coordinator,
        plan=world.plan,
        period="2026",
        opens_on=dt.date(2026, 11, 1),
        due_on=dt.date(2026, 11, 30),
        participants=[world.agencies["so-ct"], world.agencies["so-yt"]],
    )
    assert _keys(round) == {"so-ct", "so-yt"}
    assert submission_of(round, world.agencies["so-yt"]).task_reports.count() == 0


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"period": "2025", "due_on": dt.date(2025, 10, 1)}, "Hạn nộp phải sau"),
        ({"period": "2035"}, "ngoài giai đoạn"),
        ({"period": "năm 2025"}, "không hợp lệ"),
    ],
)
def test_open_round_rejects_bad_input(world, kwargs, message):
    args = {"period": "2025", "opens_on": OPENS_2025, "due_on": DUE_2025} | kwargs
    with pytest.raises(ValidationFailed) as info:
        services.open_round(user=world.coordinator, plan=world.plan, **args)
    assert message in str(info.value)


def test_open_round_refuses_duplicates_collectives_and_foreign_agencies(world, round_2025):
    with pytest.raises(ValidationFailed, match="đã có kỳ báo cáo"):
        services.open_round(
            user=world.coordinator, plan=world.plan, period="2025", opens_on=OPENS_2025, due_on=DUE_2025
        )
    foreign = PlanFactory().admin_unit
    from tests.factories import AgencyFactory

    with pytest.raises(ValidationFailed) as info:
        services.open_round(
            user=world.coordinator,
            plan=world.plan,
            period="2026",
            opens_on=dt.date(2026, 1, 5),
            due_on=dt.date(2026, 1, 20),
            participants=[world.agencies["cac-so-nganh"], AgencyFactory(admin_unit=foreign)],
        )
    text = str(info.value)
    assert "nhóm cơ quan" in text and "không thuộc" in text


def test_draft_plans_have_no_rounds(world):
    world.plan.status = "draft"
    world.plan.save()
    with pytest.raises(ValidationFailed, match="đã công bố"):
        services.open_round(
            user=world.coordinator, plan=world.plan, period="2025", opens_on=OPENS_2025, due_on=DUE_2025
        )


@pytest.mark.parametrize("who", ["reporter", "other_coordinator"])
def test_only_the_plans_coordinator_opens_rounds(world, who):
    user = world.reporter_ct if who == "reporter" else CoordinatorFactory()
    with pytest.raises(PermissionDenied):
        services.open_round(user=user, plan=world.plan, period="2025", opens_on=OPENS_2025, due_on=DUE_2025)


def test_opening_notifies_reporters_in_app_and_by_mail(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.open_round(
            user=world.coordinator, plan=world.plan, period="2025", opens_on=OPENS_2025, due_on=DUE_2025
        )
    assert Notification.objects.filter(
        recipient=world.reporter_ct, kind=NotificationKind.ROUND_OPENED
    ).exists()
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == ["ct@tinh-thu.invalid", "nnmt@tinh-thu.invalid", "tc@tinh-thu.invalid"]
    assert "Mở kỳ báo cáo Năm 2025" in mail.outbox[0].subject and "30/11/2025" in mail.outbox[0].subject


# ---- drafts and optimistic locking -----------------------------------------------------------------------------------


def test_save_draft_moves_to_draft_and_bumps_version(world, round_2025):
    submission = submission_of(round_2025, world.agencies["so-ct"])
    task = submission.task_reports.get(task__code="2.b")
    saved = services.save_draft(
        user=world.reporter_ct,
        submission=submission,
        expected_version=1,
        tasks={task.pk: TaskInput(status="completed", narrative="Xong.")},
    )
    assert saved.status == SubmissionStatus.DRAFT and saved.version == 2
    task.refresh_from_db()
    assert task.percent == 100  # "hoàn thành" implies 100%
    assert history_of(task)[0].reason == "Lưu nháp"


def test_two_editors_get_a_conflict_not_a_silent_overwrite(world, round_2025):
    submission = submission_of(round_2025, world.agencies["so-ct"])
    task = submission.task_reports.get(task__code="2.b")
    colleague = ReporterFactory(agency=world.agencies["so-ct"])
    services.save_draft(
        user=colleague,
        submission=submission,
        expected_version=1,
        tasks={task.pk: TaskInput(narrative="Bản của đồng nghiệp")},
    )
    with pytest.raises(EditConflict) as info:
        services.save_draft(
            user=world.reporter_ct,
            submission=submission,
            expected_version=1,
            tasks={task.pk: TaskInput(narrative="Bản của tôi")},
        )
    assert "người khác cập nhật" in str(info.value) and info.value.current_version == 2
    task.refresh_from_db()
    assert task.narrative == "Bản của đồng nghiệp"


def test_items_of_another_submission_cannot_be_written(world, round_2025):
    mine = submission_of(round_2025, world.agencies["so-ct"])
    theirs = submission_of(round_2025, world.agencies["so-nnmt"]).task_reports.first()
    with pytest.raises(PermissionDenied):
        services.save_draft(
            user=world.reporter_ct,
            submission=mine,
            expected_version=1,
            tasks={theirs.pk: TaskInput(narrative="chen ngang")},
        )
    theirs.refresh_from_db()
    assert theirs.narrative == ""


def test_reporter_cannot_save_another_agencys_report(world, round_2025):
    theirs = submission_of(round_2025, world.agencies["so-nnmt"])
    with pytest.raises(PermissionDenied):
        services.save_draft(
            user=world.reporter_ct, submission=theirs, expected_version=1, summary="chen ngang"
        )


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        (TaskInput(status="completed", percent=80), "percent", "phải là 100%"),
        (TaskInput(status="not_started", percent=30), "percent", "phải là 0%"),
        (TaskInput(status="in_progress", percent=100), "status", "Hoàn thành"),
        (TaskInput(status="in_progress", completed_on=dt.date(2025, 5, 1)), "completed_on", "chỉ ghi ngày"),
        (TaskInput(status="completed", completed_on=dt.date(2999, 1, 1)), "completed_on", "sau ngày hôm nay"),
        (TaskInput(status="late"), "status", "không hợp lệ"),
    ],
)
def test_task_values_are_checked(world, round_2025, data, field, message):
    submission = submission_of(round_2025, world.agencies["so-ct"])
    task = submission.task_reports.get(task__code="2.b")
    with pytest.raises(ReportInvalid) as info:
        services.save_draft(
            user=world.reporter_ct, submission=submission, expected_version=1, tasks={task.pk: data}
        )
    assert any(message in m for m in info.value.fields[f"t-{task.pk}-{field}"])
    assert "Nhiệm vụ 2.b" in str(info.value)
    submission.refresh_from_db()
    assert submission.version == 1 and submission.status == SubmissionStatus.NOT_STARTED


def test_indicator_values_are_checked_against_range(world, round_2025):
    submission = submission_of(round_2025, world.agencies["so-nnmt"])
    total = submission.indicator_reports.get(disaggregation="")
    with pytest.raises(ReportInvalid) as info:
        services.save_draft(
            user=world.reporter_nnmt,
            submission=submission,
            expected_version=1,
            indicators={total.pk: IndicatorInput(value=150)},
        )
    assert "lớn hơn mức hợp lý tối đa" in info.value.fields[f"i-{total.pk}-value"][0]


def test_a_jump_needs_an_explanation_on_submit_not_on_draft(world, round_2025):
    submission = fill_completely(world.reporter_nnmt, submission_of(round_2025, world.agencies["so-nnmt"]))
    total = submission.indicator_reports.get(disaggregation="")
    services.save_draft(
        user=world.reporter_nnmt,
        submission=submission,
        expected_version=submission.version,
        indicators={total.pk: IndicatorInput(value=20.0, data_source="Khảo sát")},  # 80 → 20: a factor of 4
    )
    submission.refresh_from_db()
    with pytest.raises(ReportInvalid) as info:
        services.submit(user=world.reporter_nnmt, submission=submission, expected_version=submission.version)
    assert "cần ghi chú giải trình" in info.value.fields[f"i-{total.pk}-note"][0]
    services.save_draft(
        user=world.reporter_nnmt,
        submission=submission,
        expected_version=submission.version,
        indicators={
            total.pk: IndicatorInput(value=20.0, data_source="Khảo sát", note="Đổi phương pháp thống kê")
        },
    )
    submission.refresh_from_db()
    assert (
        services.submit(
            user=world.reporter_nnmt, submission=submission, expected_version=submission.version
        ).status
        == "submitted"
    )


# ---- submit ---------------------------------------------------------------------------------------------------------


def test_submit_refuses_with_the_list_of_missing_fields(world, round_2025):
    submission = submission_of(round_2025, world.agencies["so-nnmt"])
    with pytest.raises(ReportInvalid) as info:
        services.submit(user=world.reporter_nnmt, submission=submission, expected_version=1)
    text = str(info.value)
    assert "Chưa nộp được: còn 2 mục" in text
    assert "Nhiệm vụ 1.b" in text and "chưa chọn tình trạng" in text
    assert "Chỉ tiêu T-NUOC" in text and "chưa ghi giá trị" in text
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.NOT_STARTED


def test_delayed_tasks_need_difficulties(world, round_2025):
    submission = fill_completely(world.reporter_ct, submission_of(round_2025, world.agencies["so-ct"]))
    task = submission.task_reports.get(task__code="2.b")
    services.save_draft(
        user=world.reporter_ct,
        submission=submission,
        expected_version=submission.version,
        tasks={task.pk: TaskInput(status="behind_schedule", percent=20, narrative="Mới khảo sát.")},
    )
    submission.refresh_from_db()
    with pytest.raises(ReportInvalid, match="phải nêu khó khăn"):
        services.submit(user=world.reporter_ct, submission=submission, expected_version=submission.version)


def test_submission_on_time_and_late(world, round_2025):
    ct = fill_completely(world.reporter_ct, submission_of(round_2025, world.agencies["so-ct"]))
    ct = services.submit(user=world.reporter_ct, submission=ct, expected_version=ct.version, now=BEFORE_DUE)
    assert ct.status == SubmissionStatus.SUBMITTED and not ct.is_late and ct.submitted_by == world.reporter_ct
    tc = fill_completely(world.reporter_tc, submission_of(round_2025, world.agencies["so-tc"]))
    tc = services.submit(user=world.reporter_tc, submission=tc, expected_version=tc.version, now=AFTER_DUE)
    assert tc.is_late
    # late submissions can still be accepted
    approved = services.approve(user=world.coordinator, submission=tc)
    assert approved.status == SubmissionStatus.APPROVED
    assert history_of(approved)[0].reason == "Phê duyệt (nộp sau hạn, vẫn chấp nhận)"


def test_submitted_reports_are_read_only_for_the_agency(world, round_2025):
    ct = fill_completely(world.reporter_ct, submission_of(round_2025, world.agencies["so-ct"]))
    ct = services.submit(user=world.reporter_ct, submission=ct, expected_version=ct.version)
    with pytest.raises(ValidationFailed, match="không sửa được"):
        services.save_draft(
            user=world.reporter_ct, submission=ct, expected_version=ct.version, summary="sửa sau khi nộp"
        )


def test_closed_round_accepts_no_more_edits(world, round_2025):
    services.close_round(user=world.coordinator, round=round_2025)
    submission = submission_of(round_2025, world.agencies["so-ct"])
    with pytest.raises(ValidationFailed, match="đã đóng"):
        services.save_draft(user=world.reporter_ct, submission=submission, expected_version=1, summary="muộn")
    with pytest.raises(ValidationFailed, match="lý do"):
        services.reopen_round(user=world.coordinator, round=round_2025, reason=" ")
    assert services.reopen_round(
        user=world.coordinator, round=round_2025, reason="Gia hạn theo chỉ đạo"
    ).is_open


def test_submitting_notifies_the_coordinator(world, round_2025, django_capture_on_commit_callbacks):
    ct = fill_completely(world.reporter_ct, submission_of(round_2025, world.agencies["so-ct"]))
    with django_capture_on_commit_callbacks(execute=True):
        services.submit(user=world.reporter_ct, submission=ct, expected_version=ct.version)
    note = Notification.objects.get(recipient=world.coordinator, kind=NotificationKind.SUBMITTED)
    assert "Sở Công Thương đã nộp báo cáo" in note.title and note.emailed_at is not None
    assert [m.to for m in mail.outbox] == [["dieuphoi@tinh-thu.invalid"]]


# ---- review ----------------------------------------------------------------------------------------------------------


@pytest.fixture
def submitted_ct(world, round_2025):
    ct = fill_completely(world.reporter_ct, submission_of(round_2025, world.agencies["so-ct"]))
    return services.submit(user=world.reporter_ct, submission=ct, expected_version=ct.version, now=BEFORE_DUE)


def test_return_needs_a_comment_and_keeps_item_comments(
    world, submitted_ct, django_capture_on_commit_callbacks
):
    with pytest.raises(ValidationFailed, match="Cần ghi ý kiến"):
        services.return_submission(user=world.coordinator, submission=submitted_ct, general_comment="  ")
    task = submitted_ct.task_reports.get(task__code="2.b")
    value = submitted_ct.indicator_reports.get()
    with django_capture_on_commit_callbacks(execute=True):
        returned = services.return_submission(
            user=world.coordinator,
            submission=submitted_ct,
            general_comment="Bổ sung số liệu",
            task_comments={task.pk: "Nêu rõ khối lượng đã làm"},
            indicator_comments={value.pk: "Kiểm tra lại đơn vị"},
        )
    assert returned.status == SubmissionStatus.RETURNED and returned.reviewer_comment == "Bổ sung số liệu"
    assert ReviewComment.objects.get(task_report=task).text == "Nêu rõ khối lượng đã làm"
    assert ReviewComment.objects.get(indicator_report=value).text == "Kiểm tra lại đơn vị"
    assert "Nhiệm vụ 2.b: Nêu rõ khối lượng đã làm" in mail.outbox[0].body
    # the agency fixes and resubmits; the comments are then marked as dealt with
    services.save_draft(
        user=world.reporter_ct,
        submission=returned,
        expected_version=returned.version,
        tasks={task.pk: TaskInput(status="in_progress", percent=70, narrative="Đã lắp 70% công suất.")},
    )
    returned.refresh_from_db()
    assert returned.status == SubmissionStatus.RETURNED  # still with the agency until resubmitted
    resubmitted = services.submit(
        user=world.reporter_ct, submission=returned, expected_version=returned.version
    )
    assert resubmitted.status == SubmissionStatus.SUBMITTED
    assert not ReviewComment.objects.filter(submission=resubmitted, resolved_at__isnull=True).exists()


def test_comments_on_foreign_items_are_refused(world, round_2025, submitted_ct):
    foreign = submission_of(round_2025, world.agencies["so-nnmt"]).task_reports.first()
    with pytest.raises(PermissionDenied):
        services.return_submission(
            user=world.coordinator, submission=submitted_ct, task_comments={foreign.pk: "x"}
        )


@pytest.mark.parametrize("action", ["return", "approve", "reopen"])
def test_reporters_cannot_review(world, submitted_ct, action):
    with pytest.raises(PermissionDenied):
        if action == "return":
            services.return_submission(
                user=world.reporter_ct, submission=submitted_ct, general_comment="tự trả"
            )
        elif action == "approve":
            services.approve(user=world.reporter_ct, submission=submitted_ct)
        else:
            services.reopen(user=world.reporter_ct, submission=submitted_ct, reason="tự mở")


def test_approval_writes_official_locked_values(world, submitted_ct):
    approved = services.approve(user=world.coordinator, submission=submitted_ct)
    assert approved.status == SubmissionStatus.APPROVED and approved.approved_at is not None
    report = approved.indicator_reports.get()
    official = IndicatorValue.objects.get(indicator=world.indicators["energy"], period="2025")
    assert report.official_value == official
    assert (official.status, official.value, official.agency, official.source) == (
        ValueStatus.APPROVED,
        1234.5,
        world.agencies["so-ct"],
        ValueSource.REPORT,
    )
    assert official.source_detail == "Cục Thống kê tỉnh"
    # approved data is locked: neither the report nor the value can be changed
    with pytest.raises(ValidationFailed, match="không sửa được"):
        services.save_draft(
            user=world.reporter_ct, submission=approved, expected_version=approved.version, summary="x"
        )
    with pytest.raises(ValidationFailed, match="bị khóa"):
        record_value(
            user=world.coordinator,
            indicator=official.indicator,
            admin_unit=world.unit,
            period="2025",
            value=1.0,
            agency=world.agencies["so-ct"],
        )


def test_approve_only_submitted_reports(world, round_2025):
    draft = submission_of(round_2025, world.agencies["so-ct"])
    with pytest.raises(ValidationFailed, match="Chỉ phê duyệt được báo cáo đã nộp"):
        services.approve(user=world.coordinator, submission=draft)


def test_a_different_figure_than_an_official_one_needs_a_reasoned_replacement(world, round_2025):
    IndicatorValue.objects.create(
        indicator=world.indicators["energy"],
        admin_unit=world.unit,
        period="2025",
        year=2025,
        value=999.0,
        unit="triệu kWh",
        status=ValueStatus.APPROVED,
    )
    ct = fill_completely(world.reporter_ct, submission_of(round_2025, world.agencies["so-ct"]))
    ct = services.submit(user=world.reporter_ct, submission=ct, expected_version=ct.version)
    with pytest.raises(ValidationFailed) as info:
        services.approve(user=world.coordinator, submission=ct)
    assert "đã có giá trị chính thức 999" in str(info.value) and "T-DIEN" in str(info.value)
    ct.refresh_from_db()
    assert ct.status == SubmissionStatus.SUBMITTED
    with pytest.raises(ValidationFailed):
        services.approve(user=world.coordinator, submission=ct, replace_official=True, reason="")
    services.approve(
        user=world.coordinator, submission=ct, replace_official=True, reason="Số liệu cũ là ước tính"
    )
    value = IndicatorValue.objects.get(indicator=world.indicators["energy"], period="2025")
    assert value.value == 1234.5 and value.status == ValueStatus.APPROVED
    reasons = [e.reason for e in history_of(value)]
    assert any(r.startswith("Mở lại: Số liệu cũ là ước tính") for r in reasons)


def test_same_figure_as_official_is_linked_not_rewritten(world, round_2025):
    existing = IndicatorValue.objects.create(
        indicator=world.indicators["energy"],
        admin_unit=world.unit,
        period="2025",
        year=2025,
        value=1234.5,
        unit="triệu kWh",
        status=ValueStatus.APPROVED,
        source=ValueSource.DEMO,
    )
    ct = fill_completely(world.reporter_ct, submission_of(round_2025, world.agencies["so-ct"]))
    ct = services.submit(user=world.reporter_ct, submission=ct, expected_version=ct.version)
    services.approve(user=world.coordinator, submission=ct)
    assert ct.indicator_reports.get().official_value == existing
    existing.refresh_from_db()
    assert existing.source == ValueSource.DEMO


def test_reopen_needs_a_reason_and_unlocks_the_values(world, submitted_ct):
    approved = services.approve(user=world.coordinator, submission=submitted_ct)
    with pytest.raises(ValidationFailed, match="lý do"):
        services.reopen(user=world.coordinator, submission=approved, reason="   ")
    reopened = services.reopen(
        user=world.coordinator, submission=approved, reason="Cục Thống kê điều chỉnh số liệu"
    )
    assert reopened.status == SubmissionStatus.RETURNED
    assert history_of(reopened)[0].reason == "Mở lại: Cục Thống kê điều chỉnh số liệu"
    value = reopened.indicator_reports.get().official_value
    value.refresh_from_db()
    assert value.status == ValueStatus.SUBMITTED
    assert "Cục Thống kê điều chỉnh số liệu" in history_of(value)[0].reason
    # the agency corrects, resubmits, and the coordinator approves again: the value is updated and relocked
    report = reopened.indicator_reports.get()
    services.save_draft(
        user=world.reporter_ct,
        submission=reopened,
        expected_version=reopened.version,
        indicators={report.pk: IndicatorInput(value=1300.0, data_source="Cục Thống kê tỉnh")},
    )
    reopened.refresh_from_db()
    again = services.submit(user=world.reporter_ct, submission=reopened, expected_version=reopened.version)
    services.approve(user=world.coordinator, submission=again)
    value.refresh_from_db()
    assert (value.value, value.status) == (1300.0, ValueStatus.APPROVED)


def test_reopen_refuses_a_stale_version(world, submitted_ct):
    approved = services.approve(user=world.coordinator, submission=submitted_ct)
    with pytest.raises(EditConflict):
        services.reopen(
            user=world.coordinator, submission=approved, reason="thử", expected_version=approved.version - 1
        )
    approved.refresh_from_db()
    assert approved.status == SubmissionStatus.APPROVED
    reopened = services.reopen(
        user=world.coordinator, submission=approved, reason="thử", expected_version=approved.version
    )
    assert reopened.status == SubmissionStatus.RETURNED


def test_reopen_only_approved(world, submitted_ct):
    with pytest.raises(ValidationFailed, match="Chỉ mở lại được"):
        services.reopen(user=world.coordinator, submission=submitted_ct, reason="thử")


def test_status_history_is_audited(world, submitted_ct):
    services.return_submission(
        user=world.coordinator, submission=submitted_ct, general_comment="Thiếu số liệu"
    )
    entries = history_of(Submission.objects.get(pk=submitted_ct.pk))
    status_changes = [(c.before, c.after) for e in entries for c in e.changes if c.field == "status"]
    assert ("submitted", "returned") in status_changes and ("draft", "submitted") in status_changes
    assert entries[0].reason.startswith("Trả lại báo cáo (1 ý kiến): Thiếu số liệu")


# ---- reminders ---------------------------------------------------------------------------------------------------------


def test_reminders_go_to_pending_agencies_in_app_and_by_mail(
    world, round_2025, submitted_ct, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        count = services.send_reminders(
            user=world.coordinator, round=round_2025, message="Đề nghị nộp trước thứ Sáu."
        )
    assert count == 2  # Sở Công Thương has already submitted
    addresses = sorted(m.to[0] for m in mail.outbox)
    assert addresses == [
        "nnmt@tinh-thu.invalid",
        "so-nnmt@tinh-thu.invalid",
        "so-tc@tinh-thu.invalid",
        "tc@tinh-thu.invalid",
    ]
    message = next(m for m in mail.outbox if m.to == ["nnmt@tinh-thu.invalid"])
    assert message.subject.startswith("[Xanh] Nhắc nộp báo cáo Năm 2025")
    assert "Đề nghị nộp trước thứ Sáu." in message.body and "Chưa bắt đầu" in message.body
    assert Notification.objects.filter(kind=NotificationKind.REMINDER).count() == 2
    reminder = Reminder.objects.get(submission__agency=world.agencies["so-nnmt"])
    assert reminder.recipients == ["nnmt@tinh-thu.invalid", "so-nnmt@tinh-thu.invalid"]
    assert reminder.sent_by == world.coordinator


def test_reminders_to_chosen_agencies_only(world, round_2025, django_capture_on_commit_callbacks):
    chosen = [submission_of(round_2025, world.agencies["so-tc"])]
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_reminders(user=world.coordinator, round=round_2025, submissions=chosen) == 1
    assert sorted(m.to[0] for m in mail.outbox) == ["so-tc@tinh-thu.invalid", "tc@tinh-thu.invalid"]


def test_reminders_are_not_sent_when_the_action_fails(world, round_2025, django_capture_on_commit_callbacks):
    from xanh.reporting.models import ReportingRound

    other = services.open_round(
        user=world.coordinator,
        plan=world.plan,
        period="2024",
        opens_on=dt.date(2024, 12, 1),
        due_on=dt.date(2024, 12, 20),
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(PermissionDenied):
        services.send_reminders(
            user=world.coordinator, round=round_2025, submissions=list(other.submissions.all())
        )
    assert mail.outbox == [] and Reminder.objects.count() == 0
    assert ReportingRound.objects.count() == 2
    with pytest.raises(PermissionDenied):
        services.send_reminders(user=world.reporter_ct, round=round_2025)
    services.close_round(user=world.coordinator, round=round_2025)
    round_2025.refresh_from_db()
    with pytest.raises(ValidationFailed, match="đã đóng"):
        services.send_reminders(user=world.coordinator, round=round_2025)


def test_mail_failure_does_not_break_the_action(
    world, round_2025, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.reporting.failing_mail.Backend"
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_reminders(user=world.coordinator, round=round_2025) == 3
    note = Notification.objects.filter(kind=NotificationKind.REMINDER).first()
    assert note is not None and note.emailed_at is None


def test_notifications_can_be_marked_read(world, round_2025):
    assert services.mark_notifications_read(user=world.reporter_ct) == 1
    assert services.mark_notifications_read(user=world.reporter_ct) == 0


# ---- read interface for evaluation ----------------------------------------------------------------------------------------


def test_latest_task_status_prefers_the_newest_approved_round_and_the_lead(world, round_2025, submitted_ct):
    task = world.tasks["2.b"]
    assert services.latest_task_status(task) is None  # submitted is not approved yet
    services.approve(user=world.coordinator, submission=submitted_ct)
    status, percent, report = services.latest_task_status(task)
    assert (status, percent, report.submission.agency.key) == ("in_progress", 60, "so-ct")
    # task 1.a: Sở Tài chính leads, Sở Công Thương coordinates; the lead's report wins once both are approved
    assert services.latest_task_status(world.tasks["1.a"])[2].role == "coordinating"
    tc = fill_completely(world.reporter_tc, submission_of(round_2025, world.agencies["so-tc"]))
    tc_task = tc.task_reports.get()
    services.save_draft(
        user=world.reporter_tc,
        submission=tc,
        expected_version=tc.version,
        tasks={tc_task.pk: TaskInput(status="completed", narrative="Đã ban hành hướng dẫn.")},
    )
    tc.refresh_from_db()
    services.approve(
        user=world.coordinator,
        submission=services.submit(user=world.reporter_tc, submission=tc, expected_version=tc.version),
    )
    assert services.latest_task_status(world.tasks["1.a"])[:2] == ("completed", 100)


def test_agency_compliance_counts_due_rounds(world, round_2025, submitted_ct):
    tc = fill_completely(world.reporter_tc, submission_of(round_2025, world.agencies["so-tc"]))
    services.submit(user=world.reporter_tc, submission=tc, expected_version=tc.version, now=AFTER_DUE)
    services.approve(user=world.coordinator, submission=submitted_ct)
    stats = services.agency_compliance(world.plan, today=dt.date(2025, 12, 15))
    assert stats[world.agencies["so-ct"].pk] == {"rounds": 1, "on_time": 1, "complete": 1, "share": 1.0}
    assert stats[world.agencies["so-tc"].pk] == {"rounds": 1, "on_time": 0, "complete": 0, "share": 0.0}
    assert stats[world.agencies["so-nnmt"].pk] == {"rounds": 1, "on_time": 0, "complete": 0, "share": 0.0}
    # before the due date, a round not yet submitted does not count against anyone
    early = services.agency_compliance(world.plan, today=dt.date(2025, 11, 10))
    assert early[world.agencies["so-nnmt"].pk]["rounds"] == 0


def test_approved_narratives_for_the_synthesis_report(world, round_2025, submitted_ct):
    assert services.approved_narratives(world.plan, "2025") == []
    services.approve(user=world.coordinator, submission=submitted_ct)
    pairs = services.approved_narratives(world.plan, "2025")
    assert [t.code for t, _r in pairs] == ["1.a", "2.a", "2.b"]
    assert all(isinstance(r, TaskReport) and r.narrative for _t, r in pairs)
