"""`xanh ghg`: facility greenhouse-gas inventories from the command line.

xanh ghg calc [-i FILE] [--gwp AR5] [--json]     JSON list of activity records in, results out (pure core)
xanh ghg import FILE --user NAME [--dry-run]      activity data from .xlsx/.csv into the facilities' inventories
xanh ghg totals UNIT_CODE --user NAME [--approve] appraised inventories -> provincial indicator values
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser

from xanh.accounts.models import User
from xanh.core.errors import ValidationFailed
from xanh.core.management.base import as_command_error
from xanh.core.numbers import format_number_vi
from xanh.geo.models import AdminUnit
from xanh.ghg import importing, services
from xanh.ghg.calc import CalculationError, parse_gwp_set, run


class Command(BaseCommand):
    help = "Kiểm kê khí nhà kính cấp cơ sở: tính phát thải, nhập số liệu hoạt động, tổng hợp chỉ tiêu tỉnh."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        calc = sub.add_parser("calc", help="Tính phát thải cho danh sách số liệu hoạt động (JSON).")
        calc.add_argument("--input", "-i", default="-", help="Tệp JSON ('-' là đầu vào chuẩn).")
        calc.add_argument("--gwp", default="", help="Bộ GWP AR4 hoặc AR5 nếu JSON không ghi gwp_set.")
        calc.add_argument("--json", action="store_true", help="In kết quả dạng JSON.")
        calc.add_argument(
            "--offline",
            action="store_true",
            help="Chỉ dùng bảng hệ số kèm theo, không đọc hệ số lưới điện trong CSDL.",
        )
        imp = sub.add_parser(
            "import", help="Nhập số liệu hoạt động từ tệp .xlsx hoặc .csv (có cột «Mã cơ sở»)."
        )
        imp.add_argument("file", help="Đường dẫn tệp.")
        imp.add_argument("--user", required=True, help="Tên đăng nhập của người nhập (ghi vào nhật ký).")
        imp.add_argument("--dry-run", action="store_true", help="Chỉ kiểm tra, không ghi.")
        totals = sub.add_parser(
            "totals", help="Ghi tổng phát thải của các cơ sở đã thẩm định vào chỉ tiêu của tỉnh."
        )
        totals.add_argument("unit", help="Mã đơn vị hành chính cấp tỉnh.")
        totals.add_argument("--user", required=True)
        totals.add_argument("--approve", action="store_true", help="Phê duyệt luôn các giá trị.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, f"do_{options['action']}")(options)
        except ValidationFailed as exc:
            raise as_command_error(exc) from exc
        except PermissionDenied as exc:
            raise CommandError(str(exc) or "Không có quyền.") from exc

    @staticmethod
    def _user(name: str) -> User:
        user = User.objects.filter(username=name, is_active=True).first()
        if user is None:
            raise CommandError(f"Không có người dùng «{name}» đang hoạt động.")
        return user

    def do_calc(self, options: dict[str, Any]) -> None:
        source = options["input"]
        try:
            text = sys.stdin.read() if source == "-" else Path(source).read_text(encoding="utf-8-sig")
        except OSError as exc:
            raise CommandError(f"Không đọc được {source}: {exc.strerror}") from exc
        if not text.strip():
            raise CommandError("Đầu vào rỗng: cần một danh sách số liệu hoạt động dạng JSON.")
        try:
            payload = json.loads(text)
        except json.JSONDecodeError as exc:
            raise CommandError(f"JSON không hợp lệ ở dòng {exc.lineno}, cột {exc.colno}: {exc.msg}") from exc
        gwp = parse_gwp_set(options["gwp"]) if options["gwp"] else None
        if options["gwp"] and gwp is None:
            raise CommandError("--gwp phải là AR4 hoặc AR5.")
        tables = None if options["offline"] else services.factor_tables()
        try:
            out = run(payload, gwp_set=gwp, tables=tables)
        except CalculationError as exc:
            raise as_command_error(exc) from exc
        if options["json"]:
            self.stdout.write(json.dumps(out, ensure_ascii=False))
            return
        for item in out["results"]:
            if item["ok"]:
                r = item["result"]
                a = r["activity"]
                self.stdout.write(
                    f"[{item['row']}] {a['source_type']} {a.get('fuel', '')} {format_number_vi(a['quantity'], 3, strip_zeros=True)} "
                    f"{a['unit']} ({a['year']}): {format_number_vi(r['total_tCO2e'], 3)} tCO2e"
                    + (
                        f", CO2 sinh khối {format_number_vi(r['biogenic_tCO2'], 3)} t"
                        if r["biogenic_tCO2"]
                        else ""
                    )
                )
            else:
                for p in item["problems"]:
                    self.stdout.write(f"[{item['row']}] lỗi ở «{p['column']}»: {p['message']}")
        t = out["totals"]
        self.stdout.write(
            f"Tổng ({out['gwp_set']}): {format_number_vi(t['total_tCO2e'], 3)} tCO2e — trực tiếp "
            f"{format_number_vi(t['direct_tCO2e'], 3)}, gián tiếp {format_number_vi(t['indirect_tCO2e'], 3)}; "
            f"CO2 sinh khối {format_number_vi(t['biogenic_tCO2'], 3)} t"
        )
        if out["problems"]:
            raise CommandError(f"{len(out['problems'])} lỗi; các dòng lỗi chưa được tính.")

    def do_import(self, options: dict[str, Any]) -> None:
        path = Path(options["file"])
        try:
            content = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Không đọc được {path}: {exc.strerror}") from exc
        summary = importing.import_activities(
            user=self._user(options["user"]), content=content, filename=path.name, dry_run=options["dry_run"]
        )
        verb = "Kiểm tra (chưa ghi)" if summary.dry_run else "Đã nhập"
        self.stdout.write(
            f"{verb} {summary.rows} dòng: thêm {summary.created}, cập nhật {summary.updated}, "
            f"không đổi {summary.unchanged}; mở mới {summary.inventories_opened} báo cáo."
        )
        for warning in summary.warnings:
            self.stdout.write(warning)

    def do_totals(self, options: dict[str, Any]) -> None:
        unit = AdminUnit.objects.filter(code=options["unit"]).order_by("-valid_from").first()
        if unit is None:
            raise CommandError(f"Không có đơn vị mã «{options['unit']}».")
        result = services.publish_provincial_totals(
            user=self._user(options["user"]), admin_unit=unit, approve=options["approve"]
        )
        years = ", ".join(str(y) for y in result.years) or "không có năm nào"
        self.stdout.write(
            f"{unit.display_name}, năm {years}: thêm {result.created}, cập nhật {result.updated}, "
            f"không đổi {result.unchanged} giá trị chỉ tiêu."
        )
