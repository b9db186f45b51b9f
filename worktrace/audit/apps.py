from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "worktrace.audit"
    verbose_name = _("Nhật ký truy cập")

    def ready(self) -> None:
        from worktrace.audit import auth_events

        auth_events.connect()
