"""The audit log in the admin: readable and filterable by province administrators, never editable.

``AuditedReads`` is for admin pages that show personal data, or the log itself: reading them is written to the
log like reading the same data in the web pages.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest, HttpResponse

from worktrace.audit.models import Action, AuditEntry
from worktrace.audit.services import audit_record


class AuditedReads(admin.ModelAdmin):
    """Writes an audit entry for each read of the change list (with the ids shown) and of one object."""

    audit_list_action: Action = Action.LIST_PEOPLE
    audit_object_action: Action = Action.VIEW_PERSON

    def changelist_view(self, request: HttpRequest, extra_context: dict | None = None) -> HttpResponse:
        response = super().changelist_view(request, extra_context)
        changelist = (getattr(response, "context_data", None) or {}).get("cl")
        if request.method == "GET" and changelist is not None:
            audit_record(
                action=self.audit_list_action,
                request=request,
                object_type=self.model._meta.model_name or "",
                detail={
                    "admin": "changelist",
                    "query": request.GET.urlencode()[:300],
                    "shown": [obj.pk for obj in changelist.result_list],
                },
            )
        return response

    def change_view(
        self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: dict | None = None
    ) -> HttpResponse:
        response = super().change_view(request, object_id, form_url, extra_context)
        if request.method == "GET" and response.status_code == 200:
            obj: Any = (getattr(response, "context_data", None) or {}).get("original")
            audit_record(
                action=self.audit_object_action,
                request=request,
                obj=obj,
                object_type=self.model._meta.model_name or "",
                object_id=object_id,
                detail={"admin": "change"},
            )
        return response


@admin.register(AuditEntry)
class AuditEntryAdmin(AuditedReads):
    audit_list_action = Action.READ_AUDIT
    audit_object_action = Action.READ_AUDIT
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
