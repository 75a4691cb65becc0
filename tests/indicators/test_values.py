from __future__ import annotations

import io

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import Workbook

from tests.factories import CoordinatorFactory, IndicatorFactory, IndicatorValueFactory
from xanh.core.errors import ValidationFailed
from xanh.indicators.models import Indicator
from xanh.indicators.periods import parse_period
from xanh.indicators.services import (
    import_indicator_catalogue,
    load_known_indicators,
    read_table,
    record_value,
    unlock_value,
)


@pytest.mark.parametrize(
    ("code", "kind", "label"),
    [("2024", "year", "Năm 2024"), ("2024H1", "half_year", "6 tháng đầu năm 2024"),
     ("2025q3", "quarter", "Quý III/2025"), ("2024-05", "month", "Tháng 05/2024")],
)
def test_periods(code, kind, label):
    period = parse_period(code)
    assert period.kind == kind and period.label_vi == label


@given(st.text(max_size=12))
def test_period_parser_accepts_or_explains(text):
    try:
        period = parse_period(text)
    except ValueError as exc:
        assert "không hợp lệ" in str(exc)
    else:
        assert 1900 <= period.year <= 2100


@pytest.mark.django_db
def test_known_indicators_load_idempotently():
    first = load_known_indicators()
    second = load_known_indicators()
    assert first["created"] == 13
    assert second == {"created": 0, "updated": 0, "unchanged": 13}
    assert Indicator.objects.get(code="TT10-1.1").name == "Cường độ phát thải khí nhà kính"


@pytest.mark.django_db
def test_catalogue_import_from_xlsx_reports_bad_rows_and_writes_nothing():
    book = Workbook()
    sheet = book.active
    sheet.append(["code", "name_vi", "unit", "direction", "max_value"])
    sheet.append(["X-1", "Tỷ lệ A", "%", "increase", "100"])
    sheet.append(["X-1", "", "%", "sideways", "một trăm"])
    buffer = io.BytesIO()
    book.save(buffer)
    rows = read_table(buffer.getvalue(), "chi-tieu.xlsx")
    with pytest.raises(ValidationFailed) as err:
        import_indicator_catalogue(rows, source="chi-tieu.xlsx")
    found = {(p.row, p.column) for p in err.value.problems}
    assert {(3, "code"), (3, "name_vi"), (3, "direction"), (3, "max_value")} <= found
    assert not Indicator.objects.filter(code="X-1").exists()


@pytest.mark.django_db
def test_catalogue_import_accepts_vietnamese_decimal_comma():
    rows = [{"code": "X-2", "name_vi": "Hệ số", "min_value": "1.234,5", "max_value": "2.000,75"}]
    import_indicator_catalogue(rows)
    indicator = Indicator.objects.get(code="X-2")
    assert (indicator.min_value, indicator.max_value) == (1234.5, 2000.75)


@pytest.mark.django_db
def test_value_checks_unit_range_disaggregation_and_jumps():
    coordinator = CoordinatorFactory()
    unit = coordinator.admin_unit
    indicator = IndicatorFactory(max_change_factor=2.0, disaggregations=["thành thị", "nông thôn"])
    IndicatorValueFactory(indicator=indicator, admin_unit=unit, period="2023", year=2023, value=40.0)
    base = {"user": coordinator, "indicator": indicator, "admin_unit": unit, "period": "2024"}
    with pytest.raises(ValidationFailed, match="đơn vị"):
        record_value(**base, value=41, unit="tấn")
    with pytest.raises(ValidationFailed, match="tối đa"):
        record_value(**base, value=141)
    with pytest.raises(ValidationFailed, match="phân tổ"):
        record_value(**base, value=41, disaggregation="miền núi")
    with pytest.raises(ValidationFailed, match="giải trình"):
        record_value(**base, value=95)
    _value, outcome = record_value(**base, value=95, note="Điều chỉnh phương pháp thống kê")
    assert outcome == "created"
    assert record_value(**base, value=95, note="Điều chỉnh phương pháp thống kê")[1] == "unchanged"
    with pytest.raises(ValidationFailed, match="Kỳ"):
        record_value(**{**base, "period": "năm 2024"}, value=41)


@pytest.mark.django_db
def test_unlocking_an_approved_value_needs_a_reason():
    coordinator = CoordinatorFactory()
    value = IndicatorValueFactory(admin_unit=coordinator.admin_unit)
    with pytest.raises(ValidationFailed, match="lý do"):
        unlock_value(user=coordinator, value=value, reason=" ")
    unlock_value(user=coordinator, value=value, reason="Cục Thống kê công bố lại số liệu")
    value.refresh_from_db()
    assert value.status == "submitted"
    assert value.history.first().history_change_reason.startswith("Mở lại")


@pytest.mark.django_db
def test_indicator_pages_show_only_approved_values_to_anonymous_users(client):
    approved = IndicatorValueFactory(value=1234.5)
    draft = IndicatorValueFactory(indicator=approved.indicator, admin_unit=approved.admin_unit, period="2025",
                                  year=2025, status="draft", value=77.0)
    html = client.get(f"/chi-tieu/{approved.indicator_id}/").content.decode()
    assert "1.234,5" in html and "77" not in html
    assert client.get(f"/chi-tieu/gia-tri/{draft.pk}/").status_code == 404
    assert "Lịch sử thay đổi" in client.get(f"/chi-tieu/gia-tri/{approved.pk}/").content.decode()


@pytest.mark.django_db
def test_catalogue_import_command(tmp_path):
    from io import StringIO

    from django.core.management import CommandError, call_command

    good = tmp_path / "chi-tieu.csv"
    good.write_text("code,name_vi,unit\nP-1,Tỷ lệ thử,%\n", encoding="utf-8-sig")
    out = StringIO()
    call_command("indicators", "import", str(good), stdout=out)
    assert "tạo mới 1" in out.getvalue()
    bad = tmp_path / "sai.csv"
    bad.write_text("code,name_vi\n,Không mã\n", encoding="utf-8")
    with pytest.raises(CommandError, match="dòng 2"):
        call_command("indicators", "import", str(bad), stdout=StringIO())
