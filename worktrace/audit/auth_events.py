"""Sign-ins, sign-outs and failed sign-ins go to the audit log (Django only reports these as signals)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import signals

from worktrace.audit.models import Action


def _logged_in(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    from worktrace.audit.services import audit_record

    audit_record(action=Action.LOGIN, user=user, request=request)


def _logged_out(sender: Any, request: Any, user: Any, **kwargs: Any) -> None:
    from worktrace.audit.services import audit_record

    if user is not None:
        audit_record(action=Action.LOGOUT, user=user, request=request)


def _login_failed(sender: Any, credentials: dict, request: Any = None, **kwargs: Any) -> None:
    from worktrace.audit.services import audit_record

    audit_record(
        action=Action.LOGIN_FAILED,
        request=None,
        user=None,
        object_repr=str(credentials.get("username", ""))[:150],
        detail={"ip": request.META.get("REMOTE_ADDR") if request is not None else None},
    )


def connect() -> None:
    signals.user_logged_in.connect(_logged_in, dispatch_uid="worktrace_audit_login")
    signals.user_logged_out.connect(_logged_out, dispatch_uid="worktrace_audit_logout")
    signals.user_login_failed.connect(_login_failed, dispatch_uid="worktrace_audit_login_failed")
