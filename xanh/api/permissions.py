"""Coarse API access: anyone may read (what they see is filtered per role), writing needs a signed-in user.
Who may write what is decided by the services (xanh.accounts.permissions), exactly as for the web forms."""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request


class ReadAnyoneWriteAuthenticated(BasePermission):
    def has_permission(self, request: Request, view: Any) -> bool:
        if request.method in SAFE_METHODS:
            return True
        return bool(request.user and request.user.is_authenticated)
