"""Investigations and case statuses in the admin: read-only, for province administrators."""

from __future__ import annotations

from django.contrib import admin

from worktrace.audit.admin import AuditedReads
from worktrace.tracing.models import CaseStatus, Investigation


class ReadOnly(AuditedReads):  # they name index cases and contacts: reading them is audited
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Investigation)
class InvestigationAdmin(ReadOnly):
    list_display = ["id", "index_person", "reference_date", "depth", "created_by", "created_at"]
    list_select_related = ["index_person", "created_by"]
    exclude = ["snapshot"]


@admin.register(CaseStatus)
class CaseStatusAdmin(ReadOnly):
    list_display = ["person", "level", "quarantine_place", "facility", "starts_on", "investigation", "confirmed_by"]
    list_filter = ["level", "quarantine_place"]
    list_select_related = ["person", "confirmed_by", "facility"]
