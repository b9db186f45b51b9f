"""`worktrace bench NAME [options]`: dispatch to the benchmark module ``worktrace.bench.<NAME>``."""

from __future__ import annotations

import importlib

from django.core.management.base import BaseCommand, CommandError, CommandParser

ALIASES = {"import": "import_"}  # `import` is a Python keyword


class Command(BaseCommand):
    help = "Chạy một bài đo hiệu năng: worktrace bench import|trace [tham số của bài đo] (xem docs/performance.md)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", help="tên bài đo, vd: import, trace")
        parser.add_argument("args", nargs="*", help="tham số của bài đo (đặt sau --)")

    def run_from_argv(self, argv: list[str]) -> None:
        # Everything after the benchmark's name belongs to the benchmark's own parser.
        if len(argv) > 2 and not argv[2].startswith("-"):
            self._dispatch(argv[2], argv[3:])
            return
        super().run_from_argv(argv)

    def handle(self, *args, **options) -> None:
        self._dispatch(options["name"], options["args"])

    def _dispatch(self, name: str, argv: list[str]) -> None:
        module_name = ALIASES.get(name, name)
        try:
            module = importlib.import_module(f"worktrace.bench.{module_name}")
        except ModuleNotFoundError as exc:
            raise CommandError(f"Không có bài đo '{name}'.") from exc
        module.main(argv)
