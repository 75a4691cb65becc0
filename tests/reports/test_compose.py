"""The composer: facts in, report content out (pure, no database)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.reports.builders import PILLARS, energy_task, plan_facts
from xanh.reports.compose import STATUS_ORDER, compose_synthesis, gather_quotes, number_cell
from xanh.reports.content import (
    REVIEW_MARK,
    CellKind,
    Chart,
    Heading,
    Paragraph,
    ReportKind,
)
from xanh.reports.facts import AgencyReportFacts, PartFacts, TargetFacts, TaskFacts
from xanh.reports.vietnamese import paragraphs


def headings(report) -> list[str]:  # type: ignore[no-untyped-def]
    return [b.text for b in report.body if isinstance(b, Heading)]


def test_header_block_follows_administrative_conventions() -> None:
    report = compose_synthesis(plan_facts())
    header = report.header
    assert header.issuer_lines == ("ỦY BAN NHÂN DÂN", "TỈNH LỤC VÂN")
    assert header.national_name == "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
    assert header.motto == "Độc lập - Tự do - Hạnh phúc"
    # the number is left for the clerk; the symbol says report (BC) of the People's Committee (UBND)
    assert header.number.replace("\u00a0", " ").split() == ["Số:", "/BC-UBND"]
    # leading zeros for days below 10 and months below 3
    assert header.place_date == "Lục Vân, ngày 05 tháng 02 năm 2026"
    assert header.notice == "DỮ LIỆU MINH HỌA"
    assert report.title == "BÁO CÁO"
    assert report.subtitle == (
        "Kết quả thực hiện kế hoạch hành động tăng trưởng xanh tỉnh Lục Vân giai đoạn 2021–2030 năm 2025"
    )


def test_sections_in_order() -> None:
    found = headings(compose_synthesis(plan_facts()))
    expected = [
        "I. KẾT QUẢ THỰC HIỆN",
        "1. Kết quả thực hiện các mục tiêu, chỉ tiêu",
        "2. Kết quả thực hiện các nhiệm vụ, giải pháp",
        "3. Tình hình thực hiện chế độ báo cáo",
        "II. TỒN TẠI, HẠN CHẾ VÀ NGUYÊN NHÂN",
        "III. KIẾN NGHỊ, ĐỀ XUẤT",
    ]
    positions = [found.index(h) for h in expected]
    assert positions == sorted(positions)
    # targets are grouped by pillar, in the plan's pillar order, lettered a), b), ...
    assert "a) Xanh hóa các ngành kinh tế" in found
    assert "b) Xanh hóa lối sống và tiêu dùng bền vững" in found


def test_opening_cites_the_plan_document() -> None:
    report = compose_synthesis(plan_facts())
    first = next(b for b in report.body if isinstance(b, Paragraph))
    assert first.text.startswith(
        "Thực hiện Quyết định số 245/QĐ-UBND ngày 12/9/2025 của Ủy ban nhân dân tỉnh Lục Vân"
    )
    assert first.text.endswith("báo cáo kết quả thực hiện năm 2025 như sau:")


def test_target_results_show_status_values_and_explanation() -> None:
    text = compose_synthesis(plan_facts()).plain_text()
    assert "Chỉ tiêu 3: Tỷ lệ che phủ rừng đạt 42% vào năm 2030." in text
    assert (
        "giá trị năm 2025: 41,8%; cơ sở năm 2020: 40,1%; mục tiêu: 42% năm 2030; tình trạng: đúng tiến độ"
        in text
    )
    assert "tỷ lệ: 1,80 → đúng tiến độ" in text
    # a target with components lists each component with its own status
    assert "Thành thị: giá trị năm 2025: 98,6%" in text
    assert "Tình trạng chung: cần đẩy nhanh." in text


def test_override_is_shown_as_an_override() -> None:
    text = compose_synthesis(plan_facts()).plain_text()
    assert (
        "Tình trạng do cơ quan đầu mối điều chỉnh: chậm tiến độ (kết quả tính toán: đi ngược xu hướng)"
        in text
    )
    assert "Lý do: Số liệu năm 2025 chưa tính các gói mua sắm tập trung cuối năm." in text
    assert "chậm tiến độ (điều chỉnh)" in text  # in the appendix too


def test_insufficient_data_is_never_guessed_and_is_marked_for_review() -> None:
    report = compose_synthesis(plan_facts())
    text = report.plain_text()
    assert "Chỉ tiêu 8" in text
    assert any("Chưa đủ số liệu để đánh giá" in item for item in report.review_items())


def test_tasks_with_narratives_from_approved_reports() -> None:
    text = compose_synthesis(plan_facts()).plain_text()
    assert "III.1.a. Rà soát, triển khai chương trình" in text
    assert (
        "Sở Công Thương (chủ trì) — đang triển khai, hoàn thành 60%: Đã kiểm toán năng lượng 12 cơ sở" in text
    )
    assert "Ban Quản lý các khu công nghiệp (phối hợp): Phối hợp kiểm tra 5 doanh nghiệp" in text
    # a task nobody reported on is flagged, not filled in
    assert f"{REVIEW_MARK} chưa có báo cáo được phê duyệt" in text


def test_difficulties_and_proposals_are_quoted_once_with_their_tasks() -> None:
    report = compose_synthesis(plan_facts())
    text = report.plain_text()
    section_two = text[text.index("II. TỒN TẠI") : text.index("III. KIẾN NGHỊ")]
    section_three = text[text.index("III. KIẾN NGHỊ") :]
    assert "Sở Công Thương (nhiệm vụ III.1.a): Thiếu kinh phí kiểm toán năng lượng." in section_two
    # two agencies wrote the same sentence: each is quoted under its own name
    assert "Sở Nông nghiệp và Môi trường (nhiệm vụ III.2.a): Quỹ đất trồng rừng mới hạn chế." in section_two
    assert "Sở Công Thương (nhiệm vụ III.1.a): Bố trí ngân sách tỉnh" in section_three
    # causes are not written by the system
    assert any("phân tích nguyên nhân" in item for item in report.review_items())
    # lagging targets and tasks are listed as shortcomings
    assert "Chỉ tiêu 7 (Tỷ lệ mua sắm công xanh đạt tối thiểu 35% vào năm 2030): chậm tiến độ" in section_two
    assert "III.2.a. Bảo vệ và phát triển rừng" in section_two


def test_same_difficulty_on_several_tasks_is_listed_once() -> None:
    shared = "Thiếu cán bộ chuyên trách."
    tasks = [
        TaskFacts(code=f"T{i}", text="x", reports=(AgencyReportFacts(agency="Sở A", difficulties=shared),))
        for i in range(3)
    ]
    quotes = gather_quotes(tasks, "difficulties")
    assert len(quotes) == 1
    assert quotes[0].tasks == ["T0", "T1", "T2"]


def test_empty_difficulties_and_proposals_say_so() -> None:
    quiet = replace(energy_task(), reports=(AgencyReportFacts(agency="Sở Công Thương", narrative="Đã làm."),))
    text = compose_synthesis(plan_facts(tasks=(quiet,))).plain_text()
    assert "không nêu khó khăn, vướng mắc" in text
    assert "không có kiến nghị, đề xuất" in text


def test_appendix_one_lists_every_target_by_pillar() -> None:
    report = compose_synthesis(plan_facts())
    appendix = report.appendices[0]
    assert appendix.label == "Phụ lục 1"
    assert appendix.title == "KẾT QUẢ THỰC HIỆN CÁC MỤC TIÊU, CHỈ TIÊU"
    groups = [r.cells[0].text for r in appendix.table.rows if r.group]
    assert groups == [
        "A. Xanh hóa các ngành kinh tế",
        "B. Xanh hóa lối sống và tiêu dùng bền vững",
        "C. Xanh hóa quá trình chuyển đổi theo nguyên tắc bình đẳng, bao trùm",
    ]
    rows = [r for r in appendix.table.rows if not r.group]
    forest = next(r for r in rows if r.cells[1].text.startswith("Chỉ tiêu 3"))
    assert forest.cells[3].value == 40.1 and forest.cells[3].text == "40,1"
    assert forest.cells[4].value == 2020 and forest.cells[4].kind is CellKind.INTEGER
    assert forest.cells[9].text == "đúng tiến độ"
    # components get their own rows under the target
    assert [r.cells[1].text for r in rows if r.cells[1].text.startswith("–")] == [
        "– toàn bộ",
        "– thành thị",
        "– nông thôn",
    ]


def test_appendix_two_lists_every_task_with_lead_agency_and_status() -> None:
    table = compose_synthesis(plan_facts()).appendices[1].table
    rows = {r.cells[1].text: r for r in table.rows if not r.group}
    assert set(rows) == {"III.1.a", "III.2.a", "III.4.c"}
    assert rows["III.1.a"].cells[3].text == "Sở Công Thương"
    assert rows["III.1.a"].cells[4].text == "Ban Quản lý các khu công nghiệp; UBND các xã, phường"
    assert rows["III.1.a"].cells[6].text == "Đang triển khai"
    assert rows["III.1.a"].cells[7].value == 60.0
    assert rows["III.4.c"].cells[6].review is True


def test_charts_are_placed_with_their_targets() -> None:
    png = b"\x89PNG fake"
    report = compose_synthesis(plan_facts(), {"3": png, "status-summary": png})
    charts = [b for b in report.body if isinstance(b, Chart)]
    assert [c.key for c in charts] == ["status-summary", "target-3"]
    assert charts[0].caption.startswith("Biểu đồ 1.")
    assert charts[1].caption.startswith("Biểu đồ 2. Chỉ tiêu 3")


def test_midterm_and_final_titles() -> None:
    midterm = compose_synthesis(plan_facts(kind=ReportKind.MIDTERM))
    assert midterm.subtitle.startswith("Sơ kết giữa kỳ thực hiện kế hoạch hành động")
    assert midterm.subtitle.endswith("giai đoạn 2021–2025")
    assert midterm.file_stem == "bao-cao-tong-hop-so-ket-luc-van-2025"
    final = compose_synthesis(plan_facts(kind=ReportKind.FINAL, year=2030, period="2030"))
    assert final.subtitle.startswith("Tổng kết thực hiện")


def test_closing_has_recipients_and_a_signature_to_review() -> None:
    report = compose_synthesis(plan_facts())
    recipients = [r.text for r in report.closing.recipients]
    assert recipients[0] == "Nơi nhận:"
    assert "- Bộ Tài chính (để báo cáo);" in recipients
    assert recipients[-1] == "- Lưu: VT."
    assert report.closing.signature_lines[0].text == "TM. ỦY BAN NHÂN DÂN"
    assert report.closing.signature_lines[-1].review


def test_number_cells_use_vietnamese_format_and_keep_the_value() -> None:
    cell = number_cell(1234.5)
    assert (cell.text, cell.value, cell.decimals) == ("1.234,5", 1234.5, 1)
    assert number_cell(None).text == "—"
    assert number_cell(float("nan")).text == "—"


def test_plan_without_targets_or_tasks_still_gives_a_report() -> None:
    report = compose_synthesis(plan_facts(targets=(), tasks=(), compliance=None))
    text = report.plain_text()
    assert "Kế hoạch chưa có mục tiêu, chỉ tiêu được số hóa." in text
    assert "Kế hoạch chưa có nhiệm vụ, giải pháp được số hóa." in text
    assert [len(list(a.table.data_rows())) for a in report.appendices] == [0, 0]


# --- properties -------------------------------------------------------------------------------------------------

words = (
    st.text(alphabet="abcdđeêghiklmnoôơpqrstuưvxyàáảãạăắằẳẵặ ", min_size=1, max_size=30)
    .map(str.strip)
    .filter(bool)
)
statuses = st.sampled_from(STATUS_ORDER)


@st.composite
def targets(draw: st.DrawFn) -> list[TargetFacts]:
    count = draw(st.integers(0, 8))
    out = []
    for i in range(count):
        status = draw(statuses)
        part_count = draw(st.integers(0, 3))
        parts = tuple(
            PartFacts(
                name="" if part_count == 1 else f"phần {j}",
                target_text="10%",
                latest=draw(st.none() | st.floats(-1e6, 1e6, allow_nan=False)),
                latest_year=2025,
                status=draw(statuses),
            )
            for j in range(part_count)
        )
        out.append(
            TargetFacts(
                code=f"C{i}",
                text=draw(words),
                pillar=draw(st.sampled_from([p for p, _ in PILLARS] + ["other"])),
                pillar_label="Khác",
                number=i + 1,
                status=status,
                status_label=status,
                parts=parts,
            )
        )
    return out


@st.composite
def tasks(draw: st.DrawFn) -> list[TaskFacts]:
    count = draw(st.integers(0, 8))
    out = []
    for i in range(count):
        reports = tuple(
            AgencyReportFacts(
                agency=draw(st.sampled_from(["Sở A", "Sở B", "UBND xã C"])),
                narrative=draw(st.just("") | words),
                difficulties=draw(st.just("") | words),
                proposals=draw(st.just("") | words),
            )
            for _ in range(draw(st.integers(0, 2)))
        )
        status = draw(st.sampled_from(["", "completed", "in_progress", "behind_schedule"]))
        out.append(
            TaskFacts(
                code=f"N{i}",
                text=draw(words),
                group_code=draw(st.sampled_from(["III.1", "III.2", ""])),
                group_title=draw(st.sampled_from(["Nhóm một", "Nhóm hai", ""])),
                lead=draw(st.sampled_from([(), ("Sở A",)])),
                status=status,
                status_label=status.replace("_", " "),
                reports=reports,
            )
        )
    return out


@settings(max_examples=60, deadline=None)
@given(targets(), tasks(), st.dates(dt.date(2021, 1, 1), dt.date(2031, 12, 31)))
def test_every_target_and_task_is_in_the_appendices(
    ts: list[TargetFacts], ks: list[TaskFacts], day: dt.date
) -> None:
    report = compose_synthesis(plan_facts(targets=tuple(ts), tasks=tuple(ks), issued_on=day.isoformat()))
    first, second = report.appendices
    listed_targets = [r.cells[1].text.split(":")[0] for r in first.table.data_rows() if r.cells[0].text]
    assert listed_targets == [
        t.label for t in sorted(ts, key=lambda t: [p for p, _ in (*PILLARS, ("other", ""))].index(t.pillar))
    ]
    assert sorted(r.cells[1].text for r in second.table.data_rows()) == sorted(t.code for t in ks)
    # every row has one cell per column
    for appendix in report.appendices:
        width = len(appendix.table.columns)
        assert all(len(r.cells) == width for r in appendix.table.data_rows())
    text = report.plain_text()
    for needed in ("I. KẾT QUẢ THỰC HIỆN", "II. TỒN TẠI, HẠN CHẾ VÀ NGUYÊN NHÂN", "III. KIẾN NGHỊ, ĐỀ XUẤT"):
        assert needed in text
    # a task without an approved report is always marked for review, never given a status
    for task in ks:
        if not task.status_label:
            row = next(r for r in second.table.data_rows() if r.cells[1].text == task.code)
            assert row.cells[6].review


@settings(max_examples=40, deadline=None)
@given(tasks())
def test_every_reported_difficulty_and_proposal_reaches_the_report(ks: list[TaskFacts]) -> None:
    text = compose_synthesis(plan_facts(tasks=tuple(ks))).plain_text()
    for task in ks:
        for report in task.reports:
            for field in (report.difficulties, report.proposals):
                # every line reaches the report word for word; only runs of spaces and typed list markers are tidied
                for line in paragraphs(field):
                    assert line in text
                    assert " ".join(line.split()) == line


def test_many_task_groups_are_all_listed() -> None:
    ks = tuple(
        TaskFacts(code=f"N{i}", text="x", group_code=f"G{i}", group_title=f"Nhóm {i}") for i in range(30)
    )
    report = compose_synthesis(plan_facts(tasks=ks))
    table = report.appendices[1].table
    assert len(list(table.data_rows())) == 30
    groups = [r.cells[0].text for r in table.rows if r.group]
    assert groups[0].startswith("A. ") and groups[4].startswith("Đ. ") and groups[23].startswith("AA. ")
    assert len(set(groups)) == 30
