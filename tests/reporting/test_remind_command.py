"""The scheduled reminder command: agencies close to or past the due date are reminded once a day."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.utils import timezone

from xanh.reporting import services
from xanh.reporting.models import Reminder

pytestmark = pytest.mark.django_db


def run(*args):
    out = io.StringIO()
    call_command("reporting_remind", *args, stdout=out)
    return out.getvalue()


def test_reminds_due_rounds_once_a_day(world, django_capture_on_commit_callbacks):
    today = timezone.localdate()
    due = services.open_round(
        user=world.coordinator,
        plan=world.plan,
        period="2025",
        opens_on=today - dt.timedelta(days=10),
        due_on=today + dt.timedelta(days=2),
    )
    services.open_round(
        user=world.coordinator,
        plan=world.plan,
        period="2026",
        opens_on=today,
        due_on=today + dt.timedelta(days=30),
    )
    assert (
        "sẽ nhắc" in run("--user", world.coordinator.username, "--dry-run") and not Reminder.objects.exists()
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        out = run("--user", world.coordinator.username)
    assert "đã nhắc 3 cơ quan" in out and "Tổng cộng đã nhắc 3 cơ quan." in out
    assert set(Reminder.objects.values_list("submission__round", flat=True)) == {due.pk}
    assert len(mail.outbox) == 6  # each agency's reporter and its official address
    assert "Tổng cộng đã nhắc 0 cơ quan." in run("--user", world.coordinator.username)


def test_needs_a_coordinator(world):
    with pytest.raises(CommandError, match="Không có tài khoản"):
        run("--user", "khong-ton-tai")
