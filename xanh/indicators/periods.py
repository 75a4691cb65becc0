"""Reporting period codes (pure): "2024" (year), "2024H1" (half-year), "2024Q3" (quarter), "2024-05" (month)."""

from __future__ import annotations

import re
from dataclasses import dataclass

_PATTERNS = (
    (re.compile(r"^(\d{4})$"), "year"),
    (re.compile(r"^(\d{4})H([12])$"), "half_year"),
    (re.compile(r"^(\d{4})Q([1-4])$"), "quarter"),
    (re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$"), "month"),
)


@dataclass(frozen=True)
class Period:
    code: str
    year: int
    kind: str
    index: int  # 1-based half, quarter or month; 0 for a year

    @property
    def label_vi(self) -> str:
        if self.kind == "year":
            return f"Năm {self.year}"
        if self.kind == "half_year":
            return f"6 tháng {'đầu' if self.index == 1 else 'cuối'} năm {self.year}"
        if self.kind == "quarter":
            return f"Quý {['I', 'II', 'III', 'IV'][self.index - 1]}/{self.year}"
        return f"Tháng {self.index:02d}/{self.year}"


def parse_period(code: str) -> Period:
    """Parse a period code; raises ValueError with a Vietnamese message if it is not one of the accepted shapes."""
    text = str(code).strip().upper().replace(" ", "")
    for pattern, kind in _PATTERNS:
        match = pattern.match(text)
        if match:
            year = int(match.group(1))
            if not 1900 <= year <= 2100:
                break
            index = int(match.group(2)) if kind != "year" else 0
            return Period(code=text, year=year, kind=kind, index=index)
    raise ValueError(
        f"Kỳ «{code}» không hợp lệ; dùng dạng 2024 (năm), 2024H1 (6 tháng), 2024Q3 (quý) hoặc 2024-05 (tháng)."
    )
