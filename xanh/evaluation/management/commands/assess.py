"""`xanh assess`: assess targets given as JSON on standard input (the evaluation engine's public contract).

    echo '[{"target": {"value": 40, "comparator": ">=", "year": 2030},
            "observations": [{"year": 2020, "value": 30}, {"year": 2024, "value": 35}]}]' | xanh assess --json

With --json the output is the JSON list of assessments of ``xanh.evaluation.methods.run_cases``; without it, a
short Vietnamese explanation per case. Bad input exits with code 2 and a Vietnamese message naming the case and
the field.
"""

from __future__ import annotations

import json
import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from xanh.core.errors import ValidationFailed
from xanh.core.numbers import format_number_vi
from xanh.evaluation.methods import run_cases

EXIT_BAD_INPUT = 2

_JSON_MESSAGES = {
    "Expecting value": "thiếu giá trị hoặc giá trị không hợp lệ",
    "Expecting property name enclosed in double quotes": "tên trường phải đặt trong dấu nháy kép",
    "Expecting ',' delimiter": "thiếu dấu phẩy",
    "Expecting ':' delimiter": "thiếu dấu hai chấm",
    "Unterminated string starting at": "chuỗi chưa có dấu nháy đóng",
    "Extra data": "có dữ liệu thừa sau phần JSON",
    "Invalid control character at": "ký tự điều khiển không hợp lệ trong chuỗi",
    "Invalid \\escape": "ký tự thoát (\\) không hợp lệ",
    "Illegal trailing comma before end of object": "dấu phẩy thừa trước dấu }",
    "Illegal trailing comma before end of array": "dấu phẩy thừa trước dấu ]",
}


def json_error_vi(exc: json.JSONDecodeError) -> str:
    message = _JSON_MESSAGES.get(exc.msg, exc.msg)
    return f"JSON không hợp lệ ở dòng {exc.lineno}, cột {exc.colno}: {message}."


class Command(BaseCommand):
    help = "Đánh giá tiến độ các mục tiêu từ danh sách JSON ở đầu vào chuẩn (stdin)."
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--json", action="store_true", help="In kết quả dạng JSON (hợp đồng công khai).")
        parser.add_argument("--input", "-i", default="-", help="Đọc từ tệp này thay vì stdin ('-' là stdin).")
        parser.add_argument(
            "--as-of", type=int, default=None, help='Năm đánh giá cho các trường hợp không ghi "as_of".'
        )

    def execute(self, *args: Any, **options: Any) -> str | None:
        # From the command line Django would print "CommandError: ..."; print the Vietnamese message alone.
        try:
            return super().execute(*args, **options)
        except CommandError as exc:
            if options.get("traceback") or not getattr(self, "_called_from_command_line", False):
                raise
            self.stderr.write(str(exc))
            sys.exit(exc.returncode)

    def handle(self, *args: Any, **options: Any) -> None:
        source = options["input"]
        try:
            if source == "-":
                text = sys.stdin.read()
            else:
                with open(source, encoding="utf-8-sig") as handle:
                    text = handle.read()
        except OSError as exc:
            raise CommandError(
                f"Không đọc được tệp {source}: {exc.strerror}.", returncode=EXIT_BAD_INPUT
            ) from exc
        if not text.strip():
            raise CommandError(
                'Đầu vào rỗng: cần một danh sách JSON các trường hợp [{"target": ..., "observations": ...}].',
                returncode=EXIT_BAD_INPUT,
            )
        try:
            cases = json.loads(text)
        except json.JSONDecodeError as exc:
            raise CommandError(json_error_vi(exc), returncode=EXIT_BAD_INPUT) from exc
        try:
            results = run_cases(cases, default_as_of=options["as_of"])
        except ValidationFailed as exc:
            raise CommandError(str(exc), returncode=EXIT_BAD_INPUT) from exc
        if options["json"]:
            self.stdout.write(json.dumps(results, ensure_ascii=False, indent=1))
            return
        for number, result in enumerate(results, start=1):
            score = "—" if result["score"] is None else format_number_vi(result["score"], 2)
            self.stdout.write(
                f"{number}. {result['label'].capitalize()} (điểm {score}): {result['explanation']}"
            )
            for note in result["notes"]:
                self.stdout.write(f"   - {note}")
