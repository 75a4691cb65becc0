from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.factories import PASSWORD, ReporterFactory, UserFactory
from xanh.evaluation.models import EvaluationRun, StatusOverride
from xanh.evaluation.services import evaluate_plan

pytestmark = pytest.mark.django_db


def login(client, user) -> None:
    assert client.login(username=user.username, password=PASSWORD)


def test_plan_dashboard_shows_pillars_cards_and_rollups(client, small_plan):
    evaluate_plan(plan=small_plan.plan, as_of=2024)
    response = client.get(reverse("evaluation:plan", args=[small_plan.plan.pk]) + "?nam=2024")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Tổng hợp toàn kế hoạch" in html
    assert "Xanh hóa các ngành kinh tế" in html
    assert html.count('class="card target-card') == 4
    assert 'role="img"' in html and "<svg" in html  # inline sparklines, no script, no CDN
    assert "<script" not in html.split("<main", 1)[1]
    assert "Tốc độ tăng bình quân quan sát: 1,0%/năm; cần: 0,5%/năm" in html
    assert "Sở Nông nghiệp và Môi trường" in html
    assert "Đánh giá lại" not in html  # anonymous visitors cannot re-evaluate


def test_dashboard_evaluates_when_missing_and_when_data_change(client, small_plan):
    url = reverse("evaluation:plan", args=[small_plan.plan.pk]) + "?nam=2024"
    assert client.get(url).status_code == 200
    run = EvaluationRun.objects.get(plan=small_plan.plan, as_of=2024)
    client.get(url)
    assert EvaluationRun.objects.get(pk=run.pk).computed_at == run.computed_at  # unchanged data: no recompute
    value = small_plan.forest.values.get(year=2024)
    value.value = 41.7
    value.save()
    client.get(url)
    assert EvaluationRun.objects.get(pk=run.pk).computed_at > run.computed_at


def count_queries(client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


#: Queries of the plan dashboard for an anonymous visitor: plan, run, 2 freshness checks, run again, years, targets,
#: components, tasks, assignments, assessments, overrides, task reports.
DASHBOARD_QUERIES = 13


def test_dashboard_query_count_is_pinned(client, small_plan):
    from tests.factories import TargetComponentFactory, TargetFactory

    url = reverse("evaluation:plan", args=[small_plan.plan.pk]) + "?nam=2024"
    client.get(url)  # evaluates and warms the chart cache
    assert count_queries(client, url) == DASHBOARD_QUERIES
    for i in range(10):
        target = TargetFactory(plan=small_plan.plan, code=f"N{i}", indicator=small_plan.forest)
        TargetComponentFactory(target=target, value=45)
    evaluate_plan(plan=small_plan.plan, as_of=2024)
    client.get(url)
    assert count_queries(client, url) == DASHBOARD_QUERIES


def test_target_page_calculation_data_and_tasks(client, small_plan):
    url = reverse("evaluation:target", args=[small_plan.plan.pk, small_plan.t_forest.pk]) + "?nam=2024"
    html = client.get(url).content.decode()
    assert "Cách tính" in html
    assert "Cơ sở: 40% (năm 2020, theo kế hoạch); mới nhất: 41,6% (năm 2024); mục tiêu: 42% năm 2030." in html
    assert "Niên giám thống kê 2025" in html  # data table with sources
    assert "III.1" in html  # linked task
    assert "Open SDG" in html
    assert "Lưu điều chỉnh" not in html
    composite = client.get(
        reverse("evaluation:target", args=[small_plan.plan.pk, small_plan.t_water.pk]) + "?nam=2024"
    ).content.decode()
    assert composite.count("<figure") == 3  # one chart per component
    assert "Nông thôn" in composite


def test_target_page_query_count(client, small_plan):
    url = reverse("evaluation:target", args=[small_plan.plan.pk, small_plan.t_water.pk]) + "?nam=2024"
    client.get(url)
    assert count_queries(client, url) == DASHBOARD_QUERIES + 1  # + the override history


def test_coordinator_overrides_and_revokes_through_the_page(client, small_plan):
    login(client, small_plan.coordinator)
    target_url = reverse("evaluation:target", args=[small_plan.plan.pk, small_plan.t_energy.pk])
    html = client.get(target_url + "?nam=2024").content.decode()
    assert "Lưu điều chỉnh" in html
    post = reverse("evaluation:override", args=[small_plan.plan.pk, small_plan.t_energy.pk])
    bad = client.post(post, {"status": "on_track", "justification": "ngắn"}, follow=True)
    assert "Lý do quá ngắn" in bad.content.decode()
    assert not StatusOverride.objects.exists()
    reason = "Đã có kết quả kiểm toán năng lượng năm 2024 cho thấy mức giảm thực tế cao hơn."
    response = client.post(post, {"status": "on_track", "justification": reason}, follow=True)
    html = response.content.decode()
    assert "điều chỉnh thủ công" in html and reason in html
    assert re.search(r"Trạng thái tính toán:.*Cần đẩy nhanh", html, re.S)
    dashboard = client.get(
        reverse("evaluation:plan", args=[small_plan.plan.pk]) + "?nam=2024"
    ).content.decode()
    assert "điều chỉnh thủ công" in dashboard and "(tính toán: cần đẩy nhanh)" in dashboard
    override = StatusOverride.objects.get()
    revoke = reverse("evaluation:revoke", args=[small_plan.plan.pk, small_plan.t_energy.pk, override.pk])
    client.post(revoke, {"reason": "Nhập nhầm kỳ số liệu."}, follow=True)
    assert not StatusOverride.objects.active().exists()


def test_override_and_evaluate_are_refused_to_others(client, small_plan):
    login(client, ReporterFactory(agency=small_plan.lead))
    post = reverse("evaluation:override", args=[small_plan.plan.pk, small_plan.t_energy.pk])
    assert client.post(post, {"status": "on_track", "justification": "x" * 40}).status_code == 403
    evaluate = reverse("evaluation:evaluate", args=[small_plan.plan.pk])
    assert client.post(evaluate, {"as_of": 2024}).status_code == 403
    assert client.get(evaluate).status_code == 405


def test_coordinator_re_evaluates(client, small_plan):
    login(client, small_plan.coordinator)
    url = reverse("evaluation:evaluate", args=[small_plan.plan.pk])
    response = client.post(url, {"as_of": 2022}, follow=True)
    assert "Đã đánh giá lại 4 mục tiêu theo số liệu đến năm 2022" in response.content.decode()
    assert EvaluationRun.objects.filter(
        plan=small_plan.plan, as_of=2022, computed_by=small_plan.coordinator
    ).exists()
    response = client.post(url, {"as_of": "abc"}, follow=True)
    assert "Năm đánh giá phải là một số" in response.content.decode()


def test_agency_dashboard(client, small_plan):
    url = reverse("evaluation:agency", args=[small_plan.lead.pk])
    assert client.get(url).status_code == 302  # login required
    login(client, UserFactory())
    client.get(url)
    assert count_queries(client, url) <= 30
    html = client.get(url).content.decode()
    assert "Sở Nông nghiệp và Môi trường" in html
    assert "III.1" in html and "III.3" in html and "Chủ trì" in html
    assert "Chấp hành chế độ báo cáo" in html
    assert "Tỷ lệ che phủ rừng" in html


def test_draft_plans_are_hidden_from_visitors(client, small_plan):
    small_plan.plan.status = "draft"
    small_plan.plan.save()
    assert client.get(reverse("evaluation:plan", args=[small_plan.plan.pk])).status_code == 404
    login(client, small_plan.coordinator)
    assert client.get(reverse("evaluation:plan", args=[small_plan.plan.pk])).status_code == 200


def test_index_lists_plans(client, small_plan):
    evaluate_plan(plan=small_plan.plan, as_of=2024)
    html = client.get(reverse("evaluation:index")).content.decode()
    assert small_plan.plan.title in html
