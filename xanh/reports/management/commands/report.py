"""`xanh report synthesize --plan ID --period 2025 --format docx|xlsx|pdf -o FILE`: the synthesis report on the CLI.

`xanh report prune [--dry-run]`: the retention policy for generated report files (run it nightly from cron)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from xanh.core.errors import ValidationFailed
from xanh.core.management.base import as_command_error, parse_day
from xanh.core.numbers import format_number_vi
from xanh.plans.models import Plan
from xanh.reports.content import ReportKind
from xanh.reports.services import FORMATS, check_format, prune_report_files, synthesize


class Command(BaseCommand):
    help = "Báo cáo tổng hợp kết quả thực hiện kế hoạch (DOCX, XLSX hoặc PDF)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", metavar="synthesize|prune", required=True)
        synth = sub.add_parser(
            "synthesize",
            help="Tạo báo cáo tổng hợp của một kế hoạch cho một kỳ.",
            description="Tạo báo cáo tổng hợp: DOCX theo thể thức văn bản hành chính, XLSX các phụ lục, PDF.",
        )
        synth.add_argument("--plan", required=True, type=int, help="Mã (ID) kế hoạch.")
        synth.add_argument("--period", required=True, help="Kỳ báo cáo, ví dụ 2025.")
        synth.add_argument(
            "--format",
            dest="fmt",
            choices=sorted(FORMATS),
            help="Định dạng; mặc định lấy theo phần mở rộng của tệp ra (-o).",
        )
        synth.add_argument("-o", "--output", required=True, help="Tệp ra; '-' để ghi ra đầu ra chuẩn.")
        synth.add_argument(
            "--kind",
            default=ReportKind.ANNUAL.value,
            choices=[k.value for k in ReportKind],
            help="annual: báo cáo định kỳ (mặc định); midterm: sơ kết giữa kỳ; final: tổng kết.",
        )
        synth.add_argument("--date", help="Ngày của báo cáo (YYYY-MM-DD); mặc định là hôm nay.")
        synth.add_argument("--no-progress", action="store_true", help="Không hiện thanh tiến độ.")
        prune = sub.add_parser(
            "prune",
            help="Dọn các tệp báo cáo đã tạo theo chính sách lưu trữ.",
            description=(
                "Giữ N tệp mới nhất cho mỗi kế hoạch, kỳ, loại và định dạng; xóa tệp cũ hơn số ngày quy định "
                "(yêu cầu vẫn được lưu trong lịch sử). Yêu cầu treo quá lâu được đánh dấu không tạo được."
            ),
        )
        prune.add_argument(
            "--keep-latest", type=int, help="Số tệp mới nhất luôn giữ (mặc định theo cấu hình)."
        )
        prune.add_argument(
            "--keep-days", type=int, help="Xóa tệp cũ hơn số ngày này (mặc định theo cấu hình)."
        )
        prune.add_argument("--dry-run", action="store_true", help="Chỉ báo sẽ dọn gì, không xóa.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "prune":
            self._prune(options)
            return
        if options["action"] != "synthesize":  # pragma: no cover - argparse enforces the choice
            raise CommandError("Lệnh con không hợp lệ; dùng: xanh report synthesize|prune …")
        output = options["output"]
        fmt = options["fmt"] or (Path(output).suffix.lstrip(".") if output != "-" else "")
        if not fmt:
            raise CommandError(
                "Chưa chọn định dạng: dùng --format docx|xlsx|pdf hoặc tệp ra có phần mở rộng."
            )
        try:
            fmt = check_format(fmt)
        except ValidationFailed as exc:
            raise as_command_error(exc) from exc
        plan = Plan.objects.filter(pk=options["plan"]).first()
        if plan is None:
            raise CommandError(f"Không có kế hoạch có mã {options['plan']} (tham số --plan).")
        issued_on = parse_day(options["date"]) if options["date"] else None
        show = not options["no_progress"] and output != "-"
        bar = None
        if show:
            from tqdm import tqdm

            bar = tqdm(
                total=100,
                unit="%",
                file=sys.stderr,
                bar_format="{percentage:3.0f}%|{bar:24}| {desc}",
                desc="Báo cáo tổng hợp",
            )

        def progress(percent: int, message: str) -> None:
            if bar is None:
                return
            percent = max(min(percent, 100), int(bar.n))
            bar.update(percent - int(bar.n))
            bar.set_description_str(message, refresh=True)

        try:
            content, report = synthesize(
                plan, options["period"], fmt, kind=options["kind"], issued_on=issued_on, progress=progress
            )
        except ValidationFailed as exc:
            raise as_command_error(exc) from exc
        finally:
            if bar is not None and bar.n < 100 and sys.exc_info()[0] is not None:
                bar.close()
        if output == "-":
            sys.stdout.buffer.write(content)
            sys.stdout.buffer.flush()
        else:
            path = Path(output)
            if path.parent and not path.parent.exists():
                raise CommandError(f"Thư mục «{path.parent}» không tồn tại (tham số -o).")
            path.write_bytes(content)
        if bar is not None:
            progress(100, "Xong")
            bar.close()
        reviews = report.review_items()
        if output != "-":
            self.stdout.write(
                f"Đã ghi {output} ({format_number_vi(len(content))} byte): {report.meta.target_count} mục tiêu, "
                f"{report.meta.task_count} nhiệm vụ; {len(reviews)} nội dung cần rà soát."
            )

    def _prune(self, options: dict[str, Any]) -> None:
        try:
            summary = prune_report_files(
                keep_latest=options["keep_latest"], keep_days=options["keep_days"], dry_run=options["dry_run"]
            )
        except ValidationFailed as exc:
            raise as_command_error(exc) from exc
        verb = "Sẽ dọn" if options["dry_run"] else "Đã dọn"
        self.stdout.write(
            f"{verb} {format_number_vi(summary.expired)} tệp báo cáo "
            f"({format_number_vi(round(summary.freed_bytes / 1_048_576, 1))} MB); "
            f"giữ {format_number_vi(summary.kept)} tệp; "
            f"{format_number_vi(summary.stale_failed)} yêu cầu treo được đánh dấu không tạo được."
        )
