"""Rate limits (DRF throttling over Django's cache): per token for programs, per signed-in user for the browser,
per IP address for anonymous visitors. Rates come from settings (env ``XANH_API_RATE_*``)."""

from __future__ import annotations

from typing import Any

from rest_framework.request import Request
from rest_framework.throttling import AnonRateThrottle, ScopedRateThrottle, SimpleRateThrottle

from xanh.accounts.models import ApiToken


class TokenRateThrottle(SimpleRateThrottle):
    """One bucket per token (two tokens of one person are two integrations), one per user for session requests."""

    scope = "token"

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        if isinstance(request.auth, ApiToken):
            ident = f"t{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"u{request.user.pk}"
        else:
            return None  # anonymous: AnonIpRateThrottle
        return self.cache_format % {"scope": self.scope, "ident": ident}


class AnonIpRateThrottle(AnonRateThrottle):
    scope = "anon"


class ImportRateThrottle(ScopedRateThrottle):
    """Bulk imports are heavy: a separate, lower budget (views set ``throttle_scope = "import"``)."""
