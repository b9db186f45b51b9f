"""`worktrace import FILE [--company TAXCODE] [--strict] [--json] [--dry-run]`: import a roster workbook.

Exit status: 0 when the file was applied (even with invalid rows skipped), 1 when nothing was applied,
2 on a usage error. ``--json`` prints exactly one JSON object (the shape is issue #3's contract).
``--dry-run``: check and print what the file would change (by workshop, the large-leave warning), apply
nothing and record no run (the attempt is audited); exit 0 when it could be applied.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from worktrace.accounts.services import system_account
from worktrace.rosters.models import ImportSource
from worktrace.rosters.preview import preview_json
from worktrace.rosters.reader import max_upload_bytes
from worktrace.rosters.services import roster_import


class Command(BaseCommand):
    help = "Nhập danh sách người lao động từ tệp .xlsx, .xls hoặc .ods."
    requires_system_checks = []  # run by cron for each company's file: skip the ~0.3 s of project checks

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="tệp danh sách")
        parser.add_argument("--company", metavar="TAXCODE", help="mã số thuế doanh nghiệp (mặc định: theo tệp)")
        parser.add_argument("--strict", action="store_true", help="có dòng lỗi thì không áp dụng gì")
        parser.add_argument("--json", action="store_true", help="in một đối tượng JSON")
        parser.add_argument("--purpose", default="", help="mục đích (ghi vào nhật ký)")
        parser.add_argument(
            "--dry-run", action="store_true", help="chỉ kiểm tra và in những gì sẽ thay đổi, không áp dụng gì"
        )

    def handle(
        self, *args, file: str, company: str | None, strict: bool, json: bool, purpose: str, dry_run: bool, **options
    ):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Không tìm thấy tệp: {file}", returncode=2)
        if path.stat().st_size > max_upload_bytes() + 1:
            data = path.read_bytes()[: max_upload_bytes() + 1]  # enough to be refused as too large
        else:
            data = path.read_bytes()
        outcome = roster_import(
            data=data,
            filename=path.name,
            tax_code=company,
            strict=strict,
            source=ImportSource.CLI,  # recorded as a run: the import history shows it like a web upload
            purpose=purpose,
            # No one signs in on the command line: the system account's grant decides, the audit names it and
            # the operating-system account that ran the command.
            user=system_account(),
            actor=_os_user(),
            dry_run=dry_run,
        )
        if json:
            body = outcome.as_json()
            if dry_run:
                body = {**body, "dry_run": True, **preview_json({"preview": outcome.preview})}
            self.stdout.write(_dumps(body))
        else:
            self._report(outcome, options["verbosity"])
            if outcome.previewed:
                self._preview(outcome)
        if not (outcome.applied or outcome.previewed):
            sys.exit(1)

    def _preview(self, outcome) -> None:
        preview = outcome.preview
        for w in preview["by_workshop"]:
            self.stdout.write(f"  {w['workshop'] or '–'}: mới {w['created']}, nghỉ {w['ended']}, chuyển {w['moved']}")
        if preview["large_leave"]:
            self.stdout.write(
                self.style.WARNING(
                    f"CẢNH BÁO: tệp này sẽ cho {outcome.ended}/{preview['current']} công nhân "
                    f"({preview['share']}%) nghỉ việc."
                )
            )
        self.stdout.write("Chạy thử (--dry-run): chưa áp dụng gì.")

    def _report(self, outcome, verbosity: int) -> None:
        company = outcome.company.tax_code if outcome.company else "?"
        if outcome.applied or outcome.previewed:
            self.stdout.write(
                self.style.SUCCESS(
                    f"{company}: mới {outcome.created}, nghỉ {outcome.ended}, chuyển {outcome.moved}, "
                    f"không đổi {outcome.unchanged}, dòng lỗi {outcome.invalid}"
                )
            )
        else:
            self.stderr.write(outcome.message or "Không áp dụng.")
        if verbosity:
            for kind, problems in (("LỖI", outcome.errors), ("CẢNH BÁO", outcome.warnings)):
                for p in problems[:200]:
                    where = f"{p['sheet']}!{p['column']}{'' if not p['row'] else ' dòng ' + str(p['row'])}"
                    self.stderr.write(f"{kind} {where} [{p['value']}]: {p['message']}")


def _os_user() -> str:
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""


def _dumps(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False)
