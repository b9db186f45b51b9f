"""Accounts and their role grants in the admin."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from worktrace.accounts.models import Grant, User


class GrantInline(admin.TabularInline):
    model = Grant
    extra = 1
    raw_id_fields = ["zone", "company", "facility", "person"]


@admin.register(User)
class WorktraceUserAdmin(UserAdmin):
    inlines = [GrantInline]
    list_display = ["username", "first_name", "last_name", "email", "is_active", "last_login"]
