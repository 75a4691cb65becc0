"""Bulk import: DHIS2-style summary with row numbers, dry run, atomic, idempotent; CSV (also from Excel) or JSON."""

from __future__ import annotations

import pytest

from tests.api.conftest import bearer

pytestmark = pytest.mark.django_db

URL = "/api/v1/indicator-values/import"
CSV = (
    "indicator_code,admin_unit_code,period,value,disaggregation,note\n"
    "TEST-FOREST,T01,2019,39.5,,\n"
    'TEST-FOREST,T01,2020,"39,8",,\n'
    "TEST-FOREST,T01,2023,40.5,,\n"  # same as the approved value: unchanged, not a conflict
)


def _csv(client, key, text, query=""):
    return client.post(URL + query, text.encode("utf-8"), content_type="text/csv", **bearer(key))


def _count():
    from xanh.indicators.models import IndicatorValue

    return IndicatorValue.objects.count()


def test_dry_run_reports_and_writes_nothing(client, world):
    before = _count()
    response = _csv(client, world.key_a, CSV, "?dry_run=true")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["code"] == "dry_run" and body["dry_run"] and not body["imported"]
    assert body["counts"] == {"total": 3, "created": 2, "updated": 0, "unchanged": 1, "conflicts": 0}
    assert [r["action"] for r in body["rows"]] == ["created", "created", "unchanged"]
    assert all(r["id"] is None for r in body["rows"] if r["action"] == "created")
    assert _count() == before


def test_import_is_idempotent(client, world):
    before = _count()
    first = _csv(client, world.key_a, CSV).json()
    assert first["code"] == "imported" and first["counts"]["created"] == 2 and _count() == before + 2
    second = _csv(client, world.key_a, CSV).json()
    assert second["counts"] == {"total": 3, "created": 0, "updated": 0, "unchanged": 3, "conflicts": 0}
    assert _count() == before + 2
    changed = _csv(client, world.key_a, CSV.replace("39.5", "39.6")).json()
    assert (changed["counts"]["updated"], changed["counts"]["unchanged"]) == (1, 2)


def test_conflicts_have_row_numbers_and_nothing_is_written(client, world):
    before = _count()
    text = (
        CSV
        + "TEST-FOREST,T01,2021,150,,\nNOPE,T01,2021,1,,\nTEST-FOREST,XX,2021,1,,\nTEST-FOREST,T01,2023,12,,\nTEST-FOREST,T01,2019,1,,\n"
    )
    response = _csv(client, world.key_a, text)
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "import_conflicts" and not body["imported"]
    rows = [(c["row"], c["field"]) for c in body["conflicts"]]
    assert rows == [(5, "value"), (6, "indicator_code"), (7, "admin_unit_code"), (8, "period"), (9, "period")]
    assert "dòng 4" in body["conflicts"][3]["message"] and "dòng 2" in body["conflicts"][4]["message"]
    assert _count() == before  # atomic
    locked = _csv(
        client, world.key_a, "indicator_code,admin_unit_code,period,value\nTEST-FOREST,T01,2023,12\n"
    ).json()
    assert locked["conflicts"][0]["row"] == 2 and "khóa" in locked["conflicts"][0]["message"]


def test_agency_a_cannot_import_agency_b_rows(client, world):
    text = "indicator_code,admin_unit_code,period,value,agency_key\nTEST-FOREST,T01,2018,30,so-b\n"
    body = _csv(client, world.key_a, text).json()
    assert body["conflicts"] == [
        {"row": 2, "field": "agency_key", "message": "Bạn không có quyền nhập số liệu cho cơ quan này."}
    ]
    assert _csv(client, world.key_b, text).json()["code"] == "imported"


def test_json_and_multipart_and_english(client, world):
    payload = {"values": [{"indicator": "TEST-FOREST", "admin_unit": "T01", "period": "2017", "value": 37}]}
    response = client.post(URL, payload, content_type="application/json", **bearer(world.key_a))
    assert response.status_code == 200 and response.json()["counts"]["created"] == 1
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("so-lieu.csv", ("\ufeff" + CSV).encode("utf-8"), content_type="text/csv")
    multipart = client.post(URL + "?dry_run=1", {"file": upload}, **bearer(world.key_a))
    assert multipart.status_code == 200 and multipart.json()["counts"]["total"] == 3
    english = client.post(
        URL,
        [{"indicator": "TEST-FOREST", "admin_unit": "T01", "period": "2017"}],
        content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en",
        **bearer(world.key_a),
    ).json()
    assert (
        english["message"].startswith("1 conflicts") and english["conflicts"][0]["message"] == "value missing"
    )


def test_bad_requests(client, world):
    assert client.post(URL, CSV, content_type="text/csv").status_code == 401
    assert _csv(client, world.key_a, CSV, "?dry_run=maybe").status_code == 400
    assert client.post(URL, b"\xff\xfe", content_type="text/csv", **bearer(world.key_a)).status_code == 400
    assert client.post(URL, "<x/>", content_type="application/xml", **bearer(world.key_a)).status_code == 415
    header_only = _csv(client, world.key_a, "value\n1\n").json()
    assert (
        header_only["conflicts"][0]["row"] == 1 and "indicator_code" in header_only["conflicts"][0]["message"]
    )
