"""Reads around a trace: the JSON document, the company → workshop → team grouping, related people.

The contact network is graph.py.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from worktrace.accounts.access import Access
from worktrace.registry.models import Employment, Group, GroupKind, Membership, Person
from worktrace.tracing.engine import ALL_KINDS, Contact, TraceResult, related_people
from worktrace.tracing.models import Investigation

CHUNK = 900  # below SQLite's limit on query parameters


def _chunks(values: Iterable[int]) -> Iterator[list[int]]:
    values = list(values)
    for i in range(0, len(values), CHUNK):
        yield values[i : i + CHUNK]


def _local(value: dt.datetime) -> str:
    return timezone.localtime(value).isoformat()


@dataclass
class PersonCard:
    id: int
    national_id: str | None
    name: str
    phone: str = ""
    address: str = ""
    companies: list[tuple[int, str, str]] = field(default_factory=list)  # (id, tax code, name)
    worker_codes: dict[str, str] = field(default_factory=dict)  # tax code → worker code there
    workshop: tuple[int, str] | None = None
    team: tuple[int, str] | None = None

    @property
    def company_tax_code(self) -> str | None:
        return self.companies[0][1] if self.companies else None


def people_cards(person_ids: Iterable[int], *, on: dt.datetime) -> dict[int, PersonCard]:
    """Identity, current jobs and the workshop/team held at ``on`` for many people, in a few queries."""
    ids = list(set(person_ids))
    cards: dict[int, PersonCard] = {}
    day = timezone.localtime(on).date()
    for chunk in _chunks(ids):
        people = Person.objects.filter(pk__in=chunk).values_list(
            "pk", "national_id", "full_name", "phone", "permanent_address"
        )
        for pk, national_id, name, phone, address in people:
            cards[pk] = PersonCard(pk, national_id, name, phone, address)
        jobs = (
            Employment.objects.filter(person_id__in=chunk)
            .filter(Q(start_date__lte=day), Q(end_date__isnull=True) | Q(end_date__gt=day))
            .order_by("start_date", "pk")
            .values_list("person_id", "company_id", "company__tax_code", "company__name", "worker_code")
        )
        for person_id, company_id, tax_code, company_name, worker_code in jobs:
            card = cards[person_id]
            if company_id not in {c[0] for c in card.companies}:
                card.companies.append((company_id, tax_code, company_name))
                card.worker_codes[tax_code] = worker_code
        places = (
            Membership.objects.filter(person_id__in=chunk, group__kind__in=[GroupKind.WORKSHOP, GroupKind.TEAM])
            .filter(Q(start__lte=on), Q(end__isnull=True) | Q(end__gt=on))
            .order_by("start", "pk")
            .values_list("person_id", "group_id", "group__kind", "group__name", "group__company_id")
        )
        for person_id, group_id, kind, name, company_id in places:
            card = cards[person_id]
            if card.companies and company_id != card.companies[0][0]:
                continue  # the workshop of a second job does not place the person
            if kind == GroupKind.WORKSHOP:
                card.workshop = (group_id, name)
            else:
                card.team = (group_id, name)
    return cards


def group_labels(group_ids: Iterable[int]) -> dict[int, str]:
    return {pk: label for pk, (label, _vehicle) in _group_names(group_ids).items()}


def _group_names(group_ids: Iterable[int]) -> dict[int, tuple[str, str | None]]:
    """Each group's display label, and for a bus trip its vehicle's (the trips of one bus fold into one line)."""
    names: dict[int, tuple[str, str | None]] = {}
    for chunk in _chunks(set(group_ids)):
        for group in Group.objects.filter(pk__in=chunk).select_related("parent"):
            vehicle = str(group.parent) if group.kind == GroupKind.TRIP and group.parent_id else None
            names[group.pk] = (str(group), vehicle)
    return names


def _contacts_sorted(result: TraceResult, cards: dict[int, PersonCard]) -> list[Contact]:
    return sorted(
        result.contacts.values(),
        key=lambda c: (not c.close, c.level, cards[c.person_id].name if c.person_id in cards else "", c.person_id),
    )


def trace_document(result: TraceResult, *, with_ids: bool = False, visible: QuerySet[Person] | None = None) -> dict:
    """The result as the JSON object of `worktrace trace --json` (docs/tracing.md).

    ``cut_after`` is present only when the work bound stopped the trace: the last level listed whole. With
    ``visible`` (the viewer's ``access.people()``), contacts outside it are left out and only counted
    (``hidden``), and a reason reached through such a person does not name them. Only province-wide roles may
    trace today, so this changes nothing for them; it keeps a trace inside the viewer's scope if that ever changes.
    """
    hidden: set[int] = set()
    if visible is not None:
        shown = {result.index_id}
        for chunk in _chunks(result.contacts):
            shown.update(visible.filter(pk__in=chunk).values_list("pk", flat=True))
        hidden = set(result.contacts) - shown
    ids = {result.index_id, *result.contacts} - hidden
    cards = people_cards(ids, on=result.window_end - dt.timedelta(microseconds=1))
    labels = _group_names(r.group_id for c in result.contacts.values() for r in c.reasons)
    index = cards[result.index_id]

    def person(card: PersonCard) -> dict:
        data: dict[str, Any] = {"national_id": card.national_id, "name": card.name, "company": card.company_tax_code}
        if with_ids:
            data |= {
                "id": card.id,
                "companies": [[tax_code, name] for _id, tax_code, name in card.companies],
                "workshop": card.workshop[1] if card.workshop else None,
                "team": card.team[1] if card.team else None,
                "phone": card.phone,
                "address": card.address,
                "worker_codes": card.worker_codes,
            }
        return data

    contacts = []
    for contact in _contacts_sorted(result, cards):
        if contact.person_id in hidden:
            continue
        relations = []
        for reason in contact.reasons:
            via = cards.get(reason.via_id)
            label, vehicle = labels.get(reason.group_id, ("", None))
            relation: dict[str, Any] = {
                "kind": reason.kind,
                "group": label,
                "via": via.national_id if via else None,
                "from": _local(reason.start),
                "to": _local(reason.end),
            }
            if with_ids:
                relation |= {"group_id": reason.group_id, "via_id": via.id if via else None}
                if vehicle:
                    relation["vehicle"] = vehicle
            relations.append(relation)
        contacts.append(
            {**person(cards[contact.person_id]), "level": contact.level, "close": contact.close, "relations": relations}
        )
    document: dict[str, Any] = {
        "index": person(index),
        "window": {"from": _local(result.window_start), "to": _local(result.window_end)},
        "contacts": contacts,
    }
    if result.cut_after is not None:
        document["cut_after"] = result.cut_after
    if hidden:
        document["hidden"] = len(hidden)
    return document


def investigations_visible(access: Access) -> QuerySet[Investigation]:
    """Investigations this user may open: those whose index case they may trace.

    Only province-wide roles may trace today (test_investigations.py asserts it), so this is every investigation
    for them and none for anyone else; the filter keeps it so if a scoped role is ever given tracing.
    """
    return access.investigations()


@dataclass
class RelatedGroup:
    kind: str
    label: str
    people: list[tuple[PersonCard, list]]  # (card, reasons)
    hidden: int = 0


def person_related(
    *,
    person: Person,
    visible: QuerySet[Person],
    days: int = 14,
    only_groups: set[int] | None = None,
    companies: set[int] | None = None,
) -> list[RelatedGroup]:
    """Everyone who shared a group with the person in the last ``days`` days, grouped by relation, across
    companies. People outside ``visible`` (the viewer's scope) are counted, not named. A company's viewer
    passes ``only_groups`` (those its own declarations put the person in) and ``companies`` (the employers it may
    name on a card), so the profile does not show relations or employers another company declared.
    """
    until = timezone.now()
    since = until - dt.timedelta(days=days)
    found = related_people(person_id=person.pk, since=since, until=until)
    if only_groups is not None:
        found = {p: kept for p, reasons in found.items() if (kept := [r for r in reasons if r.group_id in only_groups])}
    visible_ids: set[int] = set()
    for chunk in _chunks(found):
        visible_ids.update(visible.filter(pk__in=chunk).values_list("pk", flat=True))
    cards = people_cards(found, on=until)
    if companies is not None:
        for card in cards.values():
            card.companies = [c for c in card.companies if c[0] in companies]
    labels = group_labels(r.group_id for reasons in found.values() for r in reasons)
    by_kind: dict[str, dict[int, list]] = defaultdict(dict)
    for other, reasons in found.items():
        for reason in reasons:
            by_kind[reason.kind].setdefault(other, []).append((labels.get(reason.group_id, ""), reason))
    groups = []
    for kind in ALL_KINDS:
        members = by_kind.get(kind)
        if not members:
            continue
        shown = [(cards[p], r) for p, r in members.items() if p in visible_ids]
        shown.sort(key=lambda item: item[0].name)
        groups.append(RelatedGroup(kind, str(GroupKind(kind).label), shown, len(members) - len(shown)))
    return groups
