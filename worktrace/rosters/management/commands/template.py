"""`worktrace template [FILE]`: write the blank roster workbook (the same file the web page offers)."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from worktrace.registry.models import Zone
from worktrace.rosters.workbook import write_template

DEFAULT_NAME = "mau-danh-sach-nguoi-lao-dong.xlsx"


class Command(BaseCommand):
    help = "Ghi tệp Excel mẫu danh sách người lao động (có trang hướng dẫn, danh mục chọn và một dòng ví dụ)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", nargs="?", default=DEFAULT_NAME, help=f"tệp sẽ ghi (mặc định {DEFAULT_NAME})")

    def handle(self, *args, file: str, **options) -> None:
        write_template(file, zones=list(Zone.objects.order_by("name").values_list("name", flat=True)))
        if options["verbosity"]:
            self.stdout.write(self.style.SUCCESS(f"Đã ghi {file}"))
