"""The demonstration province "Lục Vân" and its action plan (fictional, labelled "dữ liệu minh họa").

Everything here is invented for demonstration, in the style of real provincial plans. National reference figures
that the targets echo come from QĐ 1658/QĐ-TTg (../shared/domain/national-targets-1658.csv): forest cover 42%,
urban solid waste treated 95%, green public procurement >= 35%, energy intensity -1.0–1.5%/year.
Pure data: no Django imports.
"""

from __future__ import annotations

from dataclasses import dataclass, field

DEMO_LABEL = "dữ liệu minh họa"
PROVINCE = {"code": "D01", "name": "Lục Vân (minh họa)", "unit_type": "province"}
DOCUMENT = {
    "number": "245/QĐ-UBND",
    "kind": "Quyết định",
    "issuer": "Ủy ban nhân dân tỉnh Lục Vân",
    "issued_on": "2025-09-12",
    "signer": "Nguyễn Văn Minh (minh họa)",
    "title": "Ban hành Kế hoạch hành động tăng trưởng xanh tỉnh Lục Vân giai đoạn 2021–2030 (cập nhật)",
}
PLAN = {
    "title": "Kế hoạch hành động tăng trưởng xanh tỉnh Lục Vân giai đoạn 2021–2030 (dữ liệu minh họa)",
    "period_start": 2021,
    "period_end": 2030,
    "summary": (
        "Thúc đẩy tăng trưởng xanh, giảm cường độ phát thải khí nhà kính, xanh hóa các ngành kinh tế và lối sống, "
        "bảo đảm chuyển đổi công bằng, bao trùm. (Nội dung minh họa, không phải văn bản thật.)"
    ),
}
REFERENCES = [
    {
        "number": "1658/QĐ-TTg",
        "kind": "Quyết định",
        "issued_on": "2021-10-01",
        "title": "Phê duyệt Chiến lược quốc gia về tăng trưởng xanh giai đoạn 2021–2030, tầm nhìn 2050",
    },
    {
        "number": "882/QĐ-TTg",
        "kind": "Quyết định",
        "issued_on": "2022-07-22",
        "title": "Ban hành Kế hoạch hành động quốc gia về tăng trưởng xanh giai đoạn 2021–2030",
    },
]


@dataclass(frozen=True)
class DemoIndicator:
    code: str
    name: str
    unit: str
    direction: str
    agency_key: str
    min_value: float | None = 0.0
    max_value: float | None = None
    disaggregations: tuple[str, ...] = ()
    # observed values by year (deterministic series; see DEMO_SERIES notes)
    series: dict[int, float] = field(default_factory=dict)
    by_scope: dict[str, dict[int, float]] = field(default_factory=dict)


@dataclass(frozen=True)
class DemoComponent:
    value: float | None = None
    low: float | None = None
    high: float | None = None
    unit: str = "%"
    comparator: str = "="
    direction: str = "increase"
    value_kind: str = "level"
    scope: str = ""
    subject: str = ""
    baseline: tuple[float, int] | None = None
    limit: float | None = None


@dataclass(frozen=True)
class DemoTarget:
    code: str
    number: int
    pillar: str
    text: str
    year: int
    indicator: str | None
    components: tuple[DemoComponent, ...] = ()
    kind: str = "quantitative"


@dataclass(frozen=True)
class DemoTask:
    code: str
    section: str
    text: str
    lead: tuple[str, ...]
    coordinating: tuple[str, ...] = ()
    deadline: str = "2021–2030"
    targets: tuple[str, ...] = ()


# Indicators the demo province defines; values are invented, with trends chosen to show every status.
INDICATORS = [
    DemoIndicator(
        "LV-01",
        "Tiêu hao năng lượng trên GRDP",
        "kgOE/triệu đồng",
        "decrease",
        "so-ct",
        max_value=100,
        series={2020: 42.0, 2021: 41.6, 2022: 41.3, 2023: 40.9, 2024: 40.6, 2025: 40.2},
    ),
    DemoIndicator(
        "LV-02",
        "Tỷ trọng năng lượng tái tạo trong tổng cung năng lượng sơ cấp",
        "%",
        "increase",
        "so-ct",
        max_value=100,
        series={2020: 9.5, 2021: 10.1, 2022: 10.8, 2023: 11.2, 2024: 11.9, 2025: 12.4},
    ),
    DemoIndicator(
        "LV-03",
        "Tỷ lệ che phủ rừng",
        "%",
        "increase",
        "so-nnmt",
        max_value=100,
        series={2020: 40.1, 2021: 40.5, 2022: 40.9, 2023: 41.2, 2024: 41.5, 2025: 41.8},
    ),
    DemoIndicator(
        "LV-04",
        "Tỷ lệ chất thải rắn sinh hoạt đô thị được thu gom, xử lý",
        "%",
        "increase",
        "so-nnmt",
        max_value=100,
        series={2020: 86.0, 2021: 86.5, 2022: 86.8, 2023: 87.0, 2024: 87.1, 2025: 87.3},
    ),
    DemoIndicator(
        "LV-05",
        "Tỷ lệ khu công nghiệp có hệ thống xử lý nước thải tập trung",
        "%",
        "increase",
        "bql-kcn",
        max_value=100,
        series={2020: 80.0, 2021: 80.0, 2022: 100.0, 2023: 100.0, 2024: 100.0, 2025: 100.0},
    ),
    DemoIndicator(
        "LV-06",
        "Tỷ lệ dân số được sử dụng nước sạch",
        "%",
        "increase",
        "so-nnmt",
        max_value=100,
        disaggregations=("thành thị", "nông thôn"),
        series={2020: 84.0, 2021: 85.2, 2022: 86.1, 2023: 87.3, 2024: 88.0, 2025: 88.9},
        by_scope={
            "thành thị": {2020: 95.0, 2021: 96.0, 2022: 96.8, 2023: 97.5, 2024: 98.1, 2025: 98.6},
            "nông thôn": {2020: 80.5, 2021: 81.7, 2022: 82.6, 2023: 83.9, 2024: 84.6, 2025: 85.6},
        },
    ),
    DemoIndicator(
        "LV-07",
        "Tỷ lệ mua sắm công xanh",
        "%",
        "increase",
        "so-tc",
        max_value=100,
        series={2022: 12.0, 2023: 11.5, 2024: 10.8, 2025: 10.2},
    ),
    DemoIndicator(
        "LV-08",
        "Tỷ lệ xe buýt sử dụng năng lượng xanh",
        "%",
        "increase",
        "so-xd",
        max_value=100,
        series={2025: 6.0},
    ),
    DemoIndicator(
        "LV-09",
        "Tỷ lệ lao động qua đào tạo",
        "%",
        "increase",
        "so-nv",
        max_value=100,
        series={2020: 66.0, 2021: 67.4, 2022: 68.9, 2023: 70.1, 2024: 71.6, 2025: 72.8},
    ),
]

PILLAR_SECTIONS = {
    "emissions": ("II.2.a", "Giảm cường độ phát thải khí nhà kính"),
    "green_economy": ("II.2.b", "Xanh hóa các ngành kinh tế"),
    "lifestyle": ("II.2.c", "Xanh hóa lối sống và thúc đẩy tiêu dùng bền vững"),
    "transition": ("II.2.d", "Xanh hóa quá trình chuyển đổi theo nguyên tắc bình đẳng, bao trùm"),
}

TARGETS = [
    DemoTarget(
        "1",
        1,
        "emissions",
        "Tiêu hao năng lượng trên GRDP giảm bình quân 1,0–1,5%/năm giai đoạn 2021–2030.",
        2030,
        "LV-01",
        (
            DemoComponent(
                low=1.0,
                high=1.5,
                unit="%/năm",
                comparator="range",
                direction="decrease",
                value_kind="annual_rate",
                baseline=(42.0, 2020),
            ),
        ),
    ),
    DemoTarget(
        "2",
        2,
        "emissions",
        "Tỷ trọng năng lượng tái tạo trong tổng cung năng lượng sơ cấp đạt 20% vào năm 2030.",
        2030,
        "LV-02",
        (DemoComponent(value=20.0, baseline=(9.5, 2020), limit=100.0),),
    ),
    DemoTarget(
        "3",
        3,
        "green_economy",
        "Tỷ lệ che phủ rừng đạt 42% vào năm 2030.",
        2030,
        "LV-03",
        (DemoComponent(value=42.0, baseline=(40.1, 2020), limit=100.0),),
    ),
    DemoTarget(
        "4",
        4,
        "green_economy",
        "Tỷ lệ chất thải rắn sinh hoạt đô thị được thu gom, xử lý đạt 95% vào năm 2030.",
        2030,
        "LV-04",
        (DemoComponent(value=95.0, baseline=(86.0, 2020), limit=100.0),),
    ),
    DemoTarget(
        "5",
        5,
        "green_economy",
        "100% khu công nghiệp có hệ thống xử lý nước thải tập trung đạt quy chuẩn vào năm 2025.",
        2025,
        "LV-05",
        (DemoComponent(value=100.0, baseline=(80.0, 2020), limit=100.0),),
    ),
    DemoTarget(
        "6",
        6,
        "lifestyle",
        "Tỷ lệ dân số được sử dụng nước sạch đạt 92% (trong đó thành thị 100%; nông thôn 90%) vào năm 2030.",
        2030,
        "LV-06",
        (
            DemoComponent(value=92.0, baseline=(84.0, 2020), limit=100.0),
            DemoComponent(
                value=100.0, scope="thành thị", subject="thành thị", baseline=(95.0, 2020), limit=100.0
            ),
            DemoComponent(
                value=90.0, scope="nông thôn", subject="nông thôn", baseline=(80.5, 2020), limit=100.0
            ),
        ),
    ),
    DemoTarget(
        "7",
        7,
        "lifestyle",
        "Tỷ lệ mua sắm công xanh đạt tối thiểu 35% vào năm 2030.",
        2030,
        "LV-07",
        (DemoComponent(value=35.0, comparator=">=", limit=100.0),),
    ),
    DemoTarget(
        "8",
        8,
        "lifestyle",
        "Tỷ lệ xe buýt sử dụng năng lượng xanh đạt 20% tổng số xe buýt đang lưu hành vào năm 2030.",
        2030,
        "LV-08",
        (DemoComponent(value=20.0, limit=100.0),),
    ),
    DemoTarget(
        "9",
        9,
        "transition",
        "Tỷ lệ lao động qua đào tạo đạt 75% vào năm 2030.",
        2030,
        "LV-09",
        (DemoComponent(value=75.0, baseline=(66.0, 2020), limit=100.0),),
    ),
    DemoTarget(
        "10",
        10,
        "transition",
        "Hoàn thành xây dựng Kế hoạch quản lý chất lượng môi trường không khí tỉnh trong năm 2026.",
        2026,
        None,
        (),
        kind="milestone",
    ),
]

SECTIONS = [
    ("I", "I.", "MỤC ĐÍCH, YÊU CẦU", None),
    ("II", "II.", "MỤC TIÊU", None),
    ("II.1", "1.", "Mục tiêu tổng quát", "II"),
    ("II.2", "2.", "Mục tiêu cụ thể đến năm 2030", "II"),
    *[(code, f"{code[-1]})", heading, "II.2") for code, heading in PILLAR_SECTIONS.values()],
    ("III", "III.", "NHIỆM VỤ, GIẢI PHÁP", None),
    ("III.1", "1.", "Giảm cường độ phát thải khí nhà kính", "III"),
    ("III.2", "2.", "Xanh hóa các ngành kinh tế", "III"),
    ("III.3", "3.", "Xanh hóa lối sống và tiêu dùng bền vững", "III"),
    ("III.4", "4.", "Chuyển đổi công bằng, bao trùm và nâng cao năng lực", "III"),
    ("IV", "IV.", "TỔ CHỨC THỰC HIỆN", None),
]

TASKS = [
    DemoTask(
        "III.1.a",
        "III.1",
        "Rà soát, triển khai chương trình sử dụng năng lượng tiết kiệm và hiệu quả trong "
        "các cơ sở sử dụng năng lượng trọng điểm.",
        ("so-ct",),
        ("bql-kcn", "ubnd-cap-xa"),
        targets=("1",),
    ),
    DemoTask(
        "III.1.b",
        "III.1",
        "Phát triển điện mặt trời mái nhà tại trụ sở cơ quan nhà nước, trường học và bệnh viện.",
        ("so-ct",),
        ("so-tc", "so-xd"),
        targets=("2",),
    ),
    DemoTask(
        "III.1.c",
        "III.1",
        "Kiểm kê khí nhà kính các cơ sở thuộc danh mục phải kiểm kê trên địa bàn tỉnh.",
        ("so-nnmt",),
        ("so-ct", "so-xd"),
        deadline="Hằng năm",
    ),
    DemoTask(
        "III.2.a",
        "III.2",
        "Bảo vệ và phát triển rừng, trồng mới rừng tập trung và cây phân tán.",
        ("so-nnmt",),
        ("ubnd-cap-xa",),
        targets=("3",),
    ),
    DemoTask(
        "III.2.b",
        "III.2",
        "Đầu tư khu xử lý chất thải rắn sinh hoạt tập trung cấp tỉnh; mở rộng thu gom tại đô thị.",
        ("so-nnmt",),
        ("so-xd", "ubnd-cap-xa"),
        targets=("4",),
    ),
    DemoTask(
        "III.2.c",
        "III.2",
        "Hoàn thiện hệ thống xử lý nước thải tập trung tại các khu công nghiệp.",
        ("bql-kcn",),
        ("so-nnmt",),
        deadline="2025",
        targets=("5",),
    ),
    DemoTask(
        "III.2.d",
        "III.2",
        "Khuyến khích doanh nghiệp áp dụng công nghệ sạch, sản xuất sạch hơn.",
        ("so-khcn",),
        ("so-ct", "bql-kcn"),
    ),
    DemoTask(
        "III.3.a",
        "III.3",
        "Đầu tư cấp nước sạch nông thôn, mở rộng mạng cấp nước đô thị.",
        ("so-nnmt",),
        ("so-xd", "ubnd-cap-xa"),
        targets=("6",),
    ),
    DemoTask(
        "III.3.b",
        "III.3",
        "Ban hành hướng dẫn và tổ chức mua sắm công xanh tại các cơ quan, đơn vị sử dụng ngân sách nhà nước.",
        ("so-tc",),
        ("cac-so-nganh",),
        targets=("7",),
    ),
    DemoTask(
        "III.3.c",
        "III.3",
        "Chuyển đổi phương tiện vận tải hành khách công cộng sang năng lượng xanh.",
        ("so-xd",),
        ("so-ct",),
        targets=("8",),
    ),
    DemoTask(
        "III.3.d",
        "III.3",
        "Truyền thông nâng cao nhận thức về lối sống xanh, giảm sử dụng túi nilon khó phân hủy.",
        ("so-vhttdl",),
        ("so-gddt", "ubnd-cap-xa"),
    ),
    DemoTask(
        "III.4.a",
        "III.4",
        "Đào tạo nghề, chuyển đổi việc làm cho lao động trong các ngành chịu tác động của chuyển đổi xanh.",
        ("so-nv",),
        ("so-gddt",),
        targets=("9",),
    ),
    DemoTask(
        "III.4.b",
        "III.4",
        "Xây dựng Kế hoạch quản lý chất lượng môi trường không khí tỉnh.",
        ("so-nnmt",),
        ("so-yt", "so-ct"),
        deadline="2026",
        targets=("10",),
    ),
    DemoTask(
        "III.4.c",
        "III.4",
        "Lồng ghép nội dung tăng trưởng xanh vào chương trình giáo dục phổ thông.",
        ("so-gddt",),
        (),
    ),
    DemoTask(
        "IV.1",
        "IV",
        "Theo dõi, đôn đốc, tổng hợp báo cáo định kỳ tình hình thực hiện Kế hoạch.",
        ("so-tc",),
        ("cac-so-nganh",),
        deadline="Định kỳ 6 tháng, hằng năm",
    ),
]

DEMO_USERS = [
    # username, role, agency key (reporters only), full name
    ("quantri", "admin", None, "Quản trị hệ thống (minh họa)"),
    ("dieuphoi", "coordinator", None, "Cán bộ đầu mối Sở Tài chính (minh họa)"),
    ("baocao", "reporter", "so-nnmt", "Cán bộ Sở Nông nghiệp và Môi trường (minh họa)"),
    ("baocao2", "reporter", "so-ct", "Cán bộ Sở Công Thương (minh họa)"),
    ("xem", "viewer", None, "Người xem (minh họa)"),
]
DEMO_PASSWORD = "xanh-minh-hoa-2026"  # noqa: S105 - demonstration logins, printed by the setup command


def render_plan_text(agency_names: dict[str, str]) -> str:
    """The demo plan as a document text, in the layout of real provincial plans. ``agency_names``: key → name."""
    lines = [
        "ỦY BAN NHÂN DÂN TỈNH LỤC VÂN",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        f"Số: {DOCUMENT['number']}",
        "Lục Vân, ngày 12 tháng 9 năm 2025",
        "QUYẾT ĐỊNH",
        DOCUMENT["title"].upper(),
        "(DỮ LIỆU MINH HỌA — VĂN BẢN HƯ CẤU DÙNG ĐỂ TRÌNH DIỄN PHẦN MỀM)",
        "Căn cứ Quyết định số 1658/QĐ-TTg ngày 01/10/2021 của Thủ tướng Chính phủ phê duyệt Chiến lược quốc gia "
        "về tăng trưởng xanh giai đoạn 2021–2030, tầm nhìn 2050;",
        "Căn cứ Quyết định số 882/QĐ-TTg ngày 22/7/2022 của Thủ tướng Chính phủ ban hành Kế hoạch hành động quốc "
        "gia về tăng trưởng xanh giai đoạn 2021–2030;",
        "KẾ HOẠCH",
    ]
    for code, label, heading, _parent in SECTIONS:
        lines.append(f"{label} {heading}")
        if code == "II.1":
            lines.append(str(PLAN["summary"]))
        pillar = next((p for p, (c, _h) in PILLAR_SECTIONS.items() if c == code), None)
        if pillar:
            for target in TARGETS:
                if target.pillar == pillar:
                    lines.append(f"- Chỉ tiêu {target.number}: {target.text}")
        for task in TASKS:
            if task.section == code:
                lead = ", ".join(agency_names.get(k, k) for k in task.lead)
                coordinating = ", ".join(agency_names.get(k, k) for k in task.coordinating) or "không"
                lines.append(
                    f"{task.code.rsplit('.', 1)[-1]}) {task.text} Cơ quan chủ trì: {lead}; "
                    f"phối hợp: {coordinating}; thời gian: {task.deadline}."
                )
    lines.append("Nơi nhận: Như Điều 3; Lưu: VT.")
    lines.append(f"KT. CHỦ TỊCH — PHÓ CHỦ TỊCH — {DOCUMENT['signer']}")
    return "\n".join(lines) + "\n"
