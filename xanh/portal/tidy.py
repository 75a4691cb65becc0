"""Open-data tables (pure, no Django): tidy observations in, CSV / SDMX-CSV text out.

Tidy layout, as Open SDG publishes indicator data: one row per observation, one column per variable, and one column
per disaggregation dimension (empty on the total row). Disaggregation keys are "dimension=value" pairs joined by ";"
("area=urban;sex=female"); a key without "=" ("thành thị") belongs to the generic dimension ``disaggregation``.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

BOM = "\ufeff"
GENERIC_DIMENSION = "disaggregation"
LICENSE_NAME = "Creative Commons Attribution 4.0 International (CC BY 4.0)"
LICENSE_URL = "https://creativecommons.org/licenses/by/4.0/"
LICENSE_STATEMENT_VI = (
    "Dữ liệu được cấp phép theo giấy phép Creative Commons Ghi công 4.0 Quốc tế (CC BY 4.0): được sao chép, phân phối, "
    "chỉnh sửa và dùng cho mọi mục đích, kể cả thương mại, với điều kiện ghi rõ nguồn «Xanh — {publisher}» và nêu các "
    "thay đổi (nếu có). Chi tiết: https://creativecommons.org/licenses/by/4.0/deed.vi"
)
LICENSE_STATEMENT_EN = (
    "The data are licensed under Creative Commons Attribution 4.0 International (CC BY 4.0): you may copy, "
    "redistribute, adapt and use them for any purpose, including commercially, provided that you credit "
    "«Xanh — {publisher}» and indicate any changes. Details: https://creativecommons.org/licenses/by/4.0/"
)

#: SDMX-CSV 1.0: the first column names the dataflow (agency:id(version)); dimensions, then the measure and attributes.
SDMX_DATAFLOW = "XANH:DF_GREEN_GROWTH(1.0)"
SDMX_TOTAL = "_T"  # the SDMX code for "total" (no breakdown)
_PAIR = re.compile(r"^\s*([^=;]+?)\s*=\s*([^;]*?)\s*$")


@dataclass(frozen=True)
class Observation:
    indicator_code: str
    indicator_name: str
    admin_unit_code: str
    admin_unit_name: str
    period: str
    year: int
    disaggregation: str
    value: float
    unit: str
    source: str = ""
    approved_at: str = ""
    is_demo: bool = False


BASE_COLUMNS: tuple[str, ...] = (
    "indicator_code",
    "indicator_name",
    "admin_unit_code",
    "admin_unit_name",
    "period",
    "year",
)
TAIL_COLUMNS: tuple[str, ...] = ("unit", "value", "source", "approved_at", "is_demo")

COLUMN_DESCRIPTIONS_VI: dict[str, str] = {
    "indicator_code": "Mã chỉ tiêu (bộ chỉ tiêu TT 10/2023: TT10-…; chỉ tiêu của tỉnh: mã do tỉnh đặt)",
    "indicator_name": "Tên chỉ tiêu",
    "admin_unit_code": "Mã đơn vị hành chính",
    "admin_unit_name": "Tên đơn vị hành chính",
    "period": "Kỳ số liệu: 2024 (năm), 2024H1 (6 tháng), 2024Q3 (quý), 2024-05 (tháng)",
    "year": "Năm của kỳ",
    GENERIC_DIMENSION: "Phân tổ (trống: số tổng)",
    "unit": "Đơn vị tính",
    "value": "Giá trị (dấu chấm thập phân)",
    "source": "Nguồn số liệu",
    "approved_at": "Thời điểm phê duyệt (ISO 8601)",
    "is_demo": "true nếu là dữ liệu minh họa",
}


def split_disaggregation(key: str) -> dict[str, str]:
    """``"area=urban;sex=female"`` -> ``{"area": "urban", "sex": "female"}``; ``"thành thị"`` ->
    ``{"disaggregation": "thành thị"}``; ``""`` -> ``{}``."""
    out: dict[str, str] = {}
    for part in (p for p in key.split(";") if p.strip()):
        match = _PAIR.match(part)
        if match and match.group(1).strip():
            out[match.group(1).strip()] = match.group(2)
        else:
            previous = out.get(GENERIC_DIMENSION)
            out[GENERIC_DIMENSION] = f"{previous};{part.strip()}" if previous else part.strip()
    return out


def dimensions_of(observations: Iterable[Observation]) -> list[str]:
    """Disaggregation dimensions used, in first-seen order."""
    seen: dict[str, None] = {}
    for obs in observations:
        for name in split_disaggregation(obs.disaggregation):
            seen.setdefault(name, None)
    return list(seen)


def columns_for(dimensions: Sequence[str]) -> list[str]:
    return [*BASE_COLUMNS, *dimensions, *TAIL_COLUMNS]


def _number(value: float) -> str:
    return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)


def tidy_row(obs: Observation, dimensions: Sequence[str]) -> list[str]:
    parts = split_disaggregation(obs.disaggregation)
    return [
        obs.indicator_code,
        obs.indicator_name,
        obs.admin_unit_code,
        obs.admin_unit_name,
        obs.period,
        str(obs.year),
        *(parts.get(d, "") for d in dimensions),
        obs.unit,
        _number(obs.value),
        obs.source,
        obs.approved_at,
        "true" if obs.is_demo else "false",
    ]


def _csv_lines(rows: Iterable[Sequence[str]]) -> Iterator[str]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in rows:
        writer.writerow(row)
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate(0)


def tidy_csv(observations: Sequence[Observation]) -> Iterator[str]:
    """The tidy CSV, in chunks, starting with the UTF-8 BOM (Excel then reads Vietnamese correctly)."""
    dimensions = dimensions_of(observations)
    yield BOM
    yield from _csv_lines([columns_for(dimensions), *(tidy_row(o, dimensions) for o in observations)])


def sdmx_period(period: str) -> str:
    """Xanh period codes to SDMX time periods: 2024 -> 2024, 2024H1 -> 2024-S1, 2024Q3 -> 2024-Q3, 2024-05 kept."""
    match = re.fullmatch(r"(\d{4})([HQ])([1-4])", period)
    if match is None:
        return period
    year, kind, index = match.groups()
    return f"{year}-{'S' if kind == 'H' else 'Q'}{index}"


SDMX_COLUMNS: tuple[str, ...] = (
    "DATAFLOW",
    "INDICATOR",
    "REF_AREA",
    "TIME_PERIOD",
    "DISAGGREGATION",
    "OBS_VALUE",
    "UNIT_MEASURE",
    "OBS_STATUS",
    "COMMENT",
)


def sdmx_row(obs: Observation) -> list[str]:
    return [
        SDMX_DATAFLOW,
        obs.indicator_code,
        obs.admin_unit_code,
        sdmx_period(obs.period),
        obs.disaggregation or SDMX_TOTAL,
        _number(obs.value),
        obs.unit,
        "A",  # SDMX code list CL_OBS_STATUS: A = normal value (Xanh publishes approved values only)
        "dữ liệu minh họa" if obs.is_demo else "",
    ]


def sdmx_csv(observations: Iterable[Observation]) -> Iterator[str]:
    """SDMX-CSV 1.0 (no BOM: statistical tools read plain UTF-8)."""
    yield from _csv_lines([list(SDMX_COLUMNS), *(sdmx_row(o) for o in observations)])
