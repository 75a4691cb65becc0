"""REST API of monitoring, under /api/v1/monitoring/ (see api_urls.py).

* POST files — upload one datalogger file or a batch (multipart, any number of file fields), or one file as the raw
  body (Content-Type text/plain or text/csv, name in the `name` query parameter). Needs an API token or a session of
  an administrator or a coordinator; files of stations outside the user's province are rejected and reported.
  Returns the per-file log: counts and every problem with its line.
* GET stations — public list of stations with their current VN_AQI.
* GET stations/<code>/aqi — public hourly (last 48 h) and daily (last 30 days) indices of a station.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import parsers, serializers, status
from rest_framework.exceptions import ParseError, PermissionDenied
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from . import queries, services
from .ingest import FileInput
from .models import IngestSource, Station

MAX_FILE_BYTES = 5 * 1024 * 1024


# Response bodies as declared in the OpenAPI schema (tests/api/test_schema.py checks every response against them).


class FileTotalsSerializer(serializers.Serializer):  # type: ignore[type-arg]
    files = serializers.IntegerField()
    lines = serializers.IntegerField()
    parsed = serializers.IntegerField()
    stored = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    conflicts = serializers.IntegerField()
    rejected = serializers.IntegerField()


class ProcessedSerializer(serializers.Serializer):  # type: ignore[type-arg]
    hours = serializers.IntegerField()
    aqi_hours = serializers.IntegerField()
    events = serializers.IntegerField()


class FileLogSerializer(serializers.Serializer):  # type: ignore[type-arg]
    name = serializers.CharField()
    station = serializers.CharField(allow_null=True)
    outcome = serializers.CharField()
    lines = serializers.IntegerField()
    stored = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    conflicts = serializers.IntegerField()
    rejected = serializers.IntegerField()
    problems = serializers.ListField(child=serializers.CharField())


class UploadResultSerializer(serializers.Serializer):  # type: ignore[type-arg]
    batch = serializers.IntegerField()
    totals = FileTotalsSerializer()
    processed = ProcessedSerializer(allow_null=True)
    files = FileLogSerializer(many=True)


class StationSerializer(serializers.Serializer):  # type: ignore[type-arg]
    code = serializers.CharField()
    name = serializers.CharField()
    kind = serializers.CharField()
    province = serializers.CharField(help_text="Mã tỉnh, thành phố.")
    latitude = serializers.FloatField()
    longitude = serializers.FloatField()
    aqi = serializers.IntegerField(allow_null=True, help_text="VN_AQI giờ gần nhất; null khi chưa có.")
    category = serializers.CharField(allow_null=True)
    dominant = serializers.CharField(allow_null=True, help_text="Thông số quyết định chỉ số.")
    hour = serializers.CharField(
        allow_null=True,
        help_text="Giờ của chỉ số, giờ Việt Nam (UTC+7) không kèm múi giờ: YYYY-MM-DDTHH:MM:SS; null khi chưa có.",
    )


class AqiHourSerializer(serializers.Serializer):  # type: ignore[type-arg]
    hour = serializers.CharField()
    aqi = serializers.IntegerField(allow_null=True)
    dominant = serializers.CharField(allow_null=True)


class AqiDaySerializer(serializers.Serializer):  # type: ignore[type-arg]
    day = serializers.CharField()
    aqi = serializers.IntegerField(allow_null=True)
    dominant = serializers.CharField(allow_null=True)


class StationAqiSerializer(serializers.Serializer):  # type: ignore[type-arg]
    station = serializers.CharField()
    hourly = AqiHourSerializer(many=True)
    daily = AqiDaySerializer(many=True)


class PlainTextParser(parsers.BaseParser):
    media_type = "text/*"

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> bytes:
        return bytes(stream.read())


def _result_json(batch: Any, processed: Any) -> dict[str, Any]:
    return {
        "batch": batch.batch_id,
        "totals": batch.totals,
        "processed": None
        if processed is None
        else {"hours": processed.hours, "aqi_hours": processed.aqi_hours, "events": processed.events},
        "files": [
            {
                "name": f.name,
                "station": f.station,
                "outcome": f.outcome,
                "lines": f.lines,
                "stored": f.stored,
                "unchanged": f.unchanged,
                "conflicts": f.conflicts,
                "rejected": f.rejected,
                "problems": f.problems,
            }
            for f in batch.files
        ],
    }


class FileUploadView(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [parsers.MultiPartParser, parsers.FormParser, PlainTextParser]

    @extend_schema(
        summary="Gửi tệp dữ liệu quan trắc tự động (một tệp hoặc nhiều tệp)",
        request={
            "multipart/form-data": {
                "type": "object",
                "additionalProperties": {"type": "string", "format": "binary"},
            }
        },
        responses={201: UploadResultSerializer, 200: UploadResultSerializer},
    )
    def post(self, request: Request) -> Response:
        if not services.can_upload(request.user):
            raise PermissionDenied("Chỉ quản trị hoặc cán bộ điều phối được gửi dữ liệu quan trắc.")
        files: list[FileInput] = []
        if request.content_type.startswith("text/"):
            name = request.query_params.get("name", "").strip()
            if not name:
                raise ParseError("Gửi nội dung tệp trực tiếp thì cần tham số «name» (tên tệp).")
            body = request.data if isinstance(request.data, bytes) else b""
            files.append(FileInput(name, body))
        else:
            for key in request.FILES:
                for upload in request.FILES.getlist(key):
                    files.append(FileInput(upload.name, upload.read()))
        if not files:
            raise ParseError("Không có tệp nào được gửi (dùng multipart/form-data, mỗi tệp một trường).")
        if len(files) > services.MAX_UPLOAD_FILES:
            raise ParseError(f"Tối đa {services.MAX_UPLOAD_FILES} tệp mỗi lần gửi.")
        too_big = [f.name for f in files if len(f.content) > MAX_FILE_BYTES]
        if too_big:
            raise ParseError(
                f"Tệp quá lớn (tối đa {MAX_FILE_BYTES // 1024 // 1024} MB): {', '.join(too_big[:5])}"
            )
        batch, processed = services.ingest_files(user=request.user, files=files, source=IngestSource.API)
        stored = batch.totals["stored"]
        return Response(
            _result_json(batch, processed), status=status.HTTP_201_CREATED if stored else status.HTTP_200_OK
        )


class StationListView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        summary="Danh sách trạm quan trắc công khai và VN_AQI hiện tại",
        responses={200: StationSerializer(many=True)},
    )
    def get(self, request: Request) -> Response:
        stations = list(Station.objects.filter(is_public=True).select_related("admin_unit").order_by("code"))
        cards = queries.station_cards(stations)
        return Response(
            [
                {
                    "code": c.station.code,
                    "name": c.station.name,
                    "kind": c.station.kind,
                    "province": c.station.admin_unit.code,
                    "latitude": c.station.latitude,
                    "longitude": c.station.longitude,
                    "aqi": c.current.aqi,
                    "category": c.current.category.label if c.current.category else None,
                    "dominant": c.current.dominant or None,
                    "hour": c.updated.isoformat() if c.updated else None,
                }
                for c in cards
            ]
        )


class StationAqiView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        summary="VN_AQI giờ (48 giờ) và ngày (30 ngày) của một trạm", responses={200: StationAqiSerializer}
    )
    def get(self, request: Request, code: str) -> Response:
        station = Station.objects.filter(code=code, is_public=True).first()
        if station is None:
            from rest_framework.exceptions import NotFound

            raise NotFound("Không có trạm công khai với mã này.")
        return Response(
            {
                "station": station.code,
                "hourly": [
                    {"hour": c.label, "aqi": c.aqi, "dominant": c.dominant or None}
                    for c in queries.last_hours(station)
                ],
                "daily": [
                    {"day": c.label, "aqi": c.aqi, "dominant": c.dominant or None}
                    for c in queries.last_days(station)
                ],
            }
        )
