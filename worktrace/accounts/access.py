"""The one place that decides what a user may see and do.

Every view, API route and management command asks ``access_for(user)`` (or one of the ``get_*_for_user``
helpers) instead of filtering by hand. A view declares the capability it needs with ``@requires``; the scope
matrix test walks the URL configuration and fails for any route that declares none.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse

from worktrace.accounts.models import Grant, Role
from worktrace.registry.models import Company, Employment, Person, Zone


class Capability(enum.StrEnum):
    VIEW_PEOPLE = "view_people"  # lists, search and profiles of people in scope
    SEE_IDENTIFIERS = "see_identifiers"  # citizen IDs and phones unmasked
    TRACE = "trace"
    EXPORT = "export"
    IMPORT = "import"
    READ_AUDIT = "read_audit"
    ADMINISTER = "administer"  # accounts, companies, zones, reference data
    DASHBOARD = "dashboard"  # the home page; every signed-in user with a role


ROLE_CAPABILITIES: dict[str, frozenset[Capability]] = {
    Role.PROVINCE_ADMIN: frozenset(Capability),
    Role.HEALTH_OFFICER: frozenset(
        {
            Capability.VIEW_PEOPLE,
            Capability.SEE_IDENTIFIERS,
            Capability.TRACE,
            Capability.EXPORT,
            Capability.IMPORT,
            Capability.DASHBOARD,
        }
    ),
    # A zone board oversees compliance: it sees its companies' rosters, masked, and may upload for them.
    Role.ZONE_OFFICER: frozenset({Capability.VIEW_PEOPLE, Capability.EXPORT, Capability.IMPORT, Capability.DASHBOARD}),
    # HR holds its own workers' numbers already; it may not trace (tracing crosses companies).
    Role.COMPANY_FOCAL: frozenset(
        {
            Capability.VIEW_PEOPLE,
            Capability.SEE_IDENTIFIERS,
            Capability.EXPORT,
            Capability.IMPORT,
            Capability.DASHBOARD,
        }
    ),
    Role.FACILITY_OFFICER: frozenset({Capability.DASHBOARD}),
    Role.WORKER: frozenset({Capability.VIEW_PEOPLE, Capability.SEE_IDENTIFIERS, Capability.DASHBOARD}),
}


@dataclass(frozen=True)
class Access:
    """What one user may do, and over which people and companies."""

    user_id: int | None
    roles: frozenset[str] = frozenset()
    capabilities: frozenset[Capability] = frozenset()
    province_wide: bool = False
    zone_ids: frozenset[int] = frozenset()
    company_ids: frozenset[int] = frozenset()
    facility_ids: frozenset[int] = frozenset()
    person_ids: frozenset[int] = frozenset()
    grants: tuple[Grant, ...] = field(default=(), compare=False, repr=False)

    def can(self, capability: Capability) -> bool:
        return capability in self.capabilities

    @property
    def primary_role(self) -> str | None:
        for role in Role.values:
            if role in self.roles:
                return role
        return None

    def companies(self) -> QuerySet[Company]:
        if self.province_wide:
            return Company.objects.all()
        return Company.objects.filter(Q(pk__in=self.company_ids) | Q(zone_id__in=self.zone_ids))

    def zones(self) -> QuerySet[Zone]:
        if self.province_wide:
            return Zone.objects.all()
        return Zone.objects.filter(Q(pk__in=self.zone_ids) | Q(companies__pk__in=self.company_ids)).distinct()

    def people(self) -> QuerySet[Person]:
        """People whose personal data this user may see."""
        if not self.can(Capability.VIEW_PEOPLE):
            return Person.objects.none()
        if self.province_wide:
            return Person.objects.all()
        condition = Q(pk__in=self.person_ids)
        if self.company_ids or self.zone_ids:
            jobs = Employment.objects.filter(Q(company_id__in=self.company_ids) | Q(company__zone_id__in=self.zone_ids))
            condition |= Q(pk__in=jobs.values("person_id"))
        return Person.objects.filter(condition)

    def may_see_person(self, person_id: int) -> bool:
        return self.people().filter(pk=person_id).exists()


NO_ACCESS = Access(user_id=None)


def access_for(user: Any) -> Access:
    """The user's access, computed once per request and cached on the user object."""
    if user is None or not user.is_authenticated or not user.is_active:
        return NO_ACCESS
    cached = getattr(user, "_worktrace_access", None)
    if cached is not None:
        return cached
    grants = tuple(Grant.objects.filter(user=user))
    roles = frozenset(g.role for g in grants)
    capabilities: set[Capability] = set()
    for role in roles:
        capabilities |= ROLE_CAPABILITIES.get(role, frozenset())
    access = Access(
        user_id=user.pk,
        roles=roles,
        capabilities=frozenset(capabilities),
        province_wide=bool(roles & {Role.PROVINCE_ADMIN, Role.HEALTH_OFFICER}),
        zone_ids=frozenset(g.zone_id for g in grants if g.role == Role.ZONE_OFFICER and g.zone_id),
        company_ids=frozenset(g.company_id for g in grants if g.role == Role.COMPANY_FOCAL and g.company_id),
        facility_ids=frozenset(g.facility_id for g in grants if g.role == Role.FACILITY_OFFICER and g.facility_id),
        person_ids=frozenset(g.person_id for g in grants if g.role == Role.WORKER and g.person_id),
        grants=grants,
    )
    user._worktrace_access = access
    return access


def get_person_for_user(user: Any, pk: int) -> tuple[Person, Access]:
    """The person, if this user may see them; otherwise 404, so that existence does not leak."""
    access = access_for(user)
    try:
        person = access.people().select_related("home_province", "home_ward").get(pk=pk)
    except Person.DoesNotExist:
        raise Http404 from None
    return person, access


def get_company_for_user(user: Any, pk: int) -> tuple[Company, Access]:
    access = access_for(user)
    try:
        return access.companies().select_related("zone").get(pk=pk), access
    except Company.DoesNotExist:
        raise Http404 from None


def requires(capability: Capability) -> Callable:
    """View decorator: signed in, and holding ``capability``. Marks the view for the scope matrix test."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            access = access_for(request.user)
            if not access.can(capability):
                raise PermissionDenied
            request.access = access  # type: ignore[attr-defined]
            return view(request, *args, **kwargs)

        wrapped.required_capability = capability  # type: ignore[attr-defined]
        return wrapped

    return decorator


def public(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Marks a view that deliberately needs no sign-in (login page, health check)."""
    view.required_capability = None  # type: ignore[attr-defined]
    return view


def mask_national_id(value: str) -> str:
    return f"{'•' * (len(value) - 3)}{value[-3:]}" if value else ""


def mask_phone(value: str) -> str:
    return f"{value[:3]}{'•' * (len(value) - 6)}{value[-3:]}" if len(value) > 6 else ("•" * len(value))
