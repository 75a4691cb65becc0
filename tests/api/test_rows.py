"""The fast list path (xanh/api/rows.py) returns exactly what the serializers return for the same objects: same keys
in the same order, same values, same nested lists in the same order — for every list endpoint, as anonymous and as
a coordinator, with and without ``?fields=``, in JSON and CSV; plus property-based cases for the computed fields."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ImproperlyConfigured
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.test import APIRequestFactory

from tests.api.conftest import bearer
from xanh.api import serializers, views, views_more
from xanh.api.rows import RowBuilder
from xanh.api.tabular import records_to_csv

pytestmark = pytest.mark.django_db

LISTS = {
    "/api/v1/admin-units": views.AdminUnitViewSet,
    "/api/v1/agencies": views.AgencyViewSet,
    "/api/v1/plans": views.PlanViewSet,
    "/api/v1/sections": views.SectionViewSet,
    "/api/v1/targets": views.TargetViewSet,
    "/api/v1/tasks": views.TaskViewSet,
    "/api/v1/indicators": views.IndicatorViewSet,
    "/api/v1/indicator-values": views.IndicatorValueViewSet,
    "/api/v1/task-reports": views_more.TaskReportViewSet,
    "/api/v1/assessments": views_more.AssessmentViewSet,
}


def _serialized(viewset, url, user, ids, fields=None):  # type: ignore[no-untyped-def]
    """What the view's serializer makes of the objects ``ids`` (in that order), fetched through the view's own
    queryset (with its prefetches): the reference the fast rows must equal."""
    request = Request(APIRequestFactory().get(url))
    request.user = user
    view = viewset(request=request, format_kwarg=None, action="list", kwargs={})
    by_id = {obj.pk: obj for obj in view.get_queryset().filter(pk__in=ids)}
    serializer = view.get_serializer_class()(
        [by_id[i] for i in ids], many=True, context=view.get_serializer_context()
    )
    data = serializer.data
    if fields:  # field selection keeps the serializer's order
        data = [{name: value for name, value in row.items() if name in fields} for row in data]
    return json.loads(JSONRenderer().render(data))


def _compare(client, url, viewset, user, headers, fields=None):  # type: ignore[no-untyped-def]
    query = "?page_size=1000" + (f"&fields={','.join(fields)}" if fields else "")
    response = client.get(url + query, **headers)
    assert response.status_code == 200, response.content
    rows = json.loads(response.content)["results"]
    ids = [row["id"] for row in rows] if not fields or "id" in fields else None
    if ids is None:  # ask for the ids of the same page
        ids = [r["id"] for r in json.loads(client.get(url + "?page_size=1000", **headers).content)["results"]]
    expected = _serialized(viewset, url, user, ids, fields)
    assert [list(row) for row in rows] == [list(row) for row in expected], url
    assert rows == expected, url
    return rows, expected


@pytest.mark.parametrize("url", sorted(LISTS))
def test_fast_rows_equal_serializer_output(client, demo, world, url):  # type: ignore[no-untyped-def]
    viewset = LISTS[url]
    rows, _ = _compare(client, url, viewset, AnonymousUser(), {})
    assert rows, f"{url}: the fixture should give rows to compare"
    _compare(client, url, viewset, world.coordinator, bearer(world.key_c))
    _compare(client, url, viewset, world.reporter_a, bearer(world.key_a))


@pytest.mark.parametrize("url", sorted(LISTS))
def test_fast_rows_with_field_selection_and_csv(client, demo, world, url):  # type: ignore[no-untyped-def]
    viewset = LISTS[url]
    every = list(viewset.serializer_class().fields)
    chosen = [every[-1], every[0]] + ([every[len(every) // 2]] if len(every) > 2 else [])
    _compare(client, url, viewset, AnonymousUser(), {}, fields=chosen)
    csv_response = client.get(url + "?page_size=1000&format=csv")
    assert csv_response.status_code == 200 and csv_response["Content-Type"].startswith("text/csv")
    rows = json.loads(client.get(url + "?page_size=1000").content)["results"]
    expected = _serialized(viewset, url, AnonymousUser(), [r["id"] for r in rows])
    assert csv_response.content.decode("utf-8") == records_to_csv(expected)


def test_fast_rows_keep_pagination_ordering_and_filters(client, demo):  # type: ignore[no-untyped-def]
    url = "/api/v1/targets"
    first = client.get(url + "?page_size=3&ordering=-id")
    body = json.loads(first.content)
    assert body["count"] == int(first["X-Total-Count"]) and len(body["results"]) == 3
    assert [r["id"] for r in body["results"]] == sorted((r["id"] for r in body["results"]), reverse=True)
    assert 'rel="next"' in first["Link"]
    second = json.loads(client.get(url + "?page_size=3&ordering=-id&page=2").content)["results"]
    assert second[0]["id"] < body["results"][-1]["id"]
    pillar = body["results"][0]["pillar"]
    filtered = json.loads(client.get(f"{url}?pillar={pillar}&page_size=1000").content)["results"]
    assert filtered and {r["pillar"] for r in filtered} == {pillar}
    assert client.get(url + "?fields=id,nope").status_code == 400
    assert client.get(url + "?page=999").status_code == 404


def test_an_undeclared_computed_field_is_refused():  # type: ignore[no-untyped-def]
    # a serializer field that is not a model column (a method, a property, a nested list) must be declared, so the
    # fast path cannot silently drop or guess it
    with pytest.raises(ImproperlyConfigured, match="display_name"):
        RowBuilder().plan(serializers.AdminUnitSerializer, None)
    with pytest.raises(ImproperlyConfigured, match="components"):
        RowBuilder().plan(serializers.TargetSerializer, None)


_floats = st.one_of(st.none(), st.floats(min_value=-1e9, max_value=1e9, allow_nan=False))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    components=st.lists(
        st.fixed_dictionaries(
            {
                "comparator": st.sampled_from(["=", ">=", ">", "<=", "<", "range", "approx"]),
                "value": _floats,
                "low": st.one_of(st.none(), st.floats(min_value=-1e6, max_value=0, allow_nan=False)),
                "high": st.one_of(st.none(), st.floats(min_value=0, max_value=1e6, allow_nan=False)),
                "unit": st.sampled_from(["", "%", "ha", "tấn CO₂tđ", "%/năm"]),
                "value_kind": st.sampled_from(["level", "annual_rate"]),
                "direction": st.sampled_from(["", "increase", "decrease", "reach"]),
                "year": st.one_of(st.none(), st.integers(min_value=1990, max_value=2050)),
                "subject": st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=20),
            }
        ),
        min_size=1,
        max_size=4,
    ),
    unit_type=st.sampled_from(["province", "city", "ward", "commune", "special_zone"]),
)
def test_property_targets_and_units_equal_serializer(client, world, components, unit_type):  # type: ignore[no-untyped-def]
    from tests.factories import TargetComponentFactory, TargetFactory
    from xanh.geo.models import AdminUnit

    target = TargetFactory(plan=world.published)
    for position, data in enumerate(components):
        TargetComponentFactory(target=target, position=position, **data)
    unit = AdminUnit.objects.create(code="P99", name="Thử Nghiệm", unit_type=unit_type, successor=world.unit)
    try:
        _compare(client, "/api/v1/targets", views.TargetViewSet, AnonymousUser(), {})
        _compare(client, "/api/v1/admin-units", views.AdminUnitViewSet, AnonymousUser(), {})
    finally:
        target.delete()
        unit.delete()


def test_cached_plans_follow_the_language_and_the_request(client, world, settings):  # type: ignore[no-untyped-def]
    from django.utils import translation

    settings.ALLOWED_HOSTS = ["testserver", "xanh.example.vn"]
    url = "/api/v1/targets"
    vietnamese = json.loads(client.get(url).content)["results"]
    english = json.loads(client.get(url, HTTP_ACCEPT_LANGUAGE="en").content)["results"]
    with translation.override("en"):
        expected = _serialized(views.TargetViewSet, url, AnonymousUser(), [r["id"] for r in english])
    assert english == expected
    assert json.loads(client.get(url).content)["results"] == vietnamese  # the Vietnamese plan is still right
    # links are built for the request that asks, not for the one that compiled the plan
    first = json.loads(client.get("/api/v1/plans").content)["results"][0]["links"]["targets"]
    other = json.loads(client.get("/api/v1/plans", HTTP_HOST="xanh.example.vn").content)["results"][0]
    assert first.startswith("http://testserver/") and other["links"]["targets"].startswith(
        "http://xanh.example.vn/"
    )
