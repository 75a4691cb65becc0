from __future__ import annotations

import pytest

from tests.factories import PlanFactory, TargetComponentFactory, TaskAssignmentFactory

pytestmark = pytest.mark.django_db


def test_home_lists_published_plans_by_unit_and_hides_drafts(client):
    published = PlanFactory()
    draft = PlanFactory(status="draft", title="Dự thảo chưa công bố")
    html = client.get("/").content.decode()
    assert published.title in html and published.admin_unit.display_name in html
    assert draft.title not in html
    assert client.get(draft.get_absolute_url()).status_code == 404


def test_plan_page_shows_targets_components_and_tasks(client, django_assert_max_num_queries):
    plan = PlanFactory()
    for n in range(5):
        component = TargetComponentFactory(target__plan=plan, target__code=str(n + 1), value=1234.5, unit="tấn")
        TaskAssignmentFactory(task__plan=plan, agency__admin_unit=plan.admin_unit)
    with django_assert_max_num_queries(12):
        response = client.get(plan.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "1.234,5 tấn" in html  # Vietnamese number format
    assert component.target.text in html
    assert html.count("<h1") == 1


def test_demo_plan_page(client, demo):
    html = client.get(demo["plan"].get_absolute_url()).content.decode()
    assert "dữ liệu minh họa" in html
    assert "Sở Nông nghiệp và Môi trường" in html
    assert "thành thị: 100%" in html


def test_unit_list_filters_by_date(client, reference_units):
    html = client.get("/don-vi/?ngay=2025-07-01").content.decode()
    assert "34 đơn vị" in html
    assert "Ngày không hợp lệ" in client.get("/don-vi/?ngay=01-07-2025").content.decode()


def test_plan_page_links_to_its_evaluation_and_public_page(client, demo):
    plan = demo["plan"]
    html = client.get(plan.get_absolute_url()).content.decode()
    assert f"/danh-gia/ke-hoach/{plan.pk}/" in html
    assert f"/cong-khai/ke-hoach/{plan.pk}/" in html
