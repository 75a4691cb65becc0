"""`xanh plan parse PATH [--json]` and `xanh plan import PATH`: read a plan document from the command line."""

from __future__ import annotations

import json
import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from xanh.documents.parsing import ExtractionError, extract_file, parse_text


class Command(BaseCommand):
    help = (
        "Đọc văn bản kế hoạch (.txt, .docx, .pdf): phân tích (parse) hoặc nhập thành bản chờ duyệt (import)."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        parse = sub.add_parser("parse", help="phân tích và in kết quả")
        parse.add_argument("path", type=Path)
        parse.add_argument("--json", action="store_true", help="in đúng một đối tượng JSON ra stdout")
        imp = sub.add_parser("import", help="tạo bản nhập chờ duyệt trong Xanh")
        imp.add_argument("path", type=Path)
        imp.add_argument("--user", help="tên đăng nhập của người nhập (mặc định: quản trị viên đầu tiên)")
        imp.add_argument("--unit", help="tên đơn vị hành chính (mặc định: suy ra từ cơ quan ban hành)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "parse":
            self._parse(options["path"], as_json=options["json"])
        else:
            self._import(options["path"], username=options.get("user"), unit_name=options.get("unit"))

    def _read(self, path: Path) -> Any:
        try:
            return extract_file(path, max_bytes=settings.XANH_UPLOAD_MAX_BYTES)
        except ExtractionError as exc:
            raise CommandError(exc.message) from None

    def _parse(self, path: Path, *, as_json: bool) -> None:
        extracted = self._read(path)
        draft = parse_text(extracted.text)
        data = draft.to_json()
        if as_json:
            sys.stdout.write(json.dumps(data, ensure_ascii=False) + "\n")
            return
        doc = data["document"]
        self.stdout.write(
            f"Văn bản: {doc['kind'] or '?'} {doc['number'] or '(không có số)'} — {doc['title'] or ''}"
        )
        self.stdout.write(f"Bảng mã: {extracted.encoding or extracted.format}")
        self.stdout.write(
            f"Mục: {len(data['sections'])}; mục tiêu: {len(data['targets'])}; nhiệm vụ: {len(data['tasks'])}; "
            f"văn bản dẫn chiếu: {len(data['references'])}; từ viết tắt: {len(data['abbreviations'])}"
        )
        for warning in data["warnings"]:
            self.stdout.write(f"  ! {warning}")

    def _import(self, path: Path, *, username: str | None, unit_name: str | None) -> None:
        from tqdm import tqdm

        from xanh.accounts.models import Role, User
        from xanh.core.errors import ValidationFailed
        from xanh.documents.import_services import create_import, find_duplicates
        from xanh.geo.models import AdminUnit

        steps = tqdm(total=3, desc="Nhập kế hoạch", unit="bước", file=self.stderr._out, disable=None)
        if username:
            user = User.objects.filter(username=username).first()
            if user is None:
                raise CommandError(f"Không có người dùng «{username}».")
        else:
            user = (
                User.objects.filter(role=Role.ADMIN).first() or User.objects.filter(is_superuser=True).first()
            )
            if user is None:
                raise CommandError("Chưa có tài khoản quản trị; hãy chỉ định --user.")
        unit = None
        if unit_name:
            unit = AdminUnit.objects.filter(name__iexact=unit_name).order_by("-valid_from").first()
            if unit is None:
                raise CommandError(f"Không có đơn vị hành chính «{unit_name}».")
        steps.set_postfix_str("đọc tệp")
        if not path.exists():
            raise CommandError(f"Không tìm thấy tệp «{path}».")
        data = path.read_bytes()
        steps.update(1)
        steps.set_postfix_str("phân tích")
        try:
            plan_import = create_import(user=user, filename=path.name, data=data, admin_unit=unit)
        except ValidationFailed as exc:
            raise CommandError(str(exc)) from None
        steps.update(1)
        steps.set_postfix_str("kiểm tra trùng")
        duplicates = find_duplicates(plan_import)
        steps.update(1)
        steps.close()
        parsed = plan_import.parsed
        self.stdout.write(
            f"Đã tạo bản nhập #{plan_import.pk}: {len(parsed['targets'])} mục tiêu, {len(parsed['tasks'])} nhiệm vụ, "
            f"{len(parsed['warnings'])} cảnh báo."
        )
        if duplicates:
            old = duplicates[0]
            self.stdout.write(
                f"Lưu ý: văn bản này đã có trong Xanh (kế hoạch «{old.title}», phiên bản {old.version}); "
                "khi công bố hãy chọn «Tạo phiên bản mới»."
            )
        self.stdout.write(f"Mở trang duyệt: /van-ban/nhap/{plan_import.pk}/")
