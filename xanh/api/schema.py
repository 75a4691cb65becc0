"""OpenAPI additions: every error an endpoint can answer is declared, with the common error body; CSV responses are
described as text; the Bearer token scheme; the ``fields`` and ``format`` query parameters."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers


class ErrorDetailSerializer(serializers.Serializer):  # type: ignore[type-arg]
    field = serializers.CharField(allow_null=True, help_text=_("Trường hoặc cột có lỗi (nếu xác định được)."))
    row = serializers.IntegerField(
        required=False, allow_null=True, help_text=_("Số dòng (CSV) hoặc số thứ tự phần tử (JSON), từ 1.")
    )
    message = serializers.CharField()
    source = serializers.CharField(required=False)


class ErrorSerializer(serializers.Serializer):  # type: ignore[type-arg]
    code = serializers.CharField(
        help_text=_(
            "Mã lỗi cho máy: invalid, validation_failed, unknown_field, parse_error, not_authenticated, "
            "authentication_failed, permission_denied, not_found, method_not_allowed, not_acceptable, "
            "unsupported_media_type, throttled, import_conflicts, edit_conflict."
        )
    )
    message = serializers.CharField(
        help_text=_("Thông báo cho người đọc (tiếng Việt; tiếng Anh với Accept-Language: en).")
    )
    errors = ErrorDetailSerializer(many=True)


_DESCRIPTIONS = {
    "400": _("Tham số hoặc dữ liệu không hợp lệ."),
    "401": _("Khóa API sai, đã thu hồi hoặc hết hạn; hoặc cần đăng nhập để ghi."),
    "403": _("Không có quyền (ví dụ: ghi số liệu của cơ quan khác)."),
    "404": _("Không tìm thấy (hoặc trang không tồn tại)."),
    "405": _("Phương thức không được hỗ trợ."),
    "406": _("Không có định dạng phù hợp với tiêu đề Accept."),
    "415": _("Kiểu nội dung gửi lên không được hỗ trợ."),
    "429": _("Vượt giới hạn tần suất; xem tiêu đề Retry-After."),
}


class XanhAutoSchema(AutoSchema):
    #: views may list extra codes they can answer, e.g. ("409",)
    def _error_codes(self) -> list[str]:
        # 404 everywhere: unknown objects, a page past the end, an unknown ?format=
        codes = ["400", "401", "404", "405", "406", "429"]
        if self.method in ("POST", "PUT", "PATCH", "DELETE"):
            codes += ["403", "415"]
        if self.method != "GET":
            codes += list(getattr(self.view, "extra_error_codes", ()))
        return sorted(set(codes))

    def get_override_parameters(self) -> list[Any]:
        params = list(super().get_override_parameters())
        if self.method == "GET" and getattr(self.view, "supports_field_selection", False):
            params.append(
                OpenApiParameter(
                    "fields",
                    OpenApiTypes.STR,
                    description=str(
                        _("Chỉ trả về các trường này, cách nhau bằng dấu phẩy, ví dụ id,period,value.")
                    ),
                )
            )
        if self.method == "GET" and getattr(self.view, "supports_csv", False):
            params.append(
                OpenApiParameter(
                    "format",
                    OpenApiTypes.STR,
                    enum=["json", "csv"],
                    description=str(
                        _("Định dạng trả về; tương đương tiêu đề Accept (application/json, text/csv).")
                    ),
                )
            )
        return params

    def _get_response_for_code(
        self, serializer: Any, status_code: str, media_types: Any = None, direction: str = "response"
    ) -> Any:
        response = super()._get_response_for_code(serializer, status_code, media_types, direction)
        content = response.get("content", {})
        if "text/csv" in content:
            content["text/csv"] = {
                "schema": {
                    "type": "string",
                    "description": str(_("CSV UTF-8 có BOM; đối tượng lồng nhau thành cột «a.b».")),
                }
            }
        return response

    def _get_response_bodies(self, direction: str = "response") -> dict[str, Any]:
        responses: dict[str, Any] = super()._get_response_bodies(direction)  # type: ignore[arg-type]
        for code in self._error_codes():
            if code not in responses:
                body = self._get_response_for_code(ErrorSerializer, code, ["application/json"], direction)
                body["description"] = str(_DESCRIPTIONS.get(code, ""))
                if code == "429":
                    body["headers"] = {"Retry-After": {"schema": {"type": "integer"}, "description": "s"}}
                if code == "401":
                    body["headers"] = {"WWW-Authenticate": {"schema": {"type": "string"}}}
                responses[code] = body
        return responses


class BearerTokenScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    target_class = "xanh.api.authentication.BearerTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "xanh_XXXXXXXX_…",
            "description": str(
                _("Khóa API cá nhân, tạo ở trang Tài khoản (/tai-khoan/) hoặc bằng «xanh token create».")
            ),
        }


class XanhSessionScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    target_class = "xanh.api.authentication.SessionAuthentication"
    name = "cookieAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, Any]:
        return {"type": "apiKey", "in": "cookie", "name": "sessionid"}
