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
