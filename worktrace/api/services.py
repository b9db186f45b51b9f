"""Issuing and revoking API tokens (audited)."""

from __future__ import annotations

import secrets
from typing import Any

from django.db import transaction
from django.utils import timezone

from worktrace.api.models import ApiToken, token_hash
from worktrace.audit.models import Action
from worktrace.audit.services import audit_record


@transaction.atomic
def token_create(*, user: Any, name: str, issued_by: Any = None) -> tuple[ApiToken, str]:
    """A new token for ``user``; the raw value is returned once and never stored."""
    raw = f"wt_{secrets.token_urlsafe(32)}"
    token = ApiToken.objects.create(user=user, name=name, prefix=raw[:8], key_hash=token_hash(raw))
    audit_record(
        action=Action.ADMIN_CHANGE,
        user=issued_by,
        obj=token,
        detail={"api_token": "created", "for_user": user.get_username()},
    )
    return token, raw


@transaction.atomic
def token_revoke(*, token: ApiToken, revoked_by: Any = None) -> None:
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit_record(action=Action.ADMIN_CHANGE, user=revoked_by, obj=token, detail={"api_token": "revoked"})
