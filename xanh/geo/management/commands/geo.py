from __future__ import annotations

import datetime as dt
import json
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from xanh.core.errors import ValidationFailed
from xanh.core.management.base import as_command_error, parse_day
from xanh.geo.services import load_units, successor_on, unit_as_dict, units_on


class Command(BaseCommand):
    help = "Đơn vị hành chính: tra cứu theo ngày, đơn vị kế thừa, nạp dữ liệu tham chiếu."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        units = sub.add_parser("units", help="Các đơn vị cấp tỉnh có hiệu lực vào một ngày.")
        units.add_argument("--on", default=dt.date.today().isoformat(), help="Ngày (YYYY-MM-DD).")
        units.add_argument("--json", action="store_true", help="In JSON.")
        successor = sub.add_parser("successor", help="Đơn vị kế thừa lãnh thổ của một đơn vị vào một ngày.")
        successor.add_argument("name", help="Tên đơn vị (không phân biệt hoa thường, dấu).")
        successor.add_argument("--on", default=dt.date.today().isoformat())
        successor.add_argument("--json", action="store_true")
        sub.add_parser("load", help="Nạp 63 đơn vị cũ và 34 đơn vị mới (chạy lại không thay đổi gì).")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, f"do_{options['action']}")(options)
        except ValidationFailed as exc:
            raise as_command_error(exc) from exc

    def do_units(self, options: dict[str, Any]) -> None:
        units = [unit_as_dict(u) for u in units_on(parse_day(options["on"]))]
        if options["json"]:
            self.stdout.write(json.dumps(units, ensure_ascii=False, indent=1))
            return
        for unit in units:
            self.stdout.write(f"{unit['code']}  {unit['name']} ({unit['type_label']})")
        self.stdout.write(f"Tổng số: {len(units)} đơn vị")

    def do_successor(self, options: dict[str, Any]) -> None:
        unit = successor_on(options["name"], parse_day(options["on"]))
        if options["json"]:
            self.stdout.write(json.dumps(unit_as_dict(unit), ensure_ascii=False, indent=1))
        else:
            self.stdout.write(f"{unit.code}  {unit.display_name}")

    def do_load(self, options: dict[str, Any]) -> None:
        counts = load_units()
        self.stdout.write(
            f"Đơn vị hành chính: tạo mới {counts['created']}, cập nhật {counts['updated']}, "
            f"không đổi {counts['unchanged']}."
        )
