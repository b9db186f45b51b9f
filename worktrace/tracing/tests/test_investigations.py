"""Who sees investigations: they list people across companies, so only province-wide roles may open them."""

from __future__ import annotations

from django.urls import reverse

from worktrace.accounts.access import PROVINCE_ROLES, ROLE_CAPABILITIES, Capability, access_for
from worktrace.accounts.models import Grant, Role
from worktrace.tracing import engine
from worktrace.tracing.models import Investigation, TraceRecord
from worktrace.tracing.params import cut_message
from worktrace.tracing.selectors import investigations_visible
from worktrace.tracing.tests.test_trace_views import params as trace_params
from worktrace.tracing.tests.test_trace_views import trace


def test_only_province_wide_roles_may_trace(world):
    # investigation_list and trace documents show contacts of every company: if a scoped role ever gets TRACE,
    # this fails and the scope of those pages must be thought through again.
    tracing_roles = {role for role, capabilities in ROLE_CAPABILITIES.items() if Capability.TRACE in capabilities}
    assert tracing_roles == {Role.PROVINCE_ADMIN, Role.HEALTH_OFFICER}
    for persona, user in world.personas.items():
        access = access_for(user)
        assert not access.can(Capability.TRACE) or access.primary_role in PROVINCE_ROLES, persona


def test_it_lists_investigations_to_officials_only(client, world):
    record = trace(client, world)
    client.post(reverse("investigation_save", args=[world.ann.pk]), {"ket_qua": record.key})
    investigation = Investigation.objects.get()
    assert list(investigations_visible(access_for(world.health))) == [investigation]
    assert list(investigations_visible(access_for(world.admin))) == [investigation]
    for user in (world.zone_officer, world.focal_a, world.worker_ann, world.outsider):
        assert not investigations_visible(access_for(user)).exists()  # Ann is in the scope of the first three
    body = client.get(reverse("investigations")).content.decode()
    assert reverse("investigation", args=[investigation.pk]) in body


def test_a_scoped_role_given_tracing_still_sees_only_its_own_index_cases(world, monkeypatch):
    # Suppose a company focal point were allowed to trace: its list holds Ann's investigation, not Binh's.
    monkeypatch.setitem(
        ROLE_CAPABILITIES, Role.COMPANY_FOCAL, ROLE_CAPABILITIES[Role.COMPANY_FOCAL] | {Capability.TRACE}
    )
    ann_case = Investigation.objects.create(
        index_person=world.ann,
        reference_date=world.ann.birth_date,
        window_start="2021-06-01T00:00+07:00",
        window_end="2021-06-02T00:00+07:00",
        created_by=world.health,
    )
    Investigation.objects.create(
        index_person=world.binh,
        reference_date=world.ann.birth_date,
        window_start="2021-06-01T00:00+07:00",
        window_end="2021-06-02T00:00+07:00",
        created_by=world.health,
    )
    assert Grant.objects.filter(user=world.focal_a, role=Role.COMPANY_FOCAL).exists()
    assert list(investigations_visible(access_for(world.focal_a))) == [ann_case]


def test_a_saved_cut_trace_keeps_saying_it_was_cut(client, world, monkeypatch):
    monkeypatch.setattr(engine, "MAX_PEOPLE", 1)
    record = trace(client, world)
    client.post(reverse("investigation_save", args=[world.ann.pk]), {"ket_qua": record.key})
    investigation = Investigation.objects.get()
    body = client.get(reverse("investigation", args=[investigation.pk])).content.decode()
    assert cut_message(1).split(":")[0] in body


def test_a_scoped_role_given_tracing_sees_only_contacts_in_its_scope(client, world, monkeypatch):
    # Suppose a company focal point of Ann's company were allowed to trace: Ann's roommates and bus driver, who
    # work elsewhere or nowhere, are counted but neither listed nor named as the person a contact came through.
    monkeypatch.setitem(
        ROLE_CAPABILITIES, Role.COMPANY_FOCAL, ROLE_CAPABILITIES[Role.COMPANY_FOCAL] | {Capability.TRACE}
    )
    client.force_login(world.focal_a)
    response = client.post(reverse("trace", args=[world.ann.pk]), trace_params(), follow=True)
    assert response.status_code == 200
    document = TraceRecord.objects.get(pk=response.context["record"].pk).document
    assert document["contacts"] == [] and document["hidden"] == 3
    body = response.content.decode()
    assert "Lê Minh Châu" not in body and "Phạm Thị Dung" not in body
    assert "3 người ngoài phạm vi của bạn không được liệt kê." in body
    client.force_login(world.health)
    full = client.post(reverse("trace", args=[world.ann.pk]), trace_params(), follow=True).context["record"].document
    assert len(full["contacts"]) == 3 and "hidden" not in full
