"""A mail backend that always fails, to prove that an SMTP outage does not break reporting actions."""

from __future__ import annotations

from django.core.mail.backends.base import BaseEmailBackend


class Backend(BaseEmailBackend):
    def send_messages(self, email_messages):  # type: ignore[no-untyped-def]
        raise ConnectionRefusedError("SMTP server unavailable")
