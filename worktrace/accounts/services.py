"""Creating accounts with their role grants, and auditing every change of who may do what.

Who holds which role on which scope decides every access in worktrace, so each change of an account's grants
or of its admin flags (staff, superuser, active) is written to the audit log as old → new, whoever makes it: the
admin, a page, or a command (`worktrace demo`).
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import HttpRequest

from worktrace.accounts.models import Grant, Role, User
from worktrace.audit.models import Action
from worktrace.audit.services import audit_record

FLAGS = ("is_active", "is_staff", "is_superuser")


def grants_snapshot(user: User) -> dict[str, Any]:
    """What an account may do, as the audit log records it: its grants (role and scope) and its admin flags."""
    grants = sorted(
        (
            {"role": g.role, "scope": str(g.scope_object or ""), "scope_id": getattr(g.scope_object, "pk", None)}
            for g in Grant.objects.filter(user_id=user.pk).select_related("zone", "company", "facility", "person")
        ),
        key=lambda item: (item["role"], item["scope_id"] or 0),
    )
    flags = dict.fromkeys(FLAGS, False)
    if user.pk is not None:
        flags = dict(User.objects.filter(pk=user.pk).values(*FLAGS).first() or flags)
    return {"grants": grants, "flags": flags}


def grants_change_record(
    *,
    user: User,
    before: dict[str, Any] | None,
    by: Any = None,
    request: HttpRequest | None = None,
    how: str = "",
) -> bool:
    """Audit a change of ``user``'s grants or flags since ``before`` (None: a new account). False if nothing changed."""
    after = grants_snapshot(user)
    if before == after:
        return False
    audit_record(
        action=Action.ADMIN_CHANGE,
        user=by,
        request=request,
        obj=user,
        object_type="grant",
        object_id=user.pk,
        object_repr=user.get_username(),
        detail={"what": "grants", "how": how, "old": before, "new": after},
    )
    return True


@transaction.atomic
def user_create_with_role(
    *,
    username: str,
    password: str,
    role: Role,
    full_name: str = "",
    zone=None,
    company=None,
    facility=None,
    person=None,
    by: Any = None,
    request: HttpRequest | None = None,
) -> User:
    """Create (or reset) an account holding exactly one role on one scope; the change is audited."""
    existing = User.objects.filter(username=username).first()
    before = grants_snapshot(existing) if existing is not None else None
    first, _, last = full_name.rpartition(" ")
    user, _ = User.objects.update_or_create(
        username=username,
        defaults={
            "first_name": last or first,
            "last_name": first if last else "",
            "is_active": True,
            "is_staff": role == Role.PROVINCE_ADMIN,
            "is_superuser": role == Role.PROVINCE_ADMIN,
        },
    )
    user.set_password(password)
    user.save()
    user.grants.all().delete()
    grant = Grant(user=user, role=role, zone=zone, company=company, facility=facility, person=person)
    grant.full_clean()
    grant.save()
    grants_change_record(user=user, before=before, by=by, request=request, how="user_create_with_role")
    return user


# The account the management commands (`worktrace import`, `worktrace trace`) act as: a real user holding a
# health officer's grant, so the same access decisions run for them as for a signed-in officer, and the audit
# log names it. It cannot sign in (no usable password).
SYSTEM_USERNAME = "he-thong"


@transaction.atomic
def system_account() -> User:
    """The system account, created with its grant on first use (idempotent).

    Only the first use grants: an administrator who later changes its grant or deactivates it restricts or
    stops the commands, as for any account.
    """
    user, created = User.objects.get_or_create(
        username=SYSTEM_USERNAME, defaults={"first_name": "worktrace", "last_name": "", "is_active": True}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
        Grant.objects.create(user=user, role=Role.HEALTH_OFFICER)
    return user
