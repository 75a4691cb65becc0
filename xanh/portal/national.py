"""Key national targets for the comparison page (pure, no Django).

The national figures are those of the National Green Growth Strategy, QĐ 1658/QĐ-TTg (01/10/2021), as listed in
../shared/domain/national-targets-1658.csv (rows 1, 2a, 2b, 2c, 2d, 3a, 3e1 and 3f; sources in that file's
``source`` column). Provinces restate these targets in their own words and often with their own figures, so a
province's target is recognised by the words of its text or of its indicator's name (folded: no case, no marks).
"""

from __future__ import annotations

from dataclasses import dataclass

from xanh.core.text import fold


@dataclass(frozen=True)
class KeyTarget:
    key: str
    label_vi: str
    label_en: str
    national_2030: str  # as the strategy states it, Vietnamese notation
    csv_row: str  # row id in national-targets-1658.csv
    all_of: tuple[tuple[str, ...], ...]  # every group must match (a group matches if any of its words occurs)
    none_of: tuple[str, ...] = ()


KEY_TARGETS: tuple[KeyTarget, ...] = (
    KeyTarget(
        "forest_cover",
        "Tỷ lệ che phủ rừng",
        "Forest cover",
        "giữ ổn định 42%",
        "2d",
        (("che phu rung",),),
    ),
    KeyTarget(
        "urban_solid_waste",
        "Chất thải rắn sinh hoạt đô thị được thu gom, xử lý",
        "Urban solid waste collected and treated",
        "95%",
        "3a",
        (("chat thai ran sinh hoat",), ("do thi",), ("xu ly", "thu gom")),
        ("chon lap",),
    ),
    KeyTarget(
        "green_procurement",
        "Tỷ lệ mua sắm công xanh",
        "Green public procurement",
        "≥ 35%",
        "3f",
        (("mua sam cong xanh",),),
    ),
    KeyTarget(
        "renewable_share",
        "Tỷ trọng năng lượng tái tạo trong tổng cung năng lượng sơ cấp",
        "Renewable share of primary energy supply",
        "15–20%",
        "2b",
        (("nang luong tai tao",), ("cung nang luong", "nang luong so cap")),
    ),
    KeyTarget(
        "energy_intensity",
        "Tiêu hao năng lượng trên GDP/GRDP (giảm bình quân/năm)",
        "Energy consumption per GDP/GRDP (average annual reduction)",
        "giảm 1,0–1,5%/năm",
        "2a",
        (("tieu hao nang luong",),),
    ),
    KeyTarget(
        "clean_buses",
        "Tỷ lệ xe buýt sử dụng năng lượng sạch, năng lượng xanh",
        "Clean-energy buses",
        "≥ 15% (đô thị đặc biệt)",
        "3e1",
        (("xe buyt",), ("nang luong sach", "nang luong xanh", "dien")),
    ),
    KeyTarget(
        "digital_economy",
        "Tỷ trọng kinh tế số",
        "Digital economy share",
        "30% GDP",
        "2c",
        (("kinh te so",),),
    ),
    KeyTarget(
        "ghg_intensity",
        "Cường độ phát thải khí nhà kính trên GDP/GRDP",
        "GHG emission intensity per GDP/GRDP",
        "giảm ≥ 15% so với 2014",
        "1",
        (("cuong do phat thai",),),
    ),
)


def match_key_target(text: str) -> KeyTarget | None:
    """The key national target that ``text`` (a target's text and/or its indicator's name) speaks of, if any."""
    folded = fold(text)
    for key_target in KEY_TARGETS:
        if any(word in folded for word in key_target.none_of):
            continue
        if all(any(word in folded for word in group) for group in key_target.all_of):
            return key_target
    return None
