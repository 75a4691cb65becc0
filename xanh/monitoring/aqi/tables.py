"""Reference tables of VN_AQI: breakpoints, categories, colours and health advice.

Source of every figure: Quyết định 1459/QĐ-TCMT (12/11/2019) of Tổng cục Môi trường, "Hướng dẫn kỹ thuật tính toán
và công bố chỉ số chất lượng không khí Việt Nam (VN_AQI)", Bảng 1 (categories and RGB colours) and Bảng 2
(breakpoints, µg/m³). Transcribed in /work/shared/domain/vn-aqi.md §3–§4 and vn-aqi-breakpoints.csv.
The health advice texts are Xanh's own wording of the guidance for each category (the decision's Bảng 4/5 text is
not reproduced).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

# Parameter keys used everywhere in the AQI module (and in the `xanh aqi --json` contract).
PM2_5: Final = "PM2_5"
PM10: Final = "PM10"
O3: Final = "O3"
CO: Final = "CO"
SO2: Final = "SO2"
NO2: Final = "NO2"

# Order used to break ties when two parameters have the same sub-index: particulate matter first, because it is the
# mandatory parameter of VN_AQI (QĐ 1459, vn-aqi.md §2), then the gases in the order of Bảng 2.
PARAMETERS: Final[tuple[str, ...]] = (PM2_5, PM10, O3, CO, SO2, NO2)
PM_PARAMETERS: Final[tuple[str, ...]] = (PM2_5, PM10)
GAS_PARAMETERS: Final[tuple[str, ...]] = (O3, CO, SO2, NO2)

# Breakpoint columns (Bảng 2). O3 has two columns: 1-hour and 8-hour.
O3_1H: Final = "O3_1h"
O3_8H: Final = "O3_8h"

# Index values I_i of the band edges (Bảng 2, column I_i).
INDEX_EDGES: Final[tuple[float, ...]] = (0.0, 50.0, 100.0, 150.0, 200.0, 300.0, 400.0, 500.0)

# Concentration breakpoints BP_i in µg/m³ (Bảng 2; CO also in µg/m³). The last value of each column is the "≥" lower
# bound of the top band (vn-aqi.md §4). O3 8-h has no breakpoint above 400 µg/m³ (index 300).
BREAKPOINTS: Final[dict[str, tuple[float, ...]]] = {
    O3_1H: (0.0, 160.0, 200.0, 300.0, 400.0, 800.0, 1000.0, 1200.0),
    O3_8H: (0.0, 100.0, 120.0, 170.0, 210.0, 400.0),
    CO: (0.0, 10000.0, 30000.0, 45000.0, 60000.0, 90000.0, 120000.0, 150000.0),
    SO2: (0.0, 125.0, 350.0, 550.0, 800.0, 1600.0, 2100.0, 2630.0),
    NO2: (0.0, 100.0, 200.0, 700.0, 1200.0, 2350.0, 3100.0, 3850.0),
    PM10: (0.0, 50.0, 150.0, 250.0, 350.0, 420.0, 500.0, 600.0),
    PM2_5: (0.0, 25.0, 50.0, 80.0, 150.0, 250.0, 350.0, 500.0),
}

# The breakpoint column used for each parameter's hourly sub-index and for the daily 1-hour-maximum sub-index.
HOURLY_COLUMN: Final[dict[str, str]] = {PM2_5: PM2_5, PM10: PM10, O3: O3_1H, CO: CO, SO2: SO2, NO2: NO2}


@dataclass(frozen=True, slots=True)
class Category:
    """One VN_AQI category (QĐ 1459 Bảng 1) with Xanh's health advice."""

    code: str
    low: int
    high: int
    label: str  # Vietnamese label of the decision
    label_en: str
    colour_name: str  # Vietnamese colour name of the decision
    rgb: tuple[int, int, int]
    hex: str  # converted from the decision's RGB triple
    text_hex: str  # readable text colour on top of `hex` (Xanh's choice, not in the decision)
    advice_general: str
    advice_sensitive: str


CATEGORIES: Final[tuple[Category, ...]] = (
    Category(
        code="good",
        low=0,
        high=50,
        label="Tốt",
        label_en="Good",
        colour_name="Xanh",
        rgb=(0, 228, 0),
        hex="#00E400",
        text_hex="#000000",
        advice_general="Không khí trong lành, không ảnh hưởng tới sức khỏe. Mọi người hoạt động ngoài trời bình thường.",
        advice_sensitive="Có thể hoạt động ngoài trời bình thường.",
    ),
    Category(
        code="moderate",
        low=51,
        high=100,
        label="Trung bình",
        label_en="Moderate",
        colour_name="Vàng",
        rgb=(255, 255, 0),
        hex="#FFFF00",
        text_hex="#000000",
        advice_general="Chất lượng không khí ở mức chấp nhận được. Mọi người vẫn hoạt động ngoài trời bình thường.",
        advice_sensitive=(
            "Người rất nhạy cảm với ô nhiễm nên để ý các triệu chứng như ho, khó thở và giảm bớt hoạt động gắng sức "
            "kéo dài ngoài trời."
        ),
    ),
    Category(
        code="poor",
        low=101,
        high=150,
        label="Kém",
        label_en="Poor",
        colour_name="Da cam",
        rgb=(255, 126, 0),
        hex="#FF7E00",
        text_hex="#000000",
        advice_general=(
            "Người khỏe mạnh ít bị ảnh hưởng; nên giảm hoạt động gắng sức ngoài trời nếu thấy khó chịu ở mắt, mũi, "
            "họng."
        ),
        advice_sensitive=(
            "Trẻ em, người cao tuổi, phụ nữ mang thai và người có bệnh tim, phổi nên hạn chế ở ngoài trời và đeo "
            "khẩu trang lọc bụi khi ra ngoài."
        ),
    ),
    Category(
        code="bad",
        low=151,
        high=200,
        label="Xấu",
        label_en="Bad",
        colour_name="Đỏ",
        rgb=(255, 0, 0),
        hex="#FF0000",
        text_hex="#FFFFFF",
        advice_general=(
            "Mọi người có thể bị ảnh hưởng tới sức khỏe. Nên giảm hoạt động ngoài trời, đóng cửa sổ và đeo khẩu "
            "trang lọc bụi mịn khi ra ngoài."
        ),
        advice_sensitive=(
            "Nhóm nhạy cảm nên ở trong nhà, tránh hoạt động ngoài trời; người có bệnh hô hấp, tim mạch chuẩn bị "
            "sẵn thuốc theo chỉ định."
        ),
    ),
    Category(
        code="very_bad",
        low=201,
        high=300,
        label="Rất xấu",
        label_en="Very bad",
        colour_name="Tím",
        rgb=(143, 63, 151),
        hex="#8F3F97",
        text_hex="#FFFFFF",
        advice_general=(
            "Cảnh báo sức khỏe: mọi người bị ảnh hưởng nghiêm trọng hơn. Hạn chế tối đa ra ngoài và dời các hoạt "
            "động ngoài trời sang lúc khác."
        ),
        advice_sensitive=(
            "Nhóm nhạy cảm ở trong nhà, giữ không khí trong phòng sạch (đóng cửa, dùng máy lọc không khí nếu có) và "
            "đi khám khi có triệu chứng bất thường."
        ),
    ),
    Category(
        code="hazardous",
        low=301,
        high=500,
        label="Nguy hại",
        label_en="Hazardous",
        colour_name="Nâu",
        rgb=(126, 0, 35),
        hex="#7E0023",
        text_hex="#FFFFFF",
        advice_general=(
            "Báo động: mọi người có nguy cơ bị ảnh hưởng nghiêm trọng. Ở trong nhà, đóng kín cửa và tránh mọi hoạt "
            "động ngoài trời."
        ),
        advice_sensitive=(
            "Nhóm nhạy cảm tuyệt đối không ra ngoài; liên hệ ngay cơ sở y tế khi khó thở, tức ngực hoặc mệt bất "
            "thường."
        ),
    ),
)

CATEGORY_BY_CODE: Final[dict[str, Category]] = {c.code: c for c in CATEGORIES}

# Shown when there is no index (no valid PM value): neutral grey, Xanh's choice.
NO_DATA_HEX: Final = "#BDBDBD"
NO_DATA_LABEL: Final = "Không có dữ liệu"


def category_for(aqi: int | None) -> Category | None:
    """The category of an integer AQI (Bảng 1). Values above 500 (possible only when extrapolating) are Nguy hại."""
    if aqi is None or aqi < 0:
        return None
    for category in CATEGORIES:
        if aqi <= category.high:
            return category
    return CATEGORIES[-1]
