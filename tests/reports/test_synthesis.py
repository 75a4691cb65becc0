"""The synthesis report of the demo province, read from the database (evaluation, approved reports)."""

from __future__ import annotations

import datetime as dt
import io

import docx
import pytest

from xanh.core.errors import ValidationFailed
from xanh.reports import collect
from xanh.reports.services import build_synthesis, render_report

pytestmark = pytest.mark.django_db


def _plan(demo):  # type: ignore[no-untyped-def]
    return demo["plan"]


def test_demo_report_contains_every_target_task_and_approved_narrative(demo) -> None:  # type: ignore[no-untyped-def]
    from xanh.evaluation.services import plan_evaluation_summary
    from xanh.reporting.models import SubmissionStatus, TaskReport

    plan = _plan(demo)
    report = build_synthesis(plan, "2024", issued_on=dt.date(2025, 11, 20))
    assert report.meta.evaluation_source == "service"
    text = report.plain_text()
    # every target and every task of the plan is in the appendices
    first, second = report.appendices
    listed = " ".join(r.cells[1].text for r in first.table.data_rows())
    for target in plan.targets.all():
        assert f"Chỉ tiêu {target.number}:" in listed
    assert sorted(r.cells[1].text for r in second.table.data_rows()) == sorted(
        plan.tasks.values_list("code", flat=True)
    )
    # statuses are the evaluation service's (the same as the dashboards)
    summary = plan_evaluation_summary(plan, 2024)
    shown = {t.code: t.effective_label for t in collect.collect_facts(plan, "2024").targets}
    assert shown == {t.code: t.label for t in summary.targets}
    # narratives, difficulties and proposals come from the approved reports of the period
    approved = TaskReport.objects.filter(
        submission__round__plan=plan,
        submission__round__period="2024",
        submission__status=SubmissionStatus.APPROVED,
    ).exclude(narrative="")
    assert approved.exists()
    for item in approved:
        assert item.narrative.split("\n")[0].strip()[:60] in text
        if item.difficulties:
            assert item.difficulties.strip()[:60] in text[text.index("II. TỒN TẠI") :]
        if item.proposals:
            assert item.proposals.strip()[:60] in text[text.index("III. KIẾN NGHỊ") :]
    # the header names the issuing body of the plan and a place and date
    assert report.header.issuer_lines == ("ỦY BAN NHÂN DÂN", "TỈNH LỤC VÂN")
    assert report.header.place_date == "Lục Vân, ngày 20 tháng 11 năm 2025"
    # the recipient upward is the Ministry of Finance after 1/3/2025
    assert "- Bộ Tài chính (để báo cáo);" in [r.text for r in report.closing.recipients]


def test_docx_of_the_demo_opens_and_has_sections_and_tables(demo) -> None:  # type: ignore[no-untyped-def]
    plan = _plan(demo)
    report = build_synthesis(plan, "2024")
    document = docx.Document(io.BytesIO(render_report(report, "docx")))
    texts = [p.text for p in document.paragraphs]
    for heading in ("I. KẾT QUẢ THỰC HIỆN", "II. TỒN TẠI, HẠN CHẾ VÀ NGUYÊN NHÂN", "III. KIẾN NGHỊ, ĐỀ XUẤT"):
        assert heading in texts
    assert "Phụ lục 1" in texts and "Phụ lục 2" in texts
    header = document.tables[0].rows[0].cells[1].text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in header and "Độc lập - Tự do - Hạnh phúc" in header
    tasks_table = document.tables[-1]
    codes = {row.cells[1].text for row in tasks_table.rows}
    for task in plan.tasks.prefetch_related("assignments__agency"):
        assert task.code in codes
        row = next(r for r in tasks_table.rows if r.cells[1].text == task.code)
        lead = ", ".join(a.name for a in task.lead_agencies)
        assert row.cells[3].text.split(" (nay là")[0] in lead
    targets_table = document.tables[-2]
    forest = next(r for r in targets_table.rows if r.cells[1].text.startswith("Chỉ tiêu 3:"))
    assert forest.cells[3].text == "40,1" and forest.cells[7].text == "41,5"  # 2024 value, Vietnamese format
    # one chart per target with data, plus the status summary
    assert len(document.inline_shapes) >= 5


def test_only_approved_reports_of_the_period_are_used(demo) -> None:  # type: ignore[no-untyped-def]
    from xanh.reporting.models import SubmissionStatus, TaskReport

    plan = _plan(demo)
    facts = collect.collect_facts(plan, "2025")
    reported = {(t.code, r.agency.split(" (nay là")[0]) for t in facts.tasks for r in t.reports}
    in_round = TaskReport.objects.filter(
        submission__round__plan=plan, submission__round__period="2025"
    ).select_related("task", "submission__agency", "submission")
    assert in_round.exclude(submission__status=SubmissionStatus.APPROVED).exists()
    for item in in_round:
        pair = (item.task.code, item.submission.agency.name)
        if item.submission.status == SubmissionStatus.APPROVED:
            assert pair in reported
        else:
            assert pair not in reported
    assert all(r.period == "2025" for t in facts.tasks for r in t.reports)


def test_task_status_is_the_latest_approved_up_to_the_period(demo) -> None:  # type: ignore[no-untyped-def]
    from xanh.reporting.models import ReportingRound

    plan = _plan(demo)
    assert ReportingRound.objects.filter(plan=plan, year=2025).exists()
    states_2024 = collect.latest_task_states(plan, 2024)
    states_2023 = collect.latest_task_states(plan, 2023)
    assert states_2024 and not states_2023  # nothing was reported before 2024
    task = plan.tasks.get(code="III.1.a")
    assert states_2024[task.pk][0] == "in_progress"


def test_mid_term_review_uses_every_round_of_the_period(demo) -> None:  # type: ignore[no-untyped-def]
    plan = _plan(demo)
    facts = collect.collect_facts(plan, "2025", kind=collect.ReportKind.MIDTERM)
    periods = {r.period for t in facts.tasks for r in t.reports}
    assert periods == {"2024", "2025"}


def test_override_is_shown_in_the_report(demo) -> None:  # type: ignore[no-untyped-def]
    from xanh.accounts.models import User
    from xanh.evaluation.services import evaluate_plan, override_status

    plan = _plan(demo)
    coordinator = User.objects.get(username="dieuphoi")
    evaluate_plan(plan=plan, as_of=2024)
    target = plan.targets.get(code="7")
    override_status(
        user=coordinator,
        target=target,
        status="limited_progress",
        justification="Số liệu mua sắm tập trung cuối năm chưa được tổng hợp vào kỳ này.",
    )
    report = build_synthesis(plan, "2024")
    text = report.plain_text()
    assert "Tình trạng do cơ quan đầu mối điều chỉnh: chậm tiến độ" in text
    assert "Số liệu mua sắm tập trung cuối năm chưa được tổng hợp vào kỳ này." in text


def test_without_the_evaluation_service_the_pure_methods_give_the_same_statuses(demo, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    plan = _plan(demo)
    with_service = {t.code: t.status for t in collect.collect_facts(plan, "2024").targets}
    monkeypatch.setattr(collect, "_service_summary", lambda: None)
    facts = collect.collect_facts(plan, "2024")
    assert facts.evaluation_source == "methods"
    assert {t.code: t.status for t in facts.targets} == with_service


@pytest.mark.parametrize(
    ("period", "message"),
    [("2019", "nằm ngoài giai đoạn của kế hoạch (2021–2030)"), ("năm ngoái", "không hợp lệ")],
)
def test_bad_period_is_rejected_in_vietnamese(demo, period: str, message: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationFailed) as caught:
        build_synthesis(_plan(demo), period)
    problem = caught.value.problems[0]
    assert message in problem.message
    assert problem.column == "kỳ báo cáo"
