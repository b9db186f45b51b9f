"""Boarding houses that two companies wrote differently: found by address similarity, merged by an official.

Never merged silently (TEMPLATE.md): the import lists near-misses, a province administrator confirms here.
"""

from __future__ import annotations

import difflib
from typing import Any

from django.db import transaction

from worktrace.audit.models import Action
from worktrace.audit.services import audit_record
from worktrace.registry.models import Group, GroupKind, Membership
from worktrace.rosters.apply import digit_signature


def house_near_misses(*, house: Group, limit: int = 5, cutoff: float = 0.8) -> list[Group]:
    signature = digit_signature(house.key)  # "số 12" and "số 13" are two houses, however alike
    houses = Group.objects.filter(kind=GroupKind.BOARDING_HOUSE).exclude(pk=house.pk).values_list("key", "id")
    others = {key: pk for key, pk in houses if digit_signature(key) == signature}
    close = difflib.get_close_matches(house.key, list(others), n=limit, cutoff=cutoff)
    found = {g.pk: g for g in Group.objects.filter(pk__in=[others[k] for k in close])}
    return [found[others[k]] for k in close if others[k] in found]


@transaction.atomic
def house_merge(*, source: Group, target: Group, user: Any = None, request=None) -> None:
    """Move everything of ``source`` into ``target``: rooms (joined by name), memberships, code; then drop it."""
    assert source.kind == target.kind == GroupKind.BOARDING_HOUSE and source.pk != target.pk
    target_rooms = {
        key: pk for pk, key in Group.objects.filter(parent=target, kind=GroupKind.ROOM).values_list("pk", "key")
    }
    for room in Group.objects.filter(parent=source, kind=GroupKind.ROOM):
        same = target_rooms.get(room.key)
        if same is None:
            room.parent = target
            room.save(update_fields=["parent"])
        else:
            Membership.objects.filter(group=room).update(group_id=same)
            room.delete()
    Membership.objects.filter(group=source).update(group=target)
    if source.code and not target.code:
        target.code = source.code
        target.save(update_fields=["code"])
    audit_record(
        action=Action.ADMIN_CHANGE,
        user=user,
        request=request,
        obj=target,
        purpose="Gộp nhà trọ trùng",
        detail={"merged": source.pk, "merged_name": source.name, "merged_address": source.address},
    )
    source.delete()
