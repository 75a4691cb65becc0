from __future__ import annotations

from typing import Any

from django.apps import apps
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.test.utils import override_settings

from xanh.core import demo_plan
from xanh.core.demo import load_demo
from xanh.core.errors import ValidationFailed
from xanh.core.management.base import as_command_error
from xanh.geo.services import load_units
from xanh.ghg.reference import seed_reference as seed_ghg_reference
from xanh.indicators.services import load_known_indicators


class Command(BaseCommand):
    help = "Chuẩn bị cơ sở dữ liệu: di chuyển lược đồ, nạp dữ liệu tham chiếu và (tùy chọn) tỉnh minh họa. Chạy lại an toàn."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--demo", action="store_true", help="Nạp tỉnh minh họa và tài khoản minh họa.")
        parser.add_argument("--no-migrate", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        if not options["no_migrate"]:
            call_command("migrate", interactive=False, verbosity=0)
        try:
            units = load_units()
            indicators = load_known_indicators()
            seed_ghg_reference(apps)
            self.stdout.write(
                f"Dữ liệu tham chiếu: đơn vị hành chính (mới {units['created']}, không đổi {units['unchanged']}); "
                f"chỉ tiêu (mới {indicators['created']}, không đổi {indicators['unchanged']})."
            )
            if options["demo"]:
                # Demonstration data must not e-mail anyone: its notifications go to an in-memory outbox.
                with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
                    result = load_demo(stdout=self.stdout)
                self.stdout.write(f"Tỉnh minh họa: {result['unit'].name} — {result['plan'].title}")
                self.stdout.write(f"Tài khoản minh họa (mật khẩu chung: {demo_plan.DEMO_PASSWORD}):")
                for username, role, agency in result["logins"]:
                    self.stdout.write(f"  {username:<10} {role}{' — ' + agency if agency else ''}")
        except ValidationFailed as exc:
            raise as_command_error(exc) from exc
