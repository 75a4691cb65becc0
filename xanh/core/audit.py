"""Helpers over django-simple-history: one shape for "who changed what, when, before → after"."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import models


@dataclass(frozen=True)
class FieldChange:
    field: str
    label: str
    before: Any
    after: Any


@dataclass(frozen=True)
class AuditEntry:
    when: Any
    who: str
    action: str
    reason: str
    changes: tuple[FieldChange, ...]


_ACTIONS = {"+": "Tạo mới", "~": "Sửa", "-": "Xóa"}


def history_of(obj: models.Model, *, limit: int = 200) -> list[AuditEntry]:
    """The audit trail of ``obj``, newest first, with field-level differences between consecutive records."""
    records = list(
        obj.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1]
    )  # type: ignore[attr-defined]
    entries: list[AuditEntry] = []
    for index, record in enumerate(records[:limit]):
        previous = records[index + 1] if index + 1 < len(records) else None
        changes: list[FieldChange] = []
        if previous is not None and record.history_type == "~":
            delta = record.diff_against(previous)
            for change in delta.changes:
                field = obj._meta.get_field(change.field)
                changes.append(FieldChange(change.field, str(field.verbose_name), change.old, change.new))
        user = record.history_user
        entries.append(
            AuditEntry(
                when=record.history_date,
                who=(user.get_full_name() or user.username) if user else "hệ thống",
                action=_ACTIONS.get(record.history_type, record.history_type),
                reason=record.history_change_reason or "",
                changes=tuple(changes),
            )
        )
    return entries


def stamp(obj: models.Model, *, user: Any, reason: str) -> None:
    """Mark the next save of ``obj`` with who did it and why, also outside a web request (CLI, jobs, imports)."""
    obj._change_reason = reason  # type: ignore[attr-defined]
    if user is not None and getattr(user, "pk", None) is not None:
        obj._history_user = user  # type: ignore[attr-defined]
