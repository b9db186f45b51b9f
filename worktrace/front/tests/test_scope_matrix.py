"""The scope matrix: every route of the URL configuration, for every persona.

Routes are enumerated from the resolver, so a route added later is covered without editing this file: it
fails here until its view declares its access (@requires or @public) and its URL parameters are known below.
"""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from worktrace.accounts.access import Capability, access_for

# A primary key no object has: asked of a persona that sees every object of a kind, a route must still answer
# 404 (or 403), never a page or a 500.
MISSING_PK = 999_999

# What object each URL parameter names, and how to pick one outside a persona's scope.
PARAMETER_OBJECTS = {
    "person_id": "person",
    "investigation_id": "investigation",
    "run_id": "import_run",
    "house_id": "house",
    "conflict_id": "identity_conflict",
    "notification_id": "notification",
    "company": "trace_company",  # a company of a kept trace result (its call list): a tax code
}


def _routes(patterns=None, prefix: str = "", namespace: str | None = None):
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or namespace
            if ns == "admin":
                continue  # the admin has its own test below
            yield from _routes(entry.url_patterns, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            yield name, entry


ROUTES = sorted(_routes(), key=lambda item: item[0] or "")


def test_every_route_declares_its_access():
    undeclared = [name for name, p in ROUTES if not hasattr(p.callback, "required_capability")]
    assert not undeclared, f"routes without @requires/@public: {undeclared}"


def test_api_routes_carry_the_capability_their_decorator_declares():
    from worktrace.api import api

    declared = {name: p.callback.required_capability for name, p in ROUTES if name and name.startswith("api:")}
    assert declared["api:search"] == Capability.VIEW_PEOPLE
    assert declared["api:person"] == Capability.VIEW_PEOPLE
    assert declared["api:trace"] == Capability.TRACE
    assert declared["api:roster_import"] == Capability.IMPORT
    for route in ("api:roster_preview", "api:roster_apply", "api:roster_undo", "roster_apply", "roster_undo"):
        assert dict(ROUTES)[route].callback.required_capability == Capability.IMPORT, route
    assert api.search.required_capability == Capability.VIEW_PEOPLE  # the mark is set where the route is written


def test_every_route_parameter_is_known():
    unknown = [(name, key) for name, p in ROUTES for key in p.pattern.converters if key not in PARAMETER_OBJECTS]
    assert not unknown, f"add these URL parameters to PARAMETER_OBJECTS: {unknown}"


def _outside_person(world, persona: str):
    hidden = {world.ann, world.binh, world.chau, world.dung, world.hai} - world.visible_people(persona)
    return sorted(hidden, key=lambda p: p.pk)[0] if hidden else None


def _outside_object(world, persona: str, kind: str):
    """The primary key of an object of this kind outside the persona's scope, or None when it sees them all."""
    if kind == "import_run":  # an upload of company C (zone 2): only province-wide roles may see it
        from worktrace.rosters.models import ImportRun

        if persona in ("admin", "health"):
            return None
        return ImportRun.objects.create(company=world.company_c, filename="c.xlsx", status="applied").pk
    if kind == "identity_conflict":  # a refused row naming Binh: only the province's officials settle these
        from worktrace.registry.models import IdentityConflict

        if persona in ("admin", "health"):
            return None
        return IdentityConflict.objects.create(
            person=world.binh, company=world.company_a, source="worker", sheet="x", row=5, declared={"full_name": "?"}
        ).pk
    if kind == "notification":  # nobody reads another account's inbox: Binh's company told about Binh
        from worktrace.notifications.models import Kind, Notification

        other = world.focal_a if persona == "focal_b" else world.focal_b
        return Notification.objects.create(
            user=other,
            kind=Kind.CASES_CONFIRMED,
            dedup_key="matrix",
            params={"people": [{"name": world.binh.full_name}]},
        ).pk
    if kind == "house":  # boarding houses are province-wide reference data, merged by administrators only
        from worktrace.registry.models import Group, GroupKind

        return None if persona == "admin" else Group.objects.filter(kind=GroupKind.BOARDING_HOUSE).first().pk
    if kind == "investigation":  # a health officer's investigation of Binh: tracing is province-wide only
        import datetime as dt

        from django.utils import timezone

        from worktrace.tracing.models import Investigation

        if persona in ("admin", "health"):
            return None
        now = timezone.now()
        return Investigation.objects.create(
            index_person=world.binh,
            reference_date=now.date(),
            window_start=now - dt.timedelta(days=2),
            window_end=now,
            created_by=world.health,
            purpose="Điều tra ca F0",
            snapshot={"contacts": [{"name": world.binh.full_name}]},
        ).pk
    if kind == "trace_company":  # only with the officer's own kept result, which no persona has here
        return world.company_c.tax_code
    if kind != "person":
        raise AssertionError(f"no way to pick a {kind} outside a persona's scope: extend _outside_object")
    target = _outside_person(world, persona)
    return target.pk if target else None


@pytest.mark.parametrize("route", [name for name, _ in ROUTES])
@pytest.mark.parametrize(
    "persona",
    ["admin", "health", "zone_officer", "focal_a", "focal_b", "facility_officer", "worker_ann", "outsider"],
)
def test_it_gives_nothing_outside_scope(client, world, route, persona):
    pattern = dict(ROUTES)[route]
    capability = pattern.callback.required_capability
    user = world.personas[persona]
    client.force_login(user)
    hidden = {
        p.full_name for p in {world.ann, world.binh, world.chau, world.dung, world.hai} - world.visible_people(persona)
    }
    kwargs = {}
    for key in pattern.pattern.converters:
        target = _outside_object(world, persona, PARAMETER_OBJECTS[key])
        kwargs[key] = MISSING_PK if target is None else target  # None: the persona sees every such object
    response = client.get(reverse(route, kwargs=kwargs))
    if response.status_code == 405:  # a POST-only route: the same question, asked with an empty POST
        response = client.post(reverse(route, kwargs=kwargs))
    body = response.content.decode(errors="replace")  # some routes answer with an .xlsx
    for name in hidden:
        assert name not in body, f"{persona} saw {name} at {route}"
    if capability is not None and not access_for(user).can(capability):
        assert response.status_code == 403
    if kwargs:
        assert response.status_code in (403, 404)


@pytest.mark.parametrize("route", [name for name, p in ROUTES if p.callback.required_capability is not None])
def test_it_sends_anonymous_users_to_login(client, world, route):
    pattern = dict(ROUTES)[route]
    kwargs = {key: world.ann.pk for key in pattern.pattern.converters}
    response = client.get(reverse(route, kwargs=kwargs))
    if response.status_code == 405:
        response = client.post(reverse(route, kwargs=kwargs))
    if route.startswith("api:") and route != "api:openapi-json":
        assert response.status_code == 401  # the API answers machines: no redirect to a login page
        return
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def _admin_urls():
    yield reverse("admin:index")
    for model in admin.site._registry:
        yield reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


@pytest.mark.parametrize(
    "persona", ["health", "zone_officer", "focal_a", "focal_b", "facility_officer", "worker_ann", "outsider"]
)
def test_admin_is_closed_to_everyone_but_province_admins(client, world, persona):
    user = world.personas[persona]
    user.is_staff = True  # even a staff flag set by mistake does not open the admin without the role
    user.save()
    client.force_login(user)
    for url in _admin_urls():
        response = client.get(url)
        assert response.status_code == 302, url
        assert "/login/" in response["Location"]


def test_admin_opens_for_province_admin(client, world):
    client.force_login(world.admin)
    for url in _admin_urls():
        assert client.get(url).status_code == 200, url


def test_capabilities_match_roles(world):
    assert access_for(world.health).can(Capability.TRACE)
    assert not access_for(world.focal_a).can(Capability.TRACE)
    assert not access_for(world.zone_officer).can(Capability.SEE_IDENTIFIERS)
    assert access_for(world.admin).can(Capability.READ_AUDIT)
    assert not access_for(world.health).can(Capability.READ_AUDIT)
