"""Creating accounts with their role grants."""

from __future__ import annotations

from django.db import transaction

from worktrace.accounts.models import Grant, Role, User


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
) -> User:
    """Create (or reset) an account holding exactly one role on one scope."""
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
