"""`xanh aqi`: VN_AQI (QĐ 1459/QĐ-TCMT) from JSON on standard input.

    echo '{"daily": {"PM2_5_24h": 55.7}}' | xanh aqi --json

With --json the output is the module's public contract (xanh.monitoring.aqi.contract); without it, a short
Vietnamese summary per object.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from xanh.core.numbers import format_number_vi
from xanh.monitoring.aqi import AqiInputError, category_for, run


class Command(BaseCommand):
    help = "Tính chỉ số VN_AQI (QĐ 1459/QĐ-TCMT) từ JSON ở đầu vào chuẩn (stdin)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="In kết quả dạng JSON (hợp đồng công khai).")
        parser.add_argument(
            "--input", "-i", default="-", help="Đọc từ tệp này thay vì đầu vào chuẩn ('-' là stdin)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        source = options["input"]
        try:
            if source == "-":
                text = sys.stdin.read()
            else:
                with open(source, encoding="utf-8-sig") as handle:
                    text = handle.read()
        except OSError as exc:
            raise CommandError(f"Không đọc được {source}: {exc.strerror}") from exc
        if not text.strip():
            raise CommandError("Đầu vào rỗng: cần một đối tượng JSON hoặc một danh sách đối tượng JSON.")
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise CommandError(f"JSON không hợp lệ ở dòng {exc.lineno}, cột {exc.colno}: {exc.msg}") from exc
        try:
            result = run(data)
        except AqiInputError as exc:
            raise CommandError(str(exc)) from exc
        if options["json"]:
            self.stdout.write(json.dumps(result, ensure_ascii=False))
            return
        results = result if isinstance(result, list) else [result]
        for position, item in enumerate(results):
            self.stdout.write(self._describe(item, position if isinstance(result, list) else None))

    @staticmethod
    def _describe(item: dict[str, Any], position: int | None) -> str:
        prefix = f"[{position}] " if position is not None else ""
        subs = ", ".join(
            f"{name}={format_number_vi(value)}"
            for name, value in item["sub_indices"].items()
            if value is not None
        )
        if item["aqi"] is None:
            return f"{prefix}Không tính được VN_AQI (cần PM2,5 hoặc PM10 hợp lệ). Chỉ số thành phần: {subs or 'không có'}"
        category = category_for(item["aqi"])
        advice = category.advice_general if category else ""
        return (
            f"{prefix}VN_AQI = {item['aqi']} ({item['category']}), thông số chính: {item['dominant']}. "
            f"Chỉ số thành phần: {subs}. {advice}"
        )
