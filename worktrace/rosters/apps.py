from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RostersConfig(AppConfig):
    name = "worktrace.rosters"
    verbose_name = _("Danh sách người lao động (tệp Excel)")
