"""Writes through the API use the same service as the web forms: permissions (agency A cannot write agency B's
data), validation, locking of approved values and the audit trail. Tokens: hashed, revocable."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from tests.api.conftest import bearer

pytestmark = pytest.mark.django_db

URL = "/api/v1/indicator-values"


def _post(client, key, payload, **extra):
    return client.post(URL, payload, content_type="application/json", **bearer(key), **extra)


def test_reporter_writes_for_own_agency_and_it_is_audited(client, world):
    response = _post(
        client,
        world.key_a,
        {"indicator_code": "TEST-FOREST", "admin_unit_code": "T01", "period": "2025", "value": 41.2},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["agency"] == world.agency_a.pk and body["status"] == "draft" and body["source"] == "api"
    from xanh.indicators.models import IndicatorValue

    value = IndicatorValue.objects.get(pk=body["id"])
    record = value.history.first()
    assert record.history_user == world.reporter_a and record.history_change_reason == "Nhập qua API"
    # the same payload again: unchanged (200), no new history row
    again = _post(
        client,
        world.key_a,
        {"indicator_code": "TEST-FOREST", "admin_unit_code": "T01", "period": "2025", "value": 41.2},
    )
    assert again.status_code == 200 and value.history.count() == 1


def test_agency_a_token_cannot_write_agency_b_data(client, world):
    foreign = _post(
        client,
        world.key_a,
        {
            "indicator_code": "TEST-FOREST",
            "admin_unit_code": "T01",
            "period": "2025",
            "value": 1,
            "agency_key": "so-b",
        },
    )
    assert foreign.status_code == 403 and foreign.json()["code"] == "permission_denied"
    assert "cơ quan này" in foreign.json()["message"]
    # B's existing (pending) value cannot be changed by A, neither by PATCH nor by re-posting the point
    from tests.factories import IndicatorValueFactory

    b_value = IndicatorValueFactory(
        indicator=world.indicator,
        admin_unit=world.unit,
        period="2022",
        year=2022,
        status="submitted",
        agency=world.agency_b,
    )
    patch = client.patch(
        f"{URL}/{b_value.pk}", {"value": 2}, content_type="application/json", **bearer(world.key_b)
    )
    assert patch.status_code == 200  # B itself may
    assert (
        client.patch(
            f"{URL}/{b_value.pk}", {"value": 3}, content_type="application/json", **bearer(world.key_a)
        ).status_code
        == 404
    )
    overwrite = _post(
        client,
        world.key_a,
        {"indicator_code": "TEST-FOREST", "admin_unit_code": "T01", "period": "2022", "value": 9},
    )
    assert overwrite.status_code == 403
    b_value.refresh_from_db()
    assert b_value.value == 2


def test_validation_and_locking_come_from_the_service(client, world):
    too_big = _post(
        client,
        world.key_a,
        {"indicator_code": "TEST-FOREST", "admin_unit_code": "T01", "period": "2025", "value": 140},
    )
    assert too_big.status_code == 400
    body = too_big.json()
    assert body["code"] == "validation_failed" and body["errors"][0]["field"] == "value"
    assert "tối đa" in body["errors"][0]["message"]
    english = _post(
        client,
        world.key_a,
        {"indicator_code": "TEST-FOREST", "admin_unit_code": "T01", "period": "2025", "value": 140},
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert "plausible maximum" in english.json()["errors"][0]["message"]
    locked = _post(
        client,
        world.key_a,
        {"indicator_code": "TEST-FOREST", "admin_unit_code": "T01", "period": "2023", "value": 10},
    )
    assert locked.status_code == 400 and "khóa" in locked.json()["errors"][0]["message"]
    missing = client.post(URL, {"period": "2025"}, content_type="application/json", **bearer(world.key_a))
    assert missing.status_code == 400 and [e["field"] for e in missing.json()["errors"]] == ["value"]
    no_point = client.post(
        URL, {"period": "2025", "value": 1}, content_type="application/json", **bearer(world.key_a)
    )
    assert {e["field"] for e in no_point.json()["errors"]} == {"indicator", "admin_unit"}


def test_anonymous_and_viewers_cannot_write(client, world):
    anonymous = client.post(URL, {"indicator_code": "TEST-FOREST"}, content_type="application/json")
    assert anonymous.status_code == 401 and anonymous["WWW-Authenticate"].startswith("Bearer")
    client.force_login(world.viewer)
    from django.test import Client

    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(world.coordinator)
    # session writes need the CSRF token
    assert csrf_client.post(URL, {}, content_type="application/json").status_code == 403


def test_coordinator_approves_reporter_cannot(client, world):
    assert (
        client.post(
            f"{URL}/{world.pending.pk}/approve", {}, content_type="application/json", **bearer(world.key_a)
        ).status_code
        == 403
    )
    approved = client.post(
        f"{URL}/{world.pending.pk}/approve",
        {"reason": "Đã kiểm tra"},
        content_type="application/json",
        **bearer(world.key_c),
    )
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    # now public
    assert len(client.get(URL).json()["results"]) == 2


def test_revoked_and_expired_tokens_fail(client, world):
    from django.utils import timezone

    from xanh.accounts.tokens import create_token, revoke_token

    assert client.get("/api/v1/me", **bearer(world.key_a)).status_code == 200
    revoke_token(actor=world.reporter_a, token=world.token_a)
    refused = client.get("/api/v1/me", **bearer(world.key_a))
    assert refused.status_code == 401 and refused.json()["code"] == "authentication_failed"
    # even for public reads a bad token is an error, not a silent anonymous downgrade
    assert client.get("/api/v1/plans", **bearer(world.key_a)).status_code == 401
    token, key = create_token(actor=world.reporter_a, owner=world.reporter_a, name="ngắn hạn")
    type(token).objects.filter(pk=token.pk).update(expires_at=timezone.now() - timezone.timedelta(seconds=1))
    assert client.get("/api/v1/me", **bearer(key)).status_code == 401
    world.reporter_b.is_active = False
    world.reporter_b.save()
    assert client.get("/api/v1/me", **bearer(world.key_b)).status_code == 401
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer").status_code == 401
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer xanh_x").status_code == 401


def test_tokens_are_stored_hashed_and_shown_once(world):
    from xanh.accounts.models import ApiToken
    from xanh.accounts.tokenkeys import hash_key

    stored = ApiToken.objects.get(pk=world.token_a.pk)
    assert stored.key_hash == hash_key(world.key_a)
    assert world.key_a not in {
        getattr(stored, f.attname)
        for f in ApiToken._meta.fields
        if isinstance(getattr(stored, f.attname), str)
    }
    assert world.key_a.startswith(stored.prefix)


def test_token_command_creates_prints_once_and_revokes(world, capsys):
    from xanh.accounts.models import ApiToken

    call_command("token", "create", "nguoi-xem", "--name", "Cổng thống kê")
    key = capsys.readouterr().out.strip()
    token = ApiToken.objects.get(user=world.viewer, name="Cổng thống kê")
    assert key.startswith(token.prefix) and token.is_active
    call_command("token", "list", "nguoi-xem")
    listing = capsys.readouterr().out
    assert token.prefix in listing and key not in listing
    call_command("token", "revoke", token.prefix)
    token.refresh_from_db()
    assert not token.is_active


def test_profile_page_creates_and_revokes_tokens(client, world):
    client.force_login(world.reporter_a)
    page = client.get("/tai-khoan/")
    assert (
        page.status_code == 200
        and "Khóa API cá nhân" in page.content.decode()
        and world.token_a.prefix in page.content.decode()
    )
    client.post("/tai-khoan/khoa-api/tao/", {"name": "Tích hợp thử"})
    shown = client.get("/tai-khoan/").content.decode()
    from xanh.accounts.models import ApiToken

    token = ApiToken.objects.get(name="Tích hợp thử")
    import re

    key = re.search(r'value="(xanh_[^"]+)"', shown).group(1)
    assert key.startswith(token.prefix)
    assert key not in client.get("/tai-khoan/").content.decode()  # shown only once
    assert client.get("/api/v1/me", **bearer(key)).status_code == 200
    # someone else's token cannot be revoked from my page
    assert client.post(f"/tai-khoan/khoa-api/{world._token_b.pk}/thu-hoi/").status_code == 403
    client.post(f"/tai-khoan/khoa-api/{token.pk}/thu-hoi/")
    assert client.get("/api/v1/me", **bearer(key)).status_code == 401
    assert client.get("/tai-khoan/khoa-api/tao/").status_code == 405
    client.logout()
    assert client.get("/tai-khoan/").status_code == 302
