"""Pages of the web interface: home, people list, person profile, audit log."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import BadRequest
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from worktrace.accounts.access import Capability, get_person_for_user, public, requires
from worktrace.audit.models import Action, AuditEntry
from worktrace.audit.services import audit_record
from worktrace.registry.models import Employment, Group, GroupKind, TestOutcome, TestResult
from worktrace.registry.selectors import (
    declared_about,
    people_search,
    people_with_current_jobs,
    person_places,
    person_sources,
)
from worktrace.tracing.selectors import person_related

# The largest primary key either database stores (a signed 64-bit integer).
MAX_ID = 2**63 - 1
BAD_FILTER = _("Bộ lọc không hợp lệ: %(name)s phải là một số.")


def _int_param(request: HttpRequest, name: str) -> int | None:
    """An id filter from the query string: absent or empty → None; anything but an id the database can hold → 400."""
    raw = request.GET.get(name, "").strip()
    if not raw:
        return None
    if not raw.isascii() or not raw.isdigit() or not 0 < int(raw) <= MAX_ID:
        raise BadRequest(BAD_FILTER % {"name": name})
    return int(raw)


@public
@require_GET
def healthz(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok", content_type="text/plain")


@requires(Capability.DASHBOARD)
@require_GET
def home(request: HttpRequest) -> HttpResponse:
    access = request.access
    companies = access.companies()
    today = timezone.localdate()
    people = access.people()
    stats = None
    if access.can(Capability.VIEW_PEOPLE) and not access.is_worker:
        jobs = Employment.objects.current(today).filter(company__in=companies)
        stats = {
            "companies": companies.count(),
            "workers": jobs.values("person_id").distinct().count(),
            "vaccinated": people.filter(pk__in=jobs.values("person_id"), vaccine_doses__gte=2).count(),
            "tested_recently": TestResult.objects.filter(
                person__in=jobs.values("person_id"), sampled_on__gte=today - timezone.timedelta(days=3)
            )
            .values("person_id")
            .distinct()
            .count(),
            "positive": TestResult.objects.filter(person__in=jobs.values("person_id"), outcome=TestOutcome.POSITIVE)
            .values("person_id")
            .distinct()
            .count(),
        }
    top_companies = (
        companies.select_related("zone")
        .annotate(workers=Count("employments", filter=Q(employments__end_date__isnull=True)))
        .order_by("-workers")[:10]
        if stats is not None
        else []
    )
    self_person = access.self_person()
    return render(
        request,
        "front/home.html",
        {"stats": stats, "top_companies": top_companies, "self_person": self_person, "today": today},
    )


@requires(Capability.VIEW_PEOPLE)
@require_GET
def people_list(request: HttpRequest) -> HttpResponse:
    access = request.access
    people = access.people()
    companies = access.companies().select_related("zone")
    zones = access.zones()
    company_id, zone_id, workshop_id = (_int_param(request, n) for n in ("company", "zone", "workshop"))
    query = request.GET.get("q", "").strip()[:100]
    today = timezone.localdate()
    if company_id or zone_id:
        jobs = Employment.objects.current(today).filter(company__in=companies)
        if company_id:
            jobs = jobs.filter(company_id=company_id)
        if zone_id:
            jobs = jobs.filter(company__zone_id=zone_id)
        people = people.filter(pk__in=jobs.values("person_id"))
    workshops = Group.objects.none()
    if company_id:
        workshops = Group.objects.filter(kind=GroupKind.WORKSHOP, company_id=company_id, company__in=companies)
        if workshop_id:
            in_workshop = Group.objects.filter(pk=workshop_id, company__in=companies).values("memberships__person_id")
            people = people.filter(pk__in=in_workshop)
    if query:
        people = people_search(people, query, identifier_fragments=access.may_search_identifier_fragments)
    page = Paginator(people_with_current_jobs(people.select_related("home_province"), today), settings.PAGE_SIZE)
    page_obj = page.get_page(request.GET.get("page"))
    audit_record(
        action=Action.SEARCH if query else Action.LIST_PEOPLE,
        request=request,
        object_type="person",
        detail={
            "q": query,
            "company": company_id,
            "zone": zone_id,
            "workshop": workshop_id,
            "page": page_obj.number,
            "shown": [p.pk for p in page_obj],
        },
    )
    masker = access.masker
    rows = [
        {
            "person": p,
            "national_id": masker.national_id(p.national_id),
            "phone": masker.phone(p.phone),
            "jobs": p.current_jobs,
            "places": p.current_places,
        }
        for p in page_obj
    ]
    filters = request.GET.copy()
    filters.pop("page", None)
    return render(
        request,
        "front/people_list.html",
        {
            "rows": rows,
            "page_obj": page_obj,
            "companies": companies,
            "zones": zones,
            "workshops": workshops,
            "company_id": company_id,
            "zone_id": zone_id,
            "workshop_id": workshop_id,
            "query": query,
            # Only whole numbers match for this user: say so, or an empty list reads as "nobody has this number".
            "whole_numbers_only": not access.may_search_identifier_fragments
            and query.replace(" ", "").replace(".", "").lstrip("+").isdigit(),
            "filter_query": filters.urlencode(),
        },
    )


@requires(Capability.VIEW_PEOPLE)
@require_GET
def person_detail(request: HttpRequest, person_id: int) -> HttpResponse:
    person, access = get_person_for_user(request.user, person_id)
    purpose = request.GET.get("purpose", "").strip()[:300]
    audit_record(action=Action.VIEW_PERSON, request=request, obj=person, purpose=purpose or "Xem hồ sơ")
    own = access.declarations_visible(person.pk)  # None: every source; else only these companies' declarations
    places = person_places(person, declared_by=own)
    seen = declared_about(person, own)
    related = person_related(person=person, visible=access.people(), only_groups=seen.groups, companies=own)
    kinds = [
        (kind, GroupKind(kind).label, places.get(kind, []))
        for kind in (
            GroupKind.WORKSHOP,
            GroupKind.TEAM,
            GroupKind.BOARDING_HOUSE,
            GroupKind.ROOM,
            GroupKind.VEHICLE,
            GroupKind.LOCATION,
            GroupKind.HOUSEHOLD,
        )
    ]
    return render(
        request,
        "front/person_detail.html",
        {
            "person": person,
            "national_id": access.masker.national_id(person.national_id),
            "phone": access.masker.phone(person.phone),
            "jobs": seen.jobs,
            "kinds": kinds,
            "history": seen.history[:200],
            "tests": seen.tests[:20],
            "declarations": [(d, access.masker.phone(d.phone)) for d in seen.declarations[:20]],
            "sources": person_sources(person, own),
            "related": related,
            "cases": person.case_statuses.select_related("investigation")[:20],
        },
    )


@requires(Capability.READ_AUDIT)
@require_GET
def audit_log(request: HttpRequest) -> HttpResponse:
    entries = AuditEntry.objects.all()
    action = request.GET.get("action", "")
    username = request.GET.get("user", "").strip()[:150]
    object_id = request.GET.get("object", "").strip()[:64]
    if action in Action.values:
        entries = entries.filter(action=action)
    if username:
        entries = entries.filter(username__icontains=username)
    if object_id:
        entries = entries.filter(object_id=object_id)
    page_obj = Paginator(entries, settings.PAGE_SIZE).get_page(request.GET.get("page"))
    audit_record(action=Action.READ_AUDIT, request=request, detail={"action": action, "user": username})
    filters = request.GET.copy()
    filters.pop("page", None)
    return render(
        request,
        "front/audit_log.html",
        {
            "page_obj": page_obj,
            "actions": Action.choices,
            "action": action,
            "username": username,
            "object_id": object_id,
            "filter_query": filters.urlencode(),
        },
    )
