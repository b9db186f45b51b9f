"""The bell's unread count (every page) and a worker's notices (their own page)."""

from __future__ import annotations

from typing import Any

from django import template

from worktrace.accounts.access import access_for

register = template.Library()
WORKER_NOTICES = 10


@register.simple_tag(takes_context=True)
def notifications_unread(context: dict[str, Any]) -> int:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return 0
    return access_for(user).notifications().filter(read_at__isnull=True).count()


@register.simple_tag(takes_context=True)
def worker_notices(context: dict[str, Any]) -> list:
    """The latest notifications to the person a worker grant names (broadcasts reach workers here)."""
    request = context.get("request")
    access = access_for(getattr(request, "user", None))
    if not access.is_worker:
        return []
    return list(access.notifications().filter(person__isnull=False).select_related("broadcast")[:WORKER_NOTICES])
