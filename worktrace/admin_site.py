"""The Django admin, open to province administrators only."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _


class WorktraceAdminSite(admin.AdminSite):
    site_header = _("Quản trị worktrace")
    site_title = _("worktrace")
    index_title = _("Quản trị hệ thống")

    def has_permission(self, request: HttpRequest) -> bool:
        from worktrace.accounts.access import Capability, access_for

        user = request.user
        return bool(user.is_active and user.is_staff and access_for(user).can(Capability.ADMINISTER))


class WorktraceAdminConfig(AdminConfig):
    default_site = "worktrace.admin_site.WorktraceAdminSite"
