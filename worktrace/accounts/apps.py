from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "worktrace.accounts"
    verbose_name = _("Tài khoản và phân quyền")

    def ready(self) -> None:
        from worktrace import ratelimits

        ratelimits.connect()  # failed sign-ins count towards the per-name and per-address limits
