"""Demonstration reporting rounds for the demo province (labelled "dữ liệu minh họa"), loaded through the services.

- Năm 2024: a finished round, every agency's report approved (the figures equal the demo province's official 2024
  values, so approval links to them instead of changing them).
- Năm 2025: an open round whose due date has just passed, with reports in every state: approved, submitted on time,
  submitted late, returned with comments, drafts and not started. The demo reporter ``baocao`` (Sở NN&MT) has a draft
  to continue and ``baocao2`` (Sở Công Thương) a submitted report awaiting review.

Idempotent: if the plan already has reporting rounds, nothing is done.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, TextIO

from django.db import transaction
from django.utils import timezone

from xanh.accounts.models import Role, User
from xanh.core import demo_plan as D
from xanh.indicators.models import IndicatorValue, ValueStatus
from xanh.reporting import services
from xanh.reporting.models import IndicatorReport, ReportingRound, Submission
from xanh.reporting.services import IndicatorInput, TaskInput

DATA_SOURCE = f"Báo cáo thống kê của cơ quan ({D.DEMO_LABEL})"

# What each task's lead reports, by task code: (status, percent, narrative, difficulties, proposals).
# Invented for demonstration in the style of provincial implementation reports.
NARRATIVES: dict[str, tuple[str, int, str, str, str]] = {
    "III.1.a": (
        "in_progress",
        65,
        "Kiểm tra việc thực hiện kiểm toán năng lượng tại 24/37 cơ sở sử dụng năng lượng trọng điểm; "
        "tổ chức 2 lớp tập huấn quản lý năng lượng.",
        "Một số doanh nghiệp chưa bố trí người quản lý năng lượng có chứng chỉ.",
        "Đề nghị Bộ Công Thương sớm ban hành định mức tiêu hao năng lượng cho các ngành còn thiếu.",
    ),
    "III.1.b": (
        "behind_schedule",
        30,
        "Đã khảo sát mái nhà của 56 trụ sở, trường học; lắp đặt thí điểm tại 8 công trình.",
        "Chưa có hướng dẫn về cơ chế mua bán điện dư của điện mặt trời mái nhà tại trụ sở cơ quan nhà nước.",
        "Đề nghị cho phép sử dụng nguồn chi thường xuyên để lắp đặt và bảo trì hệ thống.",
    ),
    "III.1.c": (
        "in_progress",
        50,
        "Rà soát danh mục 41 cơ sở phải kiểm kê khí nhà kính; hướng dẫn 29 cơ sở lập báo cáo kiểm kê.",
        "Năng lực lập báo cáo kiểm kê của doanh nghiệp còn hạn chế.",
        "Đề nghị tổ chức tập huấn chuyên sâu cho cán bộ môi trường của doanh nghiệp.",
    ),
    "III.2.a": (
        "in_progress",
        80,
        "Trồng mới 1.250 ha rừng tập trung và 1,2 triệu cây phân tán; tỷ lệ che phủ rừng đạt 41,8%.",
        "",
        "",
    ),
    "III.2.b": (
        "behind_schedule",
        35,
        "Hoàn thành lựa chọn địa điểm khu xử lý chất thải rắn tập trung; đang lập báo cáo nghiên cứu khả thi.",
        "Vướng mắc trong giải phóng mặt bằng tại khu vực dự kiến xây dựng.",
        "Đề nghị UBND tỉnh chỉ đạo đẩy nhanh công tác bồi thường, hỗ trợ tái định cư.",
    ),
    "III.2.c": (
        "completed",
        100,
        "5/5 khu công nghiệp đang hoạt động đã có hệ thống xử lý nước thải tập trung đạt quy chuẩn.",
        "",
        "",
    ),
    "III.2.d": (
        "in_progress",
        40,
        "Hỗ trợ 12 doanh nghiệp đánh giá sản xuất sạch hơn; xét chọn 3 dự án đổi mới công nghệ.",
        "Kinh phí hỗ trợ còn hạn chế so với nhu cầu.",
        "",
    ),
    "III.3.a": (
        "in_progress",
        70,
        "Đưa vào vận hành 4 công trình cấp nước sạch nông thôn; mở rộng mạng cấp nước đô thị thêm 18 km.",
        "",
        "",
    ),
    "III.3.b": (
        "in_progress",
        45,
        "Ban hành hướng dẫn mua sắm công xanh; tỷ lệ mua sắm công xanh ước đạt 10,2%.",
        "Danh mục sản phẩm xanh chưa đầy đủ, giá cao hơn sản phẩm thông thường.",
        "Đề nghị Bộ Tài chính ban hành tiêu chí mua sắm công xanh cho từng nhóm hàng hóa.",
    ),
    "III.3.c": (
        "not_started",
        0,
        "",
        "Chưa bố trí được nguồn vốn cho chuyển đổi phương tiện.",
        "Đề nghị xây dựng cơ chế ưu đãi cho doanh nghiệp vận tải đầu tư xe buýt điện.",
    ),
    "III.3.d": (
        "in_progress",
        60,
        "Tổ chức 14 hoạt động truyền thông về lối sống xanh; phát động phong trào chống rác thải nhựa.",
        "",
        "",
    ),
    "III.4.a": (
        "in_progress",
        55,
        "Đào tạo nghề cho 2.300 lao động, trong đó 420 lao động chuyển đổi từ ngành chịu tác động.",
        "",
        "",
    ),
    "III.4.b": (
        "in_progress",
        25,
        "Đang thu thập số liệu quan trắc để xây dựng Kế hoạch quản lý chất lượng môi trường không khí.",
        "",
        "",
    ),
    "III.4.c": (
        "in_progress",
        50,
        "Lồng ghép nội dung tăng trưởng xanh vào hoạt động trải nghiệm tại 120 trường phổ thông.",
        "",
        "",
    ),
    "IV.1": (
        "in_progress",
        50,
        "Tổng hợp báo cáo định kỳ 6 tháng, hằng năm; đôn đốc các cơ quan nộp báo cáo đúng hạn.",
        "Một số cơ quan nộp báo cáo chậm, nội dung chưa đủ theo yêu cầu.",
        "",
    ),
}
COORDINATING_NARRATIVE = (
    "Phối hợp với cơ quan chủ trì triển khai các nội dung được giao trong phạm vi chức năng."
)

# The open round: which state each agency's report is in (agencies not listed stay "not started").
OPEN_ROUND_STATES = {
    "so-tc": "approved",
    "so-ct": "submitted",
    "so-gddt": "submitted",
    "bql-kcn": "late",
    "so-xd": "returned",
    "so-nnmt": "draft",
    "so-vhttdl": "draft",
}


def _task_input(report: Any) -> TaskInput:
    if report.role != "lead":
        return TaskInput(status="in_progress", percent=50, narrative=COORDINATING_NARRATIVE)
    status, percent, narrative, difficulties, proposals = NARRATIVES.get(
        report.task.code, ("in_progress", 50, "Đang triển khai theo kế hoạch.", "", "")
    )
    return TaskInput(
        status=status, percent=percent, narrative=narrative, difficulties=difficulties, proposals=proposals
    )


def _official(unit: Any, report: Any) -> float | None:
    """The demo province's official figure for the report's point, or the nearest year's (a series that starts
    later, such as the green-bus share, still gets a plausible figure)."""
    values = dict(
        IndicatorValue.objects.filter(
            indicator=report.indicator,
            admin_unit=unit,
            disaggregation=report.disaggregation,
            status=ValueStatus.APPROVED,
        ).values_list("year", "value")
    )
    if not values:
        return None
    year = int(report.period[:4])
    nearest = min(values, key=lambda y: (abs(y - year), y))
    return float(values[nearest])


def _fill(user: Any, submission: Submission, unit: Any, *, partial: bool = False) -> Submission:
    tasks, indicators = services.report_items(submission)
    task_inputs = {pk: _task_input(r) for pk, r in tasks.items()}
    indicator_inputs = {}
    for pk, report in indicators.items():
        value = _official(unit, report)
        if value is not None:
            indicator_inputs[pk] = IndicatorInput(value=value, data_source=DATA_SOURCE)
    if partial:  # a draft: the first half of the tasks and no figures yet
        task_inputs = dict(list(task_inputs.items())[: max(1, len(task_inputs) // 2)])
        indicator_inputs = {}
    submission.refresh_from_db()
    return services.save_draft(
        user=user,
        submission=submission,
        expected_version=submission.version,
        tasks=task_inputs,
        indicators=indicator_inputs,
        summary=""
        if partial
        else f"{submission.agency.name} đã triển khai các nhiệm vụ được giao ({D.DEMO_LABEL}).",
    )


def _aware(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def _reporter(submission: Submission, coordinator: User) -> User:
    return (
        User.objects.filter(agency=submission.agency, role=Role.REPORTER, is_active=True)
        .order_by("id")
        .first()
        or coordinator
    )


@transaction.atomic
def load_demo(*, province_unit: Any, plan: Any, stdout: TextIO | None = None) -> None:
    if plan is None or ReportingRound.objects.filter(plan=plan).exists():
        return
    coordinator = (
        User.objects.filter(role=Role.COORDINATOR, admin_unit=province_unit).order_by("id").first()
        or User.objects.filter(role=Role.COORDINATOR, admin_unit__isnull=True).order_by("id").first()
    )
    if coordinator is None:
        if stdout:
            stdout.write("Bỏ qua kỳ báo cáo minh họa: chưa có tài khoản điều phối.\n")
        return
    unit = plan.admin_unit

    # A finished round for 2024, opened after the updated plan was issued (12/9/2025).
    finished = services.open_round(
        user=coordinator,
        plan=plan,
        period="2024",
        opens_on=dt.date(2025, 10, 1),
        due_on=dt.date(2025, 10, 31),
        instructions="Báo cáo kết quả thực hiện năm 2024 theo Kế hoạch cập nhật (dữ liệu minh họa).",
        is_demo=True,
    )
    for index, submission in enumerate(
        finished.submissions.select_related("agency").order_by("agency__name")
    ):
        reporter = _reporter(submission, coordinator)
        submission = _fill(reporter, submission, unit)
        submitted = services.submit(
            user=reporter,
            submission=submission,
            expected_version=submission.version,
            now=_aware(dt.date(2025, 10, 20) + dt.timedelta(days=index % 10), 9),
        )
        services.approve(user=coordinator, submission=submitted, now=_aware(dt.date(2025, 11, 5), 15))
    services.close_round(user=coordinator, round=finished)

    # The open round for 2025: its due date has just passed, so the tracker shows late and overdue agencies.
    today = timezone.localdate()
    due_on = today - dt.timedelta(days=2)
    current = services.open_round(
        user=coordinator,
        plan=plan,
        period="2025",
        opens_on=today - dt.timedelta(days=21),
        due_on=due_on,
        instructions=(
            "Đề nghị các cơ quan báo cáo tiến độ nhiệm vụ, số liệu chỉ tiêu năm 2025 và khó khăn, đề xuất "
            "(dữ liệu minh họa)."
        ),
        is_demo=True,
    )
    for submission in current.submissions.select_related("agency").order_by("agency__name"):
        state = OPEN_ROUND_STATES.get(submission.agency.key)
        if state is None:
            continue
        reporter = _reporter(submission, coordinator)
        submission = _fill(reporter, submission, unit, partial=state == "draft")
        if state == "draft":
            continue
        when = (
            _aware(due_on + dt.timedelta(days=1), 10)
            if state == "late"
            else _aware(due_on - dt.timedelta(days=4), 9)
        )
        submission = services.submit(
            user=reporter, submission=submission, expected_version=submission.version, now=when
        )
        if state == "approved":
            services.approve(user=coordinator, submission=submission, now=when + dt.timedelta(days=1))
        elif state == "returned":
            first_task = submission.task_reports.filter(role="lead").order_by("position").first()
            services.return_submission(
                user=coordinator,
                submission=submission,
                general_comment="Đề nghị bổ sung số liệu cụ thể và tài liệu minh chứng.",
                task_comments=(
                    {first_task.pk: "Nêu rõ số phương tiện đã chuyển đổi và nguồn vốn dự kiến."}
                    if first_task
                    else {}
                ),
            )
    # official values written by the demo approvals are demonstration data too
    IndicatorValue.objects.filter(
        pk__in=IndicatorReport.objects.filter(submission__round__in=[finished, current]).values(
            "official_value_id"
        ),
        is_demo=False,
    ).update(is_demo=True)
    if stdout:
        stdout.write(
            f"Kỳ báo cáo minh họa: {finished.period_label} (đã phê duyệt), {current.period_label} (đang mở, "
            f"hạn {due_on:%d/%m/%Y}).\n"
        )
