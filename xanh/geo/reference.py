"""Reading the reference data of provincial units (pure: plain rows in, plain records out).

Sources:
- 63 → 34 mapping, unit types and administrative centres: ../shared/domain/admin-units-2025.csv (copied to data/),
  NQ 202/2025/QH15; old units valid until 2025-06-30, new units from 2025-07-01 (admin-units-2025.md §1).
- Two-digit unit codes of the 63 old units: data/province-codes-2004.csv (QĐ 124/2004/QĐ-TTg). Each new unit takes the
  code of the old unit whose seat hosts its administrative centre (the `admin_centre` column), which is how the
  2025 codes were assigned (e.g. Bắc Ninh takes Bắc Giang's 24).
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from xanh.core.errors import Problem, ValidationFailed
from xanh.core.text import fold

DATA_DIR = Path(__file__).resolve().parent / "data"
OLD_UNITS_END = dt.date(2025, 6, 30)
NEW_UNITS_START = dt.date(2025, 7, 1)
_TYPES = {"province", "city"}


@dataclass(frozen=True)
class UnitRecord:
    code: str
    name: str
    unit_type: str
    valid_from: dt.date | None
    valid_to: dt.date | None
    successor_code: str | None
    admin_centre: str
    source: str


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def _centre_unit(admin_centre: str) -> str:
    return re.sub(r"\s*\(.*\)\s*$", "", admin_centre).strip()


def build_unit_records(
    mapping_rows: Iterable[dict[str, str]], code_rows: Iterable[dict[str, str]]
) -> list[UnitRecord]:
    """Validate both tables and return 63 old and 34 new unit records. Raises ValidationFailed naming row and field."""
    problems: list[Problem] = []
    codes: dict[str, str] = {}
    seen_codes: set[str] = set()
    for row_no, row in enumerate(code_rows, start=2):
        code, name = (row.get("code") or "").strip(), (row.get("name") or "").strip()
        if not re.fullmatch(r"\d{2}", code):
            problems.append(Problem("mã phải gồm đúng 2 chữ số", row_no, "code", "province-codes-2004.csv"))
            continue
        if code in seen_codes:
            problems.append(Problem(f"mã {code} bị trùng", row_no, "code", "province-codes-2004.csv"))
        if not name:
            problems.append(Problem("thiếu tên đơn vị", row_no, "name", "province-codes-2004.csv"))
        seen_codes.add(code)
        codes[fold(name)] = code

    old: dict[str, dict[str, str]] = {}
    new: dict[str, dict[str, str]] = {}
    for row_no, row in enumerate(mapping_rows, start=2):
        src = "admin-units-2025.csv"
        for column in ("new_unit", "new_unit_type", "old_unit", "old_unit_type", "admin_centre"):
            if not (row.get(column) or "").strip():
                problems.append(Problem("thiếu giá trị", row_no, column, src))
        if any(not (row.get(c) or "").strip() for c in ("new_unit", "old_unit")):
            continue
        for column in ("new_unit_type", "old_unit_type"):
            if (row.get(column) or "").strip() and row[column].strip() not in _TYPES:
                problems.append(
                    Problem(f"loại «{row[column]}» không hợp lệ (province hoặc city)", row_no, column, src)
                )
        old_key = fold(row["old_unit"])
        if old_key in old:
            problems.append(
                Problem(f"đơn vị cũ «{row['old_unit']}» xuất hiện hai lần", row_no, "old_unit", src)
            )
        if old_key not in codes:
            problems.append(Problem(f"không có mã cho đơn vị «{row['old_unit']}»", row_no, "old_unit", src))
        old[old_key] = {**row, "_row": str(row_no)}
        new_key = fold(row["new_unit"])
        first = new.setdefault(new_key, {**row, "_row": str(row_no)})
        if first["new_unit_type"] != row["new_unit_type"] or first["admin_centre"] != row["admin_centre"]:
            problems.append(Problem("các dòng của cùng đơn vị mới không thống nhất", row_no, "new_unit", src))
    for row in new.values():
        if fold(_centre_unit(row["admin_centre"])) not in codes:
            problems.append(
                Problem(
                    f"không xác định được mã từ trung tâm «{row['admin_centre']}»",
                    int(row["_row"]),
                    "admin_centre",
                    "admin-units-2025.csv",
                )
            )
    if problems:
        raise ValidationFailed(problems)

    records: list[UnitRecord] = []
    new_codes = {key: codes[fold(_centre_unit(row["admin_centre"]))] for key, row in new.items()}
    if len(set(new_codes.values())) != len(new_codes):
        raise ValidationFailed(
            [Problem("hai đơn vị mới có cùng mã", None, "admin_centre", "admin-units-2025.csv")]
        )
    for key, row in old.items():
        records.append(
            UnitRecord(
                code=codes[key],
                name=row["old_unit"].strip(),
                unit_type=row["old_unit_type"].strip(),
                valid_from=None,
                valid_to=OLD_UNITS_END,
                successor_code=new_codes[fold(row["new_unit"])],
                admin_centre="",
                source="QĐ 124/2004/QĐ-TTg; NQ 202/2025/QH15",
            )
        )
    for key, row in new.items():
        records.append(
            UnitRecord(
                code=new_codes[key],
                name=row["new_unit"].strip(),
                unit_type=row["new_unit_type"].strip(),
                valid_from=NEW_UNITS_START,
                valid_to=None,
                successor_code=None,
                admin_centre=row["admin_centre"].strip(),
                source="NQ 202/2025/QH15; ../shared/domain/admin-units-2025.csv",
            )
        )
    return records


def default_unit_records() -> list[UnitRecord]:
    return build_unit_records(
        _read(DATA_DIR / "admin-units-2025.csv"), _read(DATA_DIR / "province-codes-2004.csv")
    )
