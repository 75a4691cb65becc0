"""The OpenAPI schema validates, declares every response, and schemathesis (property-based, against the WSGI app)
finds no server error, no undocumented status code or content type and no response that breaks its schema."""

from __future__ import annotations

import json
import re

import pytest
import schemathesis

from tests.api.fuzzing import CHECKED, fuzz, wsgi_keeps_connection

pytestmark = pytest.mark.django_db


def test_schema_is_valid_openapi_and_declares_errors(client):
    from drf_spectacular.validation import validate_schema

    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    validate_schema(schema)  # raises on an invalid OpenAPI 3 document
    assert schema["openapi"].startswith("3.")
    assert "bearerAuth" in schema["components"]["securitySchemes"]
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            assert {"400", "401", "404", "406", "429"} <= codes, (method, path, codes)
            if method in {"post", "patch"}:
                assert {"403", "415"} <= codes, (method, path)
            for code, body in operation["responses"].items():
                if code.startswith(("4", "5")):
                    assert list(body["content"]) == ["application/json"], (method, path, code)
    imports = schema["paths"]["/api/v1/indicator-values/import"]["post"]
    assert {"200", "409"} <= set(imports["responses"])
    assert set(imports["requestBody"]["content"]) == {"application/json", "text/csv", "multipart/form-data"}


def test_docs_are_served_offline(client):
    page = client.get("/api/v1/docs/").content.decode()
    assert "swagger-ui" in page.lower() and "/static/drf_spectacular_sidecar/" in page
    # nothing loaded from elsewhere (the page carries a random CSRF token, so no substring test for "cdn")
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:)?//""", page), page
    assert client.get("/api/v1/redoc/").status_code == 200


_RAW: dict[str, object] = {}


@pytest.fixture
def api_schema(db, world):  # type: ignore[no-untyped-def]
    from django.test import Client

    if not _RAW:  # generating the schema takes seconds; it does not depend on the data
        _RAW.update(Client().get("/api/v1/openapi.json").json())
    raw = json.loads(json.dumps(_RAW))
    with wsgi_keeps_connection() as application:
        yield schemathesis.openapi.from_dict(raw), application


def _run(schema, app, headers, examples):  # type: ignore[no-untyped-def]
    failures = []
    for result in schema.get_all_operations():
        operation = result.ok()
        try:  # every check on every operation, monitoring's included
            fuzz(operation, app, headers=headers, examples=examples)
        except (
            Exception,
            BaseExceptionGroup,
        ) as exc:  # collect every operation's failure, report all at once
            failures.append(f"{operation.method.upper()} {operation.path}: {str(exc)[:1500]}")
    assert not failures, "\n\n".join(failures)


def test_schemathesis_anonymous(api_schema):
    schema, app = api_schema
    _run(schema, app, {}, examples=8)


def test_schemathesis_with_a_token(api_schema, world):
    schema, app = api_schema
    _run(schema, app, {"Authorization": f"Bearer {world.key_c}"}, examples=6)


def test_monitoring_responses_with_data_match_their_schema(api_schema, settings, tmp_path):  # type: ignore[no-untyped-def]
    """The fuzzing above sees monitoring without stations; here a public station has 20 hours of processed data, a
    coordinator uploads a file, and every answer is checked against its declared schema."""
    import datetime as dt

    from tests.factories import AdminUnitFactory, CoordinatorFactory
    from tests.monitoring.conftest import AMBIENT, files_for
    from xanh.accounts.tokens import create_token
    from xanh.monitoring import services
    from xanh.monitoring.models import Station, StationParameter
    from xanh.monitoring.timeutil import local_now

    settings.XANH_MONITORING_ARCHIVE_DIR = tmp_path / "archive"
    schema, app = api_schema
    province = AdminUnitFactory(code="T77", name="Thử Nghiệm")
    station = Station.objects.create(
        admin_unit=province, code="KK01", name="Trạm Trung tâm", kind="ambient", logger_province="TN",
        logger_facility="STNMT", logger_station="KK01", latitude=21.0, longitude=105.8,
    )  # fmt: skip
    for code in ("PM2_5", "PM10", "O3", "CO", "SO2", "NO2"):
        StationParameter.objects.create(station=station, code=code, unit="µg/m3")
    now = local_now()
    files = [
        f
        for f in files_for(AMBIENT, now - dt.timedelta(hours=20), 2)
        if f.name[-18:-4] <= f"{now:%Y%m%d%H%M%S}"
    ]
    services.ingest_files(user=None, files=files[:-1], now=now)
    coordinator = CoordinatorFactory(admin_unit=province)
    _token, key = create_token(actor=coordinator, owner=coordinator, name="quan trắc")

    stations = schema["/api/v1/monitoring/stations"]["GET"].Case()
    response = stations.call(app=app)
    stations.validate_response(response, checks=CHECKED)
    assert response.json()[0]["code"] == "KK01" and response.json()[0]["aqi"] is not None
    aqi = schema["/api/v1/monitoring/stations/{code}/aqi"]["GET"].Case(path_parameters={"code": "KK01"})
    response = aqi.call(app=app)
    aqi.validate_response(response, checks=CHECKED)
    assert len(response.json()["hourly"]) == 48
    upload = schema["/api/v1/monitoring/files"]["POST"].Case(
        query={"name": files[-1].name},
        headers={"Authorization": f"Bearer {key}", "Content-Type": "text/plain"},
        body=files[-1].content.decode(),
        media_type="text/plain",
    )
    response = upload.call(app=app)
    assert response.status_code == 201, response.text
    upload.validate_response(response, checks=CHECKED)
