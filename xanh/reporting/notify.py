"""In-app notifications and their e-mails. Notifications are written inside the caller's transaction; e-mails leave
only after it commits (a rolled-back action sends nothing), through Django's configured mail backend."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from xanh.reporting.models import Notification

logger = logging.getLogger(__name__)

SUBJECT_PREFIX = "[Xanh] "


def _absolute(url: str) -> str:
    base = str(getattr(settings, "XANH_BASE_URL", "")).rstrip("/")
    return f"{base}{url}" if base else url


def send(
    *,
    users: Sequence[Any],
    kind: str,
    title: str,
    body: str,
    url: str = "",
    submission: Any = None,
    round: Any = None,
    extra_emails: Iterable[str] = (),
) -> list[Notification]:
    """Create one notification per user and, after commit, e-mail it (plus one copy to each ``extra_emails``)."""
    notifications = [
        Notification(
            recipient=user,
            kind=kind,
            title=title[:255],
            body=body,
            url=url,
            submission=submission,
            round=round,
        )
        for user in users
    ]
    if notifications:
        notifications = bulk_create_with_history(
            notifications, Notification, default_change_reason="Tạo thông báo"
        )
    ids = [n.pk for n in notifications if n.pk is not None]
    extra = sorted(
        {e.strip() for e in extra_emails if e and e.strip()} - {getattr(u, "email", "") for u in users}
    )
    if ids or extra:
        transaction.on_commit(lambda: deliver(ids, title=title, body=body, url=url, extra_emails=extra))
    return notifications


def _message(title: str, body: str, url: str, to: list[str]) -> EmailMessage:
    link = f"\n\nXem trong Xanh: {_absolute(url)}" if url else ""
    footer = "\n\n—\nThư tự động từ Xanh, hệ thống theo dõi kế hoạch hành động tăng trưởng xanh. Vui lòng không trả lời."
    return EmailMessage(
        subject=SUBJECT_PREFIX + title,
        body=f"{body}{link}{footer}",
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=to,
    )


def deliver(ids: Sequence[int], *, title: str, body: str, url: str, extra_emails: Sequence[str] = ()) -> int:
    """Send the e-mails of notifications ``ids``; returns the number of messages sent. Failures are logged, not
    raised: the in-app notification is already there."""
    notifications = list(Notification.objects.filter(pk__in=list(ids)).select_related("recipient"))
    messages = [_message(title, body, url, [n.recipient.email]) for n in notifications if n.recipient.email]
    messages += [_message(title, body, url, [address]) for address in extra_emails]
    if not messages:
        return 0
    try:
        sent = get_connection().send_messages(messages) or 0
    except Exception:  # an SMTP outage must not break the action that caused the e-mail
        logger.exception("Không gửi được thư thông báo «%s»", title)
        return 0
    Notification.objects.filter(pk__in=[n.pk for n in notifications if n.recipient.email]).update(
        emailed_at=timezone.now()
    )
    return int(sent)
