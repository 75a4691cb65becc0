from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from xanh.core.errors import ValidationFailed
from xanh.core.management.base import as_command_error
from xanh.indicators.services import import_indicator_catalogue, load_known_indicators, read_table


class Command(BaseCommand):
    help = "Danh mục chỉ tiêu: nạp danh mục Thông tư 10/2023 hoặc nhập từ tệp CSV/XLSX."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("load-known", help="Nạp các chỉ tiêu đã biết của Thông tư 10/2023/TT-BKHĐT.")
        imp = sub.add_parser(
            "import", help="Nhập danh mục từ CSV (UTF-8) hoặc XLSX; tất cả hoặc không gì cả."
        )
        imp.add_argument("path")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["action"] == "load-known":
                counts = load_known_indicators()
            else:
                path = Path(options["path"])
                if not path.is_file():
                    raise CommandError(f"Không tìm thấy tệp «{path}».")
                counts = import_indicator_catalogue(
                    read_table(path.read_bytes(), path.name), source=path.name
                )
        except ValidationFailed as exc:
            raise as_command_error(exc) from exc
        self.stdout.write(
            f"Chỉ tiêu: tạo mới {counts['created']}, cập nhật {counts['updated']}, không đổi {counts['unchanged']}."
        )
