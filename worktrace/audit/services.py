"""Writing to the audit log. Every look at personal data, trace, export and import goes through audit_record."""

from __future__ import annotations

import ipaddress
from typing import Any

from django.conf import settings
from django.db import models
from django.http import HttpRequest

from worktrace.audit.models import Action, AuditEntry


def _client_ip(request: HttpRequest | None) -> str | None:
    """The client's address as the rate limits and the lockout see it: behind a proxy, CLIENT_IP_HEADER.

    Of a list (X-Forwarded-For) the last entry is the one the proxy itself saw. A value that is not an address
    is kept out of the log (the column holds addresses only) rather than failing the entry.
    """
    if request is None:
        return None
    meta = request.META
    value = str(meta.get(settings.CLIENT_IP_HEADER) or meta.get("REMOTE_ADDR") or "")
    value = value.rsplit(",", 1)[-1].strip()
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def audit_record(
    *,
    action: Action,
    user: Any = None,
    request: HttpRequest | None = None,
    obj: models.Model | None = None,
    object_type: str = "",
    object_id: str | int = "",
    object_repr: str = "",
    purpose: str = "",
    detail: dict | None = None,
    ip: str | None = None,
) -> AuditEntry:
    """``ip`` names the client when the request is gone (a queued import runs after its upload answered)."""
    if user is None and request is not None:
        user = request.user
    authenticated = user is not None and getattr(user, "is_authenticated", False)
    roles = ""
    if authenticated:
        from worktrace.accounts.access import access_for

        roles = ",".join(sorted(access_for(user).roles))
    if obj is not None:
        object_type = object_type or obj._meta.model_name or ""
        object_id = object_id or obj.pk
        object_repr = object_repr or str(obj)
    return AuditEntry.objects.create(
        user=user if authenticated else None,
        username=(user.get_username() if authenticated else (getattr(user, "username", "") or ""))[:150],
        roles=roles[:200],
        action=action,
        object_type=object_type[:40],
        object_id=str(object_id)[:64],
        object_repr=object_repr[:300],
        purpose=purpose[:300],
        detail=detail or {},
        ip=ip or _client_ip(request),
    )
