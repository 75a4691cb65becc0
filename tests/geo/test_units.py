from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tests.factories import AdminUnitFactory
from xanh.core.errors import ValidationFailed
from xanh.geo.models import AdminUnit
from xanh.geo.services import load_units, successor_on, units_on

pytestmark = pytest.mark.django_db


def _cli(*args: str) -> object:
    out = StringIO()
    call_command("geo", *args, stdout=out)
    return json.loads(out.getvalue())


def test_units_on_each_side_of_the_reorganisation(reference_units):
    assert len(units_on(dt.date(2025, 6, 30))) == 63
    assert len(units_on(dt.date(2025, 7, 1))) == 34
    assert len(units_on(dt.date(2020, 1, 1))) == 63


def test_every_old_unit_has_exactly_one_valid_successor(reference_units):
    old = AdminUnit.objects.filter(valid_to=dt.date(2025, 6, 30))
    assert old.count() == 63
    for unit in old:
        assert unit.successor is not None
        assert unit.successor.is_valid_on(dt.date(2025, 7, 1))


@pytest.mark.parametrize(
    ("name", "expected"),
    [("Bắc Giang", "Bắc Ninh"), ("Trà Vinh", "Vĩnh Long"), ("Hậu Giang", "Cần Thơ"), ("bac giang", "Bắc Ninh"),
     ("TRA VINH", "Vĩnh Long"), ("Tỉnh Hà Giang", "Tuyên Quang"), ("Thừa Thiên Huế", "Huế"),
     ("Bà Rịa – Vũng Tàu", "Hồ Chí Minh"), ("Hà Nội", "Hà Nội")],
)
def test_successor_cli(reference_units, name, expected):
    result = _cli("successor", name, "--on", "2025-07-01", "--json")
    assert result["name"] == expected
    assert result["valid_from"] == "2025-07-01"


def test_units_cli_lists_63_then_34(reference_units):
    before = _cli("units", "--on", "2025-06-30", "--json")
    after = _cli("units", "--on", "2025-07-01", "--json")
    assert len(before) == 63 and len(after) == 34
    assert {"code", "name", "type", "valid_from", "valid_to"} <= set(after[0])
    assert {u["type"] for u in after} == {"province", "city"}


def test_name_before_the_merger_is_the_old_unit(reference_units):
    unit = successor_on("Bắc Ninh", dt.date(2020, 1, 1))
    assert unit.valid_to == dt.date(2025, 6, 30) and unit.code == "27"


def test_unknown_name_and_date_outside_validity_are_clear_errors(reference_units):
    with pytest.raises(ValidationFailed, match="Không tìm thấy"):
        successor_on("Atlantis", dt.date(2025, 7, 1))
    AdminUnitFactory(name="Tỉnh Mới Lập", valid_from=dt.date(2030, 1, 1))
    with pytest.raises(ValidationFailed, match="không có hiệu lực"):
        successor_on("Tỉnh Mới Lập", dt.date(2025, 7, 1))
    with pytest.raises(CommandError, match="không hợp lệ"):
        call_command("geo", "units", "--on", "30/06/2025", stdout=StringIO())


def test_loading_twice_changes_nothing(reference_units):
    history_before = AdminUnit.history.count()
    counts = load_units()
    assert counts == {"created": 0, "updated": 0, "unchanged": 97}
    assert AdminUnit.history.count() == history_before
