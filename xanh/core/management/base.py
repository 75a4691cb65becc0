"""Shared helpers for management commands: Vietnamese errors without stack traces."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import CommandError

from xanh.core.errors import ValidationFailed


def parse_day(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError as exc:
        raise CommandError(f"Ngày «{value}» không hợp lệ; dùng dạng YYYY-MM-DD.") from exc


def as_command_error(exc: ValidationFailed) -> CommandError:
    return CommandError("\n".join(str(p) for p in exc.problems))
