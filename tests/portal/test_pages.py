"""Public portal pages and open-data downloads: only published plans and approved values, licence, formats."""

from __future__ import annotations

import csv
import io
import json

import pytest

from tests.factories import (
    IndicatorFactory,
    IndicatorValueFactory,
    PlanFactory,
    TargetComponentFactory,
    TaskAssignmentFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def province(db, settings, tmp_path):  # type: ignore[no-untyped-def]
    settings.VAR_DIR = tmp_path  # open-data file cache
    from tests.factories import AdminUnitFactory

    unit = AdminUnitFactory(code="T09", name="Thử Nghiệm")
    indicator = IndicatorFactory(
        code="TEST-WASTE", name="Tỷ lệ chất thải rắn sinh hoạt đô thị được thu gom, xử lý", unit="%"
    )
    plan = PlanFactory(admin_unit=unit, title="Kế hoạch TTX tỉnh Thử Nghiệm")
    draft = PlanFactory(admin_unit=unit, status="draft", title="Dự thảo bí mật")
    component = TargetComponentFactory(
        target__plan=plan,
        target__indicator=indicator,
        target__text="Tỷ lệ chất thải rắn sinh hoạt đô thị được thu gom, xử lý đạt 95%.",
        indicator=indicator,
        value=95.0,
        baseline_value=80.0,
        baseline_year=2020,
    )
    TaskAssignmentFactory(
        task__plan=plan, agency__admin_unit=unit, agency__name="Sở Nông nghiệp và Môi trường"
    )
    IndicatorValueFactory(indicator=indicator, admin_unit=unit, period="2023", year=2023, value=86.5)
    IndicatorValueFactory(
        indicator=indicator, admin_unit=unit, period="2024", year=2024, value=1234.5, status="draft"
    )
    IndicatorValueFactory(
        indicator=indicator,
        admin_unit=unit,
        period="2022",
        year=2022,
        value=84.0,
        disaggregation="area=urban",
    )
    return {"unit": unit, "plan": plan, "draft": draft, "target": component.target, "indicator": indicator}


def test_plan_page_shows_targets_latest_values_chart_tasks_and_downloads(client, province):
    response = client.get(f"/cong-khai/ke-hoach/{province['plan'].pk}/")
    html = response.content.decode()
    assert response.status_code == 200 and html.count("<h1") == 1
    assert "95%" in html and "86,5%" in html and "1.234,5" not in html  # approved only, Vietnamese numbers
    assert 'role="img"' in html and "<desc" in html
    assert "Sở Nông nghiệp và Môi trường" in html and "chưa có báo cáo" in html
    assert f"/cong-khai/du-lieu/ke-hoach-{province['plan'].pk}.csv" in html


def test_drafts_are_not_public(client, province):
    assert client.get(f"/cong-khai/ke-hoach/{province['draft'].pk}/").status_code == 404
    assert client.get(f"/cong-khai/du-lieu/ke-hoach-{province['draft'].pk}.csv").status_code == 404
    assert "Dự thảo bí mật" not in client.get("/cong-khai/").content.decode()
    assert "Dự thảo bí mật" not in client.get("/cong-khai/du-lieu/catalog.jsonld").content.decode()


def test_index_province_and_comparison(client, province):
    assert "Kế hoạch TTX tỉnh Thử Nghiệm" in client.get("/cong-khai/").content.decode()
    page = client.get(f"/cong-khai/tinh/{province['unit'].pk}/").content.decode()
    assert "Kế hoạch TTX tỉnh Thử Nghiệm" in page and "86,5" in page
    comparison = client.get("/cong-khai/so-sanh/").content.decode()
    assert "Thử Nghiệm" in comparison and "95%" in comparison and "86,5%" in comparison
    assert comparison.count("<h1") == 1 and "Quốc gia 2030" in comparison


def test_national_csv_has_bom_and_only_approved_values(client, province):
    response = client.get("/cong-khai/du-lieu/quoc-gia.csv")
    body = b"".join(response.streaming_content)
    assert response.status_code == 200 and body.startswith(b"\xef\xbb\xbf")
    assert response["Content-Disposition"].startswith("attachment") and 'rel="license"' in response["Link"]
    rows = list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"), newline="")))
    assert sorted(r["period"] for r in rows) == ["2022", "2023"]
    assert {r["area"] for r in rows} == {"", "urban"}
    again = client.get("/cong-khai/du-lieu/quoc-gia.csv", HTTP_IF_NONE_MATCH=response["ETag"])
    assert again.status_code == 304


def test_plan_json_xlsx_sdmx_and_catalogue(client, province):
    plan = province["plan"]
    data = json.loads(b"".join(client.get(f"/cong-khai/du-lieu/ke-hoach-{plan.pk}.json").streaming_content))
    assert data["metadata"]["license"]["url"] == "https://creativecommons.org/licenses/by/4.0/"
    assert "CC BY 4.0" in data["metadata"]["license"]["statement"]
    assert len(data["observations"]) == 2 and data["targets"][0]["target"] == "95%"
    from openpyxl import load_workbook

    xlsx = b"".join(client.get(f"/cong-khai/du-lieu/ke-hoach-{plan.pk}.xlsx").streaming_content)
    book = load_workbook(io.BytesIO(xlsx), read_only=True)
    assert book.sheetnames == ["gioi_thieu", "du_lieu", "chi_tieu", "muc_tieu"]
    values = list(book["du_lieu"].iter_rows(values_only=True))
    assert values[0][0] == "indicator_code" and len(values) == 3
    assert any(86.5 in row for row in values[1:])
    sdmx = b"".join(client.get("/cong-khai/du-lieu/quoc-gia.sdmx.csv").streaming_content).decode()
    assert sdmx.splitlines()[0].startswith("DATAFLOW,INDICATOR,REF_AREA,TIME_PERIOD")
    catalogue = client.get("/cong-khai/du-lieu/catalog.jsonld")
    assert catalogue["Content-Type"].startswith("application/ld+json")
    doc = catalogue.json()
    assert doc["@type"] == "dcat:Catalog" and len(doc["dcat:dataset"]) == 2
    dataset = doc["dcat:dataset"][1]
    assert dataset["dct:license"]["@id"].endswith("/by/4.0/")
    assert {d["dct:format"] for d in dataset["dcat:distribution"]} == {"CSV", "XLSX", "JSON", "SDMX-CSV"}
    assert client.get("/cong-khai/du-lieu/ke-hoach-999999.csv").status_code == 404


def test_open_data_page_and_english_switch(client, province):
    html = client.get("/cong-khai/du-lieu/").content.decode()
    assert "CC BY 4.0" in html and "catalog.jsonld" in html
    response = client.post("/cong-khai/ngon-ngu/", {"language": "en", "next": "/cong-khai/so-sanh/"})
    assert response.status_code == 302
    english = client.get("/cong-khai/so-sanh/")
    assert english["Content-Language"] == "en"
    assert "Provinces compared against national targets" in english.content.decode()
    assert "Forest cover" in english.content.decode()


def test_portal_ignores_login_role(client, province):
    from tests.factories import AdminFactory

    client.force_login(AdminFactory())
    assert client.get(f"/cong-khai/ke-hoach/{province['draft'].pk}/").status_code == 404
