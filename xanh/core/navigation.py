"""The main menu. Apps add their entries here (one line each); ``roles`` limits an entry to some roles."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class NavEntry:
    label: str
    url_name: str
    roles: frozenset[str] | None = None  # None: everyone, including anonymous visitors


STAFF = frozenset({"admin", "coordinator", "reporter", "viewer"})

MENU: list[NavEntry] = [
    NavEntry("Kế hoạch", "home"),
    NavEntry("Chỉ tiêu", "indicators:list"),
    NavEntry("Đánh giá", "evaluation:index"),
    NavEntry("Đơn vị hành chính", "geo:list"),
    NavEntry("Cơ quan", "agencies:list"),
    NavEntry("Báo cáo định kỳ", "reporting:rounds", frozenset({"admin", "coordinator", "reporter"})),
    NavEntry("Thông báo", "reporting:notifications", STAFF),
    NavEntry("Không khí", "monitoring:index"),
    NavEntry("Khí nhà kính", "ghg:summary"),
    NavEntry("Nhập kế hoạch", "documents:import_upload", frozenset({"admin", "coordinator"})),
    NavEntry("Cổng công khai", "portal:index"),
]
