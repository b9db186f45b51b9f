"""The audit log in the admin: readable and filterable by province administrators, never editable."""

from __future__ import annotations

from django.contrib import admin

from worktrace.audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["at", "username", "roles", "action", "object_type", "object_repr", "purpose", "ip"]
    list_filter = ["action", "object_type", "at"]
    search_fields = ["username", "object_id", "object_repr", "purpose"]
    date_hierarchy = "at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
