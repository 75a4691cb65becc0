"""API authentication: personal tokens (``Authorization: Bearer <key>``) for programs, the session (with CSRF) for
the browser. A token acts with its owner's role and agency, so the services apply the same permission rules."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from xanh.accounts.tokens import authenticate_key


class BearerTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[Any, Any] | None:
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Tiêu đề Authorization phải có dạng «Bearer <khóa>»."))
        try:
            key = header[1].decode("ascii")
        except UnicodeDecodeError as exc:
            raise exceptions.AuthenticationFailed(_("Khóa API chứa ký tự không hợp lệ.")) from exc
        token = authenticate_key(key)
        if token is None:
            raise exceptions.AuthenticationFailed(_("Khóa API không hợp lệ, đã bị thu hồi hoặc đã hết hạn."))
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return f'{self.keyword} realm="xanh-api"'


class SessionAuthentication(authentication.SessionAuthentication):
    """The browser's login session; DRF enforces the CSRF token on unsafe methods."""
