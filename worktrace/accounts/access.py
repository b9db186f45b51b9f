"""The one place that decides what a user may see and do.

Every view, API route and management command asks ``access_for(user)`` (or one of the ``get_*_for_user``
helpers) instead of reading grants or filtering by hand: an ``Access`` answers every decision (``may_export``,
``may_import_for``, ``may_create_company``, ``may_merge_houses``, ...), lists what the user may list (``people()``,
``companies()``, ``import_runs()``, ``investigations()``, ``houses()``) and masks identifiers (``masker``).
A view declares the capability it needs with ``@requires``, an API route with ``@requires_api``; the scope matrix
test walks the URL configuration and fails for any route that declares none. Management commands act as the
system account (``accounts.services.system_account``), so the same decisions run for them.
"""

from __future__ import annotations

import datetime as dt
import enum
import inspect
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Masking lives in masking.py; its names stay importable from here, where views ask for everything else.
from worktrace.accounts.masking import Masker as Masker
from worktrace.accounts.masking import mask_national_id as mask_national_id
from worktrace.accounts.masking import mask_phone as mask_phone
from worktrace.accounts.models import ROLE_SCOPE_FIELD, Grant, Role, User
from worktrace.registry.models import Company, Employment, Group, GroupKind, IdentityConflict, Person, Zone

if TYPE_CHECKING:
    from worktrace.notifications.models import Notification
    from worktrace.rosters.models import ImportRun
    from worktrace.tracing.models import Investigation

NO_PERMISSION = _("Không có quyền.")


class Capability(enum.StrEnum):
    VIEW_PEOPLE = "view_people"  # lists, search and profiles of people in scope
    SEE_IDENTIFIERS = "see_identifiers"  # citizen IDs and phones unmasked, searched by fragments
    TRACE = "trace"
    EXPORT = "export"
    IMPORT = "import"
    READ_AUDIT = "read_audit"
    ADMINISTER = "administer"  # accounts, companies, zones, reference data
    DASHBOARD = "dashboard"  # the home page; every signed-in user with a role
    RESOLVE_IDENTITIES = "resolve_identities"  # the queue of roster rows refused for naming a registered ID
    BROADCAST = "broadcast"  # messages from the province to companies and workers (notifications)


class ExportScope(models.TextChoices):
    COMPANY = "company", _("Một doanh nghiệp")
    ZONE = "zone", _("Một khu/cụm")
    PROVINCE = "province", _("Toàn tỉnh")


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
            Capability.RESOLVE_IDENTITIES,
            Capability.BROADCAST,
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

# Roles whose scope is the whole province. Tracing crosses companies, so only these may trace (a test holds it).
PROVINCE_ROLES = frozenset({Role.PROVINCE_ADMIN, Role.HEALTH_OFFICER})


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

    def grant_labels(self) -> list[str]:
        """The roles held, each with its scope, as the home page names them."""
        return [str(grant) for grant in self.grants]

    # --- what the user may list -------------------------------------------------------------------------------

    def companies(self) -> QuerySet[Company]:
        if self.province_wide:
            return Company.objects.all()
        return Company.objects.filter(Q(pk__in=self.company_ids) | Q(zone_id__in=self.zone_ids))

    def zones(self) -> QuerySet[Zone]:
        if self.province_wide:
            return Zone.objects.all()
        return Zone.objects.filter(Q(pk__in=self.zone_ids) | Q(companies__pk__in=self.company_ids)).distinct()

    def people(self) -> QuerySet[Person]:
        """People whose personal data this user may see.

        A company (or zone board) sees the people employed by its companies, and a person whose job ended for
        ``ENDED_JOB_ACCESS_DAYS`` days from the end date only: long enough to answer a trace reaching back to the
        job, not forever.
        """
        if not self.can(Capability.VIEW_PEOPLE):
            return Person.objects.none()
        if self.province_wide:
            return Person.objects.all()
        condition = Q(pk__in=self.person_ids)
        if self.company_ids or self.zone_ids:
            cutoff = timezone.localdate() - dt.timedelta(days=settings.ENDED_JOB_ACCESS_DAYS)
            jobs = Employment.objects.filter(
                Q(company_id__in=self.company_ids) | Q(company__zone_id__in=self.zone_ids),
                Q(end_date__isnull=True) | Q(end_date__gt=cutoff),
            )
            condition |= Q(pk__in=jobs.values("person_id"))
        return Person.objects.filter(condition)

    def self_person(self) -> Person | None:
        """A worker's own record (the person a worker grant names), else None."""
        return self.people().filter(pk__in=self.person_ids).first() if self.person_ids else None

    def import_runs(self) -> QuerySet[ImportRun]:
        """Runs of companies in scope, and the user's own refused uploads that never reached a company."""
        # Imported here: rosters sits above accounts, and access.py must not import the apps that use it at load.
        from worktrace.rosters.models import ImportRun

        if not self.can(Capability.IMPORT):
            return ImportRun.objects.none()
        if self.province_wide:
            return ImportRun.objects.all()
        return ImportRun.objects.filter(Q(company__in=self.companies()) | Q(company__isnull=True, user_id=self.user_id))

    def investigations(self) -> QuerySet[Investigation]:
        """Investigations whose index case this user may see, for users who may trace (province roles only)."""
        from worktrace.tracing.models import Investigation

        if not self.can(Capability.TRACE):
            return Investigation.objects.none()
        if self.province_wide:
            return Investigation.objects.all()
        return Investigation.objects.filter(index_person__in=self.people())

    def notifications(self) -> QuerySet[Notification]:
        """The user's inbox: notifications to the account, and to the person a worker grant names."""
        from worktrace.notifications.models import Notification

        if self.user_id is None:
            return Notification.objects.none()
        return Notification.objects.filter(Q(user_id=self.user_id) | Q(person_id__in=self.person_ids))

    def houses(self) -> QuerySet[Group]:
        """Boarding houses: all of them province-wide, else those where the user's companies declared a room."""
        houses = Group.objects.filter(kind=GroupKind.BOARDING_HOUSE)
        if self.province_wide:
            return houses
        if not (self.company_ids or self.zone_ids):
            return houses.none()
        rooms = Group.objects.filter(memberships__declared_by__in=self.companies()).values("parent_id")
        return houses.filter(pk__in=rooms)

    # --- decisions --------------------------------------------------------------------------------------------

    @property
    def is_worker(self) -> bool:
        """Holds a worker grant: sees its own record, not the people list."""
        return bool(self.person_ids)

    @property
    def masker(self) -> Masker:
        return Masker(reveal=self.can(Capability.SEE_IDENTIFIERS))

    @property
    def may_search_identifier_fragments(self) -> bool:
        """Searching the last digits of IDs and phones would unmask them for a user who sees them masked."""
        return self.can(Capability.SEE_IDENTIFIERS)

    @property
    def may_merge_houses(self) -> bool:
        return self.can(Capability.ADMINISTER)

    def identity_conflicts(self) -> QuerySet[IdentityConflict]:
        """Identity conflicts are settled by the province's officials only (they name people of any company)."""
        if not (self.province_wide and self.can(Capability.RESOLVE_IDENTITIES)):
            return IdentityConflict.objects.none()
        return IdentityConflict.objects.all()

    def declarations_visible(self, person_id: int) -> set[int] | None:
        """Whose declarations about a person this user sees: None for all (province-wide roles, the person
        themself), else the companies in scope — a company sees its own jobs, memberships and tests of a
        person, never what another employer declared (issue 7 §1)."""
        if self.province_wide or person_id in self.person_ids:
            return None
        return set(self.companies().values_list("pk", flat=True))

    def may_see_person(self, person_id: int) -> bool:
        return self.people().filter(pk=person_id).exists()

    def may_export(self, scope: str, zone: Zone | None = None) -> bool:
        """A company in scope: anyone who may export; a zone: its board or a province role; the province: those."""
        if not self.can(Capability.EXPORT):
            return False
        if scope == ExportScope.PROVINCE:
            return self.province_wide
        if scope == ExportScope.ZONE:
            return zone is not None and (self.province_wide or zone.pk in self.zone_ids)
        return scope == ExportScope.COMPANY

    def may_import_for(self, company: Company) -> bool:
        return self.can(Capability.IMPORT) and self.companies().filter(pk=company.pk).exists()

    def may_create_company(self, zone: Zone | None) -> bool:
        """A roster naming an unknown company creates it: a province role anywhere, a zone board in its zone."""
        if not self.can(Capability.IMPORT) or zone is None:
            return False
        return self.province_wide or zone.pk in self.zone_ids

    def default_upload_company(self) -> Company | None:
        """The company an upload is for when none is named: the user's only company; else the file says."""
        if self.province_wide:
            return None
        companies = list(self.companies()[:2])
        return companies[0] if len(companies) == 1 else None

    def may_download_report(self, run: ImportRun) -> bool:
        """The error report is the uploaded file itself: its uploader, or a role that may see identifiers."""
        return self.can(Capability.SEE_IDENTIFIERS) or run.user_id == self.user_id


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
        province_wide=bool(roles & PROVINCE_ROLES),
        zone_ids=frozenset(g.zone_id for g in grants if g.role == Role.ZONE_OFFICER and g.zone_id),
        company_ids=frozenset(g.company_id for g in grants if g.role == Role.COMPANY_FOCAL and g.company_id),
        facility_ids=frozenset(g.facility_id for g in grants if g.role == Role.FACILITY_OFFICER and g.facility_id),
        person_ids=frozenset(g.person_id for g in grants if g.role == Role.WORKER and g.person_id),
        grants=grants,
    )
    user._worktrace_access = access
    return access


# --- who holds a role: the recipients of notifications ----------------------------------------------------------


def users_holding(role: Role, scope_ids: Any = None) -> QuerySet[User]:
    """Active accounts holding ``role`` — on one of ``scope_ids`` (ids or a queryset of the role's scope kind:
    zones for the zone board, companies for focal points, ...); province-wide roles take no scope."""
    grants = Grant.objects.filter(role=role)
    field = ROLE_SCOPE_FIELD[role]
    if field is not None and scope_ids is not None:
        grants = grants.filter(**{f"{field}_id__in": scope_ids})
    return User.objects.filter(is_active=True, pk__in=grants.values("user_id"))


def holders_by_scope(role: Role, scope_ids: Any) -> dict[int, list[User]]:
    """For each scope object (by id) of ``scope_ids``, the active accounts holding ``role`` on it."""
    field = ROLE_SCOPE_FIELD[role]
    if field is None:
        raise ValueError(f"{role} is province-wide: use users_holding")
    users = {u.pk: u for u in users_holding(role, scope_ids)}
    found: dict[int, list[User]] = {}
    pairs = Grant.objects.filter(role=role, **{f"{field}_id__in": scope_ids}).values_list(f"{field}_id", "user_id")
    for scope_id, user_id in pairs.order_by(f"{field}_id", "user_id"):
        if user_id in users:
            found.setdefault(scope_id, []).append(users[user_id])
    return found


# --- one helper per object kind reached by URL: the object, or 404 so that existence does not leak ----------------


def get_person_for_user(user: Any, pk: int) -> tuple[Person, Access]:
    access = access_for(user)
    try:
        person = access.people().select_related("home_province", "home_ward").get(pk=pk)
    except Person.DoesNotExist:
        raise Http404 from None
    return person, access


def get_identity_conflict_for_user(user: Any, pk: int) -> tuple[IdentityConflict, Access]:
    access = access_for(user)
    try:
        return access.identity_conflicts().select_related("person", "company").get(pk=pk), access
    except IdentityConflict.DoesNotExist:
        raise Http404 from None


def get_company_for_user(user: Any, pk: int) -> tuple[Company, Access]:
    access = access_for(user)
    try:
        return access.companies().select_related("zone").get(pk=pk), access
    except Company.DoesNotExist:
        raise Http404 from None


def get_import_run_for_user(user: Any, pk: int) -> tuple[ImportRun, Access]:
    access = access_for(user)
    runs = access.import_runs().select_related("company", "user")
    try:
        return runs.get(pk=pk), access
    except runs.model.DoesNotExist:
        raise Http404 from None


def get_investigation_for_user(user: Any, pk: int) -> tuple[Investigation, Access]:
    access = access_for(user)
    investigations = access.investigations().select_related("index_person", "created_by")
    try:
        return investigations.get(pk=pk), access
    except investigations.model.DoesNotExist:
        raise Http404 from None


def get_notification_for_user(user: Any, pk: int) -> tuple[Notification, Access]:
    access = access_for(user)
    notifications = access.notifications().select_related("broadcast")
    try:
        return notifications.get(pk=pk), access
    except notifications.model.DoesNotExist:
        raise Http404 from None


def get_house_for_user(user: Any, pk: Any) -> tuple[Group, Access]:
    access = access_for(user)
    try:
        return access.houses().get(pk=int(pk)), access
    except (Group.DoesNotExist, TypeError, ValueError, OverflowError):
        raise Http404 from None


# --- declaring what a route needs ---------------------------------------------------------------------------------


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


def requires_api(capability: Capability) -> Callable:
    """API route decorator (under ``@api.get``/``@api.post``): the token's user holds ``capability``, else 403.

    Marks the route for the scope matrix test like ``@requires``; the API's authentication has already answered
    401 to a caller without a valid token or session.
    """

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
            from ninja.errors import HttpError

            access = access_for(request.user)
            if not access.can(capability):
                raise HttpError(403, str(NO_PERMISSION))
            request.access = access  # type: ignore[attr-defined]
            return view(request, *args, **kwargs)

        # django-ninja resolves string annotations in the function's own module: give it them already resolved,
        # since the wrapper lives here and not beside the route's schemas.
        wrapped.__signature__ = inspect.signature(view, eval_str=True)  # type: ignore[attr-defined]
        wrapped.required_capability = capability  # type: ignore[attr-defined]
        return wrapped

    return decorator


def public(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Marks a view that deliberately needs no sign-in (login page, health check)."""
    view.required_capability = None  # type: ignore[attr-defined]
    return view
