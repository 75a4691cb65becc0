"""``xanh token create USERNAME`` prints a new API key once; ``xanh token revoke PREFIX``; ``xanh token list USERNAME``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from xanh.accounts.models import ApiToken, User
from xanh.accounts.tokens import create_token, revoke_token
from xanh.core.errors import ValidationFailed
from xanh.core.management.base import as_command_error, parse_day


class Command(BaseCommand):
    help = "Quản lý khóa API cá nhân: tạo (in khóa một lần duy nhất), thu hồi, liệt kê."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Tạo khóa API cho người dùng; khóa chỉ được in ra một lần.")
        create.add_argument("username")
        create.add_argument("--name", default="Khóa tạo từ dòng lệnh", help="tên gợi nhớ của khóa")
        create.add_argument("--expires", help="ngày hết hạn, dạng YYYY-MM-DD (mặc định: không hết hạn)")
        revoke = sub.add_parser(
            "revoke", help="Thu hồi khóa theo tiền tố (xanh_XXXXXXXX) hoặc mọi khóa của một người."
        )
        revoke.add_argument("prefix", nargs="?", help="tiền tố của khóa, ví dụ xanh_Ab3dE7gH")
        revoke.add_argument("--user", help="thu hồi mọi khóa còn hiệu lực của người dùng này")
        listing = sub.add_parser("list", help="Liệt kê khóa của người dùng (không bao giờ in khóa).")
        listing.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "create":
            self._create(options)
        elif action == "revoke":
            self._revoke(options)
        else:
            self._list(options)

    @staticmethod
    def _user(username: str) -> User:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"Không có người dùng «{username}».")
        return user

    def _create(self, options: dict[str, Any]) -> None:
        user = self._user(options["username"])
        expires_at = None
        if options.get("expires"):
            day = parse_day(options["expires"])
            expires_at = timezone.make_aware(dt.datetime.combine(day, dt.time(23, 59, 59)))
        try:
            token, key = create_token(actor=None, owner=user, name=options["name"], expires_at=expires_at)
        except ValidationFailed as exc:
            raise as_command_error(exc) from exc
        self.stderr.write(
            f"Đã tạo khóa {token.prefix}… cho {user.username}. Lưu khóa dưới đây ngay: nó không được hiển thị lại."
        )
        self.stdout.write(key)

    def _revoke(self, options: dict[str, Any]) -> None:
        if options.get("user"):
            tokens = list(ApiToken.objects.active().filter(user=self._user(options["user"])))
        elif options.get("prefix"):
            prefix = options["prefix"].rstrip("…. ")
            tokens = list(ApiToken.objects.filter(prefix=prefix))
            if not tokens:
                raise CommandError(f"Không có khóa nào có tiền tố «{prefix}».")
        else:
            raise CommandError("Cần nêu tiền tố của khóa hoặc --user TÊN_ĐĂNG_NHẬP.")
        for token in tokens:
            revoke_token(actor=None, token=token)
            self.stdout.write(f"Đã thu hồi {token.prefix}… ({token.name}) của {token.user.username}.")
        if not tokens:
            self.stdout.write("Không có khóa nào đang hiệu lực.")

    def _list(self, options: dict[str, Any]) -> None:
        user = self._user(options["username"])
        for token in ApiToken.objects.filter(user=user):
            state = "hiệu lực" if token.is_active else ("đã thu hồi" if token.revoked_at else "hết hạn")
            used = (
                timezone.localtime(token.last_used_at).strftime("%d/%m/%Y %H:%M")
                if token.last_used_at
                else "chưa dùng"
            )
            self.stdout.write(f"{token.prefix}…\t{token.name}\t{state}\tdùng lần cuối: {used}")
