"""Reads of the register that views and commands share: filters, the roster of a person, co-members."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from worktrace.registry.models import Employment, GroupKind, Membership, Person
from worktrace.text import digits, fold


def people_search(people: QuerySet[Person], query: str) -> QuerySet[Person]:
    """Filter by part of a name (diacritics optional), worker code, citizen ID (or its last digits) or phone."""
    query = query.strip()
    if not query:
        return people
    condition = Q(name_folded__contains=fold(query))
    number = digits(query)
    if number and len(number) >= 3:
        condition |= Q(national_id__endswith=number) | Q(phone__endswith=number)
    codes = Employment.objects.filter(worker_code__iexact=query).values("person_id")
    condition |= Q(pk__in=codes)
    return people.filter(condition)


def people_with_current_jobs(people: QuerySet[Person], on: dt.date | None = None) -> QuerySet[Person]:
    """Attach current jobs and current workshop/team memberships without one query per row."""
    now = timezone.now()
    jobs = Employment.objects.current(on).select_related("company")
    places = (
        Membership.objects.current(now)
        .filter(group__kind__in=[GroupKind.WORKSHOP, GroupKind.TEAM])
        .select_related("group")
    )
    return people.prefetch_related(
        Prefetch("employments", queryset=jobs, to_attr="current_jobs"),
        Prefetch("memberships", queryset=places, to_attr="current_places"),
    )


@dataclass
class PlaceRow:
    membership: Membership
    co_members: list[Membership]
    hidden_count: int


def person_places(person: Person, visible_people: QuerySet[Person]) -> dict[str, list[PlaceRow]]:
    """The person's current groups by kind, each with the people who are in it now.

    Co-members outside the viewer's scope are counted, not named.
    """
    now = timezone.now()
    own = list(person.memberships.current(now).select_related("group", "group__parent", "employment__company"))
    group_ids = [m.group_id for m in own if m.group.kind != GroupKind.WORKSHOP]
    others = (
        Membership.objects.current(now)
        .filter(group_id__in=group_ids)
        .exclude(person_id=person.pk)
        .select_related("person")
        .order_by("person__name_folded")
    )
    by_group: dict[int, list[Membership]] = defaultdict(list)
    for membership in others:
        by_group[membership.group_id].append(membership)
    visible = set(
        visible_people.filter(pk__in=[m.person_id for ms in by_group.values() for m in ms]).values_list("pk", flat=True)
    )
    result: dict[str, list[PlaceRow]] = defaultdict(list)
    for membership in own:
        members = by_group.get(membership.group_id, [])
        shown = [m for m in members if m.person_id in visible]
        result[membership.group.kind].append(PlaceRow(membership, shown, len(members) - len(shown)))
    return dict(result)


def person_history(person: Person) -> QuerySet[Membership]:
    """Every membership, ended ones included, newest first: where did this person live and work."""
    return person.memberships.select_related("group", "group__parent").order_by("-start", "-id")
