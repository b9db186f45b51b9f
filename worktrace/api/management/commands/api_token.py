"""`worktrace api_token USERNAME --name NAME`: issue a token for an integration (printed once), or revoke one."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from worktrace.accounts.models import User
from worktrace.api.models import ApiToken
from worktrace.api.services import token_create, token_revoke


class Command(BaseCommand):
    help = "Cấp token API cho một tài khoản (token có đúng quyền của tài khoản đó), hoặc thu hồi bằng --revoke."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="tích hợp", help="tên hệ thống dùng token")
        parser.add_argument("--revoke", metavar="PREFIX", help="thu hồi token có tiền tố này")

    def handle(self, *args, **options) -> None:
        try:
            user = User.objects.get(username=options["username"])
        except User.DoesNotExist:
            raise CommandError("Không có tài khoản này.") from None
        if options["revoke"]:
            tokens = ApiToken.objects.filter(user=user, prefix=options["revoke"], revoked_at__isnull=True)
            for token in tokens:
                token_revoke(token=token)
            self.stdout.write(f"Đã thu hồi {len(tokens)} token.")
            return
        _token, raw = token_create(user=user, name=options["name"])
        self.stdout.write(raw)
