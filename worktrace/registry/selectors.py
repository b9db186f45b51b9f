"""Reads of the register that views and commands share: filters, the roster of a person, co-members."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Case, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.db.models.functions import Upper
from django.utils import timezone

from worktrace.registry.models import Employment, GroupKind, Membership, Person
from worktrace.text import digits, fold


def people_search(people: QuerySet[Person], query: str) -> QuerySet[Person]:
    """Filter and rank by name (diacritics and case optional, words in any order, parts of words), worker code,
    citizen ID (whole or last digits) or phone. Best matches first: exact ID or code, then numbers ending in the
    digits, then the whole name, a name starting with the query, and names holding every word.

    On PostgreSQL the LIKE conditions use the trigram indexes of tracing/migrations/0002.
    """
    query = query.strip()
    if not query:
        return people
    folded = fold(query)
    number = digits(query)
    numeric = bool(number) and number == query.replace(" ", "").replace(".", "")
    # Worker codes are looked up first (one indexed query) so that the final OR holds plain id lists, which
    # PostgreSQL combines with the trigram indexes (a sub-select inside the OR made it scan the table).
    code_people = list(
        Employment.objects.annotate(code_upper=Upper("worker_code"))
        .filter(code_upper=query.upper())
        .values_list("person_id", flat=True)[:200]
    )
    condition = Q(pk__in=code_people)
    rank = [When(pk__in=code_people, then=Value(0))] if code_people else []
    if numeric and len(number) >= 3:
        condition |= Q(national_id__endswith=number) | Q(phone__endswith=number)
        rank += [
            When(national_id=number, then=Value(0)),
            When(phone=number, then=Value(1)),
            When(Q(national_id__endswith=number) | Q(phone__endswith=number), then=Value(1)),
        ]
    elif not numeric:
        by_name = Q()
        for word in folded.split():
            by_name &= Q(name_folded__contains=word)
        condition |= by_name
        rank += [
            When(name_folded=folded, then=Value(2)),
            When(name_folded__startswith=folded, then=Value(3)),
            When(name_folded__contains=folded, then=Value(4)),
        ]
    return (
        people.filter(condition)
        .annotate(search_rank=Case(*rank, default=Value(5), output_field=IntegerField()))
        .order_by("search_rank", "name_folded", "id")
    )


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


def person_places(person: Person) -> dict[str, list[PlaceRow]]:
    """The person's current groups by kind. Who else is in them: tracing.selectors.person_related."""
    now = timezone.now()
    own = person.memberships.current(now).select_related("group", "group__parent", "employment__company")
    result: dict[str, list[PlaceRow]] = defaultdict(list)
    for membership in own:
        result[membership.group.kind].append(PlaceRow(membership))
    return dict(result)


def person_history(person: Person) -> QuerySet[Membership]:
    """Every membership, ended ones included, newest first: where did this person live and work."""
    return person.memberships.select_related("group", "group__parent").order_by("-start", "-id")
