"""Template context: the signed-in user's access, so templates show only what the user may use."""

from __future__ import annotations

from django.http import HttpRequest

from worktrace.accounts.access import Capability, access_for


def access(request: HttpRequest) -> dict:
    user_access = access_for(getattr(request, "user", None))
    return {"access": user_access, "caps": {c.value: user_access.can(c) for c in Capability}}
