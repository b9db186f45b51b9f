"""`worktrace roster_worker`: run queued roster uploads (beside the web server, for large files)."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from worktrace.rosters.jobs import mark_stale, run_queued


class Command(BaseCommand):
    help = "Xử lý các tệp danh sách đang chờ (tệp lớn tải lên từ trang web)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--once", action="store_true", help="xử lý hết hàng chờ rồi thoát")
        parser.add_argument("--interval", type=float, default=2.0, help="giây giữa hai lần kiểm tra hàng chờ")

    def handle(self, *args, once: bool, interval: float, **options) -> None:
        while True:
            mark_stale()
            count = run_queued()
            if count and options["verbosity"]:
                self.stdout.write(f"Đã xử lý {count} tệp.")
            if once:
                return
            time.sleep(interval)
