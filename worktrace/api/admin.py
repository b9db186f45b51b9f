"""API tokens in the admin: listed and revoked by province administrators; issued only by `worktrace api_token`
(the raw token is shown once, on the console)."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from worktrace.api.models import ApiToken
from worktrace.api.services import token_revoke


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["name", "user__username", "prefix"]
    readonly_fields = ["user", "name", "prefix", "created_at", "last_used_at", "revoked_at"]
    actions = ["revoke"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description=_("Thu hồi các token đã chọn"))
    def revoke(self, request, queryset) -> None:
        for token in queryset.filter(revoked_at__isnull=True):
            token_revoke(token=token, revoked_by=request.user)
