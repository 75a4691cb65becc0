"""The reporting workflow through the API (/api/v1/submissions): the same services as the browser, so the same
permissions, validation, optimistic locking, audit trail and official values after approval."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.api.conftest import bearer
from tests.api.fuzzing import CHECKED, fuzz, wsgi_keeps_connection

pytestmark = pytest.mark.django_db


def _post(client, url, data, key, **extra):  # type: ignore[no-untyped-def]
    return client.post(url, json.dumps(data), content_type="application/json", **bearer(key), **extra)


def _fill(client, world, submission):  # type: ignore[no-untyped-def]
    """Agency A fills its report: the task through the API (PATCH task-reports), the indicator value through the
    report form's service (indicator reports have no API of their own)."""
    from xanh.reporting.services import IndicatorInput, report_items, save_draft

    tasks, indicators = report_items(submission)
    for pk in tasks:
        response = client.patch(
            f"/api/v1/task-reports/{pk}",
            {"status": "in_progress", "percent": 60, "narrative": "Đã trồng mới 120 ha rừng."},
            content_type="application/json",
            **bearer(world.key_a),
        )
        assert response.status_code == 200, response.content
    submission.refresh_from_db()
    save_draft(
        user=world.reporter_a,
        submission=submission,
        expected_version=submission.version,
        indicators={
            pk: IndicatorInput(value=41.8, data_source="Kiểm kê rừng 2025", note="") for pk in indicators
        },
    )
    submission.refresh_from_db()
    return submission


def _detail(client, pk, key):  # type: ignore[no-untyped-def]
    response = client.get(f"/api/v1/submissions/{pk}", **bearer(key))
    assert response.status_code == 200, response.content
    return response.json()


def test_reporter_submits_its_report_and_the_history_names_the_api_user(client, round_world):
    world = round_world
    rows = client.get("/api/v1/submissions", **bearer(world.key_a)).json()["results"]
    assert [r["id"] for r in rows] == [world.submission_a.pk]
    assert (
        rows[0]["agency_name"] == "Sở A"
        and rows[0]["status"] == "not_started"
        and rows[0]["period"] == "2025"
    )
    assert rows[0]["due_on"] == "2099-12-31" and rows[0]["is_late"] is False
    assert rows[0]["links"]["task_reports"].endswith(
        f"/api/v1/task-reports?submission={world.submission_a.pk}"
    )

    detail = _detail(client, world.submission_a.pk, world.key_a)
    assert detail["version"] == 1
    assert detail["items"] == {
        "tasks": 1,
        "tasks_filled": 0,
        "indicators": 1,
        "indicators_filled": 0,
        "missing": 2,
    }
    assert [i["indicator_code"] for i in detail["indicator_reports"]] == ["TEST-FOREST"]
    task_link = detail["task_reports"][0]["url"]
    assert client.get(task_link, **bearer(world.key_a)).status_code == 200
    linked = client.get(rows[0]["links"]["task_reports"], **bearer(world.key_a)).json()["results"]
    assert [r["id"] for r in linked] == [detail["task_reports"][0]["id"]]

    # nothing filled in: 400 naming every missing item, and nothing changes
    refused = _post(
        client, f"/api/v1/submissions/{world.submission_a.pk}/submit", {"version": 1}, world.key_a
    )
    assert refused.status_code == 400, refused.content
    body = refused.json()
    assert body["code"] == "validation_failed"
    sources = {e.get("source") for e in body["errors"]}
    assert {
        "Chỉ tiêu TEST-FOREST",
        f"Nhiệm vụ {world.published.tasks.get(assignments__agency=world.agency_a).code}",
    } <= sources
    assert any(e["message"] == "chưa ghi giá trị" for e in body["errors"])
    world.submission_a.refresh_from_db()
    assert world.submission_a.status == "not_started" and world.submission_a.version == 1

    submission = _fill(client, world, world.submission_a)
    assert _detail(client, submission.pk, world.key_a)["missing"] == []
    response = _post(
        client, f"/api/v1/submissions/{submission.pk}/submit", {"version": submission.version}, world.key_a
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == "submitted" and body["version"] == submission.version + 1
    assert body["submitted_at"] and body["is_late"] is False
    latest = submission.history.first()
    assert latest.history_user == world.reporter_a and latest.history_change_reason == "Nộp báo cáo"
    # a submitted report is no longer editable, through the API either
    again = _post(
        client, f"/api/v1/submissions/{submission.pk}/submit", {"version": body["version"]}, world.key_a
    )
    assert again.status_code == 400 and "Đã nộp" in again.json()["errors"][0]["message"]


def test_reporter_cannot_see_or_act_on_another_agencys_report(client, round_world):
    world = round_world
    other = world.submission_b.pk
    assert client.get(f"/api/v1/submissions/{other}", **bearer(world.key_a)).status_code == 404
    assert (
        client.get(f"/api/v1/submissions?agency={world.agency_b.pk}", **bearer(world.key_a)).json()["count"]
        == 0
    )
    for verb, data in (
        ("submit", {"version": 1}),
        ("return", {"version": 1, "comment": "x"}),
        ("approve", {"version": 1}),
        ("reopen", {"version": 1, "reason": "x"}),
    ):
        response = _post(client, f"/api/v1/submissions/{other}/{verb}", data, world.key_a)
        assert response.status_code == 404 and response.json()["code"] == "not_found", (
            verb,
            response.content,
        )
    # B's own reporter sees it; A's token never changed it
    assert _detail(client, other, world.key_b)["version"] == 1
    world.submission_b.refresh_from_db()
    assert world.submission_b.status == "not_started"


def test_anonymous_and_viewer_cannot_act_and_a_reporter_cannot_review(client, round_world):
    from xanh.accounts.tokens import create_token

    world = round_world
    pk = world.submission_a.pk
    anonymous = client.get("/api/v1/submissions")
    assert anonymous.status_code == 401 and anonymous.json()["code"] == "not_authenticated"
    assert anonymous["WWW-Authenticate"].startswith("Bearer")
    assert client.get(f"/api/v1/submissions/{pk}").status_code == 401
    response = client.post(
        f"/api/v1/submissions/{pk}/submit", {"version": 1}, content_type="application/json"
    )
    assert response.status_code == 401

    _token, viewer_key = create_token(actor=world.viewer, owner=world.viewer, name="xem")
    assert client.get("/api/v1/submissions", **bearer(viewer_key)).json()["count"] == 0
    assert client.get(f"/api/v1/submissions/{pk}", **bearer(viewer_key)).status_code == 404
    assert _post(client, f"/api/v1/submissions/{pk}/submit", {"version": 1}, viewer_key).status_code == 404

    submission = _fill(client, world, world.submission_a)
    submitted = _post(
        client, f"/api/v1/submissions/{pk}/submit", {"version": submission.version}, world.key_a
    )
    version = submitted.json()["version"]
    for verb, data in (
        ("approve", {"version": version}),
        ("return", {"version": version, "comment": "Tự trả lại"}),
    ):
        denied = _post(client, f"/api/v1/submissions/{pk}/{verb}", data, world.key_a)
        assert denied.status_code == 403 and denied.json()["code"] == "permission_denied", denied.content
        assert "đầu mối" in denied.json()["message"]  # the service's own reason
    submission.refresh_from_db()
    assert submission.status == "submitted" and submission.version == version


def test_coordinator_returns_then_approves_and_values_become_official(client, round_world, mailoutbox):
    from xanh.indicators.models import IndicatorValue, ValueStatus
    from xanh.reporting.models import ReviewComment, Submission

    world = round_world
    pk = world.submission_a.pk
    submission = _fill(client, world, world.submission_a)
    version = _post(
        client, f"/api/v1/submissions/{pk}/submit", {"version": submission.version}, world.key_a
    ).json()["version"]
    # the coordinator sees every report of its plan
    listed = client.get(
        f"/api/v1/submissions?plan={world.published.pk}&ordering=id", **bearer(world.key_c)
    ).json()
    assert {r["id"] for r in listed["results"]} == {pk, world.submission_b.pk}
    submitted = client.get("/api/v1/submissions?status=submitted", **bearer(world.key_c)).json()["results"]
    assert [r["id"] for r in submitted] == [pk]

    no_comment = _post(client, f"/api/v1/submissions/{pk}/return", {"version": version}, world.key_c)
    assert no_comment.status_code == 400 and no_comment.json()["errors"][0]["field"] == "comment"
    blank = _post(
        client, f"/api/v1/submissions/{pk}/return", {"version": version, "comment": "  "}, world.key_c
    )
    assert blank.status_code == 400
    task_report = _detail(client, pk, world.key_c)["task_reports"][0]["id"]
    returned = _post(
        client,
        f"/api/v1/submissions/{pk}/return",
        {
            "version": version,
            "comment": "Bổ sung số liệu diện tích rừng trồng mới.",
            "item_comments": [{"task_report": task_report, "comment": "Ghi rõ số ha theo từng huyện."}],
        },
        world.key_c,
    )
    assert returned.status_code == 200, returned.content
    body = returned.json()
    assert body["status"] == "returned" and body["reviewer_comment"].startswith("Bổ sung")
    assert ReviewComment.objects.filter(submission_id=pk, task_report_id=task_report).exists()
    record = Submission.history.filter(id=pk).first()
    assert record.history_user == world.coordinator and record.history_change_reason.startswith("Trả lại")

    # the reporter fixes and resubmits, the coordinator approves
    resubmitted = _post(client, f"/api/v1/submissions/{pk}/submit", {"version": body["version"]}, world.key_a)
    assert resubmitted.status_code == 200, resubmitted.content
    approved = _post(
        client, f"/api/v1/submissions/{pk}/approve", {"version": resubmitted.json()["version"]}, world.key_c
    )
    assert approved.status_code == 200, approved.content
    body = approved.json()
    assert body["status"] == "approved" and body["approved_at"]
    official = IndicatorValue.objects.get(
        indicator=world.indicator, admin_unit=world.unit, period="2025", disaggregation=""
    )
    assert official.status == ValueStatus.APPROVED and official.value == 41.8
    assert official.history.first().history_user == world.coordinator
    assert body["indicator_reports"][0]["official_value"] == official.pk
    # now public as an approved value
    public = client.get("/api/v1/indicator-values?indicator_code=TEST-FOREST&period=2025").json()["results"]
    assert [v["id"] for v in public] == [official.pk]
    assert Submission.history.filter(id=pk).first().history_user == world.coordinator

    # reopening needs a written reason; it is audited and unlocks the official value
    no_reason = _post(client, f"/api/v1/submissions/{pk}/reopen", {"version": body["version"]}, world.key_c)
    assert no_reason.status_code == 400 and no_reason.json()["errors"][0]["field"] == "reason"
    reopened = _post(
        client,
        f"/api/v1/submissions/{pk}/reopen",
        {"version": body["version"], "reason": "Cục Thống kê công bố số liệu chính thức khác."},
        world.key_c,
    )
    assert reopened.status_code == 200, reopened.content
    assert reopened.json()["status"] == "returned"
    record = Submission.history.filter(id=pk).first()
    assert record.history_user == world.coordinator and "Cục Thống kê" in record.history_change_reason
    official.refresh_from_db()
    assert official.status != ValueStatus.APPROVED


def test_stale_version_is_a_conflict_in_english_too(client, round_world):
    world = round_world
    pk = world.submission_a.pk
    submission = _fill(client, world, world.submission_a)
    stale = submission.version - 1
    conflict = _post(client, f"/api/v1/submissions/{pk}/submit", {"version": stale}, world.key_a)
    assert conflict.status_code == 409, conflict.content
    body = conflict.json()
    assert body["code"] == "edit_conflict" and set(body) == {"code", "message", "errors"}
    assert body["errors"][0]["field"] == "phiên bản"
    english = _post(
        client, f"/api/v1/submissions/{pk}/submit", {"version": stale}, world.key_a, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert english.status_code == 409
    assert english.json()["message"] == "Someone saved this report after you read it; reload it."
    anonymous = client.get("/api/v1/submissions", HTTP_ACCEPT_LANGUAGE="en").json()
    assert anonymous["message"].startswith("Authentication required")
    missing = client.post(
        f"/api/v1/submissions/{pk}/submit", "{}", content_type="application/json",
        HTTP_ACCEPT_LANGUAGE="en", **bearer(world.key_a),
    )  # fmt: skip
    assert missing.status_code == 400 and missing.json()["errors"] == [
        {"field": "version", "message": "This field is required."}
    ]
    submission.refresh_from_db()
    assert submission.status == "draft"

    # the coordinator's actions check the version as well, reopen included
    version = _post(
        client, f"/api/v1/submissions/{pk}/submit", {"version": submission.version}, world.key_a
    ).json()["version"]
    assert (
        _post(client, f"/api/v1/submissions/{pk}/approve", {"version": version - 1}, world.key_c).status_code
        == 409
    )
    approved = _post(client, f"/api/v1/submissions/{pk}/approve", {"version": version}, world.key_c).json()
    late_reopen = _post(
        client,
        f"/api/v1/submissions/{pk}/reopen",
        {"version": approved["version"] - 1, "reason": "Sửa"},
        world.key_c,
    )
    assert late_reopen.status_code == 409 and late_reopen.json()["code"] == "edit_conflict"
    submission.refresh_from_db()
    assert submission.status == "approved"


def test_late_submission_is_flagged_and_can_be_filtered(client, round_world):
    world = round_world
    round = world.round
    round.due_on = dt.date(2025, 11, 2)
    round.save(update_fields=["due_on"])
    submission = _fill(client, world, world.submission_a)
    body = _post(
        client, f"/api/v1/submissions/{submission.pk}/submit", {"version": submission.version}, world.key_a
    ).json()
    assert body["is_late"] is True and body["due_on"] == "2025-11-02"
    late = client.get("/api/v1/submissions?is_late=true", **bearer(world.key_c)).json()["results"]
    assert [r["id"] for r in late] == [submission.pk]
    approved = _post(
        client, f"/api/v1/submissions/{submission.pk}/approve", {"version": body["version"]}, world.key_c
    )
    assert approved.status_code == 200 and approved.json()["status"] == "approved"


def test_list_csv_fields_ordering_and_constant_queries(client, round_world):
    world = round_world
    key = world.key_c
    csv = client.get("/api/v1/submissions?format=csv&fields=id,agency_name,status", **bearer(key))
    assert csv.status_code == 200 and csv["Content-Type"].startswith("text/csv")
    text = csv.content.decode("utf-8-sig").splitlines()
    assert text[0] == "id,agency_name,status" and len(text) == 3
    ordered = client.get("/api/v1/submissions?ordering=-id&fields=id", **bearer(key)).json()["results"]
    assert [r["id"] for r in ordered] == sorted([world.submission_a.pk, world.submission_b.pk], reverse=True)
    assert client.get("/api/v1/submissions?fields=nope", **bearer(key)).json()["code"] == "unknown_field"
    assert client.get("/api/v1/submissions?period=2024", **bearer(key)).json()["count"] == 0
    assert client.get("/api/v1/submissions?status=bogus", **bearer(key)).status_code == 400
    # the rows come from one page query (RowBuilder), whatever the number of reports
    with CaptureQueriesContext(connection) as two:
        client.get("/api/v1/submissions", **bearer(key))
    from tests.factories import AgencyFactory
    from xanh.reporting.models import Submission

    for index in range(5):
        Submission.objects.create(
            round=world.round, agency=AgencyFactory(admin_unit=world.unit, key=f"so-x{index}")
        )
    with CaptureQueriesContext(connection) as seven:
        rows = client.get("/api/v1/submissions", **bearer(key)).json()["results"]
    assert len(rows) == 7 and len(seven) == len(two)


def test_schema_fuzzing_with_reports_present(client, round_world):
    """test_schema.py fuzzes every operation on data without reporting rounds; here the submissions operations run
    against a round with reports, with the coordinator's and the reporter's tokens."""
    import schemathesis

    raw = client.get("/api/v1/openapi.json").json()
    raw["paths"] = {p: v for p, v in raw["paths"].items() if p.startswith("/api/v1/submissions")}
    schema = schemathesis.openapi.from_dict(raw)
    world = round_world
    _fill(client, world, world.submission_a)
    pk = world.submission_a.pk

    def the_real_report(case):  # type: ignore[no-untyped-def]
        if "id" in (case.path_parameters or {}):
            case.path_parameters["id"] = pk  # the real report, not a random id (a 404 tells nothing)

    with wsgi_keeps_connection() as app:
        for key in (world.key_c, world.key_a):
            for result in schema.get_all_operations():
                fuzz(
                    result.ok(),
                    app,
                    headers={"Authorization": f"Bearer {key}"},
                    examples=15,
                    prepare=the_real_report,
                )
        # random versions are stale (409): walk the workflow with the right ones, each answer checked too
        world.submission_a.refresh_from_db()
        version = world.submission_a.version
        for verb, key, extra in (
            ("submit", world.key_a, {}),
            ("return", world.key_c, {"comment": "Bổ sung nguồn số liệu."}),
            ("submit", world.key_a, {}),
            ("approve", world.key_c, {}),
            ("reopen", world.key_c, {"reason": "Số liệu chính thức thay đổi."}),
        ):
            case = schema[f"/api/v1/submissions/{{id}}/{verb}"]["POST"].Case(
                path_parameters={"id": pk},
                headers={"Authorization": f"Bearer {key}"},
                body={"version": version, **extra},
                media_type="application/json",
            )
            response = case.call(app=app)
            assert response.status_code == 200, (verb, response.text)
            case.validate_response(response, checks=CHECKED)
            version = response.json()["version"]
