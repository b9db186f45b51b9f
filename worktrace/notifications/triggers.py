"""The events of issue 11 that notify someone, each a thin caller of ``services.notify``.

1. ``cases_confirmed``: an officer confirmed contacts → each affected company's focal points get *their own* people
   (name, worker code, workshop/team, level, quarantine instruction); each zone board the counts per company.
2. ``positive_tests_recorded``: a positive test recorded (a roster, or any later way) → the health officers, with a
   link to a trace proposed for that person.
3. ``broadcast_send``: a province administrator or health officer writes to companies and/or workers.
4. ``rosters_freshness_remind``: companies whose roster is older than 3 days, and each zone board's daily digest.

A company's list is what that company may see (``Access.people``): a person confirmed in an investigation is on
the list of each employer that still sees them, and on no other.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from django.conf import settings
from django.db.models import Max, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from worktrace.accounts.access import access_for, holders_by_scope, users_holding
from worktrace.accounts.models import Role
from worktrace.notifications.models import Broadcast, Kind
from worktrace.notifications.services import Sent, notify
from worktrace.registry.models import Company, Employment, GroupKind, Membership, Person, Zone

PROVINCE_ALERTED = (Role.HEALTH_OFFICER,)


def _jobs_seen(person_ids: list[int]) -> QuerySet[Employment]:
    """The jobs through which an employer sees these people (current, or ended within ENDED_JOB_ACCESS_DAYS)."""
    cutoff = timezone.localdate() - dt.timedelta(days=settings.ENDED_JOB_ACCESS_DAYS)
    return Employment.objects.filter(person_id__in=person_ids).filter(Q(end_date__isnull=True) | Q(end_date__gt=cutoff))


def cases_confirmed(*, investigation: Any, cases: list[Any], by: Any = None) -> None:
    """Trigger 1. ``cases``: the CaseStatus rows one confirmation created (a second click creates none)."""
    if not cases:
        return
    event = f"cases:{investigation.pk}:{min(c.pk for c in cases)}"
    by_person = {c.person_id: c for c in cases}
    jobs = list(_jobs_seen(list(by_person)).select_related("company__zone").order_by("company_id", "worker_code"))
    if not jobs:
        return
    places = _work_places(list(by_person), {j.company_id for j in jobs})
    names = dict(Person.objects.filter(pk__in=by_person).values_list("pk", "full_name"))
    per_company: dict[int, list[dict[str, Any]]] = defaultdict(list)
    companies: dict[int, Company] = {}
    for job in jobs:
        case = by_person[job.person_id]
        workshop, team = places.get((job.person_id, job.company_id), ("", ""))
        companies[job.company_id] = job.company
        per_company[job.company_id].append(
            {
                "id": job.person_id,
                "name": names[job.person_id],
                "code": job.worker_code,
                "workshop": workshop,
                "team": team,
                "level": case.level,
                "place": case.quarantine_place,
                "starts_on": case.starts_on.isoformat(),
            }
        )
    focal = holders_by_scope(Role.COMPANY_FOCAL, list(companies))
    for company_id, people in per_company.items():
        company = companies[company_id]
        for user in focal.get(company_id, []):
            # What this account may see, asked of the access layer: never another company's people.
            seen = access_for(user).people().filter(pk__in=[p["id"] for p in people])
            visible = set(seen.values_list("pk", flat=True))
            own = [p for p in people if p["id"] in visible]
            if own:
                notify(
                    kind=Kind.CASES_CONFIRMED,
                    dedup_key=f"{event}:company:{company_id}",
                    params={"company": company.name, "investigation": investigation.pk, "n": len(own), "people": own},
                    users=[user],
                    by=by,
                    about=investigation,
                )
    _zone_counts(event, investigation, companies, per_company, by)


def _work_places(person_ids: list[int], company_ids: set[int]) -> dict[tuple[int, int], tuple[str, str]]:
    """(person, company) → (workshop, team) as that company declared them (current memberships)."""
    found: dict[tuple[int, int], list[str]] = defaultdict(lambda: ["", ""])
    rows = Membership.objects.filter(
        person_id__in=person_ids,
        group__company_id__in=company_ids,
        group__kind__in=[GroupKind.WORKSHOP, GroupKind.TEAM],
        end__isnull=True,
    ).values_list("person_id", "group__company_id", "group__kind", "group__name")
    for person_id, company_id, kind, name in rows:
        found[(person_id, company_id)][0 if kind == GroupKind.WORKSHOP else 1] = name
    return {key: (value[0], value[1]) for key, value in found.items()}


def _zone_counts(
    event: str,
    investigation: Any,
    companies: dict[int, Company],
    per_company: dict[int, list[dict[str, Any]]],
    by: Any,
) -> None:
    zones: dict[int, list[int]] = defaultdict(list)
    for company_id, company in companies.items():
        zones[company.zone_id].append(company_id)
    boards = holders_by_scope(Role.ZONE_OFFICER, list(zones))
    for zone_id, company_ids in zones.items():
        users = boards.get(zone_id, [])
        if not users:
            continue
        ordered = sorted(company_ids, key=lambda c: (-len(per_company[c]), companies[c].name))
        counts = [
            {"company": companies[c].name, "n": len(per_company[c]), "levels": _levels(per_company[c])} for c in ordered
        ]
        notify(
            kind=Kind.CASES_BY_COMPANY,
            dedup_key=f"{event}:zone:{zone_id}",
            params={
                "zone": companies[company_ids[0]].zone.name,
                "investigation": investigation.pk,
                "n": sum(row["n"] for row in counts),
                "companies": len(counts),
                "counts": counts,
            },
            users=users,
            by=by,
            about=investigation,
        )


def _levels(people: list[dict[str, Any]]) -> dict[str, int]:
    levels: dict[str, int] = defaultdict(int)
    for person in people:
        levels[person["level"]] += 1
    return dict(sorted(levels.items()))


def positive_tests_recorded(*, tests: list[tuple[int, dt.date]], company_id: int | None = None, by: Any = None) -> int:
    """Trigger 2. ``tests``: (person id, day sampled) of positive results just recorded; ``company_id`` the company
    that declared them (None: an official). Returns how many people the health officers were alerted about."""
    if not tests:
        return 0
    company = Company.objects.filter(pk=company_id).first() if company_id else None
    officers = list(users_holding(Role.HEALTH_OFFICER))
    names = dict(Person.objects.filter(pk__in={pid for pid, _day in tests}).values_list("pk", "full_name"))
    for person_id, day in sorted(set(tests)):
        notify(
            kind=Kind.POSITIVE_TEST,
            dedup_key=f"positive:{person_id}:{day.isoformat()}",
            params={
                "name": names.get(person_id, ""),
                "sampled_on": day.isoformat(),
                "source_company": company.name if company is not None else "",
            },
            link=reverse("trace", kwargs={"person_id": person_id}),
            users=officers,
            by=by,
        )
    return len(set(tests))


class Audience:
    """Who a broadcast reaches, as the form chose: companies' focal points and/or workers."""

    NONE = ""
    ALL = "all"
    ZONE = "zone"
    CHOSEN = "chosen"


def audience_resolve(
    *, companies: str, workers: str, zone: Zone | None = None, chosen: QuerySet[Company] | None = None
) -> tuple[QuerySet[Company], QuerySet[Person] | None]:
    """The companies whose focal points are written to, and the people (current workers) reached on their page."""
    scopes: dict[str, QuerySet[Company]] = {
        Audience.ALL: Company.objects.all(),
        Audience.ZONE: Company.objects.filter(zone=zone) if zone is not None else Company.objects.none(),
        Audience.CHOSEN: chosen if chosen is not None else Company.objects.none(),
    }
    to_companies = scopes.get(companies, Company.objects.none())
    people = None
    if workers:
        jobs = Employment.objects.current(timezone.localdate())
        if workers != Audience.ALL:
            jobs = jobs.filter(company__in=scopes.get(workers, Company.objects.none()))
        people = Person.objects.filter(pk__in=jobs.values("person_id"))
    return to_companies, people


def broadcast_send(
    *,
    by: Any,
    title: str,
    body: str,
    companies: QuerySet[Company],
    people: QuerySet[Person] | None,
    sms: bool = False,
    audience: dict[str, Any] | None = None,
) -> tuple[Broadcast, Sent]:
    """Trigger 3: one broadcast, to the focal points of ``companies`` (inbox, e-mail) and ``people`` (their page,
    SMS when asked for and a gateway is configured). The text is stored once, on the broadcast."""
    broadcast = Broadcast.objects.create(title=title, body=body, audience=audience or {}, created_by=by)
    sent = notify(
        kind=Kind.BROADCAST,
        dedup_key=f"broadcast:{broadcast.pk}",
        users=users_holding(Role.COMPANY_FOCAL, companies.values("pk")),
        people=people,
        people_sms=sms,
        broadcast=broadcast,
        by=by,
        about=broadcast,
    )
    Broadcast.objects.filter(pk=broadcast.pk).update(users=sent.users, people=sent.people)
    broadcast.users, broadcast.people = sent.users, sent.people
    return broadcast, sent


def rosters_freshness_remind(*, today: dt.date | None = None) -> tuple[int, int]:
    """Trigger 4: a reminder to each company whose roster was last updated more than ROSTER_STALE_DAYS ago (once
    per stale roster), and each zone board's digest for the day. Returns (companies reminded, digests)."""
    from worktrace.rosters.models import ImportStatus

    today = today or timezone.localdate()
    cutoff = today - dt.timedelta(days=settings.ROSTER_STALE_DAYS)
    updated = Company.objects.annotate(
        last=Max("roster_imports__finished_at", filter=Q(roster_imports__status=ImportStatus.APPLIED))
    ).select_related("zone")
    stale: list[tuple[Any, dt.date]] = []
    for row in updated.order_by("zone_id", "name"):
        last = timezone.localdate(row.last) if row.last else timezone.localdate(row.created_at)
        if last < cutoff:
            stale.append((row, last))
    focal = holders_by_scope(Role.COMPANY_FOCAL, [c.pk for c, _last in stale])
    reminded = 0
    for company, last in stale:
        users = focal.get(company.pk, [])
        sent = notify(
            kind=Kind.ROSTER_STALE,
            dedup_key=f"roster_stale:{company.pk}:{last.isoformat()}",  # once per stale roster, not every day
            params={"company": company.name, "since": last.isoformat(), "days": (today - last).days},
            link=reverse("rosters"),
            users=users,
        )
        reminded += bool(sent.users)
    by_zone: dict[int, list[tuple[Any, dt.date]]] = defaultdict(list)
    for company, last in stale:
        by_zone[company.zone_id].append((company, last))
    boards = holders_by_scope(Role.ZONE_OFFICER, list(by_zone))
    digests = 0
    for zone_id, rows in by_zone.items():
        sent = notify(
            kind=Kind.ROSTER_DIGEST,
            dedup_key=f"roster_digest:{zone_id}:{today.isoformat()}",
            params={
                "zone": rows[0][0].zone.name,
                "day": today.isoformat(),
                "n": len(rows),
                "stale": [{"company": c.name, "since": last.isoformat()} for c, last in rows],
            },
            users=boards.get(zone_id, []),
        )
        digests += bool(sent.users)
    return reminded, digests
