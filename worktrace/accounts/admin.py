"""Accounts and their role grants in the admin. Every change of who may do what is audited (old → new)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest

from worktrace.accounts.models import Grant, User
from worktrace.accounts.services import grants_change_record, grants_snapshot
from worktrace.audit.models import Action
from worktrace.audit.services import audit_record


class GrantInline(admin.TabularInline):
    model = Grant
    extra = 1
    raw_id_fields = ["zone", "company", "facility", "person"]


@admin.register(User)
class WorktraceUserAdmin(UserAdmin):
    inlines = [GrantInline]
    list_display = ["username", "first_name", "last_name", "email", "is_active", "last_login"]

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        # Read before saving: the flags on ``obj`` are already the new ones, the database still has the old.
        request._grants_before = grants_snapshot(obj) if change else None  # type: ignore[attr-defined]
        super().save_model(request, obj, form, change)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)  # the grant inline is saved here
        grants_change_record(user=form.instance, before=request._grants_before, request=request, how="admin")  # type: ignore[attr-defined]

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        self._record_deletion(request, obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for user in queryset:
            self._record_deletion(request, user)
        super().delete_queryset(request, queryset)

    @staticmethod
    def _record_deletion(request: HttpRequest, user: Any) -> None:
        audit_record(
            action=Action.ADMIN_CHANGE,
            request=request,
            obj=user,
            object_type="grant",
            detail={"what": "grants", "how": "admin: account deleted", "old": grants_snapshot(user), "new": None},
        )
