"""The pure reference-data reader: 63 old units, 34 new ones, one successor each, and errors that name row and field."""

from __future__ import annotations

import csv

import pytest

from xanh.core.errors import ValidationFailed
from xanh.geo.reference import DATA_DIR, build_unit_records, default_unit_records


def _rows(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_default_records_have_63_old_and_34_new_units():
    records = default_unit_records()
    old = [r for r in records if r.valid_to is not None]
    new = [r for r in records if r.valid_from is not None]
    assert len(old) == 63 and len(new) == 34
    assert sum(r.unit_type == "city" for r in new) == 6
    assert sum(r.unit_type == "city" for r in old) == 6
    assert all(r.successor_code for r in old)
    assert {r.successor_code for r in old} == {r.code for r in new}
    assert len({r.code for r in new}) == 34


def test_new_unit_takes_the_code_of_the_unit_hosting_its_centre():
    by_name = {(r.name, r.valid_from is None): r for r in default_unit_records()}
    assert by_name[("Bắc Ninh", False)].code == by_name[("Bắc Giang", True)].code == "24"
    assert by_name[("Bắc Giang", True)].successor_code == "24"
    assert by_name[("Hà Nội", False)].code == "01"


def test_missing_value_names_row_and_column():
    mapping = _rows("admin-units-2025.csv")
    mapping[4]["new_unit_type"] = ""
    with pytest.raises(ValidationFailed) as err:
        build_unit_records(mapping, _rows("province-codes-2004.csv"))
    problem = err.value.problems[0]
    assert problem.row == 6 and problem.column == "new_unit_type"
    assert "dòng 6" in str(problem)


def test_duplicate_old_unit_and_bad_type_are_reported():
    mapping = _rows("admin-units-2025.csv")
    mapping.append(dict(mapping[0]))
    mapping[1]["old_unit_type"] = "district"
    with pytest.raises(ValidationFailed) as err:
        build_unit_records(mapping, _rows("province-codes-2004.csv"))
    columns = {(p.row, p.column) for p in err.value.problems}
    assert (65, "old_unit") in columns
    assert (3, "old_unit_type") in columns


def test_duplicate_and_malformed_codes_are_reported():
    codes = _rows("province-codes-2004.csv")
    codes[1]["code"] = codes[0]["code"]
    codes[2]["code"] = "7"
    with pytest.raises(ValidationFailed) as err:
        build_unit_records(_rows("admin-units-2025.csv"), codes)
    messages = [str(p) for p in err.value.problems]
    assert any("bị trùng" in m and "dòng 3" in m for m in messages)
    assert any("2 chữ số" in m and "dòng 4" in m for m in messages)
