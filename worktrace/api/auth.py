"""Bearer-token authentication for django-ninja: the request then acts as the token's user."""

from __future__ import annotations

from django.utils import timezone
from ninja.security import HttpBearer

from worktrace.api.models import ApiToken, token_hash


class TokenAuth(HttpBearer):
    def authenticate(self, request, token: str):
        try:
            found = ApiToken.objects.select_related("user").get(key_hash=token_hash(token), revoked_at__isnull=True)
        except ApiToken.DoesNotExist:
            return None
        if not found.user.is_active:
            return None
        ApiToken.objects.filter(pk=found.pk).update(last_used_at=timezone.now())
        request.user = found.user  # access_for() and the audit log see the token's user
        request.api_token = found
        return found.user
