"""Reporting screens: what each role sees, the full browser-form flow, query-count pins, htmx partials."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from tests.reporting.conftest import fill_completely, submission_of
from xanh.reporting import services
from xanh.reporting.models import ReportingRound, SubmissionStatus

pytestmark = pytest.mark.django_db


@pytest.fixture
def as_user(client):
    def login(user):
        client.force_login(user)
        return client

    return login


def test_round_list_for_coordinator_and_reporter(world, round_2025, as_user):
    html = as_user(world.coordinator).get(reverse("reporting:rounds")).content.decode()
    assert "Năm 2025" in html and "Mở kỳ báo cáo mới" in html
    html = as_user(world.reporter_ct).get(reverse("reporting:rounds")).content.decode()
    assert "Báo cáo của Sở Công Thương" in html and "Mở kỳ báo cáo mới" not in html


def test_menu_shows_reporting_to_staff(world, as_user):
    html = as_user(world.reporter_ct).get("/").content.decode()
    assert "Báo cáo định kỳ" in html


def test_coordinator_opens_a_round_through_the_form(world, as_user):
    client = as_user(world.coordinator)
    url = reverse("reporting:round_create")
    page = client.get(
        url, {"plan": world.plan.pk, "opens_on": "2025-11-01", "period": "2025"}
    ).content.decode()
    assert "Sở Tài chính" in page and "thay cho Sở Kế hoạch và Đầu tư" in page
    assert "Các sở, ban, ngành (nhóm cơ quan" in page
    # htmx asks only for the participant list
    partial = client.get(
        url, {"plan": world.plan.pk, "opens_on": "2024-12-01", "period": "2024"}, HTTP_HX_REQUEST="true"
    )
    assert "<html" not in partial.content.decode() and "Sở Kế hoạch và Đầu tư" in partial.content.decode()
    agencies = [world.agencies[k].pk for k in ("so-ct", "so-nnmt")]
    response = client.post(
        url,
        {
            "plan": world.plan.pk,
            "period": "2025",
            "opens_on": "2025-11-01",
            "due_on": "2025-11-30",
            "participants": agencies,
        },
    )
    round = ReportingRound.objects.get()
    assert response.status_code == 302 and response["Location"] == round.get_absolute_url()
    assert {s.agency.key for s in round.submissions.all()} == {"so-ct", "so-nnmt"}


def test_round_form_errors_are_vietnamese_and_name_the_field(world, as_user):
    client = as_user(world.coordinator)
    response = client.post(
        reverse("reporting:round_create"),
        {"plan": world.plan.pk, "period": "quý 3", "opens_on": "2025-11-01", "due_on": "2025-10-01"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "không hợp lệ; dùng dạng 2024" in html and "Hạn nộp phải sau" in html
    assert "Cần chọn ít nhất một cơ quan" in html
    assert not ReportingRound.objects.exists()


def test_round_form_is_for_coordinators_only(world, as_user):
    assert as_user(world.reporter_ct).get(reverse("reporting:round_create")).status_code == 403


def test_tracker_highlights_late_and_overdue(world, round_2025, as_user):
    ct = fill_completely(world.reporter_ct, submission_of(round_2025, world.agencies["so-ct"]))
    from django.utils import timezone

    services.submit(
        user=world.reporter_ct,
        submission=ct,
        expected_version=ct.version,
        now=timezone.make_aware(dt.datetime(2025, 12, 3, 8)),
    )
    html = as_user(world.coordinator).get(round_2025.get_absolute_url()).content.decode()
    assert 'class="is-late" id="agency-so-ct"' in html and "nộp muộn" in html
    assert "quá hạn" in html  # the others are past the due date without a report
    assert "Đã nộp</span>: 1" in html
    filtered = (
        as_user(world.coordinator)
        .get(round_2025.get_absolute_url(), {"trang-thai": "submitted"})
        .content.decode()
    )
    assert "Sở Công Thương" in filtered and "Sở Tài chính" not in filtered


def test_tracker_query_count_does_not_grow_with_agencies(
    world, round_2025, as_user, django_assert_num_queries
):
    client = as_user(world.coordinator)
    # session, user, round, submissions with their counts
    with django_assert_num_queries(4):
        response = client.get(round_2025.get_absolute_url())
    assert response.status_code == 200
    more = services.open_round(
        user=world.coordinator,
        plan=world.plan,
        period="2026",
        opens_on=dt.date(2026, 1, 5),
        due_on=dt.date(2026, 1, 20),
        participants=[a for a in world.agencies.values() if a.kind == "department" and a.valid_to is None],
    )
    assert more.submissions.count() > 15
    with django_assert_num_queries(4):
        client.get(more.get_absolute_url())


def test_agency_form_query_count_is_fixed(world, round_2025, as_user, django_assert_num_queries):
    submission = submission_of(round_2025, world.agencies["so-ct"])
    client = as_user(world.reporter_ct)
    # session, user, submission, tasks, evidence, task comments, assignments, indicators, indicator comments,
    # reference values, general comments, and the reporter's agency shown in the page header
    with django_assert_num_queries(12):
        response = client.get(submission.get_absolute_url())
    assert response.status_code == 200
    from tests.factories import TaskAssignmentFactory, TaskFactory

    for n in range(12):
        task = TaskFactory(plan=world.plan, code=f"9.{n}", position=100 + n)
        TaskAssignmentFactory(task=task, agency=world.agencies["so-ct"], role="lead")
        TaskAssignmentFactory(task=task, agency=world.agencies["so-xd"], role="coordinating")
    bigger = services.open_round(
        user=world.coordinator,
        plan=world.plan,
        period="2026",
        opens_on=dt.date(2026, 1, 5),
        due_on=dt.date(2026, 1, 20),
    )
    big = submission_of(bigger, world.agencies["so-ct"])
    fill_completely(world.reporter_ct, big)
    assert big.task_reports.count() == 15
    with django_assert_num_queries(12):
        response = client.get(big.get_absolute_url())
    assert response.status_code == 200


def test_reporter_fills_saves_and_submits_through_the_form(world, round_2025, as_user):
    client = as_user(world.reporter_nnmt)
    submission = submission_of(round_2025, world.agencies["so-nnmt"])
    task = submission.task_reports.get()
    total, urban, rural = submission.indicator_reports.order_by("position")
    form = {
        "version": 1,
        f"t-{task.pk}-status": "in_progress",
        f"t-{task.pk}-percent": "45",
        f"t-{task.pk}-completed_on": "",
        f"t-{task.pk}-narrative": "Đã hoàn thành 45% khối lượng.",
        f"t-{task.pk}-difficulties": "",
        f"t-{task.pk}-proposals": "",
        f"i-{total.pk}-value": "85,5",  # Vietnamese decimal comma
        f"i-{total.pk}-data_source": "Trung tâm Nước sạch",
        f"i-{total.pk}-note": "",
        f"i-{urban.pk}-value": "",
        f"i-{urban.pk}-data_source": "",
        f"i-{urban.pk}-note": "",
        "summary": "Cơ bản đạt tiến độ.",
        "action": "save",
    }
    response = client.post(submission.get_absolute_url(), form)
    assert response.status_code == 302
    total.refresh_from_db()
    assert total.value == 85.5
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.DRAFT and submission.summary == "Cơ bản đạt tiến độ."
    page = client.get(submission.get_absolute_url()).content.decode()
    assert 'value="85,5"' in page  # shown back in Vietnamese format
    form.update(version=submission.version, action="submit")
    response = client.post(submission.get_absolute_url(), form)
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.SUBMITTED
    # the rural row was never on the form: untouched, optional
    rural.refresh_from_db()
    assert rural.value is None


def test_bad_input_keeps_what_was_typed_and_names_the_field(world, round_2025, as_user):
    client = as_user(world.reporter_nnmt)
    submission = submission_of(round_2025, world.agencies["so-nnmt"])
    task = submission.task_reports.get()
    total = submission.indicator_reports.get(disaggregation="")
    response = client.post(
        submission.get_absolute_url(),
        {
            "version": 1,
            f"t-{task.pk}-status": "completed",
            f"t-{task.pk}-percent": "bảy mươi",
            f"t-{task.pk}-narrative": "Nội dung tôi đã gõ",
            f"i-{total.pk}-value": "12,5,3",
            "action": "save",
        },
    )
    html = response.content.decode()
    assert response.status_code == 422
    assert "Nhiệm vụ 1.b, cột/trường «Tỷ lệ hoàn thành (%)»: «bảy mươi» không phải là số" in html
    assert "Chỉ tiêu T-NUOC, cột/trường «Giá trị»" in html
    assert "Nội dung tôi đã gõ" in html and 'value="bảy mươi"' in html
    task.refresh_from_db()
    assert task.narrative == ""


def test_submit_with_missing_fields_saves_the_draft_and_lists_what_is_missing(world, round_2025, as_user):
    client = as_user(world.reporter_nnmt)
    submission = submission_of(round_2025, world.agencies["so-nnmt"])
    task = submission.task_reports.get()
    response = client.post(
        submission.get_absolute_url(),
        {
            "version": 1,
            f"t-{task.pk}-status": "in_progress",
            f"t-{task.pk}-narrative": "Một phần",
            "action": "submit",
        },
    )
    html = response.content.decode()
    assert response.status_code == 422
    assert "Đã lưu nháp, nhưng chưa nộp được" in html
    assert "chưa ghi tỷ lệ hoàn thành" in html and "chưa ghi giá trị" in html
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.DRAFT


def test_stale_form_gets_a_conflict_message(world, round_2025, as_user):
    submission = submission_of(round_2025, world.agencies["so-ct"])
    task = submission.task_reports.get(task__code="2.b")
    services.save_draft(
        user=world.coordinator,
        submission=submission,
        expected_version=1,
        tasks={task.pk: services.TaskInput(narrative="Cơ quan đầu mối nhập hộ")},
    )
    response = as_user(world.reporter_ct).post(
        submission.get_absolute_url(),
        {
            "version": 1,
            f"t-{task.pk}-status": "",
            f"t-{task.pk}-narrative": "Bản cũ của tôi",
            "action": "save",
        },
    )
    html = response.content.decode()
    assert response.status_code == 409
    assert "Xung đột khi lưu" in html and "Bản cũ của tôi" in html
    task.refresh_from_db()
    assert task.narrative == "Cơ quan đầu mối nhập hộ"


def test_review_return_and_approve_through_the_screen(world, round_2025, as_user):
    ct = fill_completely(world.reporter_ct, submission_of(round_2025, world.agencies["so-ct"]))
    ct = services.submit(user=world.reporter_ct, submission=ct, expected_version=ct.version)
    client = as_user(world.coordinator)
    url = reverse("reporting:review", args=[ct.pk])
    assert "Trả lại để bổ sung" in client.get(url).content.decode()
    task = ct.task_reports.get(task__code="2.b")
    client.post(
        url,
        {
            "action": "return",
            "version": ct.version,
            f"ct-{task.pk}": "Bổ sung minh chứng",
            "general_comment": "",
        },
    )
    ct.refresh_from_db()
    assert ct.status == SubmissionStatus.RETURNED
    page = as_user(world.reporter_ct).get(ct.get_absolute_url()).content.decode()
    assert "Bổ sung minh chứng" in page
    services.submit(user=world.reporter_ct, submission=ct, expected_version=ct.version)
    ct.refresh_from_db()
    client = as_user(world.coordinator)
    client.post(url, {"action": "approve", "version": ct.version})
    ct.refresh_from_db()
    assert ct.status == SubmissionStatus.APPROVED
    page = client.get(url).content.decode()
    assert "Mở lại báo cáo" in page and "Phê duyệt" in page  # history shows the approval
    response = client.post(url, {"action": "reopen", "reason": ""}, follow=True)
    assert "Cần ghi lý do mở lại" in response.content.decode()
    client.post(url, {"action": "reopen", "reason": "Sai đơn vị tính"})
    ct.refresh_from_db()
    assert ct.status == SubmissionStatus.RETURNED


def test_item_history_is_visible_on_the_item(world, round_2025, as_user):
    submission = submission_of(round_2025, world.agencies["so-ct"])
    task = submission.task_reports.get(task__code="2.b")
    services.save_draft(
        user=world.reporter_ct,
        submission=submission,
        expected_version=1,
        tasks={task.pk: services.TaskInput(status="in_progress", percent=10, narrative="Bắt đầu")},
    )
    client = as_user(world.reporter_ct)
    url = reverse("reporting:history", args=[submission.pk, "nhiem-vu", task.pk])
    partial = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial and "Lưu nháp" in partial
    assert "<strong>Tình trạng</strong>: — → Đang triển khai" in partial
    assert "Lịch sử thay đổi: Nhiệm vụ 2.b" in client.get(url).content.decode()
    value = submission.indicator_reports.get()
    assert (
        client.get(reverse("reporting:history", args=[submission.pk, "chi-tieu", value.pk])).status_code
        == 200
    )
    report_history = client.get(
        reverse("reporting:history", args=[submission.pk, "bao-cao", 0])
    ).content.decode()
    assert "Chưa bắt đầu → Đang soạn" in report_history


def test_notifications_page(world, round_2025, as_user):
    client = as_user(world.reporter_ct)
    html = client.get(reverse("reporting:notifications")).content.decode()
    assert "Mở kỳ báo cáo Năm 2025" in html and "1 chưa đọc" in html
    note = world.reporter_ct.reporting_notifications.get()
    response = client.get(reverse("reporting:notification", args=[note.pk]))
    assert response["Location"] == submission_of(round_2025, world.agencies["so-ct"]).get_absolute_url()
    note.refresh_from_db()
    assert note.read_at is not None
