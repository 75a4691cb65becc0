"""Read endpoints: anonymous users see published plans and approved values only; pagination, filters, ordering,
field selection, CSV."""

from __future__ import annotations

import pytest

from tests.api.conftest import bearer

pytestmark = pytest.mark.django_db


def _results(response):
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_anonymous_sees_published_plans_only(client, world):
    titles = {p["title"] for p in _results(client.get("/api/v1/plans"))}
    assert "Kế hoạch đã công bố" in titles and "Kế hoạch dự thảo" not in titles
    assert client.get(f"/api/v1/plans/{world.draft.pk}").status_code == 404
    texts = {t["text"] for t in _results(client.get("/api/v1/targets"))}
    assert "Mục tiêu trong dự thảo" not in texts and world.target.text in texts
    assert client.get(f"/api/v1/targets/{world.draft_target.pk}").status_code == 404
    assert "Nhiệm vụ trong dự thảo" not in {t["text"] for t in _results(client.get("/api/v1/tasks"))}
    assert all(s["plan"] != world.draft.pk for s in _results(client.get("/api/v1/sections")))


def test_anonymous_and_viewers_see_approved_values_only(client, world):
    for headers in ({}, {}):
        values = _results(client.get("/api/v1/indicator-values", **headers))
        assert [v["period"] for v in values] == ["2023"]
        assert client.get(f"/api/v1/indicator-values/{world.pending.pk}").status_code == 404
        # asking for unapproved statuses does not reveal them either
        assert _results(client.get("/api/v1/indicator-values?status=submitted")) == []
    client.force_login(world.viewer)
    assert [v["period"] for v in _results(client.get("/api/v1/indicator-values"))] == ["2023"]


def test_staff_roles_see_what_they_may(client, world):
    coordinator = _results(client.get("/api/v1/plans", **bearer(world.key_c)))
    assert {p["title"] for p in coordinator} >= {"Kế hoạch đã công bố", "Kế hoạch dự thảo"}
    # a reporter sees its own agency's pending value, another agency's reporter does not
    assert len(_results(client.get("/api/v1/indicator-values", **bearer(world.key_a)))) == 2
    assert len(_results(client.get("/api/v1/indicator-values", **bearer(world.key_b)))) == 1


def test_target_has_components_and_task_has_assignments(client, world):
    target = client.get(f"/api/v1/targets/{world.target.pk}").json()
    assert target["components"][0]["value"] == 42.0 and target["components"][0]["display_value"] == "42%"
    assert target["indicator_code"] == "TEST-FOREST" and target["pillar_label"]
    task = _results(client.get(f"/api/v1/tasks?plan={world.published.pk}"))[0]
    assert task["assignments"][0]["agency_name"] == "Sở A" and task["assignments"][0]["role"] == "lead"


def test_admin_units_show_validity_and_successors(client, reference_units):
    merged = _results(client.get("/api/v1/admin-units?name=bac giang"))
    assert merged and merged[0]["valid_to"] == "2025-06-30"
    assert merged[0]["successor_name"] == "Bắc Ninh"
    successor = client.get(f"/api/v1/admin-units/{merged[0]['successor']}").json()
    assert merged[0]["id"] in successor["predecessors"]
    on_day = client.get("/api/v1/admin-units?valid_on=2025-07-01&level=province&page_size=1000").json()
    assert on_day["count"] == 34


def test_value_filters(client, world):
    base = "/api/v1/indicator-values"
    assert len(_results(client.get(f"{base}?indicator_code=TEST-FOREST&period=2023"))) == 1
    assert _results(client.get(f"{base}?indicator_code=NOPE")) == []
    assert len(_results(client.get(f"{base}?admin_unit={world.unit.pk}&year_min=2020&year_max=2023"))) == 1
    assert len(_results(client.get(f"{base}?total=true"))) == 1
    assert _results(client.get(f"{base}?disaggregation=thành thị")) == []
    bad = client.get(f"{base}?year=abc")
    assert (
        bad.status_code == 400
        and bad.json()["code"] == "invalid"
        and bad.json()["errors"][0]["field"] == "year"
    )


def test_updated_since_takes_any_iso_offset_and_refuses_instants_off_the_calendar(client, world):
    base = "/api/v1/indicator-values?updated_since="
    # schemathesis found these: Python accepts offsets up to ±23:59, PostgreSQL only ±15:59
    assert client.get(base + "5385-10-31T12:09:05%2B22:41").status_code == 200
    assert len(_results(client.get(base + "2000-01-01T00:00:00-23:59"))) == 1
    for instant in ("0001-01-01T00:00:00%2B05:00", "9999-12-31T23:59:59-05:00"):
        off = client.get(base + instant)
        assert off.status_code == 400 and off.json()["errors"][0] == {
            "field": "updated_since",
            "message": "Thời điểm nằm ngoài phạm vi cho phép.",
        }


def test_pagination_ordering_and_field_selection(client, world):
    from tests.factories import IndicatorValueFactory

    for year in range(2010, 2020):
        IndicatorValueFactory(indicator=world.indicator, admin_unit=world.unit, period=str(year), year=year)
    page = client.get("/api/v1/indicator-values?page_size=4&ordering=-year&fields=period,value")
    body = page.json()
    assert body["count"] == 11 and len(body["results"]) == 4
    assert body["results"][0] == {"period": "2023", "value": 40.5}
    assert page["X-Total-Count"] == "11" and 'rel="next"' in page["Link"]
    assert client.get("/api/v1/indicator-values?page=99").status_code == 404
    assert client.get("/api/v1/indicator-values?page_size=0").status_code == 400
    unknown = client.get("/api/v1/indicator-values?fields=period,secret")
    assert unknown.status_code == 400 and unknown.json()["code"] == "unknown_field"


def test_csv_by_accept_header_and_format_parameter(client, world):
    response = client.get("/api/v1/indicator-values", HTTP_ACCEPT="text/csv")
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM for Excel
    lines = response.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("id,indicator,indicator_code") and len(lines) == 2
    targets = client.get("/api/v1/targets?format=csv").content.decode("utf-8-sig")
    assert "components" in targets.splitlines()[0] and "42" in targets
    # errors stay JSON even when CSV was asked for
    error = client.get("/api/v1/indicator-values?format=csv&year=x")
    assert error.status_code == 400 and error["Content-Type"] == "application/json"


def test_health_and_me(client, world):
    assert client.get("/api/v1/health").json()["status"] == "ok"
    me = client.get("/api/v1/me", **bearer(world.key_a)).json()
    assert me["username"] == "bao-cao-a" and me["agency_name"] == "Sở A" and me["authentication"] == "token"
    assert client.get("/api/v1/me").status_code == 401


def test_errors_are_vietnamese_or_english(client, world):
    vi = client.get("/api/v1/plans/999999").json()
    assert vi == {"code": "not_found", "message": "Không tìm thấy tài nguyên được yêu cầu.", "errors": []}
    en = client.get("/api/v1/plans/999999", HTTP_ACCEPT_LANGUAGE="en").json()
    assert en["code"] == "not_found" and en["message"] == "The requested resource was not found."
    en_auth = client.get("/api/v1/me", HTTP_ACCEPT_LANGUAGE="en").json()
    assert en_auth["code"] == "not_authenticated" and "Bearer" in en_auth["message"]
    assert en_auth["message"] != client.get("/api/v1/me").json()["message"]


def test_nul_characters_are_rejected_not_crashed(client, world):
    response = client.get("/api/v1/indicator-values?indicator_code=%00")
    assert response.status_code == 400


def test_anonymous_rate_limit_per_ip(client, world, settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "3/min", "token": "5/min", "import": "5/min"},
    }
    from rest_framework.settings import api_settings

    api_settings.reload()
    from xanh.api.throttling import AnonIpRateThrottle, TokenRateThrottle

    AnonIpRateThrottle.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES
    TokenRateThrottle.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES
    try:
        codes = [client.get("/api/v1/plans").status_code for _ in range(4)]
        assert codes == [200, 200, 200, 429]
        limited = client.get("/api/v1/plans")
        assert limited.json()["code"] == "throttled" and int(limited["Retry-After"]) >= 1
        # another address has its own budget; a token has its own, larger one
        assert client.get("/api/v1/plans", REMOTE_ADDR="10.0.0.9").status_code == 200
        assert [client.get("/api/v1/plans", **bearer(world.key_a)).status_code for _ in range(5)] == [200] * 5
        assert client.get("/api/v1/plans", **bearer(world.key_a)).status_code == 429
        assert client.get("/api/v1/plans", **bearer(world.key_b)).status_code == 200
    finally:
        settings.REST_FRAMEWORK = {
            **settings.REST_FRAMEWORK,
            "DEFAULT_THROTTLE_RATES": {"anon": "100000/min", "token": "100000/min", "import": "100000/min"},
        }
        api_settings.reload()
        AnonIpRateThrottle.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES
        TokenRateThrottle.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES
