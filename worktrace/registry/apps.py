from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "worktrace.registry"
    verbose_name = _("Sổ người lao động")
