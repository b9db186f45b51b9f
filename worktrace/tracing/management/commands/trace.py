"""`worktrace trace QUERY`: trace an index case from the command line (province-wide, written to the audit log).

QUERY is a citizen ID or a worker code (with --company when the code exists at several companies).
"""

from __future__ import annotations

import datetime as dt
import getpass
import json

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.http import Http404
from django.utils import timezone

from worktrace.accounts.access import NO_PERMISSION, Capability, access_for, get_person_for_user
from worktrace.accounts.services import system_account
from worktrace.tracing.engine import DEFAULT_CLOSE, DEFAULT_DEPTH, DEFAULT_LOOKBACK_DAYS
from worktrace.tracing.models import TraceChannel
from worktrace.tracing.params import cut_message, level_label, trace_params_kinds, trace_params_parse
from worktrace.tracing.selectors import trace_document
from worktrace.tracing.services import ERROR_NOT_FOUND, index_person_find, trace_run

# Argument of trace_params_parse → the option that gave it, to name it in an error.
_OPTIONS = {
    "reference": "--date",
    "lookback": "--lookback",
    "isolated_on": "--isolated",
    "depth": "--depth",
    "close": "--close",
    "min_overlap_minutes": "--min-overlap",
}


class Command(BaseCommand):
    help = "Truy vết F1/F2 từ một ca F0 (số CCCD/CMND hoặc mã công nhân). Mọi lần chạy được ghi nhật ký."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("query", help="số CCCD/CMND hoặc mã công nhân của F0")
        parser.add_argument("--company", help="mã số thuế doanh nghiệp (khi mã công nhân trùng)")
        parser.add_argument(
            "--date", type=dt.date.fromisoformat, help="ngày khởi phát/lấy mẫu YYYY-MM-DD (mặc định hôm nay)"
        )
        parser.add_argument("--lookback", type=int, help=f"số ngày truy ngược (mặc định {DEFAULT_LOOKBACK_DAYS})")
        parser.add_argument("--isolated", type=dt.date.fromisoformat, help="ngày F0 được cách ly YYYY-MM-DD")
        parser.add_argument("--depth", type=int, help=f"số tầng F (mặc định {DEFAULT_DEPTH})")
        parser.add_argument(
            "--close",
            type=trace_params_kinds,
            help=f"quan hệ tính là tiếp xúc gần, phân cách bằng dấu phẩy (mặc định {','.join(sorted(DEFAULT_CLOSE))})",
        )
        parser.add_argument("--min-overlap", type=int, help="số phút tối thiểu ở cùng một địa điểm (mặc định 15)")
        parser.add_argument("--purpose", default="Truy vết từ dòng lệnh", help="mục đích, ghi vào nhật ký")
        parser.add_argument("--json", action="store_true", help="in đúng một đối tượng JSON")

    def handle(self, *args, **options) -> None:
        try:
            params = trace_params_parse(
                reference=options["date"],
                today=timezone.localdate(),
                lookback=options["lookback"],
                isolated_on=options["isolated"],
                depth=options["depth"],
                close=options["close"],
                min_overlap_minutes=options["min_overlap"],
            )
        except ValidationError as exc:
            raise CommandError(
                " ".join(f"{_OPTIONS[name]}: {' '.join(errors)}" for name, errors in exc.message_dict.items())
            ) from exc
        # No one signs in on the command line: the system account's grant decides (like an officer's on the
        # page), and the audit entry names it and the operating-system account that ran the command.
        user = system_account()
        if not access_for(user).can(Capability.TRACE):
            raise CommandError(str(NO_PERMISSION))
        try:
            found = index_person_find(query=options["query"], company_tax_code=options["company"])
            index, _access = get_person_for_user(user, found.pk)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        except Http404 as exc:
            raise CommandError(str(ERROR_NOT_FOUND)) from exc
        result = trace_run(
            index=index,
            params=params,
            user=user,
            purpose=options["purpose"],
            channel=TraceChannel.CLI,
            os_user=getpass.getuser(),
        )
        document = trace_document(result)
        if options["json"]:
            self.stdout.write(json.dumps(document, ensure_ascii=False))
            return
        self._print(document, result.seconds)

    def _print(self, document: dict, seconds: float) -> None:
        index, window = document["index"], document["window"]
        self.stdout.write(f"F0: {index['name']} ({index['national_id'] or '—'}, {index['company'] or '—'})")
        self.stdout.write(f"Khoảng phơi nhiễm: {window['from']} → {window['to']}")
        for contact in document["contacts"]:
            level = level_label(contact["level"], contact["close"])
            reasons = "; ".join(f"{r['kind']} {r['group']} qua {r['via']}" for r in contact["relations"])
            self.stdout.write(
                f"  {level:<8} {contact['name']} ({contact['national_id'] or '—'}, {contact['company'] or '—'}): "
                f"{reasons}"
            )
        self.stdout.write(f"{len(document['contacts'])} người, {seconds * 1000:.0f} ms")
        if "cut_after" in document:
            self.stderr.write(cut_message(document["cut_after"]))
