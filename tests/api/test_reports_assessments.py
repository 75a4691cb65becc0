"""Task reports (read; update through reporting's save_draft) and assessments (read) on the demonstration province."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


def test_task_reports_public_only_when_approved_and_agency_updates_its_own(client, demo):
    from xanh.reporting.models import SubmissionStatus, TaskReport

    public = client.get("/api/v1/task-reports?page_size=1000").json()["results"]
    assert all(r["submission_status"] == SubmissionStatus.APPROVED for r in public)
    editable = (
        TaskReport.objects.filter(
            submission__status__in=["not_started", "draft", "returned"],
            submission__agency__users__role="reporter",
        )
        .select_related("submission__agency")
        .first()
    )
    if editable is None:
        pytest.skip("the demonstration has no open report")
    owner = editable.submission.agency.users.filter(role="reporter").first()
    from xanh.accounts.tokens import create_token

    _token, key = create_token(actor=owner, owner=owner, name="thử")
    url = f"/api/v1/task-reports/{editable.pk}"
    assert client.get(url).status_code in (200, 404)  # not public unless approved
    response = client.patch(
        url,
        {"status": "in_progress", "percent": 40, "narrative": "Đang triển khai qua API."},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "in_progress" and body["percent"] == 40
    stale = client.patch(
        url,
        {"percent": 50, "version": 1},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    if body["submission_version"] > 1:
        assert stale.status_code == 409 and stale.json()["code"] == "edit_conflict"
    other = (
        TaskReport.objects.exclude(submission__agency=editable.submission.agency)
        .filter(submission__status__in=["not_started", "draft", "returned"])
        .first()
    )
    if other is not None:
        denied = client.patch(
            f"/api/v1/task-reports/{other.pk}",
            {"percent": 10},
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {key}",
        )
        assert denied.status_code in (403, 404)


def test_assessments_carry_their_calculation(client, demo):
    from xanh.evaluation.models import Assessment

    if not Assessment.objects.exists():
        pytest.skip("the demonstration has no evaluation")
    rows = client.get(f"/api/v1/assessments?plan={demo['plan'].pk}&whole_target=true&page_size=100").json()[
        "results"
    ]
    assert rows and all(r["component"] is None for r in rows)
    assert all(r["status_label"] and isinstance(r["components"], dict) for r in rows)
