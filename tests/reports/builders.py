"""Plain report facts for the pure tests of the reports app (no database). Not a test module."""

from __future__ import annotations

from dataclasses import replace

from xanh.reports.content import ReportKind
from xanh.reports.facts import (
    AgencyReportFacts,
    ComplianceFacts,
    DocumentFacts,
    OverrideFacts,
    PartFacts,
    PlanFacts,
    TargetFacts,
    TaskFacts,
)

#: every Vietnamese letter with every tone mark, lower and upper case (for the PDF round trip)
VIETNAMESE_LETTERS = (
    "aàảãáạ ăằẳẵắặ âầẩẫấậ eèẻẽéẹ êềểễếệ iìỉĩíị oòỏõóọ ôồổỗốộ ơờởỡớợ uùủũúụ ưừửữứự yỳỷỹýỵ đ "
    "AÀẢÃÁẠ ĂẰẲẴẮẶ ÂẦẨẪẤẬ EÈẺẼÉẸ ÊỀỂỄẾỆ IÌỈĨÍỊ OÒỎÕÓỌ ÔỒỔỖỐỘ ƠỜỞỠỚỢ UÙỦŨÚỤ ƯỪỬỮỨỰ YỲỶỸÝỴ Đ"
)

PILLARS = (
    ("emissions", "Giảm cường độ phát thải khí nhà kính"),
    ("green_economy", "Xanh hóa các ngành kinh tế"),
    ("lifestyle", "Xanh hóa lối sống và tiêu dùng bền vững"),
    ("transition", "Xanh hóa quá trình chuyển đổi theo nguyên tắc bình đẳng, bao trùm"),
)


def forest_target() -> TargetFacts:
    part = PartFacts(
        name="",
        target_text="42%",
        unit="%",
        target_value=42.0,
        target_year=2030,
        baseline=40.1,
        baseline_year=2020,
        latest=41.8,
        latest_year=2025,
        status="on_track",
        status_label="đúng tiến độ",
        score=3.1,
        explanation="Tốc độ tăng bình quân quan sát: 0,8%/năm; cần: 0,5%/năm; tỷ lệ: 1,80 → đúng tiến độ",
        series=((2020, 40.1), (2021, 40.5), (2022, 40.9), (2023, 41.2), (2024, 41.5), (2025, 41.8)),
        sources=("Cục Thống kê tỉnh",),
    )
    return TargetFacts(
        code="3",
        text="Tỷ lệ che phủ rừng đạt 42% vào năm 2030.",
        pillar="green_economy",
        pillar_label="Xanh hóa các ngành kinh tế",
        number=3,
        year=2030,
        status="on_track",
        status_label="đúng tiến độ",
        score=3.1,
        explanation=(part.explanation,),
        parts=(part,),
        method="osdg",
        task_codes=("III.2.a",),
    )


def water_target() -> TargetFacts:
    def part(name: str, value: float, latest: float, status: str, label: str) -> PartFacts:
        return PartFacts(
            name=name,
            target_text=f"{value:g}%",
            unit="%",
            target_value=value,
            target_year=2030,
            baseline=latest - 4,
            baseline_year=2020,
            latest=latest,
            latest_year=2025,
            status=status,
            status_label=label,
            explanation=f"giải thích {name}",
            series=((2020, latest - 4), (2025, latest)),
        )

    return TargetFacts(
        code="6",
        text="Tỷ lệ dân số được sử dụng nước sạch đạt 92% (trong đó thành thị 100%; nông thôn 90%) vào năm 2030.",
        pillar="lifestyle",
        pillar_label="Xanh hóa lối sống và tiêu dùng bền vững",
        number=6,
        year=2030,
        status="acceleration_needed",
        status_label="cần đẩy nhanh",
        explanation=("toàn bộ: đúng tiến độ; thành thị: cần đẩy nhanh",),
        parts=(
            part("toàn bộ", 92, 88.9, "on_track", "đúng tiến độ"),
            part("thành thị", 100, 98.6, "acceleration_needed", "cần đẩy nhanh"),
            part("nông thôn", 90, 85.6, "on_track", "đúng tiến độ"),
        ),
    )


def procurement_target(*, override: bool = False) -> TargetFacts:
    part = PartFacts(
        name="",
        target_text="≥ 35%",
        unit="%",
        target_value=35.0,
        target_year=2030,
        baseline=12.0,
        baseline_year=2022,
        latest=10.2,
        latest_year=2025,
        status="deterioration",
        status_label="đi ngược xu hướng",
        explanation="Tốc độ bình quân quan sát: giảm 5,3%/năm; cần: tăng 14,3%/năm; tỷ lệ: -0,37 → đi ngược xu hướng",
        series=((2022, 12.0), (2023, 11.5), (2024, 10.8), (2025, 10.2)),
    )
    return TargetFacts(
        code="7",
        text="Tỷ lệ mua sắm công xanh đạt tối thiểu 35% vào năm 2030.",
        pillar="lifestyle",
        pillar_label="Xanh hóa lối sống và tiêu dùng bền vững",
        number=7,
        year=2030,
        status="deterioration",
        status_label="đi ngược xu hướng",
        explanation=(part.explanation, "Không có giá trị cơ sở; dùng số liệu quan sát đầu tiên (năm 2022)."),
        parts=(part,),
        override=OverrideFacts(
            status="limited_progress",
            status_label="chậm tiến độ",
            justification="Số liệu năm 2025 chưa tính các gói mua sắm tập trung cuối năm.",
            by="Cán bộ đầu mối",
            on="2026-02-03",
        )
        if override
        else None,
    )


def bus_target() -> TargetFacts:
    return TargetFacts(
        code="8",
        text="Tỷ lệ xe buýt sử dụng năng lượng xanh đạt 20% vào năm 2030.",
        pillar="lifestyle",
        pillar_label="Xanh hóa lối sống và tiêu dùng bền vững",
        number=8,
        year=2030,
        explanation=("Chỉ có 1 năm số liệu (cần ít nhất 2) → chưa đủ dữ liệu",),
        parts=(
            PartFacts(
                name="",
                target_text="20%",
                unit="%",
                target_value=20.0,
                target_year=2030,
                latest=6.0,
                latest_year=2025,
                series=((2025, 6.0),),
            ),
        ),
    )


def milestone_target() -> TargetFacts:
    return TargetFacts(
        code="10",
        text="Hoàn thành xây dựng Kế hoạch quản lý chất lượng môi trường không khí tỉnh trong năm 2026.",
        pillar="transition",
        pillar_label=PILLARS[3][1],
        number=10,
        kind="milestone",
        year=2026,
        status="on_track",
        status_label="đúng tiến độ",
        explanation=("0/1 nhiệm vụ đã hoàn thành; hạn: năm 2026 → đúng tiến độ",),
    )


def energy_task() -> TaskFacts:
    return TaskFacts(
        code="III.1.a",
        text="Rà soát, triển khai chương trình sử dụng năng lượng tiết kiệm và hiệu quả.",
        group_code="III.1",
        group_title="Giảm cường độ phát thải khí nhà kính",
        lead=("Sở Công Thương",),
        coordinating=("Ban Quản lý các khu công nghiệp", "UBND các xã, phường"),
        deadline="2021–2030",
        status="in_progress",
        status_label="Đang triển khai",
        percent=60,
        reports=(
            AgencyReportFacts(
                agency="Sở Công Thương",
                role="lead",
                period="2025",
                status="in_progress",
                status_label="Đang triển khai",
                percent=60,
                narrative="Đã kiểm toán năng lượng 12 cơ sở trọng điểm.\nTiết kiệm 3,2% điện năng.",
                difficulties="Thiếu kinh phí kiểm toán năng lượng.",
                proposals="Bố trí ngân sách tỉnh cho kiểm toán năng lượng năm 2026.",
            ),
            AgencyReportFacts(
                agency="Ban Quản lý các khu công nghiệp",
                role="coordinating",
                period="2025",
                narrative="Phối hợp kiểm tra 5 doanh nghiệp trong khu công nghiệp.",
                difficulties="Thiếu kinh phí kiểm toán năng lượng.",
            ),
        ),
        target_codes=("1",),
    )


def forest_task() -> TaskFacts:
    return TaskFacts(
        code="III.2.a",
        text="Bảo vệ và phát triển rừng, trồng mới rừng tập trung và cây phân tán.",
        group_code="III.2",
        group_title="Xanh hóa các ngành kinh tế",
        lead=("Sở Nông nghiệp và Môi trường",),
        deadline="2021–2030",
        status="behind_schedule",
        status_label="Chậm tiến độ",
        percent=40,
        reports=(
            AgencyReportFacts(
                agency="Sở Nông nghiệp và Môi trường",
                status="behind_schedule",
                status_label="Chậm tiến độ",
                percent=40,
                narrative="Trồng mới 850 ha rừng tập trung.",
                difficulties="Thiếu kinh phí kiểm toán năng lượng.\nQuỹ đất trồng rừng mới hạn chế.",
                proposals="Bố trí ngân sách tỉnh cho kiểm toán năng lượng năm 2026.",
            ),
        ),
    )


def unreported_task() -> TaskFacts:
    return TaskFacts(
        code="III.4.c",
        text="Lồng ghép nội dung tăng trưởng xanh vào chương trình giáo dục phổ thông.",
        group_code="III.4",
        group_title="Chuyển đổi công bằng, bao trùm và nâng cao năng lực",
        lead=("Sở Giáo dục và Đào tạo",),
    )


def plan_facts(**changes: object) -> PlanFacts:
    facts = PlanFacts(
        plan_id=7,
        title="Kế hoạch hành động tăng trưởng xanh tỉnh Lục Vân giai đoạn 2021–2030 (dữ liệu minh họa)",
        unit_name="Tỉnh Lục Vân",
        place="Lục Vân",
        issuer="Ủy ban nhân dân tỉnh Lục Vân",
        period="2025",
        period_label="năm 2025",
        year=2025,
        period_start=2021,
        period_end=2030,
        kind=ReportKind.ANNUAL,
        issued_on="2026-02-05",
        is_demo=True,
        document=DocumentFacts("Quyết định", "245/QĐ-UBND", "2025-09-12", "Ủy ban nhân dân tỉnh Lục Vân"),
        coordinator_agency="Sở Tài chính",
        pillars=PILLARS,
        targets=(
            forest_target(),
            water_target(),
            procurement_target(override=True),
            bus_target(),
            milestone_target(),
        ),
        tasks=(energy_task(), forest_task(), unreported_task()),
        compliance=ComplianceFacts(
            expected=12, approved=8, submitted=2, returned=1, not_submitted=1, late=3, due_on="2026-01-15"
        ),
        recipient="Bộ Tài chính",
        evaluation_source="service",
        evaluation_method="Open SDG / Thống kê Canada (tỷ lệ tốc độ tăng kép)",
    )
    return replace(facts, **changes)  # type: ignore[arg-type]
