"""Public pages, the ingestion log, the API upload and the commands."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from rest_framework.test import APIClient

from tests.factories import CoordinatorFactory, UserFactory
from xanh.monitoring import services
from xanh.monitoring.models import IngestedFile, Measurement
from xanh.monitoring.timeutil import local_now


@pytest.fixture
def recent(stations, make_files):  # type: ignore[no-untyped-def]
    """The last 20 hours up to now, processed: the pages show a current index."""
    now = local_now()
    start = now - dt.timedelta(hours=20)
    files = [
        f
        for f in make_files("ambient", start, 2) + make_files("stack", start, 2)
        if f.name[-18:-4] <= f"{now:%Y%m%d%H%M%S}"
    ]
    services.ingest_files(user=None, files=files, now=now)
    return stations


def test_province_page(client, recent) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/quan-trac/", follow=True)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Bản đồ trạm quan trắc" in html and "<svg" in html and 'data-station="KK01"' in html
    assert "Khuyến nghị sức khỏe" in html and "Người nhạy cảm" in html
    assert "Nhà máy Thử" in html and "Giới hạn" in html
    assert 'fill="#BDBDBD"' not in html.split("<circle")[1].split(">")[0]  # KK01 has a current index


def test_station_page(client, recent) -> None:  # type: ignore[no-untyped-def]
    html = client.get("/quan-trac/tram/KK01/").content.decode()
    assert "48 giờ qua" in html and "30 ngày qua" in html and "data-aqi=" in html
    assert html.count('<li style="background:') >= 78
    stack = client.get("/quan-trac/tram/OK01/").content.decode()
    assert "so với giới hạn cho phép" in stack and "400" in stack
    assert client.get("/quan-trac/tram/KHONGCO/").status_code == 404


def test_ingestion_log_is_for_staff(client, recent) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/quan-trac/nhat-ky/").status_code == 302
    client.force_login(CoordinatorFactory(admin_unit=recent["ambient"].admin_unit))
    response = client.get("/quan-trac/nhat-ky/")
    assert response.status_code == 200 and "Nhật ký nhận tệp" in response.content.decode()


def test_flag_form(client, recent) -> None:  # type: ignore[no-untyped-def]
    client.force_login(CoordinatorFactory(admin_unit=recent["ambient"].admin_unit))
    now = local_now()
    response = client.post(
        "/quan-trac/tram/KK01/danh-dau/",
        {"start": f"{now - dt.timedelta(hours=3):%Y-%m-%d %H:%M}", "end": f"{now:%Y-%m-%d %H:%M}",
         "parameters": ["PM2_5"], "reason": "Bảo dưỡng"},
    )  # fmt: skip
    assert response.status_code == 302
    html = client.get("/quan-trac/tram/KK01/").content.decode()
    assert "Bảo dưỡng" in html and "Thu hồi" in html


def test_api_upload_one_file_and_a_batch(recent, make_files) -> None:  # type: ignore[no-untyped-def]
    api = APIClient()
    assert api.post("/api/v1/monitoring/files", {}).status_code in (401, 403)
    api.force_authenticate(UserFactory())
    files = make_files("ambient", dt.datetime(2025, 3, 10), 1)[:3]
    assert (
        api.post(
            "/api/v1/monitoring/files", {"f": SimpleUploadedFile(files[0].name, files[0].content)}
        ).status_code
        == 403
    )
    api.force_authenticate(CoordinatorFactory(admin_unit=recent["ambient"].admin_unit))
    response = api.post(
        "/api/v1/monitoring/files",
        {
            "a": SimpleUploadedFile(files[0].name, files[0].content),
            "b": SimpleUploadedFile(files[1].name, files[1].content),
        },
        format="multipart",
    )
    assert response.status_code == 201
    body = response.json()
    assert body["totals"]["stored"] == 16 and [f["outcome"] for f in body["files"]] == ["ok", "ok"]
    raw = api.post(
        f"/api/v1/monitoring/files?name={files[2].name}", files[2].content, content_type="text/plain"
    )
    assert raw.status_code == 201 and raw.json()["files"][0]["stored"] == 8
    again = api.post(
        f"/api/v1/monitoring/files?name={files[2].name}", files[2].content, content_type="text/plain"
    )
    assert again.status_code == 200 and again.json()["files"][0]["outcome"] == "unchanged"
    bad = api.post(
        "/api/v1/monitoring/files?name=TN_STNMT_KK01_20250310000500.txt",
        b"PM10\tx\tug/m3\t20250310000500\t00\n",
        content_type="text/plain",
    )
    assert "dòng 1" in bad.json()["files"][0]["problems"][0]


def test_api_public_lists(client, recent) -> None:  # type: ignore[no-untyped-def]
    stations = client.get("/api/v1/monitoring/stations").json()
    kk01 = next(s for s in stations if s["code"] == "KK01")
    assert kk01["aqi"] is not None and kk01["category"]
    detail = client.get("/api/v1/monitoring/stations/KK01/aqi").json()
    assert len(detail["hourly"]) == 48 and len(detail["daily"]) == 30


def test_aqi_command() -> None:
    out = io.StringIO()
    stdin = io.StringIO(json.dumps([{"daily": {"PM2_5_24h": 55.7}}, {"hourly": {"PM2_5": [20, 30]}}]))
    import sys

    old = sys.stdin
    sys.stdin = stdin
    try:
        call_command("aqi", "--json", stdout=out)
    finally:
        sys.stdin = old
    result = json.loads(out.getvalue())
    assert [r["aqi"] for r in result] == [110, 48] and result[0]["category"] == "Kém"


def test_monitoring_commands(stations, tmp_path) -> None:  # type: ignore[no-untyped-def]
    out = io.StringIO()
    call_command("monitoring", "generate", str(tmp_path / "inbox"), "--days", "1", "--start", "2025-03-10",
                 "--province", "TN", "--stations", "1", "--stacks", "0", stdout=out)  # fmt: skip
    assert "Đã sinh" in out.getvalue() and len(list((tmp_path / "inbox").iterdir())) > 280
    out = io.StringIO()
    call_command(
        "monitoring",
        "ingest",
        str(tmp_path / "inbox"),
        "--no-process",
        verbosity=0,
        stdout=out,
        stderr=io.StringIO(),
    )
    assert "giá trị mới" in out.getvalue()
    assert not list((tmp_path / "inbox").iterdir())  # moved to the archive
    assert Measurement.objects.exists() and IngestedFile.objects.exists()
    out = io.StringIO()
    call_command("monitoring", "process", stdout=out)
    assert "tính lại" in out.getvalue()
