"""`xanh reporting_remind --user dieuphoi`: the scheduled reminder (run it daily from cron or a job runner).

Reminds, in every open round the user coordinates, the agencies that have not submitted when the due date is at most
``--days`` days away or already passed; an agency reminded today is not reminded twice.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from xanh.accounts.models import User
from xanh.core.errors import ValidationFailed
from xanh.core.management.base import as_command_error
from xanh.reporting import services
from xanh.reporting.models import EDITABLE_STATUSES, ReportingRound, RoundStatus


class Command(BaseCommand):
    help = "Nhắc các cơ quan chưa nộp báo cáo khi sắp đến hoặc đã quá hạn nộp (chạy hằng ngày)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--user", required=True, help="Tên đăng nhập của cán bộ điều phối gửi nhắc nhở.")
        parser.add_argument(
            "--days", type=int, default=3, help="Nhắc khi còn không quá số ngày này đến hạn (mặc định 3)."
        )
        parser.add_argument("--dry-run", action="store_true", help="Chỉ liệt kê, không gửi.")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["user"], is_active=True).first()
        if user is None:
            raise CommandError(f"Không có tài khoản «{options['user']}».")
        today = timezone.localdate()
        horizon = today + dt.timedelta(days=max(0, options["days"]))
        rounds = ReportingRound.objects.managed_by(user).filter(status=RoundStatus.OPEN, due_on__lte=horizon)
        total = 0
        for round in rounds.select_related("plan__admin_unit").order_by("due_on"):
            pending = list(
                round.submissions.filter(status__in=EDITABLE_STATUSES)
                .exclude(reminders__sent_at__date=today)
                .select_related("agency")
            )
            if not pending:
                continue
            names = ", ".join(s.agency.name for s in pending)
            if options["dry_run"]:
                self.stdout.write(f"{round.period_label} (hạn {round.due_on:%d/%m/%Y}): sẽ nhắc {names}")
                continue
            try:
                sent = services.send_reminders(user=user, round=round, submissions=pending)
            except ValidationFailed as exc:
                raise as_command_error(exc) from exc
            total += sent
            self.stdout.write(
                f"{round.period_label} (hạn {round.due_on:%d/%m/%Y}): đã nhắc {sent} cơ quan: {names}"
            )
        if not options["dry_run"]:
            self.stdout.write(f"Tổng cộng đã nhắc {total} cơ quan.")
