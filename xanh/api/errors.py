"""One error shape for the whole API: ``{"code": machine code, "message": human message, "errors": [details]}``.

Messages are in Vietnamese, or in English with ``Accept-Language: en`` (XanhLocaleMiddleware activates the language;
the texts go through Django's gettext, translations in xanh/locale/en). Error bodies are always JSON, even when the
request asked for CSV, so that clients can read them.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import set_rollback

from xanh.core.errors import ValidationFailed


def _messages() -> dict[str, str]:
    # Built per call so that gettext uses the language active for this request.
    return {
        "not_authenticated": _("Cần xác thực: gửi khóa API trong tiêu đề «Authorization: Bearer <khóa>»."),
        "authentication_failed": _("Khóa API không hợp lệ, đã bị thu hồi hoặc đã hết hạn."),
        "permission_denied": _("Bạn không có quyền thực hiện thao tác này."),
        "not_found": _("Không tìm thấy tài nguyên được yêu cầu."),
        "method_not_allowed": _("Phương thức này không được hỗ trợ ở địa chỉ này."),
        "not_acceptable": _("Không có định dạng phù hợp với yêu cầu; dùng application/json hoặc text/csv."),
        "unsupported_media_type": _(
            "Kiểu nội dung gửi lên không được hỗ trợ; dùng application/json (hoặc text/csv khi nhập hàng loạt)."
        ),
        "throttled": _("Quá nhiều yêu cầu trong thời gian ngắn; hãy thử lại sau."),
        "invalid": _("Dữ liệu gửi lên hoặc tham số không hợp lệ."),
        "parse_error": _("Không đọc được nội dung yêu cầu."),
        "validation_failed": _("Dữ liệu không hợp lệ; không có gì được ghi."),
        "unknown_field": _("Tham số «fields» có trường không tồn tại."),
    }


def error_body(
    code: str, message: str | None = None, errors: list[dict[str, Any]] | None = None
) -> dict[str, Any]:
    return {"code": code, "message": message or _messages().get(code, code), "errors": errors or []}


def _flatten(detail: Any, field: str | None = None) -> list[dict[str, Any]]:
    """DRF error details (nested dicts/lists) as a flat list of ``{"field": "a.b", "message": ...}``."""
    out: list[dict[str, Any]] = []
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = str(key) if key != "non_field_errors" else None
            out.extend(_flatten(value, f"{field}.{name}" if field and name else (name or field)))
    elif isinstance(detail, list):
        for index, value in enumerate(detail):
            if isinstance(value, dict | list) and not all(isinstance(v, str) for v in value):
                out.extend(_flatten(value, f"{field}[{index}]" if field else f"[{index}]"))
            else:
                out.extend(_flatten(value, field))
    else:
        out.append({"field": field, "message": str(detail)})
    return out


class UnknownField(exceptions.ValidationError):
    default_code = "unknown_field"


def _answer_in_json(context: dict[str, Any]) -> None:
    """Error bodies are JSON whatever representation was asked for (also for views outside xanh.api)."""
    request = context.get("request")
    if request is not None and hasattr(request, "accepted_renderer"):
        request.accepted_renderer = JSONRenderer()
        request.accepted_media_type = "application/json"


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    headers: dict[str, str] = {}
    _answer_in_json(context)
    if isinstance(exc, ValidationFailed):
        conflict = hasattr(exc, "current_version")  # reporting.services.EditConflict: someone saved meanwhile
        errors = [
            {
                "field": p.column,
                "row": p.row,
                "message": p.message,
                **({"source": p.source} if p.source else {}),
            }
            for p in exc.problems
        ]
        set_rollback()
        if conflict:
            return Response(
                error_body(
                    "edit_conflict", _("Báo cáo đã được người khác lưu sau khi bạn đọc; hãy tải lại."), errors
                ),
                status=status.HTTP_409_CONFLICT,
            )
        return Response(error_body("validation_failed", None, errors), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    if not isinstance(exc, exceptions.APIException):
        return None  # a real server error: let Django log it and answer 500
    if isinstance(exc, exceptions.NotAuthenticated | exceptions.AuthenticationFailed):
        request = context.get("request")
        view = context.get("view")
        auth_header = (
            view.get_authenticate_header(request) if view is not None and request is not None else None
        )
        if auth_header:
            headers["WWW-Authenticate"] = auth_header
    code = {
        exceptions.NotAuthenticated: "not_authenticated",
        exceptions.AuthenticationFailed: "authentication_failed",
        exceptions.PermissionDenied: "permission_denied",
        exceptions.NotFound: "not_found",
        exceptions.MethodNotAllowed: "method_not_allowed",
        exceptions.NotAcceptable: "not_acceptable",
        exceptions.UnsupportedMediaType: "unsupported_media_type",
        exceptions.Throttled: "throttled",
        exceptions.ParseError: "parse_error",
        UnknownField: "unknown_field",
    }.get(type(exc), "invalid")
    message: str | None = None
    errors: list[dict[str, Any]] = []
    if isinstance(exc, exceptions.ValidationError):
        errors = _flatten(exc.detail)
    elif isinstance(exc, exceptions.Throttled):
        wait = int(exc.wait or 1)
        headers["Retry-After"] = str(wait)
        message = _("Quá nhiều yêu cầu trong thời gian ngắn; hãy thử lại sau %(s)d giây.") % {"s": wait}
    elif isinstance(exc, exceptions.PermissionDenied) and str(exc.detail) != str(
        exceptions.PermissionDenied.default_detail
    ):
        message = str(
            exc.detail
        )  # a service's own reason ("…cho cơ quan này") is more useful than the generic one
    elif isinstance(exc, exceptions.ParseError):
        errors = [{"field": None, "message": str(exc.detail)}]
    set_rollback()
    return Response(error_body(code, message, errors), status=exc.status_code, headers=headers)
