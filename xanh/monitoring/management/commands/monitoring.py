"""`xanh monitoring …`: ingest station files, process the queue, generate demo files, write indicators.

xanh monitoring ingest DIR [--watch] [--interval 10] [--no-process]
xanh monitoring process
xanh monitoring generate DIR --days 1 [--start YYYY-MM-DD] [--stations 4] [--stacks 2]
xanh monitoring indicators --province CODE --year 2025 --user USERNAME [--approve]
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from xanh.core.errors import ValidationFailed
from xanh.core.management.base import as_command_error, parse_day
from xanh.geo.models import AdminUnit
from xanh.monitoring import services, synth
from xanh.monitoring.models import IngestSource


class Command(BaseCommand):
    help = "Quan trắc tự động: nhận tệp dữ liệu, xử lý hàng đợi, sinh dữ liệu minh họa, ghi chỉ tiêu."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        ingest = sub.add_parser(
            "ingest", help="Nhận các tệp .txt/.csv trong thư mục (tệp đã nhận được chuyển vào kho lưu)."
        )
        ingest.add_argument("directory")
        ingest.add_argument("--watch", action="store_true", help="Theo dõi thư mục, nhận tệp mới liên tục.")
        ingest.add_argument(
            "--interval", type=float, default=10.0, help="Chu kỳ quét thư mục khi theo dõi (giây)."
        )
        ingest.add_argument(
            "--no-process", action="store_true", help="Chỉ lưu số liệu; để hàng đợi xử lý sau."
        )
        ingest.add_argument("--once", action="store_true", help=argparse_suppress())
        sub.add_parser(
            "process", help="Xử lý hàng đợi giờ cần tính lại (kiểm tra chất lượng, trung bình, VN_AQI)."
        )
        generate = sub.add_parser("generate", help="Sinh tệp dữ liệu minh họa (hư cấu) vào thư mục.")
        generate.add_argument("directory")
        generate.add_argument("--days", type=int, default=1)
        generate.add_argument(
            "--start", type=str, default=None, help="Ngày bắt đầu YYYY-MM-DD (mặc định: hôm nay)."
        )
        generate.add_argument("--province", default="LV", help="Mã tỉnh trong tên tệp.")
        generate.add_argument("--stations", type=int, default=4)
        generate.add_argument("--stacks", type=int, default=2)
        indicators = sub.add_parser(
            "indicators", help="Ghi các chỉ tiêu tính từ quan trắc cho một tỉnh, một năm."
        )
        indicators.add_argument("--province", required=True, help="Mã đơn vị hành chính.")
        indicators.add_argument("--year", type=int, required=True)
        indicators.add_argument(
            "--user", required=True, help="Tên đăng nhập của người ghi (quản trị/điều phối)."
        )
        indicators.add_argument(
            "--approve", action="store_true", help="Phê duyệt giá trị của năm đã đủ số liệu."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        try:
            getattr(self, f"_{action}")(options)
        except ValidationFailed as exc:
            raise as_command_error(exc) from exc

    def _ingest(self, options: dict[str, Any]) -> None:
        directory = Path(options["directory"])
        if not directory.is_dir():
            raise CommandError(f"Không có thư mục {directory}")
        while True:
            files = services.files_from_directory(directory)
            if files:
                with tqdm(
                    total=len(files), unit="tệp", desc="Nhận tệp", disable=options["verbosity"] < 1
                ) as bar:
                    batch, processed = services.ingest_files(
                        user=None,
                        files=files,
                        source=IngestSource.FOLDER,
                        process=not options["no_process"],
                        progress=bar.update,
                    )
                totals = batch.totals
                self.stdout.write(
                    f"{totals['files']} tệp: {totals['stored']} giá trị mới, {totals['unchanged']} đã có, "
                    f"{totals['conflicts']} mâu thuẫn, {totals['rejected']} dòng bị loại."
                )
                for result in batch.files:
                    for problem in result.problems[:20]:
                        self.stderr.write(problem)
                if processed is not None:
                    self.stdout.write(
                        f"Đã tính lại {processed.hours} giờ, {processed.aqi_hours} chỉ số VN_AQI giờ, "
                        f"{processed.events} sự kiện vượt giới hạn."
                    )
            elif not options["watch"]:
                self.stdout.write("Không có tệp nào để nhận.")
            if not options["watch"] or options["once"]:
                return
            time.sleep(options["interval"])

    def _process(self, options: dict[str, Any]) -> None:
        result = services.process_queue()
        self.stdout.write(
            f"{result.stations} trạm, {result.dirty_hours} giờ trong hàng đợi: tính lại {result.hours} giờ, "
            f"{result.days} ngày, {result.aqi_hours} chỉ số giờ; cờ chất lượng +{result.flags_added}/-"
            f"{result.flags_removed}; {result.events} sự kiện vượt giới hạn."
        )

    def _generate(self, options: dict[str, Any]) -> None:
        start_day = parse_day(options["start"]) if options["start"] else dt.date.today()
        stations = synth.demo_stations(options["province"], options["stations"], options["stacks"])
        directory = Path(options["directory"])
        total = 0
        for station in stations:
            data = synth.generate(station, dt.datetime.combine(start_day, dt.time()), options["days"])
            total += synth.write_files(data, directory)
        self.stdout.write(f"Đã sinh {total} tệp của {len(stations)} trạm vào {directory}.")

    def _indicators(self, options: dict[str, Any]) -> None:
        unit = AdminUnit.objects.filter(code=options["province"]).order_by("-valid_from").first()
        if unit is None:
            raise CommandError(f"Không có đơn vị hành chính mã {options['province']}")
        user = get_user_model().objects.filter(username=options["user"]).first()
        if user is None:
            raise CommandError(f"Không có người dùng {options['user']}")
        counts = services.publish_indicators(
            user=user, province_unit=unit, year=options["year"], approve=options["approve"]
        )
        self.stdout.write(
            f"Chỉ tiêu quan trắc {options['year']}: mới {counts['created']}, cập nhật {counts['updated']}, "
            f"không đổi {counts['unchanged']}."
        )


def argparse_suppress() -> str:
    import argparse

    return argparse.SUPPRESS
